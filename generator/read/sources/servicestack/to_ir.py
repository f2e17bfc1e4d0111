"""An :class:`.model.ApiModel` -> the IR Service the WSDL reader would produce for
ServiceStack's ``/soap12`` endpoint."""

from __future__ import annotations

import dataclasses
import re

from lxml import etree

from ....core import ir
from ....core.diagnostics import Collector
from ....core.xmlsafe import XmlInputError
from ....core.xmlsafe import parse as parse_xml
from .. import clr_types as clr
from ..clr_types import ClrType
from .model import ENDPOINT, NS, ApiModel, Dto, Op, Prop
from .page import _sl, _view


def service_name(api: ApiModel, fallback: str = "") -> str:
    """The agent name: the service name the pages show ("Coruson API" -> "Coruson"), else the
    API folder, else the first segment of the DTOs' CLR namespace."""
    title = re.sub(r"\s+(API|Api|api|Services?|Web Services?)$", "", api.title.strip())
    words = re.findall(r"[A-Za-z0-9]+", title)
    if words:
        return "".join(w[:1].upper() + w[1:] for w in words)
    words = re.findall(r"[A-Za-z0-9]+", fallback)
    if words:
        return "".join(w[:1].upper() + w[1:] for w in words)
    spaces = sorted(
        {
            d.namespace.split(".")[0]
            for d in api.dtos.values()
            if d.namespace and d.kind != "builtin"
        }
    )
    return spaces[0] if spaces else "ServiceStack"


def to_service(api: ApiModel, diags: Collector, fallback_name: str = "") -> ir.Service | None:
    if not api.ops:
        return None
    ns = api.namespace or NS
    named = {d.name: clr.Named(ns, d.enum or d.value_type) for d in api.dtos.values()}
    xml = clr.XmlTypes(named)
    types: dict[str, ir.TypeDef] = {}

    for op in api.ops.values():
        for name in (op.request, op.response):
            if name and name not in api.dtos:
                api.dtos[name] = Dto(name, op.file, op.line, op.kind)
                xml.named[name] = clr.Named(ns)
    _check_references(api, diags)
    _order_from_samples(api, diags)
    response_types: dict[str, str] = {}
    for op in api.ops.values():
        if op.response:
            response_types[op.name] = xml.type_name(ClrType(op.response, op.response_args))

    for dto in sorted(api.dtos.values(), key=lambda d: d.name):
        if dto.generic_params:
            continue  # generic definitions: instantiated where used
        qn = ir.qname(ns, dto.name)
        if dto.enum:
            values = tuple(ir.EnumValue(m.wire or m.name, m.value) for m in dto.members)
            types[qn] = ir.EnumType(qn, values, flags=dto.flags, loc=dto.loc)
            continue
        types[qn] = _complex(dto, dto.props, qn, ns, xml, api, diags)
    _instantiate_generics(api, types, ns, xml, diags)
    types.update(xml.created)

    elements: dict[str, ir.Element] = {}
    operations = []
    for op in sorted(api.ops.values(), key=lambda o: o.name):
        req_el = ir.qname(ns, op.request)
        elements[req_el] = ir.Element(req_el, ir.qname(ns, op.request), False, op.loc)
        out_parts: tuple[ir.Part, ...] = ()
        if op.response:
            res_type = response_types[op.name]
            res_el = res_type  # the serializer names the root element after the DTO's contract name
            elements[res_el] = ir.Element(res_el, res_type, False, op.loc)
            out_parts = (ir.Part("parameters", res_el),)
            if ir.local_name(res_el) != op.name + "Response":
                diags.info(
                    "SS017",
                    op.file,
                    op.line,
                    f"{op.name} returns {ir.local_name(res_el)}, not {op.name}Response; "
                    f"the response element is {ir.local_name(res_el)} (the WSDL would say {op.name}Response)",
                )
        request_sample, response_sample = _soap_samples(op, ns, diags)
        req_dto = api.dtos.get(op.request)
        resp_dto = api.dtos.get(op.response) if op.response else None
        operations.append(
            ir.Operation(
                name=op.name,
                soap_action=op.name,
                style="document",
                input_parts=(ir.Part("parameters", req_el),),
                output_parts=out_parts,
                one_way=op.response is None,
                description=op.description or (req_dto.description if req_dto else ""),
                param_docs=tuple(
                    (p.name, p.description) for p in api.all_props(op.request) if p.description
                ),
                returns_doc=resp_dto.description if resp_dto else "",
                request_sample=request_sample,
                response_sample=response_sample,
                loc=op.loc,
                doc_loc=next(
                    (
                        ir.Loc(s.path, s.ops[op.name].line)
                        for s in api.sources
                        if op.name in s.ops and s.kind != "json"
                    ),
                    ir.Loc(),
                ),
            )
        )
    address = ""
    if api.base_url:
        address = api.base_url.rstrip("/") + "/" + ENDPOINT
    elif api.host:
        address = f"https://{api.host}/{ENDPOINT}"
    first_src = api.sources[0] if api.sources else None
    return ir.Service(
        name=service_name(api, fallback_name),
        namespace=ns,
        endpoint=ENDPOINT,
        address=address,
        soap_version="1.2",
        operations=tuple(operations),
        types=tuple(types[k] for k in sorted(types)),
        elements=tuple(elements[k] for k in sorted(elements)),
        wsdl_loc=ir.Loc(first_src.path, 1) if first_src else ir.Loc(),
        inferred=not api.has_metadata_json,
    )


