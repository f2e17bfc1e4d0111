"""XML in and out: the safe parser every reply goes through, escaping for the markup
generated code writes, xsi:nil and xsi:type."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from .errors import MalformedResponseError

SOAP11_NS = "http://schemas.xmlsoap.org/soap/envelope/"


SOAP12_NS = "http://www.w3.org/2003/05/soap-envelope"


XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"


XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"


XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class _NoExternalLoads(etree.Resolver):
    # libxml2 reads a local external subset (<!DOCTYPE a SYSTEM "/etc/x">) even with
    # load_dtd=False; answering every external load with "" keeps files unread.
    def resolve(  # type: ignore[override]  # the stub omits `context`
        self, url: str, pubid: str, context: Any
    ) -> Any:
        return self.resolve_string("", context, base_url=None)


def _parser(huge_tree: bool) -> etree.XMLParser:
    # Comments and processing instructions are dropped while parsing: text they split reads
    # whole ("4<!---->2" is "42"), and the children of an element are elements only.
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=huge_tree,
        collect_ids=False,
        remove_comments=True,
        remove_pis=True,
    )
    parser.resolvers.add(_NoExternalLoads())
    return parser


# Module-level parsers: lxml serialises the use of each across threads internally.
# libxml2's defaults refuse a text node over 10,000,000 bytes, which caps attachments (base64)
# near 7.5 MB; huge_tree lifts that (to 1 GB: the transport's max_reply_bytes is the real
# limit) and raises the depth limit from 256 to 2048. A reply under _HUGE_FROM bytes cannot
# hold such a text node (an input byte becomes at most 4 bytes of UTF-8), so it meets the
# default parser with libxml2's own depth check; a larger one meets the huge_tree parser and
# our walk for the same depth limit. DTDs stay refused either way (billion laughs, XXE).
_PARSER = _parser(False)
_HUGE_PARSER = _parser(True)
_HUGE_FROM = 2_500_000
MAX_DEPTH = 256
"""The deepest element nesting parse_xml accepts (libxml2's default, kept for huge replies)."""
_DTD_REFUSED = "XML with a DOCTYPE is refused (DTDs and entities are not allowed)"
_TOO_DEEP = f"XML nests elements deeper than {MAX_DEPTH} levels (refused)"


def excerpt(data: bytes) -> str:
    # 500 characters never take more than 2000 bytes of UTF-8.
    return data[:2000].decode("utf-8", "replace")[:500]


def _prolog_has_doctype(data: bytes) -> bool:
    """True when a DOCTYPE precedes the root element (PIs and comments skipped)."""
    pos = 0
    while (lt := data.find(b"<", pos)) >= 0:
        if data.startswith(b"<?", lt):
            end, pos = data.find(b"?>", lt + 2), 2
        elif data.startswith(b"<!--", lt):
            end, pos = data.find(b"-->", lt + 4), 3
        else:
            return data.startswith(b"<!DOCTYPE", lt)
        if end < 0:  # unterminated PI/comment: the parser rejects it
            return False
        pos += end
    return False


def parse_xml(data: bytes) -> etree._Element:
    """Parse untrusted XML; any DOCTYPE (entities, external DTD) is refused."""
    # Cheap pre-check so a DTD is never parsed ("<!DOCTYPE" inside CDATA or comments
    # of the content is fine). Encodings that are not ASCII-compatible (UTF-16) get
    # past it but meet the docinfo check, unresolved entities and blocked loads.
    if b"<!DOCTYPE" in data and _prolog_has_doctype(data):
        raise MalformedResponseError(_DTD_REFUSED, body_excerpt=excerpt(data))
    huge = len(data) >= _HUGE_FROM
    try:
        root = etree.fromstring(data, _HUGE_PARSER if huge else _PARSER)
    except etree.XMLSyntaxError as exc:
        if not data.strip():
            raise MalformedResponseError("empty XML document") from None
        if "Excessive depth" in (exc.msg or ""):
            raise MalformedResponseError(_TOO_DEEP, body_excerpt=excerpt(data)) from None
        raise MalformedResponseError(
            f"XML is not well-formed (line {exc.lineno}): {exc.msg}",
            body_excerpt=excerpt(data),
        ) from None
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise MalformedResponseError(_DTD_REFUSED, body_excerpt=excerpt(data))
    if huge and _too_deep(root):
        raise MalformedResponseError(_TOO_DEEP, body_excerpt=excerpt(data))
    return root


def _too_deep(root: etree._Element) -> bool:
    depth = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        else:
            depth -= 1
    return False


# Requests are built as text: escaping is the one place where text meets markup.
_ESCAPE = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


_ESCAPE_ATTR = re.compile('[&<>"\r\n\t\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


_ATTR_REFS = (
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    ('"', "&quot;"),
    ("\r", "&#13;"),
    ("\n", "&#10;"),
    ("\t", "&#9;"),
)


def esc(text: str) -> str:
    """Element text for XML; ValueError for characters XML 1.0 cannot hold (as lxml)."""
    if _ESCAPE.search(text) is None:
        return text
    if _NOT_XML.search(text) is not None:
        raise ValueError(f"text holds a character XML cannot carry: {text!r}")
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def esc_attr(text: str) -> str:
    """An attribute value (in double quotes) for XML."""
    if _ESCAPE_ATTR.search(text) is None:
        return text
    if _NOT_XML.search(text) is not None:
        raise ValueError(f"text holds a character XML cannot carry: {text!r}")
    for raw, ref in _ATTR_REFS:
        text = text.replace(raw, ref)
    return text


def is_nil(el: etree._Element) -> bool:
    value = el.get(XSI_NIL)
    return value is not None and value.strip(" \t\r\n") in ("true", "1")


def str_element(tag: str, value: str | None, nil: bool) -> str:
    """The markup of an optional string element `tag` (a prefixed name): its escaped value,
    or xsi:nil when `nil` and the value is None, or nothing."""
    if value is not None:
        return f"<{tag}>{esc(value)}</{tag}>"
    return f'<{tag} i:nil="true"/>' if nil else ""


def resolve_qname(el: etree._Element, text: str) -> str:
    """Clark name of a QName text in el's scope; the raw text when unresolvable."""
    text = text.strip()
    prefix, colon, local = text.rpartition(":")
    ns = el.nsmap.get(prefix if colon else None)
    return text if ns is None else f"{{{ns}}}{local}"


def get_xsi_type(el: etree._Element) -> str | None:
    value = el.get(XSI_TYPE)
    return None if value is None else resolve_qname(el, value)
