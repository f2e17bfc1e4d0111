"""The generator's use of the runtime's XSD codecs (templates/runtime/xsd.py): every builtin's
codec in generated code is a CODECS entry, doc-sample values are read with the same codecs as
the client reads them (a value one refuses the other refuses too), and generated clients read
and write hexBinary and the range-checked integer types (a small WSDL, generated in a temporary
project; the value grammar itself is tested in tests/test_xsd_values.py).
"""

from __future__ import annotations

import datetime
import decimal
import math
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

import soapgen.templates.runtime as rt
from soapgen.config.project import Config
from soapgen.core.xsd_types import BUILTINS, CODEC_KEYS, WCF_SPECIAL
from soapgen.pipeline.run import generate
from soapgen.plan.values import scalar_value
from soapgen.render.samples import Unreadable, scalar_literal
from soapgen.templates.runtime import xsd

from wsdl_project import build

ROOT = Path(__file__).resolve().parents[1]
SPECS86 = ROOT / "specs" / "superoffice" / "Services86"
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
NS = "urn:example:values"


# ------------------------------------------------------------------ builtins and codecs


def test_every_builtin_names_a_runtime_codec() -> None:
    for local, b in [*BUILTINS.items(), *(("wcf:" + k, v) for k, v in WCF_SPECIAL.items())]:
        codec = xsd.CODECS[b.key]
        assert codec.python == b.annotation, local
        if b.codec == "str":
            assert b.key == "string"  # the string types and g* read as xs:string (documented)
            continue
        assert b.key == local or (local, b.key) == ("wcf:duration", "duration"), local
        # generated code calls _rt.parse_<codec>/_rt.fmt_<codec>: the codec's own functions
        assert getattr(rt, "parse_" + b.codec) is codec.parse, local
        assert getattr(rt, "fmt_" + b.codec) is codec.format, local
        assert CODEC_KEYS[b.codec] == b.key


def test_hex_binary_is_not_base64() -> None:
    assert BUILTINS["hexBinary"].codec == "hex"
    assert scalar_literal("hexBinary", "0FB7") == 'b"\\x0f\\xb7"'


def test_default_texts_are_what_the_client_writes() -> None:
    by_codec = {b.codec: b for b in [*BUILTINS.values(), *WCF_SPECIAL.values()]}

    def text(codec: str) -> str | None:
        return scalar_value(by_codec[codec]).default_text

    assert text("int32") == "0" and text("uint8") == "0" and text("int") == "0"
    assert text("bool") == "false"
    assert text("float") == "0.0" and text("float32") == "0"
    assert text("datetime") == "0001-01-01T00:00:00"
    assert text("duration") == "PT0S"
    assert text("hex") == "" and text("str") == ""
    assert text("uuid") == "00000000-0000-0000-0000-000000000000"
    assert text("posint") is None  # 0 is no positiveInteger
    for b in BUILTINS.values():
        if b.default is not None:
            value = eval(b.default, {"_dt": datetime, "_decimal": decimal, "_uuid": uuid})
            assert text(b.codec) == (
                value if b.codec == "str" else getattr(rt, "fmt_" + b.codec)(value)
            )


# ---------------------------------------------------- sample values read as the client does

# texts that the generator (datetime.fromisoformat, int(), Decimal(), ...) and the runtime once
# judged differently
DISAGREED = [
    ("int32", "1_000"),
    ("int32", "\u0661\u0662"),
    ("int32", "2147483648"),
    ("uint32", "-1"),
    ("int16", "1" * 30),
    ("int32", "0\u3000"),
    ("bool", "\xa0true"),
    ("float", "1e400"),
    ("float", "infinity"),
    ("float", "1_0"),
    ("decimal", "1e5"),
    ("decimal", "Infinity"),
    ("datetime", "20251126T120630"),
    ("datetime", "2025-11-26T12:06:30+05"),
    ("datetime", "2025-11-26 12:06:30"),
    ("datetime", "2025-W48-3T12:06:30"),
    ("datetime", "2025-11-26T24:00:00"),
    ("date", "20251126"),
    ("time", "120630"),
    ("duration", "P1Y"),
    ("duration", "PT1,5S"),
    ("base64", "aG\nk="),
    ("base64", "QR=="),
    ("hex", "0FB7"),
    ("uuid", "{1b4e28ba-2fa1-11d2-883f-0016d3cca427}"),
    ("uuid", "1b4e28ba2fa111d2883f0016d3cca427"),
]
NAMESPACE = {"datetime": datetime, "decimal": decimal, "uuid": uuid}


