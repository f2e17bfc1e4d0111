"""Docs without a WSDL: infer an agent's operations and types from its samples' xsi:type.

Every element in the SuperOffice samples carries xsi:type naming its declared type, so the
samples say most of what the schema would: builtins, complex types (from their children),
WCF arrays (ArrayOfX with one item), dictionaries (Key/Value pairs), and enumerations (a leaf
with a non-builtin type: only the values seen are known). Everything inferred is marked so,
and what cannot be known (SOAP version of the binding, SOAPAction, nillability of value types,
response headers) is a warning that names the page.
"""

from __future__ import annotations

import dataclasses

from lxml import etree

from ..core import ir
from ..core.diagnostics import Collector
from ..core.envelopes import envelope_parts
from ..read.sources.superoffice import OperationPage

_XSI_TYPE = f"{{{ir.XSI}}}type"
_XSI_NIL = f"{{{ir.XSI}}}nil"
_UNKNOWN = "{urn:soapgen:inferred}unknown"  # a nil'd element shows no type; another occurrence may


class _Types:
    def __init__(self, diags: Collector) -> None:
        self.types: dict[str, ir.TypeDef] = {}
        self.elements: dict[str, ir.Element] = {}
        self.diags = diags

    def _declared(self, el: etree._Element) -> str | None:
        value = el.get(_XSI_TYPE)
        if not value:
            return None
        prefix, _, local = value.rpartition(":")
        return ir.qname(el.nsmap.get(prefix or None) or "", local)

    def type_of(self, el: etree._Element, fallback: str, loc: ir.Loc, wrapper: bool = False) -> str:
        """The type name of a sample element, recording what its content shows."""
        name = self._declared(el)
        kids = [c for c in el if isinstance(c.tag, str)]
        if wrapper:
            name = fallback
        elif name is None:
            if not kids:
                return _UNKNOWN if el.get(_XSI_NIL) in ("true", "1") else ir.qname(ir.XSD, "string")
            name = fallback
        ns, local = ir.split_qname(name)
        if ns == ir.XSD or (ns == ir.WCF_SER and local in ("guid", "char", "duration")):
            return name
        if el.get(_XSI_NIL) in ("true", "1") and not kids:
            self.types.setdefault(name, ir.ComplexType(name, (), inferred=True, loc=loc))
            return name
        if not kids and not wrapper:
            self._enum(name, (el.text or "").strip(), loc)
            return name
        if local.startswith("ArrayOf") and kids:
            item = kids[0]
            item_type = self.type_of(item, ir.qname(ns, local[len("ArrayOf") :]), loc)
            iq = etree.QName(item)
            f = ir.Field(
                iq.localname,
                iq.namespace or "",
                item_type,
                0,
                None,
                nillable=not ir.split_qname(item_type)[0] == ir.XSD,
            )
            self._put(ir.ArrayType(name, f, loc))
            return name
        if kids and all(
            len([g for g in k if isinstance(g.tag, str)]) == 2
            and etree.QName(k).localname.endswith(("KeyValuePair", "NameValuePair"))
            for k in kids
        ):
            pair = kids[0]
            key_el, value_el = [g for g in pair if isinstance(g.tag, str)]
            kq, vq = etree.QName(key_el), etree.QName(value_el)
            key = ir.Field(
                kq.localname,
                kq.namespace or "",
                self.type_of(key_el, ir.qname(ir.XSD, "string"), loc),
                nillable=True,
            )
            value = ir.Field(
                vq.localname,
                vq.namespace or "",
                self.type_of(value_el, ir.qname(ir.XSD, "string"), loc),
                nillable=True,
            )
            self._put(ir.DictType(name, pair.tag, key, value, loc))
            return name
        fields = []
        for child in kids:
            cq = etree.QName(child)
            ctype = self.type_of(child, ir.qname(cq.namespace or "", cq.localname), loc)
            builtin_value = ir.split_qname(ctype)[0] == ir.XSD and ir.local_name(ctype) != "string"
            enum_value = isinstance(self.types.get(ctype), ir.EnumType)
            fields.append(
                ir.Field(
                    cq.localname,
                    cq.namespace or "",
                    ctype,
                    0,
                    1,
                    nillable=not (builtin_value or enum_value),
                )
            )
        self._put(ir.ComplexType(name, tuple(fields), inferred=True, loc=loc))
        return name

    def _enum(self, name: str, value: str, loc: ir.Loc) -> None:
        old = self.types.get(name)
        values = old.values if isinstance(old, ir.EnumType) else ()
        wires = [v.wire for v in values]
        for w in value.split() or [""]:
            if w and w not in wires:
                wires.append(w)
        flags = " " in value or (isinstance(old, ir.EnumType) and old.flags)
        numbered = tuple(ir.EnumValue(w, (1 << i) if flags else i) for i, w in enumerate(wires))
        self.types[name] = ir.EnumType(name, numbered, flags, loc=loc)

    def _put(self, t: ir.TypeDef) -> None:
        old = self.types.get(t.name)
        if isinstance(old, ir.ComplexType) and isinstance(t, ir.ComplexType):
            new = {f.qname: f for f in t.fields}
            merged = [
                (
                    new[f.qname]
                    if f.type == _UNKNOWN and f.qname in new and new[f.qname].type != _UNKNOWN
                    else f
                )
                for f in old.fields
            ]
            known = {f.qname for f in old.fields}
            t = dataclasses.replace(
                old, fields=tuple(merged) + tuple(f for f in t.fields if f.qname not in known)
            )
        self.types[t.name] = t


