"""How values are read from a reply: one reader for every record class, driven by the field
specs generated modules declare with :func:`bind`.

A generated module declares its records as plain classes, then describes each one's wire
format below them: the element (or attribute) each field is read from and the value it holds
(:class:`Value`: a scalar codec, an enumeration, a record, a WCF array or dictionary). Writing
stays generated code (specialised, it is the hot path of building requests); reading is this
module. Everything that can be wrong in a reply surfaces as a :class:`WireError` naming the
element path, the value and what was expected; the client turns it into a
MalformedResponseError naming the operation.

Replies are parsed without comments and processing instructions (:mod:`.xmlsafe`), so text
split by them reads whole and list items are elements only.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Generic, TypeVar

from lxml import etree

from .xmlsafe import XSI_NIL, get_xsi_type

_T = TypeVar("_T")
_K = TypeVar("_K")
_E = TypeVar("_E", bound=enum.Enum)
_FL = TypeVar("_FL", bound=enum.Flag)
Writer = Callable[[str], object]  # appends markup (list.append)


class WireError(ValueError):
    """A reply value that cannot be read: the element path from the reply's element down, the
    text found (if any) and what was expected."""

    def __init__(self, message: str, path: Iterable[str] = (), text: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = list(path)
        self.text = text

    def at(self, step: str) -> WireError:
        self.path.insert(0, step)
        return self

    def __str__(self) -> str:
        where = "/".join(self.path)
        found = "" if self.text is None else f" (found {_shorten(self.text)!r})"
        return f"{where}: {self.message}{found}" if where else f"{self.message}{found}"


def _shorten(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "..."


def _local(tag: object) -> str:
    return str(tag).rpartition("}")[2]


def _is_nil(el: etree._Element) -> bool:
    value = el.get(XSI_NIL)
    return value is not None and value.strip() in ("true", "1")


# --- values -------------------------------------------------------------------------------


class Value(Generic[_T]):
    """How one value is read from an element, and what a Python value of it must be."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name  # what is expected, as messages say it: "xs:int", "TicketEntity"

    def read(self, el: etree._Element) -> _T:
        """The value an element holds (WireError when it holds none of this type)."""
        if len(el):
            raise WireError(f"expected {self.name} text, found element {_local(el[0].tag)}")
        text = el.text
        return self.parse_text("" if text is None else text)

    def parse_text(self, text: str) -> _T:
        """The value of a text (an element's, or an attribute's)."""
        raise WireError(f"a {self.name} is not held by text")

    def accepts(self, value: object) -> bool:
        """Is `value` a Python value of this type (the check of a call's arguments)?"""
        raise NotImplementedError


class Text(Value[str]):
    """xs:string and its kin: the text as it is."""

    __slots__ = ()

    def read(self, el: etree._Element) -> str:
        if len(el):
            raise WireError(f"expected {self.name} text, found element {_local(el[0].tag)}")
        text = el.text
        return "" if text is None else text

    def parse_text(self, text: str) -> str:
        return text

    def accepts(self, value: object) -> bool:
        return isinstance(value, str)


class Scalar(Value[_T]):
    """A builtin simple type read with a parse function (`parse` raises ValueError)."""

    __slots__ = ("parse", "types")

    def __init__(self, name: str, parse: Callable[[str], _T], types: type | tuple[type, ...]):
        super().__init__(name)
        self.parse = parse
        self.types = types

    def parse_text(self, text: str) -> _T:
        try:
            return self.parse(text)
        except ValueError as exc:
            raise WireError(f"not a valid {self.name}: {exc}", text=text) from None

    def accepts(self, value: object) -> bool:
        if isinstance(value, bool) and bool not in _as_tuple(self.types):
            return False  # True is an int to Python, not to XML Schema
        return isinstance(value, self.types)


def _as_tuple(t: type | tuple[type, ...]) -> tuple[type, ...]:
    return t if isinstance(t, tuple) else (t,)


class Enumeration(Value[_E]):
    """An enumeration: the member whose value is the text."""

    __slots__ = ("cls", "members")

    def __init__(self, cls: type[_E]) -> None:
        super().__init__(cls.__name__)
        self.cls = cls
        self.members: dict[str, _E] = {str(m.value): m for m in cls}

    def parse_text(self, text: str) -> _E:
        member = self.members.get(text)
        if member is None:
            member = self.members.get(text.strip(" \t\r\n"))  # the whiteSpace facet: collapse
            if member is None:
                raise WireError(f"not a value of {self.name}", text=text)
        return member

    def accepts(self, value: object) -> bool:
        return isinstance(value, self.cls)


