"""The runtime's XML Schema codecs (templates/runtime/xsd.py), which the generator reads doc
sample values and writes plain defaults with: one grammar for generator and client.

The runtime is package data of soapgen (``soapgen.templates.runtime``); its modules are typed
here, once (mypy cannot follow an editable install's mapping of that name).
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import os
import sys
from typing import Any, Protocol

from .templateset import packaged_dir

_PACKAGE = "soapgen._runtime_codecs"


def _runtime_module(name: str) -> Any:
    """A module of the runtime package, imported as a module of a package of its own, so that
    the runtime's ``__init__`` does not run: it imports the whole client and httpx, and the
    generator needs the value grammar only (``xsd`` and ``anyvalue`` import nothing else)."""
    if _PACKAGE not in sys.modules:
        spec = importlib.machinery.ModuleSpec(_PACKAGE, None, is_package=True)
        package = importlib.util.module_from_spec(spec)
        package.__path__ = [os.path.join(packaged_dir(), "runtime")]
        sys.modules[_PACKAGE] = package
    return importlib.import_module(f"{_PACKAGE}.{name}")


_xsd = _runtime_module("xsd")
_any = _runtime_module("anyvalue")


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
