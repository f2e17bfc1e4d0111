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
import datetime as _dt
import enum
import math
import re
import struct
import sys
import uuid
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Codec(Generic[T]):
    """The lexical space of one simple type.

    ``name`` is the type ("xs:int"), ``python`` the Python type as generated code annotates it
    ("int", "_dt.datetime"); ``parse(text) -> T`` and ``format(value: T) -> str`` are plain
    functions (no ``self``), fast to call from a table.
    """

    __slots__ = ("name", "python", "parse", "format")

    def __init__(
        self, name: str, python: str, parse: Callable[[str], T], format: Callable[[T], str]
    ) -> None:
        self.name = name
        self.python = python
        self.parse = parse
        self.format = format

    def __repr__(self) -> str:
        return f"Codec({self.name!r}, {self.python!r})"


# XML Schema's whitespace: never str.strip()/split() without arguments, which take U+00A0 too
_WS = " \t\n\r"
_WS_RUN = re.compile("[ \t\n\r]+")
_TO_SPACE = str.maketrans("\t\n\r", "   ")
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _show(value: object) -> str:
    text = repr(value)
    if len(text) <= 80:
        return text
    size = f"{len(value)} characters" if isinstance(value, str) else f"{type(value).__name__}"
    return f"{text[:72]}...{text[-1]} ({size})"


def _invalid(name: str, text: str, why: str = "") -> ValueError:
    return ValueError(f"invalid {name}: {_show(text)}" + (f" ({why})" if why else ""))


def _wrong_type(name: str, expected: str, value: object) -> TypeError:
    return TypeError(f"{name} needs {expected}, not {type(value).__name__} {_show(value)}")


def _collapse(text: str) -> str:
    return " ".join(_WS_RUN.split(text.strip(_WS)))


# ------------------------------------------------------------------------------- boolean

_BOOLS = {"true": True, "1": True, "false": False, "0": False}


def parse_bool(text: str) -> bool:
    value = _BOOLS.get(text)
    if value is None:
        value = _BOOLS.get(text.strip(_WS))
        if value is None:
            raise _invalid("xs:boolean", text, "true, false, 1 or 0")
    return value


def fmt_bool(value: bool) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    raise _wrong_type("xs:boolean", "a bool", value)


# ------------------------------------------------------------------------------ integers

_INT_RE = re.compile(r"[+-]?[0-9]+")
_INT_DIGITS = 4300  # Python's default limit of int(str); the fast path stays below it


def _span(lo: int | None, hi: int | None) -> str:
    if lo is not None and hi is not None:
        return f"{lo}..{hi}"
    return f"at least {lo}" if hi is None else f"at most {hi}"


def _integer(name: str, lo: int | None, hi: int | None) -> Codec[int]:
    span = _span(lo, hi) if lo is not None or hi is not None else ""
    out_of_range = (
        f"out of range {span}" if lo is not None and hi is not None else f"out of range: {span}"
    )
    # An unsigned ASCII numeral with fewer digits than `fast` is in range: the common case,
    # read without the regex or a range check; so is "-" and fewer digits than `negative`.
    if (lo is not None and lo > 0) or (hi is not None and hi < 10):
        fast = 0
    else:
        fast = _INT_DIGITS + 1 if hi is None else len(str(hi))
    if (lo is not None and lo >= 0) or (hi is not None and hi < 0):
        negative = 0
    else:
        negative = _INT_DIGITS + 1 if lo is None else len(str(-lo))

    def parse(text: str) -> int:
        if len(text) < fast and text.isdigit() and text.isascii():
            return int(text)
        if text[:1] == "-" and len(text) <= negative and text[1:].isdigit() and text.isascii():
            return int(text)
        s = text.strip(_WS)
        if _INT_RE.fullmatch(s) is None:
            raise _invalid(name, text)
        try:
            value = int(s)
        except ValueError:  # beyond Python's int-string limit
            limit = sys.get_int_max_str_digits()
            raise _invalid(name, text, f"more than the {limit} digits Python reads") from None
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise _invalid(name, text, out_of_range)
        return value

    def format(value: int) -> str:
        if type(value) is not int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise _wrong_type(name, "an int", value)
            value = int(value)  # an IntEnum, say
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise ValueError(f"{name} cannot hold {value} ({out_of_range})")
        return int.__repr__(value)

    return Codec(name, "int", parse, format)


