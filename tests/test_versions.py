"""Versions side by side: `soapgen diff` (markdown and JSON) and `soapgen add-version`.

The real case is the Report agent, documented in Services86 and Services87 (13 operations)
and in Services88 (4 operations, more enum values). The synthetic cases write small WSDL
variants into temporary folders and check every kind of change the changelog reports.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from soapgen import versions
from soapgen.cli import main

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs" / "superoffice"
CONFIG = str(ROOT / "pyproject.toml")
CORPUS87 = ROOT.parent / "shared" / "corpus" / "superoffice-docfx" / "Services87"
SPECS87 = SPECS / "Services87" if (SPECS / "Services87").is_dir() else CORPUS87

REMOVED_FROM_REPORT = [
    "CreateDefaultReportEntity() -> ReportEntity",
    "CreateFavorite(SourceId: xs:int, Name: xs:string, Description: xs:string) -> ReportEntity",
    "DeleteFavorite(ReportEntityId: xs:int) -> None",
    "DeleteReport(ReportId: xs:int) -> xs:boolean",
    "GenerateReport(ReportId: xs:int, LabelLayoutId: xs:int, Filename: xs:string, Language: xs:string,"
    " FileType: xs:string, Restrictions: ArrayOfArchiveRestrictionInfo) -> xs:string",
    "GetReportEntity(ReportEntityId: xs:int) -> ReportEntity",
    "ImportReport(Report: xs:string) -> xs:int",
    "SaveReportEntity(ReportEntity: ReportEntity) -> ReportEntity",
    "UpdateFavorite(ReportEntity: ReportEntity) -> ReportEntity",
]

ENUM_CHANGES_88 = """\
- `EFieldRight` (flags enum)
  - value `Nullable` added: 32
- `ETableRight` (flags enum)
  - value `Unused1` added: 64
  - value `Uninitialized` added: 128
  - value `R` added: 1
  - value `F` added: 16
