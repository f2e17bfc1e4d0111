"""Render a named, laid-out IR version into Python source files with Jinja2.

This module turns the IR into template contexts (plain dicts of strings and lists); the
templates only arrange them. Formatting and writing are separate stages.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable

import jinja2

from . import ir, naming
from .codegen import (
    FieldCode,
    Prefixes,
    Resolver,
    Value,
    call_lines,
    def_line,
    docstring,
    field_code,
    is_ncname,
    lit,
    read_value,
    write_value,
)
from .diagnostics import Collector
from .layout import Layout
from .prefit import strip_parens
from .profiles import ApiProfile
from .readcache import RenderCache
from .templateset import TemplateSet


def environment(templates: TemplateSet, generator: str | None = None) -> jinja2.Environment:
    """The templates' Jinja2 environment; with the generator's source hash, compiled templates
    are cached (Jinja2 keys them by source only, so one folder per generator)."""
    from . import format as _format

    cache: jinja2.BytecodeCache | None = None
    if generator:
        try:
            folder = os.path.join(_format.CACHE_DIR, "jinja", generator[:16])
            os.makedirs(folder, exist_ok=True)
            cache = jinja2.FileSystemBytecodeCache(folder)
        except OSError:
            cache = None
    env = jinja2.Environment(
        loader=templates.loader(),
        bytecode_cache=cache,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["pylit"] = lit
    env.filters["rhs"] = strip_parens
    return env


def _all_fields(t: ir.ComplexType, types: dict[str, ir.TypeDef]) -> list[ir.Field]:
    chain: list[ir.ComplexType] = []
    seen: set[str] = set()
    cur: ir.TypeDef | None = t
    while isinstance(cur, ir.ComplexType) and cur.name not in seen:
        seen.add(cur.name)
        chain.append(cur)
        cur = types.get(cur.base) if cur.base else None
    fields: list[ir.Field] = []
    for c in reversed(chain):
        fields.extend(c.fields)
    return fields


def _is_class(t: ir.TypeDef) -> bool:
    return isinstance(t, (ir.ComplexType, ir.EnumType))


class ModuleTypes:
    """The type contexts of one module (the shared types module or one agent module)."""

    def __init__(
        self,
        own: Iterable[ir.TypeDef],
        visible: dict[str, ir.TypeDef],
        diags: Collector,
        where: ir.Loc,
        px: Prefixes,
    ) -> None:
        self.px = px
        self.own = [t for t in own]
        self.visible = visible
        own_names = {t.name for t in self.own}
        self.subtypes: dict[str, list[ir.ComplexType]] = {}
        for t in visible.values():
            if isinstance(t, ir.ComplexType):
                base = visible.get(t.base or "")
                while isinstance(base, ir.ComplexType):
                    if base.name in own_names:
                        self.subtypes.setdefault(base.name, []).append(t)
                    base = visible.get(base.base or "")
        self.resolver = Resolver(visible, set(self.subtypes), diags, where)

    def contexts(self) -> list[dict[str, object]]:
        # enums first: complex types use their members as field defaults
        out = [self._enum(t) for t in self.own if isinstance(t, ir.EnumType)]
        out += [self._complex(t) for t in self.own if isinstance(t, ir.ComplexType)]
        return out

    def _enum(self, t: ir.EnumType) -> dict[str, object]:
        members = []
        canonical = []
        seen_numbers: set[int] = set()
        for v in t.values:
            value = str(v.number) if t.flags else lit(v.wire)
            members.append({"py": v.py_name, "value": value, "wire": lit(v.wire)})
            if (
                t.flags
                and v.number is not None
                and v.number not in seen_numbers
                and (v.number & (v.number - 1)) == 0
            ):
                seen_numbers.add(v.number)
                canonical.append({"py": v.py_name, "wire": lit(v.wire)})
        return {
            "kind": "enum",
            "py_name": t.py_name,
            "flags": t.flags,
            "doc": docstring(
                f"{ir.local_name(t.name)} ({'flags' if t.flags else 'enumeration'}; wire type {t.name})."
            ),
            "members": members,
            "canonical": canonical,
        }

    def field(self, f: ir.Field, loc: ir.Loc | None = None) -> FieldCode:
        return field_code(f, self.resolver.value(f.type, loc), self.px)

    def _complex(self, t: ir.ComplexType) -> dict[str, object]:
        base = self.visible.get(t.base or "")
        fields = [self.field(f, t.loc) for f in _all_fields(t, self.visible)]
        own = [self.field(f, t.loc) for f in t.fields]
        if t.content_type:
            v = self.resolver.value(t.content_type)
            own.insert(0, _text_field(v))
            fields.insert(0, own[0])
        doc = t.doc or f"{ir.local_name(t.name)} (wire type {t.name})."
        typed = f' i:type="{self.px.tag(t.name)}"'
        singles = sorted(
            (f for f in fields if not f.attribute and not f.repeated), key=lambda f: not f.nillable
        )
        return {
            "xsi_attr": lit(typed),
            "typed_open": lit(typed + ">"),
            "attrs": [f for f in fields if f.attribute and f.wire != "(text)"],
            "content": [f for f in fields if not f.attribute or f.wire == "(text)"],
            "kind": "complex",
            "py_name": t.py_name,
            "base": base.py_name if isinstance(base, ir.ComplexType) else None,
            "qname": lit(t.name),
            "doc": docstring(doc, "    "),
            "own_fields": own,
            "fields": fields,
            # the reader's slots: one per single element, the nillable ones first (so that
            # _NIL_<class> names them by slot), and a list per repeated element
            "singles": singles,
            "repeats": [f for f in fields if not f.attribute and f.repeated],
            "nil_names": call_lines(
                "",
                f"_NIL_{t.py_name}: tuple[str, ...] = (",
                [lit(f.py) for f in singles if f.nillable],
            ),
            "subtypes": [
                {"qname": lit(s.name), "py": s.py_name}
                for s in sorted(self.subtypes.get(t.name, []), key=lambda s: s.name)
            ],
        }


def _text_field(v: Value) -> FieldCode:
    # simpleContent: the element's own text, kept in a field named "value"
    text = "_f_value" if v.codec == "str" else f"_rt.fmt_{v.codec}(_f_value)"
    return FieldCode(
        py="value",
        var="_f_value",
        wire="(text)",
        nil_markup="''",
        tag="None",
        attribute=True,
        annotation=v.annotation,
        default=v.default,
        optional=False,
        nillable=False,
        emit_nil_when_none=False,
        repeated=False,
        write=[f"_w(_rt.esc({text}))"],
        read=read_value(v, "_node"),
        doc="",
        local_annotation=v.annotation,
        local_default=v.default or '""',
    )


def collect_names(values: Iterable[Value], out: set[str]) -> None:
    for v in values:
        if v.kind in ("enum", "complex"):
            out.add(v.cls)
            out.add(f"_r_{v.cls}" if v.kind == "complex" else f"_MEMBERS_{v.cls}")
        elif v.kind == "flags":
            out.update({v.cls, f"_WIRE_{v.cls}", f"_MEMBERS_{v.cls}"})
        collect_names([x for x in (v.item, v.key) if x is not None], out)


def header_comment(title: str, sources: list[str]) -> str:
    names = sorted({os.path.basename(s) for s in sources})
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more files" if len(names) > 3 else "")
    return docstring(
        f"{title}\n\nGenerated by soapgen from {shown}. Do not edit: change the specs or templates and\n"
        "run `soapgen generate`."
    )


def _op_doc(op: ir.Operation, params: list[FieldCode], result: str) -> str:
    parts = [op.description or f"Call {op.name}."]
    docs = {k.lower(): v for k, v in op.param_docs}
    args = [f"    {p.py}: {docs[p.wire.lower()]}" for p in params if p.wire.lower() in docs]
    if args:
        parts.append("Args:\n" + "\n".join(args))
    if op.returns_doc:
        parts.append(f"Returns:\n    {op.returns_doc}")
    parts.append(
        f"SOAP operation {op.name}" + (f", action {op.soap_action}." if op.soap_action else ".")
    )
    return docstring("\n\n".join(parts), "        ")


class AgentRenderer:
    def __init__(
        self,
        svc: ir.Service,
        layout: Layout,
        shared: dict[str, ir.TypeDef],
        profile: ApiProfile,
        diags: Collector,
        px: Prefixes,
    ) -> None:
        self.px = px
        self.svc = svc
        self.profile = profile
        self.diags = diags
        svc_types = {t.name: t for t in svc.types}
        self.local = list(layout.local.get(svc.name, ()))
        visible = dict(svc_types)
        visible.update({n: t for n, t in shared.items() if n in layout.reachable[svc.name]})
        visible.update({t.name: t for t in self.local})
        self.types = ModuleTypes(self.local, visible, diags, svc.wsdl_loc, px)
        self.elements = {e.name: e for e in svc.elements}
        self.shared_names = {t.py_name for t in shared.values() if _is_class(t)} | {
            profile.error_class
        }
        self.used: list[Value] = []

    def _element_value(self, name: str, loc: ir.Loc) -> tuple[ir.Element | None, Value | None]:
        el = self.elements.get(name)
        if el is None:
            self.diags.error("GEN003", loc.file, loc.line, f"unknown element {name}")
            return None, None
        v = self.types.resolver.value(el.type, el.loc)
        self.used.append(v)
        return el, v

    def _wrapper_fields(
        self, element: str | None, op: ir.Operation, what: str
    ) -> tuple[str, list[FieldCode]]:
        if element is None:
            self.diags.error(
                "GEN004",
                op.loc.file,
                op.loc.line,
                f"{op.name}: the {what} message must have exactly one element part (document style) or use rpc style",
            )
            return lit(""), []
        if op.style == "rpc":
            fields = naming.name_fields(
                self._rpc_fields(op, what), op.loc, self.diags, _reserved(what)
            )
        else:
            el = self.elements.get(element)
            if el is None:
                self.diags.error(
                    "GEN003",
                    op.loc.file,
                    op.loc.line,
                    f"{op.name}: unknown {what} element {element}",
                )
                return lit(element), []
            t = self.types.visible.get(el.type)
            if not isinstance(t, ir.ComplexType):
                self.diags.error(
                    "GEN005",
                    op.loc.file,
                    op.loc.line,
                    f"{op.name}: the {what} element {element} has a simple type; only wrapper elements are supported",
                )
                return lit(element), []
            if not t.anonymous:
                # a named type as the body (document/literal bare, e.g. a ServiceStack DTO):
                # the caller passes and receives the typed object itself
                v = self.types.resolver.value(t.name, op.loc)
                self.used.append(v)
                ns, local = ir.split_qname(element)
                param = ir.Field(
                    local,
                    ns,
                    t.name,
                    1,
                    1,
                    False,
                    py_name="request" if what == "input" else "response",
                )
                return lit(element), [dataclasses.replace(field_code(param, v, self.px), bare=True)]
            fields = naming.name_fields(
                tuple(_all_fields(t, self.types.visible)), op.loc, self.diags, _reserved(what)
            )
        codes = []
        for f in fields:
            v = self.types.resolver.value(f.type, op.loc)
            self.used.append(v)
            codes.append(field_code(f, v, self.px))
        return lit(element), codes

    def _rpc_fields(self, op: ir.Operation, what: str) -> tuple[ir.Field, ...]:
        """rpc/literal: one unqualified child per part, named after the part."""
        fields = []
        for part in op.input_parts if what == "input" else op.output_parts:
            if part.type:
                fields.append(ir.Field(part.name, "", part.type))
            elif part.element and part.element in self.elements:
                ns, local = ir.split_qname(part.element)
                el = self.elements[part.element]
                fields.append(ir.Field(local, ns, el.type, nillable=el.nillable))
        return tuple(fields)

    def _faults(self) -> list[dict[str, object]]:
        """One exception class per fault detail element the agent's operations declare."""
        out: dict[str, dict[str, object]] = {}
        for op in self.svc.operations:
            for fault in op.faults:
                if not fault.element or fault.element in out:
                    continue
                el, v = self._element_value(fault.element, op.loc)
                if el is None or v is None:
                    continue
                out[fault.element] = {
                    "cls": naming.pascal(fault.name) + "Fault",
                    "tag": lit(fault.element),
                    "annotation": v.annotation,
                    "read": read_value(v, "_ch"),
                    "doc": docstring(
                        f"The {fault.name} fault of {op.name}: its detail is {fault.element}.",
                        "    ",
                    ),
                }
        return [out[k] for k in sorted(out)]

    def context(self) -> dict[str, object]:
        svc = self.svc
        in_headers: dict[str, dict[str, object]] = {}
        out_headers: dict[str, dict[str, object]] = {}
        shortcuts = []
        operations = []
        for op in svc.operations:
            for h in op.input_headers:
                if h.part in in_headers:
                    continue
                el, v = self._element_value(h.element, op.loc)
                if el is None or v is None:
                    continue
                py = naming.identifier(h.part, naming.RESERVED_FIELDS | naming.RESERVED_METHODS)
                var = f"_h_{py}"
                type_names: set[str] = set()
                collect_names([v], type_names)
                in_headers[h.part] = {
                    "py": py,
                    "part": h.part,
                    "var": var,
                    "annotation": f"{v.annotation} | None",
                    "names": sorted(n for n in type_names if not n.startswith("_")),
                    "write": write_value(v, self.px, h.element, var, "_h" + py),
                }
                t = self.types.visible.get(el.type)
                if (
                    isinstance(t, ir.ComplexType)
                    and len(t.fields) == 1
                    and not t.base
                    and t.fields[0].py_name
                ):
                    shortcuts.append(
                        {
                            "py": t.fields[0].py_name,
                            "header": py,
                            "type": t.py_name,
                            "field": t.fields[0].py_name,
                            "annotation": f"{self.types.resolver.value(t.fields[0].type).annotation} | None",
                        }
                    )
            for h in op.output_headers:
                if h.part in out_headers:
                    continue
                el, v = self._element_value(h.element, op.loc)
                if el is None or v is None:
                    continue
                out_headers[h.part] = {
                    "py": naming.identifier(h.part),
                    "tag": lit(h.element),
                    "annotation": f"{v.annotation} | None",
                    "read": read_value(v, "_ch"),
                    "type": v.cls,
                }
            operations.append(self._operation(op))
        header_pys = {h["py"] for h in in_headers.values()}
        shortcuts = [s for s in shortcuts if s["py"] not in header_pys]
        error = None
        if self.profile.error_header in out_headers:
            eh = out_headers[self.profile.error_header]
            if eh["type"] in self.shared_names:
                error = {"cls": self.profile.error_class, "header_py": eh["py"], "type": eh["type"]}
        for op_ctx in operations:
            if op_ctx["error_field"] and error is None:
                error = {
                    "cls": self.profile.error_class,
                    "header_py": "",
                    "type": op_ctx["error_type"],
                }
        faults = self._faults()
        local_ctx = self.types.contexts()
        names: set[str] = set()
        collect_names(self.used, names)
        for t in self.local:
            if isinstance(t, ir.ComplexType):
                collect_names(
                    [self.types.resolver.value(f.type) for f in _all_fields(t, self.types.visible)],
                    names,
                )
                base = self.types.visible.get(t.base or "")
                if base is not None:
                    names.add(base.py_name)
            for sub in self.types.subtypes.get(t.name, []):
                names.add(f"_r_{sub.py_name}")
        if error:
            names.add(str(error["cls"]))
        if self.profile.json:
            names.update("_rj_" + n[3:] for n in list(names) if n.startswith("_r_"))
        # re-export every shared type this agent uses, so users import from the agent's module
        names.update(
            t.py_name
            for t in self.types.visible.values()
            if _is_class(t) and t.py_name in self.shared_names
        )
        local_names = {t.py_name for t in self.local}
        shared_used = sorted(
            n for n in names if _shared_symbol(n, self.shared_names) and n not in local_names
        )
        return {
            "module": svc.py_name,
            "endpoint": svc.endpoint,
            "soap_version": svc.soap_version,
            "types": local_ctx,
            "imports": [n for n in shared_used if not n.startswith("_")],
            "private_imports": [n for n in shared_used if n.startswith("_")],
            "headers_cls": "ResponseHeaders",
            "in_headers": list(in_headers.values()),
            "out_headers": list(out_headers.values()),
            "shortcuts": shortcuts,
            "error": error,
            "faults": faults,
            "operations": operations,
            "client_cls": f"{naming.pascal(svc.name)}Agent",
            "json_cls": f"{naming.pascal(svc.name)}JsonAgent",
            "json_enabled": self.profile.json,
            "ns_decls": lit(self.px.decls()),
            "error_bodies": self.profile.error_bodies,
            "client_doc": docstring(
                f"Client of the {svc.name} agent ({svc.endpoint or svc.address}), SOAP {svc.soap_version}.",
                "    ",
            ),
            "async_client_doc": docstring(
                f"Async client of the {svc.name} agent ({svc.endpoint or svc.address}), SOAP {svc.soap_version}: "
                f"the methods of {naming.pascal(svc.name)}Agent, awaited.",
                "    ",
            ),
        }

    def _operation(self, op: ir.Operation) -> dict[str, object]:
        input_tag, params = self._wrapper_fields(op.input_element, op, "input")
        result_cls = None
        results: list[FieldCode]
        if op.one_way:
            output_tag, results = lit(""), []
        else:
            output_tag, results = self._wrapper_fields(op.output_element, op, "output")
        if not results:
            returns = "None"
        elif len(results) == 1:
            returns = (
                results[0].annotation
                if not results[0].bare
                else results[0].annotation.removesuffix(" | None")
            )
        else:
            result_cls = naming.pascal(op.name) + "Result"
            returns = result_cls
        error_field, error_type, error_check = "", "", ""
        if self.profile.error_field and len(results) == 1 and results[0].bare:
            t = self.types.visible.get(self.types.resolver.cls_names.get(results[0].cls, ""))
            if isinstance(t, ir.ComplexType):
                for f in _all_fields(t, self.types.visible):
                    v = self.types.resolver.value(f.type)
                    if f.name == self.profile.error_field and v.kind == "complex":
                        error_field, error_type = naming.identifier(f.name), v.cls
                        et = self.types.resolver.types.get(f.type)
                        codes = [
                            g
                            for g in (
                                _all_fields(et, self.types.visible)
                                if isinstance(et, ir.ComplexType)
                                else []
                            )
                            if g.name == "ErrorCode"
                        ]
                        error_check = (
                            f".{codes[0].py_name or naming.identifier('ErrorCode')}"
                            if codes
                            else f" != {v.cls}()"
                        )
        typed = [f"{p.py}: {p.annotation}" for p in params]
        single = len(results) == 1 and not results[0].bare and not results[0].repeated
        direct_read = _direct_read(results)
        parse_def = None  # the module's own _parse_<op>, when the Operation needs one
        if not results:
            reader = "_rt.no_result"
        elif direct_read:
            reader = direct_read
        elif results[0].bare and len(results) == 1:
            reader = f"_r_{results[0].cls}"
        else:
            reader = f"_parse_{op.py_name}"
            argument = "_c: _etree._Element | None" if single else "_node: _etree._Element"
            parse_def = def_line("", f"def _parse_{op.py_name}", [argument], returns)
        return {
            "error_field": error_field,
            "error_type": error_type,
            "error_check": error_check,
            "name": op.name,
            "py": op.py_name,
            "action": op.soap_action,
            "input_tag": input_tag,
            "output_tag": output_tag,
            "output_name": op.output_element or "",
            "input_open": lit(f"<{self.px.tag(op.input_element)}>") if op.input_element else "''",
            "input_close": lit(f"</{self.px.tag(op.input_element)}>") if op.input_element else "''",
            "input_markup": lit(self.px.tag(op.input_element)) if op.input_element else "''",
            "bare_in": bool(params) and params[0].bare,
            "bare_out": bool(results) and results[0].bare,
            "build_expr": _build_expr(op, params, self.px),
            "params": params,
            "results": results,
            "returns": returns,
            "result_cls": result_cls,
            "header_names": _tuple_lit([h.part for h in op.input_headers]),
            "calls": {
                (mode, kind): call_lines(
                    "        ",
                    f"{kind}{'await self._acall' if mode == 'async' else 'self._call'}",
                    [f"_OP_{op.py_name}", (f"_build_{op.py_name}", [p.py for p in params])],
                )
                # the async client awaits AsyncCalls, but for operations with an error field
                for mode, kind in (
                    ("sync", "return "),
                    ("sync", "_result = "),
                    ("async", "_result = "),
                )
            },
            # one child of the response wrapper, read by Operation.reply
            "single": single,
            "build_def": def_line("", f"def _build_{op.py_name}", typed, "str"),
            "parse_def": parse_def,
            # the async client's method: the same builder and Operation, awaited (_rt.AsyncCall)
            "async_call": call_lines(
                "    ",
                f"{op.py_name} = _rt.AsyncCall",
                [f"_OP_{op.py_name}", f"_build_{op.py_name}"],
            ),
            "method_defs": {
                mode: def_line("    ", f"{prefix}def {op.py_name}", ["self", *typed], returns)
                for mode, prefix in (("sync", ""), ("async", "async "))
            },
            # what _rt.Operation reads a reply with (Operation.reply)
            "response_tag": output_tag if results else "None",
            "result_tag": results[0].tag if single else "None",
            "reader": reader,
            "has_faults": any(f.element for f in op.faults),
            "doc": _op_doc(op, params, returns),
        }


