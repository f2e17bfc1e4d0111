"""The sample walker (generator/render/samples.py): doc-sample XML read against the IR, as the Python
expressions a fixture test passes and expects, and the documented deviations of a sample from
its own WSDL (what the client sends instead in a request, what it reads in a reply).

Inputs are hand-written IR types and XML snippets, named as generator/config/naming.py names them.
"""

from __future__ import annotations

import datetime
import decimal
import math
import uuid

import pytest
from lxml import etree

from soapgen.config import naming
from soapgen.config.profiles import ApiProfile
from soapgen.core import ir
from soapgen.core.codecs import CODECS
from soapgen.core.diagnostics import Collector, Level
from soapgen.plan.text import Prefixes
from soapgen.plan.values import Values
from soapgen.render.samples import SampleWalker, Unreadable, ValueLookup, ValueTable, scalar_literal

NS = "urn:test"
FILE = "specs/api/V1/Agent/Op.md"
FIRST_LINE = 20  # the file line of the sample's first line


def q(local: str) -> str:
    return ir.qname(NS, local)


def xs(local: str) -> str:
    return ir.qname(ir.XSD, local)


def fld(
    name: str, type_: str, min_occurs: int = 0, max_occurs: int | None = 1, nillable: bool = False
) -> ir.Field:
    return ir.Field(name, NS, type_, min_occurs, max_occurs, nillable)


TYPES: tuple[ir.TypeDef, ...] = (
    ir.EnumType(q("Color"), (ir.EnumValue("Red", 0), ir.EnumValue("Green", 1))),
    ir.EnumType(q("Rights"), (ir.EnumValue("Read", 1), ir.EnumValue("Write", 2)), flags=True),
    ir.ArrayType(q("ArrayOfstring"), ir.Field("string", NS, xs("string"), 0, None, nillable=True)),
    ir.ArrayType(q("ArrayOfint"), ir.Field("int", NS, xs("int"), 0, None)),
    ir.DictType(
        q("Scores"),
        q("KeyValueOfstringint"),
        ir.Field("Key", NS, xs("string")),
        ir.Field("Value", NS, xs("int"), nillable=True),
    ),
    ir.ComplexType(q("Address"), (fld("Street", xs("string"), nillable=True),)),
    ir.ComplexType(
        q("Person"),
        (
            fld("Name", xs("string"), nillable=True),
            fld("Age", xs("int")),
            fld("Born", xs("dateTime")),
            fld("Wait", xs("duration")),
            fld("Amount", xs("decimal")),
            fld("Id", ir.qname(ir.WCF_SER, "guid")),
            fld("Color", q("Color")),
            fld("Rights", q("Rights")),
            fld("Tags", q("ArrayOfstring"), nillable=True),
            fld("Numbers", q("ArrayOfint"), nillable=True),
            fld("Scores", q("Scores"), nillable=True),
            fld("Home", q("Address"), nillable=True),
            fld("Rank", xs("positiveInteger")),  # no plain default: absent is None
            fld("Alias", xs("string"), 0, None),  # repeated
        ),
    ),
    ir.ComplexType(q("Employee"), (fld("Dept", xs("string"), nillable=True),), base=q("Person")),
    ir.ComplexType(q("Manager"), (fld("Reports", xs("int")),), base=q("Employee")),
    # what a required field without a plain default cannot do without
    ir.ComplexType(
        q("Strict"),
        (fld("Count", xs("positiveInteger"), 1), fld("Home", q("Address"), 1)),
    ),
)


def lookup(
    shared: set[str] | None = None, profile: ApiProfile | None = None
) -> tuple[ValueLookup, Collector]:
    diags = Collector()
    version = naming.name_version(
        ir.Version("V1", (ir.Service("Agent", NS, types=TYPES),)), diags, frozenset()
    )
    visible = {t.name: t for t in version.services[0].types}
    values = Values(visible, Prefixes(()), diags, ir.Loc(FILE, 1))
    found = ValueLookup(values, visible, shared or set(), profile or ApiProfile(plain_values=True))
    assert not diags.items
    return found, diags


