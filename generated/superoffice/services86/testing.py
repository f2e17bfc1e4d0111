"""Test helpers of superoffice Services86: replay the doc samples, normalize and compare envelopes; a mock server."""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Sequence
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, Generic, TypeVar

from lxml import etree as _etree

from . import _runtime as _rt
from ._runtime import ReplayTransport as ReplayTransport
from ._runtime.mockreplies import Answer as Answer
from ._runtime.mockreplies import CutOff as CutOff
from ._runtime.mockreplies import DocSample as DocSample
from ._runtime.mockreplies import Fault as Fault
from ._runtime.mockreplies import HttpStatus as HttpStatus
from ._runtime.mockreplies import Slow as Slow
from ._runtime.mockserver import MockCall as MockCall
from ._runtime.mockserver import MockServer as MockServer
from ._runtime.mockserver import MockServerError as MockServerError
from ._runtime.mockserver import MockService as _MockService

# the doc samples of every agent, fixtures/<agent>/<Operation>.*.xml (package data: found in
# an installed package too)
FIXTURES: Traversable = resources.files(__name__.rpartition(".")[0]) / "fixtures"
# the WSDL's XML Schema of every agent, schemas/<agent>/all.xsd (the mock server checks
# requests against it)
SCHEMAS: Traversable = resources.files(__name__.rpartition(".")[0]) / "schemas"
AGENTS: tuple[str, ...] = ("report",)

_C = TypeVar("_C")


def replay(agent: str = "") -> ReplayTransport:
    """A transport answering every operation (of every agent, or of `agent`, a module name
    such as "ticket") with its documented response sample."""
    return ReplayTransport.from_fixtures(FIXTURES, agent)


def serve(
    *agents: str, host: str = "127.0.0.1", port: int = 0, validate: bool = True
) -> MockServer:
    """A mock of the services (every agent, or those named, e.g. "ticket") over real HTTP:
    ``with testing.serve() as server:`` answers at ``server.url`` (give it to a client as its
    base URL) with the documented response samples, or what ``server.on(operation, ...)``
    registers; it checks every request against the WSDL's schema and records it in
    ``server.calls``. See the package's ``_runtime.mockserver``."""
    import importlib

    package = __name__.rpartition(".")[0]
    unknown = [a for a in agents if a not in AGENTS]
    if unknown:
        raise KeyError(f"no agent {', '.join(unknown)} (agents: {', '.join(AGENTS)})")
    services = [
        _MockService.of(importlib.import_module(f"{package}.{agent}"), FIXTURES, SCHEMAS)
        for agent in agents or AGENTS
    ]
    return MockServer(services, host=host, port=port, validate=validate)


def _elements(el: _etree._Element) -> list[_etree._Element]:
    return [c for c in el if isinstance(c.tag, str)]


def at(raw: bytes, path: Sequence[int]) -> _etree._Element | None:
    """The element at `path` (element-child indexes) below the Body's element of an envelope."""
    root = _rt.parse_xml(raw)
    for child in _elements(root):
        if _etree.QName(child).localname == "Body":
            kids = _elements(child)
            node: _etree._Element | None = kids[0] if kids else None
            for i in path:
                if node is None:
                    return None
                kids = _elements(node)
                node = kids[i] if i < len(kids) else None
            return node
    return None