def _build_expr(op: ir.Operation, params: list[FieldCode], px: Prefixes) -> str | None:
    """The request body as one f-string, when every parameter writes one f-string piece
    (plain values: numbers, booleans, enums, dates); None otherwise."""
    if not op.input_element or (params and params[0].bare):
        return None
    tag = px.tag(op.input_element)
    inner = ""
    for p in params:
        if len(p.write_arg) != 1 or not (
            p.write_arg[0].startswith('_w(f"') and p.write_arg[0].endswith('")')
        ):
            return None
        inner += p.write_arg[0][len('_w(f"') : -len('")')]
    if any(ch in tag for ch in "{}\"\\'\n\r"):
        return None
    return f'f"<{tag}>{inner}</{tag}>"' if params else lit(f"<{tag}></{tag}>")


def _direct_read(results: list[FieldCode]) -> str | None:
    """`_rt.or_none(_r_<Class>)` for a single optional complex result read as it comes."""
    if len(results) != 1 or results[0].bare or results[0].repeated:
        return None
    f = results[0]
    if f.cls and f.default == "None" and f.read == f"_r_{f.cls}(_c)":
        return f"_rt.or_none(_r_{f.cls})"
    return None


def _tuple_lit(items: list[str]) -> str:
    if len(items) == 1:
        return f"({lit(items[0])},)"
    return "(" + ", ".join(lit(i) for i in items) + ")"