_INTEGER = _integer("xs:integer", None, None)
_LONG = _integer("xs:long", -(2**63), 2**63 - 1)
_INT = _integer("xs:int", -(2**31), 2**31 - 1)
_SHORT = _integer("xs:short", -(2**15), 2**15 - 1)
_BYTE = _integer("xs:byte", -(2**7), 2**7 - 1)
_ULONG = _integer("xs:unsignedLong", 0, 2**64 - 1)
_UINT = _integer("xs:unsignedInt", 0, 2**32 - 1)
_USHORT = _integer("xs:unsignedShort", 0, 2**16 - 1)
_UBYTE = _integer("xs:unsignedByte", 0, 2**8 - 1)
_NONNEG = _integer("xs:nonNegativeInteger", 0, None)
_POS = _integer("xs:positiveInteger", 1, None)
_NONPOS = _integer("xs:nonPositiveInteger", None, 0)
_NEG = _integer("xs:negativeInteger", None, -1)
_CHAR = _integer("wcf:char", 0, 0xFFFF)

parse_int, fmt_int = _INTEGER.parse, _INTEGER.format  # xs:integer, unbounded
parse_int64, fmt_int64 = _LONG.parse, _LONG.format
parse_int32, fmt_int32 = _INT.parse, _INT.format
parse_int16, fmt_int16 = _SHORT.parse, _SHORT.format
parse_int8, fmt_int8 = _BYTE.parse, _BYTE.format
parse_uint64, fmt_uint64 = _ULONG.parse, _ULONG.format
parse_uint32, fmt_uint32 = _UINT.parse, _UINT.format
parse_uint16, fmt_uint16 = _USHORT.parse, _USHORT.format
parse_uint8, fmt_uint8 = _UBYTE.parse, _UBYTE.format
parse_nonnegint, fmt_nonnegint = _NONNEG.parse, _NONNEG.format
parse_posint, fmt_posint = _POS.parse, _POS.format
parse_nonposint, fmt_nonposint = _NONPOS.parse, _NONPOS.format
parse_negint, fmt_negint = _NEG.parse, _NEG.format
parse_char, fmt_char = _CHAR.parse, _CHAR.format


# ------------------------------------------------------------------------------- decimal

_DECIMAL_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def parse_decimal(text: str) -> Decimal:
    s = text.strip(_WS)
    if _DECIMAL_RE.fullmatch(s) is None:
        raise _invalid("xs:decimal", text)
    return Decimal(s)


def fmt_decimal(value: Decimal) -> str:
    if not isinstance(value, Decimal):
        if isinstance(value, int) and not isinstance(value, bool):
            return int.__repr__(int(value))
        raise _wrong_type("xs:decimal", "a Decimal", value)
    if not value.is_finite():
        raise ValueError(f"xs:decimal cannot hold {value} (no INF or NaN)")
    return format(value, "f")  # never an exponent


# -------------------------------------------------------------------------- double, float

_FLOAT_CHARS = "0123456789.eE+-"
_FLOATS_IN = {"INF": math.inf, "+INF": math.inf, "-INF": -math.inf, "NaN": math.nan}
_FLOATS_OUT = {"inf": "INF", "-inf": "-INF", "nan": "NaN"}
_F32 = struct.Struct("<f")


def _read_double(text: str, name: str, top: str) -> float:
    s = text.strip(_WS)
    # Over these characters Python's float() grammar is XSD's (no '_', 'inf', whitespace).
    if s and not s.strip(_FLOAT_CHARS):
        try:
            value = float(s)
        except ValueError:
            raise _invalid(name, text) from None
        if math.isinf(value):
            raise _invalid(name, text, f"out of range: beyond +-{top}")
        return value
    special = _FLOATS_IN.get(s)
    if special is None:
        raise _invalid(name, text, "a decimal with an optional exponent, INF, -INF or NaN")
    return special


