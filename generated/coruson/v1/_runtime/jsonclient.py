"""ServiceStack's JSON endpoint (POST <base>/json/reply/<Operation>)."""

from __future__ import annotations

import datetime as _dt
import json
import re
from typing import Any, Self

import httpx

from .errors import MalformedResponseError, redact_url
from .transport import (
    DEFAULT_MAX_REPLY_BYTES,
    REDIRECTS,
    SoapReply,
    apost,
    check_options,
    post,
    status_error,
)
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


def _json_reply(reply: SoapReply, operation: str, url: str, error_bodies: bool) -> Any:
    status, content = reply.status_code, reply.content
    if status in REDIRECTS:
        raise status_error(reply, operation, url, "redirects", location=True)
    if 300 <= status < 400:
        raise status_error(reply, operation, url, "where a JSON reply was expected")
    empty = not content.strip()
    if empty and status != 200:
        raise status_error(reply, operation, url, "with an empty body")
    try:
        data = None if empty else json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        if status >= 400:
            raise status_error(reply, operation, url, "with a body that is not JSON") from None
        raise MalformedResponseError(
            f"{operation}: reply from {redact_url(url)} is not JSON ({exc})",
            body_excerpt=excerpt(content),
        ) from None
    if status >= 400 and not (
        error_bodies and isinstance(data, dict) and json_member(data, "ResponseStatus")
    ):
        # an error status is success only to the caller that reads its ResponseStatus
        raise status_error(reply, operation, url, "without a ResponseStatus")
    if not isinstance(data, dict):
        raise MalformedResponseError(
            f"{operation}: reply from {redact_url(url)} is not a JSON object",
            body_excerpt=excerpt(content),
        )
    return data


_JSON_HEADERS = {
    "Content-Type": "application/json; charset=utf-8",
    "Accept": "application/json",
}


class JsonServiceClient:
    """Base of generated clients for ServiceStack's JSON endpoint: POST <base>/json/reply/<Op>.

    ``timeout``, ``deadline`` and ``max_reply_bytes`` as HttpxTransport's.
    """

    _error_bodies = True

    def __init__(
        self,
        base_url: str,
        *,
        client: httpx.Client | None = None,
        timeout: float = 30.0,
        deadline: float | None = None,
        max_reply_bytes: int | None = DEFAULT_MAX_REPLY_BYTES,
    ) -> None:
        check_options(deadline, max_reply_bytes)
        self.base_url = base_url.rstrip("/")
        self._owned = client is None
        self.client = client if client is not None else httpx.Client(timeout=timeout)
        self.deadline = deadline
        self.max_reply_bytes = max_reply_bytes

    def _post_json(self, operation: str, payload: dict[str, Any]) -> Any:
        url = f"{self.base_url}/json/reply/{operation}"
        reply = post(
            self.client,
            url,
            operation,
            json.dumps(payload).encode("utf-8"),
            _JSON_HEADERS,
            max_reply_bytes=self.max_reply_bytes,
            deadline=self.deadline,
        )
        return _json_reply(reply, operation, url, self._error_bodies)

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
        deadline: float | None = None,
        max_reply_bytes: int | None = DEFAULT_MAX_REPLY_BYTES,
    ) -> None:
        check_options(deadline, max_reply_bytes)
        self.base_url = base_url.rstrip("/")
        self._owned = client is None
        self.client = client if client is not None else httpx.AsyncClient(timeout=timeout)
        self.deadline = deadline
        self.max_reply_bytes = max_reply_bytes

    async def _apost_json(self, operation: str, payload: dict[str, Any]) -> Any:
        url = f"{self.base_url}/json/reply/{operation}"
        reply = await apost(
            self.client,
            url,
            operation,
            json.dumps(payload).encode("utf-8"),
            _JSON_HEADERS,
            max_reply_bytes=self.max_reply_bytes,
            deadline=self.deadline,
        )
        return _json_reply(reply, operation, url, self._error_bodies)

    async def aclose(self) -> None:
        if self._owned:
            await self.client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
