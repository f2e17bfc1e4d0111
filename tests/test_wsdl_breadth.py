"""Real-world WSDL and XML Schema breadth (issue 13): constructs the SuperOffice WSDLs never use,
each on a small WSDL of its own, generated, imported and called through a replay transport.
Nothing may be sent that the caller did not set, and nothing read that the reply did not carry."""

from __future__ import annotations

import decimal
import inspect
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from lxml import etree

from wsdl_project import Built, build, envelope, schema_of, simple_wsdl, zeep_client

NS = "urn:t"
T = f"{{{NS}}}"
B = "{urn:breadth}"
DATA = Path(__file__).parent / "data" / "wsdl" / "breadth"
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class Canned:
    """A transport answering every call with one reply, keeping what was sent."""

    def __init__(self, runtime: object, reply: bytes) -> None:
        self.runtime = runtime
        self.reply = reply
        self.sent: list[bytes] = []
        self.calls: list[object] = []

    def send(self, call: object) -> object:
        self.sent.append(call.envelope)  # type: ignore[attr-defined]
        self.calls.append(call)
        return self.runtime.SoapReply(200, self.reply, "text/xml; charset=utf-8")  # type: ignore[attr-defined]

    def body(self, i: int = -1) -> etree._Element:
        root = etree.fromstring(self.sent[i])
        return root[-1][0] if len(root[-1]) else None  # type: ignore[return-value]


FLAG_ATTRS = """
<xs:complexType name="Item">
  <xs:sequence><xs:element name="Name" type="xs:string"/></xs:sequence>
  <xs:attribute name="Critical" type="xs:boolean" use="required"/>
  <xs:attribute name="Hidden" type="xs:boolean"/>
</xs:complexType>
<xs:element name="Put"><xs:complexType><xs:sequence>
  <xs:element name="Item" type="tns:Item"/>
</xs:sequence></xs:complexType></xs:element>
<xs:element name="PutResponse"><xs:complexType><xs:sequence/></xs:complexType></xs:element>
"""


def test_boolean_attributes_are_written(tmp_path: Path) -> None:
    """A boolean attribute's writer is an f-string Python 3.11 can compile (ONVIF's
    tt:Critical made the whole package a SyntaxError)."""
    built = build(
        tmp_path, "flags", {"flags.wsdl": simple_wsdl(FLAG_ATTRS, [("Put", "Put", "PutResponse")])}
    )
    with built.imported("svc") as svc:
        rt = __import__("sys").modules["flags.v1._runtime"]
        t = Canned(rt, envelope(f'<PutResponse xmlns="{NS}"/>'))
        svc.SvcAgent("http://h", transport=t).put(svc.Item(name="a", critical=True))
        item = t.body().find(T + "Item")
        assert item.get("Critical") == "true" and item.get("Hidden") is None
        svc.SvcAgent("http://h", transport=t).put(svc.Item(name="a", critical=False, hidden=True))
        item = t.body().find(T + "Item")
        assert (item.get("Critical"), item.get("Hidden")) == ("false", "true")


# --- the breadth WSDLs: one generated package, checked by mypy, lxml and zeep -----------------


@pytest.fixture(scope="module")
def breadth(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Built, ModuleType]]:
    built = build(tmp_path_factory.mktemp("breadth"), "breadth", folder=DATA)
    assert built.errors == [], built.errors
    with built.imported() as pkg:
        yield built, pkg


class Call:
    """One call through a canned reply: the request body sent, and what the call returned."""

    def __init__(self, built: Built, agent: Any, method: str, reply: bytes, *a: Any, **k: Any):
        rt = sys.modules["breadth.v1._runtime"]
        self.transport = Canned(rt, reply)
        client = agent("http://h", transport=self.transport)
        self.result = getattr(client, method)(*a, **k)
        self.body = self.transport.body()


def _reply(body: str) -> bytes:
    return envelope(body.replace("<R ", '<R xmlns="urn:breadth" ').replace("R>", "R>"))


