"""WSDL 1.1 -> IR Services (raw .wsdl files, or the WSDL fenced in a doc page).

Messages, portTypes, bindings and service ports of the WSDL and of what it imports
(wsdl:import: an imported WSDL is part of its importer), and the embedded or imported XML
Schemas through :mod:`.xsd`. Imports are read inside the specs tree only (:mod:`.imports`).
Every SOAP binding becomes a Service (:mod:`.bindings`).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from typing import Any

from lxml import etree

from ...core import ir
from ...core.diagnostics import Collector, Level
from ...core.xmlsafe import XmlInputError, parse, source_line
from ..inputs import (
    IMPORT_LIMIT,
    IMPORTS_TOTAL_LIMIT,
    InputError,
    TooBig,
    read_input,
    sha256,
    size_text,
)
from .bindings import Defs, W, assemble, binding_kind, check_elements
from .imports import KNOWN_NAMESPACES, Located, known_for_namespace, locate
from .schemaset import SchemaDocs
from .xsd import XS, SchemaReader, SchemaSet, resolve_qname
from .xsdrefs import check_type_refs, referenced_namespaces, resolve_refs

LocOf = Callable[[etree._Element], ir.Loc]


class WsdlReader:
    """Reads one WSDL document (and what it imports) into Services."""

    def __init__(self, diags: Collector, root: str | None = None) -> None:
        self.diags = diags
        self.schemas = SchemaSet()
        self.defs = Defs()
        self._seen: set[str] = set()
        self._root = os.path.realpath(root) if root else ""
        self._roots: list[tuple[etree._Element, LocOf]] = []
        self.wsdl_imports: set[str] = set()  # WSDL files read through wsdl:import (abspath)
        self.reads: dict[str, str] = {}  # absolute path -> sha256 of the bytes of each import
        self.imported_bytes = 0
        self.schema_docs = SchemaDocs()  # the schemas read, shipped with the package

    def read_text(self, text: str, file: str, first_line: int = 1) -> list[ir.Service]:
        root = self._parse(text, file, first_line)
        if root is None:
            return []
        self._seen.add(os.path.abspath(file))
        if not self._root:
            self._root = os.path.dirname(os.path.realpath(file))
        loc_of = _loc_factory(file, first_line)
        if root.tag == XS + "schema":
            self.diags.error(
                "WSDL001",
                file,
                first_line,
                "an XML Schema, not a WSDL: nothing to generate a client from",
            )
            return []
        if root.tag != W + "definitions":
            self.diags.error(
                "WSDL001",
                file,
                first_line + source_line(root) - 1,
                f"not a WSDL 1.1 document (root is {root.tag})",
            )
            return []
        self.defs.tns = root.get("targetNamespace", "")
        self.defs.name = root.get("name", "")
        self._definitions(root, file, loc_of)
        self._known_namespaces(loc_of(root))
        resolve_refs(self.schemas, self.diags, loc_of(root))
        check_type_refs(self.schemas, self.diags)
        services = assemble(self.defs, self.schemas, self.diags, self._loc, file, loc_of(root))
        checked = [check_elements(s, self.diags) for s in services]
        files = self.schema_docs.files()
        return [dataclasses.replace(s, schema_files=files) for s in checked if s is not None]

    def _parse(self, text: str | bytes, file: str, first_line: int) -> etree._Element | None:
        try:
            return parse(text)
        except XmlInputError as exc:
            self.diags.error("WSDL002", file, first_line + exc.line - 1, str(exc))
            return None

    def _definitions(self, root: etree._Element, file: str, loc_of: LocOf) -> None:
        self._roots.append((root, loc_of))
        schema_reader = SchemaReader(self.schemas, self.diags, loc_of)
        for child in root:
            tag = child.tag
            if tag == W + "import":
                self._import(child, file, loc_of, wsdl=True)
            elif tag == W + "types":
                for schema in child.iterchildren(XS + "schema"):
                    self.schema_docs.add(os.path.abspath(file), file, schema)
                    self._schema_imports(schema, file, loc_of)
                    schema_reader.read_schema(schema)
            elif tag == W + "message":
                parts = []
                for p in child.iterchildren(W + "part"):
                    element = resolve_qname(p, p.get("element", "")) if p.get("element") else None
                    type_ = resolve_qname(p, p.get("type", "")) if p.get("type") else None
                    parts.append(ir.Part(p.get("name", ""), element, type_))
                self._define(self.defs.messages, "message", root, child, tuple(parts), loc_of)
            elif tag == W + "portType":
                self._define(self.defs.port_types, "portType", root, child, child, loc_of)
            elif tag == W + "binding":
                self._define(self.defs.bindings, "binding", root, child, child, loc_of)
            elif tag == W + "service":
                self.defs.services.append(child)

    def _define(
        self,
        table: dict[str, Any],
        what: str,
        root: etree._Element,
        el: etree._Element,
        value: Any,
        loc_of: LocOf,
    ) -> None:
        """Record a named WSDL definition. A second one of the same name is a warning when the
        choice is clear (the same definition again, or of two bindings only one is SOAP over
        HTTP, the one kept), else an error (the first is kept)."""
        name = ir.qname(root.get("targetNamespace", ""), el.get("name", ""))
        where = loc_of(el)
        old = table.get(name)
        if old is None:
            table[name] = value
            return
        local = ir.local_name(name)
        if what == "binding":
            old_ok, new_ok = binding_kind(old)[2], binding_kind(value)[2]
            if old_ok != new_ok:
                if new_ok:
                    table[name] = value
                skipped = binding_kind(old if new_ok else value)
                self.diags.warning(
                    "WSDL012",
                    where.file,
                    where.line,
                    f"binding {local!r} is defined twice; the one that is not SOAP over HTTP"
                    f" ({skipped[0]}{', transport ' + skipped[3] if skipped[3] else ''}) is"
                    " skipped",
                )
                return
        same = old == value if what == "message" else _canonical(old) == _canonical(value)
        if same:
            self.diags.warning(
                "WSDL012",
                where.file,
                where.line,
                f"{what} {local!r} is defined twice (alike); the first is used",
            )
            return
        self.diags.error(
            "WSDL012",
            where.file,
            where.line,
            f"{what} {local!r} is defined twice, differently; the first is used",
        )

    def _schema_imports(self, schema: etree._Element, file: str, loc_of: LocOf) -> None:
        for imp in schema:
            if imp.tag not in (XS + "import", XS + "include"):
                continue
            if imp.get("schemaLocation"):
                self._import(imp, file, loc_of, wsdl=False)
            elif imp.get("namespace") in KNOWN_NAMESPACES:
                self.defs.wanted_known.add(imp.get("namespace", ""))

    def _known_namespaces(self, where: ir.Loc) -> None:
        """The well-known schemas whose namespace is imported without a location or referred
        to (xml:lang), read from soapgen's copies unless a schema of theirs was read."""
        wanted = self.defs.wanted_known | (
            referenced_namespaces(self.schemas) & set(KNOWN_NAMESPACES)
        )
        for ns in sorted(wanted - self.schemas.namespaces):
            found = known_for_namespace(ns)
            if found is not None:
                self._read_file(found, None, where.file, where.line)

    def _import(self, el: etree._Element, file: str, loc_of: LocOf, wsdl: bool) -> None:
        location = el.get("location" if wsdl else "schemaLocation", "")
        where = loc_of(el)
        if not location:
            return
        found = locate(location, file, self._root)
        if found.refused:
            self.diags.error("WSDL003", where.file, where.line, found.refused)
            return
        self.schema_docs.led(file, location, found.key)
        self._read_file(found, el, where.file, where.line, location)

    def _read_file(
        self,
        found: Located,
        el: etree._Element | None,
        file: str,
        line: int,
        location: str = "",
    ) -> None:
        if found.key in self._seen:
            return
        self._seen.add(found.key)
        path = found.path
        limit = min(IMPORT_LIMIT, IMPORTS_TOTAL_LIMIT - self.imported_bytes)
        try:
            data = read_input(path, limit, "a file a WSDL imports")
        except InputError as exc:
            why = str(exc)
            if isinstance(exc, TooBig) and limit < IMPORT_LIMIT:
                why = (
                    f"with it, the files this WSDL imports pass the"
                    f" {size_text(IMPORTS_TOTAL_LIMIT)} limit for all of them together; not read"
                )
            self.diags.error(
                "WSDL004", file, line, f"cannot read imported file {location!r}: {why}"
            )
            return
        self.imported_bytes += len(data)
        if not found.key.startswith("known:"):  # soapgen's own copies are not inputs
            self.reads[os.path.abspath(path)] = sha256(data)
        root = self._parse(data, path, 1)
        if root is None:
            return
        sub_loc = _loc_factory(path, 1)
        if root.tag == W + "definitions":
            self.wsdl_imports.add(os.path.abspath(path))
            self._definitions(root, path, sub_loc)
        elif root.tag == XS + "schema":
            if el is not None and el.tag == XS + "include" and not root.get("targetNamespace"):
                parent = el.getparent()
                root.set(
                    "targetNamespace", "" if parent is None else parent.get("targetNamespace", "")
                )
            self.schema_docs.add(found.key, path, root)
            self._schema_imports(root, path, sub_loc)
            # soapgen's own copies: what they hold unmapped (xs:any, ...) is no user's business
            diags = self.diags if not found.key.startswith("known:") else Collector()
            SchemaReader(self.schemas, diags, sub_loc).read_schema(root)
            self.diags.extend([d for d in diags.items if d.level is Level.ERROR])
        else:
            self.diags.error(
                "WSDL001",
                path,
                1,
                f"imported file is neither WSDL nor XML Schema (root {root.tag})",
            )

    def _loc(self, el: etree._Element) -> ir.Loc:
        root = el.getroottree().getroot()
        for known, loc_of in self._roots:
            if known is root:
                return loc_of(el)
        return ir.Loc("", source_line(el, 0))


def _canonical(el: object) -> bytes:
    if not isinstance(el, etree._Element):
        return b""
    return etree.tostring(el, method="c14n", exclusive=True, with_comments=False)


def _loc_factory(file: str, first_line: int) -> LocOf:
    def loc_of(el: etree._Element) -> ir.Loc:
        return ir.Loc(file, first_line + source_line(el) - 1)

    return loc_of


def read_wsdl(
    text: str | bytes,
    file: str,
    first_line: int = 1,
    root: str | None = None,
    reads: dict[str, str] | None = None,
) -> tuple[list[ir.Service], Collector, frozenset[str]]:
    """The Services of a WSDL, its diagnostics and the WSDL files it imports (abspaths).
    `root`: the folder imports must stay inside (default: the WSDL's own folder); `reads` (when
    given) receives the sha256 of every file the WSDL imports, by absolute path: the bytes the
    Services were built from."""
    diags = Collector()
    reader = WsdlReader(diags, root)
    if reads is not None:
        reader.reads = reads
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            diags.error("WSDL002", file, 1, f"not UTF-8 text: {exc.reason} at byte {exc.start}")
            return [], diags, frozenset()
    services = reader.read_text(text, file, first_line)
    return services, diags, frozenset(reader.wsdl_imports)
