"""Values for any generated operation, valid for the WSDL's own schema: the request arguments
and the response values of the generic-WSDL conformance checks (test_generic_wsdl.py).

The structure comes from the generated package itself (each record's wire format, each
operation's parameters and result); what the generated code does not carry comes from the
schema files (:class:`SchemaIndex`): the facets of simple types (patterns, lengths, ranges,
digits, enumerations, lists, unions), the real builtin behind a text value (a token, a gYear,
a language), the branches of each xs:choice, fixed values and occurrence bounds. A value is
built for a `variant`: "minimal" (only what the schema requires), "full" (every optional member,
two items of each list) or "random" (a seeded choice per member).
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import random
import re
import re._parser as sre  # the stdlib's regex parser: strings matching a pattern
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lxml import etree

XS = "http://www.w3.org/2001/XMLSchema"
X = f"{{{XS}}}"
WSDL = "{http://schemas.xmlsoap.org/wsdl/}"


def _clark(ns: str, local: str) -> str:
    return f"{{{ns}}}{local}" if ns else local


def _qname(el: etree._Element, value: str) -> str:
    prefix, sep, local = value.strip().rpartition(":")
    if prefix == "xml":
        return _clark("http://www.w3.org/XML/1998/namespace", local)
    ns = el.nsmap.get(prefix if sep else None) or ""
    return _clark(ns, local)


@dataclasses.dataclass
class Facets:
    """What a simple type allows (its own restriction and its bases')."""

    builtin: str = "string"  # the XML Schema builtin it comes down to
    patterns: list[str] = dataclasses.field(default_factory=list)
    enumeration: list[str] = dataclasses.field(default_factory=list)
    length: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    low: decimal.Decimal | None = None  # inclusive bounds
    high: decimal.Decimal | None = None
    total_digits: int | None = None
    fraction_digits: int | None = None
    item: Facets | None = None  # xs:list
    union: list[Facets] = dataclasses.field(default_factory=list)


class SchemaIndex:
    """Every schema of a WSDL folder (its .wsdl and .xsd files, and soapgen's copies of the
    well-known schemas): named and anonymous types by the names soapgen gives them, the
    declarations of their members, their choices."""

    def __init__(self, files: Iterable[Path]) -> None:
        self.simple: dict[str, etree._Element] = {}
        self.complex: dict[str, etree._Element] = {}
        self.elements: dict[str, etree._Element] = {}
        self.attributes: dict[str, etree._Element] = {}
        self.groups: dict[str, etree._Element] = {}
        self.attribute_groups: dict[str, etree._Element] = {}
        self.parts: dict[str, str] = {}  # message part name -> its type (rpc)
        self.tns: dict[etree._Element, str] = {}
        parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
        for path in files:
            try:
                root = etree.parse(str(path), parser).getroot()
            except etree.XMLSyntaxError:
                continue
            for part in root.iter(WSDL + "part"):
                if part.get("type"):
                    self.parts.setdefault(part.get("name", ""), _qname(part, part.get("type", "")))
            schemas = [root] if root.tag == X + "schema" else list(root.iter(X + "schema"))
            for schema in schemas:
                self._schema(schema)

    def _schema(self, schema: etree._Element) -> None:
        tns = schema.get("targetNamespace", "")
        for child in schema:
            name = child.get("name")
            if not isinstance(child.tag, str) or not name:
                continue
            q = _clark(tns, name)
            table = {
                X + "simpleType": self.simple,
                X + "complexType": self.complex,
                X + "element": self.elements,
                X + "attribute": self.attributes,
                X + "group": self.groups,
                X + "attributeGroup": self.attribute_groups,
            }.get(child.tag)
            if table is not None:
                table.setdefault(q, child)
            if child.tag in (X + "element", X + "complexType", X + "group"):
                self._anonymous(child, q, tns)
        for el in schema.iter():
            self.tns[el] = tns

    def _anonymous(self, el: etree._Element, owner: str, tns: str) -> None:
        """Inline complex types under the names soapgen gives them (element name, or
        <owner>_<element>)."""
        if el.tag == X + "element":
            inline = el.find(X + "complexType")
            if inline is None:
                return
            self.complex.setdefault(owner, inline)
            el = inline
        for local in el.iter(X + "element"):
            inline = local.find(X + "complexType")
            if inline is None or local is el or not local.get("name"):
                continue
            parent = self._owner_of(local, el, owner)
            name = f"{parent}_{local.get('name')}"
            self.complex.setdefault(name, inline)

    def _owner_of(self, local: etree._Element, top: etree._Element, owner: str) -> str:
        names = []
        cur = local.getparent()
        while cur is not None and cur is not top:
            if cur.tag == X + "element" and cur.find(X + "complexType") is not None:
                names.append(cur.get("name", ""))
            cur = cur.getparent()
        for n in reversed(names):
            owner = f"{owner}_{n}"
        return owner

    # --- members of a complex type ---------------------------------------------------------
    def members(self, type_name: str) -> list[tuple[str, etree._Element]]:
        """(kind, declaration) of a complex type's own elements ("e") and attributes ("a"),
        through groups, attributeGroups and element refs, its bases' included."""
        ct = self.complex.get(type_name)
        if ct is None:
            return []
        out: list[tuple[str, etree._Element]] = []
        self._walk(ct, out, 0)
        return out

    def _walk(self, el: etree._Element, out: list[tuple[str, etree._Element]], depth: int) -> None:
        if depth > 40:
            return
        for child in el:
            tag = child.tag
            if tag == X + "element":
                ref = child.get("ref")
                decl = self.elements.get(_qname(child, ref)) if ref else child
                if decl is not None:
                    out.append(("e", _occurs(decl, child)))
            elif tag == X + "attribute":
                ref = child.get("ref")
                decl = self.attributes.get(_qname(child, ref)) if ref else child
                if decl is not None:
                    out.append(("a", decl))
            elif tag == X + "group" and child.get("ref"):
                group = self.groups.get(_qname(child, child.get("ref", "")))
                if group is not None:
                    self._walk(group, out, depth + 1)
            elif tag == X + "attributeGroup" and child.get("ref"):
                group = self.attribute_groups.get(_qname(child, child.get("ref", "")))
                if group is not None:
                    self._walk(group, out, depth + 1)
            elif tag in (X + "extension", X + "restriction") and child.getparent() is not None:
                base = _qname(child, child.get("base", ""))
                if child.getparent().tag == X + "complexContent" and tag == X + "extension":
                    base_ct = self.complex.get(base)
                    if base_ct is not None:
                        self._walk(base_ct, out, depth + 1)
                elif child.getparent().tag == X + "simpleContent" and base in self.complex:
                    inherited: list[tuple[str, etree._Element]] = []
                    self._walk(self.complex[base], inherited, depth + 1)
                    own = {d.get("name") for k, d in _walk_list(self, child) if k == "a"}
                    out += [(k, d) for k, d in inherited if d.get("name") not in own]
                self._walk(child, out, depth + 1)
            elif tag in (
                X + "sequence",
                X + "choice",
                X + "all",
                X + "complexContent",
                X + "simpleContent",
            ):
                self._walk(child, out, depth + 1)

    def member(self, type_name: str, local: str, attribute: bool) -> etree._Element | None:
        for kind, decl in self.members(type_name):
            if (kind == "a") == attribute and decl.get("name") == local:
                return decl
        return None

    def choices(self, type_name: str) -> list[tuple[list[set[str]], bool]]:
        """The xs:choice groups of a complex type: (branches as sets of element names,
        whether one branch is required)."""
        ct = self.complex.get(type_name)
        out: list[tuple[list[set[str]], bool]] = []
        if ct is not None:
            self._choices(ct, out, True, 0)
        return out

    def _choices(
        self, el: etree._Element, out: list[tuple[list[set[str]], bool]], required: bool, depth: int
    ) -> None:
        if depth > 40:
            return
        for child in el:
            tag = child.tag
            here = required and child.get("minOccurs", "1") != "0"
            if tag == X + "choice":
                branches = []
                for branch in child:
                    names: list[tuple[str, etree._Element]] = []
                    if branch.tag in (X + "element", X + "group"):
                        self._walk(_wrap(branch), names, 0)
                    elif branch.tag in (X + "sequence", X + "all"):
                        self._walk(branch, names, 0)
                    if names:
                        branches.append({d.get("name", "") for _, d in names})
                    if branch.tag in (X + "sequence", X + "all"):  # a choice within a branch
                        self._choices(branch, out, here, depth + 1)
                    elif branch.tag == X + "group" and branch.get("ref"):
                        group = self.groups.get(_qname(branch, branch.get("ref", "")))
                        if group is not None:
                            self._choices(group, out, here, depth + 1)
                out.append((branches, here))
            elif tag == X + "group" and child.get("ref"):
                group = self.groups.get(_qname(child, child.get("ref", "")))
                if group is not None:
                    self._choices(group, out, here, depth + 1)
            elif tag == X + "extension":
                base = self.complex.get(_qname(child, child.get("base", "")))
                if base is not None:
                    self._choices(base, out, here, depth + 1)
                self._choices(child, out, here, depth + 1)
            elif tag in (X + "sequence", X + "all", X + "complexContent"):
                self._choices(child, out, here, depth + 1)

    # --- simple types ------------------------------------------------------------------------
    def facets(self, decl: etree._Element | None = None, type_name: str = "") -> Facets:
        """The facets of a declaration's type (its type attribute or inline simple type), or
        of a type by name."""
        if decl is not None:
            if decl.get("type"):
                type_name = _qname(decl, decl.get("type", ""))
            else:
                inline = decl.find(X + "simpleType")
                if inline is not None:
                    return self._simple(inline, 0)
                inline_ct = decl.find(X + "complexType")
                if inline_ct is not None:
                    return self._content(inline_ct, 0)
                return Facets()
        return self._named(type_name, 0)

    def _named(self, name: str, depth: int) -> Facets:
        if name.startswith(f"{{{XS}}}"):
            return Facets(builtin=name[len(XS) + 2 :])
        if name.endswith("}guid"):
            return Facets(builtin="guid")
        if depth > 30:
            return Facets()
        if name in self.simple:
            return self._simple(self.simple[name], depth + 1)
        if name in self.complex:
            return self._content(self.complex[name], depth + 1)
        return Facets()

    def _content(self, ct: etree._Element, depth: int) -> Facets:
        """The text type of a complex type with simple content."""
        for deriv in ct.iterfind(f"{X}simpleContent/*"):
            if deriv.tag in (X + "extension", X + "restriction"):
                f = self._named(_qname(deriv, deriv.get("base", "")), depth + 1)
                return self._restrict(f, deriv) if deriv.tag == X + "restriction" else f
        return Facets()

    def _simple(self, st: etree._Element, depth: int) -> Facets:
        r = st.find(X + "restriction")
        if r is not None:
            inline = r.find(X + "simpleType")
            base = (
                self._simple(inline, depth + 1)
                if inline is not None
                else self._named(_qname(r, r.get("base", "")), depth + 1)
            )
            return self._restrict(base, r)
        lst = st.find(X + "list")
        if lst is not None:
            inline = lst.find(X + "simpleType")
            item = (
                self._simple(inline, depth + 1)
                if inline is not None
                else self._named(_qname(lst, lst.get("itemType", "")), depth + 1)
            )
            return Facets(builtin="list", item=item)
        union = st.find(X + "union")
        if union is not None:
            members = [
                self._named(_qname(union, m), depth + 1)
                for m in (union.get("memberTypes") or "").split()
            ]
            members += [self._simple(s, depth + 1) for s in union.iterfind(X + "simpleType")]
            return Facets(builtin="union", union=members)
        return Facets()

    @staticmethod
    def _restrict(base: Facets, r: etree._Element) -> Facets:
        f = dataclasses.replace(base, patterns=list(base.patterns), enumeration=[])
        enum = [e.get("value", "") for e in r.iterfind(X + "enumeration")]
        f.enumeration = enum or list(base.enumeration)
        for facet in r:
            value = facet.get("value", "")
            name = etree.QName(facet).localname if isinstance(facet.tag, str) else ""
            try:
                if name == "pattern":
                    f.patterns.append(value)
                elif name == "length":
                    f.length = int(value)
                elif name == "minLength":
                    f.min_length = int(value)
                elif name == "maxLength":
                    f.max_length = int(value)
                elif name == "minInclusive":
                    f.low = decimal.Decimal(value)
                elif name == "maxInclusive":
                    f.high = decimal.Decimal(value)
                elif name == "minExclusive":
                    f.low = decimal.Decimal(value) + 1
                elif name == "maxExclusive":
                    f.high = decimal.Decimal(value) - 1
                elif name == "totalDigits":
                    f.total_digits = int(value)
                elif name == "fractionDigits":
                    f.fraction_digits = int(value)
            except (ValueError, decimal.InvalidOperation):
                continue
        return f


def _wrap(el: etree._Element) -> etree._Element:
    holder = etree.Element(X + "sequence", nsmap=el.nsmap)
    holder.append(etree.fromstring(etree.tostring(el)))
    return holder


def _walk_list(index: SchemaIndex, el: etree._Element) -> list[tuple[str, etree._Element]]:
    out: list[tuple[str, etree._Element]] = []
    index._walk(el, out, 0)
    return out


def _occurs(decl: etree._Element, use: etree._Element) -> etree._Element:
    """The declaration, with the occurrence bounds of the place using it (a ref)."""
    if use is decl or (use.get("minOccurs") is None and use.get("maxOccurs") is None):
        return decl
    copy = etree.fromstring(etree.tostring(decl))
    for attr in ("minOccurs", "maxOccurs"):
        if use.get(attr) is not None:
            copy.set(attr, use.get(attr, ""))
        elif attr in copy.attrib:
            del copy.attrib[attr]
    return copy


# --- strings matching XML Schema patterns --------------------------------------------------

_XSD_ESCAPES = {
    r"\i": "[A-Za-z_:]",
    r"\I": "[0-9]",
    r"\c": "[A-Za-z0-9._:-]",
    r"\C": "[ ]",
}


def _python_pattern(pattern: str) -> str:
    for k, v in _XSD_ESCAPES.items():
        pattern = pattern.replace(k, v)
    pattern = re.sub(r"\\p\{[^}]*\}", "[A-Za-z]", pattern)
    pattern = re.sub(r"\\P\{[^}]*\}", "[0-9]", pattern)
    return pattern


def from_pattern(pattern: str, rnd: random.Random) -> str:
    return "".join(_emit(sre.parse(_python_pattern(pattern)), rnd))


def _emit(parsed: Any, rnd: random.Random) -> list[str]:
    out: list[str] = []
    for op, arg in parsed:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "ANY":
            out.append("a")
        elif name == "IN":
            out.append(_from_class(arg, rnd))
        elif name in ("MAX_REPEAT", "MIN_REPEAT"):
            low, high, sub = arg
            high = low + 2 if str(high) == "MAXREPEAT" else high
            for _ in range(rnd.randint(low, max(low, min(high, low + 2)))):
                out += _emit(sub, rnd)
        elif name == "SUBPATTERN":
            out += _emit(arg[-1], rnd)
        elif name == "BRANCH":
            out += _emit(rnd.choice(arg[1]), rnd)
        elif name == "CATEGORY":
            out.append(_category(str(arg)))
    return out


def _category(name: str) -> str:
    return {"CATEGORY_DIGIT": "7", "CATEGORY_SPACE": " ", "CATEGORY_WORD": "w"}.get(name, "x")


def _from_class(items: Any, rnd: random.Random) -> str:
    negate = any(str(op) == "NEGATE" for op, _ in items)
    choices: list[str] = []
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            choices.append(chr(arg))
        elif name == "RANGE":
            low, high = arg
            choices.append(chr(rnd.randint(low, min(high, low + 25))))
        elif name == "CATEGORY":
            choices.append(_category(str(arg)))
    if negate:
        return next(c for c in "kQ7_" if c not in choices)
    return rnd.choice(choices) if choices else "a"


# --- values ----------------------------------------------------------------------------------

MINIMAL, FULL, RANDOM = "minimal", "full", "random"


class Unbuildable(Exception):
    """No valid value (a required recursion, an abstract type without a subtype)."""


class Values:
    """Builds values for the generated package `rt` (its _runtime) against `index`."""

    def __init__(self, rt: Any, index: SchemaIndex, variant: str, seed: int = 0) -> None:
        self.rt, self.index, self.variant = rt, index, variant
        self.rnd = random.Random(f"{variant}-{seed}")

    def _present(self, required: bool) -> bool:
        if required:
            return True
        if self.variant == MINIMAL:
            return False
        if self.variant == FULL:
            return True
        return self.rnd.random() < 0.6

    def _count(self, decl: etree._Element | None) -> int:
        low = int(decl.get("minOccurs", "1")) if decl is not None else 0
        high_text = decl.get("maxOccurs", "1") if decl is not None else "unbounded"
        high = 10**6 if high_text == "unbounded" else int(high_text)
        wanted = {MINIMAL: low, FULL: max(low, 2)}.get(self.variant, self.rnd.randint(low, low + 2))
        return min(max(wanted, low), high)

    # --- one value ----------------------------------------------------------------------------
    def value(self, v: Any, decl: etree._Element | None, depth: int, type_name: str = "") -> Any:
        rt = self.rt
        if isinstance(v, rt.Nillable):
            v = v.inner
        if decl is not None and decl.get("fixed") is not None and hasattr(v, "parse_text"):
            return v.parse_text(decl.get("fixed"))
        if isinstance(v, rt.RecordOf):
            return self.record(v.cls, depth + 1)
        if isinstance(v, rt.Enumeration):
            members = list(v.cls)
            return members[0] if self.variant == MINIMAL else self.rnd.choice(members)
        if isinstance(v, rt.Flags):
            members = [m for m in v.members.values() if m.value and m.value & (m.value - 1) == 0]
            chosen = v.cls(0)
            for m in members[: self.rnd.randint(1, max(1, min(2, len(members))))]:
                chosen |= m
            return chosen
        if isinstance(v, rt.ArrayOf | rt.EncodedArrayOf):
            item_decl, item_type = self._item_decl(decl, type_name, v)
            n = self._count(item_decl)
            if isinstance(v, rt.EncodedArrayOf):  # zeep cannot write an empty one: one at least
                n = max(1, min(2, self._count(None)))
            return [self.value(v.item, item_decl, depth + 1, item_type) for _ in range(n)]
        if isinstance(v, rt.DictOf):
            return {} if self.variant == MINIMAL else {self.value(v.key, None, depth): None}
        facets = self.index.facets(decl, type_name) if decl is not None or type_name else Facets()
        return self.scalar(v, facets)

    def _item_decl(
        self, decl: etree._Element | None, type_name: str, v: Any
    ) -> tuple[etree._Element | None, str]:
        """The declaration (or type) of the items of an array whose declaration is `decl`."""
        if decl is not None and decl.get("type"):
            type_name = _qname(decl, decl.get("type", ""))
        ct = self.index.complex.get(type_name)
        if ct is None:
            return None, ""
        if isinstance(v, self.rt.EncodedArrayOf):
            for attr in ct.iter(X + "attribute"):
                declared = attr.get("{http://schemas.xmlsoap.org/wsdl/}arrayType")
                if declared:
                    return None, _qname(attr, declared[: declared.index("[")])
        members = [d for k, d in self.index.members(type_name) if k == "e"]
        return (members[0], "") if members else (None, "")

    def scalar(self, v: Any, f: Facets) -> Any:
        name = v.name.removeprefix("xs:")
        if f.builtin == "union" and f.union:
            f = f.union[0]
        if f.patterns and name != "string" and not f.enumeration:  # a number of 10 digits
            default = dataclasses.replace(f, patterns=[])
            text = self._text(dataclasses.replace(default, builtin=name))
            if all(re.fullmatch(_python_pattern(p), text) for p in f.patterns):
                return v.parse_text(text)
            return v.parse_text(self._text(f))
        if f.builtin == "list":
            item = f.item or Facets()
            return " ".join(
                str(self._text(item)) for _ in range(1 if f.length is None else f.length)
            )
        if name == "string":
            return self._text(f)
        if f.enumeration:
            return v.parse_text(
                f.enumeration[0] if self.variant == MINIMAL else self.rnd.choice(f.enumeration)
            )
        if name == "boolean":
            return self.variant != MINIMAL and self.rnd.random() < 0.7
        if name in _INT_RANGES:
            low, high = _INT_RANGES[name]
            if f.low is not None:
                low = max(low, int(f.low))
            if f.high is not None:
                high = min(high, int(f.high))
            if f.total_digits:
                high = min(high, 10**f.total_digits - 1)
                low = max(low, -(10**f.total_digits - 1))
            return (
                self.rnd.randint(low, max(low, min(high, low + 1000)))
                if low > -1000
                else (self.rnd.randint(max(low, 0 if high >= 0 else low), min(high, 1000)))
            )
        if name == "decimal":
            digits = f.fraction_digits if f.fraction_digits is not None else 2
            low = f.low if f.low is not None else decimal.Decimal(0)
            value = low + decimal.Decimal(self.rnd.randint(0, 99)) / 10 ** min(digits, 2)
            if f.high is not None and value > f.high:
                value = f.high
            if f.total_digits is not None and len(value.as_tuple().digits) > f.total_digits:
                value = decimal.Decimal(1)
            return value
        if name in ("float", "double"):
            return float(self.rnd.choice([0.5, 1.25, 42.0, -3.5]))
        if name == "dateTime":
            return datetime.datetime(2024, 5, 17, 10, 20, 30)
        if name == "date":
            return datetime.date(2024, 5, 17)
        if name == "time":
            return datetime.time(10, 20, 30)
        if name == "duration":
            return datetime.timedelta(hours=1, minutes=30)
        if name in ("base64Binary", "hexBinary"):
            size = f.length if f.length is not None else (f.min_length or 6)
            return (b"\x00\x01soap" * (size // 6 + 1))[: max(size, f.min_length or 0)]
        if name == "wcf:guid":
            return uuid.UUID(int=self.rnd.getrandbits(128))
        return v.parse_text(self._text(f))

    def _text(self, f: Facets) -> str:
        if f.enumeration:
            return f.enumeration[0] if self.variant == MINIMAL else self.rnd.choice(f.enumeration)
        builtin = f.builtin
        if f.patterns:
            for _ in range(20):
                text = from_pattern(f.patterns[-1], self.rnd)
                if all(re.fullmatch(_python_pattern(p), text) for p in f.patterns):
                    return text
            return text
        text = {
            "language": "en",
            "gYear": "2024",
            "gYearMonth": "2024-05",
            "gMonth": "--05",
            "gMonthDay": "--05-17",
            "gDay": "---17",
            "anyURI": "http://example.invalid/x",
            "QName": "q",
            "boolean": "true",
            "date": "2024-05-17",
            "dateTime": "2024-05-17T10:20:30",
            "time": "10:20:30",
            "duration": "PT1H",
            "decimal": "1.5",
            "double": "1.5",
            "float": "1.5",
            "base64Binary": "AAE=",
            "hexBinary": "0A0B",
        }.get(builtin)
        if text is None and builtin in _INT_RANGES:
            low, high = _INT_RANGES[builtin]
            low = max(low, int(f.low)) if f.low is not None else max(low, 0)
            text = str(min(high, low + 1))
        if text is None:
            words = ["value", "soap", "Ärger & <x>", "a b"] if builtin == "string" else ["val"]
            text = self.rnd.choice(words) if self.variant == RANDOM else "value"
        low = f.length if f.length is not None else f.min_length
        high = f.length if f.length is not None else f.max_length
        if low is not None and len(text) < low:
            text = (text * (low // max(len(text), 1) + 1))[: max(low, len(text))]
        if high is not None and len(text) > high:
            text = text[:high]
        if low is not None and len(text) < low:
            text = text + "x" * (low - len(text))
        return text

    # --- records -------------------------------------------------------------------------------
    def record(self, cls: type, depth: int) -> Any:
        rt = self.rt
        wire = rt.wire_of(cls)
        if self._abstract(wire.qname):
            subs = [s for s in _subtypes(rt, wire) if not self._abstract(rt.wire_of(s).qname)]
            if not subs:
                raise Unbuildable(f"{cls.__name__} is abstract and has no subtype")
            return self.record(subs[0] if self.variant != RANDOM else self.rnd.choice(subs), depth)
        if depth > 12:
            raise Unbuildable(f"{cls.__name__}: nested too deep")
        values: dict[str, Any] = {}
        chain = [c.__dict__["__wire__"] for c in reversed(cls.__mro__) if "__wire__" in c.__dict__]
        for w in chain:
            skip = self._unchosen(w.qname)
            for f in w.own:
                local = f.tag.rpartition("}")[2]
                attribute = f.kind == 1
                decl = self.index.member(w.qname, local, attribute) if f.kind != 2 else None
                if f.kind == 2:  # simple content
                    facets = self.index.facets(type_name=w.qname)
                    values[f.name] = (
                        self.scalar(f.value, facets)
                        if not isinstance(f.value, rt.Enumeration)
                        else self.value(f.value, None, depth)
                    )
                    continue
                if local in skip:
                    continue
                required = (
                    f.required
                    or (decl is not None and decl.get("minOccurs", "1") != "0" and not attribute)
                    or (attribute and decl is not None and decl.get("use") == "required")
                )
                if f.repeated:
                    n = self._count(decl)
                    if depth > 6 and (decl is None or decl.get("minOccurs", "1") == "0"):
                        n = 0
                    values[f.name] = [self.value(f.value, decl, depth) for _ in range(n)]
                elif self._present(required) and (required or depth <= 6):
                    try:
                        values[f.name] = self.value(f.value, decl, depth)
                    except Unbuildable:
                        if required:
                            raise
        return cls(**values)

    def _abstract(self, qname: str) -> bool:
        ct = self.index.complex.get(qname)
        return ct is not None and ct.get("abstract") in ("true", "1")

    def _unchosen(self, type_name: str) -> set[str]:
        """The element names of the branches not taken of the type's choices."""
        skip: set[str] = set()
        for branches, required in self.index.choices(type_name):
            if not branches:
                continue
            take = None
            if required or self._present(False):
                take = branches[0] if self.variant != RANDOM else self.rnd.choice(branches)
            for b in branches:
                if b is not take:
                    skip |= b - (take or set())
        return skip

    # --- an operation's arguments ------------------------------------------------------------
    def arguments(
        self, op: Any, wrapper: str, wire_names: dict[str, str], rpc: bool
    ) -> dict[str, Any]:
        """Keyword arguments for a call of `op` (a generated _rt.Operation) whose request
        element (anonymous type) is `wrapper`; wire_names: parameter -> its wire local name."""
        out: dict[str, Any] = {}
        skip = self._unchosen(wrapper) if not rpc else set()
        for py, v, _ in op.params:
            local = wire_names.get(py, py)
            if rpc:
                decl = None
                type_name = self.index.parts.get(local, "")
                out[py] = self.value(v, decl, 0, type_name)
                continue
            decl = self.index.member(wrapper, local, False)
            if decl is None:
                decl = self.index.member(wrapper, local, True)
            if local in skip:
                continue
            attribute = decl is not None and decl.tag == X + "attribute"
            required = decl is None or (
                decl.get("use") == "required" if attribute else decl.get("minOccurs", "1") != "0"
            )
            if py == "request" and decl is None:  # a bare body: the record itself
                out[py] = self.value(v, None, 0)
                continue
            if isinstance(v, self.rt.values.Many):  # a repeated element: a list of its values
                if required or self._present(False):
                    out[py] = [self.value(v.item, decl, 0) for _ in range(self._count(decl))]
            elif self._present(required):
                out[py] = self.value(v, decl, 0)
        return out


def _subtypes(rt: Any, wire: Any) -> list[type]:
    out: list[type] = []
    for sub in wire.subtypes.values():
        out.append(sub)
        out += _subtypes(rt, rt.wire_of(sub))
    return out


_INT_RANGES = {
    "int": (-(2**31), 2**31 - 1),
    "integer": (-(10**6), 10**6),
    "long": (-(2**63), 2**63 - 1),
    "short": (-(2**15), 2**15 - 1),
    "byte": (-128, 127),
    "nonNegativeInteger": (0, 10**6),
    "positiveInteger": (1, 10**6),
    "nonPositiveInteger": (-(10**6), 0),
    "negativeInteger": (-(10**6), -1),
    "unsignedLong": (0, 2**64 - 1),
    "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 255),
    "wcf:char": (32, 126),
}
