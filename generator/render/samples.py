"""Read a doc sample envelope against the IR: the Python values it shows, and where it
contradicts its own WSDL.

The walk yields, for a request sample, the header values and the argument expressions a test
passes to the generated client; for a response sample, the expression of the value the client
must return. Elements the schema forbids as written (xsi:nil on a non-nillable element, a
value that is not valid for its type) are deviations: reported as warnings with file and
line, and dropped by the normalization the generated tests apply.
"""

from __future__ import annotations

import datetime
import decimal
import math
import re
import uuid
from dataclasses import dataclass, field

from lxml import etree

from ..config.profiles import ApiProfile
from ..core import ir
from ..core.codecs import CODECS, any_codec, any_written_type
from ..core.diagnostics import Collector
from ..core.envelopes import envelope_parts as envelope_parts
from ..core.xmlsafe import source_line
from ..plan.model import FieldPlan, ValuePlan
from ..plan.records import all_fields
from ..plan.text import Prefixes, bytes_literal, lit
from ..plan.values import Values, field_plan

_XSI_NIL = f"{{{ir.XSI}}}nil"
_XSI_TYPE = f"{{{ir.XSI}}}type"
_DURATION = re.compile(r"^(-)?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


@dataclass
class Deviation:
    path: tuple[int, ...]  # element-child indexes below Body
    where: str  # readable path
    line: int
    reason: str
    fill: str | None = (
        None  # the text the client sends instead (a value type's default); None: dropped
    )


@dataclass
class SampleRead:
    body_tag: str = ""
    headers: dict[str, str] = field(default_factory=dict)  # header part -> expression
    fields: dict[str, str] = field(default_factory=dict)  # wrapper child py_name -> expression
    deviations: list[Deviation] = field(default_factory=list)
    # xs:anyType values: the xsi:type the normalized sample keeps (a reply: the one it carries)
    # or states (a request: the one the client writes for the value), by path below Body
    typed: list[tuple[tuple[int, ...], str]] = field(default_factory=list)
    ok: bool = True


class Unreadable(Exception):
    pass


class ValueTable:
    """The composite values a test module shows, each written once as a module constant.

    Doc samples repeat themselves (the same default entity in Create, Get and Save, the same
    associate as creator and owner), so a value is named by its expression: the first sight
    defines ``V_<CLASS>_<n>``, every later sight refers to it. Inner values are named before
    the values that hold them, so the definitions can be written in order.
    """

    def __init__(self, taken: set[str] | None = None) -> None:
        self.by_expr: dict[str, str] = {}
        self.definitions: list[tuple[str, str, str]] = (
            []
        )  # (name, expression, statement), dependencies first
        self.taken = set(taken or ())
        self._counts: dict[str, int] = {}

    def name(self, cls: str, args: list[str]) -> str:
        expr = f"{cls}(" + ", ".join(args) + ")"
        found = self.by_expr.get(expr)
        if found is not None:
            return found
        stem = "V_" + re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", cls).upper()
        while True:
            self._counts[stem] = self._counts.get(stem, 0) + 1
            name = f"{stem}_{self._counts[stem]}"
            if name not in self.taken:
                break
        self.taken.add(name)
        self.by_expr[expr] = name
        # laid out as black lays it out (one line, or the arguments on one line, or one per line)
        self.definitions.append((name, expr, f"{name} = {expr}"))
        return name

    def mark(self) -> tuple[int, dict[str, int]]:
        return len(self.definitions), dict(self._counts)

    def rollback(self, mark: tuple[int, dict[str, int]]) -> None:
        """Forget what was named since ``mark`` (a sample that turned out unusable)."""
        size, counts = mark
        for name, expr, _ in self.definitions[size:]:
            del self.by_expr[expr]
            self.taken.discard(name)
        del self.definitions[size:]
        self._counts = counts


class SampleWalker:
    def __init__(
        self,
        resolve: ValueLookup,
        diags: Collector,
        file: str,
        first_line: int,
        values: ValueTable | None = None,
        request: bool = False,
    ) -> None:
        self.values = values
        self.request = request  # a request sample: deviations say what the client sends
        self.resolve = resolve
        self.diags = diags
        self.file = file
        self.first_line = first_line
        self.out = SampleRead()
        self.classes: set[str] = set()  # the classes the expressions name (what a test imports)
        self.headers: list[etree._Element] = []  # the envelope's header elements

    def line(self, el: etree._Element) -> int:
        return self.first_line + source_line(el) - 1

    def deviate(
        self,
        el: etree._Element,
        path: tuple[int, ...],
        where: str,
        reason: str,
        fill: str | None = None,
    ) -> None:
        self.out.deviations.append(Deviation(path, where, self.line(el), reason, fill))
        if self.request:
            what = "leaves it out" if fill is None else f"sends the default {fill!r} instead"
        else:
            what = "reads it as absent" if fill is None else f"expects the default {fill!r} instead"
        self.diags.warning(
            "SAMPLE010",
            self.file,
            self.line(el),
            f"{where}: {reason}; the client {what} (a documented deviation)",
        )

    def nil_deviation(
        self, f: ir.Field, child: etree._Element, path: tuple[int, ...], where: str
    ) -> bool:
        """xsi:nil where the WSDL forbids it. True when the field keeps a (default) value."""
        plan = self.resolve.field(f)
        reason = "xsi:nil on an element the WSDL does not declare nillable"
        if not plan.optional and not plan.repeated and plan.default_expr is not None:
            self.deviate(child, path, where, reason, plan.value.default_text)
            return True
        self.deviate(child, path, where, reason)
        return False

    def value_deviation(
        self, f: ir.Field, child: etree._Element, path: tuple[int, ...], where: str, reason: str
    ) -> bool:
        """A value its type cannot hold (an empty xs:duration, a 2147483648 for an xs:int). What
        the client does instead: in a request it sends a plain value type's default, or leaves
        out a field it holds as None; reading a reply it would refuse the value, so the
        normalized reply leaves the element out and the field reads as absent. False when no
        deviation can stand in for the value (a required field without a default)."""
        plan = self.resolve.field(f)
        plain = not plan.optional and not plan.repeated and plan.default_expr is not None
        if self.request and plain and plan.value.default_text is not None:
            self.deviate(child, path, where, reason, plan.value.default_text)
            return True
        if plan.optional or plan.repeated or plan.default_expr is not None:
            self.deviate(child, path, where, reason)
            return True
        return False

    # --- values ------------------------------------------------------------------------
    def value(self, v: ValuePlan, el: etree._Element, path: tuple[int, ...], where: str) -> str:
        if v.kind == "scalar":
            return scalar_literal(v.codec, el.text or "")
        if v.kind in ("enum", "flags"):
            self.classes.add(v.cls)
        if v.kind == "enum":
            member = self.resolve.enum_member(v.cls, (el.text or "").strip())
            if member is None:
                raise Unreadable(f"{el.text!r} is not a value of {v.cls}")
            return f"{v.cls}.{member}"
        if v.kind == "flags":
            names = (el.text or "").split()
            if not names:
                return f"{v.cls}(0)"
            members = []
            for n in names:
                m = self.resolve.enum_member(v.cls, n)
                if m is None:
                    raise Unreadable(f"{n!r} is not a value of {v.cls}")
                members.append(f"{v.cls}.{m}")
            return " | ".join(members)
        if v.kind == "array":
            assert v.item is not None
            items = []
            for i, child in enumerate(_elements(el)):
                if child.get(_XSI_NIL) in ("true", "1"):
                    if v.item_nillable:
                        items.append("None")
                        continue
                    raise Unreadable("xsi:nil on a non-nillable array item")
                items.append(
                    self.value(
                        v.item, child, path + (i,), where + "/" + etree.QName(child).localname
                    )
                )
            return "[" + ", ".join(items) + "]"
        if v.kind == "dict":
            assert v.item is not None and v.key is not None
            pairs = []
            for i, pair in enumerate(_elements(el)):
                kids = _elements(pair)
                if len(kids) != 2:
                    raise Unreadable("a dictionary pair needs Key and Value")
                key = self.value(v.key, kids[0], path + (i, 0), where + "/Key")
                if kids[1].get(_XSI_NIL) in ("true", "1") and v.item_nillable:
                    val = "None"
                else:
                    val = self.value(v.item, kids[1], path + (i, 1), where + "/Value")
                pairs.append(f"{key}: {val}")
            return "{" + ", ".join(pairs) + "}"
        if v.kind == "record":
            return self.complex(v.cls, el, path, where)
        if v.kind == "any":
            return self.any_value(el, path, where)
        raise Unreadable(f"cannot read a {v.kind}")

    def any_value(self, el: etree._Element, path: tuple[int, ...], where: str) -> str:
        """An xs:anyType value as the runtime reads it (templates/runtime/anyvalue.py): typed
        by its xsi:type; without one (or xsd:anyType), its text or None. In a request the
        client writes every value with the xsi:type of its Python type (a str as xsd:string),
        which the normalized sample then states."""
        raw = el.get(_XSI_TYPE)
        xsi_type = _resolve(el, raw) if raw else ""
        if xsi_type == ir.qname(ir.XSD, "anyType"):
            xsi_type = ""
        if len(_elements(el)) and not xsi_type:
            raise Unreadable("an xs:anyType value with child elements and no xsi:type")
        if xsi_type:
            key = any_codec(xsi_type)
            if key is not None:
                try:
                    value = CODECS[key].parse(el.text or "")
                except ValueError as exc:
                    raise Unreadable(str(exc)) from None
                written = any_written_type(value) if self.request else xsi_type
                self.out.typed.append((path, written or xsi_type))
                return _literal(value)
            cls = self.resolve.record_of(xsi_type)
            if cls is None:
                raise Unreadable(f"xsi:type {raw} is not a type of this service")
            self.out.typed.append((path, xsi_type))
            return self.complex(cls, el, path, where)
        text = el.text or ""
        if not text:
            if self.request:  # the client leaves out what is None
                raise Unreadable("an empty xs:anyType value (the client sends no value)")
            return "None"
        if self.request:
            self.out.typed.append((path, ir.qname(ir.XSD, "string")))
        return lit(text)

    def complex(self, cls: str, el: etree._Element, path: tuple[int, ...], where: str) -> str:
        xsi_type = el.get(_XSI_TYPE)
        if xsi_type:
            sub = self.resolve.subtype(cls, _resolve(el, xsi_type))
            if sub is not None:
                cls = sub
        self.classes.add(cls)
        fields = self.resolve.fields(cls)
        args: list[str] = []
        nil: list[str] = []
        for i, child in enumerate(_elements(el)):
            f = fields.get(child.tag)
            cpath = path + (i,)
            cwhere = where + "/" + etree.QName(child).localname
            if f is None:
                raise Unreadable(f"{cwhere} is not a field of {cls}")
            fv = self.resolve.value(f.type)
            if child.get(_XSI_NIL) in ("true", "1"):
                if f.nillable:
                    nil.append(f.py_name)
                else:
                    self.nil_deviation(f, child, cpath, cwhere)
                continue
            try:
                expr = self.value(fv, child, cpath, cwhere)
            except Unreadable as exc:
                if self.value_deviation(f, child, cpath, cwhere, str(exc)):
                    continue
                raise
            if f.repeated:
                args.append(f"{f.py_name}=[{expr}]")  # simplification: one item per sample
            else:
                args.append(f"{f.py_name}={expr}")
        if nil:
            args.append("nil_fields=frozenset({" + ", ".join(lit(n) for n in sorted(nil)) + "})")
        if self.values is not None and args:
            return self.values.name(cls, args)
        return f"{cls}(" + ", ".join(args) + ")"


class ValueLookup:
    """What the walker needs of the plan: values, fields and enum members by class, in the
    scope of one agent module (its own types and the shared ones it sees)."""

    def __init__(
        self,
        values: Values,
        visible: dict[str, ir.TypeDef],
        shared: set[str],
        profile: ApiProfile,
    ) -> None:
        self._values = values
        self._visible = visible
        self._profile = profile
        self._classes = {
            t.py_name: t for t in visible.values() if isinstance(t, ir.ComplexType | ir.EnumType)
        }
        # a subtype is read where its base is expected when both are declared in one module
        self._subtypes: dict[str, list[ir.ComplexType]] = {}
        for t in visible.values():
            base = visible.get(t.base or "") if isinstance(t, ir.ComplexType) else None
            while isinstance(t, ir.ComplexType) and isinstance(base, ir.ComplexType):
                if (base.name in shared) == (t.name in shared):
                    self._subtypes.setdefault(base.name, []).append(t)
                base = visible.get(base.base or "")
        self._members: dict[str, dict[str, str]] = {}
        self._fields: dict[str, dict[str, ir.Field]] = {}

    def value(self, type_name: str) -> ValuePlan:
        return self._values.value(type_name)

    def field(self, f: ir.Field) -> FieldPlan:
        return field_plan(f, self.value(f.type), Prefixes(()), self._profile)

    def enum_member(self, cls: str, wire: str) -> str | None:
        if cls not in self._members:
            t = self._classes[cls]
            assert isinstance(t, ir.EnumType)
            self._members[cls] = {}
            for v in t.values:
                self._members[cls].setdefault(v.wire, v.py_name)
        return self._members[cls].get(wire)

    def fields(self, cls: str) -> dict[str, ir.Field]:
        if cls not in self._fields:
            t = self._classes[cls]
            assert isinstance(t, ir.ComplexType)
            fields = all_fields(t, self._visible)
            self._fields[cls] = {f.qname: f for f in fields if not f.attribute}
        return self._fields[cls]

    def record_of(self, type_name: str) -> str | None:
        """The class of a record type the module sees, by its Clark name."""
        t = self._visible.get(type_name)
        return t.py_name if isinstance(t, ir.ComplexType) else None

    def subtype(self, cls: str, type_name: str) -> str | None:
        t = self._classes[cls]
        for s in self._subtypes.get(t.name, []):
            if s.name == type_name:
                return s.py_name
        return None


def _elements(el: etree._Element) -> list[etree._Element]:
    return [c for c in el if isinstance(c.tag, str)]


def _resolve(el: etree._Element, value: str) -> str:
    prefix, _, local = value.rpartition(":")
    return ir.qname(el.nsmap.get(prefix or None) or "", local)


def scalar_literal(key: str, text: str) -> str:
    """A Python literal for a lexical value, read with the runtime's codec (CODECS[key]);
    Unreadable when the client would refuse the text."""
    try:
        value = CODECS[key].parse(text)
    except ValueError as exc:
        raise Unreadable(str(exc)) from None
    return _literal(value)


def _literal(value: object) -> str:
    if isinstance(value, str):
        return lit(value)
    if isinstance(value, float) and not math.isfinite(value):
        return f"float({lit(repr(value))})"
    if isinstance(value, bool | int | float | datetime.date | datetime.time | datetime.timedelta):
        return repr(value)  # datetime.* reprs name the module the test imports as datetime
    if isinstance(value, decimal.Decimal):
        return f"decimal.Decimal({lit(str(value))})"
    if isinstance(value, bytes):
        return bytes_literal(value)
    if isinstance(value, uuid.UUID):
        return f"uuid.UUID({lit(str(value))})"
    raise Unreadable(f"no literal for {type(value).__name__}")
