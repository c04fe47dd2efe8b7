rule bins:
    """Target bins (the panel split into ~target_avg_size bp) and off-target bins."""
    input:
        targets=config["targets"] or [],
    output:
        targets=f"{OUT}/bins/targets.bed",
        antitargets=f"{OUT}/bins/antitargets.bed",
    params:
        target_avg_size=config["target_avg_size"],
        antitarget_avg_size=config["antitarget_avg_size"],
        genome=config["genome"],
        resources=RESOURCES,
        rules=RULES,
    conda:
        "../../envs/ikzf1cnv.yaml"
    log:
        f"{OUT}/logs/bins.log",
    benchmark:
        f"{OUT}/benchmarks/bins.tsv"
    script:
        f"{SCRIPTS}/bins.py"


rule coverage:
    """Check the BAM against the build, then read depth of every bin."""
    input:
        bam=bam_of,
        bai=bai_of,
        targets=rules.bins.output.targets,
        antitargets=rules.bins.output.antitargets,
    output:
        targets=f"{OUT}/coverage/{{sample}}.targetcoverage.cnn",
        antitargets=f"{OUT}/coverage/{{sample}}.antitargetcoverage.cnn",
        bam_info=f"{OUT}/coverage/{{sample}}.bam.json",
    params:
        genome=config["genome"],
        resources=RESOURCES,
        min_mapq=config["min_mapq"],
    conda:
        "../../envs/ikzf1cnv.yaml"
    log:
        f"{OUT}/logs/coverage/{{sample}}.log",
    benchmark:
        f"{OUT}/benchmarks/coverage/{{sample}}.tsv"
    script:
        f"{SCRIPTS}/coverage.py"


rule samtools_stats:
    """samtools stats (through pysam) for MultiQC."""
    input:
        bam=bam_of,
        bai=bai_of,
    output:
        f"{OUT}/qc/samtools/{{sample}}.stats",
    conda:
        "../../envs/ikzf1cnv.yaml"
    log:
        f"{OUT}/logs/samtools_stats/{{sample}}.log",
    benchmark:
        f"{OUT}/benchmarks/samtools_stats/{{sample}}.tsv"
    script:
        f"{SCRIPTS}/samtools_stats.py"
