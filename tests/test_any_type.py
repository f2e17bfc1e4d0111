"""xs:anyType values (issue 15): typed by their xsi:type, read and written as zeep does, and
doc samples that carry them keep their generated fixture tests.

A Services86 Report project whose ReportLabelLayoutEntity holds its Name and Description as
xs:anyType (as a WCF object would be), with doc samples showing typed, untyped and empty
values."""

from __future__ import annotations

import datetime
import decimal
import importlib
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from lxml import etree

from soapgen.config.project import Config
from soapgen.pipeline.run import generate

from wsdl_project import zeep_client

ROOT = Path(__file__).resolve().parents[1]
SPECS86 = ROOT / "specs" / "superoffice" / "Services86"
S11 = "http://schemas.xmlsoap.org/soap/envelope/"
NS = "http://www.superoffice.net/ws/crm/NetServer/Services86"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XSD = "http://www.w3.org/2001/XMLSchema"

EDITS = {
    "Services86-Report.md": [
        (
            '<xs:element minOccurs="0" name="Name" nillable="true" type="xs:string" />\n'
            '              <xs:element minOccurs="0" name="Description" nillable="true"'
            ' type="xs:string" />\n'
            '              <xs:element minOccurs="0" name="Orientation"',
            '<xs:element minOccurs="0" name="Name" nillable="true" type="xs:anyType" />\n'
            '              <xs:element minOccurs="0" name="Description" nillable="true"'
            ' type="xs:anyType" />\n'
            '              <xs:element minOccurs="0" name="Orientation"',
        )
    ],
    "Report/SaveReportLabelLayoutEntity.md": [  # the request sample, then the response's
        (
            '<Report:Name xsi:type="xsd:string"></Report:Name>',
            '<Report:Name xsi:type="xsd:short">42</Report:Name>',
        ),
        (
            '<Report:Name xsi:type="xsd:string"></Report:Name>',
            '<Report:Name xsi:type="xsd:dateTime">2024-01-02T03:04:05</Report:Name>',
        ),
        (
            '<Report:Description xsi:type="xsd:string"></Report:Description>',
            '<Report:Description xsi:type="xsd:string">text</Report:Description>',
        ),
        (
            '<Report:Description xsi:type="xsd:string"></Report:Description>',
            '<Report:Description xsi:type="xsd:anyType"></Report:Description>',
        ),
    ],
    "Report/GetReportLabelLayoutEntity.md": [
        (
            '<Report:Name xsi:type="xsd:string"></Report:Name>',
            '<Report:Name xsi:type="xsd:decimal">1.50</Report:Name>',
        ),
        (
            '<Report:Description xsi:type="xsd:string"></Report:Description>',
            "<Report:Description>untyped</Report:Description>",
        ),
    ],
}
PAGES = ("SaveReportLabelLayoutEntity", "GetReportLabelLayoutEntity")
PACKAGE = "anytype.superoffice.services86"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, ModuleType]]:
    tmp = tmp_path_factory.mktemp("anytype")
    specs = tmp / "specs" / "superoffice" / "Services86"
    shutil.copytree(SPECS86, specs)
    for rel, changes in EDITS.items():
        path = specs / rel
        text = path.read_text(encoding="utf-8")
        for old, new in changes:
            assert old in text, (rel, old)
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    out = tmp / "anytype"  # a package of its own: the repository's superoffice stays imported
    config = Config(root=str(tmp), specs=str(tmp / "specs"), output=str(out), package="anytype")
    result = generate(config)
    assert not result.diags.has_errors, [d.format() for d in result.diags.items]
    mine = [
        d.format()
        for d in result.diags.items
        if d.code.startswith("SAMPLE") and any(p + ".md" in d.file for p in PAGES)
    ]
    assert mine == [], mine  # every value is read: no deviation, no page without tests
    for rel, data in result.files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    sys.path.insert(0, str(tmp))
    try:
        yield tmp, importlib.import_module(f"{PACKAGE}.report")
    finally:
        sys.path.remove(str(tmp))


def test_fields_are_objects_typed_by_xsi_type(project: tuple[Path, ModuleType]) -> None:
    _, report = project
    hints = report.ReportLabelLayoutEntity.__annotations__
    assert hints["name"] == "object | None" and hints["description"] == "object | None"


