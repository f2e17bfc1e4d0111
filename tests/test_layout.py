"""The folder layout a project keeps its specs in (<specs>/<api>/<Version>/...), and what a
profile makes of a version wherever its files came from: mistakes are one error each, with the
expected layout, and nothing is written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from soapgen.cli import main

from soapgen_project import PYPROJECT

ROOT = Path(__file__).resolve().parents[1]
SPECS88 = ROOT / "specs" / "superoffice" / "Services88"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _ticket(dest: Path) -> None:
    shutil.copytree(SPECS88 / "Ticket", dest / "Ticket")
    shutil.copy2(SPECS88 / "Services88-Ticket.md", dest)


def test_version_folder_without_api_level(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _ticket(project / "specs" / "Services88")
    assert main(["generate"]) == 1
    out = capsys.readouterr().out
    errors = [line for line in out.splitlines() if " error LOAD003 " in line]
    assert 1 <= len(errors) <= 2, out  # one per misplaced level, never one per page
    assert all("<specs>/<api>/<Version>/" in e for e in errors)
    assert any("Services88 is a version: move it to <specs>/<api>/Services88/" in e for e in errors)
    assert "LOAD002" not in out
    assert not (project / "generated").exists()


def test_specs_naming_a_version_folder(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _ticket(project / "specs" / "superoffice" / "Services88")
    assert main(["generate", "--specs", "specs/superoffice/Services88"]) == 1
    out = capsys.readouterr().out
    errors = [line for line in out.splitlines() if " error " in line]
    assert len(errors) == 1, out
    assert "LOAD003" in errors[0] and "spec files lie above the version folders" in errors[0]
    assert "is itself a version folder: name the folder that holds <api>/Services88/" in errors[0]
    assert not (project / "generated").exists()
    assert main(["generate", "--quiet"]) == 0  # the configured specs folder is right


def test_a_few_stray_pages_are_warnings(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    version = project / "specs" / "superoffice" / "Services88"
    _ticket(version)
    stray = ROOT / "specs" / "superoffice" / "Services87" / "Report" / "DeleteReport.md"
    (version / "Report").mkdir()
    shutil.copy2(stray, version / "Report" / "DeleteReport.md")
    main(["generate"])
    out = capsys.readouterr().out
    assert "warning LOAD002 page says Services87 but lies in folder Services88" in out
    assert "LOAD003" not in out


def test_wsdl_page_alone_gets_the_service_path(project: Path) -> None:
    # a WSDL page without its operation pages: the endpoint is the service path below the
    # installation (the page's soap:address carries a sample tenant, Cust12345)
    version = project / "specs" / "superoffice" / "Services88"
    version.mkdir(parents=True)
    page = SPECS88 / "Services88-Ticket.md"
    assert "Cust12345/Remote/Services88/Ticket.svc" in page.read_text(encoding="utf-8")
    shutil.copy2(page, version)
    assert main(["generate", "--quiet"]) == 0
    module = (project / "generated/superoffice/services88/ticket.py").read_text(encoding="utf-8")
    assert 'ENDPOINT = "Remote/Services88/Ticket.svc"' in module
    init = (project / "generated/superoffice/services88/__init__.py").read_text(encoding="utf-8")
    assert "class NetServer:" in init and "NetServerError" in init


def test_raw_wsdl_needs_a_version_folder(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wsdl = ROOT / "tests" / "data" / "wsdl"
    found = sorted(wsdl.rglob("*.wsdl"))
    assert found
    (project / "specs" / "stock").mkdir(parents=True)
    shutil.copy2(found[0], project / "specs" / "stock")
    assert main(["generate"]) == 1
    out = capsys.readouterr().out
    assert "LOAD003" in out and "<specs>/<api>/<Version>/" in out
