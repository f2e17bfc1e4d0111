"""One IR version as a :class:`.model.VersionView`: wire names, with namespaces normalized so
that versions compare (the agent's own namespace is ``tns``, the version name is ``{version}``)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..core import ir
from .model import AgentView, Member, OpSig, TypeSig, VersionView

_PREFIXES = {ir.XSD: "xs", ir.WCF_SER: "ser", ir.WCF_ARRAYS: "arr"}


class _Names:
    """Displays Clark QNames of one version in a form comparable across versions."""

    def __init__(self, version: ir.Version) -> None:
        self.own = {svc.namespace for svc in version.services if svc.namespace}
        name = version.name
        self.version_re = (
            re.compile(rf"(?<![A-Za-z0-9]){re.escape(name)}(?![A-Za-z0-9])")
            if len(name) >= 2
            else None
        )

    def namespace(self, ns: str) -> str:
        if ns in self.own:
            return "tns"
        if ns in _PREFIXES:
            return ns
        return self.version_re.sub("{version}", ns) if self.version_re else ns

    def type(self, qname: str | None) -> str:
        if not qname:
            return ""
        ns, local = ir.split_qname(qname)
        ns = self.namespace(ns)
        if ns == "tns" or not ns:
            return local
        if ns in _PREFIXES:
            return f"{_PREFIXES[ns]}:{local}"
        return f"{{{ns}}}{local}"


def optionality(min_occurs: int, max_occurs: int | None, nillable: bool) -> str:
    words = ["optional" if min_occurs == 0 else "required"]
    if max_occurs is None:
        words.append("list")
    elif max_occurs > 1:
        words.append(f"list of at most {max_occurs}")
    if nillable:
        words.append("nillable")
    return ", ".join(words)


def _member(f: ir.Field, names: _Names) -> Member:
    return Member(
        f.name,
        names.type(f.type),
        optionality(f.min_occurs, f.max_occurs, f.nillable),
        names.namespace(f.namespace) if f.namespace else "",
        f.attribute,
    )


def _all_fields(t: ir.ComplexType, types: dict[str, ir.TypeDef]) -> list[ir.Field]:
    chain: list[ir.ComplexType] = []
    cur: ir.TypeDef | None = t
    while isinstance(cur, ir.ComplexType) and cur not in chain:
        chain.append(cur)
        cur = types.get(cur.base) if cur.base else None
    return [f for c in reversed(chain) for f in c.fields]


def _wrapper_types(svc: ir.Service) -> set[str]:
    elements = {e.name: e for e in svc.elements}
    found = set()
    for op in svc.operations:
        for name in (op.input_element, op.output_element):
            el = elements.get(name or "")
            if el is not None:
                found.add(el.type)
    return found


def _message(
    svc: ir.Service,
    op: ir.Operation,
    parts: tuple[ir.Part, ...],
    names: _Names,
    types: dict[str, ir.TypeDef],
) -> tuple[Member, ...]:
    elements = {e.name: e for e in svc.elements}
    if op.style == "document" and len(parts) == 1 and parts[0].element:
        el = elements.get(parts[0].element)
        if el is None:
            return (Member(ir.local_name(parts[0].element), "?", "required"),)
        t = types.get(el.type)
        if isinstance(t, ir.ComplexType):  # wrapped: the wrapper's children are the parameters
            return tuple(_member(f, names) for f in _all_fields(t, types))
        ns, local = ir.split_qname(el.name)
        return (_member(ir.Field(local, ns, el.type, 1, 1, el.nillable), names),)
    out = []
    for p in parts:
        if p.element:
            el = elements.get(p.element)
            out.append(
                Member(
                    p.name,
                    names.type(el.type) if el else "?",
                    optionality(1, 1, bool(el and el.nillable)),
                )
            )
        else:
            out.append(Member(p.name, names.type(p.type), "required"))
    return tuple(out)


def _op_sig(
    svc: ir.Service, op: ir.Operation, names: _Names, types: dict[str, ir.TypeDef]
) -> OpSig:
    return OpSig(
        op.name,
        _message(svc, op, op.input_parts, names, types),
        () if op.one_way else _message(svc, op, op.output_parts, names, types),
        tuple(h.part for h in op.input_headers),
        tuple(h.part for h in op.output_headers),
        tuple(f.name for f in op.faults),
        op.one_way,
        op.style,
    )


def _type_sig(t: ir.TypeDef, names: _Names, types: dict[str, ir.TypeDef]) -> TypeSig:
    name = names.type(t.name)
    if isinstance(t, ir.ComplexType):
        return TypeSig(
            name,
            "complex",
            names.type(t.base),
            t.abstract,
            names.type(t.content_type),
            tuple(_member(f, names) for f in t.fields),
        )
    if isinstance(t, ir.EnumType):
        return TypeSig(
            name,
            "flags enum" if t.flags else "enum",
            names.type(t.base),
            values=tuple((v.wire, v.number) for v in t.values),
        )
    if isinstance(t, ir.ArrayType):
        return TypeSig(name, "array", members=(_member(t.item, names),))
    if isinstance(t, ir.DictType):
        return TypeSig(name, "dict", members=(_member(t.key, names), _member(t.value, names)))
    return TypeSig(name, "alias", names.type(t.base))


def view(api: str, version: ir.Version, agents: Iterable[str] | None = None) -> VersionView:
    names = _Names(version)
    wanted = set(agents) if agents else None
    views: dict[str, AgentView] = {}
    types: dict[str, dict[str, TypeSig]] = {}
    for svc in version.services:
        if wanted is not None and svc.name not in wanted:
            continue
        by_name = {t.name: t for t in svc.types}
        ops = {op.name: _op_sig(svc, op, names, by_name) for op in svc.operations}
        endpoint = svc.endpoint
        if names.version_re:
            endpoint = names.version_re.sub("{version}", endpoint)
        views[svc.name] = AgentView(
            svc.name, endpoint, names.namespace(svc.namespace), svc.soap_version, ops
        )
        wrappers = _wrapper_types(svc)
        for t in svc.types:
            if t.name in wrappers:
                continue
            sig = _type_sig(t, names, by_name)
            types.setdefault(sig.name, {})[svc.name] = sig
    return VersionView(api, version.name, views, types)
