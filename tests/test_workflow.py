"""The workflow end to end on the bundled toy cohort (about 3-4 minutes on 2 cores)."""
import csv
import os
import re
import subprocess
import sys
import zipfile

import pytest
from conftest import snakemake  # the helper behind the session fixtures toy_run and runs

pytestmark = pytest.mark.workflow

# the contract's gene columns, written out: the call table must have these, in this order
CONTRACT_GENES = ["CDKN2A", "CDKN2B", "PAX5", "PAR1", "ERG", "EBF1", "ETV6", "BTG1", "RB1"]
DATA_FILES = ["cohort/ikzf1_calls.tsv", "cohort/frequencies.tsv"]


def read_tsv(path):
    with open(path) as fh:
        return list(csv.DictReader((l for l in fh if not l.startswith("#")), delimiter="\t"))


def test_calls_match_truth_on_every_column(runs, root):
    got = {r["sample"]: r for r in read_tsv(runs[0] / "cohort" / "ikzf1_calls.tsv")}
    truth = read_tsv(root / "resources" / "toy" / "truth.tsv")
    assert sorted(got) == sorted(t["sample"] for t in truth)
    for t in truth:
        g = got[t["sample"]]
        for col, want in t.items():
            if col == "ikzf1_cell_fraction" and want != "NA":
                assert abs(float(g[col]) - float(want)) <= 0.10, (t["sample"], col, g[col], want)
            elif col == "qc" and want == "fail":
                assert g[col].startswith("fail:"), (t["sample"], g[col])
            else:
                assert g[col] == want, (t["sample"], col, g[col], want)


def test_call_table_columns_are_the_contracts(runs):
    with open(runs[0] / "cohort" / "ikzf1_calls.tsv") as fh:
        header = fh.readline().rstrip("\n").split("\t")
    assert header[:19] == ["sample", "subtype", "status", "ikzf1_deletion", "ikzf1_exons_deleted",
                           "ikzf1_exons_biallelic", "ikzf1_cell_fraction", *CONTRACT_GENES, "ikzf1plus", "ukall_cna", "qc"]


def test_frequencies_match_counts_from_the_sheet(runs, root):
    """Counted here from the sheet and the truth, without the package."""
    sheet = {r["sample"]: r for r in read_tsv(root / "config" / "samples.tsv")}
    truth = {r["sample"]: r for r in read_tsv(root / "resources" / "toy" / "truth.tsv")}
    table = read_tsv(root / "resources" / "reference_frequencies.tsv")
    freq = {r["group"]: r for r in read_tsv(runs[0] / "cohort" / "frequencies.tsv")}
    assert list(freq) == [t["group"] for t in table]
    for t in table:
        subs = None if t["subtypes"] == "*" else set(t["subtypes"].split(","))
        ages = None if t["age_group"] == "*" else set(t["age_group"].split(","))
        members = [s for s, r in sheet.items() if r["type"] == "tumor"
                   and truth[s]["status"] != "not_evaluable"
                   and (subs is None or r["subtype"] in subs) and (ages is None or r["age_group"] in ages)]
        k = sum(truth[s]["status"] == "deleted" for s in members)
        f = freq[t["group"]]
        assert (int(f["n"]), int(f["n_altered"])) == (len(members), k), t["group"]
        if members:
            assert float(f["observed"]) == pytest.approx(k / len(members), abs=5e-4)
            assert float(f["ci_low"]) <= k / len(members) <= float(f["ci_high"])
        assert f["verdict"] == "insufficient"  # every toy group has < 10 evaluable samples


def test_exon_tables_agree_with_the_calls(runs):
    for r in read_tsv(runs[0] / "cohort" / "ikzf1_calls.tsv"):
        ex = read_tsv(runs[0] / "samples" / r["sample"] / "ikzf1_exons.tsv")
        assert [e["exon"] for e in ex] == [str(i) for i in range(1, 9)]
        lost = [e["exon"] for e in ex if e["call"] in ("loss", "biallelic_loss")]
        bial = [e["exon"] for e in ex if e["call"] == "biallelic_loss"]
        if r["status"] != "not_evaluable":
            assert ",".join(lost) == r["ikzf1_exons_deleted"] and ",".join(bial) == r["ikzf1_exons_biallelic"]
        for e in ex:
            if e["call"] != "no_data":
                assert float(e["ci_low"]) <= float(e["copy_number"]) <= float(e["ci_high"])


