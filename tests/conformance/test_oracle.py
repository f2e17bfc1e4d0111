"""The conformance oracle itself (cf_checks) on a tiny WSDL: zeep and the schema must catch
differences, not only agree. Needs no corpus; runs with the rest of the tests."""

from __future__ import annotations

import dataclasses
import enum
import importlib.util
import sys
from pathlib import Path
from typing import ClassVar

import pytest
from lxml import etree

pytestmark = pytest.mark.conformance


def _load_checks():  # type: ignore[no-untyped-def]
    if "cf_checks" not in sys.modules:  # --import-mode=importlib: the folder is not on sys.path
        spec = importlib.util.spec_from_file_location(
            "cf_checks", Path(__file__).with_name("cf_checks.py")
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["cf_checks"] = module
        spec.loader.exec_module(module)
    return sys.modules["cf_checks"]


C = _load_checks()
NS = "urn:t"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
WSDL = f"""<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions targetNamespace="{NS}" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"
    xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:tns="{NS}">
  <wsdl:types>
    <xs:schema elementFormDefault="qualified" targetNamespace="{NS}" xmlns:xs="http://www.w3.org/2001/XMLSchema">
      <xs:complexType name="Base"><xs:sequence>
        <xs:element minOccurs="0" name="Id" type="xs:int"/>
      </xs:sequence></xs:complexType>
      <xs:complexType name="Item"><xs:complexContent><xs:extension base="tns:Base"><xs:sequence>
        <xs:element minOccurs="0" name="Name" nillable="true" type="xs:string"/>
        <xs:element minOccurs="0" name="Tags" nillable="true" type="tns:ArrayOfstring"/>
        <xs:element minOccurs="0" name="Kind" type="tns:Kind"/>
        <xs:element minOccurs="0" name="Children" nillable="true" type="tns:ArrayOfItem"/>
      </xs:sequence></xs:extension></xs:complexContent></xs:complexType>
      <xs:complexType name="ArrayOfItem"><xs:sequence>
        <xs:element minOccurs="0" maxOccurs="unbounded" name="Item" nillable="true" type="tns:Item"/>
      </xs:sequence></xs:complexType>
      <xs:complexType name="ArrayOfstring"><xs:sequence>
        <xs:element minOccurs="0" maxOccurs="unbounded" name="string" nillable="true" type="xs:string"/>
      </xs:sequence></xs:complexType>
      <xs:simpleType name="Kind"><xs:restriction base="xs:string">
        <xs:enumeration value="A"/><xs:enumeration value="B"/>
      </xs:restriction></xs:simpleType>
      <xs:element name="Save"><xs:complexType><xs:sequence>
        <xs:element minOccurs="0" name="Item" nillable="true" type="tns:Item"/>
      </xs:sequence></xs:complexType></xs:element>
      <xs:element name="SaveResponse"><xs:complexType><xs:sequence>
        <xs:element minOccurs="0" name="Response" type="xs:int"/>
      </xs:sequence></xs:complexType></xs:element>
    </xs:schema>
  </wsdl:types>
  <wsdl:message name="In"><wsdl:part name="parameters" element="tns:Save"/></wsdl:message>
  <wsdl:message name="Out"><wsdl:part name="parameters" element="tns:SaveResponse"/></wsdl:message>
  <wsdl:portType name="P"><wsdl:operation name="Save"><wsdl:input message="tns:In"/><wsdl:output message="tns:Out"/></wsdl:operation></wsdl:portType>
  <wsdl:binding name="B" type="tns:P"><soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Save"><soap:operation soapAction="urn:t/Save" style="document"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation></wsdl:binding>
  <wsdl:service name="S"><wsdl:port name="P" binding="tns:B"><soap:address location="http://127.0.0.1:9/x"/></wsdl:port></wsdl:service>
</wsdl:definitions>
"""


class Kind(enum.Enum):
    A = "A"
    B = "B"


@dataclasses.dataclass(kw_only=True)
class Base:
    _qname: ClassVar[str] = f"{{{NS}}}Base"
    id: int = 0
    nil_fields: frozenset[str] = dataclasses.field(default=frozenset(), repr=False)


@dataclasses.dataclass(kw_only=True)
class Item(Base):
    _qname: ClassVar[str] = f"{{{NS}}}Item"
    name: str | None = None
    tags: list[str | None] | None = None
    kind: Kind = Kind.A
    children: list[Item | None] | None = None


@pytest.fixture(scope="module")
def wsdl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("oracle") / "t.wsdl"
    path.write_text(WSDL, encoding="utf-8")
    return path


def _envelope(item_xml: str) -> bytes:
    return (
        f'<s:Envelope xmlns:s="{SOAP}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">'
        f'<s:Body><Save xmlns="{NS}">{item_xml}</Save></s:Body></s:Envelope>'
    ).encode()


SAMPLE = (
    '<Item><Id>1</Id><Name></Name><Tags><string>a</string><string i:nil="true"/></Tags><Kind>B</Kind>'
    '<Children><Item><Id>2</Id><Tags/></Item><Item i:nil="true"/></Children></Item>'
)
MATCHING = Item(id=1, name="", tags=["a", None], kind=Kind.B, children=[Item(id=2, tags=[]), None])


def _diffs(wsdl: Path, xml: bytes, value: object) -> list[tuple[str, str]]:
    client = C.zeep_client(str(wsdl))
    _, body = C.envelope_elements(xml)
    decl, zv = C.zeep_parse(client, body)
    cmp = C.compare_wrapper(client.wsdl.types, decl, zv, [value])
    return [(d.path, d.why) for d in cmp.diffs]


def test_zeep_agrees_on_equal_values(wsdl: Path) -> None:
    # empty string, nil list item, empty array, nil complex item, base type fields, recursion
    assert _diffs(wsdl, _envelope(SAMPLE), MATCHING) == []


def test_zeep_catches_differences(wsdl: Path) -> None:
    wrong = dataclasses.replace(
        MATCHING, id=7, name=None, tags=["a"], kind=Kind.A, children=[Item(id=2, tags=None), Item()]
    )
    got = dict(_diffs(wsdl, _envelope(SAMPLE), wrong))
    assert got["Save/Item/Id"] == "integer differs"
    assert got["Save/Item/Name"] == "client None, zeep has a value"
    assert got["Save/Item/Tags"] == "2 items versus 1"
    assert got["Save/Item/Kind"] == "enum wire value differs"
    assert got["Save/Item/Children/Item[0]/Tags"] == "client None, zeep has a value"
    assert got["Save/Item/Children/Item[1]"] == "one side is None"


def test_zeep_catches_wrong_runtime_type_and_fields(wsdl: Path) -> None:
    got = dict(_diffs(wsdl, _envelope(SAMPLE), Base(id=1)))
    assert got == {"Save/Item/@xsi:type": "runtime types differ"}


def test_zeep_round_trip_keeps_nil_items(wsdl: Path) -> None:
    client = C.zeep_client(str(wsdl))
    _, body = C.envelope_elements(_envelope(SAMPLE))
    decl, zv = C.zeep_parse(client, body)
    again = C.envelope_elements(C.zeep_render(decl, zv, "1.1"))[1]
    assert again is not None
    _, zv2 = C.zeep_parse(client, again)
    cmp = C.compare_wrapper(client.wsdl.types, decl, zv2, [MATCHING])
    assert cmp.diffs == []


def test_schema_validation(wsdl: Path, tmp_path: Path) -> None:
    schema = etree.XMLSchema(etree.parse(C.write_schema_set(str(wsdl), str(tmp_path / "xsd"))))
    assert C.validate(schema, _envelope(SAMPLE)) == []
    bad = C.validate(schema, _envelope("<Item><Id>x</Id><Kind>C</Kind></Item>"))
    assert [e.path for e in bad] == ["/Save/Item/Id", "/Save/Item/Kind"]
    wrong_root = C.validate(
        schema, _envelope("").replace(b"<Save", b"<Nope").replace(b"</Save>", b"</Nope>")
    )
    assert "No matching global declaration" in wrong_root[0].message


def test_xml_diffs_locate_the_difference() -> None:
    a = _envelope("<Item><Id>1</Id><Name>x</Name></Item>")
    e = _envelope("<Item><Id>2</Id><Kind>A</Kind></Item>")
    got = C.xml_diffs(a, e)
    assert got[0] == {
        "path": "/Envelope/Body/Save/Item/Id",
        "expected": "'2'",
        "actual": "'1'",
        "what": "text",
    }
    assert {d["what"] for d in got[1:]} == {"missing element", "extra element"}


def test_names_agree() -> None:
    assert C.names_agree("ticket_ids", "TicketIds")
    assert C.names_agree("import_", "Import")
    assert C.names_agree("type2", "Type")
    assert not C.names_agree("name", "Fullname")
