"""How values are read from a reply's elements: the builtin types (one shared reader per XML
Schema type, :func:`scalar`), enumerations and flags, WCF arrays and dictionaries. Every value
that cannot be read is a :class:`WireError` naming the element path, the text found and what
was expected.

Replies are parsed without comments and processing instructions (:mod:`.xmlsafe`), so text
split by them reads whole and list items are elements only.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Generic, TypeVar, cast

from lxml import etree

from . import xsd
from .xmlsafe import XSI_NIL

_T = TypeVar("_T")
_K = TypeVar("_K")
_E = TypeVar("_E", bound=enum.Enum)
_FL = TypeVar("_FL", bound=enum.Flag)


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


def local_name(tag: object) -> str:
    return str(tag).rpartition("}")[2]


def is_nil_element(el: etree._Element) -> bool:
    value = el.get(XSI_NIL)
    return value is not None and value.strip(" \t\r\n") in ("true", "1")


def invalid_value(name: str, exc: ValueError, text: str) -> WireError:
    """The WireError of a text a parse function refused (`exc`: the codecs name type and
    text themselves)."""
    message = str(exc)
    if message.startswith("invalid "):
        return WireError(message)
    return WireError(f"not a valid {name}: {message}", text=text)


# --- values -------------------------------------------------------------------------------


class Value(Generic[_T]):
    """How one value is read from an element, and what a Python value of it must be."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name  # what is expected, as messages say it: "xs:int", "TicketEntity"

    def read(self, el: etree._Element) -> _T:
        """The value an element holds (WireError when it holds none of this type)."""
        if len(el):
            raise WireError(f"expected {self.name} text, found element {local_name(el[0].tag)}")
        text = el.text
        return self.parse_text("" if text is None else text)

    def parse_text(self, text: str) -> _T:
        """The value of a text (an element's, or an attribute's)."""
        raise WireError(f"a {self.name} is not held by text")

    def accepts(self, value: object) -> bool:
        """Is `value` a Python value of this type (the check of a call's arguments)?"""
        raise NotImplementedError

    def misfit(self, value: object, where: str) -> str | None:
        """Where `value`, or a value inside it (a record's field, a list's item), is not of
        its declared type: a message naming that place (`where` for `value` itself), the type
        expected and the one given; None when everything fits."""
        if self.accepts(value):
            return None
        return f"{where} must be {self.name}, not {type(value).__name__} ({shown(value)})"


