"""An independent reading of SOAP replies, the oracle of tests/test_reply_fuzz.py.

It reads the bytes of a reply as the generated client should (the decisions the README and the
runtime's docstrings state), but shares none of the runtime's reading code: lxml parses with
comments and processing instructions kept (this module skips them itself), and every XML
Schema value is read by the small parsers below, written from XML Schema 1.0 Part 2. What it
takes from a generated package is only its declarations: the record classes with their field
specs (which element holds which field, repeated, nillable, required) and the value kinds.

The outcome is a :class:`Value` (what the call returns), :class:`Raised` (an exception the
client must raise, with what it must carry) or :class:`Unreadable` (a MalformedResponseError
whose message names the element path).
"""

from __future__ import annotations

import base64
import binascii
import calendar
import datetime as dt
import decimal
import enum
import math
import re
import uuid
from dataclasses import dataclass
from typing import Any

from lxml import etree

XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
WS = " \t\n\r"  # XML Schema whitespace; nothing else is

# ------------------------------------------------------------------------------ outcomes


@dataclass
class Value:
    value: Any


@dataclass
class Unreadable:
    """A MalformedResponseError: `where` the element path its message names (None: the
    document is not XML, no path)."""

    where: str | None
    why: str


@dataclass
class Raised:
    """An error the service reported: `kind` is "fault" (a SOAP Fault: `code`, `reason`, and
    `typed` the declared detail read, or `detail_where` the path of what cannot be read in
    it), "header" (the error response header: `info`), "field" (an error field of the
    response: `response`) or "http" (an error status without a Fault: TransportError)."""

    kind: str
    code: str = ""
    reason: str = ""
    typed: Any = None
    typed_class: type | None = None
    detail_where: str | None = None
    info: Any = None
    response: Any = None


Outcome = Value | Unreadable | Raised


class Bad(Exception):
    def __init__(self, where: str, why: str) -> None:
        super().__init__(f"{where}: {why}")
        self.where, self.why = where, why


# ------------------------------------------------------------------------------ XML


def parse(data: bytes) -> etree._Element:
    """The reply as XML, comments and processing instructions kept (XMLSyntaxError if it is
    not well-formed)."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True
    )
    return etree.fromstring(data, parser)


def local(tag: object) -> str:
    return str(tag).rpartition("}")[2]


def elements(el: etree._Element) -> list[etree._Element]:
    return [c for c in el if isinstance(c.tag, str)]


def direct_text(el: etree._Element) -> str | None:
    """The text of an element without children elements: its text nodes joined (comments and
    PIs split nothing); None when it has no text node at all."""
    pieces = [el.text] + [c.tail for c in el if not isinstance(c.tag, str)]
    if all(p is None for p in pieces):
        return None
    return "".join(p for p in pieces if p)


def leading_text(el: etree._Element) -> str:
    """The text before an element's first element child (comments and PIs skipped)."""
    out = [el.text or ""]
    for c in el:
        if isinstance(c.tag, str):
            break
        out.append(c.tail or "")
    return "".join(out)


def is_nil(el: etree._Element) -> bool:
    value = el.get(XSI_NIL)
    return value is not None and value.strip(WS) in ("true", "1")


def nil_and_empty(el: etree._Element) -> bool:
    """xsi:nil honoured: only on an element without text (its element children, if any, are
    ignored: the documented reading)."""
    return direct_text(el) is None and is_nil(el)


# ------------------------------------------------------------------------------ values

INT_RANGES: dict[str, tuple[int | None, int | None]] = {
    "xs:integer": (None, None),
    "xs:long": (-(2**63), 2**63 - 1),
    "xs:int": (-(2**31), 2**31 - 1),
    "xs:short": (-(2**15), 2**15 - 1),
    "xs:byte": (-128, 127),
    "xs:nonNegativeInteger": (0, None),
    "xs:positiveInteger": (1, None),
    "xs:nonPositiveInteger": (None, 0),
    "xs:negativeInteger": (None, -1),
    "xs:unsignedLong": (0, 2**64 - 1),
    "xs:unsignedInt": (0, 2**32 - 1),
    "xs:unsignedShort": (0, 2**16 - 1),
    "xs:unsignedByte": (0, 255),
}
_INT = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
_DOUBLE = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
_DATETIME = re.compile(
    r"([0-9]{4,})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})?"
)
_B64 = re.compile(
    r"([A-Za-z0-9+/]{4})*([A-Za-z0-9+/][AQgw]==|[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]=)?"
)
_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def read_int(name: str, text: str) -> int:
    s = text.strip(WS)
    if not _INT.fullmatch(s):
        raise ValueError("not an integer")
    n = int(s)
    lo, hi = INT_RANGES[name]
    if (lo is not None and n < lo) or (hi is not None and n > hi):
        raise ValueError("out of range")
    return n