class Flags(Value[_FL]):
    """A WCF flag enumeration (an xs:list of names): the members, or-ed."""

    __slots__ = ("cls", "members")

    def __init__(self, cls: type[_FL], members: Mapping[str, _FL]) -> None:
        super().__init__(cls.__name__)
        self.cls = cls
        self.members = dict(members)

    def parse_text(self, text: str) -> _FL:
        result = self.cls(0)
        for name in text.split():
            member = self.members.get(name)
            if member is None:
                raise WireError(f"{name!r} is not a value of {self.name}", text=text)
            result |= member
        return result

    def accepts(self, value: object) -> bool:
        return isinstance(value, self.cls)


class RecordOf(Value[_T]):
    """A record class (or one of its subtypes, by xsi:type)."""

    __slots__ = ("cls",)

    def __init__(self, cls: type[_T]) -> None:
        super().__init__(cls.__name__)
        self.cls = cls

    def read(self, el: etree._Element) -> _T:
        return read_record(self.cls, el)

    def accepts(self, value: object) -> bool:
        return isinstance(value, self.cls)


class ArrayOf(Value[list[_T]]):
    """A WCF array (ArrayOfX): its item elements, as a list."""

    __slots__ = ("item", "tag", "nillable")

    def __init__(self, item: Value[_T], tag: str) -> None:
        super().__init__(f"list[{item.name}]")
        self.item, self.tag = _unwrapped(item), tag
        self.nillable = isinstance(item, Nillable)

    def read(self, el: etree._Element) -> list[_T]:
        out: list[Any] = []
        item, tag = self.item, self.tag
        for i, ch in enumerate(el):
            if not isinstance(ch.tag, str):
                continue  # a comment in a document not read by the client's parser
            if ch.tag != tag:
                raise WireError(f"expected {_local(tag)} items, found {_local(ch.tag)}").at(
                    f"[{i}]"
                )
            if ch.text is None and _is_nil(ch):
                if not self.nillable:
                    raise WireError(f"an item of {self.name} cannot be nil").at(f"[{i}]")
                out.append(None)
                continue
            try:
                out.append(item.read(ch))
            except WireError as exc:
                raise exc.at(f"{_local(tag)}[{i}]") from None
        return out

    def accepts(self, value: object) -> bool:
        return isinstance(value, list) and all(
            (v is None and self.nillable) or self.item.accepts(v) for v in value
        )


class DictOf(Value[dict[_K, _T]]):
    """A WCF dictionary: pair elements whose Key and Value children are found by name."""

    __slots__ = ("key", "value", "pair", "key_tag", "value_tag", "nillable")

    def __init__(
        self, key: Value[_K], value: Value[_T], pair: str, key_tag: str, value_tag: str
    ) -> None:
        super().__init__(f"dict[{key.name}, {value.name}]")
        self.key, self.value, self.pair = key, _unwrapped(value), pair
        self.key_tag, self.value_tag = key_tag, value_tag
        self.nillable = isinstance(value, Nillable)

    def read(self, el: etree._Element) -> dict[_K, _T]:
        out: dict[Any, Any] = {}
        for i, pair in enumerate(el):
            if not isinstance(pair.tag, str):
                continue
            step = f"{_local(pair.tag)}[{i}]"
            if pair.tag != self.pair:
                raise WireError(f"expected {_local(self.pair)} pairs").at(step)
            key_el = value_el = None
            for ch in pair:
                if not isinstance(ch.tag, str):
                    continue
                if ch.tag == self.key_tag and key_el is None:
                    key_el = ch
                elif ch.tag == self.value_tag and value_el is None:
                    value_el = ch
                else:
                    raise WireError(f"unexpected {_local(ch.tag)} in a pair").at(step)
            if key_el is None:
                raise WireError(f"a pair without {_local(self.key_tag)}").at(step)
            try:
                key = self.key.read(key_el)
            except WireError as exc:
                raise exc.at(_local(self.key_tag)).at(step) from None
            if value_el is None or (value_el.text is None and _is_nil(value_el)):
                if not self.nillable:
                    raise WireError(f"{_local(self.value_tag)} is missing or nil").at(step)
                out[key] = None
                continue
            try:
                out[key] = self.value.read(value_el)
            except WireError as exc:
                raise exc.at(_local(self.value_tag)).at(step) from None
        return out

    def accepts(self, value: object) -> bool:
        return isinstance(value, dict) and all(
            self.key.accepts(k) and ((v is None and self.nillable) or self.value.accepts(v))
            for k, v in value.items()
        )