@pytest.fixture(scope="module")
def schema(breadth: tuple[Built, ModuleType], tmp_path_factory: pytest.TempPathFactory) -> Any:
    return schema_of(DATA / "breadth.wsdl", tmp_path_factory.mktemp("xsd"))


@pytest.fixture(scope="module")
def zeep(breadth: tuple[Built, ModuleType]) -> Any:
    pytest.importorskip("zeep")
    return zeep_client(DATA / "breadth.wsdl")


def _zeep_read(zclient: Any, body: etree._Element) -> Any:
    return zclient.wsdl.types.get_element(body.tag).parse(body, zclient.wsdl.types)


def test_the_package_passes_mypy_strict(breadth: tuple[Built, ModuleType]) -> None:
    result = breadth[0].mypy()
    assert result.returncode == 0, result.stdout + result.stderr


def test_optional_values_are_never_invented(
    breadth: tuple[Built, ModuleType], schema: Any, zeep: Any
) -> None:
    """ONVIF: a caller setting only DHCP must not send Enabled=false, MTU=0 (disabling the
    interface); an optional enumeration or boolean the reply leaves out reads as None."""
    built, pkg = breadth
    mod = sys.modules["breadth.v1.breadth"]
    types = sys.modules["breadth.v1.types"]
    config = types.InterfaceConfig(dhcp=True)
    assert (config.enabled, config.mtu) == (None, None)
    call = Call(
        built,
        mod.BreadthAgent,
        "set_interface",
        envelope(
            '<SetInterfaceResponse xmlns="urn:breadth"><Name>eth0</Name></SetInterfaceResponse>'
        ),
        "tok",
        config,
    )
    sent = call.body.find(B + "Config")
    assert [(c.tag, c.text) for c in sent] == [(B + "DHCP", "true")]
    schema.assertValid(call.body)
    value = _zeep_read(zeep, call.body)
    assert (value.Config.Enabled, value.Config.MTU, value.Config.DHCP) == (None, None, True)
    assert (call.result.name, call.result.name_match, call.result.reboot_needed) == (
        "eth0",
        None,
        None,
    )
    call = Call(
        built,
        mod.BreadthAgent,
        "set_interface",
        envelope(
            '<SetInterfaceResponse xmlns="urn:breadth"><Name>eth0</Name><NameMatch>2</NameMatch>'
            "<RebootNeeded>false</RebootNeeded></SetInterfaceResponse>"
        ),
        "tok",
        types.InterfaceConfig(enabled=False, mtu=0),
    )
    assert [c.text for c in call.body.find(B + "Config")] == ["false", "0"]
    assert call.result.name_match is types.MatchCode.V2 and call.result.reboot_needed is False


def test_optional_parameters_are_keyword_only(
    breadth: tuple[Built, ModuleType], schema: Any, zeep: Any
) -> None:
    """An operation with optional parameters takes them as keywords defaulting to None, sends
    only those given, in the wire order (one of them before the required Query)."""
    built, _ = breadth
    mod = sys.modules["breadth.v1.breadth"]
    params = inspect.signature(mod.BreadthAgent.find_customers).parameters
    assert [(n, p.kind.name) for n, p in params.items()][1:] == [
        ("query", "POSITIONAL_OR_KEYWORD"),
        ("region", "KEYWORD_ONLY"),
        ("country", "KEYWORD_ONLY"),
        ("paging", "KEYWORD_ONLY"),
        ("include_inactive", "KEYWORD_ONLY"),
        ("tag", "KEYWORD_ONLY"),
    ]
    reply = envelope(
        '<FindCustomersResponse xmlns="urn:breadth"><Name>a</Name></FindCustomersResponse>'
    )
    call = Call(built, mod.BreadthAgent, "find_customers", reply, "smith")
    assert [c.tag for c in call.body] == [B + "Query"] and call.result == ["a"]
    call = Call(
        built, mod.BreadthAgent, "find_customers", reply, "smith", region=7, include_inactive=False
    )
    assert [(c.tag, c.text) for c in call.body] == [
        (B + "Region", "7"),
        (B + "Query", "smith"),
        (B + "IncludeInactive", "false"),
    ]
    schema.assertValid(call.body)
    assert _zeep_read(zeep, call.body).Region == 7
    call = Call(built, mod.BreadthAgent, "find_customers", reply, "smith", tag=["a", "b"])
    assert [(c.tag, c.text) for c in call.body] == [
        (B + "Query", "smith"),
        (B + "Tag", "a"),
        (B + "Tag", "b"),
    ]
    schema.assertValid(call.body)
    assert _zeep_read(zeep, call.body).Tag == ["a", "b"]
    with pytest.raises(TypeError, match=r"tag\[1\] must be xs:string, not int"):
        Call(built, mod.BreadthAgent, "find_customers", reply, "smith", tag=["a", 1])
    with pytest.raises(TypeError, match="region must be"):
        Call(built, mod.BreadthAgent, "find_customers", reply, "smith", region="7")
    with pytest.raises(TypeError):
        Call(built, mod.BreadthAgent, "find_customers", reply, "smith", 7)


