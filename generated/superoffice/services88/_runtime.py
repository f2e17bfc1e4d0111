"""Runtime support for soapgen-generated SOAP clients.

Copied verbatim into every generated package as ``_runtime.py``; it depends only on
the standard library, lxml and httpx. Generated code imports it as ``_rt``.
"""

import base64
import binascii
import dataclasses
import datetime as _dt
import enum
import inspect
import json
import os
import re
import threading
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Generic, ParamSpec, Protocol, Self, TypeVar, dataclass_transform, overload

import httpx
from lxml import etree

SOAP11_NS = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12_NS = "http://www.w3.org/2003/05/soap-envelope"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# ---------------------------------------------------------------------------- errors


class SoapError(Exception):
    """Base class of every error raised by a generated client."""


class SoapFault(SoapError):
    """A SOAP Fault returned by the service; str() gives code and reason."""

    def __init__(
        self,
        code: str,
        reason: str,
        *,
        detail: etree._Element | None = None,
        subcodes: tuple[str, ...] = (),
        actor: str | None = None,
        soap_version: str = "1.1",
        status_code: int | None = None,
    ) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason
        self.detail = detail
        self.subcodes = subcodes
        self.actor = actor
        self.soap_version = soap_version
        self.status_code = status_code


class TransportError(SoapError):
    """HTTP error status without a fault, or a network error (status_code 0)."""

    def __init__(self, message: str, *, status_code: int, body_excerpt: str = ""):
        super().__init__(message)
        self.status_code = status_code
        self.body_excerpt = body_excerpt


class MalformedResponseError(SoapError):
    """The reply is not XML, not a SOAP envelope, or carries a DTD."""

    def __init__(self, message: str, *, body_excerpt: str = "") -> None:
        super().__init__(message)
        self.body_excerpt = body_excerpt


class UnexpectedCallError(SoapError):
    """A ReplayTransport received a call it has no recorded answer for."""


# ------------------------------------------------------------------------ secure XML


class _NoExternalLoads(etree.Resolver):
    # libxml2 reads a local external subset (<!DOCTYPE a SYSTEM "/etc/x">) even with
    # load_dtd=False; answering every external load with "" keeps files unread.
    def resolve(  # type: ignore[override]  # the stub omits `context`
        self, url: str, pubid: str, context: Any
    ) -> Any:
        return self.resolve_string("", context, base_url=None)


# One module-level parser: lxml serialises its use across threads internally.
_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    collect_ids=False,
)
_PARSER.resolvers.add(_NoExternalLoads())
_DTD_REFUSED = "XML with a DOCTYPE is refused (DTDs and entities are not allowed)"


def _excerpt(data: bytes) -> str:
    # 500 characters never take more than 2000 bytes of UTF-8.
    return data[:2000].decode("utf-8", "replace")[:500]


def _prolog_has_doctype(data: bytes) -> bool:
    """True when a DOCTYPE precedes the root element (PIs and comments skipped)."""
    pos = 0
    while (lt := data.find(b"<", pos)) >= 0:
        if data.startswith(b"<?", lt):
            end, pos = data.find(b"?>", lt + 2), 2
        elif data.startswith(b"<!--", lt):
            end, pos = data.find(b"-->", lt + 4), 3
        else:
            return data.startswith(b"<!DOCTYPE", lt)
        if end < 0:  # unterminated PI/comment: the parser rejects it
            return False
        pos += end
    return False


def parse_xml(data: bytes) -> etree._Element:
    """Parse untrusted XML; any DOCTYPE (entities, external DTD) is refused."""
    # Cheap pre-check so a DTD is never parsed ("<!DOCTYPE" inside CDATA or comments
    # of the content is fine). Encodings that are not ASCII-compatible (UTF-16) get
    # past it but meet the docinfo check, unresolved entities and blocked loads.
    if b"<!DOCTYPE" in data and _prolog_has_doctype(data):
        raise MalformedResponseError(_DTD_REFUSED, body_excerpt=_excerpt(data))
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        if not data.strip():
            raise MalformedResponseError("empty XML document") from None
        raise MalformedResponseError(
            f"XML is not well-formed (line {exc.lineno}): {exc.msg}",
            body_excerpt=_excerpt(data),
        ) from None
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise MalformedResponseError(_DTD_REFUSED, body_excerpt=_excerpt(data))
    return root


# -------------------------------------------------------------------------- building

