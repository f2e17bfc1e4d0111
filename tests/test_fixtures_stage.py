"""The fixture stage (generator/render/fixtures.py, agent_fixtures): for one small agent read from a
WSDL written here, the fixture files of each operation with both doc samples, the response
normalized to the binding's SOAP version, the test module's cases, and the SAMPLE diagnostics
that say why an operation has no fixture test.

The agent goes through the stages before it as the pipeline runs them (profile, naming,
layout, plan); the test module is checked as text (it compiles, its cases say what they
should), not run: the generated packages' own tests run it.
"""

from __future__ import annotations

import ast
import dataclasses

import pytest
from lxml import etree

from soapgen.config import naming, profiles
from soapgen.core import ir
from soapgen.core.diagnostics import Collector, Diagnostic, Level
from soapgen.core.templateset import TemplateSet
from soapgen.merge.layout import lay_out
from soapgen.plan.version import plan_one_agent, version_namespaces
from soapgen.read.sources.wsdl import read_wsdl
from soapgen.render.fixtures import agent_fixtures
from soapgen.render.modules import environment

WSDL = """<?xml version="1.0"?>
<wsdl:definitions targetNamespace="urn:shop" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"
  xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tns="urn:shop">
 <wsdl:types>
  <xs:schema targetNamespace="urn:shop" elementFormDefault="qualified">
   <xs:complexType name="Item"><xs:sequence>
     <xs:element name="Name" type="xs:string" minOccurs="0" nillable="true"/>
     <xs:element name="Price" type="xs:decimal" minOccurs="0"/>
     <xs:element name="Count" type="xs:int" minOccurs="0"/>
   </xs:sequence></xs:complexType>
   <xs:complexType name="Credentials"><xs:sequence>
     <xs:element name="Ticket" type="xs:string" minOccurs="0" nillable="true"/>
   </xs:sequence></xs:complexType>
   <xs:element name="Credentials" type="tns:Credentials"/>
   <xs:element name="GetItem"><xs:complexType><xs:sequence>
     <xs:element name="Id" type="xs:int" minOccurs="0"/>
   </xs:sequence></xs:complexType></xs:element>
   <xs:element name="GetItemResponse"><xs:complexType><xs:sequence>
     <xs:element name="GetItemResult" type="tns:Item" minOccurs="0" nillable="true"/>
   </xs:sequence></xs:complexType></xs:element>
   <xs:element name="CountItems"><xs:complexType><xs:sequence>
     <xs:element name="Min" type="xs:int"/>
     <xs:element name="Max" type="xs:int"/>
   </xs:sequence></xs:complexType></xs:element>
   <xs:element name="CountItemsResponse"><xs:complexType><xs:sequence>
     <xs:element name="CountItemsResult" type="xs:int"/>
   </xs:sequence></xs:complexType></xs:element>
  </xs:schema>
 </wsdl:types>
 <wsdl:message name="GetItemIn"><wsdl:part name="parameters" element="tns:GetItem"/></wsdl:message>
 <wsdl:message name="GetItemOut">
  <wsdl:part name="parameters" element="tns:GetItemResponse"/></wsdl:message>
 <wsdl:message name="CountIn"><wsdl:part name="parameters" element="tns:CountItems"/></wsdl:message>
 <wsdl:message name="CountOut">
  <wsdl:part name="parameters" element="tns:CountItemsResponse"/></wsdl:message>
 <wsdl:message name="CredentialsHeader">
  <wsdl:part name="Credentials" element="tns:Credentials"/></wsdl:message>
 <wsdl:portType name="Shop">
  <wsdl:operation name="GetItem">
   <wsdl:input message="tns:GetItemIn"/><wsdl:output message="tns:GetItemOut"/></wsdl:operation>
  <wsdl:operation name="Peek">
   <wsdl:input message="tns:GetItemIn"/><wsdl:output message="tns:GetItemOut"/></wsdl:operation>
  <wsdl:operation name="CountItems">
   <wsdl:input message="tns:CountIn"/><wsdl:output message="tns:CountOut"/></wsdl:operation>
 </wsdl:portType>
 <wsdl:binding name="ShopSoap" type="tns:Shop">
  <soap:binding transport="http://schemas.xmlsoap.org/soap/http" style="document"/>
  <wsdl:operation name="GetItem"><soap:operation soapAction="urn:shop/GetItem"/>
   <wsdl:input>
    <soap:header message="tns:CredentialsHeader" part="Credentials" use="literal"/>
    <soap:body use="literal"/>
   </wsdl:input>
   <wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>
  <wsdl:operation name="Peek"><soap:operation soapAction="urn:shop/Peek"/>
   <wsdl:input><soap:body use="literal"/></wsdl:input>
   <wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>
  <wsdl:operation name="CountItems"><soap:operation soapAction="urn:shop/CountItems"/>
   <wsdl:input><soap:body use="literal"/></wsdl:input>
   <wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>
 </wsdl:binding>
 <wsdl:service name="Shop"><wsdl:port name="ShopSoap" binding="tns:ShopSoap">
  <soap:address location="http://example.invalid/Shop.svc"/></wsdl:port></wsdl:service>
</wsdl:definitions>
"""


