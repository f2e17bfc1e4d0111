"""How records are read and written: the field specs generated modules declare with
:func:`bind`, one reader for every record class, and the element around a record's generated
writers.

A generated module declares its records as plain classes, then describes each one's wire
format below them: the element (or attribute) each field is read from and the value it holds
(:mod:`.values`). Writing stays generated code (specialised, it is the hot path of building
requests); reading is this module. A reply value that cannot be read surfaces as a WireError
naming the element path; the client turns it into a MalformedResponseError naming the
operation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from lxml import etree

from .values import (
    Enumeration,
    Flags,
    Scalar,
    Text,
    Value,
    WireError,
    invalid_value,
    is_nil_element,
    local_name,
)
from .xmlsafe import get_xsi_type

_T = TypeVar("_T")
Writer = Callable[[str], object]  # appends markup (list.append)


class RecordOf(Value[_T]):
    """A record class (or one of its subtypes, by xsi:type)."""

    __slots__ = ("cls", "_wire")

    def __init__(self, cls: type[_T]) -> None:
        super().__init__(cls.__name__)
        self.cls = cls
        self._wire: Wire | None = None

    def read(self, el: etree._Element) -> _T:
        wire = self._wire
        if wire is None:
            wire = self._wire = wire_of(self.cls)
        return _read(wire, el)  # type: ignore[no-any-return]

    def accepts(self, value: object) -> bool:
        return isinstance(value, self.cls)

    def misfit(self, value: object, where: str) -> str | None:
        if not isinstance(value, self.cls):
            return super().misfit(value, where)
        wire = wire_of(type(value))
        fields = (*wire.index.values(), *wire.attrs, *(() if wire.text is None else (wire.text,)))
        for f in fields:
            v = getattr(value, f.name, None)
            if v is None:
                continue
            found: str | None
            if not f.repeated:
                found = f.value.misfit(v, f"{where}.{f.name}")
            elif isinstance(v, list):
                found = None
                for i, item in enumerate(v):
                    found = found or f.value.misfit(item, f"{where}.{f.name}[{i}]")
            else:
                found = f"{where}.{f.name} must be list[{f.value.name}], not {type(v).__name__}"
            if found is not None:
                return found
        return None


_RECORDS: dict[type, RecordOf[Any]] = {}
# every bound record class of the package by its schema type (an xs:anyType value names one
# with xsi:type; the first class bound for a type wins)
RECORD_TYPES: dict[str, type] = {}


def record_of(cls: type[_T]) -> Value[_T]:
    """The reader of a record class (one per class)."""
    found = _RECORDS.get(cls)
    if found is None:
        found = _RECORDS[cls] = RecordOf(cls)
    return found


# --- records ------------------------------------------------------------------------------

ELEMENT, ATTRIBUTE, TEXT = 0, 1, 2


class Field:
    """Where one field of a record is on the wire."""

    __slots__ = ("name", "tag", "value", "kind", "repeated", "nillable", "required")

    def __init__(
        self,
        name: str,
        tag: str,
        value: Value[Any],
        kind: int = ELEMENT,
        repeated: bool = False,
        nillable: bool = False,
        required: bool = False,
    ) -> None:
        self.name, self.tag, self.value, self.kind = name, tag, value, kind
        self.repeated, self.nillable, self.required = repeated, nillable, required


def element(
    name: str,
    tag: str,
    value: Value[Any],
    *,
    repeated: bool = False,
    nillable: bool = False,
    required: bool = False,
) -> Field:
    """A field held by a child element (`repeated`: every such child, as a list)."""
    return Field(name, tag, value, ELEMENT, repeated, nillable, required)


def attribute(name: str, tag: str, value: Value[Any], *, required: bool = False) -> Field:
    return Field(name, tag, value, ATTRIBUTE, required=required)


def text(name: str, value: Value[Any]) -> Field:
    """simpleContent: the element's own text."""
    return Field(name, "", value, TEXT, required=True)


