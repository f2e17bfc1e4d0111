"""What a call sends and receives over HTTP, and the httpx transports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Self

import httpx

from .errors import TransportError


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


TEXT_XML = "text/xml; charset=utf-8"