"""


def needs(*folders: Path) -> None:
    for f in folders:
        if not f.is_dir():
            pytest.skip(f"{f} is not there")


# --- the Report agent across Services86, 87 and 88 ------------------------------------------


@pytest.mark.parametrize("old", ["Services86", "Services87"])
def test_report_diff_to_88_markdown(old: str, capsys: pytest.CaptureFixture[str]) -> None:
    old_dir = SPECS87 if old == "Services87" else SPECS / old
    needs(old_dir, SPECS / "Services88")
    name = f"superoffice/{old}" if old_dir.parent == SPECS else str(old_dir)
    assert (
        main(["diff", name, "superoffice/Services88", "--agent", "Report", "--config", CONFIG]) == 0
    )
    text = capsys.readouterr().out
    assert text.startswith(f"# superoffice {old} -> Services88\n")
    assert "| operations | 13 | 4 |" in text
    assert "## Report agent\n\n13 -> 4 operations.\n\n### Removed operations\n\n" in text
    removed = text.split("### Removed operations\n\n")[1].split("\n\n")[0].splitlines()
    assert removed == [f"- `{sig}`" for sig in REMOVED_FROM_REPORT]
    assert (
        "### Added operations" not in text and "### Changed operations" not in text
    )  # the 4 kept are unchanged
    assert "### Removed types\n\n" in text
    for gone in (
        "ReportEntity` (complex)",
        "ReportCategory` (enum)",
        "ArrayOfArchiveRestrictionInfo` (array)",
    ):
        assert f"- `{gone}" in text
    assert "### Changed types\n\n" + ENUM_CHANGES_88 in text
    assert "Changes: operations: 9 removed; types: 8 removed, 2 changed." in text


def test_report_diff_json(capsys: pytest.CaptureFixture[str]) -> None:
    needs(SPECS / "Services86", SPECS / "Services88")
    assert (
        main(
            ["diff", "Services86", "Services88", "--agent", "Report", "--json", "--config", CONFIG]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert (data["old"]["version"], data["old"]["operations"]) == ("Services86", 13)
    assert (data["new"]["version"], data["new"]["operations"]) == ("Services88", 4)
    assert data["old"]["source"].endswith("Services86") and data["new"]["source"].endswith(
        "Services88"
    )
    assert data["counts"]["operations_removed"] == 9 and data["counts"]["operations_added"] == 0
    [agent] = data["agents"]
    assert agent["name"] == "Report" and agent["change"] == "changed"
    assert [op["name"] for op in agent["operations"]] == [
        s.split("(")[0] for s in REMOVED_FROM_REPORT
    ]
    assert {op["change"] for op in agent["operations"]} == {"removed"}
    types = {t["name"]: t for t in data["types"]}
    table = types["ETableRight"]
    assert table["change"] == "changed" and table["summary"] == "flags enum"
    assert [(d["what"], d["name"], d["change"], d["new"]) for d in table["details"]] == [
        ("value", "Unused1", "added", "64"),
        ("value", "Uninitialized", "added", "128"),
        ("value", "R", "added", "1"),
        ("value", "F", "added", "16"),
    ]
    assert [(d["name"], d["new"]) for d in types["EFieldRight"]["details"]] == [("Nullable", "32")]


def test_same_agent_in_86_and_87_has_no_changes(capsys: pytest.CaptureFixture[str]) -> None:
    """Only the version name differs (namespaces, endpoints, actions): nothing to report."""
    needs(SPECS / "Services86", SPECS87)
    args = ["diff", str(SPECS / "Services86"), str(SPECS87), "--exit-code"]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "No changes to agents, operations or types." in text
    assert "| operations | 13 | 13 |" in text


def test_whole_versions_list_new_agents(capsys: pytest.CaptureFixture[str]) -> None:
    needs(SPECS / "Services86", SPECS / "Services88")
    assert (
        main(
            [
                "diff",
                "superoffice/Services86",
                "superoffice/Services88",
                "--config",
                CONFIG,
                "--exit-code",
            ]
        )
        == 1
    )
    text = capsys.readouterr().out
    assert "## Ticket agent (new agent)" in text and "## CustomerService agent (new agent)" in text
    assert "- `BatchReply(BatchReplyData: TicketBatchReplyData) -> xs:int`" in text
    # the agents come in name order, whatever order the folders list them in
    assert (
        text.index("## CustomerService agent")
        < text.index("## Report agent")
        < text.index("## Ticket agent")
    )


def test_name_resolution_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["diff", "superoffice/Services1", "superoffice/Services88", "--config", CONFIG]) == 2
    )
    assert "no such version or folder: superoffice/Services1" in capsys.readouterr().err
    assert main(["diff", "Services86", "Services88", "--agent", "Nope", "--config", CONFIG]) == 2
    assert "no agent Nope" in capsys.readouterr().err
    specs = tmp_path / "specs"
    for api in ("a", "b"):
        (specs / api / "V1").mkdir(parents=True)
    assert main(["diff", "V1", "V1", "--specs", str(specs), "--config", CONFIG]) == 2
    assert "ambiguous" in capsys.readouterr().err
    assert main(["diff", "a/V1", "b/V1", "--specs", str(specs), "--config", CONFIG]) == 2
    assert "no spec files" in capsys.readouterr().err


def test_versions_order_and_previous(tmp_path: Path) -> None:
    assert versions.version_key("Services88") == (88,)
    assert versions.version_key("V2.10") == (2, 10)
    for name in ("Services86", "Services87", "Services88", "Services100", "notes"):
        (tmp_path / "superoffice" / name).mkdir(parents=True)
    assert versions.versions_of(str(tmp_path), "superoffice") == [
        "notes",
        "Services86",
        "Services87",
        "Services88",
        "Services100",
    ]
    assert versions.previous_version(str(tmp_path), "superoffice", "Services87") == "Services86"
    assert versions.previous_version(str(tmp_path), "superoffice", "Services89") == "Services88"
    assert versions.previous_version(str(tmp_path), "superoffice", "Services101") == "Services100"
    assert versions.previous_version(str(tmp_path), "superoffice", "Services86") is None
    assert versions.previous_version(str(tmp_path), "other", "Services90") is None


# --- synthetic changes ---------------------------------------------------------------------------

ENUM = '<xs:enumeration value="{0}"><xs:annotation><xs:appinfo><ser:EnumerationValue>{1}</ser:EnumerationValue></xs:appinfo></xs:annotation></xs:enumeration>'


def el(name: str, type_: str, extra: str = 'minOccurs="0"') -> str:
    return f'<xs:element {extra} name="{name}" type="{type_}"/>'


def wsdl(
    version: str, operations: dict[str, tuple[str, str]], types: str, agent: str = "Demo"
) -> str:
    """A WCF-shaped document/literal WSDL: op name -> (request children, response children)."""
    ns = f"http://example.com/demo/{version}"
    wrappers, messages, port, binding = [], [], [], []
    for op, (req, resp) in operations.items():
        for suffix, children in (("", req), ("Response", resp)):
            wrappers.append(
                f'<xs:element name="{op}{suffix}"><xs:complexType><xs:sequence>{children}</xs:sequence></xs:complexType></xs:element>'
            )
        messages.append(
            f'<wsdl:message name="{op}Request"><wsdl:part name="parameters" element="tns:{op}"/></wsdl:message>'
        )
        messages.append(
            f'<wsdl:message name="{op}Response"><wsdl:part name="parameters" element="tns:{op}Response"/></wsdl:message>'
        )
        port.append(
            f'<wsdl:operation name="{op}"><wsdl:input message="tns:{op}Request"/><wsdl:output message="tns:{op}Response"/></wsdl:operation>'
        )
        binding.append(
            f'<wsdl:operation name="{op}"><soap:operation soapAction="{ns}/{op}" style="document"/>'
            '<wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>'
        )
    nl = "\n    "
    return f"""<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions name="{agent}" targetNamespace="{ns}" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"
  xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="{ns}"
  xmlns:ser="http://schemas.microsoft.com/2003/10/Serialization/">
  <wsdl:types>
    <xs:schema elementFormDefault="qualified" targetNamespace="{ns}">
    {nl.join(wrappers)}
    {types}
    </xs:schema>
  </wsdl:types>
  {nl.join(messages)}
  <wsdl:portType name="{agent}">{"".join(port)}</wsdl:portType>
  <wsdl:binding name="BasicHttpBinding_{agent}" type="tns:{agent}">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>{"".join(binding)}
  </wsdl:binding>
  <wsdl:service name="{agent}"><wsdl:port name="BasicHttpBinding_{agent}" binding="tns:BasicHttpBinding_{agent}">
    <soap:address location="https://example.com/{version}/{agent}.svc"/></wsdl:port></wsdl:service>
