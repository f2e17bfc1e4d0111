"""XML Schema values: the lexical spaces of the builtin types, read and written.

One implementation, shared by every generated client (this module is copied into each package
as ``_runtime/xsd.py``) and by soapgen itself, which reads the values of doc samples with it
(as ``soapgen.templates.runtime.xsd``): a value one of them accepts the other never refuses.

``CODECS`` maps the local name of every XSD builtin ("int", "dateTime", "hexBinary", ...) and
WCF's serialization types ("wcf:guid", "wcf:char", "wcf:duration") to a :class:`Codec`:
``parse(text)`` raises ValueError naming the type and the text; ``format(value)`` raises
ValueError for a value the type cannot hold and TypeError for a value of another Python type
(bool is no int here). ``format(parse(text))`` is the canonical form of ``text`` and
``parse(format(value)) == value``. The ``fmt_<codec>``/``parse_<codec>`` functions that
generated code calls are the codecs' own functions.

The rules are XML Schema 1.0 Part 2 (Datatypes); where it leaves a choice, or Python cannot
hold a value, this module decides as follows.

- Whitespace is the type's whiteSpace facet. Every type but the string family collapses: only
  #x20, #x9, #xA and #xD around a value are ignored; U+00A0, U+3000 and every other character
  make the value invalid. string, anyType and anySimpleType keep the text as it is. Reading a
  normalizedString replaces #x9, #xA, #xD by #x20, reading a token (and language, Name, NCName,
  NMTOKEN, ID, IDREF, ENTITY, anyURI, QName, NOTATION) collapses: the facet defines the value,
  so reading normalises. Writing never normalises: a string the type cannot hold (a tab in a
  normalizedString, two spaces in a token) is a ValueError, as is a character XML 1.0 forbids.
- boolean: true, false, 1, 0; written true/false.
- The integer types: ``[+-]?[0-9]+`` within the type's range (byte..long, unsignedByte..
  unsignedLong, the sign-restricted ones); written without '+' or leading zeros. integer is
  unbounded up to Python's int-string limit (4300 digits unless the program changes it).
- decimal: no exponent, no INF or NaN; written in positional notation keeping the scale
  ("1.50" stays "1.50", as .NET's decimal keeps it).
- double and float: a decimal with an optional exponent, INF, -INF, NaN, and +INF (XSD 1.1;
  written INF). A finite text beyond the type's range (1e400, or 1e39 for float) is an error,
  never infinity; texts below the smallest value round to zero. A float is rounded to the
  nearest 32-bit value and held as the Python float of that value's shortest decimal form
  ("0.1" reads as 0.1, "16777217" as 16777216.0), and written in that shortest form.
- dateTime, date, time: years 0001..9999, what Python's datetime holds; any other year (0000,
  negative, five digits, valid XSD or not) is a ValueError that says so. Fractions of a second
  may have any number of digits: microseconds are kept and further digits truncated (.NET
  writes 7 digits, 100 ns ticks; refusing them would refuse most .NET timestamps). 24:00:00
  (XSD 1.0's end of day) reads as 00:00:00 of the next day; it is never written. Offsets are Z
  or +-hh:mm within 14:00: Z reads as datetime.UTC and is written Z; +00:00 and -00:00 read
  as a zero offset written +00:00; no offset reads as a naive value. A date's offset is
  checked and dropped (datetime.date has none).
- duration: a timedelta, so years or months (other than 0) are refused, with a message saying
  why; microseconds kept as for dateTime; written in days, hours, minutes, seconds
  ("PT36H" becomes "P1DT12H").
- base64Binary: whitespace anywhere (XSD's collapse plus its grammar), padding required, the
  bits after the last byte zero ("QR==" is refused); written on one line.
- hexBinary: an even number of hex digits, either case; written in upper case.
- QName and NOTATION: ``prefix:local`` or ``local``, each an NCName; read as the (collapsed)
  text, since resolving the prefix needs the element. Name, NCName, NMTOKEN, ID, IDREF,
  ENTITY: the name characters of XML 1.0 fifth edition. language: XSD's pattern. anyURI: any
  text (XSD 1.1's rule; XSD 1.0 defers to RFC 2396, which processors do not check).
- gYear, gYearMonth, gMonth, gMonthDay, gDay: checked and held as their (collapsed) text;
  gMonth also accepts XSD 1.0 first edition's "--MM--".
- wcf:guid: 8-4-4-4-12 hex digits, either case (no braces or urn:uuid:); a uuid.UUID,
  written in lower case. wcf:char: the code of a .NET char (a UTF-16 code unit, 0..65535) as
  an int. wcf:duration: xs:duration.
"""

from __future__ import annotations

import base64
import binascii
import enum
import functools
import re
import uuid
from collections.abc import Mapping
from typing import Any, TypeVar

