"""Run the full-corpus conformance suite (tests/conformance) and keep its report.

    python benchmarks/conformance_report.py [--out DIR] [--workers N] [--cold]

Writes DIR/conformance.txt (the summary the suite prints: counts, failures grouped by cause,
documented sample deviations) and DIR/conformance.json (every check of every operation),
and prints the wall time. --cold uses an empty black cache (the first-run cost). Exit code:
pytest's.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--out", default=str(Path(tempfile.gettempdir()) / "soapgen-conformance-report")
    )
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--cold", action="store_true", help="start from an empty black cache")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    env = dict(
        os.environ,
        CONFORMANCE_REPORT=str(out / "conformance.txt"),
        CONFORMANCE_WORKERS=str(args.workers),
    )
    if args.cold:
        env["SOAPGEN_CACHE"] = tempfile.mkdtemp(prefix="soapgen-cold-cache-")
    t0 = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-m",
            "conformance",
            "tests/conformance",
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    elapsed = time.perf_counter() - t0
    tail = [line for line in proc.stdout.splitlines() if line.strip()][-1:]
    print(f"{tail[0] if tail else ''}\nwall time {elapsed:.0f}s; report: {out / 'conformance.txt'}")
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
