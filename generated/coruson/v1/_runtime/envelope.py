"""SOAP envelopes: the request around generated markup, and a reply read into its header,
body or fault."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from .errors import MalformedResponseError, SoapFault, TransportError, redact_url
from .transport import REDIRECTS, SoapCall, SoapReply, status_error
from .xmlsafe import SOAP11_NS, SOAP12_NS, XML_LANG, excerpt, parse_xml, resolve_qname


def _tags(ns: str) -> tuple[str, str, str, str, str]:
    return ns, f"{{{ns}}}Envelope", f"{{{ns}}}Header", f"{{{ns}}}Body", f"{{{ns}}}Fault"


# version -> (namespace, Envelope, Header, Body, Fault) Clark tags
_TAGS = {"1.1": _tags(SOAP11_NS), "1.2": _tags(SOAP12_NS)}


_VERSION_OF_ENVELOPE = {tags[1]: version for version, tags in _TAGS.items()}


def check_version(soap_version: str) -> None:
    if soap_version not in _TAGS:
        raise ValueError(f"unknown SOAP version {soap_version!r}")


def build_envelope_text(soap_version: str, ns_decls: str, headers: str, body: str) -> bytes:
    """The envelope around header and body markup built by generated code.

    ns_decls declares the prefixes that markup uses (one per namespace of the version).
    """
    check_version(soap_version)
    ns = SOAP11_NS if soap_version == "1.1" else SOAP12_NS
    head = f"<s:Header>{headers}</s:Header>" if headers else ""
    return (
        f'<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="{ns}"{ns_decls}>'
        f"{head}<s:Body>{body}</s:Body></s:Envelope>"
    ).encode()


@dataclass(frozen=True, slots=True)
class Envelope:
    header: etree._Element | None  # the Header element, if any
    body: etree._Element | None  # first element child of Body; None if Body is empty
    soap_version: str  # of the reply
    raw: bytes = field(default=b"", repr=False)  # the reply as received (for body_excerpt)


def _where(call: SoapCall | None) -> tuple[str, str]:
    return ("", "") if call is None else (call.operation, call.url)


def read_reply(
    reply: SoapReply,
    soap_version: str,
    error_bodies: bool = False,
    *,
    call: SoapCall | None = None,
    one_way: bool = False,
) -> Envelope:
    """Parse a reply into an Envelope or raise SoapFault/TransportError/Malformed...

    With error_bodies, an error status with a well-formed envelope and no Fault returns the
    envelope: services such as ServiceStack answer errors with a normal response body.
    `call` names the operation and URL in messages. A `one_way` operation (one that reads
    nothing from the reply) takes an empty 200, 202 or 204 as success (WS-I Basic Profile:
    a one-way operation is answered without an envelope), an empty Envelope then.

    A redirect is a TransportError naming status and Location (not followed: see
    transport.py), as is any other 3xx and an empty body with any other status except 200
    (MalformedResponseError: 200 promises an envelope).
    """
    # The reply's namespace decides its version (either is accepted); soap_version,
    # what was sent, only appears in messages.
    status = reply.status_code
    content = reply.content
    if 300 <= status < 400 or not content or content.isspace():
        return _bodyless(reply, soap_version, call, one_way)
    try:
        root = parse_xml(content)
    except MalformedResponseError as exc:
        if status >= 400:
            raise _http_error(reply, call, f"with a body that is not XML ({exc})") from None
        operation, url = _where(call)
        if not operation:
            raise
        raise MalformedResponseError(
            f"{operation}: reply from {redact_url(url)} (HTTP {status}): {exc}",
            body_excerpt=exc.body_excerpt or excerpt(content),
        ) from None
    version = _VERSION_OF_ENVELOPE.get(root.tag)
    header = body = None
    if version is not None:
        _, _, header_tag, body_tag, fault_tag = _TAGS[version]
        for child in root:
            if child.tag == body_tag:
                body = child
                break
            if child.tag == header_tag:
                header = child
    if version is None or body is None:
        if status >= 400:
            raise _http_error(reply, call, "with a body that is not a SOAP envelope")
        what = f"root {root.tag!r}" if version is None else "no Body"
        operation, url = _where(call)
        where = f"{operation}: reply from {redact_url(url)} " if operation else "reply "
        raise MalformedResponseError(
            f"{where}is not a SOAP {soap_version} envelope ({what})",
            body_excerpt=excerpt(content),
        )
    first = None
    for child in body:
        if isinstance(child.tag, str):  # skip comments and PIs
            first = child
            break
    if first is not None and first.tag == fault_tag:
        raise _read_fault(first, version, status)
    if status >= 400 and not error_bodies:
        raise _http_error(reply, call, "with a SOAP envelope without a Fault")
    return Envelope(header, first, version, content)


def _http_error(reply: SoapReply, call: SoapCall | None, what: str) -> TransportError:
    operation, url = _where(call)
    return status_error(reply, operation, url, what)


def _bodyless(
    reply: SoapReply, soap_version: str, call: SoapCall | None, one_way: bool
) -> Envelope:
    """A 3xx or an empty body: an empty Envelope for a one-way call answered so, else raised."""
    status = reply.status_code
    operation, url = _where(call)
    if status in REDIRECTS:
        raise status_error(reply, operation, url, "redirects", location=True)
    if 300 <= status < 400:
        raise status_error(reply, operation, url, "where a SOAP reply was expected")
    if status in (200, 202, 204) and one_way:
        return Envelope(None, None, soap_version, reply.content)
    if status == 200:
        where = f"{operation}: reply from {redact_url(url)} " if operation else "reply "
        raise MalformedResponseError(f"{where}is HTTP 200 with an empty body, no SOAP envelope")
    raise status_error(reply, operation, url, "with an empty body")


def _by_local_name(el: etree._Element) -> dict[str, etree._Element]:
    found: dict[str, etree._Element] = {}
    for child in el:
        if isinstance(child.tag, str):
            found.setdefault(child.tag.rpartition("}")[2], child)
    return found


def _text(el: etree._Element | None) -> str | None:
    return None if el is None else (el.text or "").strip()


def _read_fault(fault: etree._Element, version: str, status: int) -> SoapFault:
    # Off the hot path: children matched by local name, so sloppily (un)qualified
    # fault children are read too.
    parts = _by_local_name(fault)
    if version == "1.1":
        code_el = parts.get("faultcode")
        code = "" if code_el is None else resolve_qname(code_el, code_el.text or "")
        reason = _text(parts.get("faultstring")) or ""
        return SoapFault(
            code,
            reason,
            detail=parts.get("detail"),
            actor=_text(parts.get("faultactor")),
            soap_version=version,
            status_code=status,
        )
    codes: list[str] = []
    node = parts.get("Code")
    while node is not None:  # Code/Value, then the Subcode/Value chain
        node_parts = _by_local_name(node)
        value = node_parts.get("Value")
        if value is not None:
            codes.append(resolve_qname(value, value.text or ""))
        node = node_parts.get("Subcode")
    reason = ""
    reason_el = parts.get("Reason")
    if reason_el is not None:  # the first Text, preferring xml:lang="en"
        texts = [t for t in reason_el if isinstance(t.tag, str)]
        english = [t for t in texts if (t.get(XML_LANG) or "").lower() == "en"]
        reason = (_text((english or texts)[0]) or "") if texts else ""
    return SoapFault(
        codes[0] if codes else "",
        reason,
        detail=parts.get("Detail"),
        subcodes=tuple(codes[1:]),
        actor=_text(parts.get("Role")),
        soap_version=version,
        status_code=status,
    )
