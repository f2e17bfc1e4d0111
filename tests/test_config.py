"""[tool.soapgen] validation (every mistake is a clear error and exit 2, before anything is
written) and command line flags overriding the configuration."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from soapgen_project import PYPROJECT as GOOD
from soapgen_project import new_project

from generator import config, write
from generator.cli import main
from generator.render import ApiProfile

ROOT = Path(__file__).resolve().parents[1]
SPECS86 = ROOT / "specs" / "superoffice" / "Services86"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(new_project(tmp_path))
    return tmp_path


APIS = """\
[tool.soapgen.apis.superoffice]
facade = "NetServer"
error_header = "ExceptionInfo"
error_class = "NetServerError"
"""

BAD = [
    # (what to change in GOOD, the message soapgen must print)
    (
        ("[tool.soapgen]\n", '[tool.soapgen]\ncolour = "blue"\n'),
        "unknown key tool.soapgen.colour (known: apis, ",
    ),
    (('specs = "specs"', "specs = 3"), "tool.soapgen.specs must be a str, not int"),
    (
        ('output = "generated"', 'output = ["generated"]'),
        "tool.soapgen.output must be a str, not list",
    ),
    (
        ('templates = "templates"', "templates = true"),
        "tool.soapgen.templates must be a str, not bool",
    ),
    (
        ("[tool.soapgen.apis.superoffice]\n", "[tool.soapgen.apis.superoffice]\ncolour = 1\n"),
        "unknown key tool.soapgen.apis.superoffice.colour (known: ",
    ),
    (
        ('facade = "NetServer"', "facade = 1"),
        "tool.soapgen.apis.superoffice.facade must be a string",
    ),
    (
        ('error_class = "NetServerError"', "error_class = {x = 1}"),
        "tool.soapgen.apis.superoffice.error_class must be a string",
    ),
    (
        (
            "[tool.soapgen.apis.superoffice]\n",
            "[tool.soapgen.apis]\nsuperoffice = 3\n[tool.soapgen.apis.other]\n",
        ),
        "tool.soapgen.apis.superoffice must be a table",
    ),
    ((APIS, 'apis = "superoffice"\n'), "tool.soapgen.apis must be a dict, not str"),
    (('specs = "specs"', 'specs = "specs'), "cannot read"),
]


@pytest.mark.parametrize("change, message", BAD, ids=[m for _, m in BAD])
def test_config_errors_exit_2(
    project: Path, change: tuple[str, str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = change
    assert old in GOOD
    (project / "pyproject.toml").write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    for command in (
        ["generate"],
        ["check"],
        ["diff", "superoffice/Services86", "superoffice/Services86"],
        ["add-version", str(SPECS86)],
    ):
        assert main(command) == 2, command
        captured = capsys.readouterr()
        assert f"soapgen: {project / 'pyproject.toml'}: " in captured.err, (command, captured.err)
        assert message in captured.err, (command, captured.err)
        assert "Traceback" not in captured.err
    assert not (project / "generated").exists()
    assert sorted(p.name for p in (project / "specs" / "superoffice").iterdir()) == ["Services86"]
    with pytest.raises(
        config.ConfigError,
        match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\["),
    ):
        config.load(str(project / "pyproject.toml"))


def test_tool_soapgen_not_a_table(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "pyproject.toml").write_text("[tool]\nsoapgen = 1\n", encoding="utf-8")
    assert main(["generate"]) == 2
    assert "[tool.soapgen] must be a table" in capsys.readouterr().err


def test_paths_that_do_not_exist(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "pyproject.toml").write_text(
        GOOD.replace('specs = "specs"', 'specs = "nowhere"'), encoding="utf-8"
    )
    assert main(["generate"]) == 2
    err = capsys.readouterr().err
    assert "specs directory nowhere does not exist" in err and "pyproject.toml" in err
    (project / "pyproject.toml").write_text(
        GOOD.replace('templates = "templates"', 'templates = "specs"'), encoding="utf-8"
    )
    assert main(["check"]) == 2
    assert "templates directory specs has no runtime.py" in capsys.readouterr().err
    assert main(["generate", "--config", "missing.toml"]) == 2
    assert "missing.toml: cannot read" in capsys.readouterr().err
    assert not (project / "generated").exists()


def test_defaults_without_a_table(project: Path) -> None:
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    cfg = config.load()
    assert (cfg.specs, cfg.output, cfg.templates) == (
        str(project / "specs"),
        str(project / "generated"),
        str(project / "templates"),
    )
    assert cfg.apis == {} and cfg.profile("superoffice") == ApiProfile()


def test_flags_override_config(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the configured folders are wrong; the flags name the right ones
    (project / "pyproject.toml").write_text(
        GOOD.replace('specs = "specs"', 'specs = "no-specs"').replace(
            'templates = "templates"', 'templates = "no-templates"'
        ),
        encoding="utf-8",
    )
    (project / "specs").rename(project / "my-specs")
    (project / "templates").rename(project / "my-templates")
    flags = ["--specs", "my-specs", "--templates", str(project / "my-templates")]
    assert main(["generate", "--quiet"]) == 2
    capsys.readouterr()
    assert main(["generate", "--quiet", *flags, "--output", "out"]) == 0
    assert (project / "out" / "superoffice" / "services86" / "report.py").is_file()
    assert not (project / "generated").exists()
    manifest = write.read_manifest(str(project / "out"))
    assert (
        manifest is not None
        and "my-specs/superoffice/Services86/Services86-Report.md" in manifest["inputs"]
    )
    assert main(["check", *flags, "--output", "out"]) == 0
    assert main(["check", *flags]) == 1  # the configured output does not exist
    assert "generated does not exist" in capsys.readouterr().out
    # diff looks version names up in --specs as well
    assert (
        main(["diff", "superoffice/Services86", "Services86", "--specs", "my-specs", "--exit-code"])
        == 0
    )


def test_config_flag_and_upward_search(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # from a subfolder the nearest pyproject.toml upwards is used, and its folder anchors the paths
    (project / "sub").mkdir()
    monkeypatch.chdir(project / "sub")
    assert main(["generate", "--quiet"]) == 0
    assert (project / "generated" / "superoffice" / "services86").is_dir()
    assert not (project / "sub" / "generated").exists()
    # --config names another file: its table and its folder count
    other = project / "sub" / "alt.toml"
    other.write_text(
        GOOD.replace('"specs"', '"../specs"')
        .replace('"templates"', '"../templates"')
        .replace('"generated"', '"alt-out"'),
        encoding="utf-8",
    )
    assert main(["generate", "--quiet", "--config", str(other)]) == 0
    assert (project / "sub" / "alt-out" / "superoffice" / "services86").is_dir()
    os.chdir(project)
    assert main(["check"]) == 0
    capsys.readouterr()


def test_api_profile_reaches_output_and_check(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate", "--quiet"]) == 0
    init = (project / "generated/superoffice/services86/__init__.py").read_text(encoding="utf-8")
    assert "class NetServer" in init or "NetServer" in init
    (project / "pyproject.toml").write_text(
        GOOD.replace('facade = "NetServer"', 'facade = "Crm"'), encoding="utf-8"
    )
    assert main(["check"]) == 1
    assert "configuration changed ([tool.soapgen.apis])" in capsys.readouterr().out
    assert main(["generate", "--quiet"]) == 0
    assert "Crm" in (project / "generated/superoffice/services86/__init__.py").read_text(
        encoding="utf-8"
    )
    assert main(["check"]) == 0


# --- progress lines: on a terminal only, never with --quiet -------------------------------------


def _generate_with_stderr_on(project: Path, tty: bool, *flags: str) -> str:
    import pty
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm"}
    cmd = [sys.executable, "-m", "generator", "generate", *flags]
    if not tty:
        proc = subprocess.run(
            cmd, cwd=project, env=env, capture_output=True, text=True, timeout=300
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc.stderr
    master, slave = pty.openpty()
    child = subprocess.Popen(cmd, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    data = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        data += chunk
    os.close(master)
    assert child.wait(timeout=300) == 0
    return data.decode("utf-8", "replace")


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="no pseudo-terminals here")
def test_progress_only_on_a_terminal(project: Path) -> None:
    shown = _generate_with_stderr_on(project, True)
    assert "soapgen: reading 15 spec files from specs, rendering and formatting ..." in shown
    assert "soapgen: writing " in shown and " files to generated ..." in shown
    assert _generate_with_stderr_on(project, True, "--quiet") == ""
    assert "soapgen: reading" not in _generate_with_stderr_on(project, False)
