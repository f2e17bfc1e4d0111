"""The errors a generated client raises: every failure of a call is a SoapError.

SoapError
├── SoapFault                  the service answered with a SOAP Fault
├── TransportError             no usable HTTP answer (status_code None: no HTTP answer at all)
│   ├── NotDeliveredError      the request never reached the server: any call may be retried
│   │   └── ConnectTimeoutError
│   ├── NoAnswerError          sent, then the connection failed: the server may have acted
│   │   └── ReadTimeoutError
│   └── TransportTimeoutError  any timeout or exceeded deadline (both timeouts above)
├── MalformedResponseError     the reply is not a readable SOAP envelope
│   └── ResponseTooLargeError  the reply is larger than the client accepts
├── UnexpectedCallError        a ReplayTransport has no recorded answer
├── SignInError                signing in failed (signin.py)
└── TicketRejectedError        the service refused a call's ticket; not sent (again) (signin.py)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import ClassVar

from lxml import etree


class SoapError(Exception):
    """Base class of every error raised by a generated client."""


class SoapFault(SoapError):
    """A SOAP Fault returned by the service; str() gives code and reason. ``operation`` names
    the call that got it (set by the client); ``detail_error`` says why a declared fault's
    detail could not be read (the fault is then raised as it came, ``detail`` the raw
    element)."""

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
        self.operation = ""
        # a declared fault whose detail could not be read: why (the fault is raised as it came)
        self.detail_error: str | None = None


class TransportError(SoapError):
    """The call got no usable HTTP answer.

    Raised as such for an HTTP answer that carries no SOAP reply: an error status without a
    Fault, a redirect (``location``), a body-less status where a reply was expected.
    ``status_code`` is the HTTP status, or None when no HTTP answer came (the subclasses).

    ``delivered`` says whether the request reached the server: False when it certainly did
    not (NotDeliveredError: retrying is safe for any operation), True when an HTTP answer
    came back (from the server or a gateway in front of it), None when nobody can tell
    (NoAnswerError: the server may have acted; never retry a non-idempotent call blindly).
    ``retry_after`` is the delay in seconds a ``Retry-After`` header asked for (429, 503),
    ``headers`` the HTTP response headers (lower-case names), ``operation`` and ``url`` (with
    any password removed) name the call.
    """

    _delivered: ClassVar[bool | None] = None  # for errors without an HTTP answer

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        body_excerpt: str = "",
        operation: str = "",
        url: str = "",
        delivered: bool | None = None,
        retry_after: float | None = None,
        location: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body_excerpt = body_excerpt
        self.operation = operation
        self.url = url
        if delivered is None:
            delivered = True if status_code is not None else self._delivered
        self.delivered = delivered
        self.retry_after = retry_after
        self.location = location
        self.headers: Mapping[str, str] = {} if headers is None else headers


class NotDeliveredError(TransportError):
    """The request certainly did not reach the server (``delivered`` False): connection
    refused, name resolution failed, connecting timed out, no connection became free, the
    request could not be written in full, the deadline passed before anything was sent.
    Retrying is safe for every operation."""

    _delivered = False


class NoAnswerError(TransportError):
    """The request was sent (or partly sent) and no answer came: the connection dropped or the
    answer timed out (``delivered`` None). The server may have acted on it: retry only an
    operation that is safe to repeat."""


class TransportTimeoutError(TransportError):
    """A timeout (per phase: connect, write, read, pool) or the call's overall deadline
    expired. Every one is raised as ConnectTimeoutError or ReadTimeoutError, which also tell
    whether the request was delivered."""


class ConnectTimeoutError(NotDeliveredError, TransportTimeoutError):
    """Timed out before the request was sent (connecting, waiting for a free connection, or
    the deadline passed first): not delivered."""


class ReadTimeoutError(NoAnswerError, TransportTimeoutError):
    """Timed out after the request was (partly) sent, writing it or waiting for the answer
    (or the deadline passed meanwhile): the server may have acted."""


class MalformedResponseError(SoapError):
    """The reply is not XML, not a SOAP envelope, carries a DTD, nests too deep or cannot be
    read into the operation's result; ``body_excerpt`` holds its beginning."""

    def __init__(self, message: str, *, body_excerpt: str = "") -> None:
        super().__init__(message)
        self.body_excerpt = body_excerpt


class ResponseTooLargeError(MalformedResponseError):
    """The reply is larger than the transport accepts (``limit`` bytes, its max_reply_bytes);
    the rest of it was not read."""

    def __init__(
        self,
        message: str,
        *,
        limit: int,
        status_code: int | None = None,
        body_excerpt: str = "",
    ) -> None:
        super().__init__(message, body_excerpt=body_excerpt)
        self.limit = limit
        self.status_code = status_code


class UnexpectedCallError(SoapError):
    """A ReplayTransport received a call it has no recorded answer for."""


# scheme://userinfo@ (greedy: a password may hold an unescaped "@"); no parsing that can fail
_USERINFO = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://)([^/?#]*)@")


class SecretUrl(str):
    """A URL holding a user name and password: the string itself (the transport sends to
    it), shown with ``***`` for them by repr(), so that vars(client), debuggers and logged
    objects never show the password."""

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(redact_url(str(self)))


def keep_secret(url: str) -> str:
    """`url` as a client keeps it: a SecretUrl when it holds user information."""
    return SecretUrl(url) if _USERINFO.match(url) is not None else url


def redact_url(url: str) -> str:
    """`url` for messages and reprs: a user name and password in it become ``***``."""
    if "@" not in url:
        return url
    m = _USERINFO.match(url)
    return url if m is None else f"{m.group(1)}***@{url[m.end():]}"


def redact_text(text: str, url: str) -> str:
    """`text` (e.g. an httpx error message) with the user information of `url` removed."""
    m = _USERINFO.match(url) if "@" in url else None
    if m is None:
        return text
    return text.replace(url, redact_url(url)).replace(m.group(2) + "@", "***@")