# A plain alias: no extra Python frame per element built.
sub = etree.SubElement


def leaf(parent: etree._Element, tag: str, text: str) -> None:
    etree.SubElement(parent, tag).text = text


def nil(parent: etree._Element, tag: str) -> None:
    etree.SubElement(parent, tag).set(XSI_NIL, "true")


# Requests are built as text: escaping is the one place where text meets markup.
_ESCAPE = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPE_ATTR = re.compile('[&<>"\r\n\t\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ATTR_REFS = (
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    ('"', "&quot;"),
    ("\r", "&#13;"),
    ("\n", "&#10;"),
    ("\t", "&#9;"),
)


def esc(text: str) -> str:
    """Element text for XML; ValueError for characters XML 1.0 cannot hold (as lxml)."""
    if _ESCAPE.search(text) is None:
        return text
    if _NOT_XML.search(text) is not None:
        raise ValueError(f"text holds a character XML cannot carry: {text!r}")
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def esc_attr(text: str) -> str:
    """An attribute value (in double quotes) for XML."""
    if _ESCAPE_ATTR.search(text) is None:
        return text
    if _NOT_XML.search(text) is not None:
        raise ValueError(f"text holds a character XML cannot carry: {text!r}")
    for raw, ref in _ATTR_REFS:
        text = text.replace(raw, ref)
    return text


def is_nil(el: etree._Element) -> bool:
    value = el.get(XSI_NIL)
    return value is not None and value.strip() in ("true", "1")


def str_element(tag: str, value: str | None, nil: bool) -> str:
    """The markup of an optional string element `tag` (a prefixed name): its escaped value,
    or xsi:nil when `nil` and the value is None, or nothing."""
    if value is not None:
        return f"<{tag}>{esc(value)}</{tag}>"
    return f'<{tag} i:nil="true"/>' if nil else ""


def set_nil_fields(
    obj: Any, slots: Sequence[object], nils: Sequence[int], names: Sequence[str]
) -> None:
    """A reader met xsi:nil elements in the reading slots `nils`: the nillable ones (the first
    slots, named by `names`) that no later element of the same name replaced go into
    obj.nil_fields. A nil element the schema does not allow reads as absent."""
    found = {names[i] for i in nils if i < len(names) and slots[i] is None}
    if found:
        obj.nil_fields = frozenset(found)


def first_child(el: etree._Element, tag: str) -> etree._Element | None:
    for child in el.iterchildren(tag):
        return child
    return None


def _resolve_qname(el: etree._Element, text: str) -> str:
    """Clark name of a QName text in el's scope; the raw text when unresolvable."""
    text = text.strip()
    prefix, colon, local = text.rpartition(":")
    ns = el.nsmap.get(prefix if colon else None)
    return text if ns is None else f"{{{ns}}}{local}"


def get_xsi_type(el: etree._Element) -> str | None:
    value = el.get(XSI_TYPE)
    return None if value is None else _resolve_qname(el, value)


def _prefix_in_scope(el: etree._Element, ns: str) -> str | None:
    for prefix, uri in el.nsmap.items():
        if uri == ns and prefix:
            return prefix
    return None


def set_xsi_type(el: etree._Element, type_qname: str) -> None:
    if not type_qname.startswith("{"):
        el.set(XSI_TYPE, type_qname)
        return
    ns, _, local = type_qname[1:].partition("}")
    prefix = _prefix_in_scope(el, ns)
    if prefix is None:
        # lxml cannot add a declaration to an existing element, but setting an
        # attribute in the namespace declares a prefix on el that outlives it.
        probe = f"{{{ns}}}_"
        el.set(probe, "")
        del el.attrib[probe]
        prefix = _prefix_in_scope(el, ns)
    el.set(XSI_TYPE, f"{prefix}:{local}")


# ---------------------------------------------------------------------------- codecs

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


def fmt_str(value: str) -> str:
    return value


def parse_str(text: str | None) -> str:
    return "" if text is None else text


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


# ------------------------------------------------------------------------- transport


@dataclass(frozen=True, slots=True)
class SoapCall:
    url: str
    operation: str
    soap_action: str
    soap_version: str  # "1.1" | "1.2"
    envelope: bytes
    agent: str = ""  # the generated module of the client that made the call, e.g. "ticket"

    def http_headers(self) -> dict[str, str]:
        if self.soap_version != "1.2":
            return {
                "Content-Type": "text/xml; charset=utf-8",
                "SOAPAction": f'"{self.soap_action}"',
            }
        ctype = "application/soap+xml; charset=utf-8"
        if self.soap_action:
            ctype += f'; action="{self.soap_action}"'
        return {"Content-Type": ctype}


