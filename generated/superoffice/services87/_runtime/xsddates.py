"""XML Schema's dateTime, date, time and duration, as Python's datetime types (see :mod:`.xsd`
for the rules)."""

from __future__ import annotations

import datetime as _dt
import re

from .xsdcore import _WS, _invalid, _wrong_type

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
