"""The whole-genome performance benchmark's logic (benchmarks/perf/genome.py), nothing timed:
its cohort (distinct genomes, truths that agree with their events, a sample sheet the
workflow accepts), the commands and config it runs, and the results it assembles."""
import hashlib
import sys

import pandas as pd
import pytest
import yaml

from ikzf1cnv.inputs import bam as bam_check, sheet as sheet_check


@pytest.fixture(scope="module")
def perf(root):
    sys.path.insert(0, str(root / "benchmarks" / "perf"))
    import genome
    return genome


def test_the_cohort_is_16_distinct_tumours_and_6_normals_of_both_sexes(perf):
    spec = perf.cohort_spec(16, 6)
    s = pd.DataFrame(spec["samples"])
    assert s["sample"].is_unique and len(s) == 22
    assert (s["type"] == "normal").sum() == 6
    for kind in (s["type"] == "normal", s["type"] != "normal"):
        assert set(s.loc[kind, "sex"]) == {"female", "male"}
    assert spec["mode"] == "genome" and spec["backbone_spacing"] == perf.DEFAULT_BACKBONE
    b = perf.toy.load_build(spec["build"])
    truths = [perf.toy.truth_of(x, b) for x in spec["samples"] if x.get("type") != "normal"]  # geometry-checked
    assert {t["ikzf1_deletion"] for t in truths} >= {"del4-7", "del2-3", "del1-8", "del2-7", "del4-8", "none"}
    assert {t["ikzf1plus"] for t in truths} == {"yes", "no"}
    cf = sorted(float(t["ikzf1_cell_fraction"]) for t in truths if t["ikzf1_cell_fraction"] != "NA")
    assert cf[0] < 0.3 and cf[-1] >= 0.9                       # subclones and clonal losses
    # the co-deletions the cohorts carry
    assert {g for t in truths for g in perf.toy.GENES if t[g] != "none"} >= {"CDKN2A", "PAX5", "PAR1", "ERG", "ETV6"}


def test_a_shallow_cohort_writes_distinct_bams_and_a_sheet_the_workflow_accepts(perf, root, tmp_path):
    # the benchmark's generation path end to end, at 0.05x so that it takes seconds
    spec = perf.cohort_spec(2, 2)
    for s in spec["samples"]:
        s["depth"] = 0.05
    sheet = perf.simulate_cohort(tmp_path / "cohort", spec, 1)
    schema = yaml.safe_load((root / "workflow" / "schemas" / "samples.schema.yaml").read_text())
    df = sheet_check.load_sample_sheet(sheet, schema)               # files exist, indexed, columns valid
    assert list(df.index) == ["WN01", "WN02", "WT01", "WT02"]
    bams = perf.read_sheet(sheet)["bam"].tolist()
    assert len({hashlib.md5(open(b, "rb").read()).hexdigest() for b in bams}) == 4
    assert perf.ensure_bai(bams, 1) == [b + ".bai" for b in bams]     # CNVkit's index, made before timing
    assert all(bam_check.index_of(b) == b + ".bai" for b in bams)          # and the one the workflow reads
    truth = pd.read_csv(tmp_path / "cohort" / "truth.tsv", sep="\t", comment="#", dtype=str)
    assert truth["sample"].tolist() == ["WT01", "WT02"]
    assert yaml.safe_load((tmp_path / "cohort" / "spec.yaml").read_text())["samples"][2]["sample"] == "WT01"


def test_cnvkit_gets_the_normals_as_its_reference_and_the_contigs_as_access(perf, tmp_path):
    sheet = pd.DataFrame({"sample": ["N1", "T1", "T2"], "bam": ["/x/N1.bam", "/x/T1.bam", "/x/T2.bam"],
                          "type": ["normal", "tumor", "tumor"]})
    acc = perf.access_bed({"chr1": 1000, "chrX": 500}, tmp_path / "access.bed")
    assert acc.read_text() == "chr1\t0\t1000\nchrX\t0\t500\n"
    assert perf.cnvkit_bin_size(30) == 1667                   # autobin: 50,000 bp per bin / depth
    cmd = perf.cnvkit_command(sheet, acc, 1667, 2, tmp_path / "ck", "grch38")
    assert cmd[:5] == ["cnvkit.py", "batch", "/x/T1.bam", "/x/T2.bam", "--normal"]
    assert cmd[cmd.index("--normal") + 1] == "/x/N1.bam" and cmd[cmd.index("--normal") + 2].startswith("--")
    for opt, val in (("--method", "wgs"), ("-p", "2"), ("--access", str(acc)), ("--target-avg-size", "1667"),
                     ("--segment-method", "haar"), ("--diploid-parx-genome", "grch38")):
        assert cmd[cmd.index(opt) + 1] == val
    assert "--target-avg-size" not in perf.cnvkit_command(sheet, acc, None, 2, tmp_path / "ck", "grch38")


