"""One agent (service) of a version, planned: its module's own types, its operations
(parameters, results, how requests are built and replies read), headers, faults and the
shared types it imports."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from ..config import naming
from ..config.profiles import ApiProfile
from ..core import ir
from ..core.diagnostics import Collector
from ..merge.layout import Layout
from .model import (
    AgentPlan,
    FaultPlan,
    FieldPlan,
    HeaderPlan,
    ModuleTypes,
    OperationPlan,
    RecordPlan,
    ShortcutPlan,
    ValuePlan,
    std_imports,
)
from .records import all_fields, class_doc, fields_code, plan_types, types_code
from .text import Prefixes, docstring, lit
from .values import Values, field_plan

_FSTRING_UNSAFE = re.compile(r"""[{}"'\\\r\n]""")
VALUE_BODY = "@value"  # _wrapper: the body element is of a simple type, its value the parameter


def class_names(v: ValuePlan) -> set[str]:
    """The classes a value's annotation and reader name."""
    out = {v.cls} if v.cls else set()
    for inner in (v.item, v.key):
        if inner is not None:
            out |= class_names(inner)
    return out


@dataclass
class AgentScope:
    """What planning one agent sees: its own types, the shared ones it reaches, its elements."""

    svc: ir.Service
    visible: dict[str, ir.TypeDef]
    local: list[ir.TypeDef]
    values: Values
    px: Prefixes
    profile: ApiProfile
    diags: Collector
    shared_classes: set[str]
    used: set[str] = field(default_factory=set)  # classes the module's code names

    @property
    def elements(self) -> dict[str, ir.Element]:
        return {e.name: e for e in self.svc.elements}

    def value(self, type_name: str, loc: ir.Loc) -> ValuePlan:
        v = self.values.value(type_name, loc)
        self.used |= class_names(v)
        return v

    def field(self, f: ir.Field, loc: ir.Loc) -> FieldPlan:
        return field_plan(f, self.value(f.type, loc), self.px, self.profile)


def _wrapper(
    scope: AgentScope, element: str | None, op: ir.Operation, what: str
) -> tuple[list[FieldPlan], str | None] | None:
    """The fields of an operation's request or response: (fields, bare record class) for a
    named type as the body (document/literal bare), or the wrapper's children; None after an
    error."""
    diags = scope.diags
    reserved = naming.PARAM_RESERVED if what == "input" else naming.RESERVED_FIELDS
    if element is None:
        diags.error(
            "GEN004",
            op.loc.file,
            op.loc.line,
            f"{op.name}: the {what} message must have exactly one element part"
            " (document style) or use rpc style",
        )
        return None
    if op.style == "rpc":
        fields = naming.name_fields(_rpc_fields(scope, op, what), op.loc, diags, reserved)
        return [scope.field(f, op.loc) for f in fields], None
    el = scope.elements.get(element)
    if el is None:
        diags.error(
            "GEN003", op.loc.file, op.loc.line, f"{op.name}: unknown {what} element {element}"
        )
        return None
    t = scope.visible.get(el.type)
    if not isinstance(t, ir.ComplexType):  # the body element holds the value itself
        ns, local = ir.split_qname(element)
        py = naming.identifier(local, reserved)
        value = ir.Field(local, ns, el.type, nillable=el.nillable, py_name=py)
        return [scope.field(value, op.loc)], VALUE_BODY
    if not t.anonymous:  # the caller passes and receives the typed object itself
        scope.value(t.name, op.loc)
        return [], t.py_name
    fields = naming.name_fields(tuple(all_fields(t, scope.visible)), op.loc, diags, reserved)
    plans = [scope.field(f, op.loc) for f in fields]
    if what == "input" and not scope.profile.plain_values:  # an optional list: a keyword
        plans = [
            _optional_list(p) if f.repeated and f.min_occurs == 0 else p
            for f, p in zip(fields, plans)
        ]
    return plans, None