</wsdl:definitions>
"""


def types_xml(
    thing_fields: str, rights: list[tuple[str, int]], colors: list[str], extra: str = ""
) -> str:
    return (
        f'<xs:complexType name="Thing"><xs:sequence>{thing_fields}</xs:sequence></xs:complexType>'
        '<xs:element name="Thing" nillable="true" type="tns:Thing"/>'
        '<xs:simpleType name="Right"><xs:list><xs:simpleType><xs:restriction base="xs:string">'
        + "".join(ENUM.format(n, v) for n, v in rights)
        + "</xs:restriction></xs:simpleType></xs:list></xs:simpleType>"
        '<xs:simpleType name="Color"><xs:restriction base="xs:string">'
        + "".join(f'<xs:enumeration value="{c}"/>' for c in colors)
        + "</xs:restriction></xs:simpleType>"
        + extra
    )


OLD_OPS = {
    "GetThing": (el("Id", "xs:int"), el("Response", "tns:Thing", 'minOccurs="0" nillable="true"')),
    "DeleteThing": (el("Id", "xs:int"), el("Response", "xs:boolean")),
    "Ping": ("", ""),
    "Find": (el("Name", "xs:string") + el("Color", "tns:Color"), el("Response", "xs:int")),
}
OLD_TYPES = types_xml(
    el("Name", "xs:string", 'minOccurs="0" nillable="true"')
    + el("Label", "xs:string")
    + el("Rights", "tns:Right"),
    [("Read", 1), ("Write", 2)],
    ["Red", "Green"],
    '<xs:complexType name="Old"><xs:sequence/></xs:complexType>',
)
NEW_OPS = {
    "GetThing": (
        el("Id", "xs:long") + el("IncludeHidden", "xs:boolean"),
        el("Response", "tns:Thing", 'minOccurs="0" nillable="true"'),
    ),
    "AddThing": (
        el("Thing", "tns:Thing", 'minOccurs="0" nillable="true"'),
        el("Response", "xs:int"),
    ),
    "Ping": ("", el("Response", "xs:string", 'minOccurs="0" nillable="true"')),
    "Find": (
        el("Color", "tns:Color") + el("Name", "xs:string", 'minOccurs="1"'),
        el("Response", "xs:int"),
    ),
}
NEW_TYPES = types_xml(
    el("Name", "xs:string", 'minOccurs="0" nillable="true"')
    + el("Rights", "tns:Right")
    + el("Size", "xs:int"),
    [("Read", 1), ("Write", 8), ("Admin", 16)],
    ["Red", "Blue"],
    '<xs:complexType name="New"><xs:sequence/></xs:complexType>',
)

SYNTHETIC_MD = """\
# superoffice V1 -> V2