def envelope(body: str, headers: str = "", ns: str = ir.SOAP12_ENV) -> str:
    """A sample as the SuperOffice docs write them: SOAP 1.2, headers straight under Envelope,
    xsi:type on elements, indented (the body's element on line 4)."""
    return (
        f'<s:Envelope xmlns:s="{ns}" xmlns:xsi="{ir.XSI}"\n'
        f' xmlns:xsd="{ir.XSD}" xmlns:t="urn:shop">{headers}\n'
        " <s:Body>\n"
        f"  {body}\n"
        " </s:Body>\n"
        "</s:Envelope>"
    )


GET_REQ = envelope(
    "<t:GetItem><t:Id>7</t:Id></t:GetItem>",
    "<t:Credentials><t:Ticket>7T:abc</t:Ticket></t:Credentials>",
)
GET_RES = envelope(
    "<t:GetItemResponse>\n"
    '   <t:GetItemResult xsi:type="t:Item">\n'
    "    <t:Name>Pen</t:Name>\n"
    "    <t:Price>1.50</t:Price>\n"
    "    <t:Count>99999999999</t:Count>\n"  # line 8: no xs:int
    "   </t:GetItemResult>\n"
    "  </t:GetItemResponse>"
)
COUNT_REQ = envelope("<t:CountItems><t:Min>1</t:Min><t:Max>9</t:Max></t:CountItems>")
COUNT_RES = envelope(
    "<t:CountItemsResponse><t:CountItemsResult>5</t:CountItemsResult></t:CountItemsResponse>"
)

Samples = dict[str, tuple[str | None, str | None]]
GOOD: Samples = {"GetItem": (GET_REQ, GET_RES), "CountItems": (COUNT_REQ, COUNT_RES)}


@dataclasses.dataclass
class Out:
    source: str | None
    files: dict[str, bytes]
    diags: list[Diagnostic]

    def codes(self) -> list[tuple[str, str, int]]:
        return [(d.code, d.file, d.line) for d in self.diags]


def run(
    samples: Samples, soap_version: str = "1.1", settings: dict[str, object] | None = None
) -> Out:
    """agent_fixtures of the Shop agent, each operation's samples on its page <Op>.md, the
    request sample from line 10, the response sample from line 30."""
    services, read, _ = read_wsdl(WSDL, "Shop.wsdl")
    assert len(services) == 1 and not read.items
    svc = services[0]
    ops = []
    for op in svc.operations:
        req, res = samples.get(op.name, (None, None))
        page = f"specs/shop/V1/Shop/{op.name}.md"
        ops.append(
            dataclasses.replace(
                op,
                request_sample=ir.Sample(req, ir.Loc(page, 10)) if req else None,
                response_sample=ir.Sample(res, ir.Loc(page, 30)) if res else None,
            )
        )
    svc = dataclasses.replace(svc, operations=tuple(ops), soap_version=soap_version)
    version = ir.Version("V1", (svc,))
    profile = profiles.for_version("shop", version, {"shop": dict(settings or {})})
    version = profiles.apply(version, profile)
    diags = Collector()
    reserved = naming.reserved_classes(version, profile.facade, profile.error_class)
    named = naming.name_version(version, diags, reserved)
    layout = lay_out(named)
    (agent_svc,) = named.services
    namespaces = version_namespaces(named)
    agent = plan_one_agent("shop", named, agent_svc, layout, profile, namespaces, diags)
    assert not diags.items, [d.format() for d in diags.items]
    env = environment(TemplateSet())
    source, files = agent_fixtures(env, named, agent_svc, agent, layout, profile, diags)
    return Out(source, files, list(diags.items))


