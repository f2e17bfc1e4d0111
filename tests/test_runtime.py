"""Tests for templates/runtime/, the package copied into every generated client as _runtime."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import enum
import importlib.util
import math
import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
RUNTIME = ROOT / "templates" / "runtime"

S11 = "http://schemas.xmlsoap.org/soap/envelope/"
S12 = "http://www.w3.org/2003/05/soap-envelope"
TNS = "urn:test"


@pytest.fixture(scope="module")
def rt() -> Iterator[ModuleType]:
    name = "soapgen_test_runtime"
    spec = importlib.util.spec_from_file_location(
        name, RUNTIME / "__init__.py", submodule_search_locations=[str(RUNTIME)]
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
            sys.modules.pop(key, None)


def envelope11(body: str, header: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="{S11}">'
        f"{header}<s:Body>{body}</s:Body></s:Envelope>"
    ).encode()


def envelope12(body: str) -> bytes:
    return f'<env:Envelope xmlns:env="{S12}"><env:Body>{body}</env:Body></env:Envelope>'.encode()


ECHO_RESPONSE = envelope11(f'<EchoResponse xmlns="{TNS}"><text>hi</text></EchoResponse>')
FAULT11 = envelope11(
    "<s:Fault><faultcode>s:Client</faultcode>"
    "<faultstring>Invalid ticket</faultstring>"
    "<faultactor>urn:actor</faultactor>"
    f'<detail><e:Info xmlns:e="{TNS}">42</e:Info></detail></s:Fault>'
)
FAULT12 = envelope12(
    '<env:Fault xmlns:app="urn:app">'
    "<env:Code><env:Value>env:Sender</env:Value>"
    "<env:Subcode><env:Value>app:BadInput</env:Value>"
    "<env:Subcode><env:Value>app:TooLong</env:Value></env:Subcode>"
    "</env:Subcode></env:Code>"
    '<env:Reason><env:Text xml:lang="de">Ungültig</env:Text>'
    '<env:Text xml:lang="en">Invalid input</env:Text></env:Reason>'
    "<env:Role>urn:role</env:Role>"
    "<env:Detail><app:Why>too long</app:Why></env:Detail>"
    "</env:Fault>"
)


# ---------------------------------------------------------------------------- codecs


def test_bool(rt: Any) -> None:
    assert rt.fmt_bool(True) == "true" and rt.fmt_bool(False) == "false"
    for text, value in [("true", True), ("false", False), ("1", True), ("0", False)]:
        assert rt.parse_bool(text) is value
        assert rt.parse_bool(f" \n{text}\t") is value
    for bad in ["TRUE", "yes", "", "2"]:
        with pytest.raises(ValueError):
            rt.parse_bool(bad)


def test_int(rt: Any) -> None:
    for value in [0, 1, -1, 2**63 - 1, -(2**63), 10**30]:
        assert rt.parse_int(rt.fmt_int(value)) == value
    with pytest.raises(TypeError):  # a bool is no xs:integer (tests/test_xsd_values.py)
        rt.fmt_int(True)
    assert rt.parse_int(" +42 ") == 42
    assert rt.parse_int("-007") == -7
    for bad in ["", "1_000", "1.0", "abc", "0x10", "1e3"]:
        with pytest.raises(ValueError):
            rt.parse_int(bad)


def test_float(rt: Any) -> None:
    assert rt.fmt_float(0.0) == "0.0"
    assert rt.fmt_float(float("inf")) == "INF"
    assert rt.fmt_float(float("-inf")) == "-INF"
    assert rt.fmt_float(float("nan")) == "NaN"
    for value in [
        0.0,
        -0.0,
        1.5,
        -2.25e-10,
        1e100,
        5e-324,
        1.7976931348623157e308,
        0.1,
    ]:
        text = rt.fmt_float(value)
        assert rt.parse_float(text) == value
        assert rt.parse_float(text).hex() == value.hex()
    assert rt.parse_float("INF") == math.inf
    assert rt.parse_float("+INF") == math.inf
    assert rt.parse_float(" -INF ") == -math.inf
    assert math.isnan(rt.parse_float("NaN"))
    assert rt.parse_float("1E+100") == 1e100
    assert rt.parse_float(".5") == 0.5
    assert rt.parse_float("12") == 12.0
    for bad in ["inf", "nan", "Infinity", "1_0", "abc", "", "1e", "--1"]:
        with pytest.raises(ValueError):
            rt.parse_float(bad)


def test_decimal(rt: Any) -> None:
    assert rt.fmt_decimal(Decimal("1E+2")) == "100"
    assert rt.fmt_decimal(Decimal("0.0000001")) == "0.0000001"
    assert rt.fmt_decimal(Decimal("-12.50")) == "-12.50"
    for text in ["0", "123.4500", "-0.5", "99999999999999999999.123456789"]:
        assert rt.fmt_decimal(rt.parse_decimal(text)) == text
    assert rt.parse_decimal(" .5 ") == Decimal("0.5")
    assert rt.parse_decimal("+1") == Decimal(1)
    for bad in ["1e5", "NaN", "Infinity", "", "1,5", "1_0"]:
        with pytest.raises(ValueError):
            rt.parse_decimal(bad)
    with pytest.raises(ValueError):
        rt.fmt_decimal(Decimal("NaN"))


@pytest.mark.parametrize(
    "text",
    [
        "2025-11-26T12:06:30Z",
        "2025-11-26T12:06:30+01:00",
        "2025-11-26T12:06:30-05:30",
        "2025-11-26T12:06:30+00:00",
        "0001-01-01T00:00:00",
        "9999-12-31T23:59:59.999999Z",
        "2025-11-26T12:06:30.5",
        "2025-11-26T12:06:30.123",
        "2025-11-26T12:06:30.000001+14:00",
    ],
)
def test_datetime_round_trip(rt: Any, text: str) -> None:
    assert rt.fmt_datetime(rt.parse_datetime(text)) == text


def test_datetime_values(rt: Any) -> None:
    utc = rt.parse_datetime("2025-11-26T12:06:30Z")
    assert utc == dt.datetime(2025, 11, 26, 12, 6, 30, tzinfo=dt.UTC)
    assert utc.tzinfo is dt.UTC
    plus1 = rt.parse_datetime("2025-11-26T12:06:30+01:00")
    assert plus1.utcoffset() == dt.timedelta(hours=1)
    naive = rt.parse_datetime("0001-01-01T00:00:00")
    assert naive == dt.datetime(1, 1, 1) and naive.tzinfo is None
    # .NET ticks: the 7th digit is truncated, microseconds kept
    ticks = rt.parse_datetime("2025-11-26T12:06:30.1234567Z")
    assert ticks.microsecond == 123456
    assert rt.fmt_datetime(ticks) == "2025-11-26T12:06:30.123456Z"
    assert rt.fmt_datetime(rt.parse_datetime("2025-11-26T12:06:30.5000000")) == (
        "2025-11-26T12:06:30.5"
    )
    assert rt.parse_datetime(" 2025-11-26T12:06:30Z\n") == utc
    # values built in Python
    assert rt.fmt_datetime(dt.datetime(1, 1, 1)) == "0001-01-01T00:00:00"
    assert rt.fmt_datetime(dt.datetime(2025, 1, 2, 3, 4, 5, 60000)) == ("2025-01-02T03:04:05.06")
    tz = dt.timezone(dt.timedelta(hours=-3, minutes=-30))
    assert rt.fmt_datetime(dt.datetime(2025, 1, 2, tzinfo=tz)) == ("2025-01-02T00:00:00-03:30")
    with pytest.raises(ValueError):
        odd = dt.timezone(dt.timedelta(seconds=30))
        rt.fmt_datetime(dt.datetime(2025, 1, 2, tzinfo=odd))
    for bad in [
        "2025-11-26",
        "2025-11-26T12:06",
        "2025-13-01T00:00:00",
        "2025-11-26T25:00:00",
        "2025-11-26 12:06:30",
        "25-11-26T12:06:30",
        "2025-11-26T12:06:30+15:00",
        "2025-11-26T12:06:30.Z",
        "",
    ]:
        with pytest.raises(ValueError):
            rt.parse_datetime(bad)


def test_date_and_time(rt: Any) -> None:
    for text in ["2025-11-26", "0001-01-01", "9999-12-31"]:
        assert rt.fmt_date(rt.parse_date(text)) == text
    assert rt.parse_date("0001-01-01") == dt.date(1, 1, 1)
    assert rt.parse_date("2025-11-26Z") == dt.date(2025, 11, 26)
    assert rt.parse_date("2025-11-26+02:00") == dt.date(2025, 11, 26)
    for bad in ["2025-11-26T00:00:00", "2025-02-30", "20251126", ""]:
        with pytest.raises(ValueError):
            rt.parse_date(bad)

    for text in ["12:06:30", "12:06:30.5Z", "00:00:00+01:00", "23:59:59.999999-05:30"]:
        assert rt.fmt_time(rt.parse_time(text)) == text
    assert rt.parse_time("12:06:30Z").tzinfo is dt.UTC
    assert rt.parse_time("12:06:30.1234567").microsecond == 123456
    assert rt.fmt_time(dt.time(7, 8, 9)) == "07:08:09"
    for bad in ["12:06", "24:00:01", "12:60:00", "x", ""]:
        with pytest.raises(ValueError):
            rt.parse_time(bad)


@pytest.mark.parametrize(
    "text,value",
    [
        ("PT0S", dt.timedelta(0)),
        ("P1DT2H3M4.5S", dt.timedelta(days=1, hours=2, minutes=3, seconds=4.5)),
        ("-PT5M", -dt.timedelta(minutes=5)),
        ("P1D", dt.timedelta(days=1)),
        ("PT1H", dt.timedelta(hours=1)),
        ("PT0.000001S", dt.timedelta(microseconds=1)),
        ("-P1DT0.5S", -dt.timedelta(days=1, seconds=0.5)),
        ("P365DT23H59M59.999999S", dt.timedelta(days=366, microseconds=-1)),
    ],
)
def test_duration_round_trip(rt: Any, text: str, value: dt.timedelta) -> None:
    assert rt.parse_duration(text) == value
    assert rt.fmt_duration(value) == text


def test_duration_edges(rt: Any) -> None:
    assert rt.fmt_duration(dt.timedelta(0)) == "PT0S"
    top = rt.parse_duration("P10675199DT2H48M5.4775807S")  # .NET TimeSpan.MaxValue
    assert top == dt.timedelta(days=10675199, hours=2, minutes=48, seconds=5, microseconds=477580)
    assert rt.parse_duration(rt.fmt_duration(top)) == top
    assert rt.parse_duration("PT36H") == dt.timedelta(hours=36)
    assert rt.parse_duration("P0Y0M2D") == dt.timedelta(days=2)
    assert rt.parse_duration("PT90M") == dt.timedelta(minutes=90)
    for bad in ["P1Y", "P2M", "-P1Y2M", "P1YT1S"]:
        with pytest.raises(ValueError, match="years or months"):
            rt.parse_duration(bad)
    for bad in ["P", "PT", "P1DT", "-P", "1D", "PT1.S", "P-1D", "PT1H2", ""]:
        with pytest.raises(ValueError):
            rt.parse_duration(bad)


def test_base64(rt: Any) -> None:
    for value in [b"", b"\x00\xff hello", bytes(range(256))]:
        assert rt.parse_base64(rt.fmt_base64(value)) == value
    assert rt.fmt_base64(b"hi") == "aGk="
    assert rt.parse_base64(" aG\nk=\r\n ") == b"hi"
    for bad in ["aGk", "a!Gk=", "===="]:
        with pytest.raises(ValueError):
            rt.parse_base64(bad)


def test_uuid(rt: Any) -> None:
    value = uuid.UUID("1B4E28BA-2FA1-11D2-883F-0016D3CCA427")
    text = rt.fmt_uuid(value)
    assert text == "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
    assert rt.parse_uuid(text) == value
    assert rt.parse_uuid(" 1B4E28BA-2FA1-11D2-883F-0016D3CCA427 ") == value
    with pytest.raises(ValueError):
        rt.parse_uuid("not-a-uuid")


class Rights(enum.Flag):
    NONE = 0
    READ = 1
    WRITE = 2
    DELETE = 4
    ALL = 7  # an alias, never written


RIGHT_NAMES = {Rights.READ: "Read", Rights.WRITE: "Write", Rights.DELETE: "Delete"}
RIGHT_MEMBERS = {name: member for member, name in RIGHT_NAMES.items()}


def test_flags(rt: Any) -> None:
    assert rt.fmt_flags(Rights.NONE, RIGHT_NAMES) == ""
    assert rt.fmt_flags(Rights.DELETE | Rights.READ, RIGHT_NAMES) == "Read Delete"
    assert rt.fmt_flags(Rights.ALL, RIGHT_NAMES) == "Read Write Delete"
    assert rt.parse_flags("", RIGHT_MEMBERS, Rights.NONE) is Rights.NONE
    assert rt.parse_flags(" Write\nRead ", RIGHT_MEMBERS, Rights.NONE) == (
        Rights.READ | Rights.WRITE
    )
    for value in Rights:
        text = rt.fmt_flags(value, RIGHT_NAMES)
        assert rt.parse_flags(text, RIGHT_MEMBERS, Rights.NONE) == value
    with pytest.raises(ValueError, match="Execute"):
        rt.parse_flags("Read Execute", RIGHT_MEMBERS, Rights.NONE)
    with pytest.raises(ValueError):
        rt.fmt_flags(Rights.DELETE, {Rights.READ: "Read"})


# ------------------------------------------------------------------------ XML helpers


def test_is_nil(rt: Any) -> None:
    for text, nil in (
        ("true", True),
        ("1", True),
        (" true ", True),
        ("false", False),
        ("0", False),
    ):
        el = etree.fromstring(f'<a xmlns:i="{rt.XSI_NS}" i:nil="{text}"/>')
        assert rt.is_nil(el) is nil, text
    assert not rt.is_nil(etree.fromstring("<a/>"))


def test_xsi_type(rt: Any) -> None:
    doc = etree.fromstring(
        f'<r xmlns:t="{TNS}" xmlns="urn:default" xmlns:x="{rt.XSI_NS}">'
        '<a x:type="t:Person"/><b x:type="Plain"/><c x:type="zz:Odd"/><d/></r>'
    )
    a, b, c, d = list(doc)
    assert rt.get_xsi_type(a) == f"{{{TNS}}}Person"
    assert rt.get_xsi_type(b) == "{urn:default}Plain"
    assert rt.get_xsi_type(c) == "zz:Odd"  # unresolvable prefix: raw text
    assert rt.get_xsi_type(d) is None


# ------------------------------------------------------------------------ secure XML


def _assert_refused(rt: Any, data: bytes, secret: str | None = None) -> None:
    with pytest.raises(rt.MalformedResponseError) as info:
        rt.parse_xml(data)
    if secret:
        assert secret not in str(info.value)
        assert secret not in info.value.body_excerpt
        assert secret not in repr(info.value.__cause__)
        assert secret not in repr(info.value.__context__)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz>&lol9;</lolz>"""