def read_bool(text: str) -> bool:
    s = text.strip(WS)
    if s in ("true", "1"):
        return True
    if s in ("false", "0"):
        return False
    raise ValueError("not a boolean")


def read_double(text: str) -> float:
    s = text.strip(WS)
    special = {"INF": math.inf, "+INF": math.inf, "-INF": -math.inf, "NaN": math.nan}
    if s in special:
        return special[s]
    if not _DOUBLE.fullmatch(s):
        raise ValueError("not a double")
    x = float(s)
    if math.isinf(x):
        raise ValueError("beyond the range of a double")
    return x


def read_decimal(text: str) -> decimal.Decimal:
    s = text.strip(WS)
    if not _DECIMAL.fullmatch(s):
        raise ValueError("not a decimal")
    return decimal.Decimal(s)


def read_datetime(text: str) -> dt.datetime:
    s = text.strip(WS)
    m = _DATETIME.fullmatch(s)
    if m is None:
        raise ValueError("not a dateTime")
    year, month, day, hour, minute, second = (int(m.group(i)) for i in range(1, 7))
    frac, zone = m.group(7), m.group(8)
    if not 1 <= year <= 9999 or len(m.group(1)) > 4:
        raise ValueError("year outside 0001..9999")
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise ValueError("no such date")
    micro = int(((frac or ".")[1:] + "000000")[:6])
    end_of_day = hour == 24
    if end_of_day:
        if minute or second or (frac and int(frac[1:])):
            raise ValueError("24:00:00 only")
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError("no such time")
    tz: dt.tzinfo | None = None
    if zone == "Z":
        tz = dt.UTC
    elif zone:
        hh, mm = int(zone[1:3]), int(zone[4:6])
        if mm > 59 or hh > 14 or (hh == 14 and mm):
            raise ValueError("offset beyond 14:00")
        offset = dt.timedelta(hours=hh, minutes=mm)
        tz = dt.timezone(-offset if zone[0] == "-" else offset)
    value = dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=tz)
    if end_of_day:
        value += dt.timedelta(days=1)  # OverflowError past 9999-12-31
    return value


def read_base64(text: str) -> bytes:
    s = re.sub(f"[{WS}]", "", text)
    if not _B64.fullmatch(s):
        raise ValueError("not base64")
    try:
        return base64.b64decode(s, validate=True)
    except binascii.Error as exc:
        raise ValueError(str(exc)) from None


def read_guid(text: str) -> uuid.UUID:
    s = text.strip(WS)
    if not _GUID.fullmatch(s):
        raise ValueError("not a guid")
    return uuid.UUID(s)


def read_builtin(name: str, text: str) -> Any:
    """The value of an XML Schema builtin type (the name as the runtime's messages give it)."""
    if name in INT_RANGES:
        return read_int(name, text)
    readers = {
        "xs:boolean": read_bool,
        "xs:double": read_double,
        "xs:decimal": read_decimal,
        "xs:dateTime": read_datetime,
        "xs:base64Binary": read_base64,
        "wcf:guid": read_guid,
    }
    if name not in readers:
        raise NotImplementedError(f"no reference reading of {name}")
    return readers[name](text)


KNOWN_BUILTINS = frozenset(INT_RANGES) | {
    "xs:boolean",
    "xs:double",
    "xs:decimal",
    "xs:dateTime",
    "xs:base64Binary",
    "wcf:guid",
    "xs:string",
}


# ------------------------------------------------------------------------------ declarations
# A generated package's declarations, by the class names of its runtime (each generated
# package has its own copy of the runtime, so isinstance() is no use across packages).


def kind(spec: Any) -> str:
    return type(spec).__name__


def unwrap(spec: Any) -> Any:
    return spec.inner if kind(spec) == "Nillable" else spec


def wire(cls: type) -> Any:
    return cls.__dict__["__wire__"].ready()


def is_leaf(spec: Any) -> bool:
    return kind(unwrap(spec)) in ("Text", "Scalar", "Enumeration", "Flags")


# ------------------------------------------------------------------------------ reading


def read_leaf(spec: Any, text: str, where: str) -> Any:
    k = kind(spec)
    if k == "Text":
        return text
    if k == "Scalar":
        try:
            return read_builtin(spec.name, text)
        except (ValueError, OverflowError) as exc:
            raise Bad(where, f"not a valid {spec.name}: {exc}") from None
    if k == "Enumeration":
        by_value = {str(m.value): m for m in spec.cls}
        member = by_value.get(text, by_value.get(text.strip(WS)))
        if member is None:
            raise Bad(where, f"not a value of {spec.name}")
        return member
    if k == "Flags":
        result = spec.cls(0)
        for name in re.split(f"[{WS}]+", text):
            if not name:
                continue
            if name not in spec.members:
                raise Bad(where, f"not a value of {spec.name}")
            result |= spec.members[name]
        return result
    raise AssertionError(k)


