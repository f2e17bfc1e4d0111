"""How WSDLs written by others are read (issue 13): imports inside the specs tree and soapgen's
own copies of well-known schemas, a WSDL imported by another as part of it, every SOAP binding
a client (one client for a portType bound for SOAP 1.1 and 1.2), notes for what has no SOAP
binding, soap:header parts of a type, duplicate bindings, and one broken operation reported by
name (``--keep-going`` writes the others)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from lxml import etree

from soapgen.cli import main
from soapgen.core.diagnostics import Level
from soapgen.read.sources.imports import KNOWN, known_path

from wsdl_project import build, envelope, simple_wsdl

W = "http://schemas.xmlsoap.org/wsdl/"
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"

ECHO = """
<xs:element name="Echo"><xs:complexType><xs:sequence>
  <xs:element name="Text" type="xs:string"/>
</xs:sequence></xs:complexType></xs:element>
<xs:element name="EchoResponse"><xs:complexType><xs:sequence>
  <xs:element name="Text" type="xs:string"/>
</xs:sequence></xs:complexType></xs:element>
"""


class Canned:
    def __init__(self, runtime: object, reply: bytes) -> None:
        self.runtime, self.reply = runtime, reply
        self.calls: list[object] = []

    def send(self, call: object) -> object:
        self.calls.append(call)
        return self.runtime.SoapReply(200, self.reply, "text/xml; charset=utf-8")  # type: ignore[attr-defined]


# --- imports -----------------------------------------------------------------------------

COMMON = """<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:common"
  elementFormDefault="qualified">
  <xs:complexType name="Money"><xs:sequence>
    <xs:element name="Amount" type="xs:decimal"/>
  </xs:sequence></xs:complexType>
</xs:schema>
"""


def _pay_wsdl(location: str) -> str:
    schema = f"""
<xs:import namespace="urn:common" schemaLocation="{location}"/>
<xs:element name="Pay"><xs:complexType><xs:sequence>
  <xs:element name="Total" type="c:Money"/>
</xs:sequence></xs:complexType></xs:element>
<xs:element name="PayResponse"><xs:complexType><xs:sequence/></xs:complexType></xs:element>
"""
    return simple_wsdl(schema, [("Pay", "Pay", "PayResponse")], extra_ns='xmlns:c="urn:common"')


def test_relative_imports_inside_the_specs_tree_are_read(tmp_path: Path) -> None:
    """travelport and generali keep shared schemas in sibling folders reached with ../"""
    built = build(
        tmp_path,
        "pay",
        {
            "pay/Pay.wsdl": _pay_wsdl("../common/Common.xsd"),
            "common/Common.xsd": COMMON,
        },
    )
    assert built.errors == []
    with built.imported("svc") as svc:
        assert svc._build_pay.__annotations__["total"] == "Money"


def test_imports_leaving_the_specs_tree_are_refused(tmp_path: Path) -> None:
    (tmp_path / "Common.xsd").write_text(COMMON, encoding="utf-8")  # beside specs/, not in it
    for location in (
        "../../../../Common.xsd",
        str(tmp_path / "Common.xsd"),
        f"file://{tmp_path / 'Common.xsd'}",
        "http://example.invalid/Common.xsd",
    ):
        built = build(
            tmp_path / location.replace("/", "_"), "pay", {"Pay.wsdl": _pay_wsdl(location)}
        )
        refused = [d for d in built.diags if d.code == "WSDL003"]
        assert refused and refused[0].level is Level.ERROR, location
        assert refused[0].file.endswith("Pay.wsdl") and refused[0].line > 1


def test_well_known_remote_schemas_are_soapgens_own_copies(tmp_path: Path) -> None:
    """SOAP encoding, xml.xsd and WS-Addressing are read from the package's copies (nothing is
    fetched: a fetch would be refused as WSDL003); their namespace alone is enough."""
    for name, (namespace, _) in KNOWN.items():
        root = etree.parse(known_path(name)).getroot()
        assert root.get("targetNamespace") == namespace
    schema = """
<xs:import namespace="http://schemas.xmlsoap.org/soap/encoding/"
  schemaLocation="http://schemas.xmlsoap.org/soap/encoding/"/>
<xs:import namespace="http://www.w3.org/2005/08/addressing"
  schemaLocation="https://www.w3.org/2005/08/addressing/ws-addr.xsd"/>
<xs:import namespace="http://www.w3.org/XML/1998/namespace"/>
<xs:element name="Go"><xs:complexType><xs:sequence>
  <xs:element name="To" type="wsa:EndpointReferenceType"/>
  <xs:element name="Note"><xs:complexType><xs:simpleContent>
    <xs:extension base="xs:string"><xs:attribute ref="xml:lang"/></xs:extension>
  </xs:simpleContent></xs:complexType></xs:element>
