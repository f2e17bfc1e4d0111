"""The runtime's XML Schema codecs (templates/runtime/xsd.py), which the generator reads doc
sample values and writes plain defaults with: one grammar for generator and client.

The runtime is package data of soapgen (``soapgen.templates.runtime``); mypy cannot follow the
editable install's mapping of that name, so it is typed here, once.
"""

from __future__ import annotations

from typing import Any, Protocol

from soapgen.templates.runtime import xsd as _xsd


class Codec(Protocol):
    name: str
    python: str

    def parse(self, text: str) -> Any: ...

    def format(self, value: Any) -> str: ...


CODECS: dict[str, Codec] = _xsd.CODECS
