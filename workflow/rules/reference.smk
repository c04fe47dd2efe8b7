rule reference:
    """Pooled reference from the normals, else reference_cnn, else the cohort's tumours, else flat."""
    input:
        target_coverage=expand(f"{OUT}/coverage/{{sample}}.targetcoverage.cnn", sample=REFERENCE_SAMPLES),
        antitarget_coverage=expand(f"{OUT}/coverage/{{sample}}.antitargetcoverage.cnn", sample=REFERENCE_SAMPLES),
        bam_info=expand(f"{OUT}/coverage/{{sample}}.bam.json", sample=REFERENCE_SAMPLES),
        target_bins=rules.bins.output.target_bins,
        antitarget_bins=rules.bins.output.antitarget_bins,
        prebuilt=config["reference_cnn"] or [],
        fasta=GC_FASTA,   # GC and repeat-mask correction only when gc_correction is on
        rules=RULES,
        par_regions=PAR_REGIONS,
        exons=BUILD["exons"],
        arms=BUILD["arms"],
    output:
        cnn=f"{OUT}/reference/reference.cnn",
        info=f"{OUT}/reference/reference.json",
        denoise=f"{OUT}/reference/denoise.tsv",
    params:
        sample=REFERENCE_SAMPLES,
        mode=REFERENCE_MODE,
        genome=config["genome"],
        edge=config["edge_correction"],
        n_components=config["caller"]["denoise_components"],
        spread_prior_df=config["caller"]["spread_prior_df"],
        cohort_trim=config["cohort_reference_trim"],
        cohort_window=config["cohort_reference_window"],
        cohort_min_tumours=config["cohort_reference_min_tumours"],
        cohort_above_z=config["cohort_reference_above_z"],
        cohort_above_min=config["cohort_reference_above_min"],
        min_arm_bins=config["caller"]["min_arm_bins"],
    conda:
        "../../envs/ikzf1cnv.yaml"
    log:
        f"{OUT}/logs/reference.log",
    benchmark:
        f"{OUT}/benchmarks/reference.tsv"
    script:
        f"{SCRIPTS}/reference.py"