def cases(source: str | None) -> dict[str, dict[str, str]]:
    """The module's CASES: operation -> its arguments as source ("source", "call", "expected"
    and the keywords)."""
    assert source is not None
    tree = ast.parse(source)
    found: dict[str, dict[str, str]] = {}
    for node in tree.body:
        target = node.target if isinstance(node, ast.AnnAssign) else None
        if isinstance(target, ast.Name) and target.id == "CASES":
            assert isinstance(node, ast.AnnAssign) and isinstance(node.value, ast.List)
            for call in node.value.elts:
                assert isinstance(call, ast.Call)
                name, where, fn, expected = call.args
                found[ast.literal_eval(name)] = {
                    "source": ast.literal_eval(where),
                    "call": ast.unparse(fn),
                    "expected": ast.unparse(expected),
                    **{k.arg or "": ast.unparse(k.value) for k in call.keywords},
                }
    return found


def constants(source: str | None) -> dict[str, str]:
    """The module-level V_* values: name -> expression."""
    assert source is not None
    return {
        node.targets[0].id: ast.unparse(node.value)
        for node in ast.parse(source).body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id.startswith("V_")
    }


def body_of(xml: bytes) -> etree._Element:
    return etree.fromstring(xml)


# --- the files and the module ----------------------------------------------------------------


def test_fixture_files_of_each_operation_with_both_samples() -> None:
    out = run({**GOOD, "Peek": (GET_REQ, None)})
    assert sorted(out.files) == [
        f"fixtures/shop/{op}.{kind}.xml"
        for op in ("CountItems", "GetItem")
        for kind in ("doc-request", "doc-response", "response")
    ]
    # the doc samples are kept byte for byte; Peek, without a response sample, has no case
    assert out.files["fixtures/shop/GetItem.doc-request.xml"] == GET_REQ.encode()
    assert out.files["fixtures/shop/GetItem.doc-response.xml"] == GET_RES.encode()
    assert sorted(cases(out.source)) == ["CountItems", "GetItem"]


def test_no_operation_with_both_samples_gives_no_module() -> None:
    out = run({"GetItem": (GET_REQ, None), "Peek": (None, GET_RES)})
    assert out.source is None and out.files == {} and out.diags == []


def test_the_test_module_compiles_and_shows_the_samples_values() -> None:
    out = run(GOOD)
    assert out.source is not None
    compile(out.source, "tests/test_shop.py", "exec")
    found = cases(out.source)
    get, count = found["GetItem"], found["CountItems"]
    assert get["source"] == "GetItem.md:10"  # the request sample's page and line
    assert get["call"] == "lambda c: c.get_item(id_=7)"  # optional: keyword
    assert count["call"] == "lambda c: c.count_items(1, 9)"  # required: positional, in order
    assert count["expected"] == "5"
    values = constants(out.source)
    assert values[get["expected"]] == "Item(name='Pen', price=decimal.Decimal('1.50'))"
    # the header the request sample carries becomes the client's constructor argument
    (cred,) = [n for n, e in values.items() if e == "Credentials(ticket='7T:abc')"]
    assert f"credentials={cred}," in out.source
    assert 'SOAP_VERSION = "1.1"' in out.source
    tree = ast.parse(out.source)
    imported = {
        (node.module, a.name)
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
        for a in node.names
    }
    assert {("shop", "ShopAgent"), ("types", "Item"), ("types", "Credentials")} <= imported