def read_value(spec: Any, el: etree._Element, where: str) -> Any:
    spec = unwrap(spec)
    k = kind(spec)
    if k == "RecordOf":
        return read_record(spec.cls, el, where)
    if k == "ArrayOf":
        return read_array(spec, el, where)
    if k == "DictOf":
        return read_dict(spec, el, where)
    inner = elements(el)
    if inner:
        raise Bad(where, f"expected {spec.name} text, found element {local(inner[0].tag)}")
    return read_leaf(spec, direct_text(el) or "", where)


def read_record(cls: type, el: etree._Element, where: str) -> Any:
    w = wire(cls)
    values: dict[str, Any] = {}
    for a in w.attrs:
        raw = el.get(a.tag)
        if raw is not None:
            values[a.name] = read_leaf(a.value, raw, f"{where}/@{local(a.tag)}")
    if w.text is not None:
        values[w.text.name] = read_leaf(w.text.value, direct_text(el) or "", f"{where}/(text)")
    elif leading_text(el).strip(WS):
        raise Bad(where, f"expected {cls.__name__} content, found text")
    nils: set[str] = set()
    for ch in elements(el):
        f = w.index.get(ch.tag)
        if f is None:
            continue  # an element a later version of the schema added
        if nil_and_empty(ch):
            if f.repeated:
                continue
            values.pop(f.name, None)
            if f.nillable:
                nils.add(f.name)
            continue
        value = read_value(f.value, ch, f"{where}/{local(ch.tag)}")
        if f.repeated:
            values.setdefault(f.name, []).append(value)
        else:
            values[f.name] = value
            nils.discard(f.name)
    for name in w.repeated:
        values.setdefault(name, [])
    for r in w.required:
        if r.name not in values:
            raise Bad(where, f"the element {local(r.tag)} is missing")
    if nils:
        values["nil_fields"] = frozenset(nils)
    obj = cls.__new__(cls)
    obj.__dict__.update(values)
    return obj


def read_array(spec: Any, el: etree._Element, where: str) -> list[Any]:
    out = []
    item = unwrap(spec.item)
    for i, ch in enumerate(elements(el)):
        step = f"{where}/{local(ch.tag)}[{i}]"
        if ch.tag != spec.tag:
            raise Bad(step, f"expected {local(spec.tag)} items")
        if nil_and_empty(ch):
            if not spec.nillable:
                raise Bad(step, "an item cannot be nil")
            out.append(None)
            continue
        out.append(read_value(item, ch, step))
    return out


def read_dict(spec: Any, el: etree._Element, where: str) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    for i, pair in enumerate(elements(el)):
        step = f"{where}/{local(pair.tag)}[{i}]"
        if pair.tag != spec.pair:
            raise Bad(step, "expected pairs")
        key_el = value_el = None
        for ch in elements(pair):
            if ch.tag == spec.key_tag and key_el is None:
                key_el = ch
            elif ch.tag == spec.value_tag and value_el is None:
                value_el = ch
            else:
                raise Bad(step, f"unexpected {local(ch.tag)} in a pair")
        if key_el is None:
            raise Bad(step, "a pair without a key")
        # a nil key reads as its empty text (a Python dict key is never None)
        key = read_value(spec.key, key_el, f"{step}/{local(spec.key_tag)}")
        if value_el is None or nil_and_empty(value_el):
            if not spec.nillable:
                raise Bad(step, "the value is missing or nil")
            out[key] = None
            continue
        out[key] = read_value(spec.value, value_el, f"{step}/{local(spec.value_tag)}")
    return out


def read_result(op: Any, resp: etree._Element) -> Any:
    """What an Operation's Result reads from its response element."""
    result, where = op.result, local(resp.tag)
    if result.tag is None:
        return None if result.value is None else read_value(result.value, resp, where)
    if result.missing == "all":
        items = []
        for i, ch in enumerate(elements(resp)):
            if ch.tag == result.tag and not nil_and_empty(ch):
                items.append(read_value(result.value, ch, f"{where}/{local(ch.tag)}[{i}]"))
        return items
    found = [ch for ch in elements(resp) if ch.tag == result.tag]
    last = found[-1] if found else None
    if last is None or nil_and_empty(last):
        if result.missing == "none":
            return None
        if result.missing == "default":
            return result.default
        raise Bad(where, f"the result {local(result.tag)} is missing")
    return read_value(result.value, last, f"{where}/{local(result.tag)}")