def shown(value: object) -> str:
    """A value in a message: its repr, shortened."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class Text(Value[str]):
    """xs:string and its kin: the text as it is."""

    __slots__ = ()

    def read(self, el: etree._Element) -> str:
        if len(el):
            raise WireError(f"expected {self.name} text, found element {local_name(el[0].tag)}")
        text = el.text
        return "" if text is None else text

    def parse_text(self, text: str) -> str:
        return text

    def accepts(self, value: object) -> bool:
        return isinstance(value, str)


class Scalar(Value[_T]):
    """A builtin simple type read with a parse function (`parse` raises ValueError) and written
    with a format function (the mock server's replies)."""

    __slots__ = ("parse", "types", "format")

    def __init__(
        self,
        name: str,
        parse: Callable[[str], _T],
        types: type | tuple[type, ...],
        format: Callable[[_T], str] = str,
    ):
        super().__init__(name)
        self.parse = parse
        self.types = types
        self.format = format

    def parse_text(self, text: str) -> _T:
        try:
            return self.parse(text)
        except ValueError as exc:
            raise invalid_value(self.name, exc, text) from None

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
        try:
            return xsd.parse_flags(text, self.members, self.cls(0))
        except ValueError as exc:
            raise WireError(f"not a value of {self.name}: {exc}", text=text) from None

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
                raise WireError(f"expected {local_name(tag)} items").at(
                    f"{local_name(ch.tag)}[{i}]"
                )
            if ch.text is None and is_nil_element(ch):
                if not self.nillable:
                    raise WireError(f"an item of {self.name} cannot be nil").at(
                        f"{local_name(tag)}[{i}]"
                    )
                out.append(None)
                continue
            try:
                out.append(item.read(ch))
            except WireError as exc:
                raise exc.at(f"{local_name(tag)}[{i}]") from None
        return out

    def accepts(self, value: object) -> bool:
        return isinstance(value, list) and all(
            (v is None and self.nillable) or self.item.accepts(v) for v in value
        )

    def misfit(self, value: object, where: str) -> str | None:
        if not isinstance(value, list):
            return super().misfit(value, where)
        for i, v in enumerate(value):
            if v is not None or not self.nillable:
                found = self.item.misfit(v, f"{where}[{i}]")
                if found is not None:
                    return found
        return None


class Many(Value[list[_T]]):
    """A parameter that is a repeated element: a list of its values (checked; read one element
    at a time, by the mock server's reading of requests: a reply's repeated elements are read
    by their record or result)."""

    __slots__ = ("item",)

    def __init__(self, item: Value[_T]) -> None:
        super().__init__(f"list[{item.name}]")
        self.item = item

    def read(self, el: etree._Element) -> list[_T]:
        return [self.item.read(el)]

    def accepts(self, value: object) -> bool:
        return isinstance(value, list) and all(self.item.accepts(v) for v in value)

    def misfit(self, value: object, where: str) -> str | None:
        if not isinstance(value, list):
            return super().misfit(value, where)
        for i, v in enumerate(value):
            found = self.item.misfit(v, f"{where}[{i}]")
            if found is not None:
                return found
        return None


def many(item: Value[_T]) -> Value[list[_T]]:
    return Many(item)


class EncodedArrayOf(Value[list[_T]]):
    """A SOAP-encoded array (soapenc:Array): its element children, whatever their name, as a
    list. A multi-reference item (href="#id") is not read: an error, never an empty value."""

    __slots__ = ("item", "nillable")

    def __init__(self, item: Value[_T]) -> None:
        super().__init__(f"list[{item.name}]")
        self.item = _unwrapped(item)
        self.nillable = isinstance(item, Nillable)

    def read(self, el: etree._Element) -> list[_T]:
        out: list[Any] = []
        for i, ch in enumerate(el):
            if not isinstance(ch.tag, str):
                continue
            step = f"{local_name(ch.tag)}[{i}]"
            if ch.get("href") is not None:
                raise WireError("multi-reference (href) items are not supported").at(step)
            if ch.text is None and is_nil_element(ch):
                if not self.nillable:
                    raise WireError(f"an item of {self.name} cannot be nil").at(step)
                out.append(None)
                continue
            try:
                out.append(self.item.read(ch))
            except WireError as exc:
                raise exc.at(step) from None
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
            step = f"{local_name(pair.tag)}[{i}]"
            if pair.tag != self.pair:
                raise WireError(f"expected {local_name(self.pair)} pairs").at(step)
            key_el = value_el = None
            for ch in pair:
                if not isinstance(ch.tag, str):
                    continue
                if ch.tag == self.key_tag and key_el is None:
                    key_el = ch
                elif ch.tag == self.value_tag and value_el is None:
                    value_el = ch
                else:
                    raise WireError(f"unexpected {local_name(ch.tag)} in a pair").at(step)
            if key_el is None:
                raise WireError(f"a pair without {local_name(self.key_tag)}").at(step)
            try:  # a nil key (string keys are nillable in WCF schemas) reads as its empty text
                key = self.key.read(key_el)
            except WireError as exc:
                raise exc.at(local_name(self.key_tag)).at(step) from None
            if value_el is None or (value_el.text is None and is_nil_element(value_el)):
                if not self.nillable:
                    raise WireError(f"{local_name(self.value_tag)} is missing or nil").at(step)
                out[key] = None
                continue
            try:
                out[key] = self.value.read(value_el)
            except WireError as exc:
                raise exc.at(local_name(self.value_tag)).at(step) from None
        return out

    def accepts(self, value: object) -> bool:
        return isinstance(value, dict) and all(
            self.key.accepts(k) and ((v is None and self.nillable) or self.value.accepts(v))
            for k, v in value.items()
        )

    def misfit(self, value: object, where: str) -> str | None:
        if not isinstance(value, dict):
            return super().misfit(value, where)
        for k, v in value.items():
            found = self.key.misfit(k, f"{where} (a key)")
            if found is None and (v is not None or not self.nillable):
                found = self.value.misfit(v, f"{where}[{shown(k)}]")
            if found is not None:
                return found
        return None


class Nillable(Value[_T | None]):
    """A value that may be xsi:nil (None): the items of a WCF array or the values of a WCF
    dictionary whose schema says nillable. Only a marker for the array or dictionary."""

    __slots__ = ("inner",)

    def __init__(self, inner: Value[_T]) -> None:
        super().__init__(f"{inner.name} | None")
        self.inner = inner

    def read(self, el: etree._Element) -> _T | None:
        return None if el.text is None and is_nil_element(el) else self.inner.read(el)

    def accepts(self, value: object) -> bool:
        return value is None or self.inner.accepts(value)

    def misfit(self, value: object, where: str) -> str | None:
        return None if value is None else self.inner.misfit(value, where)


def nillable(value: Value[_T]) -> Value[_T | None]:
    return Nillable(value)


def _unwrapped(value: Value[Any]) -> Value[Any]:
    return value.inner if isinstance(value, Nillable) else value


_ENUMS: dict[type, Enumeration[Any]] = {}
_FLAGS: dict[type, Flags[Any]] = {}
_FLAG_WIRE: dict[type, dict[Any, str]] = {}


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
    return xsd.fmt_flags(value, _FLAG_WIRE[type(value)])


_MADE: dict[str, Value[Any]] = {}


def scalar(key: str, py: type[_T]) -> Value[_T]:
    """The reader of the builtin type xsd.CODECS[key] ("int", "dateTime", "wcf:guid", ...),
    whose values are `py`s; "string" reads the text as it is."""
    found = _MADE.get(key)
    if found is None:
        codec = xsd.CODECS[key]
        if key == "string":
            found = Text(codec.name)
        else:
            accepted: tuple[type, ...] = (py,)
            if py is float:
                accepted = (float, int)
            found = Scalar(codec.name, codec.parse, accepted, codec.format)
        _MADE[key] = found
    return cast(Value[_T], found)
