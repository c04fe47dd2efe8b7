rule reference:
    """Pooled reference from the sheet's normals, else the given reference_cnn, else flat."""
    input:
        targets=expand(f"{OUT}/coverage/{{sample}}.targetcoverage.cnn", sample=NORMALS),
        antitargets=expand(f"{OUT}/coverage/{{sample}}.antitargetcoverage.cnn", sample=NORMALS),
        target_bins=rules.bins.output.targets,
        antitarget_bins=rules.bins.output.antitargets,
    output:
        cnn=f"{OUT}/reference/reference.cnn",
        info=f"{OUT}/reference/reference.json",
        denoise=f"{OUT}/reference/denoise.tsv",
    params:
        prebuilt=config["reference_cnn"],
        genome=config["genome"],
        edge=config["edge_correction"],
        fasta=config["fasta"],
        rules=RULES,
        n_components=config["caller"]["denoise_components"],
    conda:
        "../../envs/ikzf1cnv.yaml"
    log:
        f"{OUT}/logs/reference.log",
    benchmark:
        f"{OUT}/benchmarks/reference.tsv"
    script:
        f"{SCRIPTS}/reference.py"