@pytest.mark.parametrize(("binding", "other"), [("1.1", "1.2"), ("1.2", "1.1")])
def test_the_response_fixture_is_the_sample_on_the_binding(binding: str, other: str) -> None:
    ns = {"1.1": ir.SOAP11_ENV, "1.2": ir.SOAP12_ENV}
    res = envelope(
        "<t:CountItemsResponse>\n   <t:CountItemsResult"
        ' xsi:type="xsd:int">5</t:CountItemsResult>\n  </t:CountItemsResponse>',
        '\n <t:Trace xsi:type="xsd:string">x</t:Trace>',
        ns[other],
    )
    out = run({"CountItems": (COUNT_REQ, res)}, soap_version=binding)
    normalized = out.files["fixtures/shop/CountItems.response.xml"]
    assert (
        normalized
        == (
            f"<?xml version='1.0' encoding='utf-8'?>\n"
            f'<s:Envelope xmlns:s="{ns[binding]}"><s:Header><t:Trace xmlns:t="urn:shop">x</t:Trace>'
            '</s:Header><s:Body><t:CountItemsResponse xmlns:t="urn:shop"><t:CountItemsResult>5'
            "</t:CountItemsResult></t:CountItemsResponse></s:Body></s:Envelope>"
        ).encode()
    )
    assert f'SOAP_VERSION = "{binding}"' in (out.source or "")


# --- deviations ---------------------------------------------------------------------------------


def test_a_response_value_the_type_cannot_hold_is_dropped_and_documented() -> None:
    out = run({"GetItem": (GET_REQ, GET_RES)})
    assert out.codes() == [("SAMPLE010", "specs/shop/V1/Shop/GetItem.md", 30 + 8 - 1)]
    assert cases(out.source)["GetItem"]["response_drop"] == "[(0, 2)]"
    result = body_of(out.files["fixtures/shop/GetItem.response.xml"])
    assert [etree.QName(e).localname for e in result.iter()] == [
        "Envelope",
        "Body",
        "GetItemResponse",
        "GetItemResult",
        "Name",
        "Price",
    ]
    assert "response GetItem/GetItemResult/Count (line 37): invalid xs:int" in (out.source or "")


def test_a_nil_the_wsdl_forbids_is_filled_with_the_plain_default() -> None:
    # plain value types (WCF): a nil'd xs:int reads as 0 and is sent as 0
    req = envelope('<t:GetItem><t:Id xsi:nil="true"/></t:GetItem>')
    res = GET_RES.replace("<t:Count>99999999999</t:Count>", '<t:Count xsi:nil="true"/>')
    out = run({"GetItem": (req, res)}, settings={"plain_values": True})
    case = cases(out.source)["GetItem"]
    assert case["request_fill"] == "[((0,), '0')]"
    assert case["response_fill"] == "[((0, 2), '0')]"
    assert case["call"] == "lambda c: c.get_item(0)"  # a plain int: required, positional
    count = body_of(out.files["fixtures/shop/GetItem.response.xml"]).find(".//{urn:shop}Count")
    assert count is not None and count.text == "0" and not count.attrib
    # without plain values the same nil is left out: the client holds None
    out = run({"GetItem": (req, res)})
    case = cases(out.source)["GetItem"]
    assert case["request_drop"] == "[(0,)]" and case["response_drop"] == "[(0, 2)]"
    assert case["call"] == "lambda c: c.get_item(id_=None)"


def test_normalization_is_the_generated_testing_normalize() -> None:
    """_normalized_response and the generated packages' testing.normalize must agree (the
    fixture files are made by the one, the generated tests compare with the other)."""
    from superoffice.services86 import testing

    req = envelope('<t:GetItem><t:Id xsi:nil="true"/></t:GetItem>')
    res = GET_RES.replace("<t:Name>Pen</t:Name>", '<t:Name xsi:nil="true"/>').replace(
        "<t:Price>1.50</t:Price>", '<t:Price xsi:nil="true"/>'
    )
    out = run({"GetItem": (req, res)}, settings={"plain_values": True})
    case = cases(out.source)["GetItem"]
    drop, fill = (ast.literal_eval(case.get(k, "[]")) for k in ("response_drop", "response_fill"))
    assert drop and fill  # both kinds of deviation are exercised
    for version in ("1.1", "1.2"):
        mine = run({"GetItem": (req, res)}, version, {"plain_values": True})
        assert mine.files["fixtures/shop/GetItem.response.xml"] == testing.normalize(
            res.encode(), version, drop, fill
        )


# --- why an operation has no fixture test ----------------------------------------------------


def only(out: Out, op: str) -> None:
    assert f"fixtures/shop/{op}.response.xml" not in out.files
    assert op not in cases(out.source)


