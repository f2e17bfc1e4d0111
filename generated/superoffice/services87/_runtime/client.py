"""The base classes of generated clients and the Operation each method calls."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Generic, ParamSpec, Self, TypeVar, overload

from lxml import etree

from .envelope import Envelope, build_envelope_text, check_version, read_reply
from .errors import MalformedResponseError, SoapFault
from .transport import (
    DEFAULT_MAX_REPLY_BYTES,
    AsyncHttpxTransport,
    AsyncTransport,
    HttpxTransport,
    SoapCall,
    Transport,
)
from .xmlsafe import excerpt, is_nil

_R = TypeVar("_R")


READ_ERRORS = (ValueError, KeyError, IndexError, TypeError)


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
                f"{self.name}: expected {self.response} in the response body, got "
                + ("nothing" if node is None else repr(node.tag)),
                body_excerpt=excerpt(env.raw),
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
        except READ_ERRORS as exc:
            raise MalformedResponseError(
                f"{self.name}: cannot read {what}: {exc}", body_excerpt=excerpt(env.raw)
            ) from exc


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
        deadline: float | None = None,
        max_reply_bytes: int | None = DEFAULT_MAX_REPLY_BYTES,
    ) -> None:
        check_version(soap_version)
        self.url = _join_url(base_url, endpoint)
        self.soap_version = soap_version
        # close() closes only a transport made here; a given one is the caller's.
        self._owned: HttpxTransport | None = None
        if transport is None:
            transport = self._owned = HttpxTransport(
                timeout=timeout, deadline=deadline, max_reply_bytes=max_reply_bytes
            )
        self.transport: Transport = transport

    def _invoke(
        self, operation: str, soap_action: str, headers: str, body: str, one_way: bool = False
    ) -> Envelope:
        envelope = build_envelope_text(self.soap_version, self._ns_decls, headers, body)
        call = SoapCall(self.url, operation, soap_action, self.soap_version, envelope, self._agent)
        reply = self.transport.send(call)
        return read_reply(reply, self.soap_version, self._error_bodies, call=call, one_way=one_way)

    def _headers(self, names: tuple[str, ...]) -> str:
        """The markup of the SOAP headers set on this client among `names`."""
        return ""

    def _after(self, env: Envelope) -> None:
        """Look at a reply's headers (generated clients keep them)."""

    def _call(self, op: Operation[_R], body: str) -> _R:
        try:
            env = self._invoke(
                op.name, op.action, self._headers(op.headers), body, op.response is None
            )
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
        deadline: float | None = None,
        max_reply_bytes: int | None = DEFAULT_MAX_REPLY_BYTES,
    ) -> None:
        check_version(soap_version)
        self.url = _join_url(base_url, endpoint)
        self.soap_version = soap_version
        self._owned: AsyncHttpxTransport | None = None
        if transport is None:
            transport = self._owned = AsyncHttpxTransport(
                timeout=timeout, deadline=deadline, max_reply_bytes=max_reply_bytes
            )
        self.transport: AsyncTransport = transport

    async def _ainvoke(
        self, operation: str, soap_action: str, headers: str, body: str, one_way: bool = False
    ) -> Envelope:
        envelope = build_envelope_text(self.soap_version, self._ns_decls, headers, body)
        call = SoapCall(self.url, operation, soap_action, self.soap_version, envelope, self._agent)
        reply = await self.transport.asend(call)
        return read_reply(reply, self.soap_version, self._error_bodies, call=call, one_way=one_way)

    def _headers(self, names: tuple[str, ...]) -> str:
        """The markup of the SOAP headers set on this client among `names`."""
        return ""

    def _after(self, env: Envelope) -> None:
        """Look at a reply's headers (generated clients keep them)."""

    async def _acall(self, op: Operation[_R], body: str) -> _R:
        try:
            env = await self._ainvoke(
                op.name, op.action, self._headers(op.headers), body, op.response is None
            )
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