def xml(body: str, root: str = "Person", attrs: str = "") -> etree._Element:
    """An element of the sample, its start tag on the sample's second line."""
    text = (
        f'<r xmlns:p="{NS}" xmlns:xsi="{ir.XSI}" xmlns:xsd="{ir.XSD}">\n'
        f"<p:{root}{attrs}>{body}</p:{root}>\n</r>"
    )
    return etree.fromstring(text)[0]


def walk(
    body: str,
    root: str = "Person",
    attrs: str = "",
    request: bool = False,
    values: ValueTable | None = None,
    shared: set[str] | None = None,
) -> tuple[str, SampleWalker, Collector]:
    found, diags = lookup(shared)
    w = SampleWalker(found, diags, FILE, FIRST_LINE, values, request)
    return w.complex(root, xml(body, root, attrs), (), root), w, diags


# --- scalars ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "text", "literal"),
    [
        ("string", '  a "b"  ', "'  a \"b\"  '"),
        ("boolean", "1", "True"),
        ("boolean", "false", "False"),
        ("int", "-2147483648", "-2147483648"),
        ("unsignedByte", "255", "255"),
        ("double", "-INF", 'float("-inf")'),
        ("float", "NaN", 'float("nan")'),
        ("decimal", "1.50", 'decimal.Decimal("1.50")'),
        ("dateTime", "2024-01-02T03:04:05", "datetime.datetime(2024, 1, 2, 3, 4, 5)"),
        (
            "dateTime",
            "2024-01-02T03:04:05Z",
            "datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)",
        ),
        ("date", "2024-02-29", "datetime.date(2024, 2, 29)"),
        ("time", "13:14:15", "datetime.time(13, 14, 15)"),
        ("duration", "P1DT2H", "datetime.timedelta(days=1, seconds=7200)"),
        ("duration", "-P1D", "datetime.timedelta(days=-1)"),
        ("wcf:duration", "PT1M", "datetime.timedelta(seconds=60)"),
        ("base64Binary", "AAE=", 'b"\\x00\\x01"'),
        ("hexBinary", "0aff", 'b"\\n\\xff"'),
        ("wcf:guid", "12345678-1234-1234-1234-123456789abc", None),
        ("wcf:char", "65", "65"),
    ],
)
def test_scalar_literals_are_what_the_runtime_reads(
    key: str, text: str, literal: str | None
) -> None:
    expr = scalar_literal(key, text)
    if literal is not None:
        assert expr == literal
    # the literal, evaluated where the fixture tests evaluate it, is the value the client reads
    value = eval(expr, {"datetime": datetime, "decimal": decimal, "uuid": uuid})  # noqa: S307
    expected = CODECS[key].parse(text)
    if isinstance(expected, float) and math.isnan(expected):
        assert math.isnan(value)
    else:
        assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("int", "2147483648"),
        ("unsignedByte", "256"),
        ("duration", ""),
        ("dateTime", "yesterday"),
        ("date", "2023-02-29"),
        ("boolean", "yes"),
        ("decimal", "1e3"),
        ("wcf:guid", "not-a-guid"),
    ],
)
def test_text_the_client_would_refuse_is_unreadable(key: str, text: str) -> None:
    with pytest.raises(Unreadable, match=key.split(":")[-1]):
        scalar_literal(key, text)


# --- values of each kind -----------------------------------------------------------------------