def _optional_list(p: FieldPlan) -> FieldPlan:
    """A repeated parameter the schema lets the request leave out: None (or []) sends none."""
    return dataclasses.replace(
        p, annotation=f"{p.annotation} | None", default_expr="None", optional=True
    )


def _rpc_fields(scope: AgentScope, op: ir.Operation, what: str) -> tuple[ir.Field, ...]:
    """rpc/literal: one unqualified child per part, named after the part."""
    fields = []
    elements = scope.elements
    for part in op.input_parts if what == "input" else op.output_parts:
        if part.type:
            fields.append(ir.Field(part.name, "", part.type))
        elif part.element and part.element in elements:
            ns, local = ir.split_qname(part.element)
            el = elements[part.element]
            fields.append(ir.Field(local, ns, el.type, nillable=el.nillable))
    return tuple(fields)


def _op_doc(op: ir.Operation, params: list[FieldPlan]) -> str:
    parts = [op.description or f"Call {op.name}."]
    docs = {k.lower(): v for k, v in op.param_docs}
    args = [f"    {p.py}: {docs[p.wire.lower()]}" for p in params if p.wire.lower() in docs]
    if args:
        parts.append("Args:\n" + "\n".join(args))
    if op.returns_doc:
        parts.append(f"Returns:\n    {op.returns_doc}")
    action = f", action {op.soap_action}." if op.soap_action else "."
    parts.append(f"SOAP operation {op.name}{action}")
    return docstring("\n\n".join(parts), "        ")


def _fstring_body(tag: str, params: list[FieldPlan]) -> str:
    """The request body as one f-string when every parameter is a required plain value whose
    markup is one f-string piece; "" otherwise."""
    inner = ""
    for p in params:
        piece = _fstring_piece(p)
        if piece is None:
            return ""
        inner += piece
    if _FSTRING_UNSAFE.search(tag):
        return ""
    return f'f"<{tag}>{inner}</{tag}>"' if params else lit(f"<{tag}></{tag}>")


def _fstring_piece(p: FieldPlan) -> str | None:
    if p.optional or p.repeated or p.attribute or _FSTRING_UNSAFE.search(p.prefixed):
        return None
    v = p.value
    if v.kind == "scalar" and v.write == "int":
        expr = f"{{{p.py}:d}}"
    elif v.kind == "scalar" and v.write == "bool":
        expr = f"{{'true' if {p.py} else 'false'}}"
    elif v.kind == "scalar" and v.write == "call":
        expr = f"{{{v.fmt}({p.py})}}"
    elif v.kind == "enum" and v.text_safe:
        expr = f"{{{p.py}.value}}"
    else:
        return None
    return f"<{p.prefixed}>{expr}</{p.prefixed}>"


def _result(
    scope: AgentScope, op: ir.Operation, results: list[FieldPlan], bare: str | None
) -> tuple[str, str, RecordPlan | None]:
    """(return annotation, runtime Result expression, the record of several results)."""
    if bare == VALUE_BODY:  # the response element's own value
        f = results[0]
        reader = f"_rt.nillable({f.value.reader_expr})" if f.nillable else f.value.reader_expr
        return f.annotation, f"_rt.whole({reader})", None
    if bare is not None:
        return bare, f"_rt.whole(_rt.record_of({bare}))", None
    if not results:
        return "None", "_rt.nothing()", None
    if len(results) == 1 and not results[0].attribute:
        f = results[0]
        if f.repeated:
            return f.annotation, f"_rt.children({f.tag_lit}, {f.value.reader_expr})", None
        if f.optional:
            return f.annotation, f"_rt.optional_child({f.tag_lit}, {f.value.reader_expr})", None
        if f.default_expr is not None:
            expr = f"_rt.child_or({f.tag_lit}, {f.value.reader_expr}, {f.default_expr})"
            return f.annotation, expr, None
        return f.annotation, f"_rt.child({f.tag_lit}, {f.value.reader_expr})", None
    cls = naming.pascal(op.name) + "Result"
    record = RecordPlan(
        py=cls,
        qname_lit=scope.px.clark(op.output_element or ""),
        xsi_type="",
        base=None,
        doc=class_doc(f"The values {op.name} returns.", results),
        fields=tuple(results),
        has_content=False,  # read only: a reply, never written
        has_attrs=False,
    )
    return cls, f"_rt.whole(_rt.record_of({cls}))", record


