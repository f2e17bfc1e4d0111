"""Determinism: the same specs give the same bytes, whatever the hash seed and the order in
which the file system lists them.

Each run is a fresh interpreter (PYTHONHASHSEED differs) generating the whole specs/ tree from a
copy made in its own file order (sorted, reverse, shuffled), with ``os.scandir``/``os.listdir``
answering in a shuffled order as well. The outputs, file names and bytes, and the diagnostics
must be identical.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from soapgen.core import ir
from soapgen.core.diagnostics import Collector
from soapgen.pipeline.run import read_ir

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"

DRIVER = r"""
import hashlib, json, os, random, sys

order = sys.argv[3]
if order != "sorted":  # every directory listing answers in a shuffled order
    rng = random.Random(order)
    real_scandir, real_listdir = os.scandir, os.listdir

    class _Listing:
        def __init__(self, entries):
            self.entries = iter(entries)
        def __iter__(self):
            return self
        def __next__(self):
            return next(self.entries)
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            return False
        def close(self):
            pass

    def scandir(path="."):
        with real_scandir(path) as it:
            entries = list(it)
        rng.shuffle(entries)
        return _Listing(entries)

    def listdir(path="."):
        names = real_listdir(path)
        rng.shuffle(names)
        return names

    os.scandir, os.listdir = scandir, listdir

from soapgen.config.project import load
from soapgen.pipeline.run import generate

config = load(sys.argv[1], {"specs": sys.argv[2], "output": os.path.join(sys.argv[2], "..", "unused-output")})
result = generate(config)
h = hashlib.sha256()
for rel in sorted(result.files):
    h.update(rel.encode() + b"\0" + result.files[rel] + b"\0")
diags = [d.format().replace(sys.argv[2], "<specs>") for d in result.diags.items]
print(json.dumps({"files": len(result.files), "digest": h.hexdigest(), "diags": diags, "inputs": len(result.inputs)}))
"""


def copy_tree(src: Path, dst: Path, order: str) -> None:
    """Copy src to dst creating files (and folders) in the given order: file systems that list
    entries in creation order then list them differently."""
    files = sorted(p for p in src.rglob("*") if p.is_file())
    if order == "reverse":
        files.reverse()
    elif order != "sorted":
        random.Random(order).shuffle(files)
    for path in files:
        target = dst / path.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def run(tmp: Path, seed: str, order: str) -> dict[str, object]:
    specs = tmp / f"specs-{seed}-{order}"
    copy_tree(SPECS, specs, order)
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", DRIVER, str(ROOT / "pyproject.toml"), str(specs), order],
        cwd=tmp,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result: dict[str, object] = json.loads(proc.stdout.splitlines()[-1])
    return result


def test_same_bytes_across_hash_seeds_and_file_orders(tmp_path: Path) -> None:
    runs = [
        run(tmp_path, "0", "sorted"),
        run(tmp_path, "1", "reverse"),
        run(tmp_path, "4242", "shuffled-7"),
    ]
    first = runs[0]
    assert isinstance(first["files"], int) and first["files"] > 50 and first["inputs"]
    for other in runs[1:]:
        assert other["files"] == first["files"]
        assert other["diags"] == first["diags"]
        assert other["digest"] == first["digest"]


def test_ir_does_not_depend_on_the_order_files_are_named(tmp_path: Path) -> None:
    """read_ir given the same files in other orders (and folders listed twice) builds the same IR."""
    files = sorted(str(p) for p in (SPECS / "superoffice").rglob("*.md"))
    baseline = None
    for seed in range(3):
        shuffled = list(files)
        random.Random(seed).shuffle(shuffled)
        diags = Collector()
        versions, _, read = read_ir(shuffled + shuffled[:5], str(SPECS), diags)
        dump = json.dumps([ir.to_json_obj(v) for _, v in versions], sort_keys=True)
        state = (hashlib.sha256(dump.encode()).hexdigest(), [d.format() for d in diags.items], read)
        if baseline is None:
            baseline = state
        assert state == baseline


@pytest.mark.parametrize("order", ["reverse", "shuffled-3"])
def test_copy_order_does_not_change_what_is_read(tmp_path: Path, order: str) -> None:
    """The loader lists a tree the same way whatever order its files were created in."""
    from soapgen.read.load import list_files

    a, b = tmp_path / "a", tmp_path / "b"
    copy_tree(SPECS, a, "sorted")
    copy_tree(SPECS, b, order)
    assert [os.path.relpath(p, a) for p in list_files(str(a))] == [
        os.path.relpath(p, b) for p in list_files(str(b))
    ]
