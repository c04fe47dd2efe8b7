#!/usr/bin/env python3
"""Calibrate the exon caller's evidence threshold against its false-positive rate.

Under the null (no event, exon log2 ~ N(0, se)) the model calls an event in a gene of n
exon units with a probability that falls as the switch penalty rises and grows with n.
This script measures it by Monte Carlo (deterministic seed, ikzf1cnv.calibrate) for each
window size n, and writes the smallest penalty whose false-positive rate per window is at
most each target rate:

    python scripts/calibrate_penalty.py --out resources/penalty_calibration.tsv

The caller reads the table (config caller.false_positive_rate) and takes the penalty for
the window's number of positions (next larger n in the table).
"""
import argparse
import sys
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow"))

from ikzf1cnv.caller.calibrate import calibration_table

# window sizes (positions: exon units, intronic, flanking and off-target bins of a gene's window)
NS = [2, 4, 8, 12, 20, 30, 40, 60, 80, 120, 160, 240, 320, 480, 640, 1000, 1500, 2000]
RATES = [0.01, 0.001]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "resources" / "penalty_calibration.tsv")
    ap.add_argument("--draws", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rows = calibration_table(NS, RATES, a.draws, a.seed)
    with open(a.out, "w") as fh:
        fh.write("# switch penalty at which the per-window false-positive rate under the null is fp_rate, for a\n")
        fh.write("# window of n_units positions; Huber costs (k = 3), cell fractions 0.05-1;\n")
        fh.write(f"# Monte Carlo, {a.draws} draws per n (scripts/calibrate_penalty.py, seed {a.seed})\n")
        fh.write("n_units\tfp_rate\tswitch_penalty\n")
        for n, r, pen in rows:
            fh.write(f"{n}\t{r:g}\t{pen:.2f}\n")


if __name__ == "__main__":
    main()