FULL = (
    "<p:Name>Ann</p:Name><p:Age>42</p:Age><p:Born>2024-01-02T03:04:05</p:Born>"
    "<p:Wait>P1DT2H</p:Wait><p:Amount>1.50</p:Amount>"
    "<p:Id>12345678-1234-1234-1234-123456789abc</p:Id><p:Color>Green</p:Color>"
    "<p:Rights>Read Write</p:Rights>"
    '<p:Tags><p:string>a</p:string><p:string xsi:nil="true"/></p:Tags>'
    "<p:Numbers><p:int>1</p:int><p:int>2</p:int></p:Numbers>"
    "<p:Scores><p:KeyValueOfstringint><p:Key>x</p:Key><p:Value>1</p:Value>"
    '</p:KeyValueOfstringint><p:KeyValueOfstringint><p:Key>y</p:Key><p:Value xsi:nil="1"/>'
    "</p:KeyValueOfstringint></p:Scores>"
    "<p:Home><p:Street>Main</p:Street></p:Home><p:Rank>3</p:Rank><p:Alias>Annie</p:Alias>"
)


def test_a_record_with_a_value_of_each_kind() -> None:
    expr, w, diags = walk(FULL)
    assert expr == (
        'Person(name="Ann", age=42, born=datetime.datetime(2024, 1, 2, 3, 4, 5),'
        ' wait=datetime.timedelta(days=1, seconds=7200), amount=decimal.Decimal("1.50"),'
        ' id=uuid.UUID("12345678-1234-1234-1234-123456789abc"), color=Color.GREEN,'
        ' rights=Rights.READ | Rights.WRITE, tags=["a", None], numbers=[1, 2],'
        ' scores={"x": 1, "y": None}, home=Address(street="Main"), rank=3, alias=["Annie"])'
    )
    assert w.classes == {"Person", "Color", "Rights", "Address"}  # what the test imports
    assert not w.out.deviations and not diags.items


def test_empty_flags_and_empty_containers() -> None:
    expr, w, _ = walk("<p:Rights></p:Rights><p:Tags/><p:Scores/>")
    assert expr == "Person(rights=Rights(0), tags=[], scores={})"
    assert "Rights" in w.classes


def test_an_empty_record_and_a_value_without_children() -> None:
    assert walk("")[0] == "Person()"
    assert walk("", root="Address")[0] == "Address()"


def test_nil_is_not_absent() -> None:
    nil, _, _ = walk('<p:Name xsi:nil="true"/><p:Home xsi:nil="1"/>')
    assert nil == 'Person(nil_fields=frozenset({"home", "name"}))'
    absent, _, _ = walk("")
    assert absent == "Person()"


# --- subtypes by xsi:type ------------------------------------------------------------------------


def test_xsi_type_reads_a_subtype_where_its_base_is_expected() -> None:
    expr, w, _ = walk(
        "<p:Name>Bo</p:Name><p:Dept>R&amp;D</p:Dept><p:Reports>2</p:Reports>",
        attrs=' xsi:type="p:Manager"',
    )
    assert expr == 'Manager(name="Bo", dept="R&D", reports=2)'
    assert "Manager" in w.classes and "Person" not in w.classes


def test_xsi_type_prefix_is_resolved_by_the_element_namespaces() -> None:
    # the same local name in another namespace is no subtype of Person
    expr, _, _ = walk("<p:Name>Bo</p:Name>", attrs=' xmlns:o="urn:other" xsi:type="o:Employee"')
    assert expr == 'Person(name="Bo")'
    with pytest.raises(Unreadable, match="Person/Dept is not a field of Person"):
        walk("<p:Dept>x</p:Dept>", attrs=' xmlns:o="urn:other" xsi:type="o:Employee"')


def test_a_subtype_in_another_module_is_not_read_as_such() -> None:
    # Person shared, Employee an agent's own type: the shared module cannot name Employee
    with pytest.raises(Unreadable, match="Dept is not a field of Person"):
        walk("<p:Dept>x</p:Dept>", attrs=' xsi:type="p:Employee"', shared={q("Person")})
    both, _, _ = walk(
        "<p:Dept>x</p:Dept>",
        attrs=' xsi:type="p:Employee"',
        shared={q("Person"), q("Employee")},
    )
    assert both == 'Employee(dept="x")'