def _error_field(scope: AgentScope, bare: str | None) -> str:
    """ServiceStack: the response's error field and its code field, as a literal pair."""
    if not scope.profile.error_field or bare is None:
        return "None"
    t = next((t for t in scope.visible.values() if t.py_name == bare), None)
    if not isinstance(t, ir.ComplexType):
        return "None"
    for f in all_fields(t, scope.visible):
        status = scope.visible.get(f.type)
        if f.name == scope.profile.error_field and isinstance(status, ir.ComplexType):
            codes = [g for g in all_fields(status, scope.visible) if g.name == "ErrorCode"]
            code = codes[0].py_name if codes else ""
            return f"({lit(f.py_name)}, {lit(code)})"
    return "None"


def plan_operation(scope: AgentScope, op: ir.Operation, has_faults: bool) -> OperationPlan | None:
    # a document-style message without parts is an empty Body (zeep sends and takes one)
    empty_in = op.style != "rpc" and not op.input_parts
    empty_out = op.style != "rpc" and not op.output_parts
    found = ([], None) if empty_in else _wrapper(scope, op.input_element, op, "input")
    if found is None:
        return None
    params, bare_in = found
    value_in = bare_in == VALUE_BODY
    bare_in = None if value_in else bare_in
    results: list[FieldPlan] = []
    bare_out = None
    if not op.one_way and not empty_out:
        out = _wrapper(scope, op.output_element, op, "output")
        if out is None:
            return None
        results, bare_out = out
    returns, result_expr, result_record = _result(scope, op, results, bare_out)
    bare_out = None if bare_out == VALUE_BODY else bare_out
    input_tag = scope.px.tag(op.input_element or "")
    if bare_in is not None:
        ns, local = ir.split_qname(op.input_element or "")
        params = [
            FieldPlan(
                py="request",
                wire=local,
                tag_lit=scope.px.clark(op.input_element or ""),
                prefixed=input_tag,
                value=scope.value(
                    next(t.name for t in scope.visible.values() if t.py_name == bare_in), op.loc
                ),
                annotation=bare_in,
                default_expr=None,
                optional=False,
                nillable=False,
                repeated=False,
            )
        ]
    keyword = [] if scope.profile.plain_values or bare_in else [p for p in params if p.optional]
    positional = [p for p in params if p not in keyword]
    build_kind = "bare" if bare_in else "value" if value_in else "wrapper"
    if empty_in:
        build_kind = "empty"
    fstring = ""
    if build_kind == "wrapper":
        fstring = _fstring_body(input_tag, params)
        if fstring:
            build_kind = "fstring"
    return OperationPlan(
        name=op.name,
        py=op.py_name,
        action=op.soap_action,
        doc=_op_doc(op, params),
        params=tuple(params),
        required_params=tuple(positional),
        optional_params=tuple(keyword),
        returns=returns,
        result_record=result_record,
        build_kind=build_kind,
        build_fstring=fstring,
        input_tag=input_tag,
        request_lit=scope.px.clark(op.input_element or ""),
        bare_cls=bare_in or "",
        header_parts=tuple(h.part for h in op.input_headers),
        response_lit=(
            scope.px.clark(op.output_element) if op.output_element and not op.one_way else "None"
        ),
        result_expr=result_expr,
        faults_expr="_FAULTS" if has_faults and any(f.element for f in op.faults) else "None",
        error_field_lit=_error_field(scope, bare_out),
        json=scope.profile.json and bare_in is not None and bare_out is not None,
        json_result=bare_out or "",
        safe_to_repeat=safe_to_repeat(op.name, scope.profile),
    )