def test_a_sample_body_of_another_operation_is_sample003() -> None:
    out = run({**GOOD, "Peek": (COUNT_REQ, GET_RES)})
    # both samples are still read: the response's own deviation is reported as well
    assert out.codes() == [
        ("SAMPLE010", "specs/shop/V1/Shop/GetItem.md", 37),
        ("SAMPLE003", "specs/shop/V1/Shop/Peek.md", 10),
        ("SAMPLE010", "specs/shop/V1/Shop/Peek.md", 37),
    ]
    assert "Peek request sample body is {urn:shop}CountItems" in out.diags[1].message
    assert out.diags[1].level is Level.ERROR
    only(out, "Peek")


def test_an_element_the_wrapper_lacks_is_sample004_at_its_line() -> None:
    req = envelope(
        "<t:CountItems>\n<t:Min>1</t:Min>\n<t:Mid>5</t:Mid><t:Max>9</t:Max></t:CountItems>"
    )
    out = run({"CountItems": (req, COUNT_RES)})
    assert out.codes() == [("SAMPLE004", "specs/shop/V1/Shop/CountItems.md", 10 + 6 - 1)]
    assert "CountItems/Mid is not a part of {urn:shop}CountItems" in out.diags[0].message
    assert out.source is None


def test_an_unreadable_required_value_is_sample005() -> None:
    req = envelope("<t:CountItems><t:Min>one</t:Min><t:Max>9</t:Max></t:CountItems>")
    out = run({**GOOD, "CountItems": (req, COUNT_RES)})
    (d,) = [d for d in out.diags if d.code != "SAMPLE010"]
    assert (d.code, d.level, d.line) == ("SAMPLE005", Level.WARNING, 10 + 4 - 1)
    assert "no fixture test for CountItems" in d.message
    only(out, "CountItems")


def test_a_missing_required_value_is_sample006() -> None:
    req = envelope("<t:CountItems><t:Max>9</t:Max></t:CountItems>")
    out = run({"CountItems": (req, COUNT_RES)})
    assert out.codes() == [("SAMPLE006", "specs/shop/V1/Shop/CountItems.md", 10)]
    assert "CountItems: the sample lacks required Min" in out.diags[0].message


def test_a_header_the_binding_lacks_is_sample007_and_the_case_stays() -> None:
    req = envelope(
        "<t:CountItems><t:Min>1</t:Min><t:Max>9</t:Max></t:CountItems>",
        "\n<t:Credentials><t:Ticket>x</t:Ticket></t:Credentials>",
    )
    out = run({"CountItems": (req, COUNT_RES)})
    # the header starts the sample's third line
    assert out.codes() == [("SAMPLE007", "specs/shop/V1/Shop/CountItems.md", 10 + 3 - 1)]
    assert "CountItems" in cases(out.source)
    assert "Credentials(" not in (out.source or "")  # not a constructor argument


@pytest.mark.parametrize(
    ("sample", "code", "line"),
    [
        (f'<s:Envelope xmlns:s="{ir.SOAP12_ENV}">\n<s:Body>\n</s:Envelope>', "SAMPLE001", 12),
        (f'<s:Letter xmlns:s="{ir.SOAP12_ENV}"/>', "SAMPLE002", 10),
    ],
)
def test_samples_that_are_no_envelope(sample: str, code: str, line: int) -> None:
    out = run({**GOOD, "CountItems": (sample, COUNT_RES)})
    errors = [d for d in out.diags if d.level is Level.ERROR]
    assert [(d.code, d.file, d.line) for d in errors] == [
        (code, "specs/shop/V1/Shop/CountItems.md", line)
    ]
    only(out, "CountItems")


def test_values_of_a_skipped_operation_are_not_kept() -> None:
    # GetItem's response names its Item value, then fails on an element after it: nothing
    # of GetItem may be left in the module
    bad = envelope(
        "<t:GetItemResponse><t:GetItemResult><t:Name>Pen</t:Name></t:GetItemResult>"
        "<t:Nope/></t:GetItemResponse>"
    )
    out = run({**GOOD, "GetItem": (GET_REQ, bad)})
    only(out, "GetItem")
    assert [d.code for d in out.diags] == ["SAMPLE004"]
    assert constants(out.source) == {}
