"""Independent checks of generated requests and responses: the WSDL's own XML Schema (lxml)
and zeep 4.3.3 as a second SOAP implementation.

Runs inside the subprocess that executes the generated fixture tests (see cf_plugin), where
the generated package is importable; nothing here imports the generator.

Comparison rules (zeep value versus the generated client's Python value), guided by zeep's
view of the WSDL types:

- complex values: the runtime type must agree (zeep's ``_xsd_type.qname`` versus the
  dataclass's ``_qname``); fields are matched by position against zeep's element list of that
  type (base type elements first) and their names must agree loosely (case and underscores
  ignored, a trailing ``_`` or a digit suffix added by the naming step allowed);
- WCF arrays (a complex type whose only particle is one repeated element) are lists on both
  sides; a WCF dictionary (array of Key/Value pairs) is a ``dict`` on the client side and is
  compared pair by pair in order;
- a repeated element that is absent is ``[]``;
- zeep returns ``None`` for an absent element, an ``xsi:nil`` element and an empty string
  element alike; so zeep ``None`` equals client ``None``, equals client ``""`` for
  string-valued types, and equals the client's type default (0, False, "", the first enum
  member, an empty flag set, ``[]`` ...) when the element is optional and not nillable (the
  README's "a value the wire may omit defaults to the type's default");
- scalars compare by value; datetimes and times also by UTC offset (naive versus aware is a
  difference); flags compare as sets of wire names; enums by wire name; UUIDs case-insensitively;
- zeep logging "Error during xml -> python translation" (it then silently yields None) is a
  zeep read error, reported as a disagreement; elements zeep cannot place (``_raw_elements``
  in non-strict mode) are a disagreement too.

zeep itself is used as shipped except for narrow, documented repairs (apply_zeep_fixes,
repair_recursive_types, _nil_items): its reading of empty and nil elements (an empty string
read as None, a nil complex element read as an object of Nones, an empty array read as
None), its resolution of self-referencing extension types (a second copy without the base
type's elements), and its serialization of nil list items (dropped). Without them zeep could
not tell nil, absent and empty apart, which is exactly what the client must get right.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import logging
import os
import re
import sys
import uuid
from dataclasses import dataclass
from typing import Any

from lxml import etree

XS = "http://www.w3.org/2001/XMLSchema"
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
SOAP_NS = {
    "1.1": "http://schemas.xmlsoap.org/soap/envelope/",
    "1.2": "http://www.w3.org/2003/05/soap-envelope",
}

# ------------------------------------------------------------------------------- schema


def write_schema_set(wsdl_path: str, outdir: str) -> str:
    """Every xs:schema of a WSDL as its own .xsd, imports given schemaLocation; returns a
    wrapper .xsd importing all namespaces (the set lxml compiles)."""
    os.makedirs(outdir, exist_ok=True)
    root = etree.parse(
        wsdl_path, etree.XMLParser(resolve_entities=False, no_network=True)
    ).getroot()
    schemas = root.findall(f".//{{{XS}}}schema")
    by_ns: dict[str, list[etree._Element]] = {}
    for s in schemas:
        by_ns.setdefault(s.get("targetNamespace", ""), []).append(s)
    files = {
        ns: [f"s{i}_{j}.xsd" for j in range(len(ss))]
        for i, (ns, ss) in enumerate(sorted(by_ns.items()))
    }
    for ns, ss in by_ns.items():
        for j, s in enumerate(ss):
            copy = etree.fromstring(etree.tostring(s))  # keeps the in-scope namespace declarations
            for imp in copy.findall(f"{{{XS}}}import"):
                target = imp.get("namespace", "")
                if target in files and imp.get("schemaLocation") is None:
                    imp.set("schemaLocation", files[target][0])
            if j == 0:  # several schemas of one namespace: the first includes the others
                for other in files[ns][1:]:
                    copy.insert(0, etree.Element(f"{{{XS}}}include", schemaLocation=other))
            etree.ElementTree(copy).write(
                os.path.join(outdir, files[ns][j]), xml_declaration=True, encoding="utf-8"
            )
    wrapper = etree.Element(f"{{{XS}}}schema", nsmap={"xs": XS})
    for ns, fs in sorted(files.items()):
        etree.SubElement(wrapper, f"{{{XS}}}import", namespace=ns, schemaLocation=fs[0])
    path = os.path.join(outdir, "all.xsd")
    etree.ElementTree(wrapper).write(path, xml_declaration=True, encoding="utf-8")
    return path


def envelope_elements(
    data: bytes, layout: bool = False
) -> tuple[list[etree._Element], etree._Element | None]:
    """Header children (under Header, or straight under Envelope as the docs write them) and
    the Body's first element. layout: drop whitespace-only text of elements with element
    children and of the Body's element (the docs indent empty wrappers), as the generated
    testing.normalize does; line numbers stay those of data."""
    root = etree.fromstring(
        data, etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    )
    if layout:
        for el in root.iter():
            if not isinstance(el.tag, str) or el.text is None or el.text.strip():
                continue
            parent = el.getparent()
            if len(el) or (parent is not None and etree.QName(parent).localname == "Body"):
                el.text = None
    ns = etree.QName(root).namespace
    headers: list[etree._Element] = []
    body = None
    for child in root:
        if not isinstance(child.tag, str):
            continue
        if child.tag == f"{{{ns}}}Header":
            headers.extend(c for c in child if isinstance(c.tag, str))
        elif child.tag == f"{{{ns}}}Body":
            kids = [c for c in child if isinstance(c.tag, str)]
            body = kids[0] if kids else None
        else:
            headers.append(child)
    return headers, body


@dataclass
class SchemaError:
    where: str  # "Header/<tag>" or "Body"
    path: str
    line: int
    message: str

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def validate(schema: etree.XMLSchema, data: bytes, layout: bool = False) -> list[SchemaError]:
    """Validate each Header child and the Body child against its global element declaration."""
    headers, body = envelope_elements(data, layout)
    errors: list[SchemaError] = []
    for where, el in [(f"Header/{etree.QName(h).localname}", h) for h in headers] + [
        ("Body", body)
    ]:
        if el is None:
            errors.append(SchemaError(where, "", 0, "the Body has no element"))
            continue
        # validated in place: the element is the validation root (it must match a global
        # element declaration), namespace prefixes in scope and line numbers are the envelope's
        if not schema.validate(el):
            for e in schema.error_log:
                errors.append(
                    SchemaError(where, readable_path(el, e.path or ""), e.line, e.message)
                )
    return errors


_STEP = re.compile(r"^(?:(\*)|(?:([^:\[]+):)?([^\[]+))(?:\[(\d+)\])?$")


def readable_path(root: etree._Element, path: str) -> str:
    """libxml2 writes default-namespace elements as ``*[n]``; resolve the path against the
    validated element and spell every step by local name (``/Save/Item/Id``)."""
    steps = [s for s in path.split("/") if s]
    if not steps:
        return path
    node: etree._Element | None = root
    out = [etree.QName(root).localname]
    for step in steps[1:]:
        m = _STEP.match(step)
        if node is None or m is None:
            return path
        star, _, local, index = m.groups()
        kids = [c for c in node if isinstance(c.tag, str)]
        if not star:
            kids = [c for c in kids if etree.QName(c).localname == local]
        n = int(index or 1)
        node = kids[n - 1] if 0 < n <= len(kids) else None
        if node is None:
            return path
        same = [c for c in node.getparent() if isinstance(c.tag, str) and c.tag == node.tag]  # type: ignore[union-attr]
        out.append(
            etree.QName(node).localname + (f"[{same.index(node) + 1}]" if len(same) > 1 else "")
        )
    return "/" + "/".join(out)


# --------------------------------------------------------------------------------- zeep


class ZeepLog(logging.Handler):
    """Collects zeep's swallowed conversion errors."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        msg = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            msg += f": {type(record.exc_info[1]).__name__}: {record.exc_info[1]}"
        self.messages.append(msg)