</xs:sequence></xs:complexType></xs:element>
<xs:element name="GoResponse"><xs:complexType><xs:sequence/></xs:complexType></xs:element>
"""
    wsdl = simple_wsdl(
        schema,
        [("Go", "Go", "GoResponse")],
        extra_ns='xmlns:wsa="http://www.w3.org/2005/08/addressing"',
    )
    built = build(tmp_path, "known", {"go.wsdl": wsdl})
    assert built.errors == []
    assert "WSDL003" not in built.codes()
    with built.imported("svc") as svc:
        types = sys.modules["known.v1.types"]
        assert hasattr(types, "EndpointReferenceType")
        assert svc  # imports


# --- WSDLs importing WSDLs ----------------------------------------------------------------

ABSTRACT = f"""<?xml version="1.0"?>
<w:definitions xmlns:w="{W}" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:t"
  targetNamespace="urn:t">
  <w:types><xs:schema targetNamespace="urn:t" elementFormDefault="qualified">{ECHO}</xs:schema></w:types>
  <w:message name="EchoIn"><w:part name="parameters" element="tns:Echo"/></w:message>
  <w:message name="EchoOut"><w:part name="parameters" element="tns:EchoResponse"/></w:message>
  <w:portType name="EchoPortType"><w:operation name="Echo">
    <w:input message="tns:EchoIn"/><w:output message="tns:EchoOut"/>
  </w:operation></w:portType>
</w:definitions>
"""


def _bindings(*bindings: tuple[str, str, str], ports: str = "") -> str:
    """A service WSDL importing EchoAbstract.wsdl: bindings (name, kind, portType)."""
    out = ""
    for name, kind, port_type in bindings:
        if kind in ("soap", "soap12"):
            out += (
                f'<w:binding name="{name}" type="tns:{port_type}">'
                f'<{kind}:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>'
                f'<w:operation name="Echo"><{kind}:operation soapAction="urn:t/Echo"/>'
                f'<w:input><{kind}:body use="literal"/></w:input>'
                f'<w:output><{kind}:body use="literal"/></w:output></w:operation></w:binding>'
            )
        else:
            out += (
                f'<w:binding name="{name}" type="tns:{port_type}"><http:binding verb="POST"/>'
                '<w:operation name="Echo"><http:operation location="Echo"/>'
                "<w:input/><w:output/></w:operation></w:binding>"
            )
    return f"""<?xml version="1.0"?>
<w:definitions xmlns:w="{W}" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
  xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/"
  xmlns:http="http://schemas.xmlsoap.org/wsdl/http/" xmlns:tns="urn:t" targetNamespace="urn:t">
  <w:import namespace="urn:t" location="EchoAbstract.wsdl"/>
  {out}{ports}