class Wire:
    """A record class's wire format: its own fields, its writers, and (worked out on first use)
    everything its reader needs with the fields of its bases."""

    __slots__ = (
        "cls",
        "qname",
        "xsi_type",
        "own",
        "write_content",
        "write_attrs",
        "subtypes",
        "_ready",
        "fields",
        "index",
        "attrs",
        "text",
        "repeated",
        "required",
        "content_writers",
        "attr_writers",
        "table",
    )

    def __init__(
        self,
        cls: type,
        qname: str,
        xsi_type: str,
        own: tuple[Field, ...],
        write_content: Callable[[Any, Writer], None] | None,
        write_attrs: Callable[[Any, Writer], None] | None,
    ) -> None:
        self.cls, self.qname, self.xsi_type, self.own = cls, qname, xsi_type, own
        self.write_content, self.write_attrs = write_content, write_attrs
        self.subtypes: dict[str, type] = {}
        self._ready = False

    def ready(self) -> Wire:
        if self._ready:
            return self
        chain = [w for w in (_own_wire(c) for c in reversed(self.cls.__mro__)) if w is not None]
        fields = [f for w in chain for f in w.own]
        self.fields = tuple(fields)  # every field, bases first, in wire order
        self.index = {f.tag: f for f in fields if f.kind == ELEMENT}
        # per child element tag: (field name, how its value is read, reader, repeated, nillable)
        self.table = {
            f.tag: (f.name, *_reading(f.value), f.repeated, f.nillable)
            for f in fields
            if f.kind == ELEMENT
        }
        self.attrs = tuple(f for f in fields if f.kind == ATTRIBUTE)
        texts = [f for f in fields if f.kind == TEXT]
        self.text = texts[-1] if texts else None
        self.repeated = tuple(f.name for f in fields if f.repeated)
        self.required = tuple(f for f in fields if f.required and f.kind != TEXT)
        self.content_writers = tuple(w.write_content for w in chain if w.write_content)
        self.attr_writers = tuple(w.write_attrs for w in chain if w.write_attrs)
        self._ready = True
        return self


def _own_wire(cls: type) -> Wire | None:
    found = cls.__dict__.get("__wire__")
    return found if isinstance(found, Wire) else None


def wire_of(cls: type) -> Wire:
    found = _own_wire(cls)
    if found is None:
        raise TypeError(f"{cls.__name__} is not a generated record class")
    return found.ready()


def bind(
    cls: type[_T],
    qname: str,
    xsi_type: str,
    fields: tuple[Field, ...],
    write: Callable[[Any, Writer], None] | None = None,
    attrs: Callable[[Any, Writer], None] | None = None,
) -> type[_T]:
    """Declare `cls`'s wire format: its schema type `qname` (`xsi_type`: that name as the
    generated markup writes it, with its prefix), its own fields (its bases declare theirs),
    the generated writers of its own content and attributes. A subtype declared in the same
    module as its base is read where the base is expected (xsi:type)."""
    wire = Wire(cls, qname, xsi_type, fields, write, attrs)
    cls.__wire__ = wire  # type: ignore[attr-defined]
    if qname:
        RECORD_TYPES.setdefault(qname, cls)
    for base in cls.__mro__[1:]:
        base_wire = _own_wire(base)
        if base_wire is not None and base.__module__ == cls.__module__:
            base_wire.subtypes[qname] = cls
    return cls


_TEXT_AS_IS, _TEXT_PARSED, _ELEMENT = 0, 1, 2  # how a child's value is read (Wire.table)


def _reading(value: Value[Any]) -> tuple[int, Callable[[Any], Any]]:
    if isinstance(value, Text):
        return _TEXT_AS_IS, value.parse_text
    if isinstance(value, Scalar):
        return _TEXT_PARSED, value.parse  # raises ValueError: see _read
    if isinstance(value, Enumeration | Flags):
        return _TEXT_PARSED, value.parse_text
    return _ELEMENT, value.read


