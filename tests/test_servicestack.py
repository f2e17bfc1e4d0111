"""ServiceStack input (Coruson): metadata pages (HTML), their copied text and metadata.json, read
into one model and into the IR of a SOAP 1.2 service (generator/read/sources/servicestack.py)."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from lxml import etree

from soapgen.core import ir
from soapgen.core.diagnostics import Collector, Level
from soapgen.core.xmlsafe import parse as parse_xml
from soapgen.pipeline.run import read_ir
from soapgen.read.sources import clr_types as clr
from soapgen.read.sources import servicestack as ss

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs" / "coruson" / "v1"
DATA = ROOT / "tests" / "data" / "servicestack"
SEED = SPECS / "ImportReportsStatus.soap12-metadata.txt"
NS = "http://schemas.servicestack.net/types"
ARR = ir.WCF_ARRAYS
SER = ir.WCF_SER
XS = ir.XSD


def q(ns: str, local: str) -> str:
    return ir.qname(ns, local)


def spec_files() -> list[Path]:
    return sorted(p for p in SPECS.iterdir() if p.is_file())


def read(path: Path) -> ss.Source:
    src, diags = ss.read_file(str(path))
    assert src is not None, [d.format() for d in diags]
    assert diags == [], [d.format() for d in diags]
    return src


def service(files: list[Path], name: str = "coruson") -> tuple[ir.Service, Collector]:
    diags = Collector()
    svcs = ss.read_servicestack([str(f) for f in files], diags, name)
    assert len(svcs) == 1, [d.format() for d in diags.items]
    return svcs[0], diags


def types_of(svc: ir.Service) -> dict[str, ir.TypeDef]:
    return {t.name: t for t in svc.types}


def warnings(diags: Collector) -> list[str]:
    return [d.format() for d in diags.items if d.level >= Level.WARNING]


# --- the seed: copied text of the Coruson ImportReportsStatus SOAP 1.2 page ---------------------


def test_seed_is_unchanged_in_specs() -> None:
    seed = ROOT.parent / "shared" / "seeds" / "001_3f2af04c445ec72f.txt"
    if not seed.exists():
        pytest.skip("../shared/seeds is absent")
    assert SEED.read_bytes() == seed.read_bytes()


def test_seed_copied_text_is_read_completely() -> None:
    src = read(SEED)
    assert (
        src.kind == "text"
        and src.title == "Coruson API"
        and src.host == "platform.gaelenlighten.com"
    )
    (op,) = src.ops.values()
    assert (op.name, op.request, op.response) == (
        "ImportReportsStatus",
        "ImportReportsStatus",
        "ImportReportsStatusResponse",
    )
    assert op.description == "Coruson Reports" and op.tags == () and op.requires_auth
    assert op.routes == []  # a SOAP page shows no route paths
    rows = {
        name: [
            (p.name, p.param, p.type.display() if p.type else None, p.required, p.description)
            for p in d.props
        ]
        for name, d in src.dtos.items()
    }
    assert rows == {
        "ImportReportsStatus": [
            (
                "ImportId",
                "path",
                "Guid",
                True,
                "The Id of the imported reports job that was included in the response of the import reports request",
            ),
        ],
        "RequestBase": [("Version", "form", "int", False, "")],
        "ImportReportsStatusResponse": [
            ("ImportedReports", "form", "Dictionary<Guid, string>", False, ""),
            ("TotalReportsImported", "form", "int", False, ""),
            ("TotalReports", "form", "int", False, ""),
        ],
        "ResponseBase": [
            ("StatusDescription", "form", "string", False, ""),
            ("ResponseStatus", "form", "ResponseStatus", False, ""),
        ],
    }
    # inheritance: each base table follows its derived type's table, and the samples list the base members
    assert src.dtos["ImportReportsStatus"].base == "RequestBase"
    assert src.dtos["ImportReportsStatusResponse"].base == "ResponseBase"
    samples = op.samples["soap12"]
    assert samples.request is not None and samples.response is not None
    assert (
        samples.request.start == "POST /soap12 HTTP/1.1"
        and samples.request.header("Content-Type") == "text/xml; charset=utf-8"
    )
    assert (samples.request.body_line, samples.response.body_line) == (37, 53)
    assert src.pending == []


def test_seed_alone_gives_a_soap12_service() -> None:
    svc, diags = service([SEED])
    assert warnings(diags) == []
    assert (svc.name, svc.namespace, svc.endpoint, svc.soap_version) == (
        "Coruson",
        NS,
        "soap12",
        "1.2",
    )
    assert svc.address == "https://platform.gaelenlighten.com/soap12" and svc.inferred
    (op,) = svc.operations
    assert (
        op.name == "ImportReportsStatus"
        and op.soap_action == "ImportReportsStatus"
        and op.style == "document"
    )
    assert op.input_element == q(NS, "ImportReportsStatus") and op.output_element == q(
        NS, "ImportReportsStatusResponse"
    )
    assert not op.one_way and op.description == "Coruson Reports"
    assert dict(op.param_docs)["ImportId"].startswith("The Id of the imported reports job")
    elements = {e.name: e.type for e in svc.elements}
    assert elements == {
        q(NS, "ImportReportsStatus"): q(NS, "ImportReportsStatus"),
        q(NS, "ImportReportsStatusResponse"): q(NS, "ImportReportsStatusResponse"),
    }
    types = types_of(svc)
    req = types[q(NS, "ImportReportsStatus")]
    assert isinstance(req, ir.ComplexType) and req.base == q(NS, "RequestBase") and req.inferred
    assert req.fields == (
        ir.Field("ImportId", NS, q(SER, "guid"), 0, 1, False, doc=req.fields[0].doc),
    )
    base = types[q(NS, "RequestBase")]
    assert isinstance(base, ir.ComplexType) and base.fields == (
        ir.Field("Version", NS, q(XS, "int"), 0, 1, False),
    )
    resp = types[q(NS, "ImportReportsStatusResponse")]
    assert isinstance(resp, ir.ComplexType) and resp.base == q(NS, "ResponseBase")
    assert [(f.name, f.type, f.min_occurs, f.nillable) for f in resp.fields] == [
        ("ImportedReports", q(ARR, "ArrayOfKeyValueOfguidstring"), 0, True),
        ("TotalReportsImported", q(XS, "int"), 0, False),
        ("TotalReports", q(XS, "int"), 0, False),
    ]
    rbase = types[q(NS, "ResponseBase")]
    assert isinstance(rbase, ir.ComplexType)
    assert [(f.name, f.type, f.nillable) for f in rbase.fields] == [
        ("StatusDescription", q(XS, "string"), True),
        ("ResponseStatus", q(NS, "ResponseStatus"), True),
    ]
    d = types[q(ARR, "ArrayOfKeyValueOfguidstring")]
    assert d == ir.DictType(
        q(ARR, "ArrayOfKeyValueOfguidstring"),
        q(ARR, "KeyValueOfguidstring"),
        ir.Field("Key", ARR, q(SER, "guid"), 1, 1, False),
        ir.Field("Value", ARR, q(XS, "string"), 1, 1, True),
    )
    status = types[q(NS, "ResponseStatus")]
    assert isinstance(status, ir.ComplexType) and not status.inferred
    assert [(f.name, f.type) for f in status.fields] == [
        ("ErrorCode", q(XS, "string")),
        ("Message", q(XS, "string")),
        ("StackTrace", q(XS, "string")),
        ("Errors", q(NS, "ArrayOfResponseError")),
        ("Meta", q(ARR, "ArrayOfKeyValueOfstringstring")),
    ]
    errors = types[q(NS, "ArrayOfResponseError")]
    assert isinstance(errors, ir.ArrayType)
    assert errors.item == ir.Field("ResponseError", NS, q(NS, "ResponseError"), 0, None, True)
    error = types[q(NS, "ResponseError")]
    assert isinstance(error, ir.ComplexType) and [f.name for f in error.fields] == [
        "ErrorCode",
        "FieldName",
        "Message",
        "Meta",
    ]
    assert ir.loads(ir.dumps(svc)) == svc


def test_seed_samples_are_attached_and_well_formed() -> None:
    svc, _ = service([SEED])
    (op,) = svc.operations
    assert op.request_sample is not None and op.response_sample is not None
    assert op.request_sample.loc == ir.Loc(str(SEED), 37) and op.response_sample.loc == ir.Loc(
        str(SEED), 53
    )
    lines = SEED.read_text().split("\n")
    assert lines[36].startswith("<?xml") and lines[52].startswith("<?xml")
    types = types_of(svc)
    for sample, root_name in (
        (op.request_sample, "ImportReportsStatus"),
        (op.response_sample, "ImportReportsStatusResponse"),
    ):
        env = parse_xml(sample.xml)
        assert env.tag == f"{{{ir.SOAP12_ENV}}}Envelope"
        (body,) = [c for c in env if c.tag == f"{{{ir.SOAP12_ENV}}}Body"]
        (dto,) = list(body)
        assert dto.tag == q(NS, root_name)
        # the sample's members are the DTO's members, base class first, in the IR's (wire) order
        t = types[q(NS, root_name)]
        assert isinstance(t, ir.ComplexType)
        chain = [t]
        while chain[-1].base:
            nxt = types[chain[-1].base]
            assert isinstance(nxt, ir.ComplexType)
            chain.append(nxt)
        wire = [f.qname for c in reversed(chain) for f in c.fields]
        assert [c.tag for c in dto] == wire
    env = parse_xml(op.response_sample.xml)
    pairs = [
        el
        for el in env.iter()
        if isinstance(el.tag, str) and el.tag.startswith(f"{{{ARR}}}KeyValueOf")
    ]
    assert {p.tag for p in pairs} == {
        q(ARR, "KeyValueOfguidstring"),
        q(ARR, "KeyValueOfstringstring"),
    }
    dicts = {t.pair for t in svc.types if isinstance(t, ir.DictType)}
    assert {p.tag for p in pairs} == dicts


# --- every form agrees ----------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(text.split())


def _dto_signature(d: ss.Dto) -> tuple[object, ...]:
    return (
        d.enum,
        d.base,
        [
            (p.name, str(p.type), p.required, p.param, _norm(p.description), p.range, p.allowable)
            for p in d.props
        ],
        [(m.name, m.value, _norm(m.description)) for m in d.members],
    )


def test_seed_html_text_and_metadata_json_agree() -> None:
    """Every operation and type described by more than one file is described the same way."""
    sources = [read(p) for p in spec_files()]
    assert {s.kind for s in sources} == {"json", "html", "text"}
    dtos: dict[str, list[tuple[str, ss.Dto]]] = {}
    ops: dict[str, list[tuple[str, ss.Op]]] = {}
    for s in sources:
        for name, d in s.dtos.items():
            dtos.setdefault(name, []).append((s.path, d))
        for name, o in s.ops.items():
            ops.setdefault(name, []).append((s.path, o))
    assert len(dtos["ImportReportsStatus"]) == 5 and len(dtos["ReportDefinition"]) == 4
    for name, described in dtos.items():
        first_path, first = described[0]
        for path, d in described[1:]:
            assert _dto_signature(d) == _dto_signature(first), (name, first_path, path)
        descriptions = {_norm(d.description) for _, d in described if d.description}
        assert len(descriptions) <= 1, (name, descriptions)
    assert len(ops["ImportReportsStatus"]) == 5 and len(ops["ImportReports"]) == 4
    for name, op_described in ops.items():
        for path, o in op_described:
            assert (o.request, o.response, o.description, o.requires_auth) == (
                name,
                name + "Response",
                "Coruson Reports",
                True,
            ), path
            if o.tags:
                assert o.tags == ("Reports",), path
            if o.routes_complete:
                expect = {
                    "ImportReports": [("POST", "/reports/import")],
                    "ImportReportsStatus": [("GET", "/reports/import/{ImportId}/status")],
                }
                assert [(r.verbs, r.path) for r in o.routes] == expect[name], path
        auths = {tuple(sorted(o.auth.items())) for _, o in op_described}
        assert len(auths) == 1, (name, auths)
    # the SOAP samples of the seed and of the authored HTML page are the same XML
    seed_op = read(SEED).ops["ImportReportsStatus"].samples["soap12"]
    html_op = (
        read(SPECS / "ImportReportsStatus.soap12-metadata.html")
        .ops["ImportReportsStatus"]
        .samples["soap12"]
    )
    for a, b in ((seed_op.request, html_op.request), (seed_op.response, html_op.response)):
        assert a is not None and b is not None
        assert _canonical(a.body) == _canonical(b.body)
    # merged: no disagreement; only the (authored examples') other host is noted
    diags = Collector()
    model = ss.read_api([str(p) for p in spec_files()], diags)
    assert [d.code for d in diags.items] == ["SS022"] and diags.items[0].level is Level.INFO
    assert model.has_metadata_json and set(model.ops) == {"ImportReports", "ImportReportsStatus"}


def _canonical(xml: str) -> bytes:
    root = parse_xml(xml)
    for el in root.iter():
        if isinstance(el.tag, str) and len(el) and el.text is not None and not el.text.strip():
            el.text = None
        if el.tail is not None and not el.tail.strip():
            el.tail = None
    return etree.tostring(root, method="c14n")


def test_camelcase_and_pascalcase_metadata_json_read_the_same() -> None:
    a, b = read(SPECS / "metadata.json"), read(SPECS / "metadata.camelcase.json")
    assert {n: _dto_signature(d) for n, d in a.dtos.items()} == {
        n: _dto_signature(d) for n, d in b.dtos.items()
    }
    assert {
        n: (o.response, [(r.verbs, r.path) for r in o.routes], o.tags, o.auth)
        for n, o in a.ops.items()
    } == {
        n: (o.response, [(r.verbs, r.path) for r in o.routes], o.tags, o.auth)
        for n, o in b.ops.items()
    }
    assert b.ops["ImportReports"].method == "POST" and a.ops["ImportReports"].method == ""


def test_whole_version_ir() -> None:
    svc, diags = service(spec_files())
    assert warnings(diags) == []
    assert (
        svc.name == "Coruson"
        and not svc.inferred
        and svc.address == "https://platform.example.com/soap12"
    )
    assert [o.name for o in svc.operations] == ["ImportReports", "ImportReportsStatus"]
    types = types_of(svc)
    assert not any(isinstance(t, ir.ComplexType) and t.inferred for t in types.values())
    rd = types[q(NS, "ReportDefinition")]
    assert isinstance(rd, ir.ComplexType)
    assert [(f.name, f.type, f.nillable) for f in rd.fields] == [
        ("ReportId", q(SER, "guid"), True),
        ("Name", q(XS, "string"), True),
        ("Description", q(XS, "string"), True),
        ("Format", q(NS, "ReportFormat"), False),
        ("Tags", q(ARR, "ArrayOfstring"), True),
        ("Parameters", q(ARR, "ArrayOfKeyValueOfstringstring"), True),
        ("Columns", q(NS, "ArrayOfReportColumn"), True),
        ("EffectiveFrom", q(XS, "dateTime"), True),
        ("RefreshInterval", q(SER, "duration"), True),
        ("SortOrder", q(XS, "int"), False),
    ]
    assert all(f.min_occurs == 0 and f.max_occurs == 1 and f.namespace == NS for f in rd.fields)
    fmt = types[q(NS, "ReportFormat")]
    assert isinstance(fmt, ir.EnumType) and [(v.wire, v.number) for v in fmt.values] == [
        ("Table", 1),
        ("Chart", 2),
        ("Pivot", 3),
    ]
    tags = types[q(ARR, "ArrayOfstring")]
    assert isinstance(tags, ir.ArrayType) and tags.item == ir.Field(
        "string", ARR, q(XS, "string"), 0, None, True
    )
    cols = types[q(NS, "ArrayOfReportColumn")]
    assert isinstance(cols, ir.ArrayType) and cols.item == ir.Field(
        "ReportColumn", NS, q(NS, "ReportColumn"), 0, None, True
    )
    ops = {o.name: o for o in svc.operations}
    assert ops["ImportReportsStatus"].request_sample is not None  # from the SOAP 1.2 page
    assert ops["ImportReports"].request_sample is None  # only JSON samples exist for it
    assert ops["ImportReports"].loc.file.endswith("metadata.json")  # metadata.json is authoritative


def test_model_keeps_what_the_json_transport_needs() -> None:
    model = ss.read_api([str(p) for p in spec_files()], Collector())
    op = model.ops["ImportReportsStatus"]
    assert [(r.verbs, r.path) for r in op.routes] == [("GET", "/reports/import/{ImportId}/status")]
    assert [(p.name, p.param, p.required) for p in model.all_props("ImportReportsStatus")] == [
        ("Version", "form", False),
        ("ImportId", "path", True),
    ]
    assert [(p.name, p.param, p.required) for p in model.all_props("ImportReports")] == [
        ("Version", "form", False),
        ("Reports", "body", True),
        ("ReplaceExisting", "body", False),
        ("TargetFolderId", "body", False),
    ]
    assert set(op.samples) == {"soap12", "json"} and model.ops["ImportReports"].auth == {
        "permissions": ("reports.import",)
    }
    assert [d.name for d in model.chain("ImportReportsStatusResponse")] == [
        "ImportReportsStatusResponse",
        "ResponseBase",
    ]


def test_read_ir_routes_servicestack_files(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(SPECS.parent, specs / "coruson")
    diags = Collector()
    versions, inputs, files = read_ir([str(specs / "coruson")], str(specs), diags)
    assert not diags.has_errors and warnings(diags) == [], [d.format() for d in diags.items]
    [(api, version)] = versions
    assert (api, version.name) == ("coruson", "v1")
    [svc] = version.services
    assert svc.name == "Coruson" and len(svc.operations) == 2 and svc.soap_version == "1.2"
    assert len(inputs[0].files) == len(spec_files())
    # a single file given alone (soapgen inspect): api and version from its folders
    diags = Collector()
    versions, _, _ = read_ir([str(specs / "coruson" / "v1" / SEED.name)], None, diags)
    assert [(a, v.name, [s.name for s in v.services]) for a, v in versions] == [
        ("coruson", "v1", ["Coruson"])
    ]


def test_detection() -> None:
    for p in spec_files():
        assert ss.is_servicestack(str(p)), p
    for p in sorted((ROOT / "tests" / "data" / "superoffice").glob("*")):
        assert not ss.is_servicestack(str(p)), p
    for p in sorted((ROOT / "specs" / "superoffice").rglob("*.md"))[:50]:
        assert not ss.is_servicestack(str(p)), p


# --- CLR types ----------------------------------------------------------------------------

GRAMMAR = [
    # display name, canonical, display again
    ("string", "String", "string"),
    ("int", "Int32", "int"),
    ("long", "Int64", "long"),
    ("bool", "Boolean", "bool"),
    ("decimal", "Decimal", "decimal"),
    ("Guid", "Guid", "Guid"),
    ("DateTime", "DateTime", "DateTime"),
    ("TimeSpan?", "TimeSpan?", "TimeSpan?"),
    ("int?", "Int32?", "int?"),
    ("Nullable<Int32>", "Int32?", "int?"),
    ("List<ReportDefinition>", "List<ReportDefinition>", "List<ReportDefinition>"),
    ("string[]", "String[]", "string[]"),
    ("byte[]", "Byte[]", "byte[]"),
    ("ReportColumn[][]", "ReportColumn[][]", "ReportColumn[][]"),
    ("Dictionary<Guid, string>", "Dictionary<Guid,String>", "Dictionary<Guid, string>"),
    (
        "Dictionary<string, List<String>>",
        "Dictionary<String,List<String>>",
        "Dictionary<string, List<String>>",
    ),
    ("QueryResponse<Report>", "QueryResponse<Report>", "QueryResponse<Report>"),
    ("ResponseStatus", "ResponseStatus", "ResponseStatus"),
]


@pytest.mark.parametrize("text,canonical,display", GRAMMAR)
def test_clr_grammar(text: str, canonical: str, display: str) -> None:
    t = clr.parse(text)
    assert str(t) == canonical and t.display() == display
    assert clr.parse(display) == t and clr.parse(canonical) == t


@pytest.mark.parametrize(
    "type_name,args,display",
    [
        ("String", [], "string"),
        ("Int32", [], "int"),
        ("Nullable`1", ["Int32"], "int?"),
        ("Nullable`1", ["Guid"], "Guid?"),
        ("List`1", ["ReportDefinition"], "List<ReportDefinition>"),
        ("String[]", [], "string[]"),
        ("Dictionary`2", ["Guid", "String"], "Dictionary<Guid, string>"),
        ("Dictionary`2", ["String", "List<String>"], "Dictionary<string, List<String>>"),
        ("QueryResponse`1", ["Report"], "QueryResponse<Report>"),
        ("ReportFormat", [], "ReportFormat"),
    ],
)
def test_metadata_json_types_equal_display_types(
    type_name: str, args: list[str], display: str
) -> None:
    assert clr.from_metadata(type_name, args) == clr.parse(display)


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "Dictionary<Guid,",
        "List<>",
        "List<int",
        "lowercase",
        "int<",
        "9Lives",
        "Foo>",
        "Nullable<int, int>",
    ],
)
def test_clr_grammar_rejects(bad: str) -> None:
    with pytest.raises(clr.ClrTypeError):
        clr.parse(bad)


def test_clr_prefixes_for_run_together_cells() -> None:
    readings = {(str(t), end) for t, end in clr.prefixes("GuidYesThe Id")}
    assert ("Guid", 4) in readings and ("GuidYes", 7) in readings
    assert (str(clr.parse("Dictionary<Guid, string>")), 24) in {
        (str(t), e) for t, e in clr.prefixes("Dictionary<Guid, string>No")
    }
    assert {(str(t), e) for t, e in clr.prefixes("string[]No")} == {("String[]", 8)}
    assert clr.prefixes("formstringNo") == []


XML_TYPES = [
    ("Guid", q(SER, "guid"), False),
    ("int", q(XS, "int"), False),
    ("int?", q(XS, "int"), True),
    ("long", q(XS, "long"), False),
    ("bool", q(XS, "boolean"), False),
    ("decimal", q(XS, "decimal"), False),
    ("double", q(XS, "double"), False),
    ("string", q(XS, "string"), True),
    ("DateTime", q(XS, "dateTime"), False),
    ("DateTime?", q(XS, "dateTime"), True),
    ("TimeSpan", q(SER, "duration"), False),
    ("Char", q(SER, "char"), False),
    ("byte[]", q(XS, "base64Binary"), True),
    ("ReportFormat", q(NS, "ReportFormat"), False),
    ("ReportFormat?", q(NS, "ReportFormat"), True),
    ("ReportColumn", q(NS, "ReportColumn"), True),
    ("List<string>", q(ARR, "ArrayOfstring"), True),
    ("string[]", q(ARR, "ArrayOfstring"), True),
    ("int[]", q(ARR, "ArrayOfint"), True),
    ("List<Guid>", q(ARR, "ArrayOfguid"), True),
    ("List<ReportColumn>", q(NS, "ArrayOfReportColumn"), True),
    ("List<ReportFormat>", q(NS, "ArrayOfReportFormat"), True),
    ("List<List<string>>", q(ARR, "ArrayOfArrayOfstring"), True),
    ("Dictionary<Guid, string>", q(ARR, "ArrayOfKeyValueOfguidstring"), True),
    ("Dictionary<string, string>", q(ARR, "ArrayOfKeyValueOfstringstring"), True),
    ("Dictionary<string, int>", q(ARR, "ArrayOfKeyValueOfstringint"), True),
    # WCF appends a digest of the argument namespaces when they are not XSD/serialization ones
    (
        "Dictionary<string, List<String>>",
        q(ARR, "ArrayOfKeyValueOfstringArrayOfstringty7Ep6D1"),
        True,
    ),
    ("DateTimeOffset", q(clr.SYSTEM_NS, "DateTimeOffset"), False),
]


@pytest.mark.parametrize("text,type_name,nillable", XML_TYPES)
def test_clr_to_datacontract_xml(text: str, type_name: str, nillable: bool) -> None:
    xml = clr.XmlTypes({"ReportFormat": clr.Named(NS, True), "ReportColumn": clr.Named(NS)})
    t = clr.parse(text)
    assert (xml.type_name(t), xml.nillable(t)) == (type_name, nillable)
    assert xml.problems == []


def test_wcf_collection_shapes() -> None:
    xml = clr.XmlTypes({"ReportColumn": clr.Named(NS)})
    xml.type_name(clr.parse("Dictionary<string, List<String>>"))
    xml.type_name(clr.parse("List<int?>"))
    created = xml.created
    d = created[q(ARR, "ArrayOfKeyValueOfstringArrayOfstringty7Ep6D1")]
    assert isinstance(d, ir.DictType) and d.pair == q(ARR, "KeyValueOfstringArrayOfstringty7Ep6D1")
    assert d.key == ir.Field("Key", ARR, q(XS, "string"), 1, 1, True)
    assert d.value == ir.Field("Value", ARR, q(ARR, "ArrayOfstring"), 1, 1, True)
    ints = created[q(ARR, "ArrayOfint")]
    assert isinstance(ints, ir.ArrayType) and ints.item == ir.Field(
        "int", ARR, q(XS, "int"), 0, None, True
    )
    assert clr.namespaces_digest(f" 2 {XS} {ARR}") == "ty7Ep6D1"
    xml.type_name(clr.parse("Stream"))
    assert xml.problems and "Stream" in xml.problems[0]


# --- copied text: the row grammar -----------------------------------------------------------


def _text_page(rows: list[str], extra_tables: str = "", sample: str = "") -> str:
    return (
        "Coruson API\n<back to all web services\nOp\nOp Parameters:\nNameParameterData TypeRequiredDescription\n"
        + "".join(r + "\n" for r in rows)
        + extra_tables
        + "To override the Content-type in your clients, use the HTTP Accept Header, append the .soap12 suffix or ?format=soap12\n"
        + "HTTP + SOAP12\n"
        + sample
    )


@pytest.mark.parametrize(
    "row,reading",
    [
        (
            "ImportIdpathGuidYesThe Id of the job",
            ("ImportId", "path", "Guid", True, "The Id of the job"),
        ),
        ("PlatformformstringNo", ("Platform", "form", "String", False, "")),
        ("FilepathpathstringNo", ("Filepath", "path", "String", False, "")),
        (
            "ImportedReportsformDictionary<Guid, string>No",
            ("ImportedReports", "form", "Dictionary<Guid,String>", False, ""),
        ),
        (
            "TargetFolderIdbodyGuid?NoFolder that receives",
            ("TargetFolderId", "body", "Guid?", False, "Folder that receives"),
        ),
        ("TagsqueryList<String>[]YesNested", ("Tags", "query", "List<String>[]", True, "Nested")),
        (
            "FormatformReportFormatNoHow it looks",
            ("Format", "form", "ReportFormat", False, "How it looks"),
        ),
        (
            "XheaderlongYesNo value means none",
            ("X", "header", "Int64", True, "No value means none"),
        ),
    ],
)
def test_run_together_rows(row: str, reading: tuple[object, ...]) -> None:
    out = ss._Out("page.txt")
    src = ss.read_text("page.txt", _text_page([row]), out)
    assert src is not None and out.items == [] and src.pending == []
    (p,) = src.dtos["Op"].props
    assert (p.name, p.param, str(p.type), p.required, p.description) == reading


def test_ambiguous_row_is_a_warning_naming_the_line_unless_a_table_settles_it() -> None:
    row = "AnswerformYesNoAnswerNoThe answer"
    out = ss._Out("page.txt")
    src = ss.read_text("page.txt", _text_page([row]), out)
    assert src is not None
    [(diag, concerns)] = src.pending
    assert (diag.code, diag.file, diag.line, concerns) == ("SS007", "page.txt", 6, "Op")
    assert "YesNoAnswer" in diag.message
    # an enum table of YesNoAnswer on the page makes the type known: one reading left
    enum = "YesNoAnswer Enum:\nNameValue\nYes1\nNo2\n"
    src = ss.read_text("page.txt", _text_page([row], enum), ss._Out("page.txt"))
    assert src is not None and src.pending == []
    (p,) = src.dtos["Op"].props
    assert (str(p.type), p.required, p.description) == ("YesNoAnswer", False, "The answer")
    assert [(m.name, m.value) for m in src.dtos["YesNoAnswer"].members] == [("Yes", 1), ("No", 2)]


def test_description_continuations_range_and_allowable_values() -> None:
    rows = [
        "SortOrderformintNoPosition in the folder",
        "Valid Range: 0 - 1000",
        "ModeformstringNoHow",
        "Allowable Values",
        "Fast",
        "Slow",
    ]
    src = ss.read_text("page.txt", _text_page(rows), ss._Out("page.txt"))
    assert src is not None
    sort, mode = src.dtos["Op"].props
    assert (sort.description, sort.range) == ("Position in the folder", ("0", "1000"))
    assert (mode.description, mode.allowable) == ("How", ("Fast", "Slow"))


def test_tab_separated_and_space_aligned_copies() -> None:
    src = read(DATA / "tabbed.txt")
    op = src.ops["GetThing"]
    assert (op.tags, op.description, [(r.verbs, r.path, r.summary) for r in op.routes]) == (
        ("Things",),
        "Gets one thing",
        [("GET", "/things/{Id}", "One thing")],
    )
    assert [
        (p.name, p.param, str(p.type), p.required, p.allowable) for p in src.dtos["GetThing"].props
    ] == [
        ("Id", "path", "Int32", True, ()),
        ("FilterPath", "query", "String", False, ("all", "none")),
        ("Kind", "query", "ThingKind", False, ()),
    ]
    assert [(m.name, m.value, m.description) for m in src.dtos["ThingKind"].members] == [
        ("Small", 1, "A small thing"),
        ("Large", 2, ""),
    ]
    legacy = read(DATA / "legacy-spaces.txt")
    assert [
        (p.name, p.param, str(p.type), p.required) for p in legacy.dtos["SolveImage"].props
    ] == [("ImagePath", "body", "String", True), ("Timeout", "body", "Int32", False)]


def test_sample_order_is_the_wire_order(tmp_path: Path) -> None:
    sample = (
        'POST /soap12 HTTP/1.1\nHost: h\n\n<?xml version="1.0" encoding="utf-8"?>\n'
        '<soap12:Envelope xmlns:soap12="http://www.w3.org/2003/05/soap-envelope"><soap12:Body>\n'
        f'<Op xmlns="{NS}"><B>0</B><A>0</A></Op>\n</soap12:Body></soap12:Envelope>\n'
    )
    text = _text_page(["AformintNo", "BformintNo"], sample=sample)
    diags = Collector()
    tmp = tmp_path / "ordered.txt"
    tmp.write_text(text)
    svcs = ss.read_servicestack([str(tmp)], diags)
    assert [d.code for d in diags.items] == ["SS018"], [d.format() for d in diags.items]
    t = types_of(svcs[0])[q(NS, "Op")]
    assert isinstance(t, ir.ComplexType) and [f.name for f in t.fields] == ["B", "A"]


# --- broken inputs: diagnostics with file and line, never a traceback ------------------------


@pytest.mark.parametrize(
    "name,expected",
    [
        ("broken-metadata.json", {("SS002", 8)}),
        ("empty.txt", {("SS001", 1)}),
        ("no-operation.html", {("SS004", 1)}),
        (
            "broken-page.html",
            {("SS005", 12), ("SS019", 13), ("SS019", 14), ("SS014", 14), ("SS010", 30)},
        ),
        ("broken-text.txt", {("SS007", 12), ("SS014", 12), ("SS010", 27)}),
    ],
)
def test_broken_inputs_are_diagnostics(name: str, expected: set[tuple[str, int]]) -> None:
    path = DATA / name
    diags = Collector()
    ss.read_servicestack([str(path)], diags)
    got = {(d.code, d.line) for d in diags.items}
    assert got == expected, [d.format() for d in diags.items]
    assert all(d.file == str(path) for d in diags.items)


def test_unsplittable_row_is_a_warning() -> None:
    out = ss._Out("page.txt")
    src = ss.read_text("page.txt", _text_page(["no separators at all here", "AformintNo"]), out)
    assert src is not None and [(d.code, d.line) for d in out.items] == [("SS006", 6)]
    assert [p.name for p in src.dtos["Op"].props] == ["A"]


def test_disagreements_name_both_files(tmp_path: Path) -> None:
    page = (SPECS / "ImportReportsStatus.soap12-metadata.html").read_text()
    changed = page.replace(
        "<td>ImportId</td><td>path</td><td>Guid</td><td>Yes</td>",
        "<td>ImportId</td><td>path</td><td>long</td><td>No</td>",
    )
    assert changed != page
    (tmp_path / "page.html").write_text(changed)
    shutil.copy(SPECS / "metadata.json", tmp_path / "metadata.json")
    diags = Collector()
    svc = ss.read_servicestack(
        [str(tmp_path / "page.html"), str(tmp_path / "metadata.json")], diags
    )[0]
    found = [d for d in diags.items if d.code == "SS013"]
    line = next(i for i, ln in enumerate(changed.split("\n"), 1) if "<td>ImportId</td>" in ln)
    assert {(d.file, d.line) for d in found} == {(str(tmp_path / "page.html"), line)}
    messages = " ".join(d.message for d in found)
    assert "type long differs from Guid" in messages and "required No differs from Yes" in messages
    assert str(tmp_path / "metadata.json") + ":" in messages
    # metadata.json wins
    t = types_of(svc)[q(NS, "ImportReportsStatus")]
    assert isinstance(t, ir.ComplexType) and t.fields[0].type == q(SER, "guid")


def _mutations(text: str, rng: random.Random) -> list[str]:
    out = [text[:k] for k in range(0, len(text), max(1, len(text) // 40))]
    lines = text.split("\n")
    for _ in range(30):
        cut = list(lines)
        for _ in range(rng.randint(1, 5)):
            if cut:
                del cut[rng.randrange(len(cut))]
        out.append("\n".join(cut))
        noisy = list(text)
        for _ in range(rng.randint(1, 20)):
            noisy.insert(
                rng.randrange(len(noisy) + 1), rng.choice("<>&\"'{}[]\t\n:,?`#/\\x\u00e9\x00")
            )
        out.append("".join(noisy))
    return out


@pytest.mark.parametrize("path", spec_files() + sorted(DATA.iterdir()), ids=lambda p: p.name)
def test_mutated_inputs_never_raise(path: Path, tmp_path: Path) -> None:
    rng = random.Random(path.name)
    original = path.read_text(encoding="utf-8")
    target = tmp_path / path.name
    for text in _mutations(original, rng):
        target.write_text(text, encoding="utf-8")
        diags = Collector()
        ss.read_servicestack([str(target)], diags)
        for d in diags.items:
            assert d.file == str(target) and d.code.startswith("SS")


def test_generic_dtos_are_instantiated_with_wcf_names(tmp_path: Path) -> None:
    meta = {
        "types": [
            {
                "name": "Report",
                "namespace": "Reports.ServiceModel",
                "properties": [
                    {"name": "Id", "type": "Guid", "isValueType": True},
                    {"name": "Name", "type": "String"},
                ],
            },
        ],
        "operations": [
            {
                "request": {
                    "name": "FindReports",
                    "namespace": "Reports.ServiceModel",
                    "inherits": {"name": "QueryDb\u00601", "genericArgs": ["Report"]},
                    "properties": [{"name": "NameContains", "type": "String"}],
                },
                "response": {
                    "name": "QueryResponse\u00601",
                    "namespace": "ServiceStack",
                    "isGenericTypeDef": True,
                    "genericArgs": ["T"],
                },
                "returnType": {"name": "QueryResponse\u00601", "genericArgs": ["Report"]},
                "routes": [{"path": "/reports", "verbs": "GET"}],
            }
        ],
    }
    import json

    (tmp_path / "metadata.json").write_text(json.dumps(meta, indent=1))
    diags = Collector()
    model = ss.read_api([str(tmp_path / "metadata.json")], diags)
    assert [p.param for p in model.dtos["FindReports"].props] == ["query"]
    [svc] = ss.read_servicestack([str(tmp_path / "metadata.json")], diags)
    types = types_of(svc)
    find = types[q(NS, "FindReports")]
    assert isinstance(find, ir.ComplexType)
    digest = clr.namespaces_digest(f" 1 {NS}")
    assert find.base == q(NS, "QueryDbOfReport" + digest)
    query_db = types[q(NS, "QueryDbOfReport" + digest)]
    assert isinstance(query_db, ir.ComplexType) and query_db.base == q(NS, "QueryBase")
    assert [f.name for f in types[q(NS, "QueryBase")].fields] == ["Skip", "Take", "OrderBy", "OrderByDesc", "Include", "Fields", "Meta"]  # type: ignore[union-attr]
    # the response is the generic definition with returnType's arguments: QueryResponseOfReport<digest>
    assert model.ops["FindReports"].response == "QueryResponse"
    [op] = svc.operations
    response = q(NS, "QueryResponseOfReport" + digest)
    assert (
        op.output_element == response
        and {e.name: e.type for e in svc.elements}[response] == response
    )
    page = types[response]
    assert isinstance(page, ir.ComplexType)
    assert [(f.name, f.type) for f in page.fields] == [
        ("Offset", q(XS, "int")),
        ("Total", q(XS, "int")),
        ("Results", q(NS, "ArrayOfReport")),
        ("Meta", q(ARR, "ArrayOfKeyValueOfstringstring")),
        ("ResponseStatus", q(NS, "ResponseStatus")),
    ]
    assert {q(NS, "Report"), q(NS, "ResponseStatus"), q(NS, "ResponseError")} <= set(types)
    assert [d.code for d in diags.items] == ["SS017"]