def _float(name: str, value: float) -> float:
    if type(value) is float:
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _wrong_type(name, "a float", value)
    try:
        return float(value)
    except OverflowError:
        raise ValueError(f"{name} cannot hold {value} (out of range)") from None


def parse_float(text: str) -> float:
    """xs:double."""
    return _read_double(text, "xs:double", "1.7976931348623157e308")


def fmt_float(value: float) -> str:
    """xs:double: Python's shortest round-tripping form, INF, -INF, NaN."""
    text = float.__repr__(_float("xs:double", value))
    return _FLOATS_OUT.get(text, text)


def _shortest32(value: float, name: str, shown: object) -> str:
    """The shortest decimal that reads back as `value` rounded to 32 bits."""
    try:
        packed = _F32.pack(value)
    except OverflowError:
        raise ValueError(f"{name} cannot hold {_show(shown)} (out of range)") from None
    single = _F32.unpack(packed)[0]
    if not math.isfinite(single):
        return _FLOATS_OUT[repr(single)]
    for digits in range(1, 9):
        text = f"{single:.{digits}g}"
        try:
            if _F32.pack(float(text)) == packed:
                return text
        except OverflowError:  # rounded up beyond the largest float
            continue
    return f"{single:.9g}"  # nine significant digits always identify a binary32


def parse_float32(text: str) -> float:
    """xs:float."""
    value = _read_double(text, "xs:float", "3.4028235e38")
    if not math.isfinite(value):
        return value
    try:
        return float(_shortest32(value, "xs:float", text))
    except ValueError:
        raise _invalid("xs:float", text, "out of range: beyond +-3.4028235e38") from None


def fmt_float32(value: float) -> str:
    """xs:float: the shortest form of the value rounded to 32 bits."""
    return _shortest32(_float("xs:float", value), "xs:float", value)


# --------------------------------------------------------------- dateTime, date, time

_UTC = _dt.UTC

# "+00:00" must not come back as "Z": a *named* zero-offset timezone remembers it
# (timezone(timedelta(0)) without a name is the timezone.utc singleton).
_PLUS_ZERO = _dt.timezone(_dt.timedelta(0), "+00:00")

_TZ_CACHE: dict[str, _dt.tzinfo] = {"Z": _UTC, "+00:00": _PLUS_ZERO, "-00:00": _PLUS_ZERO}

_MAX_OFFSET = _dt.timedelta(hours=14)

_TZ = r"(Z|[+-][0-9]{2}:[0-9]{2})?"
_HMS = r"([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?"
_YMD = r"(-?[0-9]{4,})-([0-9]{2})-([0-9]{2})"
_DATETIME_RE = re.compile(_YMD + "T" + _HMS + _TZ)
_DATE_RE = re.compile(_YMD + _TZ)
_TIME_RE = re.compile(_HMS + _TZ)


def _parse_tz(tz: str | None, name: str, text: str) -> _dt.tzinfo | None:
    if tz is None:
        return None
    found = _TZ_CACHE.get(tz)
    if found is None:
        hours, minutes = int(tz[1:3]), int(tz[4:6])
        if minutes > 59 or hours * 60 + minutes > 14 * 60:
            raise _invalid(name, text, f"timezone offset {tz} beyond -14:00..+14:00")
        offset = _dt.timedelta(hours=hours, minutes=minutes)
        found = _TZ_CACHE[tz] = _dt.timezone(-offset if tz[0] == "-" else offset)
    return found


def _fmt_tz(name: str, tz: _dt.tzinfo | None, offset: _dt.timedelta | None) -> str:
    if offset is None:
        return ""
    if not offset:
        return "+00:00" if tz is _PLUS_ZERO else "Z"
    if abs(offset) > _MAX_OFFSET:
        raise ValueError(f"{name} cannot hold the timezone offset {offset} (beyond 14 hours)")
    secs = offset.days * 86_400 + offset.seconds
    minutes, rest = divmod(abs(secs), 60)
    if rest or offset.microseconds:
        raise ValueError(f"{name} cannot hold the timezone offset {offset} (not whole minutes)")
    return f"{'-' if secs < 0 else '+'}{minutes // 60:02d}:{minutes % 60:02d}"