</w:definitions>
"""


def test_an_imported_wsdl_is_part_of_its_importer(tmp_path: Path) -> None:
    """A version folder holding Echo.wsdl and the EchoAbstract.wsdl it imports: one client, and
    no complaint that the abstract WSDL has no binding."""
    built = build(
        tmp_path,
        "echo",
        {
            "EchoAbstract.wsdl": ABSTRACT,
            "Echo.wsdl": _bindings(("EchoBinding", "soap", "EchoPortType")),
        },
    )
    assert built.diags == []
    with built.imported("echo_port_type") as mod:
        assert hasattr(mod.EchoPortTypeAgent, "echo")


def test_every_soap_binding_is_a_client(tmp_path: Path) -> None:
    """Several portTypes and bindings: a client each (Travelport: 19 portTypes); an HTTP
    binding is a note."""
    abstract = ABSTRACT.replace(
        "</w:definitions>",
        '<w:portType name="OtherPortType"><w:operation name="Echo">'
        '<w:input message="tns:EchoIn"/><w:output message="tns:EchoOut"/>'
        "</w:operation></w:portType></w:definitions>",
    )
    wsdl = _bindings(
        ("EchoBinding", "soap", "EchoPortType"),
        ("OtherBinding", "soap", "OtherPortType"),
        ("OtherHttp", "http", "OtherPortType"),
    )
    built = build(tmp_path, "multi", {"EchoAbstract.wsdl": abstract, "Echo.wsdl": wsdl})
    assert built.errors == [] and built.codes() == ["WSDL014"]
    assert built.diags[0].level is Level.INFO and "OtherHttp" in built.diags[0].message
    with built.imported() as pkg:
        client = pkg.Client("http://h")
        assert hasattr(client.echo_port_type, "echo") and hasattr(client.other_port_type, "echo")


def test_a_port_type_bound_for_soap_11_and_12_is_one_client_speaking_either(
    tmp_path: Path,
) -> None:
    ports = (
        '<w:service name="EchoService">'
        '<w:port name="Echo12" binding="tns:Echo12"><soap12:address location="http://h/echo.asmx"/></w:port>'
        '<w:port name="Echo11" binding="tns:Echo11"><soap:address location="http://h/echo.asmx"/></w:port>'
        "</w:service>"
    )
    wsdl = _bindings(
        ("Echo11", "soap", "EchoPortType"), ("Echo12", "soap12", "EchoPortType"), ports=ports
    )
    built = build(tmp_path, "both", {"EchoAbstract.wsdl": ABSTRACT, "Echo.wsdl": wsdl})
    assert built.diags == []
    reply = '<EchoResponse xmlns="urn:t"><Text>hi</Text></EchoResponse>'
    with built.imported("echo_port_type") as mod:
        rt = sys.modules["both.v1._runtime"]
        assert mod.EchoPortTypeAgent._soap_versions == ("1.1", "1.2")
        t11 = Canned(rt, envelope(reply))
        assert mod.EchoPortTypeAgent("http://h", transport=t11).echo("hi") == "hi"
        assert etree.fromstring(t11.calls[0].envelope).tag == f"{{{SOAP11}}}Envelope"
        t12 = Canned(rt, envelope(reply, soap12=True))
        agent = mod.EchoPortTypeAgent("http://h", transport=t12, soap_version="1.2")
        assert agent.echo("hi") == "hi" and agent.soap_version == "1.2"
        assert etree.fromstring(t12.calls[0].envelope).tag == f"{{{SOAP12}}}Envelope"
        assert agent.url == "http://h/echo.asmx"
        with pytest.raises(ValueError, match="1.1 and 1.2"):
            mod.EchoPortTypeAgent("http://h", soap_version="1.3")
        pkg = sys.modules["both.v1"]
        assert pkg.Client("http://h", soap_version="1.2").echo_port_type.soap_version == "1.2"


def test_without_a_soap_binding_nothing_is_generated_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An HTTP-only WSDL and a types-only WSDL: exit 0, and a note saying why."""
    cases = {
        "http": _bindings(("EchoHttp", "http", "EchoPortType")),
        "types": ABSTRACT,
    }
    for name, wsdl in cases.items():
        root = tmp_path / name
        (root / "specs" / name / "v1").mkdir(parents=True)
        if name == "http":
            (root / "specs" / name / "v1" / "EchoAbstract.wsdl").write_text(ABSTRACT)
        (root / "specs" / name / "v1" / "Echo.wsdl").write_text(wsdl)
        (root / "pyproject.toml").write_text('[tool.soapgen]\nspecs = "specs"\noutput = "out"\n')
        monkeypatch.chdir(root)
        capsys.readouterr()
        assert main(["generate"]) == 0, name
        text = capsys.readouterr().out
        assert "info WSDL006" in text and "nothing generated" in text, text
        why = "HTTP POST" if name == "http" else "defines no binding"
        assert why in text, text


# --- bindings and headers ---------------------------------------------------------------


HEADERS = """<?xml version="1.0"?>
<definitions xmlns:tns="urn:q" xmlns:xsd1="urn:q:types" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
  xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:xsd="http://www.w3.org/2001/XMLSchema"
  targetNamespace="urn:q">
  <types><schema xmlns="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:q:types">
    <element name="Quote"><complexType><all><element name="ticker" type="string"/></all></complexType></element>
    <element name="Price"><complexType><all><element name="price" type="float"/></all></complexType></element>
    <element name="Auth"><complexType><sequence><element name="user" type="string"/></sequence></complexType></element>
  </schema></types>
  <message name="In"><part name="auth" element="xsd1:Auth"/><part name="body" element="xsd1:Quote"/></message>
  <message name="Out"><part name="body" element="xsd1:Price"/></message>
  <message name="Trace"><part name="trace" type="xsd:string"/></message>
  <portType name="Quotes"><operation name="GetQuote"><input message="tns:In"/><output message="tns:Out"/></operation></portType>
  <binding name="QuotesBinding" type="tns:Quotes">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="GetQuote"><soap:operation soapAction="urn:q/GetQuote"/>
      <input><soap:header message="tns:In" part="auth" use="literal"/><soap:body use="literal"/></input>
      <output><soap:body use="literal"/><soap:header message="tns:Trace" part="trace" use="literal"/></output>
    </operation>
  </binding>
  BINDING2
  <service name="QuoteService"><port name="QuotePort" binding="tns:QuotesBinding">
    <soap:address location="http://h/quotes"/></port></service>
</definitions>
"""
TCP_BINDING = """<binding name="QuotesBinding" type="tns:Quotes">
    <soap:binding style="document" transport="http://schemas.microsoft.com/soap/tcp"/>
    <operation name="GetQuote"><soap:operation soapAction="urn:q/GetQuote"/>
      <input><soap:body use="literal"/></input><output><soap:body use="literal"/></output>
    </operation>
  </binding>"""


