"""WSDL 1.1 -> one IR Service per WSDL (raw .wsdl files, or the WSDL fenced in a doc page).

Messages, portType, binding (SOAP 1.1 or 1.2: soapAction, style, soap:header parts, soap:body
parts), service address; the embedded or imported XML Schemas through :mod:`.xsd`.
wsdl:import, xs:import and xs:include of local files are followed; remote locations are refused.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from .. import ir
from ..diagnostics import Collector
from ..inputs import (
    IMPORT_LIMIT,
    IMPORTS_TOTAL_LIMIT,
    InputError,
    TooBig,
    read_input,
    sha256,
    size_text,
)
from ..xmlsafe import XmlInputError, parse, source_line
from .xsd import (
    XS,
    SchemaReader,
    SchemaSet,
    check_type_refs,
    documentation,
    resolve_qname,
    resolve_refs,
)

WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"
SOAP11_BIND = "http://schemas.xmlsoap.org/wsdl/soap/"
SOAP12_BIND = "http://schemas.xmlsoap.org/wsdl/soap12/"
W = f"{{{WSDL_NS}}}"
_SOAP_NS = {SOAP11_BIND: "1.1", SOAP12_BIND: "1.2"}


@dataclass
class _Defs:
    messages: dict[str, tuple[ir.Part, ...]] = field(default_factory=dict)
    port_types: dict[str, etree._Element] = field(default_factory=dict)
    bindings: dict[str, etree._Element] = field(default_factory=dict)
    services: list[etree._Element] = field(default_factory=list)
    tns: str = ""
    name: str = ""


class WsdlReader:
    """Reads one WSDL document (and what it imports) into a Service."""

    def __init__(self, diags: Collector) -> None:
        self.diags = diags
        self.schemas = SchemaSet()
        self.defs = _Defs()
        self._seen: set[str] = set()
        self._home = ""
        self.body_namespace = ""
        self._roots: list[tuple[etree._Element, Callable[[etree._Element], ir.Loc]]] = []
        self.reads: dict[str, str] = {}  # absolute path -> sha256 of the bytes of each import
        self.imported_bytes = 0

    def read_text(self, text: str, file: str, first_line: int = 1) -> ir.Service | None:
        root = self._parse(text, file, first_line)
        if root is None:
            return None
        self._seen.add(os.path.abspath(file))
        self._home = os.path.dirname(os.path.realpath(file))
        loc_of = _loc_factory(file, first_line)
        if root.tag == XS + "schema":
            self.diags.error(
                "WSDL001",
                file,
                first_line,
                "an XML Schema, not a WSDL: nothing to generate a client from",
            )
            return None
        if root.tag != W + "definitions":
            self.diags.error(
                "WSDL001",
                file,
                first_line + source_line(root) - 1,
                f"not a WSDL 1.1 document (root is {root.tag})",
            )
            return None
        self.defs.tns = root.get("targetNamespace", "")
        self.defs.name = root.get("name", "")
        self._definitions(root, file, loc_of)
        resolve_refs(self.schemas, self.diags, loc_of(root))
        check_type_refs(self.schemas, self.diags)
        service = self._service(file, loc_of(root))
        if service is not None:
            self._check_elements(service)
        return service

    def _parse(self, text: str | bytes, file: str, first_line: int) -> etree._Element | None:
        try:
            return parse(text)
        except XmlInputError as exc:
            self.diags.error("WSDL002", file, first_line + exc.line - 1, str(exc))
            return None

    def _definitions(
        self, root: etree._Element, file: str, loc_of: Callable[[etree._Element], ir.Loc]
    ) -> None:
        self._roots.append((root, loc_of))
        schema_reader = SchemaReader(self.schemas, self.diags, loc_of)
        for child in root:
            tag = child.tag
            if tag == W + "import":
                self._import(child, file, loc_of, wsdl=True)
            elif tag == W + "types":
                for schema in child.iterchildren(XS + "schema"):
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
        loc_of: Callable[[etree._Element], ir.Loc],
    ) -> None:
        """Record a named WSDL definition; a second one of the same name is an error (the first is kept)."""
        name = ir.qname(root.get("targetNamespace", ""), el.get("name", ""))
        where = loc_of(el)
        if name in table:
            self.diags.error(
                "WSDL012",
                where.file,
                where.line,
                f"{what} {ir.local_name(name)!r} is defined twice; the first is used",
            )
            return
        table[name] = value

    def _schema_imports(
        self, schema: etree._Element, file: str, loc_of: Callable[[etree._Element], ir.Loc]
    ) -> None:
        for imp in schema:
            if imp.tag in (XS + "import", XS + "include") and imp.get("schemaLocation"):
                self._import(imp, file, loc_of, wsdl=False)

    def _import(
        self, el: etree._Element, file: str, loc_of: Callable[[etree._Element], ir.Loc], wsdl: bool
    ) -> None:
        location = el.get("location" if wsdl else "schemaLocation", "")
        where = loc_of(el)
        if not location:
            return
        if urlsplit(location).scheme:
            self.diags.error(
                "WSDL003",
                where.file,
                where.line,
                f"import of {location!r} refused: only relative paths to files beside the WSDL are read",
            )
            return
        path = os.path.normpath(os.path.join(os.path.dirname(file), urlsplit(location).path))
        real = os.path.realpath(path)
        if os.path.isabs(location) or not real.startswith(self._home + os.sep):
            self.diags.error(
                "WSDL003",
                where.file,
                where.line,
                f"import of {location!r} refused: it lies outside the WSDL's folder {self._home}",
            )
            return
        if os.path.abspath(path) in self._seen:
            return
        self._seen.add(os.path.abspath(path))
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
                "WSDL004", where.file, where.line, f"cannot read imported file {location!r}: {why}"
            )
            return
        self.imported_bytes += len(data)
        self.reads[os.path.abspath(path)] = sha256(data)
        root = self._parse(data, path, 1)
        if root is None:
            return
        sub_loc = _loc_factory(path, 1)
        if root.tag == W + "definitions":
            self._definitions(root, path, sub_loc)
        elif root.tag == XS + "schema":
            if el.tag == XS + "include" and not root.get("targetNamespace"):
                parent = el.getparent()
                root.set(
                    "targetNamespace", "" if parent is None else parent.get("targetNamespace", "")
                )
            self._schema_imports(root, path, sub_loc)
            SchemaReader(self.schemas, self.diags, sub_loc).read_schema(root)
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

    # --- service ---------------------------------------------------------------------
    def _service(self, file: str, loc: ir.Loc) -> ir.Service | None:
        binding, address = self._pick_binding(file)
        if binding is None:
            return None
        pt_name = resolve_qname(binding, binding.get("type", ""))
        port_type = self.defs.port_types.get(pt_name)
        if port_type is None:
            self.diags.error(
                "WSDL005", file, loc.line, f"binding refers to unknown portType {pt_name}"
            )
            return None
        soap_version = "1.1"
        default_style = "document"
        for child in binding:
            ns = etree.QName(child).namespace
            if etree.QName(child).localname == "binding" and ns in _SOAP_NS:
                soap_version = _SOAP_NS[ns]
                default_style = child.get("style", "document")
        bound_ops = {op.get("name", ""): op for op in binding.iterchildren(W + "operation")}
        operations = []
        seen: set[str] = set()
        for op_el in port_type.iterchildren(W + "operation"):
            name = op_el.get("name", "")
            if not name or name in seen:
                where = self._loc(op_el)
                what = (
                    f"operation {name!r} is defined twice in portType"
                    if name
                    else "an operation has no name"
                )
                self.diags.error("WSDL011", where.file, where.line, f"{what}; skipped")
                continue
            seen.add(name)
            op = self._operation(op_el, bound_ops.get(op_el.get("name", "")), default_style, file)
            if op is not None:
                operations.append(op)
        name = ir.local_name(pt_name) or self.defs.name
        endpoint = urlsplit(address).path.lstrip("/") if address else ""
        return ir.Service(
            name=name,
            namespace=self.defs.tns,
            endpoint=endpoint,
            address=address,
            soap_version=soap_version,
            operations=tuple(operations),
            types=tuple(self.schemas.types[k] for k in sorted(self.schemas.types)),
            elements=tuple(self.schemas.elements[k] for k in sorted(self.schemas.elements)),
            wsdl_loc=loc,
        )

    def _pick_binding(self, file: str) -> tuple[etree._Element | None, str]:
        """The SOAP binding the first service port uses (SOAP 1.1 preferred over 1.2)."""
        candidates: list[tuple[int, etree._Element, str]] = []
        for svc in self.defs.services:
            for port in svc.iterchildren(W + "port"):
                binding = self.defs.bindings.get(resolve_qname(port, port.get("binding", "")))
                if binding is None:
                    continue
                address = ""
                version = None
                for child in port:
                    if (
                        etree.QName(child).localname == "address"
                        and etree.QName(child).namespace in _SOAP_NS
                    ):
                        address = child.get("location", "")
                        version = _SOAP_NS[etree.QName(child).namespace]
                if version is not None:
                    candidates.append((0 if version == "1.1" else 1, binding, address))
        if not candidates:
            for binding in self.defs.bindings.values():
                if any(etree.QName(c).namespace in _SOAP_NS for c in binding):
                    candidates.append((2, binding, ""))
        if not candidates:
            line = next((loc_of(r).line for r, loc_of in self._roots[:1]), 1)
            self.diags.error("WSDL006", file, line, "no SOAP binding found")
            return None, ""
        candidates.sort(key=lambda c: c[0])
        return candidates[0][1], candidates[0][2]

    def _operation(
        self, op_el: etree._Element, bound: etree._Element | None, default_style: str, file: str
    ) -> ir.Operation | None:
        name = op_el.get("name", "")
        op_loc = self._loc(op_el)
        where = op_loc.file, op_loc.line
        input_el = next(op_el.iterchildren(W + "input"), None)
        output_el = next(op_el.iterchildren(W + "output"), None)
        if input_el is None:
            self.diags.warning(
                "WSDL007",
                *where,
                f"operation {name} has no input (notification operations are not supported); skipped",
            )
            return None
        in_parts = self._message_parts(input_el, file)
        out_parts = self._message_parts(output_el, file) if output_el is not None else ()
        faults = []
        for f in op_el.iterchildren(W + "fault"):
            parts = self._message_parts(f, file)
            faults.append(ir.Fault(f.get("name", ""), parts[0].element if parts else None))
        action, style = "", default_style
        self.body_namespace = ""
        in_headers: tuple[ir.Header, ...] = ()
        out_headers: tuple[ir.Header, ...] = ()
        if bound is None:
            self.diags.warning(
                "WSDL008",
                *where,
                f"operation {name} is not in the binding; document style and no SOAPAction assumed",
            )
        else:
            for child in bound:
                if (
                    etree.QName(child).localname == "operation"
                    and etree.QName(child).namespace in _SOAP_NS
                ):
                    action = child.get("soapAction", "") or ""
                    style = child.get("style", default_style) or default_style
            b_in = next(bound.iterchildren(W + "input"), None)
            b_out = next(bound.iterchildren(W + "output"), None)
            if b_in is not None:
                in_headers, in_parts = self._bound_message(b_in, in_parts, file)
            if b_out is not None:
                out_headers, out_parts = self._bound_message(b_out, out_parts, file)
        return ir.Operation(
            name=name,
            description=documentation(op_el),
            soap_action=action,
            style=style,
            input_parts=in_parts,
            output_parts=out_parts,
            input_headers=in_headers,
            output_headers=out_headers,
            faults=tuple(faults),
            one_way=output_el is None,
            rpc_namespace=(self.body_namespace or self.defs.tns) if style == "rpc" else "",
            loc=op_loc,
        )

    def _message_parts(self, el: etree._Element, file: str) -> tuple[ir.Part, ...]:
        msg = resolve_qname(el, el.get("message", ""))
        parts = self.defs.messages.get(msg)
        if parts is None:
            where = self._loc(el)
            self.diags.error("WSDL009", where.file or file, where.line, f"unknown message {msg}")
            return ()
        return parts

    def _check_elements(self, service: ir.Service) -> None:
        """Every element an operation's messages and headers name must be declared."""
        elements = {e.name for e in service.elements}
        reported: set[str] = set()
        for op in service.operations:
            used = [p.element for p in (*op.input_parts, *op.output_parts)]
            used += [h.element for h in (*op.input_headers, *op.output_headers)]
            used += [f.element for f in op.faults]
            for name in used:
                if name and name not in elements and name not in reported:
                    reported.add(name)
                    loc = op.loc or service.wsdl_loc
                    self.diags.error(
                        "WSDL013",
                        loc.file,
                        loc.line,
                        f"operation {op.name} uses undeclared element {name}",
                    )

    def _bound_message(
        self, bound: etree._Element, parts: tuple[ir.Part, ...], file: str
    ) -> tuple[tuple[ir.Header, ...], tuple[ir.Part, ...]]:
        headers = []
        body_parts = parts
        for child in bound:
            qn = etree.QName(child)
            if qn.namespace not in _SOAP_NS:
                continue
            if qn.localname == "header":
                msg_parts = self.defs.messages.get(
                    resolve_qname(child, child.get("message", "")), ()
                )
                part = next((p for p in msg_parts if p.name == child.get("part")), None)
                if part is None or part.element is None:
                    where = self._loc(child)
                    self.diags.error(
                        "WSDL010",
                        where.file or file,
                        where.line,
                        f"soap:header refers to unknown part {child.get('part')!r}",
                    )
                    continue
                headers.append(ir.Header(part.name, part.element, child.get("required") == "true"))
            elif qn.localname == "body":
                self.body_namespace = child.get("namespace", "") or self.body_namespace
                if child.get("parts") is not None:
                    wanted = (child.get("parts") or "").split()
                    body_parts = tuple(p for p in parts if p.name in wanted)
        header_names = {h.part for h in headers}
        body_parts = tuple(
            p for p in body_parts if p.name not in header_names or len(body_parts) == 1
        )
        return tuple(headers), body_parts


def _loc_factory(file: str, first_line: int) -> Callable[[etree._Element], ir.Loc]:
    def loc_of(el: etree._Element) -> ir.Loc:
        return ir.Loc(file, first_line + source_line(el) - 1)

    return loc_of


def read_wsdl(
    text: str | bytes, file: str, first_line: int = 1, reads: dict[str, str] | None = None
) -> tuple[ir.Service | None, Collector]:
    """One WSDL's Service and diagnostics; `reads` (when given) receives the sha256 of every
    file the WSDL imports, by absolute path: the bytes the Service was built from."""
    diags = Collector()
    reader = WsdlReader(diags)
    if reads is not None:
        reader.reads = reads
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            diags.error("WSDL002", file, 1, f"not UTF-8 text: {exc.reason} at byte {exc.start}")
            return None, diags
    service = reader.read_text(text, file, first_line)
    return service, diags