def infer_service(agent: str, pages: list[OperationPage], diags: Collector) -> ir.Service | None:
    """A Service from an agent's operation pages alone (types marked inferred)."""
    acc = _Types(diags)
    ops = []
    namespace = ""
    soap_version = "1.1"
    for page in sorted(pages, key=lambda p: p.operation):
        if page.request is None or page.response is None:
            continue
        loc = ir.Loc(page.path, page.line)
        req = envelope_parts(page.request.text, page.path, page.request.line, diags)
        res = envelope_parts(page.response.text, page.path, page.response.line, diags)
        if req is None or res is None or req[1] is None or res[1] is None:
            continue
        headers, body = req
        out_body = res[1]
        assert body is not None
        namespace = etree.QName(body).namespace or ""
        root_ns = etree.QName(
            etree.fromstring(
                page.request.text.encode(), etree.XMLParser(resolve_entities=False, no_network=True)
            )
        ).namespace
        soap_version = "1.2" if root_ns == ir.SOAP12_ENV else "1.1"
        in_parts = []
        for wrapper in (body, out_body):
            wq = etree.QName(wrapper)
            anon = ir.qname(wq.namespace or "", wq.localname)
            t = acc.type_of(
                wrapper,
                anon,
                ir.Loc(page.path, page.request.line if wrapper is body else page.response.line),
                wrapper=True,
            )
            acc.types[t] = dataclasses.replace(acc.types[t], anonymous=True)  # type: ignore[arg-type]
            acc.elements[wrapper.tag] = ir.Element(wrapper.tag, t, False, loc)
            in_parts.append(ir.Part("parameters", wrapper.tag))
        op_headers = []
        for h in headers:
            hq = etree.QName(h)
            acc.elements[h.tag] = ir.Element(
                h.tag,
                acc.type_of(
                    h,
                    ir.qname(hq.namespace or "", "So" + hq.localname if len(h) else hq.localname),
                    loc,
                ),
                True,
                loc,
            )
            op_headers.append(ir.Header(hq.localname, h.tag))
        action = f"{namespace}/{agent}/{page.operation}"
        ops.append(
            ir.Operation(
                name=page.operation,
                soap_action=action,
                input_parts=(in_parts[0],),
                output_parts=(in_parts[1],),
                input_headers=tuple(op_headers),
                description=page.description,
                param_docs=page.param_docs,
                returns_doc=page.returns_doc,
                request_sample=ir.Sample(page.request.text, ir.Loc(page.path, page.request.line)),
                response_sample=ir.Sample(
                    page.response.text, ir.Loc(page.path, page.response.line)
                ),
                loc=loc,
                doc_loc=loc,
            )
        )
    if not ops:
        return None
    for type_name, td in list(
        acc.types.items()
    ):  # a type never seen but nil'd: say string, nillable
        if isinstance(td, ir.ComplexType) and any(f.type == _UNKNOWN for f in td.fields):
            fields = tuple(
                (
                    dataclasses.replace(f, type=ir.qname(ir.XSD, "string"), nillable=True)
                    if f.type == _UNKNOWN
                    else f
                )
                for f in td.fields
            )
            acc.types[type_name] = dataclasses.replace(td, fields=fields)
    first = sorted(p.path for p in pages)[0]
    diags.warning(
        "INFER001",
        first,
        1,
        f"{agent}: no WSDL; operations and types inferred from {len(ops)} pages' samples (SOAP {soap_version} as the samples show, "
        "SOAPAction by the <namespace>/<Agent>/<Operation> convention, only the enum values seen, no response headers)",
    )
    endpoint = next((p.endpoint for p in pages if p.endpoint), "")
    return ir.Service(
        name=agent,
        namespace=namespace,
        endpoint=endpoint,
        soap_version=soap_version,
        operations=tuple(ops),
        types=tuple(acc.types[k] for k in sorted(acc.types)),
        elements=tuple(acc.elements[k] for k in sorted(acc.elements)),
        wsdl_loc=ir.Loc(first, 1),
        inferred=True,
    )
