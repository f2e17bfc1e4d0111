"""XML Schema references, resolved once every schema of a WSDL is read: element and attribute
references take the declared types, group and attributeGroup references are replaced by their
members (in place, with the reference's occurrence), simple content takes the simple type of a
complex base (an extension derives from it, a restriction gets its attributes, restated ones
replaced and prohibited ones left out), and every type named must exist.
"""

from __future__ import annotations

import dataclasses

from ...core import ir
from ...core.diagnostics import Collector
from ...core.ir import XSD, qname
from ...core.xsd_types import builtin
from .xsd import SchemaSet

_MAX_DEPTH = 32  # groups within groups; deeper is a cycle


def resolve_refs(schemas: SchemaSet, diags: Collector, where: ir.Loc) -> None:
    """Replace the reference placeholders of every complex type's fields."""
    for name, typedef in list(schemas.types.items()):
        if not isinstance(typedef, ir.ComplexType):
            continue
        expanded = _expand(typedef.fields, schemas, diags, typedef, 0)
        fields = tuple(_resolved(f, schemas, diags, typedef) for f in expanded)
        if fields != typedef.fields:
            schemas.types[name] = dataclasses.replace(typedef, fields=fields)
    resolve_simple_content(schemas, diags)


def _expand(
    fields: tuple[ir.Field, ...] | list[ir.Field],
    schemas: SchemaSet,
    diags: Collector,
    owner: ir.ComplexType,
    depth: int,
) -> list[ir.Field]:
    out: list[ir.Field] = []
    for f in fields:
        for marker, table, what in (
            ("@group:", schemas.groups, "group"),
            ("@agroup:", schemas.attribute_groups, "attributeGroup"),
        ):
            if f.type.startswith(marker):
                ref = f.type[len(marker) :]
                members = table.get(ref)
                if members is None or depth > _MAX_DEPTH:
                    why = "unknown" if members is None else "a cycle of"
                    diags.error(
                        "XSD006",
                        owner.loc.file,
                        owner.loc.line,
                        f"{owner.name} refers to {why} {what} {ref}",
                    )
                    break
                for m in _expand(members, schemas, diags, owner, depth + 1):
                    if f.min_occurs == 0 and not m.attribute:
                        m = dataclasses.replace(m, min_occurs=0, choice=m.choice or f.choice)
                    if f.repeated and not m.attribute:
                        m = dataclasses.replace(m, max_occurs=None)
                    out.append(m)
                break
        else:
            out.append(f)
    return out


def _resolved(f: ir.Field, schemas: SchemaSet, diags: Collector, owner: ir.ComplexType) -> ir.Field:
    if f.type.startswith("@ref:"):
        target = schemas.elements.get(f.type[5:])
        if target is None:
            diags.error(
                "XSD006",
                owner.loc.file,
                owner.loc.line,
                f"{owner.name} refers to unknown element {f.type[5:]}",
            )
            return dataclasses.replace(f, type=qname(XSD, "anyType"))
        return dataclasses.replace(f, type=target.type, nillable=target.nillable)
    if f.type.startswith("@aref:"):
        attr = schemas.attributes.get(f.type[6:])
        return dataclasses.replace(f, type=attr.type if attr else qname(XSD, "string"))
    return f


def resolve_simple_content(schemas: SchemaSet, diags: Collector) -> None:
    """simpleContent derived from a complex type with simple content (UN/CEFACT MeasureType):
    an extension derives from that type (its text and attributes, and its own attributes); a
    restriction is a type of its own with the base's text type and attributes, those it
    restates replacing the base's and those it prohibits left out."""
    done: set[str] = set()

    def settle(name: str, depth: int) -> ir.TypeDef | None:
        t = schemas.types.get(name)
        if not isinstance(t, ir.ComplexType) or name in done or depth > _MAX_DEPTH:
            return t
        done.add(name)
        marker = t.content_type or ""
        if not marker.startswith("@"):
            return t
        how, _, base_name = marker[1:].partition(":")
        base = settle(base_name, depth + 1)
        fields = tuple(f for f in t.fields if f.max_occurs != 0)
        if not isinstance(base, ir.ComplexType):  # a simple type (or unknown: checked later)
            new = dataclasses.replace(t, content_type=base_name, fields=fields)
        elif how == "extension":
            new = dataclasses.replace(t, base=base_name, content_type=None, fields=fields)
        else:
            inherited = _all_fields(base, schemas)
            own = {f.qname: f for f in t.fields}
            kept = [own.get(f.qname, f) for f in inherited]
            kept += [f for f in t.fields if f.qname not in {g.qname for g in inherited}]
            new = dataclasses.replace(
                t,
                content_type=_text_type(base, schemas),
                fields=tuple(f for f in kept if f.max_occurs != 0),
            )
        schemas.types[name] = new
        return new

    for name in list(schemas.types):
        settle(name, 0)