def _agree(codec: str, text: str) -> None:
    read = getattr(rt, "parse_" + codec) if codec != "str" else (lambda t: t)
    try:
        expected = read(text)
    except ValueError as exc:
        with pytest.raises(Unreadable) as info:
            scalar_literal(CODEC_KEYS.get(codec, "string"), text)
        assert str(info.value) == str(exc)  # SAMPLE005/SAMPLE010 say what the client says
        return
    value = eval(scalar_literal(CODEC_KEYS.get(codec, "string"), text), NAMESPACE)
    if isinstance(expected, float) and math.isnan(expected):
        assert math.isnan(value)
    else:
        assert value == expected and type(value) is type(expected), (codec, text)


@pytest.mark.parametrize("codec,text", DISAGREED)
def test_generator_and_client_agree_on_known_disagreements(codec: str, text: str) -> None:
    _agree(codec, text)


@given(
    st.sampled_from(sorted(CODEC_KEYS)),
    st.text(st.sampled_from("0123456789+-.:TZPDHMSYeEINFaNx AQ=\xa0\t-"), max_size=30)
    | st.sampled_from([t for _, t in DISAGREED]),
)
def test_generator_and_client_agree(codec: str, text: str) -> None:
    _agree(codec, text)


def _report_project(tmp: Path, edits: dict[str, list[tuple[str, str]]]) -> Path:
    specs = tmp / "specs" / "superoffice" / "Services86"
    shutil.copytree(SPECS86, specs)
    for page, changes in edits.items():
        path = specs / "Report" / page
        text = path.read_text(encoding="utf-8")
        for old, new in changes:
            assert old in text, (page, old)
            text = text.replace(old, new, 1)  # the first: the request sample comes first
        path.write_text(text, encoding="utf-8")
    return tmp


def test_a_sample_value_the_client_refuses_is_a_deviation(tmp_path: Path) -> None:
    """Values the generator once accepted and the client refuses, in requests and responses,
    a parameter's and a record field's: each a SAMPLE010 saying what the client does instead
    (a request: it sends the default its plain field holds; a reply: it reads the element as
    absent), every page keeps its fixture tests, and they pass against the runtime."""
    _report_project(
        tmp_path,
        {
            "DeleteFavorite.md": [  # a request's parameter
                (
                    '<Report:ReportEntityId xsi:type="xsd:int">0<',
                    '<Report:ReportEntityId xsi:type="xsd:int">2147483648<',
                )
            ],
            "SaveReportLabelLayoutEntity.md": [  # a request's record field (an empty value)
                (
                    '<Report:PaperWidth xsi:type="xsd:unsignedInt">0<',
                    '<Report:PaperWidth xsi:type="xsd:unsignedInt"><',
                )
            ],
            "CreateDefaultReportEntity.md": [  # a reply's record fields
                (
                    '<Report:AssociateId xsi:type="xsd:int">0<',
                    '<Report:AssociateId xsi:type="xsd:int">1_000<',
                ),
                (
                    '<Report:Published xsi:type="xsd:boolean">false<',
                    '<Report:Published xsi:type="xsd:boolean">\u00a0false<',
                ),
            ],
        },
    )
    out = tmp_path / "generated"
    result = generate(Config(root=str(tmp_path), specs=str(tmp_path / "specs"), output=str(out)))
    assert not result.diags.has_errors, [d.format() for d in result.diags.items]
    found = [d.format() for d in result.diags.items if d.code in ("SAMPLE005", "SAMPLE010")]
    pages = ("DeleteFavorite", "SaveReportLabelLayoutEntity", "CreateDefaultReportEntity")
    mine = [d for d in found if any(p + ".md" in d for p in pages)]
    assert len(mine) == 4 and not any("SAMPLE005" in d for d in mine), found
    assert any(
        "DeleteFavorite/ReportEntityId: invalid xs:int: '2147483648' (out of range" in d
        and "the client sends the default '0' instead" in d
        for d in mine
    ), mine
    assert any(
        "PaperWidth: invalid xs:unsignedInt: ''" in d
        and "the client sends the default '0' instead" in d
        for d in mine
    ), mine
    assert any(
        "invalid xs:int: '1_000'" in d and "the client reads it as absent" in d for d in mine
    ), mine
    assert any("SAMPLE010" in d and "invalid xs:boolean: '\\xa0false'" in d for d in mine), mine
    for rel, data in result.files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    tests = (out / "superoffice" / "services86" / "tests" / "test_report.py").read_text()
    for page in pages:
        assert f'_testing.Case(\n        "{page}"' in tests or f'"{page}",' in tests, page
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-k",
            " or ".join(
                ["DeleteFavorite", "SaveReportLabelLayoutEntity", "CreateDefaultReportEntity"]
                + [
                    "delete_favorite",
                    "save_report_label_layout_entity",
                    "create_default_report_entity",
                ]
            ),
            str(out / "superoffice" / "services86" / "tests"),
        ],
        capture_output=True,
        text=True,
        cwd=out,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "\n9 passed" in run.stdout, run.stdout  # 3 requests, 3 replies, 3 deviation tests


