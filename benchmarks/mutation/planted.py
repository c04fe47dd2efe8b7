"""A test of the tests: the three bugs issue 22 planted, each planted again in a copy of the
project, must each fail unit tests that passed on the unplanted copy.

    python benchmarks/mutation/planted.py            # about a minute on 2 cores

  missing_is_normal  model.fit reads a position without data as log2 0 (normal) instead of
                     no evidence: a del4-7 with exon 6 missing splits (0,0,0,1,1,0,1,0)
  penalty_off_by_one CallerParams.model_for takes `<` for `<=`: an 8-position window gets
                     the penalty calibrated for 12
  pair_window_short  cluster_pairs stops looking for members 50 bp short of its window

Each is a text substitution that must match exactly once (when the code has moved on, the
script says so instead of passing). Nothing here runs in CI; the unit tests it names do.
Exit status 0 when every plant is caught (and the same tests pass on the clean copy).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PLANTS = {
    "missing_is_normal": (
        "workflow/ikzf1cnv/caller/model.py",
        "    l = np.asarray(log2, dtype=float)\n",
        "    l = np.nan_to_num(np.asarray(log2, dtype=float), nan=0.0)\n",
        ["tests/test_model.py::test_missing_exons_carry_no_evidence",
         "tests/test_properties.py::test_a_missing_position_changes_nothing_but_its_own_evidence",
         "tests/test_properties.py::test_fit_is_the_best_of_every_path_at_every_cell_fraction"]),
    "penalty_off_by_one": (
        "workflow/ikzf1cnv/caller/params.py",
        "            if n_units <= n:\n",
        "            if n_units < n:\n",
        ["tests/test_calling.py::test_a_window_takes_the_tabulated_penalty_of_its_size_or_the_next_larger",
         "tests/test_properties.py::test_a_window_takes_the_penalty_of_the_smallest_tabulated_size_that_holds_it",
         "tests/test_calling.py::test_calibrated_penalty_grows_with_gene_size_and_stricter_rate"]),
    "pair_window_short": (
        "workflow/ikzf1cnv/reads/junction_reads.py",
        "bisect.bisect_right(df, (c0, l0 + window, math.inf), i)",
        "bisect.bisect_right(df, (c0, l0 + window - 50, math.inf), i)",
        ["tests/test_junctions.py::test_clustering_thousands_of_chimeras_equals_the_all_pairs_definition",
         "tests/test_junctions.py::test_cluster_pairs_and_merge_with_split_reads",
         "tests/test_properties.py::test_pair_clusters_equal_the_all_pairs_definition"]),
}


def copy_project(dst: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis")
    for name in ("workflow", "tests", "benchmarks", "config"):
        shutil.copytree(ROOT / name, dst / name, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", dst / "pyproject.toml")
    (dst / "resources").symlink_to(ROOT / "resources")
    return dst


def pytest(cwd: Path, tests: list[str]) -> tuple[int, list[str]]:
    """Exit status and the failed tests of `tests` run in the copy (tests/conftest.py puts
    the copy's workflow/ first on sys.path)."""
    p = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "ignore", "-rf",
                        *tests], cwd=cwd, capture_output=True, text=True, env={"HYPOTHESIS_PROFILE": "ci",
                                                                                **_env()})
    failed = [x.split()[1] for x in p.stdout.splitlines() if x.startswith("FAILED ")]
    return p.returncode, failed


def _env():
    import os
    return {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_PROFILE"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("plants", nargs="*", help=f"default: all ({', '.join(PLANTS)})")
    a = ap.parse_args()
    ok = True
    with tempfile.TemporaryDirectory(prefix="ikzf1cnv-planted-") as tmp:
        for name in a.plants or list(PLANTS):
            path, old, new, tests = PLANTS[name]
            d = copy_project(Path(tmp) / name)
            clean_rc, clean_failed = pytest(d, tests)
            f = d / path
            text = f.read_text()
            if text.count(old) != 1:
                print(f"{name}: cannot plant: {old.strip()!r} occurs {text.count(old)} times in {path} "
                      f"(the code has changed: update benchmarks/mutation/planted.py)")
                ok = False
                continue
            f.write_text(text.replace(old, new))
            rc, failed = pytest(d, tests)
            caught = rc == 1 and failed and clean_rc == 0
            ok &= bool(caught)
            print(f"{name}: {path}: {old.strip()!r} -> {new.strip()!r}")
            print(f"  clean copy: {'pass' if clean_rc == 0 else f'FAILS ({clean_failed})'}; planted: "
                  f"{len(failed)} of {len(tests)} tests fail -> {'caught' if caught else 'NOT CAUGHT'}")
            for t in failed:
                print(f"    failed: {t}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
