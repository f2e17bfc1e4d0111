"""WSDL 1.1 and XML Schema beyond WCF, end to end on a small WSDL of our own (tests/data/wsdl/orders):
SOAP 1.2 binding, xs:import of a local .xsd, xs:choice, xs:all, element ref, attributes,
simpleContent, an enumeration value that is a Python keyword, rpc/literal with several parts,
and a wsdl:fault mapped to a typed exception. Checked against a real HTTP server, the WSDL's
own schema (lxml) and zeep.
"""

from __future__ import annotations

import datetime
import decimal
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from lxml import etree

from stub_http import Reply, StubServer
from wsdl_project import build

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "wsdl" / "orders"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
NS = "urn:example:orders"
SOAP12_XML = "application/soap+xml; charset=utf-8"


@pytest.fixture(scope="module")
def orders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    built = build(tmp_path_factory.mktemp("orders"), "orders", folder=DATA)
    with built.imported("orders_port") as module:
        yield module


class Server(StubServer):
    """Answers the POSTs in order with `replies` (status, body), as SOAP 1.2."""

    def __init__(self) -> None:
        self.replies: list[tuple[int, bytes]] = []
        super().__init__(lambda _request: Reply(*self.replies.pop(0), SOAP12_XML))


@pytest.fixture
def server() -> Iterator[Server]:
    with Server() as s:
        yield s


def _env(body: str) -> bytes:
    return f'<e:Envelope xmlns:e="{SOAP12}"><e:Body>{body}</e:Body></e:Envelope>'.encode()


def _order(mod: ModuleType) -> object:
    t = sys.modules["orders.v1.types"]
    return t.Order(
        id=7,
        status=t.Status.CLASS,
        placed=datetime.datetime(2025, 11, 26, 12, 6, 30, tzinfo=datetime.UTC),
        line=[
            t.Line(
                sku="A-1",
                quantity=2,
                price=t.Money(value=decimal.Decimal("9.50"), currency="EUR"),
                id=1,
            )
        ],
        phone="+47 1234",
        note="leave at door",
    )


def _schema() -> etree.XMLSchema:
    wsdl = etree.parse(str(DATA / "orders.wsdl"))
    schema = wsdl.find(".//{http://www.w3.org/2001/XMLSchema}schema")
    assert schema is not None
    return etree.XMLSchema(
        etree.fromstring(etree.tostring(schema), base_url=str(DATA / "orders.wsdl"))
    )


def test_document_literal_soap12_against_server_schema_and_zeep(
    orders: ModuleType, server: Server
) -> None:
    server.replies.append(
        (
            200,
            _env(
                f'<o:PlaceOrderResponse xmlns:o="{NS}"><o:Token>AAEC</o:Token><o:Id>41</o:Id></o:PlaceOrderResponse>'
            ),
        )
    )
    client = orders.OrdersPortAgent(server.url)
    result = client.place_order(_order(orders))
    assert result.id == 41 and result.token == b"\x00\x01\x02"  # xs:all: any order
    _, headers, body = server.requests[0]
    assert (
        headers["Content-Type"]
        == 'application/soap+xml; charset=utf-8; action="urn:example:orders/PlaceOrder"'
    )
    root = etree.fromstring(body)
    assert root.tag == f"{{{SOAP12}}}Envelope"
    request = root.find(f"{{{SOAP12}}}Body")[0]
    _schema().assertValid(request)  # the WSDL's own schema, with the imported common.xsd
    line = request.find(f"{{{NS}}}Order/{{{NS}}}Line")
    assert line.get("id") == "1" and line.find(f"{{{NS}}}Price").get("currency") == "EUR"
    assert request.find(f"{{{NS}}}Order/{{{NS}}}Email") is None  # the other choice branch
    zeep = pytest.importorskip("zeep")
    zclient = zeep.Client(str(DATA / "orders.wsdl"))
    op = zclient.service._binding._operations["PlaceOrder"]
    values = op.input.deserialize(root)
    assert values.Id == 7
    assert (
        values.Status == "class"
        and values.Phone == "+47 1234"
        and values.Line[0].Price._value_1 == decimal.Decimal("9.50")
    )


def test_rpc_literal_with_two_parts(orders: ModuleType, server: Server) -> None:
    server.replies.append(
        (200, _env('<r:AddResponse xmlns:r="urn:example:orders:rpc"><sum>5</sum></r:AddResponse>'))
    )
    assert orders.OrdersPortAgent(server.url).add(2, 3) == 5
    root = etree.fromstring(server.requests[0].body)
    call = root.find(f"{{{SOAP12}}}Body/{{urn:example:orders:rpc}}Add")
    assert [(c.tag, c.text) for c in call] == [("a", "2"), ("b", "3")]


def test_declared_fault_is_a_typed_exception(orders: ModuleType, server: Server) -> None:
    fault = (
        f'<e:Fault><e:Code><e:Value>e:Sender</e:Value></e:Code><e:Reason><e:Text xml:lang="en">rejected</e:Text></e:Reason>'
        f'<e:Detail><o:OrderRejected xmlns:o="{NS}"><o:Reason>out of stock</o:Reason><o:Code>17</o:Code></o:OrderRejected></e:Detail></e:Fault>'
    )
    server.replies.append((500, _env(fault)))
    with pytest.raises(orders.RejectedFault) as info:
        orders.OrdersPortAgent(server.url).place_order(_order(orders))
    assert info.value.value.reason == "out of stock" and info.value.value.code == 17
    assert info.value.reason == "rejected" and info.value.code == f"{{{SOAP12}}}Sender"
    assert isinstance(info.value, sys.modules["orders.v1._runtime"].SoapFault)


@pytest.mark.parametrize(
    ("detail", "problem"),
    [
        (
            "<o:Reason>out of stock</o:Reason><o:Code>x</o:Code>",
            "OrderRejected/Code: invalid xs:int: 'x'",
        ),
        ("<o:Code>17</o:Code>", "OrderRejected: the element Reason is missing"),
        (
            "<o:Reason><o:b/></o:Reason><o:Code>17</o:Code>",
            "OrderRejected/Reason: expected xs:string",
        ),
    ],
)
def test_declared_fault_with_an_unreadable_detail_is_the_fault_as_it_came(
    orders: ModuleType, server: Server, detail: str, problem: str
) -> None:
    """The server's fault is never lost: a SoapFault with code, reason and the raw detail,
    the reading problem attached (detail_error) and named in its message with the operation."""
    fault = (
        f'<e:Fault><e:Code><e:Value>e:Sender</e:Value></e:Code><e:Reason><e:Text xml:lang="en">rejected</e:Text></e:Reason>'
        f'<e:Detail><o:OrderRejected xmlns:o="{NS}">{detail}</o:OrderRejected></e:Detail></e:Fault>'
    )
    server.replies.append((500, _env(fault)))
    rt = sys.modules["orders.v1._runtime"]
    with pytest.raises(rt.SoapFault) as info:
        orders.OrdersPortAgent(server.url).place_order(_order(orders))
    err = info.value
    assert type(err) is rt.SoapFault  # not the declared RejectedFault: its detail is unreadable
    assert (err.code, err.reason, err.status_code) == (f"{{{SOAP12}}}Sender", "rejected", 500)
    assert err.operation == "PlaceOrder"
    assert err.detail is not None and err.detail[0].tag == f"{{{NS}}}OrderRejected"
    assert err.detail_error is not None and err.detail_error.startswith(problem)
    assert str(err).startswith(f"{{{SOAP12}}}Sender: rejected; PlaceOrder: its declared detail")
    assert problem in str(err)
