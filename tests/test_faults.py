"""One bad BAM never costs a cohort its report: a BAM that cannot be read becomes a
not_evaluable row with the fault and the fix, and everything else completes."""
import json
import shutil
import subprocess
import sys

import pandas as pd
import pysam
import pytest

from ikzf1cnv.core import annotation, errors
from ikzf1cnv.stages import coverage as coverage_stage, reference as reference_stage

BAD = ("T03", "T04", "T05")


def bad_bams(root, d):
    """T03 cut short (the first 300 kB, its index copied: a failed copy), T04 with a header
    and no reads, T05 aligned to hg19 (the toy is hg38)."""
    src = root / "resources" / "toy" / "bams"
    d.mkdir(parents=True, exist_ok=True)
    (d / "T03.bam").write_bytes((src / "T03.bam").read_bytes()[:300_000])
    shutil.copy(src / "T03.bam.csi", d / "T03.bam.csi")
    with pysam.AlignmentFile(str(src / "T04.bam")) as i, pysam.AlignmentFile(str(d / "T04.bam"), "wb",
                                                                            header=i.header):
        pass
    pysam.index("-c", str(d / "T04.bam"))
    hg19 = annotation.load_contigs(root / "resources", "hg19")
    header = {"HD": {"VN": "1.6", "SO": "coordinate"}, "SQ": [{"SN": c, "LN": n} for c, n in hg19.items()]}
    with pysam.AlignmentFile(str(d / "T05.bam"), "wb", header=header) as fh:
        a = pysam.AlignedSegment(fh.header)
        a.query_name, a.reference_id, a.reference_start = "r1", 6, 50_300_000
        a.mapping_quality, a.cigartuples, a.query_sequence = 60, [(0, 100)], "A" * 100
        fh.write(a)
    pysam.index(str(d / "T05.bam"))
    return {s: str(d / f"{s}.bam") for s in BAD}


def run(root, sheet: pd.DataFrame, out, *extra, check=True):
    sheet.to_csv(out.parent / f"{out.name}.tsv", sep="\t", index=False)
    cmd = [sys.executable, "-m", "snakemake", "--cores", "2", "--config", f"samples={out.parent / f'{out.name}.tsv'}",
           f"outdir={out}", *extra]
    p = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
    if check and p.returncode:
        raise AssertionError(p.stdout[-3000:] + p.stderr[-3000:])
    return p


@pytest.mark.workflow
def test_bad_bams_are_not_evaluable_and_the_rest_equals_a_clean_run(root, tmp_path, toy_run):
    """The three bad BAMs are tumours', so the reference (the normals) is the clean run's: every
    other sample's row equals the uninterrupted toy run's (the clean run of the same sheet)."""
    sheet = pd.read_csv(root / "config" / "samples.tsv", sep="\t", dtype=str, keep_default_na=False)
    sheet["bam"] = [str(root / b) for b in sheet["bam"]]
    bad = bad_bams(root, tmp_path / "bad")
    mixed = sheet.assign(bam=[bad.get(s, b) for s, b in zip(sheet["sample"], sheet["bam"])])
    run(root, mixed, tmp_path / "mixed")
    got = pd.read_csv(tmp_path / "mixed" / "cohort" / "ikzf1_calls.tsv", sep="\t", dtype=str, keep_default_na=False)
    want = pd.read_csv(toy_run / "cohort" / "ikzf1_calls.tsv", sep="\t", dtype=str, keep_default_na=False)
    want = want[~want["sample"].isin(BAD)].reset_index(drop=True)
    assert len(want) == 11
    good = got[~got["sample"].isin(BAD)].reset_index(drop=True)
    pd.testing.assert_frame_equal(good, want)                       # every good sample's calls, every column
    bad_rows = got.set_index("sample").loc[list(BAD)]
    assert (bad_rows["status"] == "not_evaluable").all() and (bad_rows["ikzf1plus"] == "NA").all()
    qc = bad_rows["qc"]
    assert "T03.bam" in qc["T03"] and "truncated" in qc["T03"] and "Fix:" in qc["T03"]
    assert "T04.bam holds no reads" in qc["T04"] and "Fix:" in qc["T04"]
    assert "hg19" in qc["T05"] and "Fix:" in qc["T05"]
    html = (tmp_path / "mixed" / "cohort" / "report.html").read_text()
    assert all(f"{s} (fail:" in html for s in BAD)                  # the report's QC box names each, with its reason
    assert (tmp_path / "mixed" / "multiqc" / "multiqc_report.html").stat().st_size > 10_000
    logs = "".join(p.read_text() for p in (tmp_path / "mixed" / "logs" / "coverage").glob("*.log"))
    assert all(f"{s}: not evaluable: sample '{s}': {bad[s]}" in logs for s in BAD)   # the log names sample and file


