#!/usr/bin/env python3
"""A PNG of a report page as headless Chromium draws it (the README's picture of a patient
page):

    snakemake --cores 2                                   # the toy cohort into results/
    python scripts/report_screenshot.py results/samples/T01/report.html docs/patient_page.png

Needs Chromium on PATH (Debian: apt-get install chromium); drives it with tests/headless.py.
"""
import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import headless  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("page", help="an HTML report")
    ap.add_argument("png", help="where to write the PNG")
    ap.add_argument("--width", type=int, default=820, help="CSS pixels (default 820)")
    a = ap.parse_args()
    with headless.Browser() as b:
        page = b.open(a.page)
        if page.errors:
            sys.exit(f"{a.page}: {page.errors}")
        Path(a.png).write_bytes(page.screenshot(a.width))
        page.close()
    print(f"{a.png}: {Path(a.png).stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
