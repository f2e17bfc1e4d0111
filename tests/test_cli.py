"""The soapgen command line and the atomic writer, on a small temporary project (Services86 Report)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import soapgen
from soapgen.cli import main
from soapgen.core.templateset import TemplateSet
from soapgen.write import tree as write

from soapgen_project import PYPROJECT, new_project

ROOT = Path(__file__).resolve().parents[1]
SPECS86 = ROOT / "specs" / "superoffice" / "Services86"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(new_project(tmp_path))
    return tmp_path


def run(project: Path, *args: str) -> int:
    return main([*args, "--config", str(project / "pyproject.toml")])


def tree_hash(folder: Path) -> str:
    """Names and bytes of every file below folder (missing folder: a distinct value)."""
    if not folder.exists():
        return "missing"
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(folder).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def siblings(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if ".soapgen-" in p.name)


def flip_byte(path: Path, old: bytes, new: bytes) -> None:
    data = path.read_bytes()
    assert old in data
    path.write_bytes(data.replace(old, new, 1))


def spawn(project: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    return subprocess.run(
        [sys.executable, "-m", "soapgen", *args],
        cwd=project,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_generate_check_regenerate(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = project / "generated"
    assert run(project, "generate") == 0
    text = capsys.readouterr().out
    assert "generated superoffice.services86:" in text and "modules" in text
    for rel in (
        "superoffice/__init__.py",
        "superoffice/services86/report.py",
        "superoffice/services86/types.py",
        write.MANIFEST,
    ):
        assert (out / rel).is_file(), rel
    manifest = json.loads((out / write.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["generator"] == write.generator_hash()
    assert "specs/superoffice/Services86/Report/DeleteReport.md" in manifest["inputs"]
    assert manifest["soapgen"] == soapgen.__version__
    assert manifest["templates"] == {}  # soapgen's own templates are part of "generator"
    assert set(manifest["outputs"]) == {
        p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()
    } - {write.MANIFEST}
    assert siblings(project) == []

    assert run(project, "check") == 0
    assert "up to date" in capsys.readouterr().out

    # one byte of a spec
    spec = project / "specs/superoffice/Services86/Report/DeleteReport.md"
    flip_byte(spec, b"Application tokens", b"application tokens")
    assert run(project, "check") == 1
    assert (
        "input changed: specs/superoffice/Services86/Report/DeleteReport.md"
        in capsys.readouterr().out
    )
    assert run(project, "generate", "--quiet") == 0
    assert run(project, "check") == 0
    capsys.readouterr()

    # a hand edit of a generated file
    report = out / "superoffice/services86/report.py"
    report.write_bytes(report.read_bytes() + b"# edited\n")
    assert run(project, "check") == 1
    text = capsys.readouterr().out
    assert "hand-edited generated file: generated/superoffice/services86/report.py" in text
    assert "would change: generated/superoffice/services86/report.py" in text
    assert run(project, "generate", "--quiet") == 0
    assert not report.read_bytes().endswith(b"# edited\n")

    # bytecode from importing the generated package is not a hand edit; stray files are
    (out / "superoffice" / "__pycache__").mkdir()
    (out / "superoffice" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    (out / ".mypy_cache").mkdir()
    (out / ".mypy_cache" / "CACHEDIR.TAG").write_bytes(b"x")
    assert run(project, "check") == 0
    (out / "superoffice" / "stray.py").write_text("x = 1\n")
    capsys.readouterr()
    assert run(project, "check") == 1
    text = capsys.readouterr().out
    assert "unexpected file in generated output: generated/superoffice/stray.py" in text
    assert "would disappear: generated/superoffice/stray.py" in text
    assert run(project, "generate", "--quiet") == 0
    assert not (out / "superoffice" / "stray.py").exists()

    # a template of the project's own, shadowing soapgen's
    (project / "templates").mkdir()
    template = project / "templates" / "agent.py.j2"
    template.write_bytes(TemplateSet().read("agent.py.j2").encode() + b"\n")
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + 'templates = "templates"\n', encoding="utf-8")
    capsys.readouterr()
    assert run(project, "check") == 1
    assert "template added: agent.py.j2" in capsys.readouterr().out
    assert run(project, "generate", "--quiet") == 0
    assert run(project, "check") == 0
    template.write_bytes(template.read_bytes() + b"\n")
    assert run(project, "check") == 1
    assert "template changed: agent.py.j2" in capsys.readouterr().out


def test_broken_spec_writes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = project / "generated"
    assert run(project, "generate", "--quiet") == 0
    before = tree_hash(out)
    wsdl_page = project / "specs/superoffice/Services86/Services86-Report.md"
    data = wsdl_page.read_bytes()
    wsdl_page.write_bytes(data[: len(data) // 2] + b"\n```\n")  # the WSDL's XML stops mid-document
    capsys.readouterr()

    assert run(project, "generate") == 1
    text = capsys.readouterr().out
    assert "specs/superoffice/Services86/Services86-Report.md:" in text and " error " in text
    assert "nothing written" in text
    assert tree_hash(out) == before
    assert siblings(project) == []

    assert run(project, "check") == 2
    text = capsys.readouterr().out
    assert "input changed: specs/superoffice/Services86/Services86-Report.md" in text
    assert "cannot generate" in text
    assert tree_hash(out) == before


def test_inspect_json(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", "specs", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["operations"] == 13
    [version] = data["versions"]
    assert (version["api"], version["version"], version["operations"]) == (
        "superoffice",
        "Services86",
        13,
    )
    [service] = version["services"]
    assert service["name"] == "Report" and service["operations"] == 13 and service["types"] > 0
    assert service["endpoint"] == "Remote/Services86/Report.svc"
    assert "ir" not in data
    assert main(["inspect", "specs", "--ir"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ir"][0]["name"] == "Services86"

    assert main(["inspect", "specs"]) == 0
    assert "Report: 13 operations" in capsys.readouterr().out
    # an operation page without its WSDL page: its types are inferred from the samples (a warning)
    assert main(["inspect", "specs/superoffice/Services86/Report/DeleteReport.md"]) == 0
    assert "INFER001" in capsys.readouterr().out
    # ... but a page whose sample is broken XML is an input error: exit 2
    broken = project / "specs/superoffice/Services86/Report/DeleteReport.md"
    broken.write_text(broken.read_text().replace("</SOAP-ENV:Envelope>", "</SOAP-ENV:Envelo", 1))
    assert main(["inspect", str(broken)]) == 2
    assert "DeleteReport.md:44: error" in capsys.readouterr().out  # the line of the broken sample
    assert main(["inspect", "no/such/path"]) == 2


def test_config_errors(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        PYPROJECT.replace("[tool.soapgen]\n", '[tool.soapgen]\ncolour = "blue"\n'), encoding="utf-8"
    )
    assert run(project, "generate") == 2
    assert "unknown key tool.soapgen.colour" in capsys.readouterr().err
    assert run(project, "check") == 2
    pyproject.write_text(PYPROJECT, encoding="utf-8")
    assert run(project, "generate", "--specs", "nowhere") == 2
    assert "nowhere" in capsys.readouterr().err
    assert main(["generate", "--config", str(project / "missing.toml")]) == 2
    assert main([]) == 2
    assert not (project / "generated").exists()


def test_refuses_to_replace_foreign_directory(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "generated").mkdir()
    (project / "generated" / "precious.txt").write_text("mine")
    assert run(project, "generate", "--quiet") == 2
    assert "refusing" in capsys.readouterr().err
    assert (project / "generated" / "precious.txt").read_text() == "mine"


def test_deterministic_across_hash_seeds(project: Path) -> None:
    for seed in ("1", "2"):
        proc = spawn(project, "generate", "--quiet", "--output", f"out{seed}", PYTHONHASHSEED=seed)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    names1 = sorted(p.relative_to(project / "out1") for p in (project / "out1").rglob("*"))
    names2 = sorted(p.relative_to(project / "out2") for p in (project / "out2").rglob("*"))
    assert names1 == names2
    assert tree_hash(project / "out1") == tree_hash(project / "out2")


def test_crash_between_renames_recovers(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = project / "generated"
    assert run(project, "generate", "--quiet") == 0
    old = tree_hash(out)
    flip_byte(
        project / "specs/superoffice/Services86/Report/DeleteReport.md",
        b"Application tokens",
        b"application tokens",
    )

    # 1: the crash leaves no output, only a complete backup; recover() puts the old tree back
    proc = spawn(project, "generate", "--quiet", SOAPGEN_TEST_CRASH_AFTER_STAGING="1")
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert not out.exists()
    assert any(".soapgen-old-" in n for n in siblings(project))
    assert any(".soapgen-staging-" in n for n in siblings(project))
    assert run(project, "check") == 1  # writes nothing
    assert "interrupted" in capsys.readouterr().out
    assert not out.exists()
    write.recover(str(out))
    assert tree_hash(out) == old
    assert siblings(project) == []

    # 2: after another crash, the next generate run recovers and publishes the new tree
    proc = spawn(project, "generate", "--quiet", SOAPGEN_TEST_CRASH_AFTER_STAGING="1")
    assert proc.returncode == 3, proc.stdout + proc.stderr
    proc = spawn(project, "generate", "--quiet")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert siblings(project) == []
    assert tree_hash(out) != old
    assert run(project, "check") == 0


def test_write_tree_exact_contents(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    write.write_tree(str(out), {"a/b.py": b"x = 1\r\n", "c.txt": b""}, {"outputs": {}})
    assert (out / "a" / "b.py").read_bytes() == b"x = 1\r\n"
    write.write_tree(str(out), {"c.txt": b"2"}, {"outputs": {}})
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        write.MANIFEST,
        "c.txt",
    ]
    (tmp_path / "gen.soapgen-staging-999999999").mkdir()  # no such process
    write.write_tree(str(out), {"c.txt": b"3"}, {"outputs": {}})
    assert not (tmp_path / "gen.soapgen-staging-999999999").exists()
    with pytest.raises(write.WriteError):
        write.write_tree(str(out), {"../escape.py": b""}, {})
    assert (out / "c.txt").read_bytes() == b"3"
    assert [p.name for p in tmp_path.iterdir()] == ["gen"]


@pytest.mark.parametrize(
    "rel", ["", "/etc/x", "a/../b", "a//b", "./a", "a\\b", "a/", write.MANIFEST]
)
def test_write_tree_refuses_paths_outside_or_odd(tmp_path: Path, rel: str) -> None:
    out = tmp_path / "out"
    with pytest.raises(write.WriteError, match="refusing to write generated path"):
        write.write_tree(str(out), {"ok.py": b"", rel: b"x"}, {})
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == []  # no staging left


def test_init_gives_a_working_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tomllib

    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "acme"\n', encoding="utf-8")
    assert main(["init", "--output", "src/acme/clients", "--package", "acme.clients"]) == 0
    data = tomllib.loads((tmp_path / "pyproject.toml").read_text(encoding="utf-8"))
    assert data["project"]["name"] == "acme"
    assert data["tool"]["soapgen"] == {
        "specs": "specs",
        "output": "src/acme/clients",
        "package": "acme.clients",
    }
    hooks = (tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "id: soapgen-check" in hooks and "entry: soapgen check" in hooks
    assert (tmp_path / "specs").is_dir()
    # the table works as written: the Services86 pages generate into the package
    import shutil

    shutil.copytree(SPECS86, tmp_path / "specs" / "superoffice" / "Services86")
    assert main(["generate", "--quiet"]) == 0
    assert (tmp_path / "src/acme/clients/superoffice/services86/__init__.py").is_file()
    assert main(["check"]) == 0
    # a second init leaves both files alone
    before = (tmp_path / "pyproject.toml").read_text(encoding="utf-8"), hooks
    assert main(["init"]) == 0
    after = (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    assert (after, (tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8")) == before


def test_init_hook_from_a_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path), "--hook-repo", "https://example.invalid/soapgen"]) == 0
    hooks = (tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "repo: https://example.invalid/soapgen" in hooks
    assert f"rev: v{soapgen.__version__}" in hooks and "id: soapgen-check" in hooks
    out = capsys.readouterr().out
    assert "lxml and httpx at run time" in out and "lxml-stubs" in out


def test_check_across_soapgen_versions(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A hook's soapgen one version apart from the venv's: check passes when it would write the
    same files, and otherwise names both versions and the files that differ."""
    assert run(project, "generate", "--quiet") == 0
    written = soapgen.__version__
    monkeypatch.setattr(soapgen, "__version__", "99.0")  # another soapgen: its version and hash
    monkeypatch.setattr(write, "generator_hash", lambda: "f" * 64)
    capsys.readouterr()
    assert run(project, "check") == 0
    out = capsys.readouterr().out
    assert f"written by soapgen {written} (generator " in out
    assert "this is soapgen 99.0 (generator " in out and "which generates the same files" in out
    # a soapgen that writes something else: both versions and the files are named
    from soapgen.pipeline import run as pipeline
    from soapgen.plan import version as plan_version

    def other_header(title: str, sources: list[str]) -> str:
        return plan_version.header_doc(title + " (newer wording)", sources)

    monkeypatch.setattr(pipeline, "header_doc", other_header)
    assert run(project, "check") == 1
    out = capsys.readouterr().out
    assert f"written by soapgen {written} (generator " in out and "soapgen 99.0" in out
    assert "would change: generated/superoffice/__init__.py" in out
    assert run(project, "generate", "--quiet") == 0
    assert run(project, "check") == 0
    manifest = json.loads((project / "generated" / write.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["soapgen"] == "99.0"


def test_check_of_an_up_to_date_tree_imports_no_generation_stage(project: Path) -> None:
    """A pre-commit hook runs `soapgen check` on every commit: on an up-to-date tree it answers
    from the manifest, without importing the pipeline, the templates' plan, black or the
    runtime (httpx)."""
    assert run(project, "generate", "--quiet") == 0
    code = (
        "import sys\n"
        "from soapgen.cli import main\n"
        "code = main(['check', '--config', sys.argv[1]])\n"
        "heavy = ('black', 'httpx', 'soapgen.pipeline', 'soapgen.plan', 'soapgen.render',"
        " 'soapgen.templates.runtime')\n"
        "print(code, sorted({m.split('.')[0] if m.startswith(('black', 'httpx')) else m"
        " for m in sys.modules if m.startswith(heavy)}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(project / "pyproject.toml")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "0 []"