@pytest.mark.workflow
def test_on_sample_error_stop_stops_at_the_bad_bam(root, tmp_path):
    sheet = pd.read_csv(root / "config" / "samples.tsv", sep="\t", dtype=str, keep_default_na=False)
    sheet["bam"] = [str(root / b) for b in sheet["bam"]]
    bad = bad_bams(root, tmp_path / "bad")
    sheet.loc[sheet["sample"] == "T03", "bam"] = bad["T03"]
    p = run(root, sheet, tmp_path / "stop", "on_sample_error=stop", check=False)
    assert p.returncode != 0
    assert not (tmp_path / "stop" / "cohort" / "ikzf1_calls.tsv").exists()
    logs = "".join(x.read_text() for x in (tmp_path / "stop" / "logs" / "coverage").glob("*.log"))
    assert f"sample 'T03': {bad['T03']}" in logs and "on_sample_error: stop" in logs


def test_failure_reasons_name_the_fault_the_file_and_the_fix():
    r = coverage_stage.failure_reason("S1", "/x/S1.bam", OSError("no BGZF EOF marker; file may be truncated"))
    assert r.startswith("sample 'S1': /x/S1.bam is truncated or corrupt") and "samtools quickcheck" in r
    r = coverage_stage.failure_reason("S1", "/x/S1.bam", ValueError("something odd"))
    assert "could not be read (ValueError: something odd)" in r and "Fix:" in r
    e = errors.InputError("sample 'S1': /x/S1.bam is not coordinate-sorted. Fix: samtools sort")
    assert coverage_stage.failure_reason("S1", "/x/S1.bam", e) == str(e)      # the check's own message, as it is


def test_reference_leaves_out_normals_whose_bam_failed(tmp_path):
    info = []
    for n, err in (("N1", None), ("N2", "sample 'N2': truncated"), ("N3", None)):
        p = tmp_path / f"{n}.bam.json"
        p.write_text(json.dumps({"error": err} if err else {"read_length": 100}))
        info.append(str(p))
    names = ["N1", "N2", "N3"]
    job = reference_stage.ReferenceJob.from_names({
        "sample": names, "target_coverage": [f"c/{n}.targetcoverage.cnn" for n in names],
        "antitarget_coverage": [f"c/{n}.antitargetcoverage.cnn" for n in names], "bam_info": info,
        "target_bins": "t", "antitarget_bins": "a", "prebuilt": [], "fasta": [], "rules": "r", "par_regions": "p",
        "mode": "pooled", "genome": "hg38", "edge": False, "n_components": 0, "spread_prior_df": 0, "cohort_trim": 0,
        "cohort_window": 0, "exons": "e", "arms": "a", "cohort_min_tumours": 3, "cohort_above_z": 4.0,
        "cohort_above_min": 0.25, "min_arm_bins": 10, "cnn": "o", "info": "i", "denoise": "d"})
    u = reference_stage.usable(job)
    assert u.mode == "pooled" and [m.sample for m in u.members] == ["N1", "N3"]
    assert [m.antitarget_coverage for m in u.members] == ["c/N1.antitargetcoverage.cnn", "c/N3.antitargetcoverage.cnn"]
    only_bad = reference_stage.usable(__import__("dataclasses").replace(job, members=job.members[1:2]))
    assert only_bad.mode == "flat" and only_bad.members == ()        # no usable normal: a flat reference


