rule cohort:
    """The cohort call table and frequencies against the reference table."""
    input:
        records=expand(f"{OUT}/samples/{{sample}}/calls.json", sample=TUMOURS),
        reference_table=config["reference_table"],
        rules=RULES,
    output:
        calls=report(f"{OUT}/cohort/ikzf1_calls.tsv", caption="../report/calls.rst", category="Cohort",
                     labels={"table": "IKZF1 calls"}),
        freq=report(f"{OUT}/cohort/frequencies.tsv", caption="../report/frequencies.rst", category="Cohort",
                    labels={"table": "frequencies"}),
        mqc=directory(f"{OUT}/multiqc/custom_content"),
    params:
        frequency_min_samples=config["frequency_min_samples"],
        frequency_alpha=config["frequency_alpha"],
    conda:
        "../../envs/ikzf1cnv.yaml"
    log:
        f"{OUT}/logs/cohort.log",
    benchmark:
        f"{OUT}/benchmarks/cohort.tsv"
    script:
        f"{SCRIPTS}/cohort.py"


rule report:
    """The self-contained cohort report (report.html)."""
    input:
        calls=rules.cohort.output.calls,
        freq=rules.cohort.output.freq,
        records=expand(f"{OUT}/samples/{{sample}}/calls.json", sample=TUMOURS),
        exons=expand(f"{OUT}/samples/{{sample}}/ikzf1_exons.tsv", sample=TUMOURS),
        positions=expand(f"{OUT}/samples/{{sample}}/window_bins.tsv", sample=TUMOURS),
        reference=rules.reference.output.info,
        reference_table=config["reference_table"],
        types=resource("deletion_types.tsv"),
        rules=RULES,
        builds=resource("builds.tsv"),
        transcripts=resource("transcripts.tsv"),
    output:
        html=report(f"{OUT}/cohort/report.html", caption="../report/report.rst", category="Cohort",
                    labels={"report": "cohort report"}),
    params:
        config=config,
        bams={s: samples.loc[s, "bam"] for s in TUMOURS},
        workflow_dir=str(BASE),
    conda:
        "../../envs/ikzf1cnv.yaml"
    log:
        f"{OUT}/logs/report.log",
    benchmark:
        f"{OUT}/benchmarks/report.tsv"
    script:
        f"{SCRIPTS}/report.py"


rule multiqc:
    """MultiQC: samtools idxstats (and stats) per sample plus the workflow's results as custom content."""
    input:
        idxstats=expand(f"{OUT}/qc/samtools/{{sample}}.idxstats", sample=ALL_SAMPLES),
        stats=expand(f"{OUT}/qc/samtools/{{sample}}.stats", sample=ALL_SAMPLES) if SAMTOOLS_STATS else [],
        mqc=rules.cohort.output.mqc,
        config=str(BASE / "workflow" / "multiqc_config.yaml"),
    output:
        report(f"{OUT}/multiqc/multiqc_report.html", caption="../report/multiqc.rst", category="QC",
               labels={"report": "MultiQC"}),
    conda:
        "../../envs/multiqc.yaml"
    log:
        f"{OUT}/logs/multiqc.log",
    benchmark:
        f"{OUT}/benchmarks/multiqc.tsv"
    shell:
        "multiqc --force --quiet --no-version-check --no-data-dir -c {input.config} -o {OUT}/multiqc -n multiqc_report.html "
        "{OUT}/qc/samtools {input.mqc} > {log} 2>&1"


for _batch, _members in PAGE_BATCHES.items():

    rule:
        """Each tumour's printable page (samples/{sample}/report.html): verdict, named deletions, evidence, provenance."""
        name:
            _batch
        input:
            record=per_sample(f"{OUT}/samples/{{sample}}/calls.json", _members),
            positions=per_sample(f"{OUT}/samples/{{sample}}/window_bins.tsv", _members),
            bam=[samples.loc[s, "bam"] for s in _members],
            reference=rules.reference.output.info,
            rules=RULES,
            arms=BUILD["arms"],
            cytobands=BUILD["cytobands"],
            accessions=BUILD["accessions"],
            builds=resource("builds.tsv"),
            transcripts=resource("transcripts.tsv"),
        output:
            html=[report(f"{OUT}/samples/{s}/report.html", caption="../report/patient.rst", category="Samples",
                         subcategory=s, labels={"sample": s, "page": "patient report"}) for s in _members],
        params:
            sample=_members,
            # the settings (not outdir, not the sheet's path: a tumour added to the sheet rewrites only its batch's pages)
            config=settings(config),
            workflow_dir=str(BASE),
        resources:
            mem_mb=1000,
            runtime=5 + len(_members),
        conda:
            "../../envs/ikzf1cnv.yaml"
        log:
            f"{OUT}/logs/page/{_batch}.log",
        benchmark:
            f"{OUT}/benchmarks/page/{_batch}.tsv"
        script:
            f"{SCRIPTS}/patient.py"
