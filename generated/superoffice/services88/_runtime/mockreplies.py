"""What the mock server (:mod:`.mockserver`) answers: the answers a test registers per
operation, and the reply envelopes, faults and JSON bodies written from them.

An answer is one of:

- a value of the operation's result type (or None: the result left out), or a callable taking
  the :class:`~.mockserver.MockCall` and returning one (or another answer);
- :class:`Answer`: a value with reply SOAP headers (SuperOffice's ExceptionInfo), a status;
- :class:`DocSample`: the documented response sample (what an operation answers by default);
- :class:`Fault`: a SOAP fault, with a declared fault's detail record;
- :class:`HttpStatus`: an HTTP error status (500, 503 with Retry-After, ...) and a body;
- :class:`Slow`: another answer, after a delay (a timeout test);
- :class:`CutOff`: the connection closed before the reply, or in the middle of it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .envelope import build_envelope_text
from .jsonclient import to_json
from .operation import Operation
from .wire import ELEMENT, RecordOf, wire_of
from .xmlsafe import esc
from .xmlwrite import Markup

if TYPE_CHECKING:
    from .mockservice import MockCall


class Behaviour:
    """Base class of the answers that are not plain values."""


@dataclass(frozen=True)
class Answer(Behaviour):
    """The reply to a call: `value` of the operation's result type (None: the result left
    out), the reply's SOAP `headers` (an instance of the agent module's ResponseHeaders, e.g.
    ``ResponseHeaders(exception_info=SoExceptionInfo(...))``) and the HTTP `status`."""

    value: Any = None
    headers: Any = None
    status: int = 200


@dataclass(frozen=True)
class DocSample(Behaviour):
    """The operation's documented response sample (with `headers`, when given, in its
    Header): what the server answers an operation no answer was registered for."""

    headers: Any = None


@dataclass(frozen=True)
class Fault(Behaviour):
    """A SOAP fault. `code`: "Client" or "Server" (SOAP 1.2: Sender, Receiver; each is
    written as its version requires), "VersionMismatch", "MustUnderstand", or a QName text;
    `detail`: a record of a fault the operation declares, or raw XML markup (str). The JSON
    endpoint answers it as ServiceStack does: ``{"ResponseStatus": {"ErrorCode": code,
    "Message": reason}}``."""

    reason: str = "mock fault"
    code: str = "Server"
    detail: Any = None
    status: int = 500


@dataclass(frozen=True)
class HttpStatus(Behaviour):
    """An HTTP answer without a SOAP reply: `status` (500, 503, 401, ...), a Retry-After
    header (seconds, or an HTTP date text), `body` and its `content_type`, further
    `headers`."""

    status: int
    retry_after: int | str | None = None
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Slow(Behaviour):
    """`then` (another answer: by default the documented sample), after `seconds`."""

    seconds: float
    then: Any = DocSample()


@dataclass(frozen=True)
class CutOff(Behaviour):
    """The connection closed without a reply (`after_bytes` None), or after the status line,
    the headers (announcing the whole reply) and the first `after_bytes` bytes of `then`."""

    after_bytes: int | None = None
    then: Any = DocSample()


Handler = Callable[["MockCall"], Any]


@dataclass(frozen=True)
class Reply:
    """An HTTP answer ready to send."""

    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    cut_after: int | None = None  # close the connection after this many body bytes
    drop: bool = False  # close the connection without answering


_CODES = {
    "1.1": {"Client": "Client", "Sender": "Client", "Server": "Server", "Receiver": "Server"},
    "1.2": {"Client": "Sender", "Sender": "Sender", "Server": "Receiver", "Receiver": "Receiver"},
}


def content_type(version: str) -> str:
    return "text/xml; charset=utf-8" if version == "1.1" else "application/soap+xml; charset=utf-8"


def header_markup(m: Markup, headers: Any) -> str:
    """The reply's SOAP headers from a ResponseHeaders record: one element per field set."""
    if headers is None:
        return ""
    wire = wire_of(type(headers))
    start = len(m.parts)
    for f in wire.fields:
        v = getattr(headers, f.name, None)
        if f.kind == ELEMENT and v is not None:
            m.element(f.tag, f.value, v, "Header")
    text = "".join(m.parts[start:])
    del m.parts[start:]
    return text