def test_the_fixture_tests_of_the_pages_pass(project: tuple[Path, ModuleType]) -> None:
    tmp, _ = project
    out = tmp / "anytype"
    tests = (out / "superoffice" / "services86" / "tests" / "test_report.py").read_text()
    assert "response_typed=" in tests and "request_typed=" in tests
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        + ["-k", "ReportLabelLayoutEntity or report_label_layout_entity"]
        + [str(out / "superoffice" / "services86" / "tests")],
        capture_output=True,
        text=True,
        cwd=out,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    # the stored reply keeps the xsi:type an xs:anyType value carries, and only that one
    stored = (
        out / "superoffice/services86/fixtures/report/GetReportLabelLayoutEntity.response.xml"
    ).read_bytes()
    typed = {
        etree.QName(el).localname: el.get(f"{{{XSI}}}type")
        for el in etree.fromstring(stored).iter()
        if el.get(f"{{{XSI}}}type")
    }
    assert list(typed) == ["Name"] and typed["Name"].endswith(":decimal")


class Canned:
    def __init__(self, runtime: Any, reply: bytes) -> None:
        self.runtime, self.reply = runtime, reply
        self.calls: list[Any] = []

    def send(self, call: Any) -> Any:
        self.calls.append(call)
        return self.runtime.SoapReply(200, self.reply, "text/xml; charset=utf-8")


VALUES = [  # (xsi:type or None, text, what the client and zeep read)
    ("xsd:int", "42", 42),
    ("xsd:long", "9000000000", 9_000_000_000),
    ("xsd:boolean", "true", True),
    ("xsd:decimal", "1.50", decimal.Decimal("1.50")),
    ("xsd:double", "2.5", 2.5),
    ("xsd:dateTime", "2024-01-02T03:04:05", datetime.datetime(2024, 1, 2, 3, 4, 5)),
    ("xsd:date", "2024-01-02", datetime.date(2024, 1, 2)),
    ("xsd:string", "", ""),
    ("xsd:string", "text", "text"),
    ("xsd:base64Binary", "AAE=", b"\x00\x01"),
    ("xsd:anyType", "", None),
    (None, "", None),
    (None, "untyped", "untyped"),
]


def _reply(xsi_type: str | None, text: str) -> bytes:
    typed = f' xsi:type="{xsi_type}"' if xsi_type else ""
    return (
        f'<s:Envelope xmlns:s="{S11}" xmlns:xsi="{XSI}" xmlns:xsd="{XSD}"><s:Body>'
        f'<GetReportLabelLayoutEntityResponse xmlns="{NS}"><Response>'
        f"<Name{typed}>{text}</Name></Response></GetReportLabelLayoutEntityResponse>"
        "</s:Body></s:Envelope>"
    ).encode()


def _wsdl(tmp: Path) -> Path:
    page = (tmp / "specs/superoffice/Services86/Services86-Report.md").read_text("utf-8")
    wsdl = tmp / "Report.wsdl"
    start = page.index("<wsdl:definitions")
    wsdl.write_text(page[start : page.index("</wsdl:definitions>") + 19], encoding="utf-8")
    return wsdl


@pytest.mark.parametrize(("xsi_type", "text", "expected"), VALUES)
def test_reading_agrees_with_zeep(
    project: tuple[Path, ModuleType], xsi_type: str | None, text: str, expected: object
) -> None:
    tmp, report = project
    runtime = sys.modules[f"{PACKAGE}._runtime"]
    reply = _reply(xsi_type, text)
    agent = report.ReportAgent("http://unused.invalid", transport=Canned(runtime, reply))
    got = agent.get_report_label_layout_entity(1).name
    assert got == expected and type(got) is type(expected)
    zeep = zeep_client(_wsdl(tmp))
    body = etree.fromstring(reply)[0][0]
    zeep_got = zeep.wsdl.types.get_element(body.tag).parse(body, zeep.wsdl.types)  # type: ignore[attr-defined]
    zeep_name = zeep_got.Response.Name
    if expected == "":  # zeep may read an empty typed string as None (lxml's text): we keep ""
        assert zeep_name in (None, "")
    else:
        assert zeep_name == expected and type(zeep_name) is type(expected)


