"""Secure XML parsing for every input the generator reads: no entities, no DTD, no network."""

from __future__ import annotations

from lxml import etree


class XmlInputError(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse(text: str | bytes) -> etree._Element:
    """Parse a document; raise XmlInputError (with a 1-based line) on anything unsafe or broken."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if isinstance(text, str) and data.lstrip().startswith(b"<?xml"):
        # lxml refuses str with an encoding declaration; the bytes are UTF-8 now.
        data = _recode_declaration(data)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 1
        raise XmlInputError(f"XML is not well-formed: {exc.msg}", line) from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise XmlInputError("XML with a DOCTYPE is refused (entities and DTDs are not allowed)", 1)
    return root


def _recode_declaration(data: bytes) -> bytes:
    end = data.find(b"?>")
    decl = data[: end + 2]
    lowered = decl.lower()
    if b"encoding" in lowered and b"utf-8" not in lowered:
        start = lowered.index(b"encoding")
        quote_at = start + decl[start:].index(b"=") + 1
        while decl[quote_at : quote_at + 1] in (b" ", b"\t"):
            quote_at += 1
        quote = decl[quote_at : quote_at + 1]
        close = decl.index(quote, quote_at + 1)
        decl = decl[:quote_at] + b'"utf-8"' + decl[close + 1 :]
        return decl + data[end + 2 :]
    return data
