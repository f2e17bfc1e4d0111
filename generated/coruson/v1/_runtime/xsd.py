"""XML Schema values: the lexical forms of the builtin types, read and written."""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import enum
import re
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import TypeVar

_INT_RE = re.compile(r"[+-]?[0-9]+")


_DECIMAL_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


_FLOAT_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


_FLOATS_OUT = {"inf": "INF", "-inf": "-INF", "nan": "NaN"}


_FLOATS_IN = {"INF": "inf", "+INF": "inf", "-INF": "-inf", "NaN": "nan"}


_BOOLS = {"true": True, "1": True, "false": False, "0": False}


def _lexical(pattern: re.Pattern[str], text: str, kind: str) -> str:
    s = text.strip()
    if pattern.fullmatch(s) is None:
        raise ValueError(f"invalid {kind}: {text!r}")
    return s


def fmt_bool(value: bool) -> str:
    return "true" if value else "false"


def parse_bool(text: str) -> bool:
    value = _BOOLS.get(text.strip())
    if value is None:
        raise ValueError(f"invalid xs:boolean: {text!r}")
    return value


def fmt_int(value: int) -> str:
    return int.__repr__(value)  # "1" for True, never "True"


def parse_int(text: str) -> int:
    if text.isdigit() and text.isascii():  # the common case, without the regex
        return int(text)
    return int(_lexical(_INT_RE, text, "xs:integer"))


def fmt_float(value: float) -> str:
    text = repr(float(value))  # shortest round-tripping form, valid xs:double
    return _FLOATS_OUT.get(text, text)


def parse_float(text: str) -> float:
    special = _FLOATS_IN.get(text.strip())
    return float(special or _lexical(_FLOAT_RE, text, "xs:double"))


def fmt_decimal(value: Decimal) -> str:
    if not value.is_finite():
        raise ValueError(f"xs:decimal cannot hold {value}")
    return format(value, "f")  # never an exponent


def parse_decimal(text: str) -> Decimal:
    return Decimal(_lexical(_DECIMAL_RE, text, "xs:decimal"))


_UTC = _dt.UTC


# "+00:00" must not come back as "Z": a *named* zero-offset timezone remembers it
# (timezone(timedelta(0)) without a name is the timezone.utc singleton).
_PLUS_ZERO = _dt.timezone(_dt.timedelta(0), "+00:00")


_TZ_CACHE: dict[str, _dt.tzinfo] = {
    "Z": _UTC,
    "+00:00": _PLUS_ZERO,
    "-00:00": _PLUS_ZERO,
}


_TZ = r"(Z|[+-](?:0[0-9]|1[0-4]):[0-5][0-9])?"


_HMS = r"([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?"


_YMD = r"([0-9]{4})-([0-9]{2})-([0-9]{2})"


_DATETIME_RE = re.compile(_YMD + "T" + _HMS + _TZ)


_DATE_RE = re.compile(_YMD + _TZ)


_TIME_RE = re.compile(_HMS + _TZ)


def _parse_tz(text: str | None) -> _dt.tzinfo | None:
    if text is None:
        return None
    tz = _TZ_CACHE.get(text)
    if tz is None:
        offset = _dt.timedelta(hours=int(text[1:3]), minutes=int(text[4:6]))
        tz = _TZ_CACHE[text] = _dt.timezone(-offset if text[0] == "-" else offset)
    return tz


def _fmt_tz(tz: _dt.tzinfo | None, offset: _dt.timedelta | None) -> str:
    if offset is None:
        return ""
    if not offset:
        return "+00:00" if tz is _PLUS_ZERO else "Z"
    secs = offset.days * 86_400 + offset.seconds
    minutes, rest = divmod(abs(secs), 60)
    if rest or offset.microseconds:
        raise ValueError(f"timezone offset {offset} is not in whole minutes")
    return f"{'-' if secs < 0 else '+'}{minutes // 60:02d}:{minutes % 60:02d}"


def _micro(frac: str | None) -> int:
    # .NET writes up to 7 digits (ticks): keep microseconds, truncate the rest.
    return 0 if frac is None else int(frac[:6].ljust(6, "0"))