def _reserved(what: str) -> frozenset[str]:
    """Input parts become parameters (locals that must not hide builtins); outputs, attributes."""
    return naming.PARAM_RESERVED if what == "input" else naming.RESERVED_FIELDS


def _shared_symbol(name: str, shared_classes: set[str]) -> bool:
    for prefix in ("_r_", "_rj_", "_WIRE_", "_MEMBERS_"):
        if name.startswith(prefix):
            return name[len(prefix) :] in shared_classes
    return name in shared_classes


def render_version(
    api: str,
    version: ir.Version,
    layout: Layout,
    profile: ApiProfile,
    env: jinja2.Environment,
    diags: Collector,
    sources: list[str],
    namespaces: set[str],
    emit: Callable[[str, str], None] | None = None,
    cache: RenderCache | None = None,
    version_key: str = "",
) -> dict[str, str]:
    """Relative path (inside the version package) -> unformatted source; each module is also
    passed to `emit` as soon as it is rendered (the formatter starts on it). `namespaces` are
    the version's (:func:`version_namespaces`)."""
    shared = {t.name: t for t in layout.shared}
    check_xml_names(version, diags)
    px = Prefixes(namespaces)
    files: dict[str, str] = {}
    agents = []
    headers: dict[str, dict[str, str]] = {}
    error_cls = ""
    error_ctx = None
    header_types: set[str] = set()
    shared_classes = {t.py_name for t in layout.shared if _is_class(t)}
    template = env.get_template("agent.py.j2")
    for svc in version.services:
        key = cache.digest(cache.agent_key(version_key, svc), "agent") if cache is not None else ""
        hit = cache.get(key) if cache is not None else None
        agent_diags = Collector()
        if hit is not None:  # the module as rendered before, and what the version needs of it
            ctx, text, found = hit
            agent_diags.extend(found)
        else:
            r = AgentRenderer(svc, layout, shared, profile, agent_diags, px)
            ctx = r.context()
            ctx["header"] = header_comment(
                f"{api} {version.name} {svc.name} agent client.", [svc.wsdl_loc.file]
            )
            text = template.render(ctx)
            if cache is not None:
                summary = {k: ctx[k] for k in ("in_headers", "shortcuts", "client_cls", "error")}
                cache.put(key, (summary, text, agent_diags.items))
        diags.extend(agent_diags.items)
        files[f"{svc.py_name}.py"] = text
        if emit is not None:  # the formatter starts on each agent while the next one renders
            emit(f"{svc.py_name}.py", text)
        params = [h for h in ctx["in_headers"]] + list(ctx["shortcuts"])
        for h in params:
            seen = headers.setdefault(
                str(h["py"]), {"py": str(h["py"]), "annotation": str(h["annotation"]), "ok": "1"}
            )
            names = set(h.get("names", []))
            # the facade passes one value to every agent: only for headers typed alike by shared types
            if seen["annotation"] != str(h["annotation"]) or not names <= shared_classes:
                seen["ok"] = ""
            header_types.update(names)
        agents.append(
            {
                "module": svc.py_name,
                "cls": ctx["client_cls"],
                "header_params": {str(h["py"]) for h in params},
            }
        )
        if ctx["error"] and error_ctx is None:
            error_ctx = ctx["error"]
    error = None
    if error_ctx is not None:
        etype = shared[next(n for n, t in shared.items() if t.py_name == error_ctx["type"])]
        assert isinstance(etype, ir.ComplexType)
        fields = {f.py_name: f for f in _all_fields(etype, shared)}
        attrs = [
            {"py": n, "field": n}
            for n in fields
            if n not in ("info", "response", "nil_fields", "args")
        ]
        message = "str(info.message or '')" if "message" in fields else "repr(info)"
        error = {
            "cls": error_ctx["cls"],
            "header": profile.error_header,
            "type": error_ctx["type"],
            "attrs": attrs,
            "message_expr": message,
        }
        error_cls = str(error_ctx["cls"])
    exports = sorted(t.py_name for t in layout.shared if _is_class(t)) + (
        [error_cls] if error_cls else []
    )
    # the shared types last: they need every agent's error type
    types_key = (
        cache.digest(version_key, "types", sources, error, exports) if cache is not None else ""
    )
    types_hit = cache.get(types_key) if cache is not None else None
    if types_hit is not None:
        files["types.py"] = types_hit[0]
        diags.extend(types_hit[1])
    else:
        types_diags = Collector()
        shared_types = ModuleTypes(layout.shared, shared, types_diags, ir.Loc(), px)
        files["types.py"] = env.get_template("types.py.j2").render(
            header=header_comment(f"{api} {version.name}: the types its agents share.", sources),
            types=shared_types.contexts(),
            exports=exports,
            error=error,
            json_enabled=profile.json,
        )
        diags.extend(types_diags.items)
        if cache is not None:
            cache.put(types_key, (files["types.py"], types_diags.items))
    if emit is not None:
        emit("types.py", files["types.py"])
    files["__init__.py"] = env.get_template("package_init.py.j2").render(
        header=header_comment(
            f"{api} {version.name} client: one class per agent and the {profile.facade} facade.",
            sources,
        ),
        agents=agents,
        headers=sorted((h for h in headers.values() if h["ok"]), key=lambda h: h["py"]),
        facade=profile.facade,
        version=version.name,
        error_cls=error_cls,
        header_types=sorted(header_types & shared_classes),
    )
    return files


