"""ServiceStack's JSON endpoint (POST <base>/json/reply/<Operation>)."""

from __future__ import annotations

import datetime as _dt
import json
import re
from typing import Any, Self

import httpx

from .errors import MalformedResponseError, TransportError
from .xmlsafe import excerpt
from .xsd import parse_datetime

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
                body_excerpt=excerpt(content),
            ) from None
        raise MalformedResponseError(
            f"reply is not JSON ({exc})", body_excerpt=excerpt(content)
        ) from None
    if status >= 400 and not (error_bodies and isinstance(data, dict)):
        raise TransportError(f"HTTP {status}", status_code=status, body_excerpt=excerpt(content))
    if not isinstance(data, dict):
        raise MalformedResponseError("reply is not a JSON object", body_excerpt=excerpt(content))
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