ZEEP_LOG = ZeepLog()
_zlog = logging.getLogger("zeep.xsd.types.simple")
_zlog.addHandler(ZEEP_LOG)
_zlog.setLevel(logging.DEBUG)
_zlog.propagate = False


def zeep_client(wsdl_path: str) -> Any:
    import zeep
    from zeep.transports import Transport

    class NoNetwork(Transport):  # local files load; anything remote is refused
        def _load_remote_data(self, url: str) -> bytes:
            raise OSError(f"network access refused: {url}")

    apply_zeep_fixes()
    client = zeep.Client(
        wsdl_path, settings=zeep.Settings(strict=False, xml_huge_tree=False), transport=NoNetwork()
    )
    client.repaired_types = repair_recursive_types(client.wsdl.types)
    return client


_FIXED = False


def apply_zeep_fixes() -> None:
    """Three zeep 4.3.3 reading quirks that would make it a useless oracle for nil versus
    empty, patched narrowly (documented in the module docstring of the suite):

    - an empty simple element (``<x/>``, not nil) reads as None: it now reads as the type's
      value of "" when that exists ("" for strings, b"" for base64, [] for lists) and stays
      None otherwise (``<int/>`` is invalid anyway);
    - a complex element with ``xsi:nil="true"`` reads as an object with every field None: it
      now reads as None;
    - a present complex element without children or attributes (``<Values/>``, an empty
      array) reads as None: it now reads as an empty object.
    """
    global _FIXED
    if _FIXED:
        return
    from zeep.xsd.types.complex import ComplexType
    from zeep.xsd.types.simple import AnySimpleType

    simple_parse = AnySimpleType.parse_xmlelement
    complex_parse = ComplexType.parse_xmlelement

    def parse_simple(
        self: Any,
        xmlelement: Any,
        schema: Any = None,
        allow_none: bool = True,
        context: Any = None,
        schema_type: Any = None,
    ) -> Any:
        if xmlelement.text is None and not _is_nil(xmlelement):
            try:
                return self.pythonvalue("")
            except Exception:
                pass
        return simple_parse(
            self,
            xmlelement,
            schema,
            allow_none=allow_none,
            context=context,
            schema_type=schema_type,
        )

    def parse_complex(
        self: Any,
        xmlelement: Any,
        schema: Any = None,
        allow_none: bool = True,
        context: Any = None,
        schema_type: Any = None,
    ) -> Any:
        if _is_nil(xmlelement):
            return None
        return complex_parse(
            self, xmlelement, schema, allow_none=False, context=context, schema_type=schema_type
        )

    AnySimpleType.parse_xmlelement = parse_simple
    ComplexType.parse_xmlelement = parse_complex
    _FIXED = True