def _year(year: str, name: str, text: str) -> int:
    if len(year) != 4 or year == "0000":  # a sign, five digits, year zero
        raise _invalid(name, text, f"year {year} is outside 0001..9999, Python's datetime range")
    return int(year)


def _micro(frac: str | None) -> int:
    # Any number of digits: microseconds kept, the rest (.NET's 7th digit) truncated.
    return 0 if frac is None else int(frac[:6].ljust(6, "0"))


def _hour(h: str, mi: str, s: str, frac: str | None, name: str, text: str) -> tuple[int, bool]:
    """The hour, and whether the time is 24:00:00 (XSD 1.0's end of day)."""
    hour = int(h)
    if hour != 24:
        return hour, False
    if mi != "00" or s != "00" or (frac is not None and frac.strip("0")):
        raise _invalid(name, text, "24:00:00 is the only time with hour 24")
    return 0, True


def _fmt_hms(name: str, v: _dt.datetime | _dt.time) -> str:
    frac = ("." + f"{v.microsecond:06d}".rstrip("0")) if v.microsecond else ""
    tz = _fmt_tz(name, v.tzinfo, v.utcoffset())
    return f"{v.hour:02d}:{v.minute:02d}:{v.second:02d}{frac}{tz}"


def parse_datetime(text: str) -> _dt.datetime:
    n = len(text)
    if (
        (n == 19 or (n == 20 and text[19] == "Z"))
        and text[10] == "T"
        and text[4] == "-"
        and text[7] == "-"  # not an ISO week date, which fromisoformat reads too
        and text[13] == ":"
        and text[16] == ":"
        and text.isascii()
    ):
        # the common WCF forms, "...T12:06:30" and "...T12:06:30Z", without the regex
        try:
            value = _dt.datetime.fromisoformat(text[:19])
        except ValueError:
            pass  # the full reading below says why
        else:
            return value.replace(tzinfo=_UTC) if n == 20 else value
    m = _DATETIME_RE.fullmatch(text.strip(_WS))
    if m is None:
        raise _invalid("xs:dateTime", text)
    y, mo, d, h, mi, s, frac, tz = m.groups()
    year = _year(y, "xs:dateTime", text)
    tzinfo = _parse_tz(tz, "xs:dateTime", text)
    hour, end_of_day = _hour(h, mi, s, frac, "xs:dateTime", text)
    try:
        value = _dt.datetime(year, int(mo), int(d), hour, int(mi), int(s), _micro(frac), tzinfo)
        return value + _dt.timedelta(days=1) if end_of_day else value
    except (ValueError, OverflowError) as exc:
        raise _invalid("xs:dateTime", text, str(exc)) from None


def fmt_datetime(value: _dt.datetime) -> str:
    if not isinstance(value, _dt.datetime):
        raise _wrong_type("xs:dateTime", "a datetime.datetime", value)
    # No strftime: it does not zero-pad year 1 on every platform.
    hms = _fmt_hms("xs:dateTime", value)
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}T{hms}"


def parse_date(text: str) -> _dt.date:
    m = _DATE_RE.fullmatch(text.strip(_WS))
    if m is None:
        raise _invalid("xs:date", text)
    y, mo, d, tz = m.groups()
    year = _year(y, "xs:date", text)
    _parse_tz(tz, "xs:date", text)  # checked; datetime.date has no timezone
    try:
        return _dt.date(year, int(mo), int(d))
    except ValueError as exc:
        raise _invalid("xs:date", text, str(exc)) from None


def fmt_date(value: _dt.date) -> str:
    if not isinstance(value, _dt.date) or isinstance(value, _dt.datetime):
        raise _wrong_type("xs:date", "a datetime.date", value)
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def parse_time(text: str) -> _dt.time:
    m = _TIME_RE.fullmatch(text.strip(_WS))
    if m is None:
        raise _invalid("xs:time", text)
    h, mi, s, frac, tz = m.groups()
    tzinfo = _parse_tz(tz, "xs:time", text)
    hour = _hour(h, mi, s, frac, "xs:time", text)[0]
    try:
        return _dt.time(hour, int(mi), int(s), _micro(frac), tzinfo)
    except ValueError as exc:
        raise _invalid("xs:time", text, str(exc)) from None


