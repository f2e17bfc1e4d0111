"""What a call sends and receives (SoapCall, SoapReply), the Transport protocols a client
sends it through, and the TransportError an HTTP status means. The httpx transports are in
:mod:`.httpx_transport`."""

from __future__ import annotations

import datetime as _dt
import email.utils
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from .errors import (
    TransportError,
    redact_url,
)
from .xmlsafe import excerpt

DEFAULT_MAX_REPLY_BYTES = 100 * 1024 * 1024
"""The largest reply (after content decoding) the httpx transports read: 100 MiB, enough for an
attachment of about 75 MB in base64. None lifts the limit."""


@dataclass(frozen=True, slots=True, repr=False)
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

    def __repr__(self) -> str:
        # The envelope holds credentials and personal data: its size only (transports log this).
        return (
            f"SoapCall(operation={self.operation!r}, agent={self.agent!r}, "
            f"url={redact_url(self.url)!r}, soap_version={self.soap_version!r}, "
            f"envelope=<{len(self.envelope)} bytes>)"
        )


@dataclass(frozen=True, slots=True, repr=False)
class SoapReply:
    status_code: int
    content: bytes
    content_type: str = ""
    # the HTTP response headers; the httpx transports give lower-case names
    headers: Mapping[str, str] = field(default_factory=dict, hash=False)

    def header(self, name: str) -> str | None:
        """The value of HTTP header `name` (any case), or None."""
        value = self.headers.get(name.lower())
        if value is None:
            lower = name.lower()
            for key, other in self.headers.items():
                if key.lower() == lower:
                    return other
        return value

    def __repr__(self) -> str:
        return (
            f"SoapReply(status_code={self.status_code}, content_type={self.content_type!r}, "
            f"content=<{len(self.content)} bytes>)"
        )


class Transport(Protocol):
    def send(self, call: SoapCall) -> SoapReply: ...


class AsyncTransport(Protocol):
    async def asend(self, call: SoapCall) -> SoapReply: ...


# ------------------------------------------------------------------ errors from statuses


_DELAY_SECONDS = re.compile(r"[0-9]{1,10}")


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delay-seconds or an HTTP date; a date in
    the past gives 0.0); None for no or an unreadable value."""
    if value is None:
        return None
    value = value.strip()
    if _DELAY_SECONDS.fullmatch(value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000": UTC as well
        when = when.replace(tzinfo=_dt.UTC)
    return max(0.0, (when - _dt.datetime.now(_dt.UTC)).total_seconds())


def status_error(
    reply: SoapReply, operation: str, url: str, what: str, *, location: bool = False
) -> TransportError:
    """The TransportError of an HTTP answer that carries no reply: `what` describes it."""
    shown = excerpt(reply.content)
    retry_after = parse_retry_after(reply.header("retry-after"))
    where = f"{operation}: " if operation else ""
    source = f" from {redact_url(url)}" if url else ""
    message = f"{where}HTTP {reply.status_code}{source} {what}"
    target = None
    if location:
        target = reply.header("location")
        message += f" to {redact_url(target)}" if target else " without a Location"
        message += "; a SOAP call is not re-sent to another address (is the base URL current?)"
    if retry_after is not None:
        message += f" (Retry-After: {retry_after:g} s)"
    if shown.strip():
        message += f": {shown[:200]!r}"
    return TransportError(
        message,
        status_code=reply.status_code,
        body_excerpt=shown,
        operation=operation,
        url=redact_url(url),
        retry_after=retry_after,
        location=target,
        headers=reply.headers,
    )


REDIRECTS = frozenset({301, 302, 303, 307, 308})


TEXT_XML = "text/xml; charset=utf-8"