def test_the_workflow_runs_whole_genome_mode_at_the_default_backbone(perf, tmp_path):
    cfg = perf.ikzf1cnv_config(tmp_path / "s.tsv", tmp_path / "out", "hg38", perf.DEFAULT_BACKBONE)
    assert cfg["targets"] is None and "wgs" not in cfg        # the schema's wgs defaults
    assert perf.ikzf1cnv_config(tmp_path / "s.tsv", tmp_path / "out", "hg38", 5_000_000)["wgs"] == \
        {"backbone_spacing": 5_000_000}


def test_results_compare_cnvkit_with_the_slower_ikzf1cnv_run(perf):
    rt = pd.DataFrame({"stage": ["call", "bins", "coverage", "reference"], "jobs": [2, 1, 4, 1],
                       "mean_s": [3.0, 1.0, 20.0, 5.0], "total_s": [6.0, 1.0, 80.0, 5.0],
                       "peak_mb": [200.0, 150.0, 150.0, 270.0]}).set_index("stage")
    stages = perf.ikzf1cnv_stages(rt, 20)
    assert [r["stage"] for r in stages] == ["bins", "coverage", "reference", "call"]   # the workflow's order
    assert stages[1]["per_sample_s"] == 4.0 and stages[0]["per_sample_s"] == ""
    load = {"loadavg_before": "1.0 1.0 1.0", "loadavg_after": "1.5 1.0 1.0"}
    wf = [dict(wall_s=100.0, cpu_s=150.0, peak_mb=270, stages=stages, **load),
          dict(wall_s=120.0, cpu_s=160.0, peak_mb=270, stages=stages, **load)]
    ck = [dict(label="1,667 bp bins", bin_size=1667, n_bins=1_860_000, wall_s=1200.0, cpu_s=2300.0, peak_mb=900,
               command=["cnvkit.py", "batch", "/x/T1.bam"], phases=[{"phase": "reference", "s": 500.0, "note": ""}],
               **load)]
    cohort = {"dir": "/c", "bams": 22, "tumours": 16, "normals": 6, "female": 11, "male": 11, "depth": "28-32",
              "backbone_spacing": 1_000_000, "mean_reads": 8_000_000, "mean_bam_mb": 46.0, "ikzf1cnv_bins": "8,610"}
    r = perf.summarise(cohort, wf, ck, {"wall_s": 20.0, "reads": [1, 2], **load}, 2, {"targets": None})
    assert r["ikzf1cnv"]["wall_s"] == 120.0 and r["speedup"] == 10.0 and r["cnvkit_runs"][0]["over_floor"] == 60.0
    assert r["ikzf1cnv_over_floor"] == 6.0 and "reads" not in r["floor"]
    md = perf.render(r)
    assert "| `cnvkit.py batch --method wgs`, 1,667 bp bins | 1,860,000 | 1200.0 | 2300.0 | 900 | 10.0x |" in md
    assert "| ikzf1-cnv, whole-genome mode (2 of 2) | 8,610 | 120.0 |" in md
    assert "1.0 1.0 1.0 -> 1.5 1.0 1.0" in md and "cnvkit.py batch T1.bam" in md


def test_cnvkit_runs_reused_from_an_earlier_run_of_the_same_cohort_say_so(perf, tmp_path):
    prev = {"cohort": {"dir": str(tmp_path / "c")}, "machine": {"date": "2026-11-24 17:50", "commit": "abc1234"},
            "cnvkit_runs": [{"label": "1,667 bp bins", "wall_s": 1500.0, "speedup": 5.0, "over_floor": 70.0}]}
    (tmp_path / "c").mkdir()
    p = tmp_path / "prev.json"
    p.write_text(__import__("json").dumps(prev))
    runs = perf.reused_cnvkit(p, (tmp_path / "c").resolve())
    assert runs == [{"label": "1,667 bp bins (reused: measured 2026-11-24 17:50, commit abc1234)", "wall_s": 1500.0}]
    with pytest.raises(SystemExit, match="not"):
        perf.reused_cnvkit(p, tmp_path / "other")