def value_envelope(op: Operation[Any, Any], version: str, value: Any, headers: Any) -> bytes:
    """The reply envelope carrying `value` as the operation's result. TypeError or ValueError
    (naming the element) for a value its result type cannot hold."""
    m = Markup()
    header = header_markup(m, headers)
    if op.response is None:
        return build_envelope_text(version, m.declarations(), header, "")
    result = op.result
    name = m.name(op.response)
    where = "/" + op.response.rpartition("}")[2]
    if result.value is None or (result.tag is None and value is None):
        m.parts.append(f"<{name}/>")
    elif result.tag is None:
        if isinstance(result.value, RecordOf):
            if not result.value.accepts(value):
                raise TypeError(
                    f"{op.name}: the result must be {result.value.name}, not {type(value).__name__}"
                )
            m.record(name, value, result.value.cls, where)
        else:
            m.element(op.response, result.value, value)
    else:
        m.parts.append(f"<{name}>")
        if result.missing == "all":
            if not isinstance(value, list):
                raise TypeError(f"{op.name}: the result must be a list, not {type(value).__name__}")
            for i, item in enumerate(value):
                if item is not None:
                    m.element(result.tag, result.value, item, f"{where}[{i}]")
        elif value is not None:
            m.element(result.tag, result.value, value, where)
        m.parts.append(f"</{name}>")
    body = m.text()
    return build_envelope_text(version, m.declarations(), header, body)


def fault_envelope(op: Operation[Any, Any] | None, version: str, fault: Fault) -> bytes:
    m = Markup()
    detail = ""
    if isinstance(fault.detail, str):
        detail = fault.detail
    elif fault.detail is not None:
        entries = op.faults.declared.items() if op is not None and op.faults is not None else ()
        for tag, (_, value) in entries:
            if value.accepts(fault.detail):
                m.element(tag, value, fault.detail, "Detail")
                detail = m.text()
                m.parts.clear()
                break
        else:
            declared = ", ".join(t.rpartition("}")[2] for t, _ in entries) or "none"
            raise TypeError(
                f"{op.name if op else 'the operation'}: a {type(fault.detail).__name__} is not"
                f" the detail of a fault it declares (declared: {declared})"
            )
    code = _CODES[version].get(fault.code)
    code_text = f"s:{code}" if code else fault.code
    if fault.code in ("VersionMismatch", "MustUnderstand"):
        code_text = f"s:{fault.code}"
    if version == "1.1":
        body = (
            f"<s:Fault><faultcode>{esc(code_text)}</faultcode>"
            f"<faultstring>{esc(fault.reason)}</faultstring>"
            + (f"<detail>{detail}</detail>" if detail else "")
            + "</s:Fault>"
        )
    else:
        body = (
            f"<s:Fault><s:Code><s:Value>{esc(code_text)}</s:Value></s:Code>"
            f'<s:Reason><s:Text xml:lang="en">{esc(fault.reason)}</s:Text></s:Reason>'
            + (f"<s:Detail>{detail}</s:Detail>" if detail else "")
            + "</s:Fault>"
        )
    return build_envelope_text(version, m.declarations(), "", body)


def fault_reply(
    op: Operation[Any, Any] | None, version: str, reason: str, code: str = "Client"
) -> Reply:
    """A fault the server itself answers (a request it refuses)."""
    status = 500 if version == "1.1" or code not in ("Client", "Sender") else 400
    body = fault_envelope(op, version, Fault(reason, code))
    return Reply(status, body, content_type(version))


def json_error(status: int, code: str, message: str) -> Reply:
    """ServiceStack's error body."""
    body = {"ResponseStatus": {"ErrorCode": code, "Message": message, "Errors": []}}
    return Reply(status, json.dumps(body).encode(), "application/json; charset=utf-8")


def json_value(value: Any) -> Reply:
    body = {} if value is None else to_json(value)
    return Reply(200, json.dumps(body).encode(), "application/json; charset=utf-8")