# ------------------------------------------------------- a generated client, end to end

WSDL = f"""<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions name="Values" targetNamespace="{NS}"
    xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="{NS}">
  <wsdl:types>
    <xs:schema targetNamespace="{NS}" elementFormDefault="qualified">
      <xs:complexType name="Sample">
        <xs:sequence>
          <xs:element name="Data" type="xs:hexBinary"/>
          <xs:element name="Blob" type="xs:hexBinary" minOccurs="0"/>
          <xs:element name="Small" type="xs:short"/>
          <xs:element name="Count" type="xs:unsignedByte"/>
          <xs:element name="Big" type="xs:long"/>
          <xs:element name="Ratio" type="xs:float"/>
        </xs:sequence>
        <xs:attribute name="tag" type="xs:hexBinary"/>
      </xs:complexType>
      <xs:element name="Echo">
        <xs:complexType><xs:sequence><xs:element name="In" type="tns:Sample"/></xs:sequence></xs:complexType>
      </xs:element>
      <xs:element name="EchoResponse">
        <xs:complexType><xs:sequence><xs:element name="Out" type="tns:Sample"/></xs:sequence></xs:complexType>
      </xs:element>
    </xs:schema>
  </wsdl:types>
  <wsdl:message name="EchoIn"><wsdl:part name="parameters" element="tns:Echo"/></wsdl:message>
  <wsdl:message name="EchoOut"><wsdl:part name="parameters" element="tns:EchoResponse"/></wsdl:message>
  <wsdl:portType name="ValuesPort">
    <wsdl:operation name="Echo">
      <wsdl:input message="tns:EchoIn"/>
      <wsdl:output message="tns:EchoOut"/>
    </wsdl:operation>
  </wsdl:portType>
  <wsdl:binding name="ValuesSoap" type="tns:ValuesPort">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http" style="document"/>
    <wsdl:operation name="Echo">
      <soap:operation soapAction="urn:example:values/Echo"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input>
      <wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="ValuesService">
    <wsdl:port name="ValuesSoap" binding="tns:ValuesSoap">
      <soap:address location="http://example.invalid/values"/>
    </wsdl:port>
  </wsdl:service>
</wsdl:definitions>
"""


