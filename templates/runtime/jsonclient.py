"""ServiceStack's JSON endpoint (POST <base>/json/reply/<Operation>)."""

from __future__ import annotations

import datetime as _dt
import enum
import json
import re
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Self, TypeVar

import httpx

from .anyvalue import AnyValue
from .errors import MalformedResponseError, keep_secret, redact_url
from .httpx_transport import apost, check_options, post
from .transport import DEFAULT_MAX_REPLY_BYTES, REDIRECTS, SoapReply, status_error
from .values import ArrayOf, DictOf, Flags, Nillable, Scalar, Value, WireError
from .wire import RecordOf, wire_of
from .xmlsafe import excerpt
from .xsd import fmt_base64
from .xsddates import fmt_date, fmt_datetime, fmt_duration, fmt_time, parse_datetime

_T = TypeVar("_T")

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


def read_json(cls: type[_T], obj: Any) -> _T:
    """A record from its JSON form (the members named as the wire names, PascalCase or
    camelCase), by the class's wire spec."""
    wire = wire_of(cls)
    values: dict[str, Any] = {}
    for f in (*wire.attrs, *wire.index.values()):
        member = json_member(obj, f.tag.rpartition("}")[2])
        if member is None:
            continue
        try:
            if f.repeated:
                values[f.name] = [_from_json(f.value, m) for m in _as_list(member)]
            else:
                values[f.name] = _from_json(f.value, member)
        except WireError as exc:
            raise exc.at(f.tag.rpartition("}")[2]) from None
    return cls(**values)


def _as_list(member: Any) -> list[Any]:
    if not isinstance(member, list):
        raise WireError(f"expected a JSON array, found {type(member).__name__}")
    return member


def _from_json(value: Value[Any], member: Any) -> Any:
    if isinstance(value, AnyValue):  # an object: the JSON value as it came
        return member
    if isinstance(value, Nillable):
        return None if member is None else _from_json(value.inner, member)
    if isinstance(value, RecordOf):
        if not isinstance(member, dict):
            raise WireError(f"expected a JSON object for {value.name}")
        return read_json(value.cls, member)
    if isinstance(value, ArrayOf):
        return [
            None if m is None and value.nillable else _from_json(value.item, m)
            for m in _as_list(member)
        ]
    if isinstance(value, DictOf):
        if not isinstance(member, dict):
            raise WireError(f"expected a JSON object for {value.name}")
        return {
            _from_json(value.key, k): (
                None if v is None and value.nillable else _from_json(value.value, v)
            )
            for k, v in member.items()
        }
    if isinstance(value, Scalar) and not isinstance(member, str):
        if value.accepts(member):
            return Decimal(str(member)) if Decimal in _types(value) else member
        raise WireError(f"expected {value.name}, found JSON {type(member).__name__}")
    if isinstance(value, Scalar) and uuid.UUID in _types(value):
        try:  # ServiceStack writes a Guid as 32 hex digits ("N"), or with dashes
            return uuid.UUID(member)
        except ValueError as exc:
            raise WireError(f"not a valid {value.name}: {exc}", text=member) from None
    if isinstance(value, Scalar) and _dt.datetime in _types(value):
        try:
            return json_parse_datetime(member)
        except ValueError as exc:
            raise WireError(f"not a valid {value.name}: {exc}", text=member) from None
    return value.parse_text(member if isinstance(member, str) else str(member))


def _types(value: Scalar[Any]) -> tuple[type, ...]:
    return value.types if isinstance(value.types, tuple) else (value.types,)


def to_json(obj: Any) -> dict[str, Any]:
    """A record's JSON form, members named as its wire names (None members left out)."""
    wire = wire_of(type(obj))
    out: dict[str, Any] = {}
    for f in (*wire.attrs, *wire.index.values()):
        v = getattr(obj, f.name)
        if v is None or (f.repeated and not v):
            continue
        name = f.tag.rpartition("}")[2]
        out[name] = [_to_json(f.value, x) for x in v] if f.repeated else _to_json(f.value, v)
    return out


def _to_json(value: Value[Any], v: Any) -> Any:
    if v is None:
        return None
    if isinstance(value, Nillable):
        return _to_json(value.inner, v)
    if isinstance(value, RecordOf) or hasattr(type(v), "__wire__"):
        return to_json(v)
    if isinstance(value, ArrayOf):
        return [_to_json(value.item, x) for x in v]
    if isinstance(value, DictOf):
        return {str(_to_json(value.key, k)): _to_json(value.value, x) for k, x in v.items()}
    if isinstance(value, Flags):
        names = {m: n for n, m in value.members.items()}
        return " ".join(names[m] for m in v)
    if isinstance(v, enum.Enum):
        return v.value
    if isinstance(v, bool | int | float | str):
        return v
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, uuid.UUID):
        return v.hex
    if isinstance(v, _dt.datetime):
        return fmt_datetime(v)
    if isinstance(v, _dt.date):
        return fmt_date(v)
    if isinstance(v, _dt.time):
        return fmt_time(v)
    if isinstance(v, _dt.timedelta):
        return fmt_duration(v)
    if isinstance(v, bytes):
        return fmt_base64(v)
    raise TypeError(f"no JSON form for {type(v).__name__}")


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


def _json_result(
    name: str,
    data: Any,
    result: type[_T],
    error: tuple[str, str] | None,
    error_class: Callable[..., Exception] | None,
) -> _T:
    try:
        value = read_json(result, data)
    except (WireError, TypeError) as exc:
        raise MalformedResponseError(f"{name}: cannot read the JSON response: {exc}") from None
    if error is not None and error_class is not None:
        status = getattr(value, error[0], None)
        if status is not None and (getattr(status, error[1], None) if error[1] else True):
            raise error_class(status, value)
    return value


class JsonServiceClient:
    """Base of generated clients for ServiceStack's JSON endpoint: POST <base>/json/reply/<Op>.

    ``timeout``, ``deadline`` and ``max_reply_bytes`` as HttpxTransport's.
    """

    _error_bodies = True
    _error_class: Callable[..., Exception] | None = None  # raised for a filled error field

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
        self.base_url = keep_secret(base_url.rstrip("/"))
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

    def _json(
        self, name: str, request: Any, result: type[_T], error: tuple[str, str] | None = None
    ) -> _T:
        data = self._post_json(name, to_json(request))
        return _json_result(name, data, result, error, self._error_class)

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
    _error_class: Callable[..., Exception] | None = None

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
        self.base_url = keep_secret(base_url.rstrip("/"))
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

    async def _ajson(
        self, name: str, request: Any, result: type[_T], error: tuple[str, str] | None = None
    ) -> _T:
        data = await self._apost_json(name, to_json(request))
        return _json_result(name, data, result, error, self._error_class)

    async def aclose(self) -> None:
        if self._owned:
            await self.client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