@dataclass(frozen=True, slots=True)
class SoapReply:
    status_code: int
    content: bytes
    content_type: str = ""


class Transport(Protocol):
    def send(self, call: SoapCall) -> SoapReply: ...


class AsyncTransport(Protocol):
    async def asend(self, call: SoapCall) -> SoapReply: ...


def _network_error(call: SoapCall, exc: httpx.HTTPError) -> TransportError:
    kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "failed"
    return TransportError(
        f"{call.operation}: request to {call.url} {kind}: {type(exc).__name__}: {exc}",
        status_code=0,
    )


def _reply(response: httpx.Response) -> SoapReply:
    ctype = response.headers.get("content-type", "")
    return SoapReply(response.status_code, response.content, ctype)


class HttpxTransport:
    """Sync HTTP transport; closes the httpx.Client only if it created it."""

    def __init__(self, client: httpx.Client | None = None, *, timeout: float = 30.0):
        self._owns_client = client is None
        self.client = httpx.Client(timeout=timeout) if client is None else client

    def send(self, call: SoapCall) -> SoapReply:
        headers = call.http_headers()
        try:
            response = self.client.post(call.url, content=call.envelope, headers=headers)
        except httpx.HTTPError as exc:
            raise _network_error(call, exc) from exc
        return _reply(response)  # non-2xx too: faults arrive with HTTP 500

    def close(self) -> None:
        if self._owns_client:
            self.client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncHttpxTransport:
    """Async HTTP transport; closes the httpx.AsyncClient only if it created it."""

    def __init__(self, client: httpx.AsyncClient | None = None, *, timeout: float = 30.0) -> None:
        self._owns_client = client is None
        self.client = httpx.AsyncClient(timeout=timeout) if client is None else client

    async def asend(self, call: SoapCall) -> SoapReply:
        headers = call.http_headers()
        try:
            response = await self.client.post(call.url, content=call.envelope, headers=headers)
        except httpx.HTTPError as exc:
            raise _network_error(call, exc) from exc
        return _reply(response)

    async def aclose(self) -> None:
        if self._owns_client:
            await self.client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


ReplayKey = str | tuple[str, str]  # "Operation" (of any agent) or ("agent", "Operation")


class ReplayTransport:
    """Answers calls from recorded reply envelopes; no network.

    Replies are keyed by ``(agent, operation)`` (the agent is the generated module of the
    client, e.g. ``"ticket"``), or by the operation alone for any agent. A sequence of replies
    is answered in order, its last reply then repeats. A call nothing answers raises
    UnexpectedCallError; every call is kept in ``calls``.
    """

    def __init__(self, responses: Mapping[ReplayKey, bytes | Sequence[bytes]]) -> None:
        self._replies: dict[ReplayKey, list[bytes]] = {}
        for key, replies in responses.items():
            listed = [replies] if isinstance(replies, bytes) else list(replies)
            if not listed:
                raise ValueError(f"no replies given for {key!r}")
            self._replies[key] = listed
        self._served: dict[ReplayKey, int] = {}
        self._lock = threading.Lock()
        self.calls: list[SoapCall] = []

    @classmethod
    def from_fixtures(
        cls, directory: str | os.PathLike[str] | Traversable, agent: str = ""
    ) -> Self:
        """Every ``<agent>/<Operation>.response.xml`` below `directory` (a path, or a folder of
        an installed package: importlib.resources), or only those of `agent`."""
        root = Path(directory) if isinstance(directory, (str, os.PathLike)) else directory
        if not root.is_dir():
            raise FileNotFoundError(f"no fixture folder {directory}")
        folders = [f for f in root.iterdir() if f.is_dir() and not f.name.startswith((".", "_"))]
        if agent:
            folders = [f for f in folders if f.name == agent]
            if not folders:
                raise FileNotFoundError(f"no fixtures of agent {agent!r} in {directory}")
        found: dict[ReplayKey, bytes] = {}
        for folder in sorted(folders, key=lambda f: f.name):
            for file in sorted(folder.iterdir(), key=lambda f: f.name):
                if file.name.endswith(".response.xml"):
                    found[(folder.name, file.name[: -len(".response.xml")])] = file.read_bytes()
        if not found:
            raise FileNotFoundError(f"no <agent>/<Operation>.response.xml in {directory}")
        return cls(found)

    def send(self, call: SoapCall) -> SoapReply:
        with self._lock:
            self.calls.append(call)
            key: ReplayKey = (call.agent, call.operation)
            replies = self._replies.get(key)
            if replies is None:
                key = call.operation
                replies = self._replies.get(key)
            if replies is None:
                known = ", ".join(sorted(map(_replay_key, self._replies))) or "(none)"
                raise UnexpectedCallError(
                    f"no recorded reply for {_replay_key((call.agent, call.operation))}"
                    f" (recorded: {known})"
                )
            served = self._served.get(key, 0)
            self._served[key] = served + 1
        return SoapReply(200, replies[min(served, len(replies) - 1)], _TEXT_XML)

    async def asend(self, call: SoapCall) -> SoapReply:
        return self.send(call)


