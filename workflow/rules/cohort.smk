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
        reference=rules.reference.output.info,
        types=resource("deletion_types.tsv"),
        rules=RULES,
    output:
        html=report(f"{OUT}/cohort/report.html", caption="../report/report.rst", category="Cohort",
                    labels={"report": "cohort report"}),
    params:
        config=config,
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
    output:
        f"{OUT}/multiqc/multiqc_report.html",
    conda:
        "../../envs/multiqc.yaml"
    log:
        f"{OUT}/logs/multiqc.log",
    benchmark:
        f"{OUT}/benchmarks/multiqc.tsv"
    shell:
        "multiqc --force --quiet --no-version-check --no-data-dir -o {OUT}/multiqc -n multiqc_report.html "
        "{OUT}/qc/samtools {input.mqc} > {log} 2>&1"
