rule bins:
    """Target bins (the panel split into ~target_avg_size bp) and off-target bins; whole-genome mode: loci and a backbone."""
    input:
        targets=config["targets"] or [],
        exons=[] if config["targets"] else BUILD["exons"],
        contigs=[] if config["targets"] else BUILD["contigs"],
        rules=[] if config["targets"] else RULES,
    output:
        target_bins=f"{OUT}/bins/targets.bed",
        antitarget_bins=f"{OUT}/bins/antitargets.bed",
    params:
        target_avg_size=config["target_avg_size"],
        antitarget_avg_size=config["antitarget_avg_size"],
        wgs=config["wgs"],
    conda:
        "../../envs/ikzf1cnv.yaml"
    log:
        f"{OUT}/logs/bins.log",
    benchmark:
        f"{OUT}/benchmarks/bins.tsv"
    script:
        f"{SCRIPTS}/bins.py"


for _batch, _members in COVERAGE_BATCHES.items():

    rule:
        """Check each BAM of the batch against the build, read depth of every bin; idxstats (and samtools stats)."""
        name:
            _batch
        input:
            bam=[samples.loc[s, "bam"] for s in _members],
            bai=[index_of(samples.loc[s, "bam"]) for s in _members],
            target_bins=rules.bins.output.target_bins,
            antitarget_bins=rules.bins.output.antitarget_bins,
            hg38_contigs=resource("hg38", "contigs.tsv"),
            hg19_contigs=resource("hg19", "contigs.tsv"),
            fasta=config["fasta"] or [],
        output:
            target_coverage=per_sample(f"{OUT}/coverage/{{sample}}.targetcoverage.cnn", _members),
            antitarget_coverage=per_sample(f"{OUT}/coverage/{{sample}}.antitargetcoverage.cnn", _members),
            bam_info=per_sample(f"{OUT}/coverage/{{sample}}.bam.json", _members),
            junctions=per_sample(f"{OUT}/coverage/{{sample}}.junctions.tsv", _members),
            idxstats=per_sample(f"{OUT}/qc/samtools/{{sample}}.idxstats", _members),
            stats=per_sample(f"{OUT}/qc/samtools/{{sample}}.stats", _members) if SAMTOOLS_STATS else [],
        params:
            sample=_members,
            genome=config["genome"],
            min_mapq=config["min_mapq"],
            junction_settings={k: config["junctions"][k] for k in ("min_clip", "min_insert", "pair_window", "tolerance")},
            on_sample_error=config["on_sample_error"],
            # panels and exomes: one sequential pass over each BAM; whole-genome mode: the loci through the index
            sequential=bool(config["targets"]),
        # decompression threads: the cores the other coverage batches leave free (a few BAMs on many cores)
        threads: COVERAGE_THREADS
        resources:
            mem_mb=1000,
            runtime=10 + 2 * len(_members),
        conda:
            "../../envs/ikzf1cnv.yaml"
        log:
            f"{OUT}/logs/coverage/{_batch}.log",
        benchmark:
            f"{OUT}/benchmarks/coverage/{_batch}.tsv"
        script:
            f"{SCRIPTS}/coverage.py"