def test_billion_laughs_refused(rt: Any) -> None:
    start = time.perf_counter()
    _assert_refused(rt, BILLION_LAUGHS)
    assert time.perf_counter() - start < 1.0
    # the same inside a SOAP reply
    reply = rt.SoapReply(200, BILLION_LAUGHS.replace(b"lolz>", b"s:Envelope>"))
    with pytest.raises(rt.MalformedResponseError):
        rt.read_reply(reply, "1.1")


def test_xxe_refused(rt: Any, tmp_path: Path) -> None:
    hostname = Path("/etc/hostname")
    host = hostname.read_text().strip() if hostname.exists() else None
    doc = (
        b'<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM '
        b'"file:///etc/hostname">]><foo>&xxe;</foo>'
    )
    _assert_refused(rt, doc, host if host and len(host) > 3 else None)
    with pytest.raises(rt.MalformedResponseError) as info:
        rt.parse_xml(doc)
    assert "DOCTYPE" in str(info.value)

    # a file with an unmistakable secret, by every route into the parser
    secret = "S3CRET-" + uuid.uuid4().hex
    target = tmp_path / "secret.txt"
    target.write_text(secret)
    uri = target.as_uri()
    variants = [
        f'<!DOCTYPE foo [<!ENTITY x SYSTEM "{uri}">]><foo>&x;</foo>',
        f'<!DOCTYPE foo [<!ENTITY % x SYSTEM "{uri}"> %x;]><foo/>',
        f'<!DOCTYPE foo SYSTEM "{target}"><foo/>',
        f'<!-- c --><?pi x?>\n<!DOCTYPE foo SYSTEM "{uri}"><foo/>',
    ]
    for text in variants:
        _assert_refused(rt, text.encode(), secret)
        # UTF-16 gets past the byte-level pre-check; entities and loads stay blocked
        utf16 = ('<?xml version="1.0" encoding="UTF-16"?>' + text).encode("utf-16")
        _assert_refused(rt, utf16, secret)