def _is_nil(el: etree._Element) -> bool:
    return (el.get(XSI_NIL) or "").strip() in ("true", "1")


def repair_recursive_types(types: Any) -> list[str]:
    """zeep resolves a type that refers to itself through an array (HierarchyEntity ->
    Children: ArrayOfHierarchyEntity -> HierarchyEntity) to a second copy without the base
    type's elements. Point every element whose named type differs from the global type of
    that name back to the global type. Returns the repaired element paths."""
    from zeep.xsd.elements import Element

    repaired: list[str] = []
    seen: set[int] = set()

    def visit(t: Any) -> None:
        if id(t) in seen or not _is_complex(t):
            return
        seen.add(id(t))
        for _, el in t.elements:
            if not isinstance(el, Element):
                continue
            q = getattr(el.type, "qname", None)
            if q is not None:
                try:
                    g = types.get_type(q)
                except Exception:
                    g = None
                if (
                    g is not None
                    and g is not el.type
                    and _is_complex(g)
                    and [n for n, _ in g.elements] != [n for n, _ in el.type.elements]
                ):
                    el.type = g
                    repaired.append(f"{getattr(t, 'qname', '')}/{el.name}")
            visit(el.type)

    for t in list(types.types):
        visit(t)
    for e in list(types.elements):
        visit(getattr(e, "type", None))
    return repaired


