"""Generator hardening (issue 15): what soapgen reads from a specs folder, and how.

- The manifest holds the sha256 of the bytes generate read, so an input edited while generate
  ran leaves the output stale for check (pages, raw WSDLs, files a WSDL imports, ServiceStack).
- Special files: FIFOs, devices, broken and looping links, links out of the specs folder are
  never opened, each a LOAD004 error (or WSDL004 for a WSDL's import); check never tracebacks.
- Size limits: every kind of input is refused unread over its limit, and the message names it.

Cases that would hang or eat memory without the fix run in a child process with a timeout and
an address-space limit, so that a regression fails instead of stalling the suite.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from soapgen import inputs, write
from soapgen.cli import main
from soapgen.config import Config
from soapgen.diagnostics import Collector, Level
from soapgen.pipeline import Result, generate, read_ir

from soapgen_project import new_project

ROOT = Path(__file__).resolve().parents[1]
ORDERS = ROOT / "tests" / "data" / "wsdl" / "orders"
CORUSON = ROOT / "specs" / "coruson" / "v1"
V86 = Path("specs") / "superoffice" / "Services86"
MB = 1024 * 1024

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX files")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Services86 Report (SuperOffice pages), a raw WSDL importing a schema (orders) and the
    Coruson ServiceStack files, each in its own API folder."""
    new_project(tmp_path)
    shutil.copytree(ORDERS, tmp_path / "specs" / "orders" / "v1")
    shutil.copytree(CORUSON, tmp_path / "specs" / "coruson" / "v1")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(project: Path, *args: str) -> int:
    return main([*args, "--config", str(project / "pyproject.toml")])