def test_a_record_named_by_xsi_type_and_an_untyped_element(
    project: tuple[Path, ModuleType],
) -> None:
    _, report = project
    runtime = sys.modules[f"{PACKAGE}._runtime"]
    reply = _reply("r:ReportLabelLayoutEntity", "<ReportLabelLayoutId>5</ReportLabelLayoutId>")
    reply = reply.replace(b"<Name ", f'<Name xmlns:r="{NS}" '.encode())
    agent = report.ReportAgent("http://unused.invalid", transport=Canned(runtime, reply))
    got = agent.get_report_label_layout_entity(1).name
    assert isinstance(got, report.ReportLabelLayoutEntity) and got.report_label_layout_id == 5
    unknown = _reply("r:Nothing", "x").replace(b"<Name ", f'<Name xmlns:r="{NS}" '.encode())
    agent = report.ReportAgent("http://unused.invalid", transport=Canned(runtime, unknown))
    element = agent.get_report_label_layout_entity(1).name
    assert isinstance(element, etree._Element) and element.text == "x"  # as it came
    bad = _reply("xsd:int", "forty")
    agent = report.ReportAgent("http://unused.invalid", transport=Canned(runtime, bad))
    with pytest.raises(runtime.MalformedResponseError, match="Name: not a valid xs:int"):
        agent.get_report_label_layout_entity(1)


WRITTEN = [
    42,
    9_000_000_000,
    True,
    decimal.Decimal("1.50"),
    2.5,
    datetime.datetime(2024, 1, 2, 3, 4, 5),
    datetime.date(2024, 1, 2),
    datetime.timedelta(hours=1),
    "text",
    b"\x00\x01",
    uuid.UUID(int=7),
]


@pytest.mark.parametrize("value", WRITTEN, ids=[type(v).__name__ for v in WRITTEN])
def test_writing_agrees_with_zeep_and_the_schema(
    project: tuple[Path, ModuleType], value: object
) -> None:
    tmp, report = project
    runtime = sys.modules[f"{PACKAGE}._runtime"]
    saved = (
        f'<s:Envelope xmlns:s="{S11}"><s:Body><SaveReportLabelLayoutEntityResponse xmlns="{NS}"/>'
        "</s:Body></s:Envelope>"
    ).encode()
    transport = Canned(runtime, saved)
    agent = report.ReportAgent("http://unused.invalid", transport=transport)
    agent.save_report_label_layout_entity(report.ReportLabelLayoutEntity(name=value))
    body = etree.fromstring(transport.calls[0].envelope)[-1][0]
    zeep = zeep_client(_wsdl(tmp))
    zeep_got = zeep.wsdl.types.get_element(body.tag).parse(body, zeep.wsdl.types)  # type: ignore[attr-defined]
    name = zeep_got.ReportLabelLayoutEntity.Name
    if isinstance(value, uuid.UUID):  # zeep has no type for WCF's ser:guid: it keeps the text
        assert str(name) == str(value)
    else:
        assert name == value and type(name) is type(value)
    # and the client reads what it wrote back to the same value
    written = next(el for el in body.iter() if etree.QName(el).localname == "Name")
    assert written.get(f"{{{XSI}}}type") is not None
    reply = _reply(None, "").replace(b"<Name></Name>", etree.tostring(written))
    echo = report.ReportAgent("http://unused.invalid", transport=Canned(runtime, reply))
    assert echo.get_report_label_layout_entity(1).name == value
    with pytest.raises(TypeError, match=r"entity.name must be xs:anyType, not object"):
        agent.save_report_label_layout_entity(report.ReportLabelLayoutEntity(name=object()))


def test_the_mock_server_answers_typed_values(project: tuple[Path, ModuleType]) -> None:
    _, report = project
    testing = importlib.import_module(f"{PACKAGE}.testing")
    when = datetime.datetime(2024, 1, 2, 3, 4, 5)
    with testing.serve() as server:
        server.on(
            "GetReportLabelLayoutEntity",
            report.ReportLabelLayoutEntity(name=when, description=decimal.Decimal("2.5")),
        )
        agent = report.ReportAgent(server.url)
        got = agent.get_report_label_layout_entity(1)
        agent.save_report_label_layout_entity(report.ReportLabelLayoutEntity(name=7))
        assert (got.name, got.description) == (when, decimal.Decimal("2.5"))
        saved = server.calls[-1]
        assert saved.errors == []  # schema-valid
        assert saved.arguments["report_label_layout_entity"].name == 7