def read_record(cls: type[_T], el: etree._Element) -> _T:
    """An instance of `cls` (or of the subtype the element's xsi:type names) from `el`: the
    class defaults stand for what the element does not carry."""
    return _read(wire_of(cls), el)  # type: ignore[no-any-return]


def _read(wire: Wire, el: etree._Element) -> Any:
    if wire.subtypes:
        xsi_type = get_xsi_type(el)
        if xsi_type is not None and xsi_type != wire.qname:
            sub = _subtype(wire, xsi_type)
            if sub is not None:
                wire = wire_of(sub)
    cls: Any = wire.cls
    obj = cls.__new__(cls)
    values: dict[str, Any] = obj.__dict__
    for a in wire.attrs:
        raw = el.get(a.tag)
        if raw is not None:
            values[a.name] = _from_text(a.value, raw, "@" + local_name(a.tag))
    if wire.text is not None:
        values[wire.text.name] = _from_text(wire.text.value, el.text or "", "(text)")
    elif el.text is not None and el.text.strip(" \t\n\r"):  # layout whitespace is no content
        raise WireError(f"expected {wire.cls.__name__} content, found text", text=el.text)
    get = wire.table.get
    nils: set[str] | None = None
    for ch in el:
        f = get(ch.tag)
        if f is None:
            continue  # elements a later version of the schema added
        name, how, read, repeated, nillable = f
        text = ch.text
        if text is None:
            if is_nil_element(ch):
                if repeated:
                    continue
                values.pop(name, None)  # the last of repeated elements wins, as for values
                if nillable:
                    if nils is None:
                        nils = set()
                    nils.add(name)
                continue
            text = ""
        if how == _ELEMENT:
            try:
                value = read(ch)
            except WireError as exc:
                raise exc.at(local_name(ch.tag)) from None
        else:
            if len(ch):
                expected = wire.index[ch.tag].value.name
                inner = local_name(ch[0].tag)
                raise WireError(f"expected {expected} text, found element {inner}").at(
                    local_name(ch.tag)
                )
            try:
                value = read(text)
            except ValueError as exc:
                if not isinstance(exc, WireError):
                    exc = invalid_value(wire.index[ch.tag].value.name, exc, text)
                raise exc.at(local_name(ch.tag)) from None
        if repeated:
            found = values.get(name)
            if found is None:
                values[name] = [value]
            else:
                found.append(value)
        else:
            values[name] = value
            if nils is not None:
                nils.discard(name)
    for name in wire.repeated:
        if name not in values:
            values[name] = []
    for r in wire.required:
        if r.name not in values:
            what = "attribute" if r.kind == ATTRIBUTE else "element"
            raise WireError(f"the {what} {local_name(r.tag)} is missing (required by the schema)")
    if nils:
        values["nil_fields"] = frozenset(nils)
    return obj


def _subtype(wire: Wire, xsi_type: str) -> type | None:
    found = wire.subtypes.get(xsi_type)
    if found is not None:
        return found
    for sub in list(wire.subtypes.values()):  # a subtype of a subtype
        nested = _subtype(wire_of(sub), xsi_type)
        if nested is not None:
            return nested
    return None


def _from_text(value: Value[Any], raw: str, step: str) -> Any:
    """A value held by an attribute or by simple content (no element around it)."""
    try:
        return value.parse_text(raw)
    except WireError as exc:
        raise exc.at(step) from None


def write_record(obj: Any, w: Writer, tag: str, declared: type) -> None:
    """The element `tag` holding record `obj` (xsi:type when obj is a subtype of `declared`)."""
    wire = wire_of(type(obj))
    w("<" + tag)
    if type(obj) is not declared:
        w(' i:type="' + wire.xsi_type + '"')
    for write_attrs in wire.attr_writers:
        write_attrs(obj, w)
    w(">")
    for write_content in wire.content_writers:
        write_content(obj, w)
    w("</" + tag + ">")
