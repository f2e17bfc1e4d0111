"""Which types a version generates, and where: shared once per version, or per agent.

Only types reachable from the operations (parameters, results, headers) and their subtypes
are generated. A type goes to the version's shared ``types`` module when every agent that
uses it defines it identically and everything it refers to is shared too; otherwise each
agent keeps its own definition in its own module. Definitions are compared, never listed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..core import ir
from ..core.xsd_types import builtin


@dataclass(frozen=True)
class Layout:
    shared: tuple[ir.TypeDef, ...]
    local: dict[str, tuple[ir.TypeDef, ...]]  # service name -> its own definitions
    reachable: dict[str, frozenset[str]]  # service name -> type names it uses


def referenced(t: ir.TypeDef) -> list[str]:
    if isinstance(t, ir.ComplexType):
        refs = [f.type for f in t.fields]
        if t.base:
            refs.append(t.base)
        if t.content_type:
            refs.append(t.content_type)
        return refs
    if isinstance(t, ir.ArrayType):
        return [t.item.type]
    if isinstance(t, ir.DictType):
        return [t.key.type, t.value.type]
    if isinstance(t, ir.AliasType):
        return [t.base]
    return []


def wrapper_types(svc: ir.Service) -> set[str]:
    """Anonymous types of operation wrapper elements: unwrapped into parameters, never classes."""
    elements = {e.name: e for e in svc.elements}
    types = {t.name: t for t in svc.types}
    out = set()
    for op in svc.operations:
        for el_name in (op.input_element, op.output_element):
            el = elements.get(el_name or "")
            t = types.get(el.type) if el is not None else None
            if isinstance(t, ir.ComplexType) and t.anonymous:
                out.add(t.name)
    return out


def roots(svc: ir.Service) -> set[str]:
    """Types an operation uses directly: wrapper fields, rpc parts, headers, faults."""
    elements = {e.name: e for e in svc.elements}
    types = {t.name: t for t in svc.types}
    found: set[str] = set()
    for op in svc.operations:
        for part in op.input_parts + op.output_parts:
            if part.element and part.element in elements:
                found.add(elements[part.element].type)
            elif part.type:
                found.add(part.type)
        for h in op.input_headers + op.output_headers:
            if h.type:
                found.add(h.type)
            elif h.element in elements:
                found.add(elements[h.element].type)
        for f in op.faults:
            if f.element and f.element in elements:
                found.add(elements[f.element].type)
    return {n for n in found if n in types}


def reachable_types(svc: ir.Service) -> frozenset[str]:
    types = {t.name: t for t in svc.types}
    seen: set[str] = set()
    todo = sorted(roots(svc))
    subtypes: dict[str, list[str]] = {}
    for t in svc.types:
        if isinstance(t, ir.ComplexType) and t.base:
            subtypes.setdefault(t.base, []).append(t.name)
    while todo:
        name = todo.pop()
        if name in seen or name not in types:
            continue
        seen.add(name)
        todo.extend(r for r in referenced(types[name]) if builtin(r) is None)
        todo.extend(subtypes.get(name, []))
    return frozenset(seen - wrapper_types(svc))


def _key(t: ir.TypeDef) -> ir.TypeDef:
    return dataclasses.replace(t, loc=ir.Loc())


def lay_out(version: ir.Version) -> Layout:
    reach = {svc.name: reachable_types(svc) for svc in version.services}
    defs: dict[str, dict[str, ir.TypeDef]] = {}
    for svc in version.services:
        for t in svc.types:
            if t.name in reach[svc.name]:
                defs.setdefault(t.name, {})[svc.name] = t
    same = {name for name, by_svc in defs.items() if len({_key(t) for t in by_svc.values()}) == 1}
    # a type is shared only if everything it refers to (and its base) is shared as well
    changed = True
    while changed:
        changed = False
        for name in sorted(same):
            t = next(iter(defs[name].values()))
            if any(r in defs and r not in same for r in referenced(t)):
                same.discard(name)
                changed = True
    shared = tuple(_ordered([next(iter(defs[n].values())) for n in same]))
    local = {}
    for svc in version.services:
        own = [t for t in svc.types if t.name in reach[svc.name] and t.name not in same]
        local[svc.name] = tuple(_ordered(own))
    return Layout(shared, local, reach)


def _ordered(types: list[ir.TypeDef]) -> list[ir.TypeDef]:
    """By Python name, bases before the types derived from them."""
    by_name = {t.name: t for t in types}
    out: list[ir.TypeDef] = []
    done: set[str] = set()

    def visit(t: ir.TypeDef) -> None:
        if t.name in done:
            return
        done.add(t.name)
        if isinstance(t, ir.ComplexType) and t.base in by_name:
            visit(by_name[t.base])
        out.append(t)

    for t in sorted(types, key=lambda t: (t.py_name, t.name)):
        visit(t)
    return out