def test_groups_and_attribute_groups_are_members(
    breadth: tuple[Built, ModuleType], schema: Any, zeep: Any
) -> None:
    """xs:group and xs:attributeGroup (and references within them) are fields in place: a
    required group member and a required attribute can be sent."""
    built, _ = breadth
    mod = sys.modules["breadth.v1.breadth"]
    params = inspect.signature(mod.BreadthAgent.add_customer).parameters
    assert list(params)[1:] == ["name", "street", "city", "version", "phone", "email", "trace"]
    reply = envelope('<AddCustomerResponse xmlns="urn:breadth"><Id>9</Id></AddCustomerResponse>')
    call = Call(
        built, mod.BreadthAgent, "add_customer", reply, "Ann", "Main St", "Oslo", 2, email="a@b"
    )
    assert call.body.get("version") == "2" and call.body.get("trace") is None
    assert [c.tag[len(B) :] for c in call.body] == ["Name", "Street", "City", "Email"]
    schema.assertValid(call.body)
    value = _zeep_read(zeep, call.body)
    assert (value.City, value.version, value.Email) == ("Oslo", 2, "a@b")


def test_attributes_of_the_request_and_response_wrappers(
    breadth: tuple[Built, ModuleType], schema: Any, zeep: Any
) -> None:
    """A request wrapper's attributes go on its start tag (they were written as element text);
    a response wrapper's are read (absent: None)."""
    built, _ = breadth
    mod = sys.modules["breadth.v1.breadth"]
    reply = envelope(
        '<NotifyResponse xmlns="urn:breadth" TraceId="t-42"><Code>ok</Code></NotifyResponse>'
    )
    call = Call(built, mod.BreadthAgent, "notify", reply, "hi", True, action="issuance")
    assert (call.body.get("action"), call.body.get("Critical")) == ("issuance", "true")
    # attributes of an inline simple type: a restriction of xs:int is an int, an enumeration one
    channel = sys.modules["breadth.v1.breadth"].NotifyChannel.SMS
    call = Call(
        built,
        mod.BreadthAgent,
        "notify",
        reply,
        "hi",
        True,
        action="issuance",
        priority=3,
        channel=channel,
    )
    assert (call.body.get("Priority"), call.body.get("Channel")) == ("3", "sms")
    with pytest.raises(TypeError, match="priority must be xs:int"):
        Call(built, mod.BreadthAgent, "notify", reply, "hi", True, priority="3")
    assert call.body.text is None and [c.text for c in call.body] == ["hi"]
    schema.assertValid(call.body)
    assert _zeep_read(zeep, call.body).action == "issuance"
    assert (call.result.code, call.result.trace_id, call.result.response_time) == (
        "ok",
        "t-42",
        None,
    )