class Nillable(Value[_T | None]):
    """A value that may be xsi:nil (None): the items of a WCF array or the values of a WCF
    dictionary whose schema says nillable. Only a marker for the array or dictionary."""

    __slots__ = ("inner",)

    def __init__(self, inner: Value[_T]) -> None:
        super().__init__(f"{inner.name} | None")
        self.inner = inner

    def read(self, el: etree._Element) -> _T | None:
        return None if el.text is None and _is_nil(el) else self.inner.read(el)

    def accepts(self, value: object) -> bool:
        return value is None or self.inner.accepts(value)


def nillable(value: Value[_T]) -> Value[_T | None]:
    return Nillable(value)


def _unwrapped(value: Value[Any]) -> Value[Any]:
    return value.inner if isinstance(value, Nillable) else value


_RECORDS: dict[type, RecordOf[Any]] = {}
_ENUMS: dict[type, Enumeration[Any]] = {}
_FLAGS: dict[type, Flags[Any]] = {}
_FLAG_WIRE: dict[type, dict[Any, str]] = {}


def record_of(cls: type[_T]) -> Value[_T]:
    """The reader of a record class (one per class)."""
    found = _RECORDS.get(cls)
    if found is None:
        found = _RECORDS[cls] = RecordOf(cls)
    return found


def enum_of(cls: type[_E]) -> Value[_E]:
    """The reader of an enumeration whose values are its wire names (one per class)."""
    found = _ENUMS.get(cls)
    if found is None:
        found = _ENUMS[cls] = Enumeration(cls)
    return found


def bind_flags(cls: type[_FL], members: Mapping[str, _FL]) -> None:
    """Declare a flag enumeration's wire names: every name it reads (in declaration order; the
    first name of each single-bit member is the one it writes)."""
    _FLAGS[cls] = Flags(cls, members)
    names: dict[Any, str] = {}
    for name, member in members.items():
        names.setdefault(member, name)
    _FLAG_WIRE[cls] = names


def flags_of(cls: type[_FL]) -> Value[_FL]:
    return _FLAGS[cls]


def flag_names(value: enum.Flag) -> str:
    """A flag value's wire form: the names of its single-bit members, space-separated."""
    names = _FLAG_WIRE[type(value)]
    try:
        return " ".join([names[member] for member in value])
    except KeyError as exc:
        raise ValueError(f"no wire name for {exc.args[0]!r}") from None


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
        "index",
        "attrs",
        "text",
        "repeated",
        "required",
        "content_writers",
        "attr_writers",
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
        self.index = {f.tag: f for f in fields if f.kind == ELEMENT}
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
    for base in cls.__mro__[1:]:
        base_wire = _own_wire(base)
        if base_wire is not None and base.__module__ == cls.__module__:
            base_wire.subtypes[qname] = cls
    return cls


def read_record(cls: type[_T], el: etree._Element) -> _T:
    """An instance of `cls` (or of the subtype the element's xsi:type names) from `el`: the
    class defaults stand for what the element does not carry."""
    wire = wire_of(cls)
    if wire.subtypes:
        xsi_type = get_xsi_type(el)
        if xsi_type is not None and xsi_type != wire.qname:
            sub = _subtype(wire, xsi_type)
            if sub is not None:
                cls, wire = sub, wire_of(sub)
    obj = cls.__new__(cls)
    values: dict[str, Any] = obj.__dict__
    for a in wire.attrs:
        raw = el.get(a.tag)
        if raw is not None:
            values[a.name] = _from_text(a.value, raw, "@" + _local(a.tag))
    if wire.text is not None:
        values[wire.text.name] = _from_text(wire.text.value, el.text or "", "(text)")
    index = wire.index
    nils: set[str] | None = None
    for ch in el:
        f = index.get(ch.tag)
        if f is None:
            continue  # elements a later version of the schema added
        if ch.text is None and _is_nil(ch):
            if f.repeated:
                continue
            values.pop(f.name, None)  # the last of repeated elements wins, as for values
            if f.nillable:
                if nils is None:
                    nils = set()
                nils.add(f.name)
            continue
        try:
            value = f.value.read(ch)
        except WireError as exc:
            raise exc.at(_local(ch.tag)) from None
        if f.repeated:
            found = values.get(f.name)
            if found is None:
                values[f.name] = [value]
            else:
                found.append(value)
        else:
            values[f.name] = value
            if nils is not None:
                nils.discard(f.name)
    for name in wire.repeated:
        if name not in values:
            values[name] = []
    for r in wire.required:
        if r.name not in values:
            what = "attribute" if r.kind == ATTRIBUTE else "element"
            raise WireError(f"the {what} {_local(r.tag)} is missing (required by the schema)")
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