def _complex(
    dto: Dto,
    props: list[Prop],
    qn: str,
    ns: str,
    xml: clr.XmlTypes,
    api: ApiModel,
    diags: Collector,
) -> ir.ComplexType:
    fields = []
    for p in props:
        t = p.type or ClrType("String")
        seen = len(xml.problems)
        fields.append(
            ir.Field(p.wire, ns, xml.type_name(t), 0, 1, xml.nillable(t), doc=p.description)
        )
        for message in xml.problems[seen:]:
            diags.warning("SS015", dto.file, p.line or dto.line, f"{dto.name}.{p.name}: {message}")
    doc = dto.description
    return ir.ComplexType(
        qn,
        tuple(fields),
        base=_base_name(dto, ns, xml, api),
        abstract=dto.abstract,
        inferred=dto.kind in ("html", "text"),
        doc=doc,
        loc=dto.loc,
    )


def _base_name(dto: Dto, ns: str, xml: clr.XmlTypes, api: ApiModel) -> str | None:
    if not dto.base or dto.base not in api.dtos:
        return None
    if dto.base_args:
        return xml.type_name(ClrType(dto.base, dto.base_args))
    return ir.qname(ns, dto.base)


def _substitute(t: ClrType | None, args: dict[str, ClrType]) -> ClrType | None:
    if t is None:
        return None
    inner = tuple(a for a in (_substitute(x, args) for x in t.args) if a is not None)
    if t.name in args and not t.args:
        arg = args[t.name]
        return ClrType(arg.name, arg.args, arg.nullable or t.nullable, arg.array + t.array)
    return ClrType(t.name, inner, t.nullable, t.array)