def test_sample_record_holds_its_verdicts(runs, root):
    """calls.json carries the sample's IKZF1plus, UKALL-CNA and sex check (made in the call
    step, read by the cohort step), the same as the table's; the sex as the sheet gives it."""
    import json
    sheet = {r["sample"]: r for r in read_tsv(root / "config" / "samples.tsv")}
    for r in read_tsv(runs[0] / "cohort" / "ikzf1_calls.tsv"):
        rec = json.loads((runs[0] / "samples" / r["sample"] / "calls.json").read_text())
        for k in ("ikzf1plus", "ukall_cna", "sex", "sex_inferred", "sex_check"):
            assert rec[k] == r[k], (r["sample"], k)
        assert rec["sex"] == sheet[r["sample"]]["sex"] and rec["mode"] == "panel"


def test_rerun_is_byte_identical(runs):
    a, b = runs
    files = DATA_FILES + [str(p.relative_to(a)) for p in sorted((a / "samples").glob("*/*.tsv"))]
    assert len(files) > 20
    files += [str(p.relative_to(a)) for p in sorted((a / "samples").glob("*/calls.json"))]
    files += [str(p.relative_to(a)) for p in sorted((a / "multiqc" / "custom_content").glob("*"))]
    for f in files:
        assert (a / f).read_bytes() == (b / f).read_bytes(), f
    # the pages are HTML: they carry the run date (and may differ); each tumour has one
    pages = sorted(p.parent.name for p in (a / "samples").glob("*/report.html"))
    assert pages == sorted(p.parent.name for p in (a / "samples").glob("*/calls.json")) and len(pages) == 14


def test_report_is_self_contained_and_complete(runs):
    html = (runs[0] / "cohort" / "report.html").read_text()
    # nothing loaded from elsewhere (the SVG namespace URI is a name, not a load)
    assert not re.findall(r"""(?:src|href|url)\s*[=(]\s*["']?(?:https?:)?//""", html)
    assert "<script src" not in html and "<link" not in html
    for needle in ("IKZF1 exon dosage ratio", "Frequencies against the literature", "Deletion types",
                   "Per-sample IKZF1 windows", "Quality control", "Methods", "Versions", "T07", "UNVERIFIED",
                   "NM_006060.6", "Provenance", "research use only", 'href="../samples/T07/report.html"'):
        assert needle in html, needle
    assert html.count("<svg") >= 3 + 14  # frequency, types, heatmap + one exon plot per sample


def test_multiqc_has_the_workflow_sections_and_samtools(runs):
    html = (runs[0] / "multiqc" / "multiqc_report.html").read_text()
    assert "ikzf1_calls" in html and "ikzf1_frequencies" in html and "T07" in html
    # samtools idxstats of every BAM: reads per contig and the X/Y counts (a sex check)
    assert 'id="samtools-idxstats-xy-counts"' in html and 'id="samtools-idxstats-mapped-reads-plot"' in html


def test_snakemake_report(runs, root, tmp_path):
    z = tmp_path / "report.zip"
    snakemake(root, "--config", f"outdir={runs[0]}", "--report", str(z))
    names = zipfile.ZipFile(z).namelist()
    raw = [n for n in names if "/data/raw/" in n]
    assert sum(n.endswith("ikzf1_calls.tsv") for n in raw) == 1
    assert sum(n.endswith("frequencies.tsv") for n in raw) == 1
    assert sum(n.endswith("/report.html") for n in raw) == 1 + 14     # the cohort report and a page per tumour
    assert sum(n.endswith("/multiqc_report.html") for n in raw) == 1  # and MultiQC's
    assert sum(n.endswith("ikzf1_exons.tsv") for n in raw) == 14      # one per tumour


