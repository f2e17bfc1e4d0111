"""The httpx transports: a call over HTTP.

The httpx transports POST the envelope, read the whole answer (up to ``max_reply_bytes``) and
return it as a SoapReply, whatever its HTTP status: faults arrive with HTTP 500, and what a
status means is read_reply's to decide. A network failure is a TransportError subclass that
says whether the request was delivered (see errors.py).

Redirects are never followed: httpx would turn a 301/302/303 into a GET (the call silently
lost) and re-send the envelope on a 307/308 to whatever address ``Location`` names, credentials
in its SOAP headers included, and a non-idempotent call must not be repeated without the
caller's say. read_reply raises a TransportError naming the status and the Location instead.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections.abc import Mapping
from typing import Any, Self

import httpx

from .errors import (
    ConnectTimeoutError,
    NoAnswerError,
    NotDeliveredError,
    ReadTimeoutError,
    ResponseTooLargeError,
    TransportError,
    redact_text,
    redact_url,
)
from .transport import (
    DEFAULT_MAX_REPLY_BYTES,
    SoapCall,
    SoapReply,
)
from .xmlsafe import excerpt

# ------------------------------------------------------------------------- HTTP exchange


class _GaveUp(Exception):
    """Raised in a call the caller no longer waits for (its deadline passed)."""


class _Progress:
    """How far one request got, as httpcore's trace extension reports it: whether a byte of
    it may have left (sent) or writing it failed (the server cannot have it whole); and whether
    the caller gave up waiting (expired; then nothing more is sent or read)."""

    __slots__ = ("traced", "sent", "write_failed", "expired", "lock")

    def __init__(self) -> None:
        self.traced = False  # httpcore reported anything (other httpx transports do not)
        self.sent = False
        self.write_failed = False
        self.expired = False
        self.lock = threading.Lock()

    def trace(self, name: str, info: Mapping[str, Any]) -> None:
        self.traced = True
        if name.endswith(".send_request_headers.started"):
            with self.lock:
                if self.expired:
                    raise _GaveUp
                self.sent = True
        elif name.endswith((".send_request_headers.failed", ".send_request_body.failed")):
            # httpcore goes on to read an early answer; when none comes the request is
            # incomplete on the server's side: it cannot have acted on it.
            self.write_failed = True

    async def atrace(self, name: str, info: Mapping[str, Any]) -> None:
        self.trace(name, info)

    @property
    def delivered(self) -> bool | None:
        """False when the request certainly did not reach the server, else None (unknown)."""
        return None if self.sent and not self.write_failed else False


def _network_error(operation: str, url: str, exc: Exception, progress: _Progress) -> TransportError:
    shown_url = redact_url(url)
    detail = redact_text(f"{type(exc).__name__}: {exc}", url)
    where = f"{operation}: request to {shown_url}"
    common: dict[str, Any] = {"operation": operation, "url": shown_url}
    if isinstance(exc, httpx.DecodingError):  # the answer came, its Content-Encoding is broken
        return TransportError(
            f"{where}: the answer cannot be decoded: {detail}", delivered=True, **common
        )
    if progress.traced:
        not_sent = progress.delivered is False
    else:  # an httpx transport without httpcore's trace (a mock, WSGI): judged by the type
        not_sent = isinstance(exc, _BEFORE_SENDING)
    if isinstance(exc, httpx.TimeoutException):
        if not_sent:
            return ConnectTimeoutError(
                f"{where} timed out before it was sent (not delivered): {detail}", **common
            )
        return ReadTimeoutError(
            f"{where} timed out after it was sent (the server may have acted): {detail}",
            **common,
        )
    if not_sent:
        return NotDeliveredError(
            f"{where} failed before it was sent (not delivered): {detail}", **common
        )
    return NoAnswerError(
        f"{where} failed after it was sent, no answer (the server may have acted): {detail}",
        **common,
    )


_BEFORE_SENDING = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.ProxyError,
    httpx.UnsupportedProtocol,
    httpx.LocalProtocolError,
    httpx.InvalidURL,
)


def _deadline_error(operation: str, url: str, deadline: float, progress: _Progress) -> Exception:
    where = f"{operation}: request to {redact_url(url)} exceeded its deadline of {deadline:g} s"
    common: dict[str, Any] = {"operation": operation, "url": redact_url(url)}
    if progress.delivered is False:
        return ConnectTimeoutError(f"{where} before it was sent (not delivered)", **common)
    return ReadTimeoutError(f"{where} after it was sent (the server may have acted)", **common)


def _too_large(
    operation: str, url: str, limit: int, response: httpx.Response, head: bytes, size: str
) -> ResponseTooLargeError:
    return ResponseTooLargeError(
        f"{operation}: the reply from {redact_url(url)} (HTTP {response.status_code}) is "
        f"{size}, over the limit of {limit} bytes (max_reply_bytes of the transport)",
        limit=limit,
        status_code=response.status_code,
        body_excerpt=excerpt(head),
    )


def _declared_length(response: httpx.Response) -> int | None:
    value = response.headers.get("content-length", "")
    # a declared length is of the encoded body; only an identity body is as long when read
    if value.isascii() and value.isdigit() and not response.headers.get("content-encoding"):
        return int(value)
    return None


def _reply(response: httpx.Response, content: bytes) -> SoapReply:
    headers = {k.lower(): v for k, v in response.headers.items()}
    return SoapReply(response.status_code, content, headers.get("content-type", ""), headers)


def _capped(timeout: httpx.Timeout, cap: float) -> httpx.Timeout:
    def cut(value: float | None) -> float:
        return cap if value is None else min(value, cap)

    return httpx.Timeout(
        connect=cut(timeout.connect),
        read=cut(timeout.read),
        write=cut(timeout.write),
        pool=cut(timeout.pool),
    )


def _build(
    client: httpx.Client | httpx.AsyncClient,
    url: str,
    content: bytes,
    headers: Mapping[str, str],
    deadline: float | None,
    trace: Any,
) -> httpx.Request:
    timeout = client.timeout if deadline is None else _capped(client.timeout, deadline)
    return client.build_request(
        "POST", url, content=content, headers=headers, timeout=timeout, extensions={"trace": trace}
    )


_URL_ERRORS = (httpx.HTTPError, httpx.InvalidURL)


def _exchange(
    client: httpx.Client,
    url: str,
    operation: str,
    content: bytes,
    headers: Mapping[str, str],
    limit: int | None,
    deadline: float | None,
    progress: _Progress,
) -> SoapReply:
    try:
        request = _build(client, url, content, headers, deadline, progress.trace)
        response = client.send(request, stream=True, follow_redirects=False)
        try:
            declared = _declared_length(response)
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                chunks.append(chunk)
                if limit is not None and (size > limit or (declared or 0) > limit):
                    shown = f"{declared} bytes" if declared else f"more than {limit} bytes"
                    raise _too_large(operation, url, limit, response, b"".join(chunks), shown)
                if progress.expired:
                    raise _GaveUp
        finally:
            response.close()
    except _URL_ERRORS as exc:
        raise _network_error(operation, url, exc, progress) from exc
    return _reply(response, b"".join(chunks))


async def _aexchange(
    client: httpx.AsyncClient,
    url: str,
    operation: str,
    content: bytes,
    headers: Mapping[str, str],
    limit: int | None,
    deadline: float | None,
    progress: _Progress,
) -> SoapReply:
    try:
        request = _build(client, url, content, headers, deadline, progress.atrace)
        response = await client.send(request, stream=True, follow_redirects=False)
        try:
            declared = _declared_length(response)
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                chunks.append(chunk)
                if limit is not None and (size > limit or (declared or 0) > limit):
                    shown = f"{declared} bytes" if declared else f"more than {limit} bytes"
                    raise _too_large(operation, url, limit, response, b"".join(chunks), shown)
        finally:
            await response.aclose()
    except _URL_ERRORS as exc:
        raise _network_error(operation, url, exc, progress) from exc
    return _reply(response, b"".join(chunks))


def post(
    client: httpx.Client,
    url: str,
    operation: str,
    content: bytes,
    headers: Mapping[str, str],
    *,
    max_reply_bytes: int | None,
    deadline: float | None,
) -> SoapReply:
    """POST `content` and read the whole answer, within `deadline` seconds if given.

    A deadline bounds the whole call however the server trickles its answer: the exchange
    runs in a worker thread the caller stops waiting for at the deadline (the worker then
    stops sending and reading as soon as it can; httpx offers per-phase timeouts only).
    """
    progress = _Progress()
    if deadline is None:
        return _exchange(client, url, operation, content, headers, max_reply_bytes, None, progress)
    box: list[SoapReply | BaseException] = []
    done = threading.Event()
    context = contextvars.copy_context()

    def work() -> None:
        try:
            box.append(
                context.run(
                    _exchange,
                    client,
                    url,
                    operation,
                    content,
                    headers,
                    max_reply_bytes,
                    deadline,
                    progress,
                )
            )
        except BaseException as exc:  # handed to the caller (or dropped after the deadline)
            box.append(exc)
        finally:
            done.set()

    worker = threading.Thread(target=work, name=f"soap {operation}", daemon=True)
    worker.start()
    if not done.wait(deadline):
        with progress.lock:
            if not done.is_set():
                progress.expired = True
                raise _deadline_error(operation, url, deadline, progress)
    result = box[0]
    if isinstance(result, BaseException):
        raise result
    return result


async def apost(
    client: httpx.AsyncClient,
    url: str,
    operation: str,
    content: bytes,
    headers: Mapping[str, str],
    *,
    max_reply_bytes: int | None,
    deadline: float | None,
) -> SoapReply:
    """The async twin of post(); the deadline cancels the exchange (asyncio only)."""
    progress = _Progress()
    if deadline is None:
        return await _aexchange(
            client, url, operation, content, headers, max_reply_bytes, None, progress
        )
    scope = asyncio.timeout(deadline)
    try:
        async with scope:
            return await _aexchange(
                client, url, operation, content, headers, max_reply_bytes, deadline, progress
            )
    except TimeoutError:
        if not scope.expired():
            raise
        raise _deadline_error(operation, url, deadline, progress) from None


# ------------------------------------------------------------------------- the transports


class HttpxTransport:
    """Sync HTTP transport; closes the httpx.Client only if it created it.

    ``timeout`` applies per phase (connect, each write, each read, waiting for a pooled
    connection) to a client it creates; ``deadline`` (seconds, None: none) bounds each whole
    call, however slowly the server answers; ``max_reply_bytes`` is the largest reply read
    (ResponseTooLargeError above it; None: no limit). Deadline and limit apply to a given
    client too.
    """

    def __init__(
        self,
        client: httpx.Client | None = None,
        *,
        timeout: float = 30.0,
        deadline: float | None = None,
        max_reply_bytes: int | None = DEFAULT_MAX_REPLY_BYTES,
    ) -> None:
        check_options(deadline, max_reply_bytes)
        self._owns_client = client is None
        self.client = httpx.Client(timeout=timeout) if client is None else client
        self.deadline = deadline
        self.max_reply_bytes = max_reply_bytes

    def send(self, call: SoapCall) -> SoapReply:
        return post(
            self.client,
            call.url,
            call.operation,
            call.envelope,
            call.http_headers(),
            max_reply_bytes=self.max_reply_bytes,
            deadline=self.deadline,
        )

    def close(self) -> None:
        if self._owns_client:
            self.client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncHttpxTransport:
    """Async HTTP transport; closes the httpx.AsyncClient only if it created it. Options as
    HttpxTransport's."""

    def __init__(
        self,
        client: httpx.AsyncClient | None = None,
        *,
        timeout: float = 30.0,
        deadline: float | None = None,
        max_reply_bytes: int | None = DEFAULT_MAX_REPLY_BYTES,
    ) -> None:
        check_options(deadline, max_reply_bytes)
        self._owns_client = client is None
        self.client = httpx.AsyncClient(timeout=timeout) if client is None else client
        self.deadline = deadline
        self.max_reply_bytes = max_reply_bytes

    async def asend(self, call: SoapCall) -> SoapReply:
        return await apost(
            self.client,
            call.url,
            call.operation,
            call.envelope,
            call.http_headers(),
            max_reply_bytes=self.max_reply_bytes,
            deadline=self.deadline,
        )

    async def aclose(self) -> None:
        if self._owns_client:
            await self.client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


def check_options(deadline: float | None, max_reply_bytes: int | None) -> None:
    if deadline is not None and not deadline > 0:
        raise ValueError(f"deadline must be a positive number of seconds or None: {deadline!r}")
    if max_reply_bytes is not None and max_reply_bytes < 1:
        raise ValueError(f"max_reply_bytes must be positive or None: {max_reply_bytes!r}")