def _all_fields(t: ir.ComplexType, schemas: SchemaSet) -> list[ir.Field]:
    chain: list[ir.ComplexType] = []
    cur: ir.TypeDef | None = t
    while isinstance(cur, ir.ComplexType) and cur not in chain:
        chain.append(cur)
        cur = schemas.types.get(cur.base) if cur.base else None
    return [f for c in reversed(chain) for f in c.fields]


def _text_type(t: ir.ComplexType, schemas: SchemaSet) -> str | None:
    cur: ir.TypeDef | None = t
    seen: set[str] = set()
    while isinstance(cur, ir.ComplexType) and cur.name not in seen:
        seen.add(cur.name)
        if cur.content_type:
            return cur.content_type
        cur = schemas.types.get(cur.base) if cur.base else None
    return qname(XSD, "string")


def referenced_namespaces(schemas: SchemaSet) -> set[str]:
    """The namespaces of the types, elements, attributes and groups the schemas refer to."""
    names: list[str] = []
    fields: list[ir.Field] = []
    for t in schemas.types.values():
        if isinstance(t, ir.ComplexType):
            fields += t.fields
            names += [t.base or "", t.content_type or ""]
        elif isinstance(t, ir.ArrayType):
            names.append(t.item.type)
        elif isinstance(t, ir.AliasType | ir.EnumType):
            names.append(t.base)
    for members in (*schemas.groups.values(), *schemas.attribute_groups.values()):
        fields += members
    names += [f.type for f in fields]
    names += [e.type for e in schemas.elements.values()]
    names = [n.partition(":")[2] if n.startswith("@") else n for n in names]
    return {ir.split_qname(n)[0] for n in names if n.startswith("{")}


def check_type_refs(schemas: SchemaSet, diags: Collector) -> None:
    """Every type a definition or global element refers to must be a builtin or defined.

    Each unknown reference is an XSD007 error at the referring definition and is replaced (by
    xs:string, or no base) so later stages see a consistent schema and add no vaguer errors.
    """
    string = qname(XSD, "string")

    def known(name: str | None) -> bool:
        return not name or builtin(name) is not None or name in schemas.types

    def report(where: ir.Loc, owner: str, what: str, ref: str) -> None:
        diags.error(
            "XSD007", where.file, where.line, f"{owner}: {what} refers to unknown type {ref}"
        )

    def fixed(f: ir.Field, loc: ir.Loc, owner: str) -> ir.Field:
        if known(f.type):
            return f
        report(loc, owner, f"{'attribute' if f.attribute else 'element'} {f.name!r}", f.type)
        return dataclasses.replace(f, type=string)

    for name, t in list(schemas.types.items()):
        local = ir.local_name(name)
        new: ir.TypeDef = t
        if isinstance(t, ir.ComplexType):
            fields = tuple(fixed(f, t.loc, local) for f in t.fields)
            base, content = t.base, t.content_type
            if not known(base):
                report(t.loc, local, "the base", str(base))
                base = None
            if not known(content):
                report(t.loc, local, "the simple content", str(content))
                content = string
            if (fields, base, content) != (t.fields, t.base, t.content_type):
                new = dataclasses.replace(t, fields=fields, base=base, content_type=content)
        elif isinstance(t, ir.ArrayType):
            item = fixed(t.item, t.loc, local)
            new = t if item is t.item else dataclasses.replace(t, item=item)
        elif isinstance(t, ir.DictType):
            key, value = fixed(t.key, t.loc, local), fixed(t.value, t.loc, local)
            new = (
                t
                if (key, value) == (t.key, t.value)
                else dataclasses.replace(t, key=key, value=value)
            )
        elif isinstance(t, (ir.AliasType, ir.EnumType)) and not known(t.base):
            report(t.loc, local, "the restriction base", t.base)
            new = dataclasses.replace(t, base=string)
        if new is not t:
            schemas.types[name] = new
    for name, el in list(schemas.elements.items()):
        if not known(el.type):
            report(el.loc, f"element {ir.local_name(name)}", "its type", el.type)
            schemas.elements[name] = dataclasses.replace(el, type=string)