from .xsdcore import (
    _NOT_XML_CHAR,
    _TO_SPACE,
    _WS,
    _WS_RUN,
    Codec,
    _collapse,
    _invalid,
    _show,
    _wrong_type,
)
from .xsddates import (
    _fmt_wcf_duration,
    _parse_wcf_duration,
    fmt_date,
    fmt_datetime,
    fmt_duration,
    fmt_time,
    parse_date,
    parse_datetime,
    parse_duration,
    parse_time,
)
from .xsdnumbers import (
    _BYTE,
    _CHAR,
    _INT,
    _INTEGER,
    _LONG,
    _NEG,
    _NONNEG,
    _NONPOS,
    _POS,
    _SHORT,
    _UBYTE,
    _UINT,
    _ULONG,
    _USHORT,
    fmt_bool,
    fmt_decimal,
    fmt_float,
    fmt_float32,
    parse_bool,
    parse_decimal,
    parse_float,
    parse_float32,
)

# --------------------------------------------------------------------------------- binary

_HEX_RE = re.compile(r"(?:[0-9A-Fa-f]{2})*")


def _bytes(name: str, value: bytes) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    raise _wrong_type(name, "bytes", value)


def parse_base64(text: str) -> bytes:
    s = _WS_RUN.sub("", text)
    try:
        data = base64.b64decode(s, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _invalid("xs:base64Binary", text, str(exc)) from None
    if base64.b64encode(data) != s.encode("ascii"):
        raise _invalid("xs:base64Binary", text, "the bits after the last byte must be 0")
    return data


def fmt_base64(value: bytes) -> str:
    return base64.b64encode(_bytes("xs:base64Binary", value)).decode("ascii")


def parse_hex(text: str) -> bytes:
    s = text.strip(_WS)
    if _HEX_RE.fullmatch(s) is None:
        raise _invalid("xs:hexBinary", text, "an even number of hex digits")
    return bytes.fromhex(s)


def fmt_hex(value: bytes) -> str:
    return _bytes("xs:hexBinary", value).hex().upper()


# ------------------------------------------------------------------------------ wcf:guid

_GUID_RE = re.compile(r"[0-9A-Fa-f]{8}-(?:[0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}")


def parse_uuid(text: str) -> uuid.UUID:
    s = text.strip(_WS)
    if _GUID_RE.fullmatch(s) is None:
        raise _invalid("wcf:guid", text, "8-4-4-4-12 hex digits")
    return uuid.UUID(s)


def fmt_uuid(value: uuid.UUID) -> str:
    if not isinstance(value, uuid.UUID):
        raise _wrong_type("wcf:guid", "a uuid.UUID", value)
    return str(value)


# ------------------------------------------------------------------- strings and names

# XML 1.0 fifth edition: NameStartChar and NameChar
_START = (
    "A-Z_a-z\xc0-\xd6\xd8-\xf6\xf8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_MORE = "\\-.0-9\xb7\u0300-\u036f\u203f\u2040"
_NCNAME = f"[{_START}][{_START}{_MORE}]*"
# patterns, compiled on first use (the name classes cost milliseconds to compile: an import of
# a generated package should not pay for types it may never read)
_NCNAME_RE = _NCNAME
_NAME_RE = f"[:{_START}][:{_START}{_MORE}]*"
_NMTOKEN_RE = f"[:{_START}{_MORE}]+"
_QNAME_RE = f"(?:{_NCNAME}:)?{_NCNAME}"
_LANGUAGE_RE = r"[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*"


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _text(name: str, value: str) -> str:
    if not isinstance(value, str):
        raise _wrong_type(name, "a str", value)
    bad = _NOT_XML_CHAR.search(value)
    if bad is not None:
        raise ValueError(f"{name} cannot hold {_show(bad.group())}, which XML 1.0 forbids")
    return value


def _string(name: str, whitespace: str, pattern: str | None = None) -> Codec[str]:
    """A string type; whitespace is its facet: preserve, replace or collapse; pattern, the
    regular expression its values match whole."""

    def fits(value: str) -> bool:
        return pattern is None or _compiled(pattern).fullmatch(value) is not None

    def normal(text: str) -> str:
        if whitespace == "collapse":
            return _collapse(text)
        return text.translate(_TO_SPACE) if whitespace == "replace" else text

    def parse(text: str) -> str:
        value = normal(text)
        if not fits(value):
            raise _invalid(name, text)
        return value

    def format(value: str) -> str:
        _text(name, value)
        if normal(value) != value:
            raise ValueError(f"{name} cannot hold {_show(value)} (whiteSpace {whitespace})")
        if not fits(value):
            raise ValueError(f"{name} cannot hold {_show(value)}")
        return value

    return Codec(name, "str", parse, format)


# gYear and friends: XSD 1.0 years (no 0000; five digits or more without a leading zero)
_G_YEAR = r"-?(?:[1-9][0-9]{4,}|[0-9]{4})"
_G_MONTH = r"(?:0[1-9]|1[0-2])"
_G_DAY = r"(?:0[1-9]|[12][0-9]|3[01])"
_G_TZ = r"(?:Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
_G_31 = {"01", "03", "05", "07", "08", "10", "12"}


def _gregorian(name: str, pattern: str) -> Codec[str]:
    compiled = re.compile(pattern + _G_TZ)

    def check(value: str, text: str) -> str:
        m = compiled.fullmatch(value)
        if m is None or (value.lstrip("-").startswith("0000")):
            raise _invalid(name, text)
        month, day = m.groupdict().get("m"), m.groupdict().get("d")
        if month and day and day > ("29" if month == "02" else "31" if month in _G_31 else "30"):
            raise _invalid(name, text, f"day {day} of month {month}")
        return value

    def parse(text: str) -> str:
        return check(text.strip(_WS), text)

    def format(value: str) -> str:
        if not isinstance(value, str):
            raise _wrong_type(name, "a str", value)
        try:
            return check(value, value)
        except ValueError:
            raise ValueError(f"{name} cannot hold {_show(value)}") from None

    return Codec(name, "str", parse, format)


# ---------------------------------------------------------------------------------- flags

_F = TypeVar("_F", bound=enum.Flag)


def fmt_flags(value: _F, names: Mapping[_F, str]) -> str:
    # Iterating a Flag yields its canonical (single-bit) members in declaration order.
    try:
        return " ".join([names[member] for member in value])
    except KeyError as exc:
        raise ValueError(f"no wire name for {exc.args[0]!r}") from None


def parse_flags(text: str, members: Mapping[str, _F], zero: _F) -> _F:
    # an xs:list: items separated by XML Schema whitespace only
    result = zero
    for name in _WS_RUN.split(text):
        if not name:
            continue
        member = members.get(name)
        if member is None:
            raise ValueError(f"unknown flag value {name!r} in {text!r}")
        result |= member
    return result


# ------------------------------------------------------------------------------- the table

_STRING = _string("xs:string", "preserve")

CODECS: dict[str, Codec[Any]] = {
    "string": _STRING,
    "normalizedString": _string("xs:normalizedString", "replace"),
    "token": _string("xs:token", "collapse"),
    "language": _string("xs:language", "collapse", _LANGUAGE_RE),
    "Name": _string("xs:Name", "collapse", _NAME_RE),
    "NCName": _string("xs:NCName", "collapse", _NCNAME_RE),
    "NMTOKEN": _string("xs:NMTOKEN", "collapse", _NMTOKEN_RE),
    "ID": _string("xs:ID", "collapse", _NCNAME_RE),
    "IDREF": _string("xs:IDREF", "collapse", _NCNAME_RE),
    "ENTITY": _string("xs:ENTITY", "collapse", _NCNAME_RE),
    "anyURI": _string("xs:anyURI", "collapse"),
    "QName": _string("xs:QName", "collapse", _QNAME_RE),
    "NOTATION": _string("xs:NOTATION", "collapse", _QNAME_RE),
    "anySimpleType": _string("xs:anySimpleType", "preserve"),
    "anyType": _string("xs:anyType", "preserve"),
    "boolean": Codec("xs:boolean", "bool", parse_bool, fmt_bool),
    "integer": _INTEGER,
    "long": _LONG,
    "int": _INT,
    "short": _SHORT,
    "byte": _BYTE,
    "nonNegativeInteger": _NONNEG,
    "positiveInteger": _POS,
    "nonPositiveInteger": _NONPOS,
    "negativeInteger": _NEG,
    "unsignedLong": _ULONG,
    "unsignedInt": _UINT,
    "unsignedShort": _USHORT,
    "unsignedByte": _UBYTE,
    "decimal": Codec("xs:decimal", "_decimal.Decimal", parse_decimal, fmt_decimal),
    "float": Codec("xs:float", "float", parse_float32, fmt_float32),
    "double": Codec("xs:double", "float", parse_float, fmt_float),
    "dateTime": Codec("xs:dateTime", "_dt.datetime", parse_datetime, fmt_datetime),
    "date": Codec("xs:date", "_dt.date", parse_date, fmt_date),
    "time": Codec("xs:time", "_dt.time", parse_time, fmt_time),
    "duration": Codec("xs:duration", "_dt.timedelta", parse_duration, fmt_duration),
    "base64Binary": Codec("xs:base64Binary", "bytes", parse_base64, fmt_base64),
    "hexBinary": Codec("xs:hexBinary", "bytes", parse_hex, fmt_hex),
    "gYear": _gregorian("xs:gYear", _G_YEAR),
    "gYearMonth": _gregorian("xs:gYearMonth", _G_YEAR + "-(?P<m>" + _G_MONTH + ")"),
    "gMonth": _gregorian("xs:gMonth", "--" + _G_MONTH + "(?:--)?"),
    "gMonthDay": _gregorian("xs:gMonthDay", "--(?P<m>" + _G_MONTH + ")-(?P<d>" + _G_DAY + ")"),
    "gDay": _gregorian("xs:gDay", "---" + _G_DAY),
    "wcf:guid": Codec("wcf:guid", "_uuid.UUID", parse_uuid, fmt_uuid),
    "wcf:char": _CHAR,
    "wcf:duration": Codec("wcf:duration", "_dt.timedelta", _parse_wcf_duration, _fmt_wcf_duration),
}