def carries_error(info: Any) -> bool:
    """An error record reports an error when any field holds something (a record: something
    that reports one)."""
    if info is None:
        return False
    for name in info.__dataclass_fields__:
        if name == "nil_fields":
            continue
        value = getattr(info, name)
        if value is None or value in ("", [], {}):
            continue
        if hasattr(value, "__dataclass_fields__") and not carries_error(value):
            continue
        return True
    return False


@dataclass
class Target:
    """What the reference needs of an operation and its client."""

    op: Any  # the runtime Operation
    headers_cls: type | None  # the ResponseHeaders record, if the client reads headers
    error_header: str | None  # the header field that carries a service error
    error_field: tuple[str, str] | None  # the response field that carries one
    error_bodies: bool = False  # an error status may carry a normal response (ServiceStack)


def expect(target: Target, data: bytes, status: int = 200) -> Outcome:
    """What the generated client must do with the reply `data` sent with HTTP `status`."""
    try:
        root = parse(data)
    except etree.XMLSyntaxError as exc:
        if status >= 400:
            return Raised("http")
        return Unreadable(None, str(exc))
    ns = etree.QName(root).namespace
    if local(root.tag) != "Envelope" or ns not in (SOAP11, SOAP12):
        return Raised("http") if status >= 400 else Unreadable(None, "not an envelope")
    header = body = None
    for ch in elements(root):
        if ch.tag == f"{{{ns}}}Body":
            body = ch
            break
        if ch.tag == f"{{{ns}}}Header":
            header = ch
    if body is None:
        return Raised("http") if status >= 400 else Unreadable(None, "no Body")
    kids = elements(body)
    first = kids[0] if kids else None
    if first is not None and first.tag == f"{{{ns}}}Fault":
        return _fault(target, first, ns)
    if status >= 400 and not target.error_bodies:
        return Raised("http")
    op = target.op
    headers = None
    if target.headers_cls is not None:
        try:
            headers = (
                read_record(target.headers_cls, header, "Header")
                if header is not None
                else target.headers_cls()
            )
        except Bad as exc:
            return Unreadable(exc.where, exc.why)
        if target.error_header is not None:
            info = getattr(headers, target.error_header)
            if carries_error(info):
                return Raised("header", info=info)
    if op.response is None:
        return Value(None)
    if first is None or first.tag != op.response:
        return Unreadable(None, "another response element")
    try:
        value = read_result(op, first)
    except Bad as exc:
        return Unreadable(exc.where, exc.why)
    if target.error_field is not None:
        field, code = target.error_field
        status = getattr(value, field, None)
        if status is not None and (getattr(status, code, None) if code else True):
            return Raised("field", response=value)
    return Value(value)


def _fault(target: Target, fault: etree._Element, ns: str) -> Raised:
    parts = {local(c.tag): c for c in reversed(elements(fault))}  # the first of each name
    if ns == SOAP11:
        code_el, reason = parts.get("faultcode"), (direct_text(parts["faultstring"]) or "")
        detail = parts.get("detail")
    else:
        code_el = elements(parts["Code"])[0]
        reason = direct_text(elements(parts["Reason"])[0]) or ""
        detail = parts.get("Detail")
    code = ""
    if code_el is not None:
        prefix, _, name = (direct_text(code_el) or "").strip().rpartition(":")
        code = f"{{{code_el.nsmap[prefix or None]}}}{name}"
    out = Raised("fault", code=code, reason=reason.strip())
    declared = target.op.faults.declared if target.op.faults is not None else {}
    if detail is not None:
        for el in elements(detail):
            if el.tag in declared:
                make, spec = declared[el.tag]
                try:
                    out.typed = read_value(spec, el, local(el.tag))
                    out.typed_class = make
                except Bad as exc:
                    out.detail_where = exc.where
                break
    return out


# ------------------------------------------------------------------------------ comparing


def same(a: Any, b: Any) -> bool:
    """Equal values: records field by field, NaN equal to NaN, datetimes with their offsets,
    and of the same types (True is no 1)."""
    if hasattr(a, "__dataclass_fields__"):
        return type(a) is type(b) and all(
            same(getattr(a, n), getattr(b, n)) for n in a.__dataclass_fields__
        )
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, dict):
        return (
            isinstance(b, dict)
            and list(a) == list(b)
            and all(type(k) is type(j) for k, j in zip(a, b, strict=True))
            and all(same(a[k], b[k]) for k in a)
        )
    if type(a) is not type(b) and not (isinstance(a, enum.Enum) and type(a) is type(b)):
        return False
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or (
            a == b and math.copysign(1, a) == math.copysign(1, b)
        )
    if isinstance(a, dt.datetime):
        return (
            a == b and a.utcoffset() == b.utcoffset() and (a.tzinfo is None) == (b.tzinfo is None)
        )
    return bool(a == b)