# --- what a sample cannot say ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<p:Nope>1</p:Nope>", "Strict/Nope is not a field of Strict"),
        ("<p:Home><p:Nope/></p:Home>", "Strict/Home/Nope is not a field of Address"),
        ("<p:Count>0</p:Count>", "invalid xs:positiveInteger"),
    ],
)
def test_what_the_walker_cannot_read(body: str, message: str) -> None:
    # required fields without a plain default: no stand-in, the fixture stage gives up on the
    # sample (SAMPLE005) instead of dropping the element
    with pytest.raises(Unreadable, match=message):
        walk(body, root="Strict", request=True)


@pytest.mark.parametrize(
    ("body", "where", "reason"),
    [
        ("<p:Home><p:Nope/></p:Home>", "Person/Home", "Person/Home/Nope is not a field of Address"),
        (
            "<p:Numbers><p:int xsi:nil='true'/></p:Numbers>",
            "Person/Numbers",
            "xsi:nil on a non-nillable array item",
        ),
        (
            "<p:Numbers><p:int>1</p:int><p:int>x</p:int></p:Numbers>",
            "Person/Numbers",
            "invalid xs:int: 'x'",
        ),
        (
            "<p:Scores><p:KeyValueOfstringint><p:Key>x</p:Key></p:KeyValueOfstringint></p:Scores>",
            "Person/Scores",
            "a dictionary pair needs Key and Value",
        ),
        ("<p:Color>Blue</p:Color>", "Person/Color", "'Blue' is not a value of Color"),
        ("<p:Rights>Read Exec</p:Rights>", "Person/Rights", "'Exec' is not a value of Rights"),
    ],
)
def test_an_unreadable_optional_value_is_dropped_as_a_whole(
    body: str, where: str, reason: str
) -> None:
    expr, w, _ = walk(body)
    assert expr == "Person()"
    assert [(d.path, d.where, d.reason, d.fill) for d in w.out.deviations] == [
        ((0,), where, reason, None)
    ]


# --- deviations: a value its type cannot hold ----------------------------------------------------

BAD = "<p:Name>x</p:Name>\n<p:Age>2147483648</p:Age>\n<p:Wait></p:Wait>\n<p:Color>Blue</p:Color>"


def test_request_deviations_send_the_plain_default() -> None:
    expr, w, diags = walk(BAD, request=True)
    assert expr == 'Person(name="x")'
    assert [(d.path, d.where, d.fill) for d in w.out.deviations] == [
        ((1,), "Person/Age", "0"),
        ((2,), "Person/Wait", "PT0S"),
        ((3,), "Person/Color", "Red"),
    ]
    assert all(d.level is Level.WARNING and d.code == "SAMPLE010" for d in diags.items)
    assert "the client sends the default '0' instead" in diags.items[0].message
    assert "Person/Color: 'Blue' is not a value of Color" in diags.items[2].message


def test_reply_deviations_read_as_absent() -> None:
    expr, w, diags = walk(BAD)
    assert expr == 'Person(name="x")'
    assert [(d.path, d.fill) for d in w.out.deviations] == [
        ((1,), None),
        ((2,), None),
        ((3,), None),
    ]
    assert all("the client reads it as absent" in d.message for d in diags.items)
    assert "invalid xs:int" in w.out.deviations[0].reason


def test_a_value_of_an_optional_field_is_left_out_of_a_request() -> None:
    # Rank is held as int | None: no default to send, the request leaves it out
    expr, w, diags = walk("<p:Rank>0</p:Rank>", request=True)
    assert expr == "Person()"
    assert [(d.where, d.fill) for d in w.out.deviations] == [("Person/Rank", None)]
    assert "the client leaves it out" in diags.items[0].message


def test_without_plain_values_a_bad_value_type_is_dropped_even_in_a_request() -> None:
    found, diags = lookup(profile=ApiProfile(plain_values=False))  # Age is int | None
    w = SampleWalker(found, diags, FILE, FIRST_LINE, request=True)
    assert w.complex("Person", xml("<p:Age>x</p:Age>"), (), "Person") == "Person()"
    assert [d.fill for d in w.out.deviations] == [None]


