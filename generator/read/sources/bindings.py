"""WSDL bindings -> IR Services: every SOAP binding (over HTTP) of a WSDL and its imports is a
Service, named after its portType. A portType bound alike for SOAP 1.1 and 1.2 is one Service
whose client may speak either (``soap_versions``); a portType with other bindings besides gets
one Service per binding, named after the binding. HTTP bindings, SOAP over other transports and
bindings without operations are notes (info), not errors. An operation naming an element no
schema declares is an error naming the operation, and the operation is left out of its
Service (``generate --keep-going`` writes the others).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import etree

from ...core import ir
from ...core.diagnostics import Collector
from .xsd import SchemaSet, documentation, resolve_qname

WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"
SOAP11_BIND = "http://schemas.xmlsoap.org/wsdl/soap/"
SOAP12_BIND = "http://schemas.xmlsoap.org/wsdl/soap12/"
HTTP_BIND = "http://schemas.xmlsoap.org/wsdl/http/"
W = f"{{{WSDL_NS}}}"
SOAP_NS = {SOAP11_BIND: "1.1", SOAP12_BIND: "1.2"}
HTTP_TRANSPORTS = frozenset(
    {"http://schemas.xmlsoap.org/soap/http", "http://www.w3.org/2003/05/soap/bindings/HTTP"}
)

LocOf = Callable[[etree._Element], ir.Loc]


@dataclass
class Defs:
    """The named definitions of a WSDL and the WSDLs it imports."""

    messages: dict[str, tuple[ir.Part, ...]] = field(default_factory=dict)
    port_types: dict[str, etree._Element] = field(default_factory=dict)
    bindings: dict[str, etree._Element] = field(default_factory=dict)
    services: list[etree._Element] = field(default_factory=list)
    tns: str = ""
    name: str = ""
    wanted_known: set[str] = field(default_factory=set)  # namespaces imported without location


def _qn(el: etree._Element) -> etree.QName | None:
    return etree.QName(el) if isinstance(el.tag, str) else None


def binding_kind(binding: etree._Element) -> tuple[str, str, bool, str]:
    """(what the binding is, its SOAP version or "", is it SOAP over HTTP, its transport)."""
    for child in binding:
        qn = _qn(child)
        if qn is None or qn.localname != "binding":
            continue
        if qn.namespace in SOAP_NS:
            version = SOAP_NS[qn.namespace]
            transport = child.get("transport", "")
            ok = not transport or transport.rstrip("/") in HTTP_TRANSPORTS
            return f"SOAP {version}", version, ok, transport
        if qn.namespace == HTTP_BIND:
            return f"HTTP {child.get('verb', '')}".strip(), "", False, ""
    return "neither SOAP nor HTTP", "", False, ""


@dataclass(frozen=True)
class _Bound:
    name: str  # the binding's Clark name
    version: str
    operations: tuple[ir.Operation, ...]
    address: str


def assemble(
    defs: Defs,
    schemas: SchemaSet,
    diags: Collector,
    loc: LocOf,
    file: str,
    wsdl_loc: ir.Loc,
) -> list[ir.Service]:
    """The Services of a WSDL's SOAP bindings (none: a note saying why)."""
    addresses = _addresses(defs)
    groups: dict[str, list[_Bound]] = {}
    skipped: list[str] = []
    for name, binding in defs.bindings.items():
        what, version, ok, transport = binding_kind(binding)
        where = loc(binding)
        local = ir.local_name(name)
        if not ok:
            how = f"{what} over {transport}" if transport else what
            skipped.append(f"{local} ({how})")
            diags.info(
                "WSDL014",
                where.file or file,
                where.line,
                f"binding {local!r} is {how}, not SOAP over HTTP: no client is generated for it",
            )
            continue
        pt_name = resolve_qname(binding, binding.get("type", ""))
        port_type = defs.port_types.get(pt_name)
        if port_type is None:
            diags.error(
                "WSDL005",
                where.file or file,
                where.line,
                f"binding {local!r} refers to unknown portType {pt_name}",
            )
            continue
        ops = _Binder(defs, diags, loc, file).operations(binding, port_type, version)
        groups.setdefault(pt_name, []).append(
            _Bound(name, version, tuple(ops), addresses.get(name, ""))
        )
    if not groups:
        _nothing(defs, diags, file, wsdl_loc, skipped)
        return []
    services: list[ir.Service] = []
    used: set[str] = set()
    for pt_name, bound in groups.items():
        versions = sorted(b.version for b in bound)
        if versions == ["1.1", "1.2"] and bound[0].operations == bound[1].operations:
            first = next(b for b in bound if b.version == "1.1")
            other = next(b for b in bound if b.version == "1.2")
            merged = dataclasses.replace(first, address=first.address or other.address)
            services.append(
                _service(
                    defs, schemas, merged, ("1.1", "1.2"), _name(pt_name, defs, used), wsdl_loc
                )
            )
            continue
        for b in bound:
            wanted = pt_name if len(bound) == 1 else b.name
            services.append(
                _service(defs, schemas, b, (b.version,), _name(wanted, defs, used), wsdl_loc)
            )
    return services