def spawn(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """soapgen in a child process: at most 60 s and 3 GB of address space."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (3 * 1024 * MB, 3 * 1024 * MB))

    return subprocess.run(
        [sys.executable, "-m", "soapgen", *args],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limit,
    )


def errors(specs: Path) -> list[tuple[str, str, int, str]]:
    """(code, path relative to specs, line, message) of the error diagnostics reading specs."""
    diags = Collector()
    read_ir([str(specs)], str(specs), diags)
    return [
        (d.code, os.path.relpath(d.file, specs), d.line, d.message)
        for d in diags.items
        if d.level is Level.ERROR
    ]


# --- 1. the manifest hashes what generate read --------------------------------------------

EDITS: dict[str, tuple[str, Callable[[Path], None]]] = {
    "page": (
        f"{V86}/Report/DeleteReport.md",
        lambda p: p.write_bytes(p.read_bytes().replace(b"DeleteReport", b"DeleteReporT", 1)),
    ),
    "raw-wsdl": (
        "specs/orders/v1/orders.wsdl",
        lambda p: p.write_bytes(p.read_bytes() + b"<!-- edited -->\n"),
    ),
    "imported-schema": (
        "specs/orders/v1/common.xsd",
        lambda p: p.write_bytes(p.read_bytes() + b"<!-- edited -->\n"),
    ),
    "servicestack": (
        "specs/coruson/v1/metadata.json",
        lambda p: p.write_bytes(p.read_bytes() + b"\n"),
    ),
}


@pytest.mark.parametrize("kind", sorted(EDITS))
def test_input_edited_while_generate_runs_leaves_check_stale(
    project: Path, monkeypatch: pytest.MonkeyPatch, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rel, edit = EDITS[kind]
    real = generate

    def generate_then_edit(cfg: Config) -> Result:
        result = real(cfg)  # everything is read and rendered ...
        edit(project / rel)  # ... and the input changes before the manifest is written
        return result

    monkeypatch.setattr("soapgen.cli.generate.generate", generate_then_edit)
    assert run(project, "generate", "--quiet") == 0
    monkeypatch.setattr("soapgen.cli.generate.generate", real)
    capsys.readouterr()
    assert run(project, "check", "--quiet") == 1
    assert f"input changed: {rel}" in capsys.readouterr().out
    assert run(project, "generate", "--quiet") == 0
    assert run(project, "check", "--quiet") == 0


def test_a_file_a_wsdl_imports_is_an_input_whatever_its_name(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """common.schema is no spec file by name, but the WSDL reads it: the manifest records it."""
    v1 = project / "specs" / "orders" / "v1"
    (v1 / "common.xsd").rename(v1 / "common.schema")
    wsdl = v1 / "orders.wsdl"
    wsdl.write_bytes(wsdl.read_bytes().replace(b'"common.xsd"', b'"common.schema"'))
    assert run(project, "generate", "--quiet") == 0
    assert run(project, "check") == 0
    schema = v1 / "common.schema"
    schema.write_bytes(schema.read_bytes() + b"<!-- edited -->\n")
    capsys.readouterr()
    assert run(project, "check") == 1
    assert "input changed: specs/orders/v1/common.schema" in capsys.readouterr().out
    schema.unlink()
    assert run(project, "check") == 2


def test_page_changed_between_cache_lookup_and_parse_is_not_cached(
    project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The read cache is keyed by the bytes the key was made from; a page that changes before
    it is parsed must not be stored under the old bytes' key."""
    from soapgen import format as fmt
    from soapgen.sources import superoffice

    monkeypatch.setattr(fmt, "CACHE_DIR", str(tmp_path / "cache"))
    page = project / V86 / "Report" / "DeleteReport.md"
    original = page.read_bytes()
    changed = original.replace(b"DeleteReport", b"DeleteReporT")
    real_load = superoffice.load_file
    seen: list[str] = []

    def load(path: str) -> tuple[bytes | None, list[object]]:
        if path.endswith("DeleteReport.md"):
            seen.append(path)
            if len(seen) == 2:  # the parse sees other bytes than the cache lookup did
                return changed, []
        return real_load(path)  # type: ignore[return-value]

    cfg = Config(root=str(project), specs=str(project / "specs"), output="generated")
    monkeypatch.setattr(superoffice, "load_file", load)
    raced = generate(cfg)
    monkeypatch.setattr(superoffice, "load_file", real_load)
    assert len(seen) == 2
    assert raced.input_hashes[str(page)] == inputs.sha256(changed)  # what was parsed
    warm = generate(cfg).files  # the page holds the original bytes: the cache must not answer
    monkeypatch.setattr(fmt, "CACHE_DIR", str(tmp_path / "cold"))
    assert warm == generate(cfg).files


# --- 2. special files and links -------------------------------------------------------------


def _stale_then_error(project: Path, name: str, capsys: pytest.CaptureFixture[str]) -> str:
    """generate (1) and check (2) refuse with a LOAD004 error naming the entry; no traceback."""
    capsys.readouterr()
    assert run(project, "generate", "--quiet") == 1
    assert run(project, "check", "--quiet") == 2
    out = capsys.readouterr().out
    assert "Traceback" not in out
    line = next(x for x in out.splitlines() if "LOAD004" in x)
    assert name in line and f"{name}: error LOAD004" in line, line
    return line


@pytest.mark.parametrize(
    "target, why",
    [("nowhere.md", "points to nothing"), ("loop.md", "a loop of links")],
)
def test_broken_links_are_errors_not_tracebacks(
    project: Path, capsys: pytest.CaptureFixture[str], target: str, why: str
) -> None:
    assert run(project, "generate", "--quiet") == 0
    report = project / V86 / "Report"
    os.symlink(target, report / "loop.md")
    assert why in _stale_then_error(project, "Report/loop.md", capsys)


def test_fifo_named_like_a_page_is_not_opened(project: Path) -> None:
    assert spawn(project, "generate", "--quiet").returncode == 0
    os.mkfifo(project / V86 / "Report" / "x.md")
    for command, code in (("check", 2), ("generate", 1)):
        done = spawn(project, command, "--quiet")
        assert done.returncode == code, done.stdout + done.stderr
        assert "Report/x.md: error LOAD004 a named pipe (FIFO), not a regular file" in done.stdout


def test_link_to_a_device_is_not_followed(project: Path) -> None:
    assert spawn(project, "generate", "--quiet").returncode == 0
    os.symlink("/dev/zero", project / V86 / "Report" / "zero.md")
    done = spawn(project, "check", "--quiet")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "zero.md: error LOAD004 symbolic link to a file outside the specs folder" in done.stdout


def test_links_inside_the_specs_folder_are_followed(project: Path) -> None:
    """A linked agent folder and a linked page, both resolving inside specs/, read exactly as
    copies would (the real folder lies in a dot folder, which is not read by itself)."""
    assert run(project, "generate", "--quiet") == 0
    plain = {k: write.sha256_file(v) for k, v in write.output_files("generated").items()}
    shared = project / "specs" / ".shared"
    shared.mkdir()
    report = project / V86 / "Report"
    report.rename(shared / "Report")
    os.symlink("../../.shared/Report", report)
    page = report / "DeleteReport.md"
    (shared / "DeleteReport.md").write_bytes(page.read_bytes())
    page.unlink()
    os.symlink("../DeleteReport.md", shared / "Report" / "DeleteReport.md")
    assert errors(project / "specs") == []
    assert run(project, "check", "--quiet") == 0
    assert run(project, "generate", "--quiet") == 0
    linked = {k: write.sha256_file(v) for k, v in write.output_files("generated").items()}
    assert linked == plain


def test_links_out_of_the_specs_folder_are_errors(
    project: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path_factory.mktemp("outside")
    report = project / V86 / "Report"
    shutil.copytree(report, outside / "Report")
    shutil.rmtree(report)
    os.symlink(outside / "Report", report)  # a linked agent folder: was skipped silently
    os.symlink(outside / "Report" / "DeleteReport.md", project / V86 / "Stray.md")  # was read
    found = errors(project / "specs")
    assert [(c, p, line) for c, p, line, _ in found] == [
        ("LOAD004", f"superoffice/Services86/{name}", 0) for name in ("Report", "Stray.md")
    ]
    assert "symbolic link to a folder outside the specs folder" in found[0][3]
    assert "symbolic link to a file outside the specs folder" in found[1][3]
    _stale_then_error(project, "Services86/Report", capsys)


def test_folder_link_looping_back_is_an_error(project: Path) -> None:
    os.symlink("..", project / V86 / "Report" / "again")
    found = errors(project / "specs")
    assert [(c, p) for c, p, _, _ in found] == [("LOAD004", "superoffice/Services86/Report/again")]
    assert "loops back" in found[0][3]


def test_fifo_a_wsdl_imports_is_not_opened(project: Path) -> None:
    """common.schema (no spec suffix, so only the WSDL's import reaches it) is a FIFO."""
    v1 = project / "specs" / "orders" / "v1"
    (v1 / "common.xsd").unlink()
    os.mkfifo(v1 / "common.schema")
    wsdl = v1 / "orders.wsdl"
    wsdl.write_bytes(wsdl.read_bytes().replace(b'"common.xsd"', b'"common.schema"'))
    done = spawn(project, "generate", "--quiet")
    assert done.returncode == 1, done.stdout + done.stderr
    assert (
        "error WSDL004 cannot read imported file 'common.schema': a named pipe (FIFO),"
        " not a regular file; not read" in done.stdout
    )


def test_generated_file_replaced_by_a_fifo(project: Path) -> None:
    """check compares the output without opening the FIFO; generate replaces it."""
    assert spawn(project, "generate", "--quiet").returncode == 0
    init = project / "generated" / "superoffice" / "services86" / "__init__.py"
    init.unlink()
    os.mkfifo(init)
    done = spawn(project, "check", "--quiet")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "hand-edited generated file: generated/superoffice/services86/__init__.py" in done.stdout
    assert spawn(project, "generate", "--quiet").returncode == 0
    assert init.is_file() and spawn(project, "check").returncode == 0


# --- 3. size limits -------------------------------------------------------------------------


def _sparse(path: Path, size: int) -> None:
    """A file of `size` bytes (NULs) that takes no disk space."""
    with open(path, "wb") as fh:
        fh.truncate(size)


@pytest.mark.parametrize(
    "name, code, limit",
    [
        ("superoffice/Services86/Report/Huge.md", "SO019", inputs.PAGE_LIMIT),
        ("orders/v1/huge.wsdl", "LOAD001", inputs.WSDL_LIMIT),
        ("coruson/v1/Huge.json-metadata.html", "SS001", inputs.PAGE_LIMIT),
        ("coruson/v1/metadata.json", "SS001", inputs.METADATA_LIMIT),
    ],
)
def test_every_input_kind_is_refused_over_its_limit(
    project: Path, name: str, code: str, limit: int
) -> None:
    path = project / "specs" / name
    _sparse(path, 100 * MB)
    t0 = time.perf_counter()
    found = errors(project / "specs")
    assert time.perf_counter() - t0 < 10
    assert [(c, p) for c, p, _, _ in found] == [(code, name)]
    assert f"{100 * MB} bytes: larger than the {limit // MB} MB limit" in found[0][3]
    _sparse(path, limit)  # at the limit: read (and refused for what it holds, not its size)
    assert "limit" not in " ".join(m for _, _, _, m in errors(project / "specs"))


def test_imports_are_limited_one_by_one_and_together(project: Path) -> None:
    v1 = project / "specs" / "orders" / "v1"
    _sparse(v1 / "common.xsd", inputs.IMPORT_LIMIT + 1)
    found = [m for c, p, _, m in errors(project / "specs") if c == "WSDL004"]
    assert len(found) == 1 and "'common.xsd'" in found[0], found
    assert f"larger than the {inputs.IMPORT_LIMIT // MB} MB limit" in found[0]
    wsdl = v1 / "orders.wsdl"
    part = inputs.IMPORTS_TOTAL_LIMIT // 3 + 1
    imports = "".join(
        f'<xs:import namespace="urn:x{i}" schemaLocation="part{i}.schema"/>' for i in range(3)
    )
    wsdl.write_bytes(
        wsdl.read_bytes().replace(
            b'schemaLocation="common.xsd"/>', b'schemaLocation="c.xsd"/>' + imports.encode()
        )
    )
    (v1 / "common.xsd").unlink()
    for i in range(3):
        _sparse(v1 / f"part{i}.schema", part)
    messages = [m for c, _, _, m in errors(project / "specs") if c == "WSDL004"]
    assert any(
        "'part2.schema'" in m and f"{inputs.IMPORTS_TOTAL_LIMIT // MB} MB limit for all" in m
        for m in messages
    ), messages


def test_a_file_growing_while_it_is_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """stat says 10 bytes, the file holds more by the time it is read."""
    path = tmp_path / "page.md"
    path.write_bytes(b"x" * 100)
    real_stat = os.stat

    class Small:
        def __init__(self, st: os.stat_result) -> None:
            self.st_mode, self.st_size = st.st_mode, 10

    monkeypatch.setattr(inputs.os, "stat", lambda p, *a, **k: Small(real_stat(p, *a, **k)))
    with pytest.raises(inputs.TooBig, match="grew past the 20 bytes limit"):
        inputs.read_input(str(path), 20)
    monkeypatch.setattr(inputs.os, "stat", real_stat)
    assert inputs.read_input(str(path), 100) == b"x" * 100
