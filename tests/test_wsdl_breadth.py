"""Real-world WSDL and XML Schema breadth (issue 13): constructs the SuperOffice WSDLs never use,
each on a small WSDL of its own, generated, imported and called through a replay transport.
Nothing may be sent that the caller did not set, and nothing read that the reply did not carry."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from wsdl_project import build, envelope, simple_wsdl

NS = "urn:t"
T = f"{{{NS}}}"


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
        return root[-1][0]


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
