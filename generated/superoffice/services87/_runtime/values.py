"""The readers of XML Schema's builtin types (and WCF's serialization types), one shared
instance per type: generated modules name them with :func:`scalar` in their field specs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from . import xsd
from .wire import Scalar, Text, Value

_T = TypeVar("_T")

_STRING_TYPES = (
    "string normalizedString token language Name NCName NMTOKEN ID IDREF ENTITY anyURI QName"
    " NOTATION anySimpleType anyType gYear gYearMonth gMonth gMonthDay gDay"
).split()
_INTEGER_TYPES = (
    "int integer long short byte nonNegativeInteger nonPositiveInteger negativeInteger"
    " positiveInteger unsignedLong unsignedInt unsignedShort unsignedByte wcf:char"
).split()
_PARSERS: dict[str, tuple[Callable[[str], Any], tuple[str, ...]]] = {
    "boolean": (xsd.parse_bool, ("bool",)),
    "float": (xsd.parse_float, ("float", "int")),
    "double": (xsd.parse_float, ("float", "int")),
    "decimal": (xsd.parse_decimal, ("Decimal", "int")),
    "dateTime": (xsd.parse_datetime, ("datetime",)),
    "date": (xsd.parse_date, ("date",)),
    "time": (xsd.parse_time, ("time",)),
    "duration": (xsd.parse_duration, ("timedelta",)),
    "wcf:duration": (xsd.parse_duration, ("timedelta",)),
    "base64Binary": (xsd.parse_base64, ("bytes",)),
    "hexBinary": (xsd.parse_base64, ("bytes",)),
    "wcf:guid": (xsd.parse_uuid, ("UUID",)),
}
_MADE: dict[str, Value[Any]] = {}


def scalar(name: str, py: type[_T]) -> Value[_T]:
    """The reader of the builtin type `name` (an XML Schema local name such as "int", or
    "wcf:guid" for WCF's serialization types), whose values are `py`s."""
    found = _MADE.get(name)
    if found is None:
        shown = name if name.startswith("wcf:") else f"xs:{name}"
        if name in _STRING_TYPES:
            found = Text(shown)
        elif name in _INTEGER_TYPES:
            found = Scalar(shown, xsd.parse_int, int)
        elif name in _PARSERS:
            parse, names = _PARSERS[name]
            accepted = tuple(t for t in (py, int) if t.__name__ in names)
            found = Scalar(shown, parse, accepted)
        else:
            raise KeyError(f"no builtin type {name!r}")
        _MADE[name] = found
    return cast(Value[_T], found)