def normalize(
    raw: bytes,
    soap_version: str,
    drop: Sequence[Sequence[int]] = (),
    fill: Sequence[tuple[Sequence[int], str]] = (),
    typed: Sequence[tuple[Sequence[int], str]] = (),
) -> bytes:
    """What a doc sample means on the wire of the binding.

    The docs show every envelope in the SOAP 1.2 namespace, put header elements straight under
    Envelope, write xsi:type on every element (always the declared type) and indent empty
    wrappers. This moves the envelope to the binding's namespace, puts headers under Header,
    drops xsi:type and whitespace-only text, removes the elements at `drop` and gives the
    elements at `fill` a value instead of xsi:nil (documented deviations from the WSDL, see the
    generated tests). The xs:anyType values at `typed` keep (a reply) or get (a request: the
    client's) the xsi:type given there as a Clark name.
    """
    root = _rt.parse_xml(raw)
    ns = _rt.SOAP11_NS if soap_version == "1.1" else _rt.SOAP12_NS
    headers: list[_etree._Element] = []
    body: list[_etree._Element] = []
    for child in _elements(root):
        local = _etree.QName(child).localname
        if _etree.QName(child).namespace == _etree.QName(root).namespace and local == "Header":
            headers.extend(_elements(child))
        elif _etree.QName(child).namespace == _etree.QName(root).namespace and local == "Body":
            body.extend(_elements(child))
        else:
            headers.append(child)
    types: list[tuple[_etree._Element, str, str]] = []
    if body:
        for fill_path, value in fill:
            target = _walk(body[0], fill_path)
            if target is not None:
                if _rt.XSI_NIL in target.attrib:
                    del target.attrib[_rt.XSI_NIL]
                target.text = value
        for type_path, clark in typed:
            target = _walk(body[0], type_path)
            if target is not None:
                type_ns, _, local = clark[1:].partition("}")
                types.append((target, type_ns, local))
        doomed = []
        for path in drop:
            node: _etree._Element | None = body[0]
            for i in path:
                kids = _elements(node) if node is not None else []
                node = kids[i] if i < len(kids) else None
            if node is not None:
                doomed.append(node)
        for node in doomed:
            parent = node.getparent()
            if parent is not None:
                parent.remove(node)
    prefixes = {type_ns: f"t{i}" for i, type_ns in enumerate(sorted({t[1] for t in types}))}
    env = _etree.Element(
        _etree.QName(ns, "Envelope"), nsmap={"s": ns, **{p: n for n, p in prefixes.items()}}
    )
    if headers:
        _etree.SubElement(env, _etree.QName(ns, "Header")).extend(headers)
    _etree.SubElement(env, _etree.QName(ns, "Body")).extend(body)
    for el in env.iter():
        if _rt.XSI_TYPE in el.attrib:
            del el.attrib[_rt.XSI_TYPE]
        if el.text is not None and not el.text.strip() and len(el):
            el.text = None
        if (
            el.text is not None
            and not el.text.strip()
            and not len(el)
            and el is not env
            and _is_wrapper(el)
        ):
            el.text = None
        if el.tail is not None and not el.tail.strip():
            el.tail = None
    for target, type_ns, local in types:
        target.set(_rt.XSI_TYPE, f"{prefixes[type_ns]}:{local}")
    return bytes(_etree.tostring(env, xml_declaration=True, encoding="utf-8"))


def _walk(node: _etree._Element | None, path: Sequence[int]) -> _etree._Element | None:
    for i in path:
        kids = _elements(node) if node is not None else []
        node = kids[i] if i < len(kids) else None
    return node


def _is_wrapper(el: _etree._Element) -> bool:
    # an empty element whose text is only layout: the docs indent operation wrappers with no children
    parent = el.getparent()
    return parent is not None and _etree.QName(parent).localname == "Body"


def canonical(data: bytes) -> str:
    """C14N 2.0 with prefixes rewritten: equal for envelopes that mean the same XML (an
    xsi:type's value is compared as the Clark name it resolves to)."""
    root = _rt.parse_xml(data)
    for el in root.iter():
        value = el.get(_rt.XSI_TYPE) if isinstance(el.tag, str) else None
        if value is not None:
            el.set(_rt.XSI_TYPE, _rt.resolve_qname(el, value))
    return str(_etree.canonicalize(root, rewrite_prefixes=True))


def replay_fixture(folder: Traversable, operation: str) -> ReplayTransport:
    """A replay transport answering `operation` with its stored ``<operation>.response.xml``."""
    return ReplayTransport({operation: (folder / f"{operation}.response.xml").read_bytes()})


def doc_envelope(
    folder: Traversable,
    name: str,
    soap_version: str,
    drop: Sequence[Sequence[int]],
    fill: Sequence[tuple[Sequence[int], str]],
    typed: Sequence[tuple[Sequence[int], str]] = (),
) -> bytes:
    """A doc sample file of `folder`, normalized (see :func:`normalize`)."""
    return normalize((folder / name).read_bytes(), soap_version, drop, fill, typed)


def assert_sent(
    transport: ReplayTransport,
    folder: Traversable,
    name: str,
    soap_version: str,
    drop: Sequence[Sequence[int]] = (),
    fill: Sequence[tuple[Sequence[int], str]] = (),
    typed: Sequence[tuple[Sequence[int], str]] = (),
) -> None:
    """The first request `transport` saw is the doc sample `name`, normalized."""
    sent = canonical(transport.calls[0].envelope)
    expected = canonical(doc_envelope(folder, name, soap_version, drop, fill, typed))
    if sent != expected:
        raise AssertionError(
            f"the request differs from {name}:\n" + _xml_diff(expected, sent, name, "sent")
        )


