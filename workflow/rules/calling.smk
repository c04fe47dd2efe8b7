rule call:
    """Bias-corrected log2 ratios (CNVkit fix), then exon and gene calls (ikzf1cnv)."""
    input:
        targets=f"{OUT}/coverage/{{sample}}.targetcoverage.cnn",
        antitargets=f"{OUT}/coverage/{{sample}}.antitargetcoverage.cnn",
        bam_info=f"{OUT}/coverage/{{sample}}.bam.json",
        reference=rules.reference.output.cnn,
        denoise=rules.reference.output.denoise,
    output:
        cnr=f"{OUT}/samples/{{sample}}/{{sample}}.cnr",
        exons=report(f"{OUT}/samples/{{sample}}/ikzf1_exons.tsv", caption="../report/exons.rst",
                     category="Samples", subcategory="{sample}", labels={"sample": "{sample}", "table": "IKZF1 exons"}),
        units=f"{OUT}/samples/{{sample}}/units.tsv",
        record=f"{OUT}/samples/{{sample}}/calls.json",
    params:
        row=sample_row,
        config=config,
        resources=RESOURCES,
        rules=RULES,
    conda:
        "../../envs/ikzf1cnv.yaml"
    log:
        f"{OUT}/logs/call/{{sample}}.log",
    benchmark:
        f"{OUT}/benchmarks/call/{{sample}}.tsv"
    script:
        f"{SCRIPTS}/call.py"
