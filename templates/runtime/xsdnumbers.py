"""XML Schema's boolean and numbers: the integer types with their ranges, decimal, double and
float (see :mod:`.xsd` for the rules)."""

from __future__ import annotations

import math
import re
import struct
import sys
from decimal import Decimal

from .xsdcore import _WS, Codec, _invalid, _show, _wrong_type

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
