"""The runtime's XML Schema codecs (templates/runtime/xsd.py), which the generator reads doc
sample values and writes plain defaults with: one grammar for generator and client.

The runtime is package data of soapgen (``soapgen.templates.runtime``); mypy cannot follow the
editable install's mapping of that name, so it is typed here, once.
"""

from __future__ import annotations

from typing import Any, Protocol

from soapgen.templates.runtime import anyvalue as _any
from soapgen.templates.runtime import xsd as _xsd


class Codec(Protocol):
    name: str
    python: str

    def parse(self, text: str) -> Any: ...

    def format(self, value: Any) -> str: ...


CODECS: dict[str, Codec] = _xsd.CODECS


def any_codec(xsi_type: str) -> str | None:
    """The CODECS key an xs:anyType value of this xsi:type (a Clark name) is read with."""
    found: str | None = _any.codec_key(xsi_type)
    return found


def any_written_type(value: object) -> str | None:
    """The xsi:type (a Clark name) the client writes an xs:anyType value of this Python value
    with; None for a value it writes as a record."""
    found = _any.simple_text(value)
    return None if found is None else f"{{{found[0]}}}{found[1]}"