def test_bad_sheet_stops_before_running(root, tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("sample\tbam\ttype\tsubtype\nT1\tresources/toy/bams/T01.bam\ttumor\tPh-positive\n"
                   "T1\tresources/toy/bams/T02.bam\ttumor\tB-other\n")
    p = snakemake(root, "-n", "--config", f"samples={bad}", f"outdir={tmp_path}/o", check=False)
    assert p.returncode != 0
    err = p.stdout + p.stderr
    assert "sample 'T1' (line 2), column 'subtype': 'Ph-positive'" in err
    assert "sample 'T1' appears on lines 2, 3" in err
    assert not (tmp_path / "o").exists()            # stopped at DAG build: nothing written


def test_misspelt_config_key_stops_before_running(root, tmp_path):
    """A misspelt key stops the DAG build with one message naming the file, the line and the
    closest setting (Snakemake used to ignore it, or print the whole schema), before any output."""
    cfg = tmp_path / "my.yaml"
    cfg.write_text(f"samples: config/samples.tsv\ntargets: resources/toy/panel_hg38.bed\noutdir: {tmp_path / 'o'}\n"
                   "caller:\n  min_cell_fraction: 0.1\njunctons:\n  min_clip: 10\n")
    p = snakemake(root, "-n", "--configfile", str(cfg), check=False)
    err = p.stdout + p.stderr
    assert p.returncode != 0
    assert (f"config key `junctons` ({cfg}, line 6) is not a setting of this workflow. Did you mean `junctions`? "
            "Fix: rename it `junctions`") in err
    assert "No validator found" not in err and not (tmp_path / "o").exists()


def test_bad_target_bed_stops_before_running(root, tmp_path):
    """The panel's BED is checked at DAG build: a bad line stops the run before any output."""
    bed = tmp_path / "panel.bed"
    bed.write_text((root / "resources" / "toy" / "panel_hg38.bed").read_text() + "chr7\t50310300\t50310000\tx\n")
    p = snakemake(root, "-n", "--config", f"targets={bed}", f"outdir={tmp_path / 'o'}", check=False)
    err = p.stdout + p.stderr
    n = len(bed.read_text().splitlines())
    assert p.returncode != 0 and f"target BED {bed} has 1 problem(s)" in err
    assert f"line {n}: chr7 50310300 50310000 ends before it starts" in err and "Fix: give start < end" in err
    assert not (tmp_path / "o").exists()


def test_bam_of_the_other_build_is_a_not_evaluable_row_with_a_clear_message(root, tmp_path):
    """A BAM of the other build (the only sample: no normals, no other tumour) fails alone:
    the run completes, its row is not_evaluable with the fault and the fix; with
    on_sample_error: stop the run stops there."""
    import pysam

    sys.path.insert(0, str(root / "workflow"))
    from ikzf1cnv.core import annotation
    hg19 = annotation.load_contigs(root / "resources", "hg19")
    bam = tmp_path / "hg19.bam"
    header = {"HD": {"VN": "1.6", "SO": "coordinate"}, "SQ": [{"SN": c, "LN": n} for c, n in hg19.items()]}
    with pysam.AlignmentFile(str(bam), "wb", header=header):
        pass
    pysam.index(str(bam))
    sheet = tmp_path / "s.tsv"
    sheet.write_text(f"sample\tbam\nP1\t{bam}\n")
    out = tmp_path / "o"
    p = snakemake(root, "--config", f"samples={sheet}", f"outdir={out}", check=False)
    assert p.returncode == 0
    log = (out / "logs" / "coverage" / "coverage_001.log").read_text()  # P1 is the only sample
    assert "sample 'P1'" in log and "not aligned to hg38" in log and "genome: hg19" in log
    row = (out / "cohort" / "ikzf1_calls.tsv").read_text().splitlines()[1].split("\t")
    assert row[0] == "P1" and row[2] == "not_evaluable"
    assert "not aligned to hg38" in row[18] and "genome: hg19" in row[18]      # qc: the fault and the fix
    stop = tmp_path / "stop"
    p = snakemake(root, "--config", f"samples={sheet}", f"outdir={stop}", "on_sample_error=stop", check=False)
    assert p.returncode != 0 and not (stop / "cohort" / "ikzf1_calls.tsv").exists()
    assert "genome: hg19" in (stop / "logs" / "coverage" / "coverage_001.log").read_text()


@pytest.mark.skipif(os.environ.get("IKZF1CNV_TEST_SLURM") != "1",
                    reason="needs a running SLURM (.ci/run starts one with .ci/slurm-up.sh)")
def test_slurm_run_equals_local_run(runs, root, tmp_path):
    """The toy cohort through --executor slurm with the shipped profile: byte-identical data."""
    out = tmp_path / "slurm"
    cmd = [sys.executable, "-m", "snakemake", "--workflow-profile", "workflow/profiles/slurm", "--slurm-no-account",
           "--config", f"outdir={out}"]
    try:
        p = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=1500)
    except subprocess.TimeoutExpired as e:
        raise AssertionError(f"SLURM run did not finish in 25 min; last output:\n{(e.stdout or '')[-2000:]}")
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    assert "has been submitted" in p.stdout + p.stderr  # it really went through sbatch
    a = runs[0]
    files = DATA_FILES + [str(x.relative_to(a)) for x in sorted((a / "samples").glob("*/*.tsv"))]
    for f in files:
        assert (a / f).read_bytes() == (out / f).read_bytes(), f


