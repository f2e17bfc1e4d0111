"""Values of ``xs:anyType`` (a WCF ``object``: the values of a string-to-object dictionary), typed
by the ``xsi:type`` each one carries.

Reading (what zeep does too):

- ``xsi:type`` naming an XML Schema builtin (``xsd:int``, ``xsd:dateTime``, ...) or a WCF
  serialization type (``ser:guid``, ``ser:char``, ``ser:duration``): the Python value of that type
  (``int``, ``datetime``, ``Decimal``, ``bytes``, ``UUID``, ...), read with the runtime's codec;
  the string types give ``str``;
- ``xsi:type`` naming a record type of the package: that record;
- no ``xsi:type``, or ``xsd:anyType``: ``None`` for an empty element, its text (``str``) for an
  element holding only text; an element with child elements, or one whose ``xsi:type`` the
  package does not know, is returned as the element itself (``lxml.etree._Element``): nothing
  is guessed or lost.

Writing: ``None`` is left out (or nil, as for any field); a ``str``, ``bool``, ``int``
(``xsd:int``, ``xsd:long`` or ``xsd:integer`` by its size), ``float`` (``xsd:double``),
``Decimal``, ``datetime``, ``date``, ``time``, ``timedelta`` (``xsd:duration``), ``bytes``
(``xsd:base64Binary``) or ``UUID`` (``ser:guid``) is written with its ``xsi:type`` (declared on
the element itself); a record with its own type (``i:type``). Anything else is a TypeError.
"""

from __future__ import annotations

import datetime as _dt
import uuid
from decimal import Decimal
from typing import Any

from lxml import etree

from .values import Value, WireError
from .wire import RECORD_TYPES, Writer, read_record, wire_of, write_record
from .xmlsafe import esc, get_xsi_type
from .xsd import CODECS

XS_NS = "http://www.w3.org/2001/XMLSchema"
SER_NS = "http://schemas.microsoft.com/2003/10/Serialization/"
_ANY = f"{{{XS_NS}}}anyType"
_SER = {"guid": "wcf:guid", "char": "wcf:char", "duration": "wcf:duration"}


def codec_key(xsi_type: str) -> str | None:
    """The CODECS key of a simple xsi:type (a Clark name), or None."""
    ns, _, local = xsi_type[1:].partition("}") if xsi_type.startswith("{") else ("", "", "")
    if ns == XS_NS and local in CODECS and local != "anyType":
        return local
    if ns == SER_NS:
        return _SER.get(local)
    return None


class AnyValue(Value[object]):
    """An xs:anyType element (see the module's docstring)."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__("xs:anyType")

    def read(self, el: etree._Element) -> object:
        xsi_type = get_xsi_type(el)
        if xsi_type is not None and xsi_type != _ANY:
            key = codec_key(xsi_type)
            if key is not None:
                if len(el):
                    raise WireError(f"expected {CODECS[key].name} text, found child elements")
                text = el.text or ""
                try:
                    return CODECS[key].parse(text)
                except ValueError as exc:
                    raise WireError(f"not a valid {CODECS[key].name}: {exc}", text=text) from None
            cls = RECORD_TYPES.get(xsi_type)
            if cls is not None:
                return read_record(cls, el)
            return el
        if len(el):
            return el
        return el.text or None

    def parse_text(self, text: str) -> object:
        return text

    def accepts(self, value: object) -> bool:
        return value is None or _type_of(value) is not None or hasattr(type(value), "__wire__")


_ANY_VALUE = AnyValue()


def any_value() -> Value[object]:
    return _ANY_VALUE


def _type_of(value: object) -> tuple[str, str] | None:
    """(namespace, local name) of the xsi:type a simple value is written with."""
    if isinstance(value, bool):
        return XS_NS, "boolean"
    if isinstance(value, int):
        if -(2**31) <= value < 2**31:
            return XS_NS, "int"
        return (XS_NS, "long") if -(2**63) <= value < 2**63 else (XS_NS, "integer")
    for cls, found in _SIMPLE:
        if isinstance(value, cls):
            return found
    return None


_SIMPLE: tuple[tuple[type, tuple[str, str]], ...] = (
    (str, (XS_NS, "string")),
    (float, (XS_NS, "double")),
    (Decimal, (XS_NS, "decimal")),
    (_dt.datetime, (XS_NS, "dateTime")),  # before date: a datetime is a date
    (_dt.date, (XS_NS, "date")),
    (_dt.time, (XS_NS, "time")),
    (_dt.timedelta, (XS_NS, "duration")),
    (bytes, (XS_NS, "base64Binary")),
    (uuid.UUID, (SER_NS, "guid")),
)


def simple_text(value: object) -> tuple[str, str, str] | None:
    """(namespace, type, text) of a simple value as xs:anyType writes it; None for a record."""
    found = _type_of(value)
    if found is None:
        return None
    ns, local = found
    key = local if ns == XS_NS else _SER[local]
    return ns, local, CODECS[key].format(value)


def write_any(value: Any, w: Writer, tag: str) -> None:
    """The element `tag` (prefixed) holding an xs:anyType value with its xsi:type."""
    found = simple_text(value)
    if found is not None:
        ns, local, text = found
        w(f'<{tag} xmlns:x="{ns}" i:type="x:{local}">{esc(text)}</{tag}>')
        return
    if hasattr(type(value), "__wire__"):
        wire_of(type(value))  # a TypeError for a class that is no record
        write_record(value, w, tag, object)
        return
    raise TypeError(
        f"an xs:anyType value must be a str, bool, int, float, Decimal, datetime, date, time,"
        f" timedelta, bytes, UUID or a record, not {type(value).__name__}"
    )