def zeep_parse(client: Any, el: etree._Element) -> Any:
    """zeep's value of a global element (raises when zeep does not know it)."""
    from zeep.xsd.context import XmlParserContext

    decl = client.wsdl.types.get_element(el.tag)
    return decl, decl.parse(
        el, client.wsdl.types, context=XmlParserContext(settings=client.wsdl.settings)
    )


def zeep_render(decl: Any, value: Any, soap_version: str) -> bytes:
    """A response envelope holding what zeep serializes for value."""
    ns = SOAP_NS[soap_version]
    env = etree.Element(f"{{{ns}}}Envelope", nsmap={"s": ns})
    body = etree.SubElement(env, f"{{{ns}}}Body")
    if value is None and _is_complex(decl.type):
        value = decl.type()  # a wrapper without children (zeep reads it as None)
    _nil_items(decl.type, value)
    decl.render(body, value)
    return bytes(etree.tostring(env, xml_declaration=True, encoding="utf-8"))


def _nil_items(t: Any, v: Any) -> None:
    """zeep renders a None list item as nothing (the item disappears); a None item of a list
    can only come from xsi:nil, so it becomes zeep's Nil."""
    from zeep.xsd.const import Nil

    if v is None or not _is_complex(t):
        return
    actual = getattr(v, "_xsd_type", t)
    for name, el in actual.elements:
        try:
            x = v[name]
        except (KeyError, AttributeError, TypeError):
            continue
        if el.accepts_multiple and isinstance(x, list):
            v[name] = [Nil if (i is None and el.nillable) else i for i in x]
            for i in x:
                _nil_items(el.type, i)
        else:
            _nil_items(el.type, x)


def zeep_operation(client: Any, name: str) -> Any:
    for binding in client.wsdl.bindings.values():
        try:
            return binding.get(name)
        except ValueError:
            continue
    raise KeyError(name)


# ----------------------------------------------------------------------------- compare


@dataclass
class Diff:
    path: str
    zeep: str
    client: str
    why: str

    def as_dict(self) -> dict[str, str]:
        return dataclasses.asdict(self)