def safe_to_repeat(name: str, profile: ApiProfile) -> bool:
    """Is an operation safe to send twice? Only by the profile's say (names matching
    `repeatable` and no `not_repeatable` pattern): a WSDL does not tell."""
    return any(fnmatchcase(name, p) for p in profile.repeatable) and not any(
        fnmatchcase(name, p) for p in profile.not_repeatable
    )


def _headers(
    scope: AgentScope,
) -> tuple[list[HeaderPlan], list[ShortcutPlan], list[HeaderPlan]]:
    ins: dict[str, HeaderPlan] = {}
    outs: dict[str, HeaderPlan] = {}
    shortcuts: list[ShortcutPlan] = []
    elements = scope.elements
    reserved = naming.RESERVED_FIELDS | naming.RESERVED_METHODS
    for op in scope.svc.operations:
        for direction, headers, found in (
            ("in", op.input_headers, ins),
            ("out", op.output_headers, outs),
        ):
            for h in headers:
                if h.part in found:
                    continue
                el = elements.get(h.element)
                if h.type:  # a part of a type: an unqualified element named after the part
                    el = ir.Element(h.element, h.type, loc=op.loc)
                if el is None:
                    scope.diags.error(
                        "GEN003", op.loc.file, op.loc.line, f"unknown element {h.element}"
                    )
                    continue
                py = naming.identifier(
                    h.part, reserved if direction == "in" else naming.RESERVED_FIELDS
                )
                ns, local = ir.split_qname(h.element)
                f = ir.Field(local, ns, el.type, min_occurs=0, py_name=py)
                plan = scope.field(f, el.loc)
                plan = FieldPlan(
                    **{**plan.__dict__, "annotation": f"{plan.value.annotation} | None"}
                )
                found[h.part] = HeaderPlan(py, h.part, plan, tuple(sorted(class_names(plan.value))))
                t = scope.visible.get(el.type)
                if (
                    direction == "in"
                    and isinstance(t, ir.ComplexType)
                    and len(t.fields) == 1
                    and not t.base
                    and t.fields[0].py_name
                ):
                    inner = scope.values.value(t.fields[0].type)
                    shortcuts.append(
                        ShortcutPlan(
                            t.fields[0].py_name,
                            py,
                            t.py_name,
                            t.fields[0].py_name,
                            f"{inner.annotation} | None",
                        )
                    )
    names = {h.py for h in ins.values()}
    shortcuts = [s for s in shortcuts if s.py not in names]
    return list(ins.values()), shortcuts, list(outs.values())


def _faults(scope: AgentScope) -> list[FaultPlan]:
    """One exception class per fault detail element the agent's operations declare."""
    out: dict[str, FaultPlan] = {}
    elements = scope.elements
    for op in scope.svc.operations:
        for fault in op.faults:
            if not fault.element or fault.element in out:
                continue
            el = elements.get(fault.element)
            if el is None:
                scope.diags.error(
                    "GEN003", op.loc.file, op.loc.line, f"unknown element {fault.element}"
                )
                continue
            out[fault.element] = FaultPlan(
                cls=naming.pascal(fault.name) + "Fault",
                tag_lit=scope.px.clark(fault.element),
                value=scope.value(el.type, el.loc),
                doc=docstring(
                    f"The {fault.name} fault of {op.name}: its detail is {fault.element}.", "    "
                ),
            )
    return [out[k] for k in sorted(out)]