def test_a_users_configfile_replaces_the_toy_config(runs, root, tmp_path):
    """With --configfile, keys the user leaves out take the schema's defaults, not the toy's
    (the toy config sets 1 Mb off-target bins; the default is 150 kb)."""
    import yaml
    schema = yaml.safe_load((root / "workflow" / "schemas" / "config.schema.yaml").read_text())
    toy = yaml.safe_load((root / "config" / "config.yaml").read_text())
    default = schema["properties"]["antitarget_avg_size"]["default"]
    assert toy["antitarget_avg_size"] >= 5 * default       # the premise of this test
    cfg = tmp_path / "my.yaml"
    cfg.write_text(f"samples: config/samples.tsv\ntargets: resources/toy/panel_hg38.bed\noutdir: {tmp_path / 'o'}\n")
    snakemake(root, str(tmp_path / "o" / "bins" / "antitargets.bed"), "--configfile", str(cfg))
    mine = (tmp_path / "o" / "bins" / "antitargets.bed").read_text().splitlines()
    toys = (runs[0] / "bins" / "antitargets.bed").read_text().splitlines()
    sizes = [int(x.split("\t")[2]) - int(x.split("\t")[1]) for x in mine]
    assert len(mine) > 4 * len(toys)
    assert max(sizes) <= 2 * default < toy["antitarget_avg_size"]


@pytest.mark.parametrize("on", [True, False])
def test_samtools_stats_is_opt_in(root, tmp_path, on):
    """qc.samtools_stats adds samtools stats to the coverage batches and to MultiQC's inputs."""
    cfg = tmp_path / "my.yaml"
    cfg.write_text(f"samples: config/samples.tsv\ntargets: resources/toy/panel_hg38.bed\noutdir: {tmp_path / 'o'}\n"
                   f"qc:\n  samtools_stats: {'true' if on else 'false'}\n")
    p = snakemake(root, "-n", "--configfile", str(cfg))
    out = p.stdout + p.stderr
    stats = out.count(str(tmp_path / "o" / "qc" / "samtools" / "N01.stats"))
    assert (stats >= 2) if on else (stats == 0)        # a coverage output and a MultiQC input, or none
    assert out.count(str(tmp_path / "o" / "qc" / "samtools" / "N01.idxstats")) >= 2


def test_ensembl_named_and_cram_copies_give_the_same_calls(runs, root, tmp_path):
    """The toy with T01 under Ensembl contig names ('7'), T05 as a reference-free CRAM and
    N01 (a normal) under Ensembl names: every call equals the plain run's."""
    sys.path.insert(0, str(root / "tests"))
    from test_coverage import cram_copy, ensembl_copy
    bams = root / "resources" / "toy" / "bams"
    swap = {"T01": ensembl_copy(bams / "T01.bam", tmp_path / "T01.ens.bam"),
            "T05": cram_copy(bams / "T05.bam", tmp_path / "T05.cram"),
            "N01": ensembl_copy(bams / "N01.bam", tmp_path / "N01.ens.bam")}
    lines = (root / "config" / "samples.tsv").read_text().splitlines()
    rows = [lines[0]] + ["\t".join([f[0], swap.get(f[0], str(root / f[1]))] + f[2:])
                         for f in (l.split("\t") for l in lines[1:])]
    sheet = tmp_path / "samples.tsv"
    sheet.write_text("\n".join(rows) + "\n")
    out = tmp_path / "out"
    snakemake(root, "--config", f"samples={sheet}", f"outdir={out}")
    assert (out / "cohort" / "ikzf1_calls.tsv").read_text() == (runs[0] / "cohort" / "ikzf1_calls.tsv").read_text()
    info = (out / "logs" / "coverage").glob("*.log")
    text = "".join(p.read_text() for p in info)
    assert "T05: CRAM header matches hg38" in text and "T01: BAM header matches hg38" in text and "ensembl names" in text