class _FifoProbe:
    """A named pipe that records whether anything opened it for reading."""

    def __init__(self, path: Path) -> None:
        os.mkfifo(path)
        self.path = path
        self.opened = threading.Event()
        self.released = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        fd = os.open(self.path, os.O_WRONLY)  # blocks until a reader opens it
        if not self.released:
            self.opened.set()
            os.write(fd, b'<!ENTITY x "FIFO-SECRET">')
        os.close(fd)

    def release(self) -> bool:
        """Unblock the writer; True if the pipe was opened by someone else."""
        self.released = True
        fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
        self._thread.join(5)
        os.close(fd)
        return self.opened.is_set()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_external_files_never_opened(rt: Any, tmp_path: Path) -> None:
    # Stronger than "not in the message": the parser must not even open the file,
    # also on the UTF-16 route that bypasses the byte-level DOCTYPE pre-check.
    for i, template in enumerate(
        [
            '<!DOCTYPE foo SYSTEM "{path}"><foo/>',
            '<!DOCTYPE foo [<!ENTITY % x SYSTEM "{uri}"> %x;]><foo/>',
            '<!DOCTYPE foo [<!ENTITY x SYSTEM "{uri}">]><foo>&x;</foo>',
        ]
    ):
        for encoding in ["utf-8", "utf-16"]:
            probe = _FifoProbe(tmp_path / f"probe{i}{encoding}.dtd")
            text = template.format(path=probe.path, uri=probe.path.as_uri())
            decl = f'<?xml version="1.0" encoding="{encoding.upper()}"?>'
            try:
                _assert_refused(rt, (decl + text).encode(encoding), "FIFO-SECRET")
            finally:
                assert not probe.release(), f"parser opened {text} ({encoding})"