@pytest.fixture(scope="module")
def values(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    built = build(tmp_path_factory.mktemp("values"), "values", {"values.wsdl": WSDL})
    with built.imported("values_port") as module:
        yield module


class Canned:
    """A transport that records the request and answers with the next canned reply."""

    def __init__(self, runtime: Any) -> None:
        self.runtime = runtime
        self.sent: list[bytes] = []
        self.replies: list[bytes] = []

    def send(self, call: Any) -> Any:
        self.sent.append(call.envelope)
        return self.runtime.SoapReply(200, self.replies.pop(0), "text/xml; charset=utf-8")


def _reply(sample: str, tag: str = "0fb7") -> bytes:
    return (
        f'<s:Envelope xmlns:s="{SOAP11}"><s:Body><v:EchoResponse xmlns:v="{NS}">'
        f'<v:Out tag="{tag}">{sample}</v:Out></v:EchoResponse></s:Body></s:Envelope>'
    ).encode()


GOOD = (
    "<v:Data>0fb7</v:Data><v:Blob>\n00FF\n</v:Blob><v:Small>-32768</v:Small>"
    "<v:Count>255</v:Count><v:Big>9223372036854775807</v:Big><v:Ratio>0.1</v:Ratio>"
)


def _client(mod: ModuleType) -> tuple[Any, Canned]:
    transport = Canned(sys.modules["values.v1._runtime"])
    return mod.ValuesPortAgent("http://127.0.0.1:9", transport=transport), transport


def test_generated_client_reads_hex_binary_and_integer_ranges(values: ModuleType) -> None:
    client, transport = _client(values)
    transport.replies.append(_reply(GOOD))
    out = client.echo(values.Sample(data=b"", small=0, count=0, big=0, ratio=0.0))
    assert out.data == b"\x0f\xb7" and out.blob == b"\x00\xff" and out.tag == b"\x0f\xb7"
    assert (out.small, out.count, out.big, out.ratio) == (-32768, 255, 2**63 - 1, 0.1)
    errors = sys.modules["values.v1._runtime"]
    for bad, message in [
        ("<v:Small>32768</v:Small>", "invalid xs:short: '32768' (out of range -32768..32767)"),
        ("<v:Count>-1</v:Count>", "invalid xs:unsignedByte: '-1' (out of range 0..255)"),
        ("<v:Big>9223372036854775808</v:Big>", "invalid xs:long"),
        ("<v:Ratio>1e39</v:Ratio>", "invalid xs:float: '1e39' (out of range"),
        ("<v:Data>0FB</v:Data>", "invalid xs:hexBinary: '0FB'"),
        ("<v:Small>\u00a012</v:Small>", "invalid xs:short"),
    ]:
        field = bad[3 : bad.index(">")]
        sample = GOOD.replace(
            GOOD[GOOD.index(f"<v:{field}>") : GOOD.index(f"</v:{field}>") + len(field) + 5], bad
        )
        transport.replies.append(_reply(sample))
        with pytest.raises(
            errors.MalformedResponseError, match=message.replace("(", r"\(").replace(")", r"\)")
        ):
            client.echo(values.Sample(data=b"", small=0, count=0, big=0, ratio=0.0))


def test_generated_client_writes_hex_binary_and_checks_ranges(values: ModuleType) -> None:
    client, transport = _client(values)
    transport.replies.append(_reply(GOOD))
    sample = values.Sample(
        data=b"\x0f\xb7", blob=None, small=-5, count=200, big=-(2**63), ratio=0.1, tag=b"\xab"
    )
    client.echo(sample)
    root = etree.fromstring(transport.sent[0])
    request = root.find(f"{{{SOAP11}}}Body/{{{NS}}}Echo/{{{NS}}}In")
    assert request is not None and request.get("tag") == "AB"
    assert [(etree.QName(c).localname, c.text) for c in request] == [
        ("Data", "0FB7"),
        ("Small", "-5"),
        ("Count", "200"),
        ("Big", "-9223372036854775808"),
        ("Ratio", "0.1"),
    ]
    wsdl = etree.fromstring(WSDL.encode())
    xs = wsdl.find(".//{http://www.w3.org/2001/XMLSchema}schema")
    schema = etree.XMLSchema(etree.fromstring(etree.tostring(xs)))  # with the WSDL's xmlns
    schema.assertValid(root.find(f"{{{SOAP11}}}Body/{{{NS}}}Echo"))
    for field, value, error in [
        ("small", 32768, ValueError),
        ("count", 256, ValueError),
        ("count", -1, ValueError),
        ("big", 2**63, ValueError),
        ("ratio", 1e39, ValueError),
        ("small", True, TypeError),
        ("small", "5", TypeError),
        ("data", "0FB7", TypeError),
    ]:
        kwargs: dict[str, Any] = {"data": b"", "small": 0, "count": 0, "big": 0, "ratio": 0.0}
        kwargs[field] = value
        with pytest.raises(error):
            client.echo(values.Sample(**kwargs))
    assert len(transport.sent) == 1  # nothing left the client