def data_files(out):
    """The run's data outputs (not logs, benchmarks, the report's or MultiQC's HTML)."""
    keep = ("cohort/ikzf1_calls.tsv", "cohort/frequencies.tsv", "reference/reference.cnn", "reference/denoise.tsv")
    return sorted([*keep, *(str(p.relative_to(out)) for p in (out / "samples").glob("*/*") if p.suffix in (".tsv", ".json")),
                   *(str(p.relative_to(out)) for p in (out / "coverage").glob("*") if p.suffix in (".cnn", ".tsv"))])


def no_partial_file_under_a_final_name(out):
    """Every table and JSON under `out` is whole: JSON parses, text tables end with a newline
    and have as many fields on each line as in their header."""
    for p in out.rglob("*"):
        if not p.is_file() or p.suffix == ".partial" or "logs" in p.parts or ".snakemake" in p.parts:
            continue
        if p.suffix == ".json":
            json.loads(p.read_text())
        elif p.suffix in (".tsv", ".cnn", ".bed") and p.stat().st_size:
            text = p.read_text()
            assert text.endswith("\n"), p
            lines = [x for x in text.splitlines() if not x.startswith("#")]
            assert len({len(x.split("\t")) for x in lines}) <= 1, p


@pytest.mark.workflow
@pytest.mark.parametrize("step", ["coverage", "call"])
def test_a_killed_run_resumes_to_the_same_bytes(root, tmp_path, toy_run, step):
    """SIGKILL to Snakemake and its jobs while a `step` batch is half done, then the README's
    recovery (--unlock, then the same command with --rerun-incomplete): every data output
    equals an uninterrupted run's, byte for byte, and nothing partial was ever left under a
    final name."""
    import os
    import signal
    import time
    out = tmp_path / "k"
    cmd = [sys.executable, "-m", "snakemake", "--cores", "2", "--config", f"outdir={out}"]
    p = subprocess.Popen(cmd, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    t0 = time.time()
    try:
        while time.time() - t0 < 600:       # until one sample of a `step` batch is done and the batch goes on
            logs = list((out / "logs" / step).glob("*.log")) if (out / "logs" / step).is_dir() else []
            if any("[1/" in x.read_text() and "done" in x.read_text() for x in logs):
                break
            assert p.poll() is None, "the run finished before it could be killed"
            time.sleep(0.2)
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
    finally:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
    assert not (out / "cohort" / "ikzf1_calls.tsv").exists()
    no_partial_file_under_a_final_name(out)
    subprocess.run([*cmd, "--unlock"], cwd=root, check=True, capture_output=True)
    r = subprocess.run([*cmd, "--rerun-incomplete"], cwd=root, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    files = data_files(toy_run)
    assert len(files) > 60 and files == data_files(out)
    for f in files:
        assert (out / f).read_bytes() == (toy_run / f).read_bytes(), f
    no_partial_file_under_a_final_name(out)


def test_atomic_writes_leave_nothing_when_the_writer_fails(tmp_path):
    from ikzf1cnv.core import files
    path = tmp_path / "t.tsv"
    with pytest.raises(RuntimeError):
        with files.atomic(path) as tmp:
            open(tmp, "w").write("half a ta")
            raise RuntimeError("killed")
    assert list(tmp_path.iterdir()) == []               # neither the final name nor the partial file
    files.write_text(path, "a\tb\n")
    assert path.read_text() == "a\tb\n" and list(tmp_path.iterdir()) == [path]
