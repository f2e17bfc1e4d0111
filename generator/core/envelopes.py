"""Doc sample envelopes: their header elements and body element, whatever SOAP version or
layout the docs use (headers straight under Envelope, as SuperOffice's samples put them)."""

from __future__ import annotations

from lxml import etree

from . import ir
from .diagnostics import Collector
from .xmlsafe import XmlInputError, parse, source_line


def _elements(el: etree._Element) -> list[etree._Element]:
    return [c for c in el if isinstance(c.tag, str)]


def envelope_parts(
    text: str, file: str, first_line: int, diags: Collector
) -> tuple[list[etree._Element], etree._Element | None] | None:
    """Headers (under Header or straight under Envelope) and the Body's element, or None."""
    try:
        root = parse(text)
    except XmlInputError as exc:
        diags.error(
            "SAMPLE001", file, first_line + exc.line - 1, f"sample is not usable XML: {exc}"
        )
        return None
    if etree.QName(root).localname != "Envelope" or etree.QName(root).namespace not in (
        ir.SOAP11_ENV,
        ir.SOAP12_ENV,
    ):
        diags.error(
            "SAMPLE002",
            file,
            first_line + source_line(root) - 1,
            "sample is not a SOAP Envelope",
        )
        return None
    headers: list[etree._Element] = []
    body = None
    for child in _elements(root):
        local = etree.QName(child).localname
        if etree.QName(child).namespace == etree.QName(root).namespace and local == "Header":
            headers.extend(_elements(child))
        elif etree.QName(child).namespace == etree.QName(root).namespace and local == "Body":
            kids = _elements(child)
            body = kids[0] if kids else None
        else:
            headers.append(child)
    return headers, body