def _fmt_hms(v: _dt.datetime | _dt.time) -> str:
    frac = ("." + f"{v.microsecond:06d}".rstrip("0")) if v.microsecond else ""
    tz = _fmt_tz(v.tzinfo, v.utcoffset())
    return f"{v.hour:02d}:{v.minute:02d}:{v.second:02d}{frac}{tz}"


def fmt_datetime(value: _dt.datetime) -> str:
    # No strftime: it does not zero-pad year 1 on every platform.
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}T{_fmt_hms(value)}"


def parse_datetime(text: str) -> _dt.datetime:
    n = len(text)
    if (n == 19 or (n == 20 and text[19] == "Z")) and text[10] == "T" and text.isascii():
        # the common WCF forms, "...T12:06:30" and "...T12:06:30Z", without the regex
        if text[4] == "-" and text[13] == ":":
            try:
                value = _dt.datetime.fromisoformat(text[:19])
            except ValueError:
                pass
            else:
                return value.replace(tzinfo=_dt.UTC) if n == 20 else value
    m = _DATETIME_RE.fullmatch(text.strip())
    if m is None:
        raise ValueError(f"invalid xs:dateTime: {text!r}")
    y, mo, d, h, mi, s, frac, tz = m.groups()
    return _dt.datetime(
        int(y), int(mo), int(d), int(h), int(mi), int(s), _micro(frac), _parse_tz(tz)
    )


def fmt_date(value: _dt.date) -> str:
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def parse_date(text: str) -> _dt.date:
    # datetime.date has no timezone: a trailing Z/offset is validated and dropped.
    m = _DATE_RE.fullmatch(text.strip())
    if m is None:
        raise ValueError(f"invalid xs:date: {text!r}")
    return _dt.date(int(m[1]), int(m[2]), int(m[3]))


def fmt_time(value: _dt.time) -> str:
    return _fmt_hms(value)


def parse_time(text: str) -> _dt.time:
    m = _TIME_RE.fullmatch(text.strip())
    if m is None:
        raise ValueError(f"invalid xs:time: {text!r}")
    h, mi, s, frac, tz = m.groups()
    return _dt.time(int(h), int(mi), int(s), _micro(frac), _parse_tz(tz))


_DURATION_RE = re.compile(
    r"(-)?P(?=[0-9T])(?:([0-9]+)Y)?(?:([0-9]+)M)?(?:([0-9]+)D)?"
    r"(?:T(?=[0-9])(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9]+)(?:\.([0-9]+))?S)?)?"
)


def fmt_duration(value: _dt.timedelta) -> str:
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
    m = _DURATION_RE.fullmatch(text.strip())
    if m is None:
        raise ValueError(f"invalid xs:duration: {text!r}")
    neg, years, months, days, hours, minutes, seconds, frac = m.groups()
    if int(years or 0) or int(months or 0):
        raise ValueError(f"a duration with years or months is no timedelta: {text!r}")
    total = (int(days or 0) * 24 + int(hours or 0)) * 60 + int(minutes or 0)
    us = (total * 60 + int(seconds or 0)) * 1_000_000 + _micro(frac)
    return _dt.timedelta(microseconds=-us if neg else us)


def fmt_base64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def parse_base64(text: str) -> bytes:
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except binascii.Error as exc:
        raise ValueError(f"invalid xs:base64Binary: {exc}") from None


def fmt_uuid(value: uuid.UUID) -> str:
    return str(value)


def parse_uuid(text: str) -> uuid.UUID:
    return uuid.UUID(text.strip())


_F = TypeVar("_F", bound=enum.Flag)


def fmt_flags(value: _F, names: Mapping[_F, str]) -> str:
    # Iterating a Flag yields its canonical (single-bit) members in declaration order.
    try:
        return " ".join([names[member] for member in value])
    except KeyError as exc:
        raise ValueError(f"no wire name for {exc.args[0]!r}") from None


def parse_flags(text: str, members: Mapping[str, _F], zero: _F) -> _F:
    result = zero
    for name in text.split():
        member = members.get(name)
        if member is None:
            raise ValueError(f"unknown flag value {name!r} in {text!r}")
        result |= member
    return result