def fmt_time(value: _dt.time) -> str:
    if not isinstance(value, _dt.time):
        raise _wrong_type("xs:time", "a datetime.time", value)
    return _fmt_hms("xs:time", value)


# ------------------------------------------------------------------------------ duration

_DURATION_RE = re.compile(
    r"(-)?P(?=[0-9T])(?:([0-9]+)Y)?(?:([0-9]+)M)?(?:([0-9]+)D)?"
    r"(?:T(?=[0-9])(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9]+)(?:\.([0-9]+))?S)?)?"
)


def _read_duration(text: str, name: str) -> _dt.timedelta:
    m = _DURATION_RE.fullmatch(text.strip(_WS))
    if m is None:
        raise _invalid(name, text)
    neg, years, months, days, hours, minutes, seconds, frac = m.groups()
    try:
        calendar = int(years or 0) or int(months or 0)
        total = (int(days or 0) * 24 + int(hours or 0)) * 60 + int(minutes or 0)
        us = (total * 60 + int(seconds or 0)) * 1_000_000 + _micro(frac)
    except ValueError as exc:  # beyond Python's int-string limit
        raise _invalid(name, text, str(exc)) from None
    if calendar:
        raise _invalid(name, text, "years or months, which a timedelta cannot hold")
    try:
        return _dt.timedelta(microseconds=-us if neg else us)
    except OverflowError:
        raise _invalid(name, text, "beyond timedelta's 999999999 days") from None


def _write_duration(value: _dt.timedelta, name: str) -> str:
    if not isinstance(value, _dt.timedelta):
        raise _wrong_type(name, "a datetime.timedelta", value)
    us = (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds
    if not us:
        return "PT0S"
    days, us = divmod(abs(us), 86_400_000_000)
    out = ("-P" if value.days < 0 else "P") + (f"{days}D" if days else "")
    if us:
        hours, us = divmod(us, 3_600_000_000)
        minutes, us = divmod(us, 60_000_000)
        seconds, micro = divmod(us, 1_000_000)
        out += "T" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
        if us:
            frac = ("." + f"{micro:06d}".rstrip("0")) if micro else ""
            out += f"{seconds}{frac}S"
    return out


def parse_duration(text: str) -> _dt.timedelta:
    return _read_duration(text, "xs:duration")


def fmt_duration(value: _dt.timedelta) -> str:
    return _write_duration(value, "xs:duration")


def _parse_wcf_duration(text: str) -> _dt.timedelta:
    return _read_duration(text, "wcf:duration")


def _fmt_wcf_duration(value: _dt.timedelta) -> str:
    return _write_duration(value, "wcf:duration")


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
_NCNAME_RE = re.compile(_NCNAME)
_NAME_RE = re.compile(f"[:{_START}][:{_START}{_MORE}]*")
_NMTOKEN_RE = re.compile(f"[:{_START}{_MORE}]+")
_QNAME_RE = re.compile(f"(?:{_NCNAME}:)?{_NCNAME}")
_LANGUAGE_RE = re.compile(r"[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*")


def _text(name: str, value: str) -> str:
    if not isinstance(value, str):
        raise _wrong_type(name, "a str", value)
    bad = _NOT_XML_CHAR.search(value)
    if bad is not None:
        raise ValueError(f"{name} cannot hold {_show(bad.group())}, which XML 1.0 forbids")
    return value


def _string(name: str, whitespace: str, pattern: re.Pattern[str] | None = None) -> Codec[str]:
    """A string type; whitespace is its facet: preserve, replace or collapse."""

    def normal(text: str) -> str:
        if whitespace == "collapse":
            return _collapse(text)
        return text.translate(_TO_SPACE) if whitespace == "replace" else text

    def parse(text: str) -> str:
        value = normal(text)
        if pattern is not None and pattern.fullmatch(value) is None:
            raise _invalid(name, text)
        return value

    def format(value: str) -> str:
        _text(name, value)
        if normal(value) != value:
            raise ValueError(f"{name} cannot hold {_show(value)} (whiteSpace {whitespace})")
        if pattern is not None and pattern.fullmatch(value) is None:
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
