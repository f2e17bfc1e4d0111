"""The base classes of generated clients.

A generated agent module declares one Operation per operation (:mod:`.operation`) and two
clients over one shared base: the sync client's methods call :meth:`ServiceClient._call`, the
async client's are :class:`AsyncCall`\\ s of the same operations.
"""

from __future__ import annotations

import contextvars
from collections.abc import Awaitable, Callable
from typing import Any, Generic, Literal, ParamSpec, Self, TypeVar, overload

from lxml import etree

from .envelope import Envelope, build_envelope_text, check_version, read_reply
from .errors import MalformedResponseError, SoapFault, keep_secret
from .httpx_transport import AsyncHttpxTransport, HttpxTransport
from .operation import Operation
from .transport import DEFAULT_MAX_REPLY_BYTES, AsyncTransport, SoapCall, Transport
from .values import WireError
from .wire import read_record
from .xmlsafe import excerpt

_P = ParamSpec("_P")
_R = TypeVar("_R")
_T = TypeVar("_T")
TR = TypeVar("TR")  # the transport a client takes: Transport or AsyncTransport
SoapVersion = Literal["1.1", "1.2"]


# --- clients --------------------------------------------------------------------------------


def _join_url(base_url: str, endpoint: str) -> str:
    return base_url.rstrip("/") + "/" + endpoint.lstrip("/")


class HeaderValues:
    """The SOAP header values of a client (its credentials, application token, ...), kept out
    of its repr and vars(): a facade hands one to all of its agents, so that a value set on
    one (a renewed ticket) goes with the calls of every agent."""

    __slots__ = ("values", "session")

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        # the facade's sign-in Session (signin.py), which keeps the ticket among the values
        # current: the calls of operations sending its header go through it
        self.session: Any = None

    def __repr__(self) -> str:
        return f"<HeaderValues: {', '.join(sorted(self.values)) or 'none'} set (values hidden)>"


class Header(Generic[_T]):
    """A SOAP header value of a client, as an attribute: ``client.credentials``."""

    def __init__(self, part: str) -> None:
        self.part = part

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> Self: ...

    @overload
    def __get__(self, obj: ClientBase[Any], owner: type | None = None) -> _T | None: ...

    def __get__(self, obj: ClientBase[Any] | None, owner: type | None = None) -> Self | _T | None:
        if obj is None:
            return self
        found: _T | None = obj._header_values.values.get(self.part)
        return found

    def __set__(self, obj: ClientBase[Any], value: _T | None) -> None:
        if value is None:
            obj._header_values.values.pop(self.part, None)
        else:
            obj._header_values.values[self.part] = value


def carries_error(info: object) -> bool:
    """Does an error record (SuperOffice's ExceptionInfo) report an error? One whose fields are
    all absent, nil or empty does not: some services send it empty on every reply."""
    fields = getattr(info, "__dataclass_fields__", None)
    if fields is None:
        return info is not None
    for name in fields:
        if name == "nil_fields":
            continue
        value = getattr(info, name, None)
        if value is None or value == "" or value == [] or value == {}:
            continue
        if hasattr(value, "__dataclass_fields__") and not carries_error(value):
            continue
        return True
    return False


def error_message(info: object) -> str:
    """The message of an error a service reported in an error record (ExceptionInfo,
    ResponseStatus): its message, else its friendly text, else its type or code; never empty."""
    for name in ("message", "friendly_text"):
        text = getattr(info, name, None)
        if isinstance(text, str) and text.strip():
            return text
    for name in ("exception_type", "error_code"):
        kind = getattr(info, name, None)
        if isinstance(kind, str) and kind.strip():
            return f"{kind} (the service sent no message)"
    return f"{type(info).__name__} reports an error without a message: {info!r}"