def _replay_key(key: ReplayKey) -> str:
    return key if isinstance(key, str) else f"{key[0]}.{key[1]}" if key[0] else key[1]


_TEXT_XML = "text/xml; charset=utf-8"

# -------------------------------------------------------------------------- envelope


def _tags(ns: str) -> tuple[str, str, str, str, str]:
    return ns, f"{{{ns}}}Envelope", f"{{{ns}}}Header", f"{{{ns}}}Body", f"{{{ns}}}Fault"


# version -> (namespace, Envelope, Header, Body, Fault) Clark tags
_TAGS = {"1.1": _tags(SOAP11_NS), "1.2": _tags(SOAP12_NS)}
_VERSION_OF_ENVELOPE = {tags[1]: version for version, tags in _TAGS.items()}


def _check_version(soap_version: str) -> None:
    if soap_version not in _TAGS:
        raise ValueError(f"unknown SOAP version {soap_version!r}")


def build_envelope(
    soap_version: str, headers: Sequence[etree._Element], body: etree._Element
) -> bytes:
    _check_version(soap_version)
    ns, envelope_tag, header_tag, body_tag, _ = _TAGS[soap_version]
    envelope = etree.Element(envelope_tag, nsmap={"s": ns})
    if headers:
        header = etree.SubElement(envelope, header_tag)
        for element in headers:
            header.append(element)
    etree.SubElement(envelope, body_tag).append(body)
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


def build_envelope_text(soap_version: str, ns_decls: str, headers: str, body: str) -> bytes:
    """The envelope around header and body markup built by generated code.

    ns_decls declares the prefixes that markup uses (one per namespace of the version).
    """
    _check_version(soap_version)
    ns = SOAP11_NS if soap_version == "1.1" else SOAP12_NS
    head = f"<s:Header>{headers}</s:Header>" if headers else ""
    return (
        f'<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="{ns}"{ns_decls}>'
        f"{head}<s:Body>{body}</s:Body></s:Envelope>"
    ).encode()


@dataclass(frozen=True, slots=True)
class Envelope:
    header: etree._Element | None  # the Header element, if any
    body: etree._Element | None  # first element child of Body; None if Body is empty
    soap_version: str  # of the reply


def _http_error(reply: SoapReply, what: str) -> TransportError:
    excerpt = _excerpt(reply.content)
    return TransportError(
        f"HTTP {reply.status_code} with {what}: {excerpt[:200]!r}",
        status_code=reply.status_code,
        body_excerpt=excerpt,
    )


def read_reply(reply: SoapReply, soap_version: str, error_bodies: bool = False) -> Envelope:
    """Parse a reply into an Envelope or raise SoapFault/TransportError/Malformed...

    With error_bodies, an error status with a well-formed envelope and no Fault returns the
    envelope: services such as ServiceStack answer errors with a normal response body.
    """
    # The reply's namespace decides its version (either is accepted); soap_version,
    # what was sent, only appears in messages.
    status = reply.status_code
    try:
        root = parse_xml(reply.content)
    except MalformedResponseError as exc:
        if status >= 400:
            raise _http_error(reply, f"a body that is not XML ({exc})") from None
        raise
    version = _VERSION_OF_ENVELOPE.get(root.tag)
    header = body = None
    if version is not None:
        _, _, header_tag, body_tag, fault_tag = _TAGS[version]
        for child in root:
            if child.tag == body_tag:
                body = child
                break
            if child.tag == header_tag:
                header = child
    if version is None or body is None:
        if status >= 400:
            raise _http_error(reply, "a body that is not a SOAP envelope")
        what = f"root {root.tag!r}" if version is None else "no Body"
        raise MalformedResponseError(
            f"reply is not a SOAP {soap_version} envelope ({what})",
            body_excerpt=_excerpt(reply.content),
        )
    first = None
    for child in body:
        if isinstance(child.tag, str):  # skip comments and PIs
            first = child
            break
    if first is not None and first.tag == fault_tag:
        raise _read_fault(first, version, status)
    if status >= 400 and not error_bodies:
        raise _http_error(reply, "a SOAP envelope without a Fault")
    return Envelope(header, first, version)


