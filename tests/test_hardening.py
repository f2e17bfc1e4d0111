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

from soapgen.cli import main
from soapgen.config.project import Config
from soapgen.core.diagnostics import Collector, Level
from soapgen.pipeline.result import Result
from soapgen.pipeline.run import generate, read_ir
from soapgen.read import inputs
from soapgen.write import tree as write

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

    monkeypatch.setattr("soapgen.pipeline.run.generate", generate_then_edit)
    assert run(project, "generate", "--quiet") == 0
    monkeypatch.setattr("soapgen.pipeline.run.generate", real)
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
    from soapgen.core import store as fmt
    from soapgen.read.sources import superoffice

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


# --- 4. scale: hashes by stat, and versions taken over unread ----------------------------


@pytest.fixture
def history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two SuperOffice versions (Services86 and 87 Report) and the raw WSDL, with caches of
    their own (the file hashes and version records live there)."""
    from soapgen.core import store as fmt

    new_project(tmp_path / "p")
    shutil.copytree(
        ROOT / "specs" / "superoffice" / "Services87", tmp_path / "p" / V86.parent / "Services87"
    )
    shutil.copytree(ORDERS, tmp_path / "p" / "specs" / "orders" / "v1")
    monkeypatch.setattr(fmt, "CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path / "p")
    return tmp_path / "p"


def add_sentence(page: Path) -> None:
    """A change to a page that changes its output and no diagnostic."""
    page.write_bytes(page.read_bytes().replace(b"\n## ", b"\nA sentence added.\n\n## ", 1))


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def full_run(project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, bytes]:
    """What generate writes with no records to reuse (a cache folder of its own)."""
    from soapgen.core import store as fmt

    old = fmt.CACHE_DIR
    shutil.copytree(project, tmp_path / "full")
    monkeypatch.setattr(fmt, "CACHE_DIR", str(tmp_path / "full-cache"))
    assert run(tmp_path / "full", "generate", "--quiet") == 0
    monkeypatch.setattr(fmt, "CACHE_DIR", old)
    return tree(tmp_path / "full" / "generated")


def test_warm_run_takes_unchanged_versions_over(
    history: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(history, "generate") == 0
    first = capsys.readouterr().out
    page = history / "specs" / "superoffice" / "Services87" / "Report" / "DeleteReport.md"
    add_sentence(page)
    assert run(history, "generate") == 0
    out = capsys.readouterr().out
    assert "unchanged superoffice.services86:" in out
    assert "generated superoffice.services87:" in out
    assert "unchanged orders.v1:" in out
    assert "3 versions (2 unchanged)" in out
    # the same diagnostics, and the very bytes a run without records writes
    assert [x for x in out.splitlines() if " warning " in x] == [
        x for x in first.splitlines() if " warning " in x
    ]
    assert tree(history / "generated") == full_run(history, monkeypatch, tmp_path)
    assert run(history, "check") == 0


def _second_run(history: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert run(history, "generate") == 0
    return capsys.readouterr().out


@pytest.mark.parametrize(
    "change",
    ["hand-edited output", "stray output file", "new page", "page names the version"],
)
def test_a_version_is_taken_over_only_when_nothing_of_it_changed(
    history: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    change: str,
) -> None:
    assert run(history, "generate", "--quiet") == 0
    out86 = history / "generated" / "superoffice" / "services86"
    v86, v87 = history / V86, history / V86.parent / "Services87"
    if change == "hand-edited output":
        (out86 / "report.py").write_text("# edited\n", encoding="utf-8")
    elif change == "stray output file":
        (out86 / "stray.py").write_text("x = 1\n", encoding="utf-8")
    elif change == "new page":
        shutil.copy(v86 / "Report" / "DeleteReport.md", v86 / "Report" / "DeleteReport2.md")
    else:  # a Services87 page that says Services86 belongs to Services86 (LOAD002)
        page = v87 / "Report" / "DeleteReport.md"
        page.write_bytes(page.read_bytes().replace(b"Services87", b"Services86"))
    out = _second_run(history, capsys)
    assert "unchanged superoffice.services86" not in out
    assert tree(history / "generated") == full_run(history, monkeypatch, tmp_path)
    assert run(history, "check") == 0


def test_check_answers_by_stat_and_still_sees_every_change(
    history: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from soapgen.read import filehash

    monkeypatch.setattr(filehash, "RACY_NS", 0)  # every file counts as settled at once
    assert run(history, "generate", "--quiet") == 0
    time.sleep(0.05)  # past the file system's timestamp granularity
    hashed: list[int] = []
    real_save = filehash.FileHashes.save

    def save(self: filehash.FileHashes) -> None:
        hashed.append(self.hashed)
        real_save(self)

    monkeypatch.setattr(filehash.FileHashes, "save", save)
    assert run(history, "check") == 0
    assert run(history, "check") == 0
    assert hashed[-1] == 0  # the second check read no file
    # same size, same inode, mtime put back (as cp -p does): the ctime still tells
    page = history / V86 / "Report" / "DeleteReport.md"
    st = page.stat()
    page.write_bytes(page.read_bytes().replace(b"DeleteReport", b"DeleteReporT", 1))
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert page.stat().st_size == st.st_size and page.stat().st_ino == st.st_ino
    capsys.readouterr()
    assert run(history, "check") == 1
    assert "input changed: specs/superoffice/Services86/Report/DeleteReport.md" in (
        capsys.readouterr().out
    )
    assert run(history, "generate", "--quiet") == 0
    time.sleep(0.05)
    assert run(history, "check") == 0
    assert run(history, "check") == 0 and hashed[-1] == 0
    report = history / "generated" / "superoffice" / "services86" / "report.py"
    data, st = report.read_bytes(), report.stat()
    report.write_bytes(data.replace(b"def ", b"fed ", 1))  # same size, same inode
    os.utime(report, ns=(st.st_atime_ns, st.st_mtime_ns))
    capsys.readouterr()
    assert run(history, "check") == 1
    assert "hand-edited generated file: generated/superoffice/services86/report.py" in (
        capsys.readouterr().out
    )


def test_a_fresh_file_is_never_remembered_by_stat(history: Path) -> None:
    from soapgen.read.filehash import FileHashes

    page = history / V86 / "Report" / "DeleteReport.md"
    page.write_bytes(page.read_bytes())  # changed just now
    hashes = FileHashes(str(history / "generated"))
    digest = hashes.input_sha(str(page))
    assert digest == inputs.sha256(page.read_bytes())
    assert str(page) not in hashes.known  # changed a moment ago: hashed every time
    hashes.remember({str(page): digest}, time.time_ns())
    assert str(page) not in hashes.known


def test_crash_while_moving_versions_recovers_the_old_tree(
    history: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    env = {"SOAPGEN_CACHE": str(tmp_path / "cache")}
    assert spawn_env(history, env, "generate", "--quiet").returncode == 0
    old = tree(history / "generated")
    page = history / V86.parent / "Services87" / "Report" / "DeleteReport.md"
    add_sentence(page)
    crashed = spawn_env(
        history, {**env, "SOAPGEN_TEST_CRASH_AFTER_STAGING": "2"}, "generate", "--quiet"
    )
    assert crashed.returncode == 3, crashed.stdout + crashed.stderr
    assert not (history / "generated").exists()
    assert any(".soapgen-carry-" in p.name for p in history.parent.iterdir()) or any(
        ".soapgen-carry-" in p.name for p in history.iterdir()
    )
    write.recover(str(history / "generated"))
    assert tree(history / "generated") == old
    assert not [p for p in history.iterdir() if ".soapgen-" in p.name]
    assert spawn_env(history, env, "generate", "--quiet").returncode == 0
    assert spawn_env(history, env, "check").returncode == 0


def spawn_env(project: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "soapgen", *args],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_manifest_text_is_what_json_writes() -> None:
    import json

    manifest = json.loads((ROOT / "generated" / write.MANIFEST).read_text(encoding="utf-8"))
    for value in (manifest, {}, {"a": {}, "b": [1, {"c": 2}], "é": None}):
        expected = json.dumps(value, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
        assert write.dump_manifest(value) == expected.encode("utf-8")


def test_a_version_importing_a_shared_schema_is_never_taken_over_stale(
    history: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A WSDL may import a schema outside its version folder (specs/<api>/common/): which
    versions such a file shapes is not recorded, so a run that read one reuses nothing, and
    a change to the shared schema regenerates the version importing it."""
    from wsdl_project import simple_wsdl

    api = history / "specs" / "shared"
    (api / "common").mkdir(parents=True)
    (api / "common" / "types.xsd").write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:c"'
        ' elementFormDefault="qualified"><xs:element name="Note" type="xs:string"/></xs:schema>',
        encoding="utf-8",
    )
    schema = (
        '<xs:import namespace="urn:c" schemaLocation="../common/types.xsd"/>'
        '<xs:element name="Ping"><xs:complexType><xs:sequence>'
        '<xs:element ref="c:Note"/></xs:sequence></xs:complexType></xs:element>'
        '<xs:element name="PingResponse"><xs:complexType/></xs:element>'
    )
    (api / "v1").mkdir()
    (api / "v1" / "svc.wsdl").write_text(
        simple_wsdl(schema, [("Ping", "Ping", "PingResponse")], extra_ns='xmlns:c="urn:c"'),
        encoding="utf-8",
    )
    assert run(history, "generate", "--quiet") == 0
    module = history / "generated" / "shared" / "v1" / "svc.py"
    assert "note: str" in module.read_text(encoding="utf-8")
    xsd = api / "common" / "types.xsd"
    xsd.write_text(xsd.read_text(encoding="utf-8").replace("xs:string", "xs:int"), "utf-8")
    out = _second_run(history, capsys)
    assert "unchanged shared.v1" not in out
    assert "note: int" in module.read_text(encoding="utf-8")
    assert run(history, "check") == 0