| | V1 | V2 |
|---|---:|---:|
| agents | 1 | 1 |
| operations | 4 | 4 |
| types | 4 | 4 |

Changes: operations: 1 added, 1 removed, 3 changed; types: 1 added, 1 removed, 3 changed.

## Demo agent

4 -> 4 operations.

### Removed operations

- `DeleteThing(Id: xs:int) -> xs:boolean`

### Added operations

- `AddThing(Thing: Thing) -> xs:int`

### Changed operations

- `Find`
  - parameter `Name` optionality: `optional` -> `required`
  - parameter order: `Name, Color` -> `Color, Name`
- `GetThing`
  - parameter `Id` type: `xs:int` -> `xs:long`
  - parameter `IncludeHidden` added: `xs:boolean`, optional
- `Ping`
  - returns: `None` -> `xs:string`

## Types

### Removed types

- `Old` (complex)

### Added types

- `New` (complex)

### Changed types

- `Color` (enum)
  - value `Blue` added: 1
  - value `Green` removed (was 1)
- `Right` (flags enum)
  - value `Write` number: `2` -> `8`
  - value `Admin` added: 16
- `Thing` (complex)
  - field `Size` added: `xs:int`, optional
  - field `Label` removed (was `xs:string`, optional)
"""


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    for version, ops, types in (("V1", OLD_OPS, OLD_TYPES), ("V2", NEW_OPS, NEW_TYPES)):
        (tmp_path / version).mkdir()
        (tmp_path / version / "Demo.wsdl").write_text(wsdl(version, ops, types), encoding="utf-8")
    return tmp_path


def test_synthetic_inputs_read_cleanly(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for version in ("V1", "V2"):
        assert main(["inspect", str(demo / version)]) == 0
        assert "0 errors, 0 warnings" in capsys.readouterr().out


def test_synthetic_markdown(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(demo / "V1"), str(demo / "V2"), "--exit-code"]) == 1
    assert capsys.readouterr().out == SYNTHETIC_MD


def test_synthetic_json(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(demo / "V1"), str(demo / "V2"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"] == {
        "agents_added": 0,
        "agents_removed": 0,
        "agents_changed": 0,
        "operations_added": 1,
        "operations_removed": 1,
        "operations_changed": 3,
        "types_added": 1,
        "types_removed": 1,
        "types_changed": 3,
    }
    ops = {op["name"]: op for op in data["agents"][0]["operations"]}
    assert ops["GetThing"]["details"][0] == {
        "what": "parameter",
        "name": "Id",
        "change": "changed",
        "aspect": "type",
        "old": "xs:int",
        "new": "xs:long",
    }
    assert ops["Ping"]["details"] == [
        {
            "what": "returns",
            "name": "",
            "change": "changed",
            "aspect": "type",
            "old": "None",
            "new": "xs:string",
        }
    ]
    right = next(t for t in data["types"] if t["name"] == "Right")
    assert right["details"][0] == {
        "what": "value",
        "name": "Write",
        "change": "changed",
        "aspect": "number",
        "old": "2",
        "new": "8",
    }


def test_synthetic_more_changes(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Return type, nillable, list and kind changes; a version compared with itself is empty."""
    v3 = demo / "V3"
    v3.mkdir()
    ops = dict(OLD_OPS)
    ops["GetThing"] = (
        el("Id", "xs:int", 'minOccurs="0" maxOccurs="unbounded"'),
        el("Response", "xs:string"),
    )
    ops["Find"] = (
        el("Name", "xs:string", 'minOccurs="0" nillable="true"') + el("Color", "tns:Color"),
        el("Response", "xs:int"),
    )
    types = OLD_TYPES.replace(
        '<xs:complexType name="Old"><xs:sequence/></xs:complexType>',
        '<xs:simpleType name="Old"><xs:restriction base="xs:int"/></xs:simpleType>',
    )
    (v3 / "Demo.wsdl").write_text(wsdl("V3", ops, types), encoding="utf-8")
    assert main(["diff", str(demo / "V1"), str(v3)]) == 0
    text = capsys.readouterr().out
    assert (
        "- `GetThing`\n  - parameter `Id` optionality: `optional` -> `optional, list`\n  - returns: `Thing` -> `xs:string`\n"
        in text
    )
    assert "  - parameter `Name` optionality: `optional` -> `optional, nillable`\n" in text
    assert "- `Old` (alias)\n  - kind: `complex` -> `alias`\n" in text
    assert main(["diff", str(demo / "V1"), str(demo / "V1"), "--exit-code"]) == 0
    assert "No changes" in capsys.readouterr().out