def _by_local_name(el: etree._Element) -> dict[str, etree._Element]:
    found: dict[str, etree._Element] = {}
    for child in el:
        if isinstance(child.tag, str):
            found.setdefault(child.tag.rpartition("}")[2], child)
    return found


def _text(el: etree._Element | None) -> str | None:
    return None if el is None else (el.text or "").strip()


def _read_fault(fault: etree._Element, version: str, status: int) -> SoapFault:
    # Off the hot path: children matched by local name, so sloppily (un)qualified
    # fault children are read too.
    parts = _by_local_name(fault)
    if version == "1.1":
        code_el = parts.get("faultcode")
        code = "" if code_el is None else _resolve_qname(code_el, code_el.text or "")
        reason = _text(parts.get("faultstring")) or ""
        return SoapFault(
            code,
            reason,
            detail=parts.get("detail"),
            actor=_text(parts.get("faultactor")),
            soap_version=version,
            status_code=status,
        )
    codes: list[str] = []
    node = parts.get("Code")
    while node is not None:  # Code/Value, then the Subcode/Value chain
        node_parts = _by_local_name(node)
        value = node_parts.get("Value")
        if value is not None:
            codes.append(_resolve_qname(value, value.text or ""))
        node = node_parts.get("Subcode")
    reason = ""
    reason_el = parts.get("Reason")
    if reason_el is not None:  # the first Text, preferring xml:lang="en"
        texts = [t for t in reason_el if isinstance(t.tag, str)]
        english = [t for t in texts if (t.get(_XML_LANG) or "").lower() == "en"]
        reason = (_text((english or texts)[0]) or "") if texts else ""
    return SoapFault(
        codes[0] if codes else "",
        reason,
        detail=parts.get("Detail"),
        subcodes=tuple(codes[1:]),
        actor=_text(parts.get("Role")),
        soap_version=version,
        status_code=status,
    )


# ------------------------------------------------------------------------ operations

_R = TypeVar("_R")
_READ_ERRORS = (ValueError, KeyError, IndexError, TypeError)


def no_result(node: etree._Element | None) -> None:
    """The reader of an operation that returns nothing."""
    return None


def or_none(read: Callable[[etree._Element], _R]) -> Callable[[etree._Element | None], _R | None]:
    """A result reader for an element the reply may leave out (or send as xsi:nil): None then."""

    def read_or_none(node: etree._Element | None) -> _R | None:
        return None if node is None else read(node)

    return read_or_none


class Operation(Generic[_R]):
    """One operation as a generated module declares it: its wire names and its reply reader.

    ``response`` is the tag the Body's element must have (None: the reply is not read).
    With ``result``, ``read`` gets the last non-nil child of that tag (or None); without it,
    the whole response element. ``faults`` types the SOAP faults the operation declares.
    """

    __slots__ = ("name", "action", "headers", "response", "result", "read", "faults")

    def __init__(
        self,
        name: str,
        action: str,
        headers: tuple[str, ...],
        response: str | None,
        result: str | None,
        read: Callable[[Any], _R],
        faults: Callable[[SoapFault], SoapFault] | None = None,
    ) -> None:
        self.name = name
        self.action = action
        self.headers = headers
        self.response = response
        self.result = result
        self.read = read
        self.faults = faults

    def reply(self, env: Envelope) -> _R:
        node = env.body
        if self.response is None:
            return self.read(None)
        if node is None or node.tag != self.response:
            raise MalformedResponseError(
                f"{self.name}: expected {self.response} in the response body",
                body_excerpt="" if node is None else str(node.tag),
            )
        what = "the response"
        if self.result is not None:
            what = self.result.rpartition("}")[2]
            found = None
            for child in node:
                if child.tag == self.result and (child.text is not None or not is_nil(child)):
                    found = child
            node = found
        try:
            return self.read(node)
        except _READ_ERRORS as exc:
            raise MalformedResponseError(f"{self.name}: cannot read {what}: {exc}") from exc


