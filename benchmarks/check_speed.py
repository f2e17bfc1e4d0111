"""How fast `soapgen check` answers on a full corpus (issue 5). Run on demand, not from the tests:

    python benchmarks/check_speed.py                 # best of 5
    python benchmarks/check_speed.py --repeat 9 --keep

What it does:

1. builds a project in a temporary folder: ``specs/superoffice/Services88`` is a copy of the
   whole ``../shared/corpus/superoffice-mintlify/Services88`` (every agent), plus this
   checkout's templates and a ``pyproject.toml`` with ``[tool.soapgen]``;
2. runs ``soapgen generate`` once (a subprocess). soapgen caches black's output on disk; the
   benchmark points ``SOAPGEN_CACHE`` at an empty folder of its own, so this run formats every
   module (a minute or two) and the figures do not depend on the machine's cache
   (``--user-cache`` uses the usual one);
3. times ``soapgen check`` on the unchanged tree, in-process (``generator.cli.main``) and as a
   subprocess (``python -m generator check``, so interpreter start and imports count), best of
   N each; both must exit 0;
4. touches one page's mtime only (still fresh: the manifest holds content hashes), then changes
   one byte of one page and times ``check`` once more: it must exit 1 and, because a stale
   check renders everything in memory to list what would change, that run costs about as much
   as a generate.

The checkout's generator is used (:mod:`soapgen_checkout`), whatever soapgen is installed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import soapgen_checkout

_MAIN = "from soapgen.cli import main; raise SystemExit(main(sys.argv[1:]))"

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "superoffice-mintlify" / "Services88"

PYPROJECT = """\
[tool.soapgen]
specs = "specs"
output = "generated"
"""


def build(project: Path, corpus: Path) -> int:
    shutil.copytree(corpus, project / "specs" / "superoffice" / "Services88")
    (project / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    return sum(1 for p in (project / "specs").rglob("*") if p.is_file())


def spawn(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = soapgen_checkout.child_env(ROOT)
    return subprocess.run(
        [sys.executable, "-c", soapgen_checkout.child_prelude(ROOT) + _MAIN, *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )


def in_process(project: Path, *args: str) -> tuple[int, str]:
    from soapgen.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main([*args, "--config", str(project / "pyproject.toml")])
    return code, out.getvalue()


def best(repeat: int, fn: Callable[[], int], expect: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        code = fn()
        times.append(time.perf_counter() - t0)
        if code != expect:
            raise SystemExit(f"check exited {code}, expected {expect}")
    return min(times), times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=5, help="samples per timing (best of N)")
    ap.add_argument(
        "--corpus", type=Path, default=CORPUS, help="the Services88 docs folder to copy"
    )
    ap.add_argument(
        "--keep", action="store_true", help="keep the temporary project and print where it is"
    )
    ap.add_argument(
        "--user-cache",
        action="store_true",
        help="use the usual black output cache, not an empty one",
    )
    args = ap.parse_args()
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="soapgen-check-speed-"))
    if not args.user_cache:
        os.environ["SOAPGEN_CACHE"] = str(
            tmp / "black-cache"
        )  # before soapgen.format.formatter is imported
    soapgen_checkout.use(ROOT)
    try:
        project = tmp / "project"
        n_specs = build(project, args.corpus)
        print(f"project: {n_specs} spec files from {args.corpus}")

        t0 = time.perf_counter()
        proc = spawn(project, "generate", "--quiet")
        gen_time = time.perf_counter() - t0
        if proc.returncode != 0:
            print(proc.stdout, proc.stderr, sep="\n")
            raise SystemExit(f"generate exited {proc.returncode}")
        out_files = sum(1 for p in (project / "generated").rglob("*") if p.is_file())
        size = sum(p.stat().st_size for p in (project / "generated").rglob("*") if p.is_file())
        cache = "usual black cache" if args.user_cache else "empty black cache"
        print(
            f"soapgen generate (subprocess, once, {cache}): {gen_time:.1f}s -> {out_files} files, {size / 1e6:.1f} MB"
        )

        t0 = time.perf_counter()
        code, text = in_process(project, "check")
        first = time.perf_counter() - t0
        if code != 0:
            raise SystemExit(f"check on the fresh tree exited {code}:\n{text}")
        print(f"soapgen check, in-process, first call (imports included): {first * 1000:.0f} ms")
        b, times = best(args.repeat, lambda: in_process(project, "check")[0], 0)
        print(
            f"soapgen check, in-process, best of {args.repeat}: {b * 1000:.0f} ms"
            f"  (all: {', '.join(f'{t * 1000:.0f}' for t in times)} ms)"
        )
        b, times = best(args.repeat, lambda: spawn(project, "check").returncode, 0)
        print(
            f"soapgen check, subprocess, best of {args.repeat}: {b * 1000:.0f} ms"
            f"  (all: {', '.join(f'{t * 1000:.0f}' for t in times)} ms)"
        )
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], capture_output=True)
        print(f"  (a bare `python -c pass` here: {(time.perf_counter() - t0) * 1000:.0f} ms)")

        page = sorted((project / "specs").rglob("*.md"))[
            len(list((project / "specs").rglob("*.md"))) // 2
        ]
        rel = page.relative_to(project).as_posix()
        os.utime(page)
        b, _ = best(1, lambda: in_process(project, "check")[0], 0)
        print(f"after touching the mtime of {rel}: still fresh, {b * 1000:.0f} ms")

        page.write_bytes(page.read_bytes() + b"\n")
        t0 = time.perf_counter()
        code, text = in_process(project, "check")
        stale = time.perf_counter() - t0
        if code != 1:
            raise SystemExit(f"check after a page edit exited {code}, expected 1:\n{text}")
        reason = next(
            (
                line.strip()
                for line in text.splitlines()
                if line.strip().startswith("input changed")
            ),
            "?",
        )
        print(
            f"after one byte more in {rel}: exit 1 ({reason}) in {stale:.1f}s (in-process; renders in memory)"
        )
        t0 = time.perf_counter()
        proc = spawn(project, "check")
        print(
            f"  the same as a subprocess: exit {proc.returncode} in {time.perf_counter() - t0:.1f}s"
        )
        if args.keep:
            print(f"kept {project}")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