def _loose(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def names_agree(py_name: str, wire: str) -> bool:
    a, b = _loose(py_name), _loose(wire)
    return a == b or (a.rstrip("0123456789") == b and a != b.rstrip("0123456789"))


def _short(v: Any, n: int = 160) -> str:
    s = re.sub(r"\s+", " ", repr(v))
    return s if len(s) <= n else s[: n - 3] + "..."


def _is_complex(t: Any) -> bool:
    from zeep.xsd.types.complex import ComplexType

    return isinstance(t, ComplexType)


def _array_item(t: Any) -> Any | None:
    """The repeated element of a WCF array type, else None."""
    if not _is_complex(t) or t.attributes:
        return None
    els = t.elements
    if len(els) == 1 and els[0][1].accepts_multiple:
        return els[0][1]
    return None


def _type_default(p: Any) -> bool:
    """Is p the default of its own type (what the client uses for an omitted value)?"""
    if isinstance(p, enum.Flag):
        return p == type(p)(0)
    if isinstance(p, enum.Enum):
        return p is list(type(p))[0]
    if isinstance(p, bool):
        return p is False
    if isinstance(p, (int, float, decimal.Decimal)):
        return p == 0
    if isinstance(p, (str, bytes, list, dict)):
        return len(p) == 0
    if isinstance(p, datetime.datetime):
        return p == datetime.datetime(1, 1, 1)
    if isinstance(p, datetime.date):
        return p == datetime.date(1, 1, 1)
    if isinstance(p, datetime.time):
        return p == datetime.time(0)
    if isinstance(p, datetime.timedelta):
        return p == datetime.timedelta(0)
    if isinstance(p, uuid.UUID):
        return p.int == 0
    if dataclasses.is_dataclass(p):
        try:
            return bool(p == type(p)())
        except TypeError:
            return False
    return False


def _flag_members(p: enum.Flag) -> dict[str, enum.Flag]:
    """The wire names of a generated flag enumeration (its package's runtime knows them)."""
    package = type(p).__module__.rpartition(".")[0]
    runtime = sys.modules.get(f"{package}._runtime")
    if runtime is None:
        return {m.name: m for m in type(p)}  # type: ignore[misc]
    return dict(runtime.flags_of(type(p)).members)


def _scalar(z: Any, p: Any, ztype: Any) -> str | None:
    """None when equal, else why not."""
    zname = getattr(getattr(ztype, "qname", None), "localname", "") or ""
    if isinstance(p, enum.Flag):
        names = [str(n) for n in z] if isinstance(z, list) else str(z).split()
        members = _flag_members(p)
        unknown = [n for n in names if n not in members]
        if unknown:
            return f"zeep flag names {unknown} unknown to the client"
        zv = type(p)(0)
        for n in names:
            zv |= members[n]
        return None if zv == p else "flag sets differ"
    if isinstance(p, enum.Enum):
        return None if z == p.value else "enum wire value differs"
    if isinstance(p, bool) or isinstance(z, bool):
        return None if (type(p) is bool and type(z) is bool and p == z) else "boolean differs"
    if isinstance(p, uuid.UUID):
        try:
            return None if uuid.UUID(str(z)) == p else "uuid differs"
        except ValueError:
            return "uuid differs"
    if isinstance(p, (datetime.datetime, datetime.time)):
        if not isinstance(z, type(p)):
            return f"zeep gives {type(z).__name__}"
        if (z.utcoffset() is None) != (p.utcoffset() is None):
            return "naive versus timezone-aware"
        if z.replace(tzinfo=None) != p.replace(tzinfo=None) or z.utcoffset() != p.utcoffset():
            return "value or offset differs"
        return None
    if isinstance(p, datetime.timedelta):
        return None if z == p else "duration differs"
    if isinstance(p, datetime.date):  # xs:date (after datetime: a datetime is a date too)
        return None if type(z) is datetime.date and z == p else "date differs"
    if isinstance(p, bytes):
        return None if bytes(z) == p else "bytes differ"
    if isinstance(p, decimal.Decimal):
        try:
            return None if decimal.Decimal(str(z)) == p else "decimal differs"
        except decimal.InvalidOperation:
            return "decimal differs"
    if isinstance(p, float) and isinstance(z, (float, int, decimal.Decimal)):
        zf = float(z)
        return None if (zf == p or (zf != zf and p != p)) else "float differs"
    if type(p) is int and isinstance(z, int) and not isinstance(z, bool):
        return None if z == p else "integer differs"
    if isinstance(p, str) and isinstance(z, str):
        if zname == "guid":
            return None if z.lower() == p.lower() else "string differs"
        return None if z == p else "string differs"
    return f"types differ (zeep {type(z).__name__}, client {type(p).__name__})"


def _unnil(z: Any) -> Any:
    from zeep.xsd.const import Nil

    return None if z is Nil else z


class Comparer:
    """zeep value versus client value along zeep's types; collects Diffs."""

    def __init__(self, types: Any) -> None:
        self.types = types  # zeep schema (client.wsdl.types)
        self.diffs: list[Diff] = []
        self.uncomparable: list[str] = []

    def diff(self, path: str, z: Any, p: Any, why: str) -> None:
        self.diffs.append(Diff(path, _short(z), _short(p), why))

    def element(self, path: str, el: Any, z: Any, p: Any) -> None:
        z = _unnil(z)
        if el.accepts_multiple:
            zl = [] if z is None else list(z)
            pl = [] if p is None else p
            if not isinstance(pl, list):
                self.diff(path, zl, p, "client value of a repeated element is no list")
                return
            if len(zl) != len(pl):
                self.diff(path, zl, pl, f"{len(zl)} items versus {len(pl)}")
                return
            for i, (zi, pi) in enumerate(zip(zl, pl)):
                self.value(f"{path}[{i}]", el.type, zi, pi)
            return
        if z is None:
            if p is None:
                return
            if el.min_occurs == 0 and not el.nillable and _type_default(p):
                return
            if (
                el.nillable
                and _type_default(p)
                and not dataclasses.is_dataclass(p)
                and not isinstance(p, (list, dict))
            ):
                # nil (or absent) on a nillable element read as the type's default by the client
                self.diff(path, z, p, "zeep None (absent or nil), client the type's default")
                return
            self.diff(path, z, p, "zeep None (absent, nil or empty), client has a value")
            return
        if p is None:
            self.diff(path, z, p, "client None, zeep has a value")
            return
        self.value(path, el.type, z, p)

    def value(self, path: str, t: Any, z: Any, p: Any) -> None:
        z = _unnil(z)
        if z is None and p is None:
            return
        if z is None or p is None:
            self.diff(path, z, p, "one side is None")
            return
        if not _is_complex(t):
            from zeep.xsd.types.any import AnyType

            if isinstance(t, AnyType) and not hasattr(t, "pythonvalue"):
                self.uncomparable.append(path)
                return
            why = _scalar(z, p, t)
            if why:
                self.diff(path, z, p, why)
            return
        actual = getattr(z, "_xsd_type", t)
        item = _array_item(actual)
        if item is not None:
            zl = getattr(z, item.attr_name, None) if not isinstance(z, list) else z
            zl = [] if zl is None else list(zl)
            if isinstance(p, dict):
                pairs = list(p.items())
                if len(zl) != len(pairs):
                    self.diff(path, zl, p, f"{len(zl)} pairs versus {len(pairs)}")
                    return
                kv = dict(item.type.elements) if _is_complex(item.type) else {}
                if set(kv) != {"Key", "Value"}:
                    self.diff(path, zl, p, "client dict, zeep array of non Key/Value items")
                    return
                for i, (zi, (k, v)) in enumerate(zip(zl, pairs)):
                    self.element(f"{path}[{i}]/Key", kv["Key"], getattr(zi, "Key", None), k)
                    self.element(f"{path}[{i}]/Value", kv["Value"], getattr(zi, "Value", None), v)
                return
            if not isinstance(p, list):
                self.diff(path, zl, p, "array: client value is no list")
                return
            if len(zl) != len(p):
                self.diff(path, zl, p, f"{len(zl)} items versus {len(p)}")
                return
            for i, (zi, pi) in enumerate(zip(zl, p)):
                if zi is None and pi is None:
                    continue
                self.value(f"{path}/{item.attr_name}[{i}]", item.type, zi, pi)
            return
        if not dataclasses.is_dataclass(p):
            self.diff(path, z, p, "client value of a complex type is no dataclass")
            return
        zq = str(getattr(actual, "qname", None) or "")
        pq = str(getattr(type(p), "_qname", "") or "")
        if zq and pq and zq != pq:
            self.diff(path + "/@xsi:type", zq, pq, "runtime types differ")
            return
        self.fields(path, actual, z, p)

    def fields(self, path: str, ztype: Any, z: Any, p: Any) -> None:
        raw = (
            z.__values__.get("_raw_elements")
            if z is not None and hasattr(z, "__values__")
            else None
        )
        if raw:
            self.diff(
                path,
                [etree.QName(e).localname for e in raw],
                "",
                "zeep could not place these elements (unknown or out of order)",
            )
        els = [(n, e) for n, e in ztype.elements]
        if any(n.startswith("_value_") for n, _ in els):
            self.uncomparable.append(path)
        els = [(n, e) for n, e in els if not n.startswith("_value_")]
        pfields = [f for f in dataclasses.fields(p) if f.name != "nil_fields"]
        if len(els) != len(pfields):
            self.diff(path, [n for n, _ in els], [f.name for f in pfields], "field lists differ")
            return
        for (n, e), f in zip(els, pfields):
            if not names_agree(f.name, n):
                self.diff(f"{path}/{n}", n, f.name, "field names differ")
                continue
            zv = z[n] if z is not None else None
            self.element(f"{path}/{n}", e, zv, getattr(p, f.name))


def compare_wrapper(types: Any, decl: Any, z: Any, values: list[Any]) -> Comparer:
    """zeep's wrapper value versus the client's values of its children, in order: for a
    request the build arguments; for a response [result] when the wrapper has one child (the
    client returns it unwrapped), else the fields of the result dataclass."""
    c = Comparer(types)
    els = list(decl.type.elements) if _is_complex(decl.type) else []
    name = etree.QName(decl.qname).localname
    if len(els) != len(values):
        c.diff(
            name,
            [n for n, _ in els],
            _short(values),
            f"{len(els)} wrapper children versus {len(values)} client values",
        )
        return c
    for (n, e), v in zip(els, values):
        c.element(f"{name}/{n}", e, z[n] if z is not None else None, v)
    return c


def client_fields(result: Any) -> list[Any]:
    return [getattr(result, f.name) for f in dataclasses.fields(result) if f.name != "nil_fields"]


# -------------------------------------------------------------------------------- xml diff


def xml_diffs(actual: bytes, expected: bytes, limit: int = 5) -> list[dict[str, str]]:
    """Where two envelopes differ: XPath-like location, expected and actual."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    a = etree.fromstring(actual, parser)
    e = etree.fromstring(expected, parser)
    out: list[dict[str, str]] = []
    _xdiff(a, e, "/" + _pfx(e), out, limit)
    return out


def _pfx(el: etree._Element) -> str:
    return etree.QName(el).localname


def _kids(el: etree._Element) -> list[etree._Element]:
    return [c for c in el if isinstance(c.tag, str)]


def _attrs(el: etree._Element) -> dict[str, str]:
    return {k: v for k, v in el.attrib.items()}


def _xdiff(
    a: etree._Element, e: etree._Element, path: str, out: list[dict[str, str]], limit: int
) -> None:
    if len(out) >= limit:
        return
    if a.tag != e.tag:
        out.append({"path": path, "expected": e.tag, "actual": a.tag, "what": "element name"})
        return
    if _attrs(a) != _attrs(e):
        out.append(
            {
                "path": path,
                "expected": repr(_attrs(e)),
                "actual": repr(_attrs(a)),
                "what": "attributes",
            }
        )
    at, et = (a.text or ""), (e.text or "")
    if not _kids(a) and not _kids(e) and at != et:
        out.append({"path": path, "expected": _short(et), "actual": _short(at), "what": "text"})
    ak, ek = _kids(a), _kids(e)
    i = j = 0
    while i < len(ak) or j < len(ek):
        if len(out) >= limit:
            return
        if i < len(ak) and j < len(ek) and ak[i].tag == ek[j].tag:
            _xdiff(ak[i], ek[j], f"{path}/{_pfx(ek[j])}", out, limit)
            i += 1
            j += 1
            continue
        # a missing or extra element: look ahead to resynchronise
        a_rest = [c.tag for c in ak[i:]]
        e_rest = [c.tag for c in ek[j:]]
        if j < len(ek) and ek[j].tag not in a_rest:
            out.append(
                {
                    "path": f"{path}/{_pfx(ek[j])}",
                    "expected": _short(_brief(ek[j])),
                    "actual": "(missing)",
                    "what": "missing element",
                }
            )
            j += 1
        elif i < len(ak) and ak[i].tag not in e_rest:
            out.append(
                {
                    "path": f"{path}/{_pfx(ak[i])}",
                    "expected": "(absent)",
                    "actual": _short(_brief(ak[i])),
                    "what": "extra element",
                }
            )
            i += 1
        else:
            out.append(
                {
                    "path": f"{path}/{_pfx(ek[j]) if j < len(ek) else _pfx(ak[i])}",
                    "expected": " ".join(_pfx_tag(t) for t in e_rest[:6]),
                    "actual": " ".join(_pfx_tag(t) for t in a_rest[:6]),
                    "what": "element order",
                }
            )
            return


def _pfx_tag(tag: str) -> str:
    return tag.rpartition("}")[2]


def _brief(el: etree._Element) -> str:
    s = etree.tostring(el, encoding="unicode", with_tail=False)
    return re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", s)