def _name(wanted: str, defs: Defs, used: set[str]) -> str:
    name = ir.local_name(wanted) or defs.name or "Service"
    base, n = name, 2
    while name in used:
        name = f"{base}{n}"
        n += 1
    used.add(name)
    return name


def _service(
    defs: Defs,
    schemas: SchemaSet,
    bound: _Bound,
    versions: tuple[str, ...],
    name: str,
    wsdl_loc: ir.Loc,
) -> ir.Service:
    return ir.Service(
        name=name,
        namespace=defs.tns,
        endpoint=urlsplit(bound.address).path.lstrip("/") if bound.address else "",
        address=bound.address,
        soap_version=versions[0],
        soap_versions=versions if len(versions) > 1 else (),
        operations=bound.operations,
        types=tuple(schemas.types[k] for k in sorted(schemas.types)),
        elements=tuple(schemas.elements[k] for k in sorted(schemas.elements)),
        wsdl_loc=wsdl_loc,
    )


def _nothing(defs: Defs, diags: Collector, file: str, wsdl_loc: ir.Loc, skipped: list[str]) -> None:
    if not defs.bindings:
        why = "defines no binding (only types, messages or portTypes), so no service to call"
    else:
        why = "has no SOAP binding over HTTP (" + ", ".join(skipped) + ")"
    diags.info(
        "WSDL006", wsdl_loc.file or file, wsdl_loc.line, f"the WSDL {why}: nothing is generated"
    )


def _addresses(defs: Defs) -> dict[str, str]:
    """binding Clark name -> the soap:address of the first port using it."""
    out: dict[str, str] = {}
    for svc in defs.services:
        for port in svc.iterchildren(W + "port"):
            binding = resolve_qname(port, port.get("binding", ""))
            for child in port:
                qn = _qn(child)
                if qn is not None and qn.localname == "address" and qn.namespace in SOAP_NS:
                    out.setdefault(binding, child.get("location", ""))
    return out