def test_external_dtd_refused(rt: Any) -> None:
    _assert_refused(rt, b'<!DOCTYPE foo PUBLIC "-//X//Y" "http://127.0.0.1:9/x.dtd"><foo/>')
    _assert_refused(rt, b'<!DOCTYPE foo SYSTEM "/nonexistent/x.dtd"><foo/>')
    _assert_refused(rt, b"<!DOCTYPE html><html><body>error</body></html>")
    # unterminated PI/comment before a DOCTYPE: refused, and no endless scan
    _assert_refused(rt, b"   <!-- open <!DOCTYPE a><a/>")
    _assert_refused(rt, b"  <?pi open <!DOCTYPE a><a/>")
    _assert_refused(rt, b"<?xml version='1.0'?><!--c--><?p?><!DOCTYPE a><a/>")


def test_parse_xml_ordinary_documents(rt: Any) -> None:
    root = rt.parse_xml(b"<a><b><![CDATA[<!DOCTYPE html>]]></b><!-- <!DOCTYPE x> --></a>")
    assert root[0].text == "<!DOCTYPE html>"
    assert rt.parse_xml("<a>é</a>".encode("utf-16")).text == "é"
    with pytest.raises(rt.MalformedResponseError, match="line 3"):
        rt.parse_xml(b"<a>\n<b>\n</a>")
    with pytest.raises(rt.MalformedResponseError, match="empty"):
        rt.parse_xml(b"")
    with pytest.raises(rt.MalformedResponseError):
        rt.parse_xml(b"not xml at all")


# -------------------------------------------------------------------------- envelope


def _markup(el: etree._Element) -> str:
    """Generated clients hand the runtime markup text (with its namespace declarations)."""
    return str(etree.tostring(el, encoding=str))


def _body(text: str = "hi") -> etree._Element:
    body = etree.Element(f"{{{TNS}}}Echo", nsmap={"t": TNS})
    etree.SubElement(body, f"{{{TNS}}}text").text = text
    return body


@pytest.mark.parametrize("version,ns", [("1.1", S11), ("1.2", S12)])
def test_build_envelope_text(rt: Any, version: str, ns: str) -> None:
    body = f'<t:Echo xmlns:t="{TNS}"><t:text>é</t:text></t:Echo>'
    data = rt.build_envelope_text(version, "", "", body)
    assert data.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = etree.fromstring(data)
    assert root.tag == f"{{{ns}}}Envelope" and root.prefix == "s"
    assert [c.tag for c in root] == [f"{{{ns}}}Body"]  # no empty Header
    assert root[0][0][0].text == "é"
    header = f'<t:Auth xmlns:t="{TNS}">ticket</t:Auth>'
    root = etree.fromstring(rt.build_envelope_text(version, f' xmlns:t="{TNS}"', header, body))
    assert [c.tag for c in root] == [f"{{{ns}}}Header", f"{{{ns}}}Body"]
    assert root[0][0].text == "ticket"
    with pytest.raises(ValueError):
        rt.build_envelope_text("1.3", "", "", body)


def test_http_headers(rt: Any) -> None:
    call11 = rt.SoapCall("http://x", "Echo", "urn:test/Echo", "1.1", b"")
    assert call11.http_headers() == {
        "Content-Type": "text/xml; charset=utf-8",
        "SOAPAction": '"urn:test/Echo"',
    }
    call12 = rt.SoapCall("http://x", "Echo", "urn:test/Echo", "1.2", b"")
    assert call12.http_headers() == {
        "Content-Type": 'application/soap+xml; charset=utf-8; action="urn:test/Echo"'
    }
    no_action = rt.SoapCall("http://x", "Echo", "", "1.2", b"")
    assert no_action.http_headers() == {"Content-Type": "application/soap+xml; charset=utf-8"}
    assert rt.SoapCall("u", "o", "", "1.1", b"").http_headers()["SOAPAction"] == '""'


def test_read_reply_success(rt: Any) -> None:
    env = rt.read_reply(rt.SoapReply(200, ECHO_RESPONSE), "1.1")
    assert env.header is None and env.soap_version == "1.1"
    assert env.body.tag == f"{{{TNS}}}EchoResponse"
    assert env.body.find(f"{{{TNS}}}text").text == "hi"

    with_header = envelope11(
        "<!-- first --><r:Ok xmlns:r='urn:r'/>",
        header="<s:Header><h:Session xmlns:h='urn:h'>1</h:Session></s:Header>",
    )
    env = rt.read_reply(rt.SoapReply(200, with_header), "1.1")
    assert env.header.tag == f"{{{S11}}}Header" and env.header[0].text == "1"
    assert env.body.tag == "{urn:r}Ok"  # the comment is skipped

    empty = rt.read_reply(rt.SoapReply(200, envelope11("")), "1.1")
    assert empty.body is None and empty.header is None

    # the reply's own SOAP version wins
    env = rt.read_reply(rt.SoapReply(200, envelope12("<x:R xmlns:x='urn:x'/>")), "1.1")
    assert env.soap_version == "1.2" and env.body.tag == "{urn:x}R"


def test_read_reply_fault11(rt: Any) -> None:
    with pytest.raises(rt.SoapFault) as info:
        rt.read_reply(rt.SoapReply(500, FAULT11, "text/xml"), "1.1")
    fault = info.value
    assert isinstance(fault, rt.SoapError)
    assert fault.code == f"{{{S11}}}Client"
    assert fault.reason == "Invalid ticket"
    assert fault.actor == "urn:actor"
    assert fault.subcodes == ()
    assert fault.soap_version == "1.1" and fault.status_code == 500
    assert fault.detail is not None and fault.detail[0].text == "42"
    assert "Client" in str(fault) and "Invalid ticket" in str(fault)

    # a fault is a fault whatever the HTTP status; an unresolvable code stays raw
    odd = envelope11("<s:Fault><faultcode>q:Boom</faultcode><faultstring>x</faultstring></s:Fault>")
    with pytest.raises(rt.SoapFault) as info:
        rt.read_reply(rt.SoapReply(200, odd), "1.1")
    assert info.value.code == "q:Boom" and info.value.status_code == 200
    assert info.value.actor is None and info.value.detail is None


