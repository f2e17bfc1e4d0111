"""Where an import (wsdl:import, xs:import, xs:include) may read from.

A relative location is read when it stays inside the specs tree: the specs folder of a run
(``inspect``: the folder given, or a single file's own folder), so ``../common/Common.xsd``
beside a version's WSDL is read, and ``../../../etc/passwd`` is refused. Absolute paths,
``file:`` and remote URLs are refused, except the well-known schemas soapgen carries itself
(:data:`KNOWN`, files in ``known/``): SOAP encoding, the XML namespace (``xml.xsd``) and
WS-Addressing, read from the copy whatever address names them, and also for an xs:import of
their namespace without a location. Nothing is ever fetched.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

KNOWN_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "known")
SOAP_ENC = "http://schemas.xmlsoap.org/soap/encoding/"
XML_NS = "http://www.w3.org/XML/1998/namespace"
WS_ADDRESSING = "http://www.w3.org/2005/08/addressing"

# file in known/ -> (its namespace, the addresses it stands for without scheme and final "/")
KNOWN: dict[str, tuple[str, tuple[str, ...]]] = {
    "soapenc.xsd": (SOAP_ENC, ("schemas.xmlsoap.org/soap/encoding",)),
    "xml.xsd": (XML_NS, ("www.w3.org/2001/xml.xsd", "www.w3.org/2009/01/xml.xsd")),
    "ws-addr.xsd": (
        WS_ADDRESSING,
        (
            "www.w3.org/2005/08/addressing/ws-addr.xsd",
            "www.w3.org/2006/03/addressing/ws-addr.xsd",
        ),
    ),
}
_BY_ADDRESS = {addr: name for name, (_, addrs) in KNOWN.items() for addr in addrs}
KNOWN_NAMESPACES = {ns: name for name, (ns, _) in KNOWN.items()}


@dataclass(frozen=True)
class Located:
    """Where an import reads from: a file (`path`, `key` naming it once per reader), or the
    reason it is refused."""

    path: str = ""
    key: str = ""
    refused: str = ""


def known_path(name: str) -> str:
    return os.path.join(KNOWN_DIR, name)


def known_for_namespace(namespace: str) -> Located | None:
    name = KNOWN_NAMESPACES.get(namespace)
    return None if name is None else Located(known_path(name), "known:" + name)


def locate(location: str, importer: str, root: str) -> Located:
    """The file an import of `location`, written in file `importer`, reads (root: the folder
    imports must stay inside, a real path)."""
    parts = urlsplit(location)
    if parts.scheme:
        address = (parts.netloc + parts.path).rstrip("/")
        name = _BY_ADDRESS.get(address) if parts.scheme in ("http", "https") else None
        if name is not None:
            return Located(known_path(name), "known:" + name)
        return Located(
            refused=f"import of {location!r} refused: soapgen reads no remote or absolute"
            " locations (only files inside the specs folder, and its own copies of the SOAP"
            " encoding, xml.xsd and WS-Addressing schemas)"
        )
    if os.path.isabs(location) or os.path.isabs(parts.path):
        return Located(refused=f"import of {location!r} refused: an absolute path")
    path = os.path.normpath(os.path.join(os.path.dirname(importer), parts.path))
    real = os.path.realpath(path)
    if not real.startswith(root.rstrip(os.sep) + os.sep):
        return Located(
            refused=f"import of {location!r} refused: it lies outside the specs folder {root}"
        )
    return Located(path, os.path.abspath(path))
