"""Readers, merge, naming, layout and the whole pipeline, on real pages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from soapgen.config import naming
from soapgen.core import ir
from soapgen.core.diagnostics import Collector, Level
from soapgen.merge.layout import lay_out as plan
from soapgen.pipeline.run import read_ir
from soapgen.read.sources.wsdl import read_wsdl

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"
CORPUS = ROOT.parent / "shared" / "corpus"
NS88 = "http://www.superoffice.net/ws/crm/NetServer/Services88"


def _wsdl(page: Path) -> ir.Service:
    text = page.read_text()
    start = text.index("```xml\n") + 7
    services, diags, _ = read_wsdl(
        text[start : text.index("\n```", start) + 1], str(page), text[:start].count("\n") + 1
    )
    assert len(services) == 1 and not diags.has_errors, diags.items
    return services[0]


def test_wsdl_reader_reads_wcf_shapes() -> None:
    svc = _wsdl(SPECS / "superoffice" / "Services88" / "Services88-Ticket.md")
    types = {t.name: t for t in svc.types}
    rights = types[f"{{{NS88}}}ETableRight"]
    assert isinstance(rights, ir.EnumType) and rights.flags
    assert [(v.wire, v.number) for v in rights.values][:3] == [
        ("Select", 1),
        ("Update", 2),
        ("Insert", 4),
    ]
    assert ("R", 1) in [(v.wire, v.number) for v in rights.values]
    fp = types[f"{{{NS88}}}FieldPropertyDictionary"]
    assert isinstance(fp, ir.DictType) and fp.value.type == f"{{{NS88}}}FieldProperty"
    arr = types["{http://schemas.microsoft.com/2003/10/Serialization/Arrays}ArrayOfint"]
    assert isinstance(arr, ir.ArrayType) and arr.item.max_occurs is None
    entity = types[f"{{{NS88}}}TicketEntity"]
    assert isinstance(entity, ir.ComplexType) and entity.base == f"{{{NS88}}}Carrier"
    op = next(o for o in svc.operations if o.name == "BatchReply")
    assert op.soap_action.endswith("/Ticket/BatchReply") and svc.soap_version == "1.1"
    assert [h.part for h in op.input_headers] == ["ApplicationToken", "Credentials", "TimeZone"]
    assert [h.part for h in op.output_headers] == [
        "ExceptionInfo",
        "ExtraInfo",
        "Succeeded",
        "TimeZone",
    ]
    assert op.loc.line > 3000  # points into the page, not the fence


def test_hostile_wsdl_is_a_diagnostic(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xml = f'<!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]><definitions xmlns="http://schemas.xmlsoap.org/wsdl/">&x;</definitions>'
    services, diags, _ = read_wsdl(xml, "evil.wsdl")
    assert services == []
    assert [d.code for d in diags.items] == ["WSDL002"]
    assert "TOP-SECRET" not in diags.items[0].message
    services, diags, _ = read_wsdl(
        "<definitions xmlns='http://schemas.xmlsoap.org/wsdl/'><types>", "cut.wsdl"
    )
    assert services == [] and diags.items[0].line == 1 and diags.has_errors


def test_naming_table() -> None:
    cases = {
        "HtmlBody": "html_body",
        "TicketIds": "ticket_ids",
        "URLAddress": "url_address",
        "EMail": "e_mail",
        "class": "class_",
        "match": "match_",
        "self": "self_",
        "nil_fields": "nil_fields_",
        "2fa": "n2fa",
        "Ärger-Größe": "arger_groe",
        "": "value",
    }
    for wire, py in cases.items():
        assert naming.identifier(wire) == py, wire
    assert naming.pascal("None") == "None_" and naming.pascal("ticketEntity") == "TicketEntity"
    assert naming.upper("Select") == "SELECT" and naming.upper("1") == "V1"
    diags = Collector()
    fields = naming.name_fields(
        (ir.Field("FooBar", "", "x"), ir.Field("foo_bar", "", "x")), ir.Loc("f", 3), diags
    )
    assert [f.py_name for f in fields] == ["foo_bar", "foo_bar2"]
    assert [d.code for d in diags.items] == ["NAME001"]


def test_acronyms_are_words() -> None:
    """Issue 13: a run of capitals is a word with its plural s, its version, or a lowercase word
    glued to it (a well-known acronym, or letters a capitalised word cannot start with); names
    the usual split reads well keep it, the SuperOffice ones among them unchanged."""
    cases = {
        "NDFDgen": "ndfd_gen",
        "NDFDgenByDay": "ndfd_gen_by_day",
        "IPv4Address": "ipv4_address",
        "IPv6Enabled": "ipv6_enabled",
        "DNSname": "dns_name",
        "getDNSname": "get_dns_name",
        "NTPserver": "ntp_server",
        "getIDs": "get_ids",
        "URLs": "urls",
        # the usual split before the last capital
        "GetURLForID": "get_url_for_id",
        "HTTPServer": "http_server",
        "HTTPSEnabled": "https_enabled",
        "SOAPAction": "soap_action",
        "XMLHttpRequest": "xml_http_request",
        "SQLStatement": "sql_statement",
        "DNSFromDHCP": "dns_from_dhcp",
        "Pop12Hour": "pop12_hour",
        # SuperOffice names: as before
        "URLName": "url_name",
        "EFieldRight": "e_field_right",
        "ImapOAuth": "imap_o_auth",
        "TZOffset": "tz_offset",
        "UIHintReadOnly": "ui_hint_read_only",
        "CopyFromCRMDocument": "copy_from_crm_document",
        "ContactID": "contact_id",
    }
    assert {wire: naming.snake(wire) for wire in cases} == cases
    assert naming.upper("IPv4") == "IPV4" and naming.pascal("NDFDgen") == "NDFDgen"
    diags = Collector()
    fields = naming.name_fields(
        (ir.Field("IPv4Address", "", "x"), ir.Field("IPV4Address", "", "x")), ir.Loc("f", 3), diags
    )
    assert [f.py_name for f in fields] == ["ipv4_address", "ipv4_address2"]
    assert [d.code for d in diags.items] == ["NAME001"]


def test_naming_copies_the_ir_as_dataclasses_replace_does() -> None:
    """naming._replace skips __init__: right only while no IR class has __post_init__ or slots."""
    import dataclasses
    import inspect

    classes = [c for _, c in inspect.getmembers(ir, inspect.isclass) if dataclasses.is_dataclass(c)]
    assert classes
    for cls in classes:
        assert not hasattr(cls, "__post_init__") and not hasattr(cls, "__slots__"), cls.__name__
    field = ir.Field("FooBar", "", "x")
    assert naming._replace(field, py_name="foo_bar") == dataclasses.replace(
        field, py_name="foo_bar"
    )
    with pytest.raises(TypeError):
        naming._replace(field, no_such_field=1)


def test_specs_read_without_errors_and_shared_types_are_found() -> None:
    diags = Collector()
    versions, _, files = read_ir([str(SPECS)], str(SPECS), diags)
    assert not diags.has_errors, [d.format() for d in diags.items if d.level is Level.ERROR]
    by_name = {v.name: v for api, v in versions if api == "superoffice"}
    assert set(by_name) >= {"Services86", "Services88"}
    assert {api for api, _ in versions} == {"superoffice", "coruson"}
    v88 = by_name["Services88"]
    assert sorted(s.name for s in v88.services) == [
        "CustomerService",
        "Report",
        "SoPrincipal",
        "Ticket",
    ]
    ticket = next(s for s in v88.services if s.name == "Ticket")
    assert ticket.endpoint == "Remote/Services88/Ticket.svc"
    reply = next(o for o in ticket.operations if o.name == "BatchReply")
    assert reply.request_sample is not None and reply.request_sample.loc.line > 20
    v86 = by_name["Services86"]
    imp = next(o for o in v86.services[0].operations if o.name == "ImportReport")
    assert imp.description.startswith("Takes the input stream") and imp.returns_doc.startswith(
        "The id"
    )
    named = naming.name_version(v88, Collector(), frozenset())
    layout = plan(named)
    shared = {ir.local_name(t.name) for t in layout.shared}
    assert {"SoExceptionInfo", "SoCredentials", "ETableRight"} <= shared


def test_differing_definitions_stay_per_agent() -> None:
    """Two agents defining one type differently: each keeps its own; found by comparison."""
    base = _wsdl(SPECS / "superoffice" / "Services88" / "Services88-Report.md")
    import dataclasses

    t = next(t for t in base.types if ir.local_name(t.name) == "TableRight")
    assert isinstance(t, ir.ComplexType)
    changed = dataclasses.replace(t, fields=t.fields[:1])
    other = dataclasses.replace(
        base, name="Other", types=tuple(changed if x.name == t.name else x for x in base.types)
    )
    version = naming.name_version(ir.Version("V", (base, other)), Collector(), frozenset())
    layout = plan(version)
    assert t.name not in {x.name for x in layout.shared}
    assert t.name in {x.name for x in layout.local["Report"]} and t.name in {
        x.name for x in layout.local["Other"]
    }
    # whatever refers to it can no longer be shared either
    assert f"{{{NS88}}}ReportLabelLayoutEntity" not in {x.name for x in layout.shared}


def test_ir_json_round_trip() -> None:
    svc = _wsdl(SPECS / "superoffice" / "Services88" / "Services88-CustomerService.md")
    version = ir.Version("Services88", (svc,))
    assert ir.loads(ir.dumps(version)) == version


@pytest.mark.corpus
def test_full_mintlify_corpus_reads_with_zero_errors() -> None:
    folder = CORPUS / "superoffice-mintlify" / "Services88"
    if not folder.is_dir():
        pytest.skip("../shared/corpus is absent")
    diags = Collector()
    versions, _, _ = read_ir([str(folder)], None, diags)
    assert not diags.has_errors, [d.format() for d in diags.items if d.level is Level.ERROR][:20]
    ((api, v88),) = versions
    pages = sum(1 for p in folder.glob("*/*.md") if p.name != "index.md")
    documented = sum(1 for s in v88.services for o in s.operations if o.request_sample is not None)
    assert pages == 1381 and documented == pages
    assert len(v88.services) == 43


def test_generated_code_passes_mypy_strict() -> None:
    generated = ROOT / "generated"
    env = dict(os.environ, MYPYPATH=str(generated))
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", "superoffice"],
        cwd=generated,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout[-3000:]