def test_read_reply_fault12(rt: Any) -> None:
    with pytest.raises(rt.SoapFault) as info:
        rt.read_reply(rt.SoapReply(400, FAULT12), "1.2")
    fault = info.value
    assert fault.code == f"{{{S12}}}Sender"
    assert fault.subcodes == ("{urn:app}BadInput", "{urn:app}TooLong")
    assert fault.reason == "Invalid input"  # xml:lang="en" preferred
    assert fault.actor == "urn:role"
    assert fault.detail is not None and fault.detail[0].text == "too long"
    assert fault.soap_version == "1.2" and fault.status_code == 400

    only_de = envelope12(
        "<env:Fault><env:Code><env:Value>env:Receiver</env:Value></env:Code>"
        '<env:Reason><env:Text xml:lang="de">Fehler</env:Text></env:Reason>'
        "</env:Fault>"
    )
    with pytest.raises(rt.SoapFault) as info:
        rt.read_reply(rt.SoapReply(500, only_de), "1.2")
    assert info.value.reason == "Fehler" and info.value.subcodes == ()
    assert info.value.code == f"{{{S12}}}Receiver" and info.value.actor is None


def test_read_reply_http_errors(rt: Any) -> None:
    html = b"<!DOCTYPE html><html><body>" + b"Bad gateway " * 100 + b"</body></html>"
    with pytest.raises(rt.TransportError) as info:
        rt.read_reply(rt.SoapReply(500, html, "text/html"), "1.1")
    assert info.value.status_code == 500
    assert info.value.body_excerpt.startswith("<!DOCTYPE html>")
    assert len(info.value.body_excerpt) == 500

    with pytest.raises(rt.TransportError) as info:
        rt.read_reply(rt.SoapReply(503, "Überlastet".encode()), "1.1")
    assert info.value.status_code == 503 and info.value.body_excerpt == "Überlastet"

    with pytest.raises(rt.TransportError) as info:
        rt.read_reply(rt.SoapReply(500, b""), "1.1")
    assert info.value.status_code == 500 and info.value.body_excerpt == ""

    with pytest.raises(rt.TransportError):  # XML, but not an envelope
        rt.read_reply(rt.SoapReply(404, b"<error>not found</error>"), "1.1")

    with pytest.raises(rt.TransportError) as info:  # envelope without a fault
        rt.read_reply(rt.SoapReply(500, ECHO_RESPONSE), "1.1")
    assert info.value.status_code == 500


def test_read_reply_malformed(rt: Any) -> None:
    cases = [
        b"hello, not xml",
        b"",
        b"<html><body>ok</body></html>",  # XML, not an envelope
        f'<s:Envelope xmlns:s="{S11}"><s:Header/></s:Envelope>'.encode(),  # no Body
        b'<s:Envelope xmlns:s="urn:wrong"><s:Body/></s:Envelope>',
    ]
    for data in cases:
        with pytest.raises(rt.MalformedResponseError):
            rt.read_reply(rt.SoapReply(200, data), "1.1")
    with pytest.raises(rt.MalformedResponseError) as info:
        rt.read_reply(rt.SoapReply(200, b"hello, not xml"), "1.1")
    assert info.value.body_excerpt == "hello, not xml"
    assert not isinstance(info.value, rt.TransportError)


# ------------------------------------------------------------------ replay transport


def _call(rt: Any, operation: str, agent: str = "") -> Any:
    return rt.SoapCall("http://x/svc", operation, "", "1.1", b"<e/>", agent)


def test_replay_order_and_repeat(rt: Any) -> None:
    replay = rt.ReplayTransport({"A": [b"<a1/>", b"<a2/>"], "B": b"<b/>"})
    got = [replay.send(_call(rt, op)).content for op in ["A", "B", "A", "A", "B"]]
    assert got == [b"<a1/>", b"<b/>", b"<a2/>", b"<a2/>", b"<b/>"]
    assert [c.operation for c in replay.calls] == ["A", "B", "A", "A", "B"]
    reply = replay.send(_call(rt, "B"))
    assert reply.status_code == 200
    assert reply.content_type == "text/xml; charset=utf-8"
    assert asyncio.run(replay.asend(_call(rt, "A"))).content == b"<a2/>"
    assert len(replay.calls) == 7
    with pytest.raises(ValueError):
        rt.ReplayTransport({"A": []})


def test_replay_unexpected_call(rt: Any) -> None:
    replay = rt.ReplayTransport({"Alpha": b"<a/>", "Beta": b"<b/>"})
    with pytest.raises(rt.UnexpectedCallError) as info:
        replay.send(_call(rt, "Gamma"))
    message = str(info.value)
    assert "Gamma" in message and "Alpha" in message and "Beta" in message
    assert isinstance(info.value, rt.SoapError)
    assert len(replay.calls) == 1
    with pytest.raises(rt.UnexpectedCallError):
        asyncio.run(replay.asend(_call(rt, "Gamma")))


def test_replay_from_fixtures(rt: Any, tmp_path: Path) -> None:
    # fixtures/<agent>/<Operation>.response.xml; two agents may share an operation name
    (tmp_path / "contact").mkdir()
    (tmp_path / "person").mkdir()
    (tmp_path / "contact" / "ChangeCountry.response.xml").write_bytes(b"<contact/>")
    (tmp_path / "person" / "ChangeCountry.response.xml").write_bytes(b"<person/>")
    (tmp_path / "person" / "Save.response.xml").write_bytes(b"<save/>")
    (tmp_path / "person" / "Save.doc-request.xml").write_bytes(b"<ignored/>")
    replay = rt.ReplayTransport.from_fixtures(tmp_path)
    assert replay.send(_call(rt, "ChangeCountry", "contact")).content == b"<contact/>"
    assert replay.send(_call(rt, "ChangeCountry", "person")).content == b"<person/>"
    assert replay.send(_call(rt, "Save", "person")).content == b"<save/>"
    with pytest.raises(rt.UnexpectedCallError) as info:
        replay.send(_call(rt, "Save", "contact"))
    assert "contact.Save" in str(info.value) and "person.Save" in str(info.value)
    only = rt.ReplayTransport.from_fixtures(str(tmp_path), "person")
    assert only.send(_call(rt, "ChangeCountry", "person")).content == b"<person/>"
    with pytest.raises(rt.UnexpectedCallError):
        only.send(_call(rt, "ChangeCountry", "contact"))
    # a missing folder, agent or an empty folder is an error, never a transport that answers nothing
    with pytest.raises(FileNotFoundError, match="no fixture folder"):
        rt.ReplayTransport.from_fixtures(tmp_path / "missing")
    with pytest.raises(FileNotFoundError, match="no fixtures of agent 'ticket'"):
        rt.ReplayTransport.from_fixtures(tmp_path, "ticket")
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="no <agent>/<Operation>.response.xml"):
        rt.ReplayTransport.from_fixtures(tmp_path / "empty")