def test_header_part_of_a_type_and_a_binding_defined_twice(tmp_path: Path) -> None:
    """zeep's soap_header.wsdl and soap_transport_err.wsdl: a soap:header naming a part of a
    type (an unqualified element named after the part), and a second binding of the same name
    over another transport (a warning: the SOAP/HTTP one is used)."""
    built = build(tmp_path, "quotes", {"q.wsdl": HEADERS.replace("BINDING2", TCP_BINDING)})
    assert built.errors == []
    assert [(d.code, d.level) for d in built.diags] == [("WSDL012", Level.WARNING)]
    assert "transport http://schemas.microsoft.com/soap/tcp" in built.diags[0].message
    reply = (
        f'<s:Envelope xmlns:s="{SOAP11}"><s:Header><trace>t-1</trace></s:Header><s:Body>'
        '<q:Price xmlns:q="urn:q:types"><price>1.5</price></q:Price></s:Body></s:Envelope>'
    ).encode()
    with built.imported("quotes") as mod:
        rt = sys.modules["quotes.v1._runtime"]
        t = Canned(rt, reply)
        agent = mod.QuotesAgent("http://h", transport=t, auth=mod.Auth(user="u"))
        assert agent.get_quote("X") == 1.5
        assert agent.last_response_headers.trace == "t-1"
        sent = etree.fromstring(t.calls[0].envelope)
        assert [h.tag for h in sent[0]] == ["{urn:q:types}Auth"]


def test_two_different_soap_bindings_of_one_name_are_an_error(tmp_path: Path) -> None:
    second = TCP_BINDING.replace("microsoft.com/soap/tcp", "xmlsoap.org/soap/http").replace(
        'soapAction="urn:q/GetQuote"', 'soapAction="urn:q/Other"'
    )
    built = build(tmp_path, "quotes", {"q.wsdl": HEADERS.replace("BINDING2", second)})
    assert [d.code for d in built.diags if d.level is Level.ERROR] == ["WSDL012"]


# --- one broken operation ------------------------------------------------------------------

BROKEN = simple_wsdl(
    ECHO,
    [("Echo", "Echo", "EchoResponse"), ("Lost", "LostRequest", "EchoResponse")],
)


def test_a_broken_operation_is_an_error_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """generali's GetOrganisation names an element no schema declares: an error naming the
    operation, nothing written; --keep-going writes the healthy operations (exit 1 still)."""
    (tmp_path / "specs" / "broken" / "v1").mkdir(parents=True)
    (tmp_path / "specs" / "broken" / "v1" / "svc.wsdl").write_text(BROKEN)
    (tmp_path / "pyproject.toml").write_text('[tool.soapgen]\nspecs = "specs"\noutput = "out"\n')
    monkeypatch.chdir(tmp_path)
    assert main(["generate"]) == 1
    text = capsys.readouterr().out
    assert "error WSDL013 operation Lost uses undeclared element {urn:t}LostRequest" in text
    assert "nothing written" in text and not (tmp_path / "out").exists()
    assert main(["generate", "--keep-going"]) == 1
    text = capsys.readouterr().out
    assert "error WSDL013 operation Lost" in text and "--keep-going: written despite" in text
    source = (tmp_path / "out" / "broken" / "v1" / "svc.py").read_text()
    assert "def echo(" in source and "lost" not in source.lower()


def test_bindings_of_one_port_type_that_differ_are_clients_of_their_own(tmp_path: Path) -> None:
    """SOAP 1.1 and 1.2 bindings of one portType that disagree (another soapAction): one client
    per binding, named after it, each speaking its own version."""
    wsdl = _bindings(("Echo11", "soap", "EchoPortType"), ("Echo12", "soap12", "EchoPortType"))
    wsdl = wsdl.replace(
        '<soap12:operation soapAction="urn:t/Echo"/>',
        '<soap12:operation soapAction="urn:t/Echo12"/>',
    )
    built = build(tmp_path, "split", {"EchoAbstract.wsdl": ABSTRACT, "Echo.wsdl": wsdl})
    assert built.diags == []
    with built.imported() as pkg:
        assert (pkg.Echo11Agent._soap_version, pkg.Echo12Agent._soap_version) == ("1.1", "1.2")
        assert pkg.Echo11Agent._soap_versions == () == pkg.Echo12Agent._soap_versions
