for _batch, _members in CALL_BATCHES.items():

    rule:
        """Bias-corrected log2 ratios (CNVkit fix), then gene-window, arm and exon calls (ikzf1cnv), per tumour of the batch."""
        name:
            _batch
        input:
            target_coverage=per_sample(f"{OUT}/coverage/{{sample}}.targetcoverage.cnn", _members),
            antitarget_coverage=per_sample(f"{OUT}/coverage/{{sample}}.antitargetcoverage.cnn", _members),
            bam_info=per_sample(f"{OUT}/coverage/{{sample}}.bam.json", _members),
            junctions=per_sample(f"{OUT}/coverage/{{sample}}.junctions.tsv", _members),
            idxstats=per_sample(f"{OUT}/qc/samtools/{{sample}}.idxstats", _members),
            fasta=config["fasta"] or [],
            reference=rules.reference.output.cnn,
            denoise=rules.reference.output.denoise,
            reference_info=rules.reference.output.info,
            rules=RULES,
            exons=BUILD["exons"],
            arms=BUILD["arms"],
            contigs=BUILD["contigs"],
            introns=BUILD["introns"],
            calibration=CALIBRATION,
            types=resource("deletion_types.tsv"),
            par_regions=PAR_REGIONS,
        output:
            cnr=per_sample(f"{OUT}/samples/{{sample}}/{{sample}}.cnr", _members),
            exon_table=[report(f"{OUT}/samples/{s}/ikzf1_exons.tsv", caption="../report/exons.rst", category="Samples",
                          subcategory=s, labels={"sample": s, "table": "IKZF1 exons"}) for s in _members],
            units=per_sample(f"{OUT}/samples/{{sample}}/units.tsv", _members),
            record=per_sample(f"{OUT}/samples/{{sample}}/calls.json", _members),
            positions=per_sample(f"{OUT}/samples/{{sample}}/window_bins.tsv", _members),
            breakpoints=per_sample(f"{OUT}/samples/{{sample}}/breakpoints.tsv", _members),
        params:
            sample=_members,
            row=[sample_row(s) for s in _members],
            genome=config["genome"],
            caller=config["caller"],
            qc={k: v for k, v in config["qc"].items() if k != "samtools_stats"},
            edge_correction=config["edge_correction"],
            has_fasta=bool(GC_FASTA),   # CNVkit's GC/repeat correction in fix
            whole_genome=not config["targets"],
            mode=MODE,
            junction_settings=config["junctions"],
            sex=config["sex"],
            ikzf1plus_pax5=config["ikzf1plus_pax5"],
        resources:
            mem_mb=1000,
            runtime=10 + len(_members),
        conda:
            "../../envs/ikzf1cnv.yaml"
        log:
            f"{OUT}/logs/call/{_batch}.log",
        benchmark:
            f"{OUT}/benchmarks/call/{_batch}.tsv"
        script:
            f"{SCRIPTS}/call.py"