def test_replay_from_fixtures_of_a_zipped_package(rt: Any, tmp_path: Path) -> None:
    # an installed package need not be a folder: fixtures are read through importlib.resources
    import importlib
    import zipfile
    from importlib import resources

    archive = tmp_path / "pkg.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("zipped_fixtures_pkg/__init__.py", "")
        zf.writestr("zipped_fixtures_pkg/fixtures/ticket/GetTicket.response.xml", "<t/>")
    sys.path.insert(0, str(archive))
    try:
        importlib.invalidate_caches()
        folder = resources.files("zipped_fixtures_pkg") / "fixtures"
        assert not isinstance(folder, Path)
        replay = rt.ReplayTransport.from_fixtures(folder)
        assert replay.send(_call(rt, "GetTicket", "ticket")).content == b"<t/>"
    finally:
        sys.path.remove(str(archive))
        sys.modules.pop("zipped_fixtures_pkg", None)


def _client(rt: Any, base_url: str, endpoint: str, version: str, **kwargs: Any) -> Any:
    """A ServiceClient for `endpoint` and SOAP `version` (what a generated client declares)."""
    cls = type("EchoClient", (rt.ServiceClient,), {"_endpoint": endpoint, "_soap_version": version})
    return cls(base_url, **kwargs)


def _aclient(rt: Any, base_url: str, endpoint: str, version: str, **kwargs: Any) -> Any:
    cls = type(
        "AsyncEchoClient",
        (rt.AsyncServiceClient,),
        {"_endpoint": endpoint, "_soap_version": version},
    )
    return cls(base_url, **kwargs)


def _soap_call(rt: Any, client: Any, operation: str, action: str, headers: str, body: str) -> Any:
    envelope = rt.build_envelope_text(client.soap_version, "", headers, body)
    return rt.SoapCall(client.url, operation, action, client.soap_version, envelope)


def _invoke(rt: Any, client: Any, operation: str, action: str, headers: str, body: str) -> Any:
    """What a call sends and how its reply is read, below the operation's reader."""
    call = _soap_call(rt, client, operation, action, headers, body)
    return rt.read_reply(client.transport.send(call), client.soap_version)


async def _ainvoke(
    rt: Any, client: Any, operation: str, action: str, headers: str, body: str
) -> Any:
    call = _soap_call(rt, client, operation, action, headers, body)
    return rt.read_reply(await client.transport.asend(call), client.soap_version)


def test_service_client_with_replay(rt: Any) -> None:
    replay = rt.ReplayTransport({"Echo": ECHO_RESPONSE, "Bad": FAULT11})
    client = _client(rt, "http://host/api/", "/Services/Echo.svc", "1.1", transport=replay)
    assert client.url == "http://host/api/Services/Echo.svc"
    assert client.transport is replay
    header = etree.Element(f"{{{TNS}}}Ticket")
    env = _invoke(rt, client, "Echo", "urn:test/Echo", _markup(header), _markup(_body()))
    assert env.body.tag == f"{{{TNS}}}EchoResponse"
    call = replay.calls[0]
    assert (call.url, call.operation, call.soap_action, call.soap_version) == (
        "http://host/api/Services/Echo.svc",
        "Echo",
        "urn:test/Echo",
        "1.1",
    )
    sent = etree.fromstring(call.envelope)
    assert sent[0][0].tag == f"{{{TNS}}}Ticket" and sent[1][0].tag == f"{{{TNS}}}Echo"
    with pytest.raises(rt.SoapFault):
        _invoke(rt, client, "Bad", "urn:test/Bad", "", _markup(_body()))
    client.close()  # a given transport is not ours to close

    async def run() -> None:
        async with _aclient(rt, "http://host", "E.svc", "1.2", transport=replay) as aclient:
            assert aclient.url == "http://host/E.svc"
            env = await _ainvoke(rt, aclient, "Echo", "", "", _markup(_body()))
            assert env.body.tag == f"{{{TNS}}}EchoResponse"

    asyncio.run(run())
    assert replay.calls[-1].soap_version == "1.2"
    with pytest.raises(ValueError):
        _client(rt, "http://h", "e", "1.0", transport=replay)
    with pytest.raises(TypeError, match="needs a Transport"):
        _client(rt, "http://h", "e", "1.1", transport=object())


def test_default_transports_are_owned(rt: Any) -> None:
    with _client(rt, "http://h", "e", "1.1") as client:
        assert isinstance(client.transport, rt.HttpxTransport)
        inner = client.transport.client
    assert inner.is_closed

    shared = httpx.Client()
    with rt.HttpxTransport(shared) as transport:
        assert transport.client is shared
    assert not shared.is_closed  # not created by the transport: left open
    shared.close()

    async def run() -> None:
        async with _aclient(rt, "http://h", "e", "1.2", timeout=5) as aclient:
            assert isinstance(aclient.transport, rt.AsyncHttpxTransport)
            ainner = aclient.transport.client
            assert ainner.timeout.read == 5
        assert ainner.is_closed
        ashared = httpx.AsyncClient()
        async with rt.AsyncHttpxTransport(ashared):
            pass
        assert not ashared.is_closed
        await ashared.aclose()

    asyncio.run(run())


# ---------------------------------------------------------------------- real HTTP


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Answer:
    status: int = 200
    body: bytes = ECHO_RESPONSE
    content_type: str = "text/xml; charset=utf-8"
    delay: float = 0.0


@dataclass
class FakeServer:
    url: str
    requests: list[Recorded] = field(default_factory=list)
    answer: Answer = field(default_factory=Answer)


class _Handler(BaseHTTPRequestHandler):
    server: Any

    def do_POST(self) -> None:
        fake: FakeServer = self.server.fake
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        headers = {k.lower(): v for k, v in self.headers.items()}
        fake.requests.append(Recorded(self.path, headers, body))
        answer = fake.answer
        if answer.delay:
            time.sleep(answer.delay)
        try:
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)
        except OSError:  # the client gave up (timeout test)
            pass

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[FakeServer]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    host, port = httpd.server_address[:2]
    fake = FakeServer(url=f"http://{host}:{port}")
    httpd.fake = fake  # type: ignore[attr-defined]
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield fake
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


Invoker = Callable[[Any, FakeServer, str, float], Any]


