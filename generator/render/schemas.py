"""The XML Schema every generated package ships per agent (``schemas/<agent>/all.xsd`` and the
documents it imports): what the mock server (``testing.serve()``) checks requests against.

A WSDL's own schema documents, as the reader kept them (:mod:`soapgen.read.sources.schemaset`); a
service read from metadata without a schema (ServiceStack) gets the schema of its DTOs, written
from the IR (:mod:`soapgen.render.xsdwrite`).
"""

from __future__ import annotations

from ..core import ir
from . import xsdwrite


def schema_files(svc: ir.Service) -> dict[str, bytes]:
    """{path in the version package: bytes} of `svc`'s schema documents."""
    if svc.schema_files:
        docs = {name: text.encode("utf-8") for name, text in svc.schema_files}
    else:
        docs = xsdwrite.schema_documents(svc)
    return {f"schemas/{svc.py_name}/{name}": data for name, data in sorted(docs.items())}