def _instantiate_generics(
    api: ApiModel, types: dict[str, ir.TypeDef], ns: str, xml: clr.XmlTypes, diags: Collector
) -> None:
    """Generic DTOs (QueryResponse<Report>) become one complex type per use, named as WCF names them."""
    done: set[str] = set()
    while True:
        todo = [(qn, t) for qn, t in sorted(xml.generic_uses.items()) if qn not in done]
        if not todo:
            return
        for qn, t in todo:
            done.add(qn)
            gdef = api.dtos.get(t.name)
            if gdef is None or len(gdef.generic_params) != len(t.args):
                where = gdef.loc if gdef is not None else ir.Loc()
                diags.warning(
                    "SS015",
                    where.file,
                    where.line,
                    f"{t.display()}: {t.name} is not a generic type of {len(t.args)} parameters",
                )
                continue
            subst = dict(zip(gdef.generic_params, t.args))
            props = [dataclasses.replace(p, type=_substitute(p.type, subst)) for p in gdef.props]
            inst = dataclasses.replace(
                gdef,
                base_args=tuple(a for a in (_substitute(x, subst) for x in gdef.base_args) if a),
            )
            types[qn] = _complex(inst, props, qn, ns, xml, api, diags)


def _check_references(api: ApiModel, diags: Collector) -> None:
    known = set(api.dtos) | set(clr.KNOWN)
    for dto in api.dtos.values():
        params = set(dto.generic_params)
        for p in dto.props:
            if p.type is None:
                continue
            for n in sorted(p.type.names() - known - params):
                diags.warning(
                    "SS014",
                    dto.file,
                    p.line or dto.line,
                    f"{dto.name}.{p.name} is of type {n}, which no table, metadata.json or ServiceStack built-in defines; read as string",
                )
        if dto.base and dto.base not in api.dtos:
            diags.warning(
                "SS014",
                dto.file,
                dto.line,
                f"{dto.name} inherits {dto.base}, which is not defined (it has no properties, or its table is missing)",
            )


def _order_from_samples(api: ApiModel, diags: Collector) -> None:
    """DataContract serialization is order-sensitive: where an XML sample shows a DTO's members,
    that order is the wire order (base members first)."""
    for op in api.ops.values():
        for fmt in ("soap12", "soap11", "xml"):
            s = op.samples.get(fmt)
            if s is None:
                continue
            for name, block in ((op.request, s.request), (op.response, s.response)):
                view = _view(block, fmt)
                if not name or view is None or not view.ok or block is None:
                    continue
                for level in reversed(api.chain(name)):
                    own = [p.wire for p in level.props]
                    seen = [m for m in view.top if m in own]
                    if len(seen) == len(own) and seen != own:
                        diags.warning(
                            "SS018",
                            s.file,
                            block.body_line,
                            f"{level.name}: the sample's member order {seen} differs from the declared order {own}; the sample's is used",
                        )
                        pos = {m: k for k, m in enumerate(seen)}
                        level.props.sort(key=lambda p: pos[p.wire])


def _soap_samples(op: Op, ns: str, diags: Collector) -> tuple[ir.Sample | None, ir.Sample | None]:
    s = op.samples.get("soap12")
    if s is None:
        return None, None
    out: list[ir.Sample | None] = []
    for which, block, expect in (
        ("request", s.request, op.request),
        ("response", s.response, op.response),
    ):
        if block is None or not block.body.strip() or not expect:
            out.append(None)
            continue
        try:
            root = parse_xml(block.body)
        except XmlInputError:  # reported by the page reader (SS010)
            out.append(None)
            continue
        body = next(
            (c for c in root if isinstance(c.tag, str) and etree.QName(c).localname == "Body"), None
        )
        first = (
            next((c for c in body if isinstance(c.tag, str)), None) if body is not None else None
        )
        if root.tag != f"{{{ir.SOAP12_ENV}}}Envelope" or first is None:
            diags.warning(
                "SS012",
                s.file,
                block.body_line,
                f"{op.name} {which} sample is not a SOAP 1.2 envelope with a body; not attached",
            )
            out.append(None)
            continue
        if first.tag != ir.qname(ns, expect):
            diags.warning(
                "SS012",
                s.file,
                block.body_line + (_sl(first) or 1) - 1,
                f"{op.name} {which} sample body is {first.tag}, expected {ir.qname(ns, expect)}",
            )
        out.append(ir.Sample(block.body, ir.Loc(s.file, block.body_line)))
    return out[0], out[1]