class ClientBase(Generic[TR]):
    """What the sync and async clients of an agent share: where calls go, the headers they
    send and what they read from a reply's headers. A generated agent module subclasses it
    once (its header values, endpoint, ...), and both of its clients derive from that and from
    ServiceClient or AsyncServiceClient (which bring the transport)."""

    _agent = ""  # the generated module ("ticket")
    _endpoint = ""  # the service path below the base URL
    _soap_version = "1.1"  # the version a client speaks unless told otherwise
    _soap_versions: tuple[str, ...] = ()  # bound for several: those it may be told to speak
    _ns_decls = ""  # prefix declarations of the generated markup
    _error_bodies = False  # HTTP error statuses carry normal response bodies (ServiceStack)
    _response_headers: type | None = None  # the generated ResponseHeaders record
    # (response header field, error class): a header that carries a service error
    _error_header: tuple[str, Callable[..., Exception]] | None = None
    _error_class: Callable[..., Exception] | None = None  # raised for an Operation.error_field

    def __init__(
        self,
        base_url: str,
        *,
        transport: TR | None = None,
        timeout: float = 30.0,
        deadline: float | None = None,
        max_reply_bytes: int | None = DEFAULT_MAX_REPLY_BYTES,
        header_values: HeaderValues | None = None,
        soap_version: SoapVersion | None = None,
    ) -> None:
        """`timeout` (per phase), `deadline` (the whole call) and `max_reply_bytes` configure
        the transport a client makes itself (a given one keeps its own). `soap_version`: the
        SOAP version to speak, for a service bound for several (``_soap_versions``)."""
        check_version(self._soap_version)
        speaks = self._soap_versions or (self._soap_version,)
        if soap_version is not None and soap_version not in speaks:
            raise ValueError(
                f"{type(self).__name__} speaks SOAP {' and '.join(speaks)}, not {soap_version!r}"
            )
        self.url = keep_secret(_join_url(base_url, self._endpoint))
        self.soap_version: str = soap_version or self._soap_version
        self._header_values = header_values if header_values is not None else HeaderValues()
        self._last: contextvars.ContextVar[Any] = contextvars.ContextVar(
            f"{type(self).__name__}.last_response_headers", default=None
        )
        self._connect(transport, timeout, deadline, max_reply_bytes)

    def _connect(
        self, transport: TR | None, timeout: float, deadline: float | None, max_bytes: int | None
    ) -> None:
        raise NotImplementedError

    @property
    def last_response_headers(self) -> Any:
        """The SOAP headers of the reply to this client's last call in the current thread or
        asyncio task (a context variable): concurrent calls each see their own."""
        return self._last.get()

    def _headers(self, names: tuple[str, ...]) -> str:
        """The markup of the SOAP headers set on this client among `names` (generated)."""
        return ""

    def _soap_call(self, op: Operation[Any, Any], args: tuple[Any, ...], kwargs: Any) -> SoapCall:
        body = op.request(args, kwargs)
        envelope = build_envelope_text(
            self.soap_version, self._ns_decls, self._headers(op.headers), body
        )
        return SoapCall(self.url, op.name, op.action, self.soap_version, envelope, self._agent)

    def _fault(self, op: Operation[Any, Any], fault: SoapFault) -> SoapFault:
        if op.faults is not None:
            fault = op.faults.typed(fault, op.name)
        fault.operation = op.name
        return fault

    def _result(self, op: Operation[_P, _R], env: Envelope) -> _R:
        headers: Any = None
        if self._response_headers is not None:
            try:
                if env.header is not None:
                    headers = read_record(self._response_headers, env.header)
                else:
                    headers = self._response_headers()
            except WireError as exc:
                raise MalformedResponseError(
                    f"{op.name}: cannot read the response headers: {exc.at('Header')}",
                    body_excerpt=(
                        excerpt(etree.tostring(env.header)) if env.header is not None else ""
                    ),
                ) from None
        self._last.set(headers)
        if self._error_header is not None and headers is not None:
            field, error = self._error_header
            info = getattr(headers, field, None)
            if info is not None and carries_error(info):
                raise error(info)
        value = op.reply(env)
        if op.error_field is not None and self._error_class is not None:
            field, code = op.error_field
            status = getattr(value, field, None)
            if status is not None and (getattr(status, code, None) if code else True):
                raise self._error_class(status, value)
        return value


