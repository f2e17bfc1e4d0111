"""Docs without a WSDL: types inferred from the samples' xsi:type, then the full round trip."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from soapgen import ir
from soapgen.config import Config
from soapgen.diagnostics import Collector
from soapgen.pipeline import generate, read_ir

ROOT = Path(__file__).resolve().parents[1]


def _pages_only(tmp_path: Path) -> Path:
    specs = tmp_path / "specs" / "superoffice" / "Services86"
    shutil.copytree(ROOT / "specs" / "superoffice" / "Services86" / "Report", specs / "Report")
    return tmp_path / "specs"


def test_inferred_service_is_marked_and_typed(tmp_path: Path) -> None:
    specs = _pages_only(tmp_path)
    diags = Collector()
    versions, _, _ = read_ir([str(specs)], str(specs), diags)
    assert not diags.has_errors
    assert "INFER001" in {d.code for d in diags.items}
    ((_, version),) = versions
    (svc,) = version.services
    assert svc.inferred and svc.name == "Report" and len(svc.operations) == 13
    types = {ir.local_name(t.name): t for t in svc.types}
    entity = types["ReportEntity"]
    assert isinstance(entity, ir.ComplexType) and entity.inferred
    assert {f.name: ir.local_name(f.type) for f in entity.fields}["ReportId"] == "int"
    assert isinstance(types["ReportLayout"], ir.EnumType)


def test_inferred_client_passes_its_fixture_tests(tmp_path: Path) -> None:
    specs = _pages_only(tmp_path)
    cfg = Config(
        root=str(tmp_path),
        specs=str(specs),
        output=str(tmp_path / "out"),
    )
    result = generate(cfg)
    assert not result.diags.has_errors
    for rel, data in result.files.items():
        path = tmp_path / "out" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    env = dict(os.environ, PYTHONPATH=str(tmp_path / "out"))
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--import-mode=importlib",
            "-c",
            os.devnull,
            "--rootdir",
            str(tmp_path / "out"),
            str(tmp_path / "out"),
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert (
        " failed" not in proc.stdout and int(proc.stdout.split(" passed")[0].split()[-1]) >= 26
    )  # two per operation