def plan_agent(
    api: str,
    version: ir.Version,
    svc: ir.Service,
    layout: Layout,
    shared: dict[str, ir.TypeDef],
    profile: ApiProfile,
    px: Prefixes,
    diags: Collector,
    header_doc: str,
) -> AgentPlan:
    local = list(layout.local.get(svc.name, ()))
    visible = {t.name: t for t in svc.types}
    visible.update({n: t for n, t in shared.items() if n in layout.reachable[svc.name]})
    visible.update({t.name: t for t in local})
    shared_classes = {
        t.py_name for t in shared.values() if isinstance(t, ir.ComplexType | ir.EnumType)
    }
    values = Values(visible, px, diags, svc.wsdl_loc)
    scope = AgentScope(svc, visible, local, values, px, profile, diags, shared_classes)
    types = plan_types(local, visible, values, px, profile, diags)
    for r in types.records:
        for f in r.fields:
            scope.used |= class_names(f.value)
        if r.base:
            scope.used.add(r.base)
    in_headers, shortcuts, out_headers = _headers(scope)
    faults = _faults(scope)
    operations = [
        o
        for o in (plan_operation(scope, op, bool(faults)) for op in svc.operations)
        if o is not None
    ]
    error_header_py, error_cls = "", ""
    for h in out_headers:
        if h.part == profile.error_header and h.field.value.cls in shared_classes:
            error_header_py, error_cls = h.py, profile.error_class
    if any(o.error_field_lit != "None" for o in operations):
        error_cls = profile.error_class
    client = f"{naming.pascal(svc.name)}Agent"
    json_cls = f"{naming.pascal(svc.name)}JsonAgent"
    where = svc.endpoint or svc.address
    speaks = f"SOAP {svc.soap_version}"
    if svc.soap_versions:
        others = " or ".join(v for v in svc.soap_versions if v != svc.soap_version)
        speaks += f" (or {others}: soap_version={lit(others)})"
    # every shared class this agent reaches is importable from its module
    imports = {t.py_name for t in visible.values() if t.py_name in shared_classes}
    imports |= scope.used & shared_classes
    if error_cls:
        imports.add(error_cls)
    local_names = [t.py_name for t in local if isinstance(t, ir.ComplexType | ir.EnumType)]
    exports = [client, "Async" + client]
    if profile.json and any(o.json for o in operations):
        exports += [json_cls, "Async" + json_cls]
    exports += ["ResponseHeaders", *local_names]
    exports += [o.result_record.py for o in operations if o.result_record]
    exports += [f.cls for f in faults]
    code = types_code(types) + ["_dc."]  # ResponseHeaders
    code += fields_code(h.field for h in (*in_headers, *out_headers))
    code += [s.annotation for s in shortcuts] + [f.value.annotation for f in faults]
    for o in operations:
        code += fields_code(o.params) + [o.returns, o.result_expr]
        if o.result_record is not None:
            code += fields_code(o.result_record.fields)
    return AgentPlan(
        name=svc.name,
        module=svc.py_name,
        client_cls=client,
        json_cls=json_cls,
        endpoint=svc.endpoint,
        soap_version=svc.soap_version,
        soap_versions=svc.soap_versions,
        ns_decls_lit=lit(px.decls()),
        ns_constants=tuple(px.constants()),
        header_doc=header_doc,
        client_doc=docstring(f"Client of the {svc.name} agent ({where}), {speaks}.", "    "),
        async_doc=docstring(
            f"Async client of the {svc.name} agent ({where}), {speaks}: the"
            f" methods of {client}, awaited.",
            "    ",
        ),
        types=types,
        imports=tuple(sorted(imports - set(local_names))),
        in_headers=tuple(in_headers),
        shortcuts=tuple(shortcuts),
        out_headers=tuple(out_headers),
        faults=tuple(faults),
        operations=tuple(operations),
        error_header_py=error_header_py,
        error_cls=error_cls,
        json=profile.json,
        error_bodies=profile.error_bodies,
        exports=tuple(sorted(set(exports) | imports)),
        std_imports=std_imports(code),
    )


__all__ = [
    "AgentScope",
    "ModuleTypes",
    "class_names",
    "plan_agent",
    "plan_operation",
    "safe_to_repeat",
]