def replay_doc_response(
    folder: Traversable,
    operation: str,
    soap_version: str,
    drop: Sequence[Sequence[int]] = (),
    fill: Sequence[tuple[Sequence[int], str]] = (),
    typed: Sequence[tuple[Sequence[int], str]] = (),
) -> ReplayTransport:
    """A transport answering with the doc response sample, normalized; it must equal the
    stored ``<operation>.response.xml`` (what :func:`replay` answers with)."""
    normalized = doc_envelope(
        folder, f"{operation}.doc-response.xml", soap_version, drop, fill, typed
    )
    stored = (folder / f"{operation}.response.xml").read_bytes()
    if canonical(normalized) != canonical(stored):
        raise AssertionError(
            f"{operation}.doc-response.xml, normalized, differs from the stored response:\n"
            + _xml_diff(canonical(stored), canonical(normalized), "stored", "normalized")
        )
    return ReplayTransport({operation: normalized})


def _xml_diff(expected: str, actual: str, expected_name: str, actual_name: str) -> str:
    """A unified diff of two canonical envelopes, one element per line."""

    def lines(text: str) -> list[str]:
        root = _rt.parse_xml(text.encode("utf-8"))
        return _etree.tostring(root, pretty_print=True, encoding="unicode").splitlines()

    diff = difflib.unified_diff(
        lines(expected), lines(actual), expected_name, actual_name, lineterm=""
    )
    return "\n".join(diff)


@dataclasses.dataclass(frozen=True)
class Case(Generic[_C]):
    """One operation's doc samples, as the generated fixture tests check them.

    `call` makes the call with the values of the request sample on a client; `expected` is what
    the response sample parses to (with `raises`: the sample reports an error, and `expected`
    is the response the raised error carries). The drop and fill paths are documented
    deviations of the samples from the WSDL (see :func:`normalize`).
    """

    operation: str
    source: str  # where the request sample is, file:line
    call: Callable[[_C], object]
    expected: object
    raises: type[Exception] | None = None
    request_drop: Sequence[Sequence[int]] = ()
    request_fill: Sequence[tuple[Sequence[int], str]] = ()
    response_drop: Sequence[Sequence[int]] = ()
    response_fill: Sequence[tuple[Sequence[int], str]] = ()
    request_typed: Sequence[tuple[Sequence[int], str]] = ()  # xs:anyType values' xsi:type
    response_typed: Sequence[tuple[Sequence[int], str]] = ()


def case_id(case: Case[Any]) -> str:
    """The test id of a case: its operation's name."""
    return case.operation


def assert_request(
    case: Case[_C], client: Callable[[ReplayTransport], _C], folder: Traversable, soap_version: str
) -> None:
    """The client, called with the request sample's values, sends the request sample."""
    transport = replay_fixture(folder, case.operation)
    try:
        case.call(client(transport))
    except Exception as exc:  # the response sample reports an error: the request still counts
        if case.raises is None or not isinstance(exc, case.raises):
            raise
    if not transport.calls:
        raise AssertionError(f"{case.operation}: nothing was sent")
    sample = f"{case.operation}.doc-request.xml"
    try:
        assert_sent(
            transport,
            folder,
            sample,
            soap_version,
            case.request_drop,
            case.request_fill,
            case.request_typed,
        )
    except AssertionError as exc:
        raise AssertionError(f"{case.operation} (request sample at {case.source}): {exc}") from None


def response_value(
    case: Case[_C], client: Callable[[ReplayTransport], _C], folder: Traversable, soap_version: str
) -> object:
    """What the client returns for the response sample (with `case.raises`: the response the
    raised error carries); the call must be the case's operation, once."""
    transport = replay_doc_response(
        folder,
        case.operation,
        soap_version,
        case.response_drop,
        case.response_fill,
        case.response_typed,
    )
    if case.raises is None:
        value = case.call(client(transport))
    else:
        try:
            case.call(client(transport))
        except case.raises as exc:
            value = getattr(exc, "response", None)
        else:
            raise AssertionError(f"{case.operation}: {case.raises.__name__} was not raised")
    calls = [c.operation for c in transport.calls]
    if calls != [case.operation]:
        raise AssertionError(f"{case.operation}: the client called {calls}")
    return value
