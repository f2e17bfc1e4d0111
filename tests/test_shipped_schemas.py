"""The XML Schema a generated package ships per agent (schemas/<agent>/): the WSDL's own
documents, imports resolved to the files shipped beside them, compiled without network; what
the mock server checks requests against."""

from __future__ import annotations

import decimal
import importlib
from pathlib import Path

import httpx
import pytest
from lxml import etree

from wsdl_project import build, simple_wsdl

ROOT = Path(__file__).resolve().parents[1]
GENERATED = ROOT / "generated"
XS = "{http://www.w3.org/2001/XMLSchema}"


def _agents() -> list[tuple[str, str]]:
    found = []
    for testing in sorted(GENERATED.glob("*/*/testing.py")):
        package = ".".join(testing.parent.relative_to(GENERATED).parts)
        for folder in sorted((testing.parent / "schemas").iterdir()):
            found.append((package, folder.name))
    return found


@pytest.mark.parametrize(("package", "agent"), _agents())
def test_every_shipped_schema_compiles_on_its_own(package: str, agent: str) -> None:
    testing = importlib.import_module(f"{package}.testing")
    service = testing._MockService.of(
        importlib.import_module(f"{package}.{agent}"), testing.FIXTURES, testing.SCHEMAS
    )
    assert service.schema() is not None


def test_superoffice_ships_the_wsdl_s_own_schemas() -> None:
    """Not a schema rewritten from the IR: the documents of the WSDL page, annotations and all."""
    page = ROOT / "specs" / "superoffice" / "Services88" / "Services88-Ticket.md"
    text = page.read_text(encoding="utf-8")
    wsdl = etree.fromstring(text[text.index("<wsdl:definitions") : text.rindex(">") + 1].encode())
    own = [s.get("targetNamespace") for s in wsdl.iter(XS + "schema")]
    folder = GENERATED / "superoffice" / "services88" / "schemas" / "ticket"
    shipped = [
        etree.parse(str(folder / f"s{i}.xsd")).getroot().get("targetNamespace")
        for i in range(len(own))
    ]
    assert shipped == own
    first = etree.parse(str(folder / "s0.xsd")).getroot()
    assert len(first) == len(next(wsdl.iter(XS + "schema")))


COMMON = """<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:common"
  elementFormDefault="qualified">
  <xs:complexType name="Money"><xs:sequence>
    <xs:element name="Amount" type="xs:decimal"/>
  </xs:sequence></xs:complexType>
</xs:schema>
"""
PAY = """
<xs:import namespace="urn:common" schemaLocation="../common/Common.xsd"/>
<xs:import namespace="http://www.w3.org/XML/1998/namespace"/>
<xs:element name="Pay"><xs:complexType><xs:sequence>
  <xs:element name="Total" type="c:Money"/>
</xs:sequence><xs:attribute ref="xml:lang"/></xs:complexType></xs:element>
<xs:element name="PayResponse"><xs:complexType><xs:sequence/></xs:complexType></xs:element>
"""


def test_imports_across_folders_and_known_schemas_are_shipped_and_checked(
    tmp_path: Path,
) -> None:
    built = build(
        tmp_path,
        "pay",
        {
            "pay/Pay.wsdl": simple_wsdl(
                PAY, [("Pay", "Pay", "PayResponse")], extra_ns='xmlns:c="urn:common"'
            ),
            "common/Common.xsd": COMMON,
        },
    )
    assert built.errors == []
    shipped = sorted(p.name for p in (built.out / "pay" / "v1" / "schemas" / "svc").iterdir())
    assert shipped == ["all.xsd", "s0.xsd", "s1.xsd", "s2.xsd"]  # the WSDL's, Common, xml.xsd
    with built.imported() as pkg:
        testing = importlib.import_module("pay.v1.testing")
        svc = importlib.import_module("pay.v1.svc")
        with testing.serve() as server:
            server.on("Pay", None)
            client = svc.SvcAgent(server.url.rstrip("/") + "/svc")
            client.pay(svc.Money(amount=decimal.Decimal("9.50")))
            (call,) = server.calls
            assert call.errors == [] and call.arguments["total"].amount == decimal.Decimal("9.50")
            bad = (
                '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
                '<t:Pay xmlns:t="urn:t"><t:Total><Amount xmlns="urn:common">nine</Amount>'
                "</t:Total></t:Pay></s:Body></s:Envelope>"
            )
            answer = httpx.post(
                server.url_of("svc"),
                content=bad.encode(),
                headers={"Content-Type": "text/xml", "SOAPAction": '"urn:t/Pay"'},
            )
            assert answer.status_code == 500 and "Amount" in answer.text
            assert "decimal" in server.calls[-1].errors[0]
        assert pkg is not None