class _Binder:
    """The operations of one binding of a portType."""

    def __init__(self, defs: Defs, diags: Collector, loc: LocOf, file: str) -> None:
        self.defs, self.diags, self.loc, self.file = defs, diags, loc, file
        self.body_namespace = ""

    def operations(
        self, binding: etree._Element, port_type: etree._Element, version: str
    ) -> list[ir.Operation]:
        default_style = "document"
        for child in binding:
            qn = _qn(child)
            if qn is not None and qn.localname == "binding" and qn.namespace in SOAP_NS:
                default_style = child.get("style", "document") or "document"
        bound_ops = {op.get("name", ""): op for op in binding.iterchildren(W + "operation")}
        operations = []
        seen: set[str] = set()
        for op_el in port_type.iterchildren(W + "operation"):
            name = op_el.get("name", "")
            if not name or name in seen:
                where = self.loc(op_el)
                what = (
                    f"operation {name!r} is defined twice in portType"
                    if name
                    else "an operation has no name"
                )
                self.diags.error("WSDL011", where.file, where.line, f"{what}; skipped")
                continue
            seen.add(name)
            op = self._operation(op_el, bound_ops.get(name), default_style)
            if op is not None:
                operations.append(op)
        return operations

    def _operation(
        self, op_el: etree._Element, bound: etree._Element | None, default_style: str
    ) -> ir.Operation | None:
        name = op_el.get("name", "")
        op_loc = self.loc(op_el)
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
        in_parts = self._message_parts(input_el)
        out_parts = self._message_parts(output_el) if output_el is not None else ()
        faults = []
        for f in op_el.iterchildren(W + "fault"):
            parts = self._message_parts(f)
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
                qn = _qn(child)
                if qn is not None and qn.localname == "operation" and qn.namespace in SOAP_NS:
                    action = child.get("soapAction", "") or ""
                    style = child.get("style", default_style) or default_style
            b_in = next(bound.iterchildren(W + "input"), None)
            b_out = next(bound.iterchildren(W + "output"), None)
            if b_in is not None:
                in_headers, in_parts = self._bound_message(b_in, in_parts)
            if b_out is not None:
                out_headers, out_parts = self._bound_message(b_out, out_parts)
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

    def _message_parts(self, el: etree._Element) -> tuple[ir.Part, ...]:
        msg = resolve_qname(el, el.get("message", ""))
        parts = self.defs.messages.get(msg)
        if parts is None:
            where = self.loc(el)
            self.diags.error(
                "WSDL009", where.file or self.file, where.line, f"unknown message {msg}"
            )
            return ()
        return parts

    def _bound_message(
        self, bound: etree._Element, parts: tuple[ir.Part, ...]
    ) -> tuple[tuple[ir.Header, ...], tuple[ir.Part, ...]]:
        headers = []
        body_parts = parts
        for child in bound:
            qn = _qn(child)
            if qn is None or qn.namespace not in SOAP_NS:
                continue
            if qn.localname == "header":
                msg_parts = self.defs.messages.get(
                    resolve_qname(child, child.get("message", "")), ()
                )
                part = next((p for p in msg_parts if p.name == child.get("part")), None)
                if part is None or (part.element is None and part.type is None):
                    where = self.loc(child)
                    self.diags.error(
                        "WSDL010",
                        where.file or self.file,
                        where.line,
                        f"soap:header refers to unknown part {child.get('part')!r}",
                    )
                    continue
                required = child.get("required") == "true"
                if part.element is not None:
                    headers.append(ir.Header(part.name, part.element, required))
                else:  # a part of a type is an unqualified element named after the part
                    headers.append(ir.Header(part.name, part.name, required, part.type))
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


def check_elements(service: ir.Service, diags: Collector) -> ir.Service | None:
    """Every element an operation's messages and headers name must be declared: an element
    that is not is an error naming the operations that use it, which are left out of the
    Service (None when none is left)."""
    elements = {e.name for e in service.elements}
    users: dict[str, list[ir.Operation]] = {}
    for op in service.operations:
        used = [p.element for p in (*op.input_parts, *op.output_parts)]
        used += [h.element for h in (*op.input_headers, *op.output_headers) if h.type is None]
        used += [f.element for f in op.faults]
        for name in sorted({n for n in used if n and n not in elements}):
            users.setdefault(name, []).append(op)
    if not users:
        return service
    broken: set[str] = set()
    for name, ops in users.items():
        loc = ops[0].loc or service.wsdl_loc
        names = ", ".join(op.name for op in ops)
        what = "operation {} uses" if len(ops) == 1 else "operations {} use"
        diags.error(
            "WSDL013",
            loc.file,
            loc.line,
            f"{what.format(names)} undeclared element {name}; left out of {service.name}",
        )
        broken.update(op.name for op in ops)
    kept = tuple(op for op in service.operations if op.name not in broken)
    return dataclasses.replace(service, operations=kept) if kept else None