# --------------------------------------------------------------------------- clients


def _join_url(base_url: str, endpoint: str) -> str:
    return base_url.rstrip("/") + "/" + endpoint.lstrip("/")


class ServiceClient:
    """Base class of generated synchronous clients."""

    _error_bodies = False
    _ns_decls = ""  # prefix declarations of the generated markup, set by each generated client
    _agent = ""  # the generated module of the client ("ticket"), set by each generated client

    def __init__(
        self,
        base_url: str,
        *,
        endpoint: str,
        soap_version: str,
        transport: Transport | None = None,
        timeout: float = 30.0,
    ) -> None:
        _check_version(soap_version)
        self.url = _join_url(base_url, endpoint)
        self.soap_version = soap_version
        # close() closes only a transport made here; a given one is the caller's.
        self._owned: HttpxTransport | None = None
        if transport is None:
            transport = self._owned = HttpxTransport(timeout=timeout)
        self.transport: Transport = transport

    def _invoke(self, operation: str, soap_action: str, headers: str, body: str) -> Envelope:
        envelope = build_envelope_text(self.soap_version, self._ns_decls, headers, body)
        call = SoapCall(self.url, operation, soap_action, self.soap_version, envelope, self._agent)
        return read_reply(self.transport.send(call), self.soap_version, self._error_bodies)

    def _headers(self, names: tuple[str, ...]) -> str:
        """The markup of the SOAP headers set on this client among `names`."""
        return ""

    def _after(self, env: Envelope) -> None:
        """Look at a reply's headers (generated clients keep them)."""

    def _call(self, op: Operation[_R], body: str) -> _R:
        try:
            env = self._invoke(op.name, op.action, self._headers(op.headers), body)
        except SoapFault as fault:
            if op.faults is None:
                raise
            raise op.faults(fault) from None
        self._after(env)
        return op.reply(env)

    def close(self) -> None:
        if self._owned is not None:
            self._owned.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncServiceClient:
    """Base class of generated asynchronous clients."""

    _error_bodies = False
    _ns_decls = ""
    _agent = ""

    def __init__(
        self,
        base_url: str,
        *,
        endpoint: str,
        soap_version: str,
        transport: AsyncTransport | None = None,
        timeout: float = 30.0,
    ) -> None:
        _check_version(soap_version)
        self.url = _join_url(base_url, endpoint)
        self.soap_version = soap_version
        self._owned: AsyncHttpxTransport | None = None
        if transport is None:
            transport = self._owned = AsyncHttpxTransport(timeout=timeout)
        self.transport: AsyncTransport = transport

    async def _ainvoke(self, operation: str, soap_action: str, headers: str, body: str) -> Envelope:
        envelope = build_envelope_text(self.soap_version, self._ns_decls, headers, body)
        call = SoapCall(self.url, operation, soap_action, self.soap_version, envelope, self._agent)
        return read_reply(await self.transport.asend(call), self.soap_version, self._error_bodies)

    def _headers(self, names: tuple[str, ...]) -> str:
        """The markup of the SOAP headers set on this client among `names`."""
        return ""

    def _after(self, env: Envelope) -> None:
        """Look at a reply's headers (generated clients keep them)."""

    async def _acall(self, op: Operation[_R], body: str) -> _R:
        try:
            env = await self._ainvoke(op.name, op.action, self._headers(op.headers), body)
        except SoapFault as fault:
            if op.faults is None:
                raise
            raise op.faults(fault) from None
        self._after(env)
        return op.reply(env)

    async def aclose(self) -> None:
        if self._owned is not None:
            await self._owned.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


_P = ParamSpec("_P")