def _sync_invoke(rt: Any, fake: FakeServer, version: str, timeout: float) -> Any:
    with _client(rt, fake.url + "/api/", "/Services/Echo.svc", version, timeout=timeout) as client:
        assert isinstance(client.transport, rt.HttpxTransport)
        return _invoke(rt, client, "Echo", "urn:test/IEcho/Echo", "", _markup(_body()))


def _async_invoke(rt: Any, fake: FakeServer, version: str, timeout: float) -> Any:
    async def run() -> Any:
        async with _aclient(
            rt, fake.url + "/api/", "/Services/Echo.svc", version, timeout=timeout
        ) as client:
            assert isinstance(client.transport, rt.AsyncHttpxTransport)
            return await _ainvoke(rt, client, "Echo", "urn:test/IEcho/Echo", "", _markup(_body()))

    return asyncio.run(run())


INVOKERS = pytest.mark.parametrize("invoke", [_sync_invoke, _async_invoke], ids=["sync", "async"])


@INVOKERS
def test_http_success(rt: Any, server: FakeServer, invoke: Invoker) -> None:
    env = invoke(rt, server, "1.1", 5.0)
    assert env.body.tag == f"{{{TNS}}}EchoResponse"
    [request] = server.requests
    assert request.path == "/api/Services/Echo.svc"
    assert request.headers["soapaction"] == '"urn:test/IEcho/Echo"'
    assert request.headers["content-type"] == "text/xml; charset=utf-8"
    sent = etree.fromstring(request.body)
    assert sent.tag == f"{{{S11}}}Envelope"
    assert sent[0][0].tag == f"{{{TNS}}}Echo"


@INVOKERS
def test_http_success_soap12(rt: Any, server: FakeServer, invoke: Invoker) -> None:
    server.answer = Answer(
        body=envelope12(f"<t:EchoResponse xmlns:t='{TNS}'/>"),
        content_type="application/soap+xml; charset=utf-8",
    )
    env = invoke(rt, server, "1.2", 5.0)
    assert env.soap_version == "1.2" and env.body.tag == f"{{{TNS}}}EchoResponse"
    [request] = server.requests
    assert "soapaction" not in request.headers
    assert request.headers["content-type"] == (
        'application/soap+xml; charset=utf-8; action="urn:test/IEcho/Echo"'
    )
    assert etree.fromstring(request.body).tag == f"{{{S12}}}Envelope"


@INVOKERS
def test_http_fault(rt: Any, server: FakeServer, invoke: Invoker) -> None:
    server.answer = Answer(status=500, body=FAULT11)
    with pytest.raises(rt.SoapFault) as info:
        invoke(rt, server, "1.1", 5.0)
    assert info.value.status_code == 500
    assert info.value.code == f"{{{S11}}}Client"
    assert info.value.reason == "Invalid ticket"


@INVOKERS
def test_http_non_xml_error(rt: Any, server: FakeServer, invoke: Invoker) -> None:
    server.answer = Answer(
        status=502, body=b"<h1>Bad Gateway</h1> upstream down", content_type="text/html"
    )
    with pytest.raises(rt.TransportError) as info:
        invoke(rt, server, "1.1", 5.0)
    assert info.value.status_code == 502
    assert "upstream down" in info.value.body_excerpt


@INVOKERS
def test_http_timeout(rt: Any, server: FakeServer, invoke: Invoker) -> None:
    server.answer = Answer(delay=2.0)
    start = time.perf_counter()
    with pytest.raises(rt.TransportError) as info:
        invoke(rt, server, "1.1", 0.3)
    assert time.perf_counter() - start < 1.5
    assert info.value.status_code is None  # no HTTP answer (was 0 before the error classes)
    assert isinstance(info.value, rt.ReadTimeoutError)
    assert isinstance(info.value.__cause__, httpx.TimeoutException)
    assert "timed out" in str(info.value)


def test_http_connection_refused(rt: Any) -> None:
    with socket_closed_port() as port:
        call = rt.SoapCall(f"http://127.0.0.1:{port}/x", "Echo", "", "1.1", b"<e/>")
    with rt.HttpxTransport(timeout=2) as transport:
        with pytest.raises(rt.TransportError) as info:
            transport.send(call)
    assert info.value.status_code is None and info.value.delivered is False
    assert isinstance(info.value, rt.NotDeliveredError)
    assert isinstance(info.value.__cause__, httpx.HTTPError)

    async def run() -> None:
        async with rt.AsyncHttpxTransport(timeout=2) as transport:
            await transport.asend(call)

    with pytest.raises(rt.TransportError):
        asyncio.run(run())


class socket_closed_port:
    """A port on 127.0.0.1 that was just free (nothing listens on it)."""

    def __enter__(self) -> int:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port: int = sock.getsockname()[1]
        return port

    def __exit__(self, *exc: object) -> None:
        pass


# ------------------------------------------------------------------- static checks


def test_no_soapgen_dependency() -> None:
    """The runtime needs the standard library, lxml and httpx: nothing of soapgen."""
    allowed_third_party = {"httpx", "lxml"}
    for path in sorted(RUNTIME.glob("*.py")):
        for line in path.read_text().splitlines():
            if not line.startswith(("import ", "from ")) or line.startswith("from ."):
                continue
            top = line.split()[1].split(".")[0]
            assert top in allowed_third_party or top in sys.stdlib_module_names, (path, line)


def _mypy_strict(tmp_path: Path, cwd: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary"]
        + ["--cache-dir", str(tmp_path / "mypy_cache"), *targets],
        capture_output=True,
        text=True,
        cwd=cwd,
    )


def test_mypy_strict(tmp_path: Path) -> None:
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed")
    result = _mypy_strict(tmp_path, ROOT, str(RUNTIME))
    assert result.returncode == 0, result.stdout + result.stderr