# ------------------------------------------------------------------ config traps (issue 19)
def test_a_config_without_samples_stops_naming_the_key(root, tmp_path):
    """A user's config that forgets `samples` would have run the toy's sheet."""
    cfg = tmp_path / "my.yaml"
    cfg.write_text("genome: hg38\ntargets: resources/toy/panel_hg38.bed\n")
    p = snakemake(root, "-n", "--configfile", str(cfg), "--config", f"outdir={tmp_path}/o", check=False)
    err = p.stdout + p.stderr
    assert p.returncode != 0 and "config `samples` is not set" in err and str(cfg) in err
    assert "Fix: add `samples:" in err and not (tmp_path / "o").exists()


def test_a_forgotten_targets_on_panel_bams_stops_naming_the_key(root, tmp_path):
    """Without `targets` the run would be in whole-genome mode on the toy's panel BAMs (7 of
    14 samples not evaluable before): it stops and names the key; `targets: null` written on
    purpose runs, with a warning in the log."""
    cfg = tmp_path / "my.yaml"
    cfg.write_text("samples: config/samples.tsv\ngenome: hg38\n")
    p = snakemake(root, "-n", "--configfile", str(cfg), "--config", f"outdir={tmp_path}/o", check=False)
    err = p.stdout + p.stderr
    assert p.returncode != 0 and "config `targets` is not set" in err and "look like capture" not in err
    assert "pile up in islands, as capture data do" in err and "Fix: set `targets:`" in err
    cfg.write_text("samples: config/samples.tsv\ngenome: hg38\ntargets: null\n")
    p = snakemake(root, "-n", "--configfile", str(cfg), "--config", f"outdir={tmp_path}/o")
    err = p.stdout + p.stderr
    assert "whole genome mode" in err and "data that look like capture" in err


def test_the_mode_is_the_first_line_of_the_log(root, tmp_path):
    p = snakemake(root, "-n", "--config", f"outdir={tmp_path}/o")
    first = next(line for line in (p.stdout + p.stderr).splitlines() if line.startswith("ikzf1-cnv:"))
    assert first.startswith("ikzf1-cnv: panel mode (targets resources/toy/panel_hg38.bed), genome hg38, "
                            "14 tumour(s), 4 normal(s)")


def test_sexes_are_inferred_and_one_declared_wrong_is_flagged_alone(runs, root, tmp_path):
    """The toy's sheet gives each sample's true sex: all are inferred right. With T01
    (female) declared male, exactly T01 is flagged: sex_check mismatch and a qc warning
    naming a possible swap; every call is unchanged."""
    import pandas as pd
    read = lambda p: pd.read_csv(p, sep="\t", dtype=str, keep_default_na=False).set_index("sample")  # noqa: E731
    calls, sheet = read(runs[0] / "cohort" / "ikzf1_calls.tsv"), read(root / "config" / "samples.tsv")
    assert (calls["sex_inferred"] == sheet.loc[calls.index, "sex"]).all()
    assert set(calls["sex_check"]) == {"ok"}
    swapped = tmp_path / "samples.tsv"
    swapped.write_text((root / "config" / "samples.tsv").read_text().replace(
        "T01.bam\ttumor\tB-other\tpediatric\t85\tfemale", "T01.bam\ttumor\tB-other\tpediatric\t85\tmale"))
    snakemake(root, "--config", f"outdir={tmp_path / 'swap'}", f"samples={swapped}")
    new = read(tmp_path / "swap" / "cohort" / "ikzf1_calls.tsv")
    assert new.index[new["sex_check"] != "ok"].tolist() == ["T01"] and new.loc["T01", "sex_check"] == "mismatch"
    assert new.loc["T01", "sex"] == "male" and new.loc["T01", "sex_inferred"] == "female"
    assert new.loc["T01", "qc"].startswith("warn: sex mismatch: sheet male, data female (X 0.98")
    assert new.loc["T01", "qc"].endswith("possible sample swap")
    same = [c for c in calls.columns if c not in ("qc", "sex", "sex_check")]
    assert new[same].equals(calls[same])