def check_xml_names(version: ir.Version, diags: Collector) -> None:
    """Names the client writes as markup must be XML names (a schema may say anything)."""
    for svc in version.services:
        for t in svc.types:
            names = [ir.local_name(t.name)]
            if isinstance(t, ir.ComplexType):
                names += [f.name for f in t.fields]
            for name in names:
                if not is_ncname(name):
                    diags.error(
                        "GEN006",
                        t.loc.file,
                        t.loc.line,
                        f"{name!r} (in {t.name}) is not an XML name; it cannot be written",
                    )
        for e in svc.elements:
            if not is_ncname(ir.local_name(e.name)):
                diags.error(
                    "GEN006",
                    e.loc.file,
                    e.loc.line,
                    f"element name {ir.local_name(e.name)!r} is not an XML name",
                )


def version_namespaces(version: ir.Version) -> set[str]:
    """Every namespace a version's markup can use (Prefixes numbers them in sorted order)."""
    namespaces: set[str] = set()
    for svc in version.services:
        namespaces.add(svc.namespace)
        for t in svc.types:
            namespaces.add(ir.split_qname(t.name)[0])
            if isinstance(t, ir.ComplexType):
                namespaces.update(f.namespace for f in t.fields)
            elif isinstance(t, ir.ArrayType):
                namespaces.add(t.item.namespace)
            elif isinstance(t, ir.DictType):
                namespaces.update((ir.split_qname(t.pair)[0], t.key.namespace, t.value.namespace))
        namespaces.update(ir.split_qname(e.name)[0] for e in svc.elements)
        namespaces.update(op.rpc_namespace for op in svc.operations)
    return namespaces
