"""Secure XML parsing for every input the generator reads: no entities, no DTD, no network.

Three layers, so a hostile document never makes the parser touch a file or the network:

1. a document whose prolog has a DOCTYPE is refused before libxml2 sees it (no DTD, internal
   or external, is ever parsed: no billion laughs, no external entities, no external subset);
2. the parser itself resolves no entities, loads no DTD, has no network access and answers any
   external load it might still attempt with an empty document (a resolver);
3. after parsing, a tree that still carries DTD information is refused.

Depth and size limits are libxml2's defaults (``huge_tree=False``): 256 levels of nesting, and
10 MB text nodes.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

DOCTYPE_REFUSED = "XML with a DOCTYPE is refused (entities and DTDs are not allowed)"


def source_line(el: Any, default: int = 1) -> int:
    """The line an element starts on (lxml knows it for parsed elements), or `default`."""
    line = el.sourceline
    return line if isinstance(line, int) and line > 0 else default


class XmlInputError(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class _NoExternalLoads(etree.Resolver):
    """Answers every external load (DTD, entity, XInclude) with an empty document."""

    def resolve(self, url: str, pubid: str, context: Any) -> Any:  # type: ignore[override]
        return self.resolve_string("", context, base_url=None)


def _parser() -> etree.XMLParser:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=False,
        collect_ids=False,
        remove_comments=True,
        remove_pis=True,
    )
    parser.resolvers.add(_NoExternalLoads())
    return parser


def doctype_line(data: bytes) -> int:
    """The 1-based line of a DOCTYPE in the prolog (before the root element), or 0 when none.

    PIs and comments are skipped; a "<!DOCTYPE" inside the content (CDATA, comments) does not count.
    """
    pos = 0
    while (lt := data.find(b"<", pos)) >= 0:
        if data.startswith(b"<?", lt):
            end, skip = data.find(b"?>", lt + 2), 2
        elif data.startswith(b"<!--", lt):
            end, skip = data.find(b"-->", lt + 4), 3
        else:
            return data.count(b"\n", 0, lt) + 1 if data[lt : lt + 9].upper() == b"<!DOCTYPE" else 0
        if end < 0:  # an unterminated PI or comment: the parser rejects the document
            return 0
        pos = end + skip
    return 0


def parse(text: str | bytes) -> etree._Element:
    """Parse a document; raise XmlInputError (with a 1-based line) on anything unsafe or broken."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if isinstance(text, str) and data.lstrip().startswith(b"<?xml"):
        # lxml refuses str with an encoding declaration; the bytes are UTF-8 now.
        data = _recode_declaration(data)
    if not data.strip():
        raise XmlInputError("XML is not well-formed: the document is empty", 1)
    if b"<!" in data and (line := doctype_line(data)):
        raise XmlInputError(DOCTYPE_REFUSED, line)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 1
        raise XmlInputError(f"XML is not well-formed: {exc.msg}", line) from None
    except (ValueError, etree.LxmlError) as exc:  # e.g. an encoding lxml cannot handle
        raise XmlInputError(f"XML cannot be read: {exc}", 1) from None
    tree = root.getroottree()
    if (
        getattr(tree.docinfo, "doctype", "")
        or tree.docinfo.internalDTD is not None
        or tree.docinfo.externalDTD is not None
    ):
        raise XmlInputError(DOCTYPE_REFUSED, 1)
    return root


def _recode_declaration(data: bytes) -> bytes:
    end = data.find(b"?>")
    if end < 0:
        return data
    decl = data[: end + 2]
    lowered = decl.lower()
    if b"encoding" in lowered and b"utf-8" not in lowered:
        start = lowered.index(b"encoding")
        eq = decl.find(b"=", start)
        if eq < 0:
            return data
        quote_at = eq + 1
        while decl[quote_at : quote_at + 1] in (b" ", b"\t"):
            quote_at += 1
        quote = decl[quote_at : quote_at + 1]
        close = decl.find(quote, quote_at + 1) if quote in (b"'", b'"') else -1
        if close < 0:
            return data  # a broken declaration: the parser says what is wrong
        decl = decl[:quote_at] + b'"utf-8"' + decl[close + 1 :]
        return decl + data[end + 2 :]
    return data
