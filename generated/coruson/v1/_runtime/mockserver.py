"""A mock of the services a generated package calls, over real HTTP (the standard library's
ThreadingHTTPServer on 127.0.0.1): every operation at its endpoint path, answering with its
documented response sample or with what a test registers (:mod:`.mockreplies`).

It checks every request as the real service would before answering: POST, the Content-Type
and SOAPAction of the binding's SOAP version, a well-formed envelope of that version, an
operation the action and the Body element name (and agree on), and (when the package ships
the WSDL's schemas) every Header and Body element against the schema. A request it refuses
is answered with a SOAP fault naming the problem (Client/Sender), so a wrong envelope fails
the test that sent it; the call is recorded with its ``errors``.

ServiceStack services are served at their SOAP endpoint and at ``json/reply/<Operation>``.
The generated package's ``testing.serve()`` builds one for all of its agents.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import threading
import traceback
from collections.abc import Callable, Sequence
from email.message import Message
from typing import Any, Self

from lxml import etree

from .envelope import read_reply
from .errors import SoapError
from .jsonclient import read_json
from .mockhttp import Handler, HTTPServer
from .mockreplies import (
    Answer,
    Behaviour,
    CutOff,
    DocSample,
    Fault,
    HttpStatus,
    Reply,
    Slow,
    content_type,
    fault_envelope,
    fault_reply,
    header_markup,
    json_error,
    json_value,
    value_envelope,
)
from .mockservice import MockCall, MockService
from .operation import Operation
from .transport import SoapReply
from .values import WireError
from .wire import RecordOf
from .xmlsafe import SOAP11_NS, SOAP12_NS, parse_xml
from .xmlwrite import Markup

MockKey = str | tuple[str, str]  # "Operation" (of any agent) or ("agent", "Operation")
_ENVELOPE_NS = {"1.1": SOAP11_NS, "1.2": SOAP12_NS}


__all__ = ["MockCall", "MockKey", "MockServer", "MockServerError", "MockService"]


class MockServerError(SoapError):
    """The mock server could not answer as the test asked (an answer of the wrong type, a
    handler that raised, an operation without a documented sample): raised when the server
    closes, listing every such problem."""


class MockServer:
    """The mock server: ``with MockServer(services) as server:`` serves on 127.0.0.1 at
    ``server.url`` (a free port unless `port` is given) until the block ends.

    ``server.on(key, *answers)`` registers what an operation answers (key: "Operation" of any
    agent, or ("agent", "Operation")); several answers are given in turn, the last then
    repeats. ``server.calls`` lists every request received. `validate` False skips the schema
    check (the HTTP and envelope checks stay).
    """

    def __init__(
        self,
        services: Sequence[MockService],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        validate: bool = True,
    ) -> None:
        self.services = list(services)
        paths: dict[str, str] = {}
        for s in self.services:
            if s.path.lower() in paths:
                raise ValueError(
                    f"two services at {s.path}: {paths[s.path.lower()]} and {s.agent}"
                    " (serve one API version per server)"
                )
            paths[s.path.lower()] = s.agent
        self.host, self.port, self.validate = host, port, validate
        # called with every MockCall once it is answered (soapgen serve logs them)
        self.listeners: list[Callable[[MockCall], None]] = []
        self._answers: dict[MockKey, list[Any]] = {}
        self._served: dict[MockKey, int] = {}
        self._calls: list[MockCall] = []
        self.problems: list[str] = []
        self._lock = threading.Lock()
        self.stopping = threading.Event()  # set by close(): slow answers in flight stop waiting
        self._httpd: HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ------------------------------------------------------------------------

    def start(self) -> Self:
        if self._httpd is not None:
            return self
        self.stopping.clear()
        self._httpd = HTTPServer((self.host, self.port), Handler, self)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            args=(0.02,),  # how soon close() is noticed
            name=f"mockserver:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving (slow answers in flight are cut short)."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self.stopping.set()
        httpd.shutdown()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, exc_type: object, *_: object) -> None:
        self.close()
        if exc_type is None:
            self.check()

    def check(self) -> None:
        """MockServerError when the server could not answer as asked."""
        with self._lock:
            problems = list(self.problems)
        if problems:
            raise MockServerError("the mock server could not answer:\n- " + "\n- ".join(problems))

    @property
    def url(self) -> str:
        """The base URL to give a generated client (agents add their endpoint path)."""
        return f"http://{self.host}:{self.port}/"

    def url_of(self, agent: str) -> str:
        for s in self.services:
            if s.agent == agent:
                return self.url.rstrip("/") + s.path
        raise KeyError(f"no agent {agent!r} (agents: {', '.join(s.agent for s in self.services)})")

    # --- answers and calls ----------------------------------------------------------------

    def on(self, key: MockKey, *answers: Any) -> None:
        """What the operation `key` answers from now on (see :mod:`.mockreplies`): values of
        its result type, callables taking the MockCall, Answer, DocSample, Fault, HttpStatus,
        Slow, CutOff. Given in turn; the last one then answers every further call."""
        if not answers:
            raise ValueError(f"no answers given for {key!r}")
        self._operations_of(key)  # KeyError for an operation no agent has
        with self._lock:
            self._answers[key] = list(answers)
            self._served[key] = 0

    def reset(self) -> None:
        """Forget registered answers, recorded calls and problems."""
        with self._lock:
            self._answers.clear()
            self._served.clear()
            self._calls.clear()
            self.problems.clear()

    @property
    def calls(self) -> list[MockCall]:
        with self._lock:
            return list(self._calls)

    def calls_of(self, key: MockKey) -> list[MockCall]:
        agent, op = key if isinstance(key, tuple) else ("", key)
        return [c for c in self.calls if c.operation == op and (not agent or c.agent == agent)]

    def _operations_of(self, key: MockKey) -> list[tuple[MockService, Operation[Any, Any]]]:
        agent, name = key if isinstance(key, tuple) else ("", key)
        found = [
            (s, s.operations[name])
            for s in self.services
            if name in s.operations and (not agent or s.agent == agent)
        ]
        if not found:
            known = sorted({n for s in self.services for n in s.operations})
            close = difflib.get_close_matches(name, known, 3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            agents = ", ".join(s.agent for s in self.services)
            raise KeyError(f"no operation {key!r} in the agents {agents}{hint}")
        return found

    def _next_answer(self, agent: str, op: str) -> Any:
        with self._lock:
            for key in ((agent, op), op):
                answers = self._answers.get(key)
                if answers is not None:
                    served = self._served[key]
                    self._served[key] = served + 1
                    return answers[min(served, len(answers) - 1)]
        return DocSample()

    def _problem(self, text: str) -> None:
        with self._lock:
            self.problems.append(text)

    # --- a request --------------------------------------------------------------------

    def handle(self, method: str, path: str, headers: Message, content: bytes) -> Reply:
        """The answer to one HTTP request (called by the server's threads)."""
        path = path.split("?", 1)[0]
        call = MockCall(path, {k.lower(): v for k, v in headers.items()}, content)
        with self._lock:
            self._calls.append(call)
        reply = self._handle(method, path, headers, call)
        call.status = reply.status
        for listener in list(self.listeners):
            try:
                listener(call)
            except Exception as exc:  # a listener's failure is the test's, not the call's
                self._problem(f"a listener failed on {call!r}: {exc!r}")
        return reply

    def _service_at(self, path: str) -> MockService | None:
        lower = path.lower().rstrip("/")
        found = [s for s in self.services if lower.endswith(s.path.lower())]
        return max(found, key=lambda s: len(s.path)) if found else None

    def _handle(self, method: str, path: str, headers: Message, call: MockCall) -> Reply:
        json_op = path.rstrip("/").rpartition("/json/reply/")
        if json_op[1]:
            return self._handle_json(method, json_op[2], headers, call)
        service = self._service_at(path)
        if service is None:
            known = ", ".join(s.path for s in self.services)
            return Reply(404, f"no service at {path} (served: {known})".encode(), "text/plain")
        call.agent, call.soap_version = service.agent, service.soap_version
        version = service.soap_version
        if method != "POST":
            return Reply(405, b"SOAP requests are POSTed", "text/plain", {"Allow": "POST"})
        problem = _check_content_type(version, headers, call)
        if problem:
            return self._refuse(call, None, version, problem, status=415)
        try:
            root = parse_xml(call.content)
        except SoapError as exc:
            return self._refuse(call, None, version, f"the request is not XML: {exc}")
        if root.tag != f"{{{_ENVELOPE_NS[version]}}}Envelope":
            code = "VersionMismatch" if str(root.tag).endswith("}Envelope") else "Client"
            why = f"expected a SOAP {version} Envelope ({_ENVELOPE_NS[version]}), got {root.tag}"
            return self._refuse(call, None, version, why, code)
        ns = _ENVELOPE_NS[version]
        for child in root:
            if child.tag == f"{{{ns}}}Header":
                for h in child:
                    if isinstance(h.tag, str):
                        call.headers[h.tag.rpartition("}")[2]] = h
            elif child.tag == f"{{{ns}}}Body":
                kids = [k for k in child if isinstance(k.tag, str)]
                call.body = kids[0] if kids else None
        if call.body is None:
            return self._refuse(call, None, version, "the Body holds no element")
        op = service.by_action.get(call.action) if call.action else None
        if op is None and call.action and service.by_action:
            known = ", ".join(sorted(service.by_action))
            why = f"SOAPAction {call.action!r} names no operation of {service.agent}"
            return self._refuse(call, None, version, f"{why} (actions: {known})")
        if op is None:
            op = service.by_tag.get(call.body.tag)
        if op is None:
            what = f"SOAPAction {call.action!r}" if call.action else "no SOAPAction"
            known = ", ".join(sorted(service.operations))
            why = f"{what} and Body element {call.body.tag} name no operation of {service.agent}"
            return self._refuse(call, None, version, f"{why} (operations: {known})")
        call.operation, call._op = op.name, op
        if op.request_tag and call.body.tag != op.request_tag:
            why = (
                f"SOAPAction {call.action!r} is operation {op.name}, whose Body element is"
                f" {op.request_tag}, but the Body holds {call.body.tag}"
            )
            return self._refuse(call, op, version, why)
        found = (
            service.schema_errors([*call.headers.values(), call.body]) if self.validate else None
        )
        if found:
            call.errors.extend(found)
            return self._refuse(call, op, version, "the request is not valid: " + "; ".join(found))
        return self._answer(service, op, call)

    def _refuse(
        self,
        call: MockCall,
        op: Operation[Any, Any] | None,
        version: str,
        why: str,
        code: str = "Client",
        status: int | None = None,
    ) -> Reply:
        if why not in call.errors:
            call.errors.append(why)
        reply = fault_reply(op, version, f"mock server: {why}", code)
        if status is not None:
            return Reply(status, reply.body, reply.content_type)
        return reply

    def _answer(self, service: MockService, op: Operation[Any, Any], call: MockCall) -> Reply:
        version = service.soap_version
        answer = self._next_answer(service.agent, op.name)
        delay = 0.0
        try:
            for _ in range(20):
                answer = _own(answer)
                if callable(answer) and not isinstance(answer, Behaviour | type):
                    answer = answer(call)
                elif isinstance(answer, Slow):
                    delay, answer = delay + answer.seconds, answer.then
                elif isinstance(answer, CutOff):
                    inner = self._answer_now(service, op, call, answer.then, version)
                    return Reply(
                        inner.status,
                        inner.body,
                        inner.content_type,
                        inner.headers,
                        delay,
                        cut_after=answer.after_bytes,
                        drop=answer.after_bytes is None,
                    )
                else:
                    reply = self._answer_now(service, op, call, answer, version)
                    return Reply(reply.status, reply.body, reply.content_type, reply.headers, delay)
            raise ValueError("answers nest more than 20 levels (a handler returning itself?)")
        except Exception as exc:  # the test's answer, not the request, is wrong
            where = f"{service.agent}.{op.name}"
            text = "".join(traceback.format_exception_only(exc)).strip()
            self._problem(f"{where}: {text}")
            return fault_reply(op, version, f"mock server: cannot answer {where}: {text}", "Server")

    def _answer_now(
        self, service: MockService, op: Operation[Any, Any], call: MockCall, answer: Any, v: str
    ) -> Reply:
        if isinstance(answer, HttpStatus):
            extra = dict(answer.headers)
            if answer.retry_after is not None:
                extra["Retry-After"] = str(answer.retry_after)
            return Reply(answer.status, answer.body, answer.content_type, extra)
        if call.json is not None or (call.path.rstrip("/").rpartition("/json/reply/")[1]):
            return self._json_answer(service, op, answer)
        if isinstance(answer, Fault):
            return Reply(answer.status, fault_envelope(op, v, answer), content_type(v))
        if isinstance(answer, DocSample):
            sample = service.sample(op.name)
            if sample is None:
                raise LookupError(
                    f"no documented response sample: register an answer with"
                    f" server.on({op.name!r}, ...)"
                )
            if answer.headers is not None:
                sample = _with_headers(sample, v, answer.headers)
            return Reply(200 if op.response else 202, sample, content_type(v))
        if not isinstance(answer, Answer):
            answer = Answer(answer)
        if op.response is None and answer.value is None and answer.headers is None:
            return Reply(answer.status if answer.status != 200 else 202, b"", content_type(v))
        body = value_envelope(op, v, answer.value, answer.headers)
        return Reply(answer.status, body, content_type(v))

    # --- ServiceStack's JSON endpoint -----------------------------------------------------

    def _handle_json(self, method: str, name: str, headers: Message, call: MockCall) -> Reply:
        found = [(s, s.operations[name]) for s in self.services if name in s.operations]
        found = [(s, op) for s, op in found if s.json_endpoint]
        if not found:
            return json_error(404, "NotFound", f"no operation {name} at json/reply")
        service, op = found[0]
        call.agent, call.operation, call._op = service.agent, op.name, op
        if method != "POST":
            return json_error(405, "MethodNotAllowed", "JSON requests are POSTed")
        media = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if media != "application/json":
            why = f"expected Content-Type application/json, got {media or 'none'}"
            call.errors.append(why)
            return json_error(415, "UnsupportedMediaType", why)
        try:
            call.json = json.loads(call.content or b"{}")
            request_value = op.params[0][1] if op.params else None
            if isinstance(request_value, RecordOf):
                call._arguments = {op.params[0][0]: read_json(request_value.cls, call.json)}
        except (ValueError, WireError, TypeError) as exc:
            why = f"the request cannot be read: {exc}"
            call.errors.append(why)
            return json_error(400, "SerializationException", why)
        return self._answer(service, op, call)

    def _json_answer(self, service: MockService, op: Operation[Any, Any], answer: Any) -> Reply:
        if isinstance(answer, Fault):
            return json_error(answer.status, answer.code, answer.reason)
        if isinstance(answer, DocSample):
            sample = service.sample(op.name)
            if sample is None:
                raise LookupError(f"no documented response sample of {op.name}")
            env = read_reply(SoapReply(200, sample, content_type(service.soap_version)), "1.2")
            return json_value(op.reply(env))
        value = answer.value if isinstance(answer, Answer) else answer
        reply = json_value(value)
        status = answer.status if isinstance(answer, Answer) else 200
        return Reply(status, reply.body, reply.content_type)


_BEHAVIOURS: dict[str, type] = {
    c.__name__: c for c in (Answer, DocSample, Fault, HttpStatus, Slow, CutOff)
}


def _own(answer: Any) -> Any:
    """An answer made with another generated package's testing module (each package has its
    own runtime) as this runtime's class."""
    cls = type(answer)
    own = _BEHAVIOURS.get(cls.__name__)
    if own is None or cls is own or not cls.__module__.endswith("._runtime.mockreplies"):
        return answer
    return own(**{f.name: getattr(answer, f.name) for f in dataclasses.fields(own)})


def _check_content_type(version: str, headers: Message, call: MockCall) -> str:
    """What is wrong with the request's Content-Type (and SOAPAction), or ""; sets the call's
    action."""
    ctype = headers.get("Content-Type") or ""
    media = ctype.split(";")[0].strip().lower()
    params = Message()
    params["Content-Type"] = ctype
    if version == "1.1":
        if media != "text/xml":
            return f"expected Content-Type text/xml for SOAP 1.1, got {media or 'none'}"
        action = headers.get("SOAPAction")
        if action is None:
            return "a SOAP 1.1 request needs a SOAPAction header"
        call.action = action.strip().strip('"')
        return ""
    if media != "application/soap+xml":
        return f"expected Content-Type application/soap+xml for SOAP 1.2, got {media or 'none'}"
    call.action = str(params.get_param("action") or "")
    return ""


def _with_headers(sample: bytes, version: str, headers: Any) -> bytes:
    """The sample envelope with the SOAP headers of a ResponseHeaders record."""
    root = parse_xml(sample)
    ns = _ENVELOPE_NS[version]
    m = Markup()
    markup = header_markup(m, headers)
    fragment = etree.fromstring(
        f'<s:Header xmlns:s="{ns}"{m.declarations()}>{markup}</s:Header>'.encode()
    )
    for old in root.findall(f"{{{ns}}}Header"):
        root.remove(old)
    root.insert(0, fragment)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))