def test_synthetic_added_and_removed_agent(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (demo / "V2" / "Other.wsdl").write_text(
        wsdl("V2", {"Hello": (el("Who", "xs:string"), "")}, "", agent="Other"), encoding="utf-8"
    )
    assert main(["diff", str(demo / "V1"), str(demo / "V2")]) == 0
    text = capsys.readouterr().out
    assert (
        "## Other agent (new agent)\n\n### Added operations\n\n- `Hello(Who: xs:string) -> None`\n"
        in text
    )
    assert main(["diff", str(demo / "V2"), str(demo / "V1"), "--agent", "Other"]) == 0
    text = capsys.readouterr().out
    assert (
        "## Other agent (agent removed)\n\n### Removed operations\n\n- `Hello(Who: xs:string) -> None`\n"
        in text
    )


def test_diff_is_deterministic_across_hash_seeds(demo: Path) -> None:
    outs = []
    for seed in ("0", "1", "2"):
        proc = subprocess.run(
            [sys.executable, "-m", "soapgen", "diff", "V1", "V2", "--json"],
            cwd=demo,
            env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        outs.append(proc.stdout)
    assert outs[0] == outs[1] == outs[2]


def test_broken_side_is_an_input_error(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = demo / "V2" / "Demo.wsdl"
    path.write_text(path.read_text(encoding="utf-8")[:400], encoding="utf-8")
    assert main(["diff", str(demo / "V1"), str(demo / "V2")]) == 2
    err = capsys.readouterr().err
    assert "Demo.wsdl" in err and "cannot compare" in err


# --- add-version ---------------------------------------------------------------------------------

PYPROJECT = """\
[tool.soapgen]
specs = "specs"
output = "generated"
templates = "templates"
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    needs(SPECS / "Services86", SPECS87)
    shutil.copytree(SPECS / "Services86", tmp_path / "specs" / "superoffice" / "Services86")
    shutil.copytree(
        ROOT / "templates", tmp_path / "templates", ignore=shutil.ignore_patterns("__pycache__")
    )
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    shutil.copytree(SPECS87, tmp_path / "incoming" / "Services87")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_add_version(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "incoming" / "Services87" / ".DS_Store").write_bytes(b"x")
    assert main(["add-version", "incoming/Services87"]) == 0
    text = capsys.readouterr().out
    dest = project / "specs" / "superoffice" / "Services87"
    assert sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()) == sorted(
        p.relative_to(SPECS87).as_posix() for p in SPECS87.rglob("*") if p.is_file()
    )
    assert text.startswith("added specs/superoffice/Services87: 15 files; 0 errors, 0 warnings\n")
    assert (
        "# superoffice Services86 -> Services87" in text
        and "No changes to agents, operations or types." in text
    )
    assert "run `soapgen generate` to create generated/superoffice/services87/" in text
    assert not list(project.glob("specs/superoffice/*.soapgen-*"))

    # a second time: refused, nothing touched; the hint names --agent
    assert main(["add-version", "incoming/Services87"]) == 2
    err = capsys.readouterr().err
    assert "already exists; add single agents to it with --agent NAME" in err

    # the new version generates into its own package beside the old one
    assert main(["generate", "--quiet"]) == 0
    assert (project / "generated/superoffice/services87/report.py").is_file()
    assert (project / "generated/superoffice/services86/report.py").is_file()
    assert main(["check"]) == 0


def test_add_version_agent_to_an_existing_version(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    needs(SPECS / "Services88")
    incoming = project / "incoming" / "Services88"
    shutil.copytree(SPECS / "Services88", incoming)
    # a version with one agent first
    assert main(["add-version", "incoming/Services88", "--agent", "Report"]) == 0
    dest = project / "specs" / "superoffice" / "Services88"
    assert sorted(p.name for p in dest.iterdir()) == ["Report", "Services88-Report.md"]
    capsys.readouterr()
    # then more agents into the same version; the changelog covers only them
    assert main(["add-version", "incoming/Services88", "--agent", "Ticket"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("added Ticket to specs/superoffice/Services88: ")
    assert "## Ticket agent (new agent)" in text and "## Report agent" not in text
    assert (dest / "Services88-Ticket.md").is_file() and (dest / "Ticket").is_dir()
    # an agent the version has already, or one the folder lacks: refused, nothing touched
    before = sorted(str(p) for p in dest.rglob("*"))
    assert main(["add-version", "incoming/Services88", "--agent", "Ticket"]) == 2
    assert "already has Services88-Ticket.md, Ticket" in capsys.readouterr().err
    assert main(["add-version", "incoming/Services88", "--agent", "Nope"]) == 2
    err = capsys.readouterr().err
    assert "has no agent folder Nope (agents: CustomerService, Report, SoPrincipal, Ticket)" in err
    assert sorted(str(p) for p in dest.rglob("*")) == before
    # a broken agent elsewhere in the folder does not block adding another one
    shutil.rmtree(dest / "Ticket")
    (dest / "Services88-Ticket.md").unlink()
    broken = incoming / "Services88-CustomerService.md"
    broken.write_bytes(broken.read_bytes()[:5000])
    assert main(["add-version", "incoming/Services88", "--agent", "Ticket"]) == 0
    assert main(["generate", "--quiet"]) == 0
    assert (project / "generated/superoffice/services88/ticket.py").is_file()


def test_add_version_against_previous_and_first(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    needs(SPECS / "Services88")
    # 88 lands above 86 and 87: compared with 87, the highest version below it
    assert main(["add-version", "incoming/Services87"]) == 0
    capsys.readouterr()
    shutil.copytree(SPECS / "Services88", project / "incoming" / "Services88")
    assert main(["add-version", "incoming/Services88", "--api", "superoffice"]) == 0
    text = capsys.readouterr().out
    assert "# superoffice Services87 -> Services88" in text
    assert "## Ticket agent (new agent)" in text and ENUM_CHANGES_88 in text
    # the first version of another api: nothing to compare with
    assert main(["add-version", "incoming/Services88", "--api", "other"]) == 0
    text = capsys.readouterr().out
    assert "no earlier version of other below Services88" in text
    assert (project / "specs/other/Services88/Services88-Ticket.md").is_file()


def test_add_version_refusals(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    specs_before = sorted(str(p) for p in (project / "specs").rglob("*"))
    # the pages say Services87: another folder name would be ignored by generate
    assert main(["add-version", "incoming/Services87", "--name", "Services99"]) == 2
    assert "the pages in incoming/Services87 say Services87" in capsys.readouterr().err
    # broken docs are not added
    wsdl_page = project / "incoming/Services87/Services87-Report.md"
    data = wsdl_page.read_bytes()
    wsdl_page.write_bytes(data[: len(data) // 2] + b"\n```\n")
    assert main(["add-version", "incoming/Services87"]) == 2
    err = capsys.readouterr().err
    assert "Services87-Report.md" in err and "not added" in err
    assert main(["add-version", "incoming/nothing-here"]) == 2
    assert "not a folder" in capsys.readouterr().err
    assert main(["add-version", "specs/superoffice/Services86"]) == 2
    assert "already below the specs folder" in capsys.readouterr().err
    assert sorted(str(p) for p in (project / "specs").rglob("*")) == specs_before


def test_add_version_raw_wsdl_takes_name(
    demo: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Raw WSDL files carry no version; --name (or the folder name) decides it."""
    assert main(["add-version", str(demo / "V1"), "--api", "demo", "--name", "V7"]) == 0
    assert (project / "specs/demo/V7/Demo.wsdl").is_file()
    assert main(["add-version", str(demo / "V2"), "--api", "demo", "--name", "V8"]) == 0
    text = capsys.readouterr().out
    assert "# demo V7 -> V8" in text and "- `AddThing(Thing: Thing) -> xs:int`" in text
