"""The Operation a generated module declares for each operation: how its request is built from
a call's arguments (their types checked first) and how its reply is read (a Result), with the
faults it declares."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Generic, ParamSpec, TypeVar

from lxml import etree

from .envelope import Envelope
from .errors import MalformedResponseError, SoapFault
from .values import Many, Value, WireError
from .xmlsafe import excerpt, is_nil

_P = ParamSpec("_P")
_R = TypeVar("_R")
_T = TypeVar("_T")
TR = TypeVar("TR")  # the transport a client takes: Transport or AsyncTransport


# --- replies --------------------------------------------------------------------------------


class Result(Generic[_R]):
    """How an operation's reply is read: `tag` is the child of the response element that holds
    the result (None: the response element itself is the value, or nothing is read)."""

    __slots__ = ("tag", "value", "missing", "default")

    def __init__(
        self, tag: str | None, value: Value[Any] | None, missing: str, default: Any = None
    ) -> None:
        self.tag, self.value, self.missing, self.default = tag, value, missing, default


def nothing() -> Result[None]:
    """An operation whose reply carries no value (one-way, or an empty response element)."""
    return Result(None, None, "none")


def whole(value: Value[_T]) -> Result[_T]:
    """The response element itself is the value (a bare body, or several results as a record)."""
    return Result(None, value, "error")


def child(tag: str, value: Value[_T]) -> Result[_T]:
    """One child of the response element, which the reply must carry."""
    return Result(tag, value, "error")


def optional_child(tag: str, value: Value[_T]) -> Result[_T | None]:
    """One child of the response element; None when the reply leaves it out or sends it nil."""
    return Result(tag, value, "none")


def children(tag: str, value: Value[_T]) -> Result[list[_T]]:
    """Every (non-nil) child of the response element with this tag, as a list."""
    return Result(tag, value, "all")


def child_or(tag: str, value: Value[_T], default: _T) -> Result[_T]:
    """One child of the response element; `default` when the reply leaves it out (a value type
    a WCF service always sends)."""
    return Result(tag, value, "default", default)


class Faults:
    """The faults an operation declares: detail element -> (exception class, detail reader)."""

    __slots__ = ("declared",)

    def __init__(
        self, declared: Mapping[str, tuple[Callable[[SoapFault, Any], SoapFault], Value[Any]]]
    ) -> None:
        self.declared = dict(declared)

    def typed(self, fault: SoapFault, operation: str = "") -> SoapFault:
        """The declared fault the detail carries, typed; else the fault as it came. A detail
        that cannot be read leaves the fault as it came (code, reason, raw detail), with the
        reading problem attached (``fault.detail_error``, and in its message)."""
        if fault.detail is None:
            return fault
        for el in fault.detail:
            entry = self.declared.get(el.tag) if isinstance(el.tag, str) else None
            if entry is None:
                continue
            make, value = entry
            try:
                detail = value.read(el)
            except WireError as exc:
                problem = str(exc.at(str(el.tag).rpartition("}")[2]))
                fault.detail_error = problem
                where = f"{operation}: " if operation else ""
                fault.args = (f"{fault}; {where}its declared detail cannot be read: {problem}",)
                return fault
            return make(fault, detail)
        return fault


class Operation(Generic[_P, _R]):
    """One operation as a generated module declares it.

    `build` writes the request body from the call's arguments (whose types `params` name, so a
    call with a wrong type fails before anything is sent), `request` is the tag of the Body
    element it writes, `params` hold each parameter's name, value and element (the request
    element itself for a parameter that is the whole body), `headers` are the SOAP header parts
    it sends, `response` the tag the reply's Body element must have (None: the reply is not
    read) and `result` how the value is read from it. `error_field`, with the name of the
    field that holds the error code: a response field that carries a service error
    (ServiceStack's ResponseStatus). `safe_to_repeat`: sending it twice does what sending it
    once does (it only reads; the generator's conservative classification from the API
    profile): a facade sends it again after renewing a refused ticket.
    """

    __slots__ = (
        "name",
        "action",
        "headers",
        "build",
        "params",
        "response",
        "result",
        "faults",
        "error_field",
        "safe_to_repeat",
        "request_tag",
    )

    def __init__(
        self,
        name: str,
        action: str,
        headers: tuple[str, ...],
        build: Callable[_P, str],
        params: tuple[tuple[str, Value[Any], str], ...],
        response: str | None,
        result: Result[_R],
        faults: Faults | None = None,
        error_field: tuple[str, str] | None = None,
        *,
        safe_to_repeat: bool = False,
        request: str = "",
    ) -> None:
        self.name, self.action, self.headers = name, action, headers
        self.build, self.params = build, params
        self.response, self.result, self.faults = response, result, faults
        self.error_field = error_field
        self.safe_to_repeat = safe_to_repeat
        self.request_tag = request

    def request(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
        """The request body for a call's arguments; TypeError naming the parameter (or the
        field inside it), the type expected and the one given when a value is not of its
        type."""
        for i, (name, value, _) in enumerate(self.params):
            if i < len(args):
                given = args[i]
            elif name in kwargs:
                given = kwargs[name]
            else:
                continue  # a default, or a missing argument the call itself reports
            if given is not None and not value.accepts(given):
                found = value.misfit(given, name) or f"{name} must be {value.name}"
                raise TypeError(f"{self.name}: {found}")
        try:
            return self.build(*args, **kwargs)
        except ValueError as exc:  # a value its type cannot hold (an xs:int above 2**31-1)
            raise ValueError(f"{self.name}: the request cannot be written: {exc}") from exc
        except (TypeError, AttributeError) as exc:  # a value of another type inside a record
            for given, name, value in self._given(args, kwargs):
                misfit = value.misfit(given, name)  # walks the records: on failure only
                if misfit is not None:
                    raise TypeError(f"{self.name}: {misfit}") from None
            raise TypeError(f"{self.name}: the request cannot be written: {exc}") from exc

    def _given(
        self, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> list[tuple[object, str, Value[Any]]]:
        """(argument, parameter name, declared value) of every argument given (not None)."""
        out = []
        for i, (name, value, _) in enumerate(self.params):
            given = args[i] if i < len(args) else kwargs.get(name)
            if given is not None:  # None: a default, or left out (the call reports that)
                out.append((given, name, value))
        return out

    def arguments(self, body: etree._Element) -> dict[str, Any]:
        """The arguments a request Body element carries (what `build` wrote), read with the
        parameters' value specs: the mock server's view of a call. A parameter the request
        leaves out is absent; WireError for one that cannot be read."""
        found: dict[str, Any] = {}
        for name, value, tag in self.params:
            if tag == self.request_tag:  # the parameter is the whole body
                found[name] = value.read(body)
                continue
            many = isinstance(value, Many)
            if many:
                found[name] = []
            for i, el in enumerate(el for el in body if el.tag == tag):
                step = str(tag).rpartition("}")[2] + (f"[{i}]" if many else "")
                try:
                    got = None if el.text is None and is_nil(el) else value.read(el)
                except WireError as exc:
                    raise exc.at(step) from None
                if many:
                    found[name].extend(got or [None])
                else:
                    found[name] = got
        return found

    def reply(self, env: Envelope) -> _R:
        node = env.body
        result = self.result
        if self.response is None:
            return None  # type: ignore[return-value]  # Result[None]
        if node is None or node.tag != self.response:
            found = "an empty Body" if node is None else repr(node.tag)
            raise MalformedResponseError(
                f"{self.name}: expected {self.response} in the response Body, found {found}",
                body_excerpt=excerpt(env.raw),
            )
        try:
            if result.tag is None:
                if result.value is None:
                    return None  # type: ignore[return-value]
                value: _R = result.value.read(node)
                return value
            if result.missing == "all":
                assert result.value is not None
                items = []
                for i, el in enumerate(node):
                    if el.tag == result.tag and (el.text is not None or not is_nil(el)):
                        try:
                            items.append(result.value.read(el))
                        except WireError as exc:
                            raise exc.at(f"{result.tag.rpartition('}')[2]}[{i}]") from None
                all_items: _R = items  # type: ignore[assignment]
                return all_items
            found_el = None
            for el in node:  # the last one wins, as for the fields of a record
                if el.tag == result.tag:
                    found_el = el
            name = result.tag.rpartition("}")[2]
            if found_el is None or (found_el.text is None and is_nil(found_el)):
                if result.missing == "none":
                    return None  # type: ignore[return-value]
                if result.missing == "default":
                    default: _R = result.default
                    return default
                raise WireError(f"the result {name} is missing")
            assert result.value is not None
            try:
                read: _R = result.value.read(found_el)
            except WireError as exc:
                raise exc.at(name) from None
            return read
        except WireError as exc:
            where = str(node.tag).rpartition("}")[2]
            raise MalformedResponseError(
                f"{self.name}: cannot read the response: {exc.at(where)}",
                body_excerpt=excerpt(env.raw),
            ) from None