def test_nil_on_a_non_nillable_element() -> None:
    body = '<p:Age xsi:nil="true"/><p:Born xsi:nil="true"/><p:Rank xsi:nil="true"/>'
    expr, w, diags = walk(body, request=True)
    assert expr == "Person()"  # never a nil_fields entry: the WSDL does not allow one
    assert [(d.where, d.fill) for d in w.out.deviations] == [
        ("Person/Age", "0"),
        ("Person/Born", "0001-01-01T00:00:00"),
        ("Person/Rank", None),
    ]
    assert all("does not declare nillable" in d.reason for d in w.out.deviations)
    _, reply, rdiags = walk(body)
    # a plain field keeps its default in a reply too: the client reads the default it holds
    assert [d.fill for d in reply.out.deviations] == ["0", "0001-01-01T00:00:00", None]
    assert "expects the default '0' instead" in rdiags.items[0].message


def test_deviation_paths_and_lines_point_into_the_sample() -> None:
    body = "\n<p:Home>\n<p:Street>a</p:Street></p:Home>\n<p:Tags>\n<p:string>x</p:string></p:Tags>"
    found, diags = lookup()
    w = SampleWalker(found, diags, FILE, FIRST_LINE)
    el = xml(body + "\n<p:Age>x</p:Age>")
    w.complex("Person", el, (7,), "Op/Person")
    (d,) = w.out.deviations
    # <p:Person> is on the sample's line 2, Age on line 7: file line FIRST_LINE + 7 - 1
    assert (d.path, d.where, d.line) == ((7, 2), "Op/Person/Age", FIRST_LINE + 6)
    assert (diags.items[0].file, diags.items[0].line) == (FILE, FIRST_LINE + 6)
    assert w.line(el) == FIRST_LINE + 1


# --- the value table -----------------------------------------------------------------------------


def test_repeated_values_are_named_once_inner_values_first() -> None:
    table = ValueTable(taken={"V_ADDRESS_1"})
    found, diags = lookup()
    w = SampleWalker(found, diags, FILE, 1, table)
    home = "<p:Home><p:Street>Main</p:Street></p:Home>"
    first = w.complex("Person", xml("<p:Age>1</p:Age>" + home), (), "P")
    again = w.complex("Person", xml("<p:Age>1</p:Age>" + home), (), "P")
    other = w.complex("Person", xml("<p:Age>2</p:Age>" + home), (), "P")
    assert first == again == "V_PERSON_1" and other == "V_PERSON_2"
    assert [(n, e) for n, e, _ in table.definitions] == [
        ("V_ADDRESS_2", 'Address(street="Main")'),  # V_ADDRESS_1 is taken (an import)
        ("V_PERSON_1", "Person(age=1, home=V_ADDRESS_2)"),
        ("V_PERSON_2", "Person(age=2, home=V_ADDRESS_2)"),
    ]
    # an empty record is written inline, never as a constant
    assert w.complex("Address", xml("", root="Address"), (), "A") == "Address()"


def test_value_names_split_class_names_into_words() -> None:
    table = ValueTable()
    assert table.name("HTTPRequestInfo", ["a=1"]) == "V_HTTP_REQUEST_INFO_1"
    assert table.name("ContactEntity", ["a=1"]) == "V_CONTACT_ENTITY_1"


def test_rollback_forgets_the_values_of_an_unusable_sample() -> None:
    table = ValueTable()
    kept = table.name("Address", ['street="a"'])
    mark = table.mark()
    table.name("Address", ['street="b"'])
    table.name("Person", ["home=V_ADDRESS_2"])
    table.rollback(mark)
    assert [n for n, _, _ in table.definitions] == [kept]
    # the names are free again, and an expression seen before the mark is still known
    assert table.name("Address", ['street="c"']) == "V_ADDRESS_2"
    assert table.name("Address", ['street="a"']) == kept
    assert table.name("Person", ["x=1"]) == "V_PERSON_1"