class AsyncCall(Generic[_P, _R]):
    """A method of a generated async client: ``await client.op(...)`` builds the request body
    with `build` (whose parameters it takes) and calls `op`, as the sync client's method does.

    In a class body it makes itself a plain ``async def`` method of the class (help(), inspect
    and mock.create_autospec see a coroutine function); type checkers see this descriptor,
    typed by `build`'s parameters and `op`'s result. The async class names its sync twin in
    ``_twin``; the twin's method lends its docstring and signature.
    """

    def __init__(self, op: Operation[_R], build: Callable[_P, str]) -> None:
        async def method(client: AsyncServiceClient, /, *args: Any, **kwargs: Any) -> Any:
            return await client._acall(op, build(*args, **kwargs))

        self.method = method

    def __set_name__(self, owner: type, name: str) -> None:
        method = self.method
        method.__name__ = name
        method.__qualname__ = f"{owner.__qualname__}.{name}"
        method.__module__ = owner.__module__
        twin = getattr(owner.__dict__.get("_twin"), name, None)
        if twin is not None:
            method.__doc__ = twin.__doc__
            method.__wrapped__ = twin  # type: ignore[attr-defined]  # inspect.signature follows it
        setattr(owner, name, method)

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> Self: ...

    @overload
    def __get__(
        self, obj: AsyncServiceClient, owner: type | None = None
    ) -> Callable[_P, Awaitable[_R]]: ...

    def __get__(
        self, obj: AsyncServiceClient | None, owner: type | None = None
    ) -> Self | Callable[_P, Awaitable[_R]]:
        # only outside a class body: in one, __set_name__ put the plain method in its place
        if obj is None:
            return self
        bound: Callable[_P, Awaitable[_R]] = self.method.__get__(obj)
        return bound


# ------------------------------------------------------------------------ data classes


class _RecordSpec:
    """What Record needs of a class, worked out once: its field names in order, the required
    ones and the fields whose default is made per instance (lists)."""

    __slots__ = ("order", "names", "required", "factories")

    def __init__(self, cls: type) -> None:
        fields = dataclasses.fields(cls)
        self.order = tuple(f.name for f in fields)
        self.names = frozenset(self.order)
        self.required = tuple(
            f.name
            for f in fields
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        )
        self.factories = tuple(
            (f.name, f.default_factory)
            for f in fields
            if f.default_factory is not dataclasses.MISSING
        )


_RECORD_SPECS: dict[type, _RecordSpec] = {}


def _spec(cls: type) -> _RecordSpec:
    spec = _RECORD_SPECS.get(cls)
    if spec is None:
        spec = _RECORD_SPECS[cls] = _RecordSpec(cls)
    return spec


class _ClassSignature:
    """Record.__signature__: a record class's keyword signature, from its dataclass fields, for
    help() and inspect (the type checker has its own, see :func:`record`)."""

    def __init__(self) -> None:
        self.cache: dict[type, inspect.Signature] = {}

    def __get__(self, obj: object, owner: type) -> inspect.Signature | None:
        if obj is not None or not dataclasses.is_dataclass(owner):
            return None
        sig = self.cache.get(owner)
        if sig is None:
            params = [
                inspect.Parameter(
                    f.name,
                    inspect.Parameter.KEYWORD_ONLY,
                    default=(
                        f.default
                        if f.default is not dataclasses.MISSING
                        else (
                            inspect.Parameter.empty
                            if f.default_factory is dataclasses.MISSING
                            else f.default_factory()
                        )
                    ),
                    annotation=f.type,
                )
                for f in dataclasses.fields(owner)
            ]
            sig = self.cache[owner] = inspect.Signature(params, return_annotation=None)
        return sig


class Record:
    """Base of generated data classes: keyword construction, equality and repr by their
    dataclass fields.

    One __init__ serves every class (the type checker sees each class's own signature through
    :func:`record`); @dataclass would otherwise exec an __init__ for every class at import time,
    which dominates importing a large generated module. Fields not given keep the class's
    default, as for parsed values.
    """

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]
    __signature__ = _ClassSignature()

    def __init__(self, **values: Any) -> None:
        cls = type(self)
        spec = _spec(cls)
        if not spec.names.issuperset(values):
            unknown = sorted(set(values) - spec.names)
            raise TypeError(
                f"{cls.__name__}() got unexpected keyword arguments: {', '.join(unknown)}"
            )
        for name in spec.required:
            if name not in values:
                raise TypeError(f"{cls.__name__}() missing required keyword argument: {name!r}")
        for name, factory in spec.factories:
            if values.get(name) is None:  # a list field left out, or given as None
                values[name] = factory()
        self.__dict__.update(values)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in _spec(type(self)).order)

    def __repr__(self) -> str:
        shown = (f"{n}={getattr(self, n)!r}" for n in _spec(type(self)).order if n != "nil_fields")
        return f"{type(self).__name__}({', '.join(shown)})"


