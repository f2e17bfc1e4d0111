"""WCF shapes in the generated Services88 client: response headers, flag enums, dictionaries,
inheritance with xsi:type, nil versus absent, recursion, dateTime offsets, base64."""

from __future__ import annotations

import datetime
from pathlib import Path

from lxml import etree
from superoffice.services88 import _runtime as rt
from superoffice.services88 import testing
from superoffice.services88.ticket import (
    AttachmentEntity,
    Carrier,
    ETableRight,
    FieldProperty,
    SoExceptionInfo,
    TableRight,
    TicketAgent,
)

PAYLOADS = Path(__file__).parent / "data" / "payloads"


def tag_of(local: str) -> str:
    """The prefixed name the generated client uses for an element of the Services88 namespace."""
    for decl in TicketAgent._ns_decls.split(" xmlns:")[1:]:
        prefix, _, uri = decl.partition("=")
        if uri.strip('"') == "http://www.superoffice.net/ws/crm/NetServer/Services88":
            return f"{prefix}:{local}"
    raise AssertionError("namespace not declared")


NS = "{http://www.superoffice.net/ws/crm/NetServer/Services88}"


def _element(value: object, tag: str, typed: bool) -> etree._Element:
    """What the client writes for a value, as an element (prefixes declared as a client does)."""
    parts: list[str] = []
    rt.write_record(value, parts.append, tag, object if typed else type(value))
    decls = TicketAgent._ns_decls
    return etree.fromstring(f"<w{decls}>{''.join(parts)}</w>")[0]


def _agent(reply: bytes) -> TicketAgent:
    return TicketAgent(
        "http://replay.invalid", transport=testing.ReplayTransport({"BatchReply": reply})
    )


def test_four_response_headers_nil_and_present() -> None:
    agent = _agent((PAYLOADS / "Ticket_BatchReply_response_soap11_wcf.xml").read_bytes())
    assert agent.batch_reply(None) == 0
    headers = agent.last_response_headers
    assert headers is not None
    assert headers.succeeded is True
    assert (
        headers.exception_info is None and headers.extra_info is None and headers.time_zone is None
    )


def test_partial_and_absent_response_headers() -> None:
    agent = _agent(
        (PAYLOADS / "Ticket_BatchReply_response_soap11_wcf_succeeded_only.xml").read_bytes()
    )
    assert agent.batch_reply(None) == 0
    assert agent.last_response_headers is not None and agent.last_response_headers.succeeded is True
    reply = (PAYLOADS / "Ticket_BatchReply_response_soap11_wcf.xml").read_bytes()
    no_header = etree.fromstring(reply)
    no_header.remove(no_header[0])
    agent = _agent(etree.tostring(no_header))
    assert agent.batch_reply(None) == 0
    assert agent.last_response_headers is not None and agent.last_response_headers.succeeded is None


def test_flag_enum_is_enum_flag_and_round_trips() -> None:
    assert issubclass(ETableRight, __import__("enum").Flag)
    right = TableRight(mask=ETableRight.SELECT | ETableRight.UPDATE, reason="x")
    el = _element(right, "r", False)
    assert el.findtext(f"{NS}Mask") == "Select Update"
    assert ETableRight.R is ETableRight.SELECT  # alias by EnumerationValue
    parsed = rt.flags_of(ETableRight).parse_text("Select F")
    assert parsed == ETableRight.SELECT | ETableRight.FILTERING


def test_inheritance_writes_and_reads_xsi_type() -> None:
    value = AttachmentEntity(
        attachment_id=5, name="a.txt", field_properties={"Name": FieldProperty(field_length=3)}
    )
    el = _element(value, tag_of("Carrier"), type(value) is not Carrier)
    assert rt.get_xsi_type(el) == f"{NS}AttachmentEntity"
    back = rt.read_record(Carrier, el)
    assert isinstance(back, AttachmentEntity) and back == value
    assert back.field_properties == {"Name": FieldProperty(field_length=3)}


def test_nil_versus_absent_is_kept_and_recursion_works() -> None:
    xml = (
        f'<x:E xmlns:x="{NS[1:-1]}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">'
        '<x:Message>outer</x:Message><x:StackTrace i:nil="true"/>'
        "<x:InnerException><x:Message>inner</x:Message></x:InnerException></x:E>"
    )
    info = rt.read_record(SoExceptionInfo, etree.fromstring(xml))
    assert info.stack_trace is None and "stack_trace" in info.nil_fields
    assert info.friendly_text is None and "friendly_text" not in info.nil_fields
    assert info.inner_exception == SoExceptionInfo(message="inner")
    out = _element(info, tag_of("E"), False)
    assert [c.tag for c in out] == [f"{NS}Message", f"{NS}StackTrace", f"{NS}InnerException"]
    assert out[1].get(rt.XSI_NIL) == "true"


def test_datetime_offsets_and_base64_round_trip() -> None:
    for text in (
        "2025-11-26T12:06:30Z",
        "2025-11-26T12:06:30+01:00",
        "0001-01-01T00:00:00",
        "2025-11-26T12:06:30.5Z",
    ):
        assert rt.fmt_datetime(rt.parse_datetime(text)) == text
    assert rt.parse_datetime("2025-11-26T12:06:30Z").tzinfo == datetime.UTC
    assert rt.parse_base64(rt.fmt_base64(b"\x00\xff")) == b"\x00\xff"
