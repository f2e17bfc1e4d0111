"""Docs without a WSDL: types inferred from the samples' xsi:type (generator/merge/infer.py, unit tests on
hand-written samples below), then the full round trip."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from soapgen.config.project import Config
from soapgen.core import ir
from soapgen.core.diagnostics import Collector
from soapgen.merge.infer import infer_service
from soapgen.pipeline.run import generate, read_ir
from soapgen.read.sources.superoffice import Fence, OperationPage

ROOT = Path(__file__).resolve().parents[1]


def _pages_only(tmp_path: Path) -> Path:
    specs = tmp_path / "specs" / "superoffice" / "Services86"
    shutil.copytree(ROOT / "specs" / "superoffice" / "Services86" / "Report", specs / "Report")
    return tmp_path / "specs"


def test_inferred_service_is_marked_and_typed(tmp_path: Path) -> None:
    specs = _pages_only(tmp_path)
    diags = Collector()
    versions, _, _ = read_ir([str(specs)], str(specs), diags)
    assert not diags.has_errors
    assert "INFER001" in {d.code for d in diags.items}
    ((_, version),) = versions
    (svc,) = version.services
    assert svc.inferred and svc.name == "Report" and len(svc.operations) == 13
    types = {ir.local_name(t.name): t for t in svc.types}
    entity = types["ReportEntity"]
    assert isinstance(entity, ir.ComplexType) and entity.inferred
    assert {f.name: ir.local_name(f.type) for f in entity.fields}["ReportId"] == "int"
    assert isinstance(types["ReportLayout"], ir.EnumType)


def test_inferred_client_passes_its_fixture_tests(tmp_path: Path) -> None:
    specs = _pages_only(tmp_path)
    cfg = Config(
        root=str(tmp_path),
        specs=str(specs),
        output=str(tmp_path / "out"),
    )
    result = generate(cfg)
    assert not result.diags.has_errors
    for rel, data in result.files.items():
        path = tmp_path / "out" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    env = dict(os.environ, PYTHONPATH=str(tmp_path / "out"))
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--import-mode=importlib",
            "-c",
            os.devnull,
            "--rootdir",
            str(tmp_path / "out"),
            str(tmp_path / "out"),
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert (
        " failed" not in proc.stdout and int(proc.stdout.split(" passed")[0].split()[-1]) >= 26
    )  # two per operation


# --- infer_service on hand-written samples ---------------------------------------------------

NS = "urn:shop"


def envelope(body: str, headers: str = "", ns: str = ir.SOAP12_ENV) -> str:
    return (
        f'<s:Envelope xmlns:s="{ns}" xmlns:xsi="{ir.XSI}" xmlns:xsd="{ir.XSD}"'
        f' xmlns:ser="{ir.WCF_SER}" xmlns:arr="{ir.WCF_ARRAYS}" xmlns:t="{NS}">'
        f"{headers}<s:Body>{body}</s:Body></s:Envelope>"
    )


def page(op: str, req: str | None, res: str | None, endpoint: str = "") -> OperationPage:
    return OperationPage(
        path=f"specs/shop/V1/Shop/{op}.md",
        flavour="docfx",
        title=f"V1 Shop {op}",
        uid=f"V1-Shop-{op}",
        version="V1",
        agent="Shop",
        operation=op,
        endpoint=endpoint,
        description=f"About {op}.",
        param_docs=(),
        returns_doc="",
        wsdl_link="",
        request=Fence(req, 20) if req is not None else None,
        response=Fence(res, 40) if res is not None else None,
        line=5,
    )


def infer(*pages: OperationPage) -> tuple[ir.Service, dict[str, ir.TypeDef], Collector]:
    diags = Collector()
    svc = infer_service("Shop", list(pages), diags)
    assert svc is not None
    return svc, {ir.local_name(t.name): t for t in svc.types}, diags


def fields(t: ir.TypeDef) -> dict[str, tuple[str, bool]]:
    """name -> (local name of its type, nillable)."""
    assert isinstance(t, ir.ComplexType)
    return {f.name: (ir.local_name(f.type), f.nillable) for f in t.fields}


ITEM = (
    '<t:GetItemResponse><t:Response xsi:type="t:Item">'
    '<t:Id xsi:type="xsd:int">1</t:Id>'
    '<t:Key xsi:type="ser:guid">00000000-0000-0000-0000-000000000000</t:Key>'
    "<t:Label>no type</t:Label>"
    '<t:Color xsi:type="t:Color">Red</t:Color>'
    '<t:Rights xsi:type="t:Rights">Read Write</t:Rights>'
    '<t:Tags xsi:type="arr:ArrayOfstring"><arr:string xsi:type="xsd:string">a</arr:string></t:Tags>'
    '<t:Parts xsi:type="t:ArrayOfPart"><t:Part xsi:type="t:Part">'
    '<t:No xsi:type="xsd:int">1</t:No></t:Part></t:Parts>'
    '<t:Extra xsi:type="t:StringDictionary"><t:KeyValuePair>'
    '<t:Key xsi:type="xsd:string">k</t:Key><t:Value xsi:type="xsd:int">1</t:Value>'
    "</t:KeyValuePair></t:Extra>"
    "</t:Response></t:GetItemResponse>"
)


def test_types_of_each_kind_from_xsi_type() -> None:
    req = envelope('<t:GetItem><t:Id xsi:type="xsd:int">1</t:Id></t:GetItem>')
    _, types, _ = infer(page("GetItem", req, envelope(ITEM)))
    item = types["Item"]
    assert isinstance(item, ir.ComplexType) and item.inferred and not item.anonymous
    # builtin value types and enumerations are not nillable; strings and containers are
    assert fields(item) == {
        "Id": ("int", False),
        "Key": ("guid", True),  # ser:guid: a builtin of its own namespace
        "Label": ("string", True),  # no xsi:type, no children: a string
        "Color": ("Color", False),
        "Rights": ("Rights", False),
        "Tags": ("ArrayOfstring", True),
        "Parts": ("ArrayOfPart", True),
        "Extra": ("StringDictionary", True),
    }
    assert all(f.min_occurs == 0 and f.max_occurs == 1 for f in item.fields)
    color, rights = types["Color"], types["Rights"]
    assert isinstance(color, ir.EnumType) and not color.flags
    assert [(v.wire, v.number) for v in color.values] == [("Red", 0)]
    assert isinstance(rights, ir.EnumType) and rights.flags  # a space-separated value
    assert [(v.wire, v.number) for v in rights.values] == [("Read", 1), ("Write", 2)]
    tags, parts = types["ArrayOfstring"], types["ArrayOfPart"]
    assert isinstance(tags, ir.ArrayType) and tags.name == ir.qname(ir.WCF_ARRAYS, "ArrayOfstring")
    assert (tags.item.qname, tags.item.type, tags.item.nillable, tags.item.repeated) == (
        ir.qname(ir.WCF_ARRAYS, "string"),
        ir.qname(ir.XSD, "string"),
        False,
        True,
    )
    assert isinstance(parts, ir.ArrayType) and parts.item.nillable  # an item of a record type
    assert fields(types["Part"]) == {"No": ("int", False)}
    extra = types["StringDictionary"]
    assert isinstance(extra, ir.DictType) and extra.pair == ir.qname(NS, "KeyValuePair")
    assert (ir.local_name(extra.key.type), ir.local_name(extra.value.type)) == ("string", "int")


def test_operations_wrappers_and_headers() -> None:
    req = envelope(
        '<t:GetItem><t:Id xsi:type="xsd:int">1</t:Id></t:GetItem>',
        "<t:Credentials><t:Ticket>x</t:Ticket></t:Credentials><t:Token>tok</t:Token>",
    )
    svc, types, diags = infer(page("GetItem", req, envelope(ITEM), endpoint="V1/Shop.svc"))
    (op,) = svc.operations
    assert (svc.namespace, svc.endpoint, svc.soap_version, svc.inferred) == (
        NS,
        "V1/Shop.svc",
        "1.2",
        True,
    )
    assert op.soap_action == f"{NS}/Shop/GetItem"  # the <namespace>/<Agent>/<Operation> rule
    assert (op.input_element, op.output_element) == (
        ir.qname(NS, "GetItem"),
        ir.qname(NS, "GetItemResponse"),
    )
    assert op.request_sample == ir.Sample(req, ir.Loc("specs/shop/V1/Shop/GetItem.md", 20))
    assert op.description == "About GetItem."
    wrapper = types["GetItem"]
    assert isinstance(wrapper, ir.ComplexType) and wrapper.anonymous
    assert fields(wrapper) == {"Id": ("int", False)}
    # a header with children gets a type So<Name>; a leaf header is a string
    assert [(h.part, h.element) for h in op.input_headers] == [
        ("Credentials", ir.qname(NS, "Credentials")),
        ("Token", ir.qname(NS, "Token")),
    ]
    elements = {ir.local_name(e.name): e for e in svc.elements}
    assert elements["Credentials"].type == ir.qname(NS, "SoCredentials")
    assert elements["Token"].type == ir.qname(ir.XSD, "string")
    assert fields(types["SoCredentials"]) == {"Ticket": ("string", True)}
    (d,) = diags.items
    assert (d.code, d.file, d.line) == ("INFER001", "specs/shop/V1/Shop/GetItem.md", 1)
    assert "SOAP 1.2 as the samples show" in d.message


def test_soap_11_samples_give_a_soap_11_binding() -> None:
    req = envelope("<t:Ping/>", ns=ir.SOAP11_ENV)
    res = envelope("<t:PingResponse/>", ns=ir.SOAP11_ENV)
    svc, _, diags = infer(page("Ping", req, res))
    assert svc.soap_version == "1.1" and "SOAP 1.1" in diags.items[0].message


def test_what_several_samples_show_of_one_type_is_merged() -> None:
    # ATouch sees Item.Owner only as xsi:nil (no type), BTouch sees it typed; Item's fields
    # are the union in the order first seen; Color's values are those seen, in that order
    a = envelope(
        '<t:AResponse><t:Response xsi:type="t:Item"><t:Color xsi:type="t:Color">Green</t:Color>'
        '<t:Owner xsi:nil="true"/><t:Gone xsi:nil="true"/></t:Response></t:AResponse>'
    )
    b = envelope(
        '<t:BResponse><t:Response xsi:type="t:Item">'
        '<t:Owner xsi:type="t:Person"><t:Name>n</t:Name></t:Owner>'
        '<t:Color xsi:type="t:Color">Red</t:Color>'
        '<t:Weight xsi:type="xsd:double">1</t:Weight></t:Response></t:BResponse>'
    )
    pages = [
        page("BTouch", envelope("<t:B/>"), b),
        page("ATouch", envelope("<t:A/>"), a),
    ]
    svc, types, _ = infer(*pages)
    assert fields(types["Item"]) == {
        "Color": ("Color", False),
        "Owner": ("Person", True),  # the type another sample shows
        "Gone": ("string", True),  # only ever nil: a nillable string
        "Weight": ("double", False),
    }
    color = types["Color"]
    assert isinstance(color, ir.EnumType)
    assert [v.wire for v in color.values] == ["Green", "Red"]  # pages are read by operation
    assert [op.name for op in svc.operations] == ["ATouch", "BTouch"]
    # the order the pages are given in does not matter
    again, _, _ = infer(*reversed(pages))
    assert again == svc


def test_pages_without_both_usable_samples_are_skipped() -> None:
    good = page("GetItem", envelope("<t:GetItem/>"), envelope("<t:GetItemResponse/>"))
    half = page("Half", envelope("<t:Half/>"), None)
    broken = page("Broken", envelope("<t:Broken/>"), "<not xml")
    empty = page("Empty", envelope(""), envelope("<t:EmptyResponse/>"))  # no body element
    svc, _, diags = infer(good, half, broken, empty)
    assert [op.name for op in svc.operations] == ["GetItem"]
    broken_md = "specs/shop/V1/Shop/Broken.md"
    assert [(d.code, d.file, d.line) for d in diags.items] == [
        ("INFER001", broken_md, 1),  # on the first page by path
        ("SAMPLE001", broken_md, 40),
    ]
    assert "inferred from 1 pages' samples" in diags.items[0].message
    assert infer_service("Shop", [half, empty], Collector()) is None