_RecordT = TypeVar("_RecordT", bound=Record)


@dataclass_transform(kw_only_default=True, eq_default=False, field_specifiers=(dataclasses.field,))
def record(cls: type[_RecordT]) -> type[_RecordT]:
    """Make `cls` a dataclass (fields, asdict, replace) keeping Record's __init__, eq and repr."""
    return dataclasses.dataclass(kw_only=True, init=False, repr=False, eq=False)(cls)


# ------------------------------------------------------------------- JSON (ServiceStack)

_MS_DATE = re.compile(r"^\\?/Date\((-?\d+)([+-]\d{4})?\)\\?/$")


def json_member(obj: Any, name: str) -> Any:
    """obj[name], or its camelCase spelling (ServiceStack on .NET Core writes camelCase)."""
    if not isinstance(obj, dict):
        raise TypeError(f"expected a JSON object for {name!r}, got {type(obj).__name__}")
    if name in obj:
        return obj[name]
    return obj.get(name[:1].lower() + name[1:])


def json_parse_datetime(text: str) -> _dt.datetime:
    """ServiceStack's /Date(ms+hhmm)/ or an ISO 8601 dateTime."""
    m = _MS_DATE.match(text)
    if m is None:
        return parse_datetime(text)
    utc = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC) + _dt.timedelta(milliseconds=int(m.group(1)))
    if m.group(2) is None:
        return utc
    sign = -1 if m.group(2)[0] == "-" else 1
    offset = _dt.timedelta(hours=int(m.group(2)[1:3]), minutes=int(m.group(2)[3:5])) * sign
    return utc.astimezone(_dt.timezone(offset))


def _json_reply(status: int, content: bytes, error_bodies: bool) -> Any:
    try:
        data = json.loads(content.decode("utf-8-sig")) if content.strip() else None
    except (UnicodeDecodeError, ValueError) as exc:
        if status >= 400:
            raise TransportError(
                f"HTTP {status} with a body that is not JSON",
                status_code=status,
                body_excerpt=_excerpt(content),
            ) from None
        raise MalformedResponseError(
            f"reply is not JSON ({exc})", body_excerpt=_excerpt(content)
        ) from None
    if status >= 400 and not (error_bodies and isinstance(data, dict)):
        raise TransportError(f"HTTP {status}", status_code=status, body_excerpt=_excerpt(content))
    if not isinstance(data, dict):
        raise MalformedResponseError("reply is not a JSON object", body_excerpt=_excerpt(content))
    return data


_JSON_HEADERS = {
    "Content-Type": "application/json; charset=utf-8",
    "Accept": "application/json",
}


class JsonServiceClient:
    """Base of generated clients for ServiceStack's JSON endpoint: POST <base>/json/reply/<Op>."""

    _error_bodies = True

    def __init__(
        self,
        base_url: str,
        *,
        client: httpx.Client | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._owned = client is None
        self.client = client if client is not None else httpx.Client(timeout=timeout)

    def _post_json(self, operation: str, payload: dict[str, Any]) -> Any:
        url = f"{self.base_url}/json/reply/{operation}"
        try:
            response = self.client.post(
                url, content=json.dumps(payload).encode("utf-8"), headers=_JSON_HEADERS
            )
        except httpx.HTTPError as exc:
            raise TransportError(
                f"{operation}: {type(exc).__name__}: {exc}", status_code=0
            ) from exc
        return _json_reply(response.status_code, response.content, self._error_bodies)

    def close(self) -> None:
        if self._owned:
            self.client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncJsonServiceClient:
    """The async twin of JsonServiceClient."""

    _error_bodies = True

    def __init__(
        self,
        base_url: str,
        *,
        client: httpx.AsyncClient | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._owned = client is None
        self.client = client if client is not None else httpx.AsyncClient(timeout=timeout)

    async def _apost_json(self, operation: str, payload: dict[str, Any]) -> Any:
        url = f"{self.base_url}/json/reply/{operation}"
        try:
            response = await self.client.post(
                url, content=json.dumps(payload).encode("utf-8"), headers=_JSON_HEADERS
            )
        except httpx.HTTPError as exc:
            raise TransportError(
                f"{operation}: {type(exc).__name__}: {exc}", status_code=0
            ) from exc
        return _json_reply(response.status_code, response.content, self._error_bodies)

    async def aclose(self) -> None:
        if self._owned:
            await self.client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
