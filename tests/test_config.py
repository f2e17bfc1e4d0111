"""[tool.soapgen] validation (every mistake is a clear error and exit 2, before anything is
written) and command line flags overriding the configuration."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from soapgen.cli import main
from soapgen.config import project as config
from soapgen.write import tree as write

from soapgen_project import PYPROJECT as GOOD
from soapgen_project import new_project

ROOT = Path(__file__).resolve().parents[1]
SPECS86 = ROOT / "specs" / "superoffice" / "Services86"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(new_project(tmp_path))
    return tmp_path


GOOD_FULL = GOOD + """\
package = "acme.clients"

[tool.soapgen.diagnostics]
ignore = ["MERGE007"]
summarize = ["SAMPLE"]

[tool.soapgen.apis.superoffice]
facade = "NetServer"
error_class = "NetServerError"
"""

BAD = [
    # (what to change in GOOD_FULL, the message soapgen must print)
    (
        ("[tool.soapgen]\n", '[tool.soapgen]\ncolour = "blue"\n'),
        "unknown key tool.soapgen.colour (known: apis, diagnostics, output, package, ",
    ),
    (('specs = "specs"', "specs = 3"), "tool.soapgen.specs must be a string, not int"),
    (
        ('output = "generated"', 'output = ["generated"]'),
        "tool.soapgen.output must be a string, not list",
    ),
    (
        ('output = "generated"', 'output = "generated"\ntemplates = true'),
        "tool.soapgen.templates must be a string, not bool",
    ),
    (('package = "acme.clients"', 'package = "acme/clients"'), "is not a dotted module path"),
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
        ('facade = "NetServer"', 'profile = "netserver"'),
        "tool.soapgen.apis.superoffice.profile 'netserver' is not a profile"
        " (known: generic, servicestack, superoffice)",
    ),
    (
        (
            "[tool.soapgen.apis.superoffice]\n",
            "[tool.soapgen.apis]\nsuperoffice = 3\n[tool.soapgen.apis.other]\n",
        ),
        "tool.soapgen.apis.superoffice must be a table",
    ),
    (
        ('ignore = ["MERGE007"]', 'ignore = ["merge 7"]'),
        "tool.soapgen.diagnostics.ignore takes diagnostic codes such as SAMPLE010",
    ),
    (
        ('summarize = ["SAMPLE"]', 'summarize = "SAMPLE"'),
        "tool.soapgen.diagnostics.summarize must be a list or boolean, not str",
    ),
    (('specs = "specs"', 'specs = "specs'), "cannot read"),
]


@pytest.mark.parametrize("change, message", BAD, ids=[m for _, m in BAD])
def test_config_errors_exit_2(
    project: Path, change: tuple[str, str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = change
    assert old in GOOD_FULL
    (project / "pyproject.toml").write_text(GOOD_FULL.replace(old, new, 1), encoding="utf-8")
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
    (project / "pyproject.toml").write_text(GOOD + 'templates = "mine"\n', encoding="utf-8")
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert "templates folder" in err and "mine does not exist" in err
    assert main(["generate", "--config", "missing.toml"]) == 2
    assert "missing.toml: cannot read" in capsys.readouterr().err
    assert not (project / "generated").exists()


def test_template_override_must_shadow_a_template(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "mine").mkdir()
    (project / "mine" / "agent.py.jinja").write_text("x", encoding="utf-8")
    (project / "pyproject.toml").write_text(GOOD + 'templates = "mine"\n', encoding="utf-8")
    assert main(["generate"]) == 2
    err = capsys.readouterr().err
    assert "agent.py.jinja shadow no soapgen template (the templates are: " in err
    assert "agent.py.j2" in err and "runtime/xsd.py" in err
    assert not (project / "generated").exists()


def test_apis_table_must_name_an_api_folder(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text(
        GOOD + '[tool.soapgen.apis.superofice]\nfacade = "Crm"\n', encoding="utf-8"
    )
    for command in (["generate"], ["check"]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert "[tool.soapgen.apis.superofice] matches no API folder of" in err
        assert "(API folders: superoffice)" in err
    assert not (project / "generated").exists()


def test_defaults_without_a_table(project: Path) -> None:
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    cfg = config.load()
    assert (cfg.specs, cfg.output, cfg.templates, cfg.package) == (
        str(project / "specs"),
        str(project / "generated"),
        None,
        "",
    )
    assert cfg.apis == {} and cfg.diagnostics == config.DiagnosticsConfig()


def test_flags_override_config(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the configured folders are wrong; the flags name the right ones
    (project / "pyproject.toml").write_text(
        GOOD.replace('specs = "specs"', 'specs = "no-specs"') + 'templates = "no-templates"\n',
        encoding="utf-8",
    )
    (project / "specs").rename(project / "my-specs")
    (project / "my-templates").mkdir()
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
        GOOD.replace('"specs"', '"../specs"').replace('"generated"', '"alt-out"'),
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
    # the SuperOffice profile applies by itself; a project may override one of its settings
    assert main(["generate", "--quiet"]) == 0
    init = (project / "generated/superoffice/services86/__init__.py").read_text(encoding="utf-8")
    assert "class NetServer:" in init and "NetServerError" in init
    (project / "pyproject.toml").write_text(
        GOOD + '[tool.soapgen.apis.superoffice]\nfacade = "Crm"\n', encoding="utf-8"
    )
    assert main(["check"]) == 1
    assert "configuration changed ([tool.soapgen] package or apis)" in capsys.readouterr().out
    assert main(["generate", "--quiet"]) == 0
    init = (project / "generated/superoffice/services86/__init__.py").read_text(encoding="utf-8")
    assert "class Crm:" in init and "NetServerError" in init
    assert main(["check"]) == 0


def test_profile_named_for_an_api_folder(project: Path) -> None:
    # the same pages in a folder named otherwise still get the SuperOffice profile; naming the
    # generic one drops the facade's error class
    (project / "specs" / "superoffice").rename(project / "specs" / "crm")
    assert main(["generate", "--quiet"]) == 0
    init = (project / "generated/crm/services86/__init__.py").read_text(encoding="utf-8")
    assert "class NetServer:" in init and "NetServerError" in init
    (project / "pyproject.toml").write_text(
        GOOD + '[tool.soapgen.apis.crm]\nprofile = "generic"\n', encoding="utf-8"
    )
    assert main(["generate", "--quiet"]) == 0
    init = (project / "generated/crm/services86/__init__.py").read_text(encoding="utf-8")
    assert "class Client:" in init and "NetServerError" not in init


# --- progress lines: on a terminal only, never with --quiet -------------------------------------


def _generate_with_stderr_on(project: Path, tty: bool, *flags: str) -> str:
    import pty
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm"}
    cmd = [sys.executable, "-m", "soapgen", "generate", *flags]
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
    assert "soapgen: reading specs, rendering and formatting ..." in shown
    assert "soapgen: writing " in shown and " files to generated ..." in shown
    assert _generate_with_stderr_on(project, True, "--quiet") == ""
    assert "soapgen: reading" not in _generate_with_stderr_on(project, False)


def test_package_must_be_the_output_folder(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text(GOOD + 'package = "acme.clients"\n', encoding="utf-8")
    assert main(["generate"]) == 2
    assert "the output folder must end in acme/clients (it is generated)" in capsys.readouterr().err
    (project / "pyproject.toml").write_text(
        GOOD.replace('"generated"', '"src/acme/clients"') + 'package = "acme.clients"\n',
        encoding="utf-8",
    )
    assert main(["generate"]) == 0
    out = capsys.readouterr().out
    assert "generated acme.clients.superoffice.services86: " in out
    assert (project / "src/acme/clients/superoffice/services86/report.py").is_file()


def test_diagnostics_ignored_summarized_and_quiet(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Services86 Report has 4 SAMPLE010 warnings about the upstream docs
    assert main(["generate"]) == 0
    out = capsys.readouterr().out
    assert out.count(" warning SAMPLE010 ") == 4
    assert "0 errors, 4 warnings (SAMPLE010 4)" in out
    # --quiet: errors and one summary line
    assert main(["generate", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "0 errors, 4 warnings (SAMPLE010 4);" in out
    # summarized: one line per code, with a count and the first one
    (project / "pyproject.toml").write_text(
        GOOD + '[tool.soapgen.diagnostics]\nsummarize = ["SAMPLE"]\n', encoding="utf-8"
    )
    assert main(["generate"]) == 0
    out = capsys.readouterr().out
    assert " warning SAMPLE010 " not in out
    assert "SAMPLE010: 4 warnings (summarized; the first: specs/superoffice/Services86/" in out
    assert main(["generate", "--summary"]) == 0
    assert "SAMPLE010: 4 warnings (summarized" in capsys.readouterr().out
    # ignored: not printed, counted
    (project / "pyproject.toml").write_text(
        GOOD + '[tool.soapgen.diagnostics]\nignore = ["SAMPLE010"]\n', encoding="utf-8"
    )
    assert main(["generate"]) == 0
    out = capsys.readouterr().out
    assert "SAMPLE010" not in out
    assert "0 errors, 4 warnings (4 ignored)" in out
    # errors are always printed, one per line, whatever is summarized
    (project / "pyproject.toml").write_text(
        GOOD + '[tool.soapgen.diagnostics]\nsummarize = true\nignore = ["WSDL002"]\n',
        encoding="utf-8",
    )
    page = project / "specs/superoffice/Services86/Services86-Report.md"
    page.write_text(page.read_text(encoding="utf-8").replace("<wsdl:definitions", "<wsdl:oops", 1))
    assert main(["generate", "--quiet"]) == 1
    out = capsys.readouterr().out
    assert " error " in out and "nothing written" in out


def test_a_shadowing_runtime_file_is_formatted_and_soapgen_s_own_copied(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """soapgen's own runtime is black-formatted in its repository and copied as it is; a
    project's runtime file goes through black like every rendered module."""
    from soapgen.core.templateset import packaged_dir

    own = Path(packaged_dir()) / "runtime" / "errors.py"
    (project / "mine" / "runtime").mkdir(parents=True)
    shadow = own.read_text(encoding="utf-8") + "\nEXTRA  =  ( 1,2 )\n"
    (project / "mine" / "runtime" / "errors.py").write_text(shadow, encoding="utf-8")
    (project / "pyproject.toml").write_text(GOOD + 'templates = "mine"\n', encoding="utf-8")
    assert main(["generate"]) == 0, capsys.readouterr().err
    runtime = project / "generated" / "superoffice" / "services86" / "_runtime"
    assert (runtime / "errors.py").read_text(encoding="utf-8").endswith("\nEXTRA = (1, 2)\n")
    for name in ("client.py", "xsd.py"):
        assert (runtime / name).read_bytes() == (own.parent / name).read_bytes()