def test_black_formatted() -> None:
    if importlib.util.find_spec("black") is None:
        pytest.skip("black is not installed")
    result = subprocess.run(
        [sys.executable, "-m", "black", "--check", "--quiet", "--line-length", "100", str(RUNTIME)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_record_init_takes_the_fields_by_keyword(rt: ModuleType) -> None:
    @rt.record
    class Base(rt.Record):
        name: str | None = None
        nil_fields: frozenset[str] = field(default=frozenset())

    @rt.record
    class Item(Base):
        count: int
        tags: list[str] = field(default_factory=list)

    a = Item(count=1, name="x")
    assert (a.count, a.name, a.tags, a.nil_fields) == (1, "x", [], frozenset())
    assert Item(count=1).tags is not Item(count=1).tags  # a list per instance
    assert a == Item(name="x", count=1) and a != Item(count=2, name="x")
    assert repr(a) == "Item(name='x', count=1, tags=[])"
    with pytest.raises(TypeError, match="unexpected keyword arguments: colour"):
        Item(count=1, colour="red")
    with pytest.raises(TypeError, match="missing required keyword argument: 'count'"):
        Item(name="x")
    with pytest.raises(TypeError):
        Item(1)  # keywords only
    assert Item(count=1, tags=None).tags == []  # a list field given as None is an empty list


def test_record_signatures_are_typed(tmp_path: Path) -> None:
    """mypy sees each record class's own keyword signature (dataclass_transform)."""
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed")
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    shutil.copytree(RUNTIME, pkg / "_runtime", ignore=shutil.ignore_patterns("__pycache__"))
    (pkg / "use.py").write_text(
        "from . import _runtime as _rt\n\n\n"
        "@_rt.record\nclass Item(_rt.Record):\n    count: int\n    name: str | None = None\n\n\n"
        'ok = Item(count=1, name="x")\n'
        'bad_name = Item(count=1, colour="red")\n'
        'bad_type = Item(count="1")\n'
        "missing = Item()\n",
        encoding="utf-8",
    )
    result = _mypy_strict(tmp_path, tmp_path, "-p", "pkg")
    lines = {ln.split(":")[1] for ln in result.stdout.splitlines() if ln.startswith("pkg/use.py:")}
    assert lines == {"11", "12", "13"}, result.stdout + result.stderr


def _reader_classes(rt: ModuleType) -> tuple[type, type]:
    """Two record classes bound to a wire format: Item (with a nested list) and Pair (a
    dictionary), the way generated modules declare them."""

    @rt.record
    class Item(rt.Record):
        count: int = 0
        name: str | None = None
        note: str | None = None
        tags: list[str] = dataclasses.field(default_factory=list)
        nil_fields: frozenset[str] = dataclasses.field(default=frozenset(), repr=False)

    @rt.record
    class Holder(rt.Record):
        item: Item | None = None
        map: dict[str, int | None] | None = None
        nil_fields: frozenset[str] = dataclasses.field(default=frozenset(), repr=False)

    n = "{urn:t}"
    rt.bind(
        Item,
        n + "Item",
        "t:Item",
        (
            rt.element("count", n + "Count", rt.scalar("int", int)),
            rt.element("name", n + "Name", rt.scalar("string", str), nillable=True),
            rt.element("note", n + "Note", rt.scalar("string", str)),
            rt.element("tags", n + "Tag", rt.scalar("string", str), repeated=True),
        ),
    )
    pairs = rt.DictOf(
        rt.scalar("string", str), rt.nillable(rt.scalar("int", int)), n + "P", n + "K", n + "V"
    )
    rt.bind(
        Holder,
        n + "Holder",
        "t:Holder",
        (rt.element("item", n + "Item", rt.record_of(Item)), rt.element("map", n + "Map", pairs)),
    )
    return Item, Holder


def _read(rt: ModuleType, cls: type, xml: str) -> Any:
    root = rt.parse_xml(
        f'<t:Holder xmlns:t="urn:t" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">{xml}'
        "</t:Holder>".encode()
    )
    return rt.read_record(cls, root)


def test_reader_nil_absent_and_last_element(rt: ModuleType) -> None:
    item_cls, holder = _reader_classes(rt)
    got = _read(rt, holder, '<t:Item><t:Count>4</t:Count><t:Name i:nil="true"/></t:Item>').item
    assert got.count == 4 and got.name is None and got.nil_fields == {"name"}
    assert got.note is None and "note" not in got.nil_fields and got.tags == []
    # a later element replaces a nil one; nil on a non-nillable element reads as absent
    xml = '<t:Item><t:Name i:nil="true"/><t:Name>x</t:Name><t:Note i:nil="true"/></t:Item>'
    got = _read(rt, holder, xml).item
    assert got.name == "x" and got.nil_fields == frozenset() and got.note is None
    assert got == item_cls(name="x")


def test_reader_comments_and_pis_never_change_values(rt: ModuleType) -> None:
    _, holder = _reader_classes(rt)
    xml = (
        "<t:Item><t:Count>4<!-- c -->2</t:Count><t:Name>Hello <?pi x?>World</t:Name>"
        "<t:Tag>a</t:Tag><!-- between items --><t:Tag>b</t:Tag></t:Item>"
    )
    got = _read(rt, holder, xml).item
    assert (got.count, got.name, got.tags) == (42, "Hello World", ["a", "b"])


def test_reader_dictionary_pairs_by_name(rt: ModuleType) -> None:
    _, holder = _reader_classes(rt)
    xml = "<t:Map><t:P><t:V>1</t:V><t:K>one</t:K></t:P><t:P><t:K>none</t:K></t:P></t:Map>"
    assert _read(rt, holder, xml).map == {"one": 1, "none": None}
    with pytest.raises(rt.WireError, match=r"Map/P\[0\]: a pair without K"):
        _read(rt, holder, "<t:Map><t:P><t:V>1</t:V></t:P></t:Map>")


def test_reader_errors_name_the_path_value_and_type(rt: ModuleType) -> None:
    _, holder = _reader_classes(rt)
    with pytest.raises(rt.WireError) as info:
        _read(rt, holder, "<t:Item><t:Count>four</t:Count></t:Item>")
    message = str(info.value)
    assert message == "Item/Count: invalid xs:int: 'four'"
    with pytest.raises(rt.WireError, match=r"Item/Count: expected xs:int text, found element b"):
        _read(rt, holder, "<t:Item><t:Count>4<t:b/></t:Count></t:Item>")
    with pytest.raises(rt.WireError, match=r"Map/P\[0\]/V: invalid xs:int: 'x'"):
        _read(rt, holder, "<t:Map><t:P><t:K>k</t:K><t:V>x</t:V></t:P></t:Map>")


def test_str_element_writes_value_nil_or_nothing(rt: ModuleType) -> None:
    assert rt.str_element("n2:Name", 'a<b&"c', False) == '<n2:Name>a&lt;b&amp;"c</n2:Name>'
    assert rt.str_element("n2:Name", "", True) == "<n2:Name></n2:Name>"
    assert rt.str_element("n2:Name", None, True) == '<n2:Name i:nil="true"/>'
    assert rt.str_element("n2:Name", None, False) == ""