class ServiceClient(ClientBase[Transport]):
    """Base class of generated synchronous clients."""

    def _connect(
        self,
        transport: Transport | None,
        timeout: float,
        deadline: float | None,
        max_bytes: int | None,
    ) -> None:
        if transport is not None and not callable(getattr(transport, "send", None)):
            raise TypeError(
                f"{type(self).__name__} needs a Transport (with send()), not {transport!r}"
            )
        # close() closes only a transport made here; a given one is the caller's.
        self._owned: HttpxTransport | None = None
        if transport is None:
            transport = self._owned = HttpxTransport(
                timeout=timeout, deadline=deadline, max_reply_bytes=max_bytes
            )
        self.transport: Transport = transport

    def _call(self, op: Operation[_P, _R], *args: _P.args, **kwargs: _P.kwargs) -> _R:
        session = self._header_values.session
        if session is not None and session.spec.header in op.headers:
            result: _R = session.call(self, op, args, kwargs)
            return result
        return self._send(op, args, kwargs)

    def _send(self, op: Operation[_P, _R], args: tuple[Any, ...], kwargs: Any) -> _R:
        """One call, as it is: the request sent, the reply read."""
        call = self._soap_call(op, args, kwargs)
        try:
            reply = self.transport.send(call)
            env = read_reply(
                reply, self.soap_version, self._error_bodies, call=call, one_way=op.response is None
            )
        except SoapFault as fault:
            raise self._fault(op, fault) from None
        return self._result(op, env)

    def close(self) -> None:
        if self._owned is not None:
            self._owned.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncServiceClient(ClientBase[AsyncTransport]):
    """Base class of generated asynchronous clients."""

    def _connect(
        self,
        transport: AsyncTransport | None,
        timeout: float,
        deadline: float | None,
        max_bytes: int | None,
    ) -> None:
        if transport is not None and not callable(getattr(transport, "asend", None)):
            raise TypeError(
                f"{type(self).__name__} needs an AsyncTransport (with asend()), not {transport!r}"
            )
        self._owned: AsyncHttpxTransport | None = None
        if transport is None:
            transport = self._owned = AsyncHttpxTransport(
                timeout=timeout, deadline=deadline, max_reply_bytes=max_bytes
            )
        self.transport: AsyncTransport = transport

    async def _acall(self, op: Operation[_P, _R], *args: _P.args, **kwargs: _P.kwargs) -> _R:
        session = self._header_values.session
        if session is not None and session.spec.header in op.headers:
            result: _R = await session.call(self, op, args, kwargs)
            return result
        return await self._asend(op, args, kwargs)

    async def _asend(self, op: Operation[_P, _R], args: tuple[Any, ...], kwargs: Any) -> _R:
        """One call, as it is: the request sent, the reply read."""
        call = self._soap_call(op, args, kwargs)
        try:
            reply = await self.transport.asend(call)
            env = read_reply(
                reply, self.soap_version, self._error_bodies, call=call, one_way=op.response is None
            )
        except SoapFault as fault:
            raise self._fault(op, fault) from None
        return self._result(op, env)

    async def aclose(self) -> None:
        if self._owned is not None:
            await self._owned.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


class AsyncCall(Generic[_P, _R]):
    """A method of a generated async client: ``await client.op(...)`` calls `op` as the sync
    client's method does.

    In a class body it makes itself a plain ``async def`` method of the class (help(), inspect
    and mock.create_autospec see a coroutine function); type checkers see this descriptor,
    typed by the operation's parameters and result. The async class names its sync twin in
    ``_twin``; the twin's method lends its docstring and signature.
    """

    def __init__(self, op: Operation[_P, _R]) -> None:
        async def method(client: AsyncServiceClient, /, *args: Any, **kwargs: Any) -> Any:
            return await client._acall(op, *args, **kwargs)

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