def test_simple_content_restriction_and_extension(
    breadth: tuple[Built, ModuleType], schema: Any, zeep: Any
) -> None:
    """A simpleContent restriction of a complex type with simple content holds the base's
    text type and attributes (restated ones replaced, prohibited ones gone); an extension
    derives from it."""
    built, _ = breadth
    mod = sys.modules["breadth.v1.breadth"]
    types = sys.modules["breadth.v1.types"]
    size = types.UploadSize(value=decimal.Decimal("12.5"), unit_code="KB")
    assert not hasattr(size, "precision")
    weight = types.WeightType(value=decimal.Decimal("2"), unit_code="kg", gross=True)
    assert isinstance(weight, types.MeasureType)
    reply = envelope(
        '<UploadResponse xmlns="urn:breadth"><Size unitCode="KB">12.5</Size>'
        '<Weight gross="false" precision="1">2.0</Weight></UploadResponse>'
    )
    call = Call(built, mod.BreadthAgent, "upload", reply, "a.pdf", size, weight=weight)
    sent = call.body.find(B + "Size")
    assert (sent.text, dict(sent.attrib)) == ("12.5", {"unitCode": "KB"})
    sent = call.body.find(B + "Weight")
    assert (sent.text, dict(sent.attrib)) == ("2", {"unitCode": "kg", "gross": "true"})
    schema.assertValid(call.body)
    assert _zeep_read(zeep, call.body).Size._value_1 == decimal.Decimal("12.5")
    assert call.result.size == types.MeasureType(value=decimal.Decimal("12.5"), unit_code="KB")
    assert call.result.weight == types.WeightType(
        value=decimal.Decimal("2.0"), precision=1, gross=False
    )


def test_the_xml_prefix_is_the_xml_namespace(
    breadth: tuple[Built, ModuleType], schema: Any, zeep: Any
) -> None:
    """xml:lang is written as xml:lang (never a declared stray prefix) and read back."""
    built, _ = breadth
    mod = sys.modules["breadth.v1.breadth"]
    types = sys.modules["breadth.v1.types"]
    reply = envelope(
        '<DescribeResponse xmlns="urn:breadth"><Text xml:lang="de">Hallo</Text><Text>Hi</Text>'
        "</DescribeResponse>"
    )
    call = Call(
        built, mod.BreadthAgent, "describe", reply, types.LocalText(value="Hallo", lang="de")
    )
    sent = call.transport.sent[-1].decode()
    assert 'xml:lang="de"' in sent and "unbound-prefix" not in sent and "xmlns:xml" not in sent
    assert call.body.find(B + "Text").get(XML_LANG) == "de"
    schema.assertValid(call.body)
    assert [(t.value, t.lang) for t in call.result] == [("Hallo", "de"), ("Hi", None)]


def test_names_with_acronyms_read_as_words(breadth: tuple[Built, ModuleType]) -> None:
    mod = sys.modules["breadth.v1.breadth"]
    types = sys.modules["breadth.v1.types"]
    assert list(inspect.signature(mod.BreadthAgent.ndfd_gen).parameters) == [
        "self",
        "get_ids",
        "host",
        "point",
    ]
    assert [f for f in types.NetworkHost.__dataclass_fields__ if f != "nil_fields"] == [
        "ipv4_address",
        "dns_name",
    ]


def test_soap_encoded_arrays_are_lists_both_ways(breadth: tuple[Built, ModuleType]) -> None:
    """Axis rpc/encoded: soapenc:Array restrictions are list[T] when sent (items named item,
    each with its xsi:type, as zeep writes them) and when read (items of any name)."""
    built, _ = breadth
    mod = sys.modules["breadth.v1.names"]
    reply = envelope(
        '<ns1:getNamesResponse xmlns:ns1="urn:encarray"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        ' xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/">'
        '<getNamesReturn soapenc:arrayType="xsd:string[2]" xsi:type="soapenc:Array">'
        '<getNamesReturn xsi:type="xsd:string">ann</getNamesReturn><x>bob</x>'
        "</getNamesReturn></ns1:getNamesResponse>"
    )
    call = Call(built, mod.NamesAgent, "get_names", reply, [1, 2])
    assert call.result == ["ann", "bob"]
    ids = call.body.find("ids")
    assert [
        (c.tag, c.text, c.get("{http://www.w3.org/2001/XMLSchema-instance}type")) for c in ids
    ] == [
        ("item", "1", ids[0].get("{http://www.w3.org/2001/XMLSchema-instance}type")),
        ("item", "2", ids[0].get("{http://www.w3.org/2001/XMLSchema-instance}type")),
    ]
    prefix = ids[0].get("{http://www.w3.org/2001/XMLSchema-instance}type").partition(":")[0]
    assert ids[0].nsmap[prefix] == "http://www.w3.org/2001/XMLSchema"
    pytest.importorskip("zeep")
    zclient = zeep_client(DATA / "encoded.wsdl")
    zop = zclient.service._binding._operations["getNames"]
    assert list(zop.input.deserialize(etree.fromstring(call.transport.sent[-1]))) == [1, 2]
    people = envelope(
        '<ns1:getPeopleResponse xmlns:ns1="urn:encarray"><getPeopleReturn><item><name>a</name>'
        "<age>3</age></item></getPeopleReturn></ns1:getPeopleResponse>"
    )
    call = Call(built, mod.NamesAgent, "get_people", people, ["a"])
    types = sys.modules["breadth.v1.types"]
    assert call.result == [types.Person(name="a", age=3)]
    multiref = people.replace(b"<item><name>a</name><age>3</age></item>", b'<item href="#id0"/>')
    assert multiref != people
    rt = sys.modules["breadth.v1._runtime"]
    with pytest.raises(rt.MalformedResponseError, match="multi-reference"):
        Call(built, mod.NamesAgent, "get_people", multiref, ["a"])


def test_a_repeated_parameter_is_a_list(breadth: tuple[Built, ModuleType], schema: Any) -> None:
    """A wrapper's repeated child is a list[T] parameter, checked as one (every call with such
    a parameter was a TypeError: the check compared the list with the item type)."""
    built, _ = breadth
    mod = sys.modules["breadth.v1.breadth"]
    types = sys.modules["breadth.v1.types"]
    reply = envelope('<NDFDgenResponse xmlns="urn:breadth"><dwmlOut>x</dwmlOut></NDFDgenResponse>')
    call = Call(built, mod.BreadthAgent, "ndfd_gen", reply, True, types.NetworkHost(), [1, 2])
    assert [c.text for c in call.body.findall(B + "Point")] == ["1", "2"] and call.result == "x"
    schema.assertValid(call.body)
    with pytest.raises(TypeError, match=r"point must be list\[xs:int\]"):
        Call(built, mod.BreadthAgent, "ndfd_gen", reply, True, types.NetworkHost(), 1)


def test_a_body_element_of_a_simple_type_is_the_value(
    breadth: tuple[Built, ModuleType], schema: Any, zeep: Any
) -> None:
    """A document/literal part whose element has a simple type (White Mesa's echoSenderFault):
    the parameter is the element's value, and so is the result (nil: None). It was GEN005."""
    built, _ = breadth
    mod = sys.modules["breadth.v1.breadth"]
    reply = envelope('<EchoNumber xmlns="urn:breadth">5</EchoNumber>')
    call = Call(built, mod.BreadthAgent, "echo", reply, "hi & bye")
    assert (call.body.tag, call.body.text, call.result) == (B + "EchoText", "hi & bye", 5)
    schema.assertValid(call.body)
    assert _zeep_read(zeep, call.body) == "hi & bye"
    nil = envelope(
        '<EchoNumber xmlns="urn:breadth" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"'
        ' i:nil="true"/>'
    )
    assert Call(built, mod.BreadthAgent, "echo", nil, "x").result is None


def test_messages_without_parts_are_an_empty_body(breadth: tuple[Built, ModuleType]) -> None:
    """A document-style operation whose messages have no part (White Mesa): it sends an empty
    Body and returns None for one (or for an empty answer). It was GEN004."""
    built, _ = breadth
    mod = sys.modules["breadth.v1.breadth"]
    call = Call(built, mod.BreadthAgent, "reset", envelope(""))
    root = etree.fromstring(call.transport.sent[-1])
    assert len(root[-1]) == 0 and call.result is None
    assert list(inspect.signature(mod.BreadthAgent.reset).parameters) == ["self"]
