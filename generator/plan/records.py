"""The record and enumeration classes of one module, planned: declarations (annotations,
defaults, docstrings from the docs) and the wire format of each record."""

from __future__ import annotations

from collections.abc import Iterable

from ..config.profiles import ApiProfile
from ..core import ir
from ..core.diagnostics import Collector
from .model import EnumMember, EnumPlan, FieldPlan, ModuleTypes, RecordPlan
from .text import Prefixes, docstring, lit
from .values import Values, field_plan


def all_fields(t: ir.ComplexType, types: dict[str, ir.TypeDef]) -> list[ir.Field]:
    """A complex type's fields with its bases' first (extension order)."""
    chain: list[ir.ComplexType] = []
    seen: set[str] = set()
    cur: ir.TypeDef | None = t
    while isinstance(cur, ir.ComplexType) and cur.name not in seen:
        seen.add(cur.name)
        chain.append(cur)
        cur = types.get(cur.base) if cur.base else None
    return [f for c in reversed(chain) for f in c.fields]


def class_doc(summary: str, fields: Iterable[FieldPlan], indent: str = "    ") -> str:
    """A class docstring: the summary, and an Attributes: section for the fields the docs
    describe."""
    described = [f for f in fields if f.doc]
    text = summary
    if described:
        lines = []
        for f in described:
            doc = " ".join(f.doc.split())
            lines.append(f"    {f.py}: {doc}")
        text += "\n\nAttributes:\n" + "\n".join(lines)
    return docstring(text, indent)


def plan_enum(t: ir.EnumType) -> EnumPlan:
    members = []
    canonical = []
    seen: set[int] = set()
    for v in t.values:
        value = str(v.number) if t.flags else lit(v.wire)
        member = EnumMember(v.py_name, value, lit(v.wire))
        members.append(member)
        if (
            t.flags
            and v.number is not None
            and v.number not in seen
            and v.number & (v.number - 1) == 0
        ):
            seen.add(v.number)
            canonical.append(member)
    kind = "flags" if t.flags else "enumeration"
    return EnumPlan(
        py=t.py_name,
        doc=docstring(f"{ir.local_name(t.name)} ({kind}; wire type {t.name}).", "    "),
        flags=t.flags,
        members=tuple(members),
        canonical=tuple(canonical),
    )


def plan_record(
    t: ir.ComplexType,
    visible: dict[str, ir.TypeDef],
    values: Values,
    px: Prefixes,
    profile: ApiProfile,
) -> RecordPlan:
    base = visible.get(t.base or "")
    fields = [field_plan(f, values.value(f.type, t.loc), px, profile) for f in t.fields]
    if t.content_type:  # simpleContent: the element's own text, in a field called "value"
        v = values.value(t.content_type, t.loc)
        default = (
            v.default_expr if v.default_expr is not None else ('""' if v.write == "str" else None)
        )
        if not profile.plain_values:  # the text is the value: no invented one
            default = None
        fields.insert(
            0,
            FieldPlan(
                py="value",
                wire="(text)",
                tag_lit='""',
                prefixed="",
                value=v,
                annotation=v.annotation,
                default_expr=default,
                optional=False,
                nillable=False,
                repeated=False,
                text=True,
            ),
        )
    summary = t.doc or f"{ir.local_name(t.name)} (wire type {t.name})."
    return RecordPlan(
        py=t.py_name,
        qname_lit=px.clark(t.name),
        xsi_type=px.tag(t.name),
        base=base.py_name if isinstance(base, ir.ComplexType) else None,
        doc=class_doc(summary, fields),
        fields=tuple(fields),
        has_content=any(not f.attribute and not f.text for f in fields),
        has_attrs=any(f.attribute for f in fields),
        secret=tuple(f.py for f in fields if f.secret),
        is_root=not isinstance(base, ir.ComplexType),
    )


def types_code(types: ModuleTypes) -> list[str]:
    """The code a module's declarations and wire formats consist of (for its imports)."""
    code = ["_enum."] if types.enums else []
    for r in types.records:
        code += fields_code(r.fields)
        if r.is_root:
            code.append("_dc.")
    return code


def fields_code(fields: Iterable[FieldPlan]) -> list[str]:
    return [
        piece for f in fields for piece in (f.annotation, f.default_expr or "", f.value.reader_expr)
    ]


def plan_types(
    own: Iterable[ir.TypeDef],
    visible: dict[str, ir.TypeDef],
    values: Values,
    px: Prefixes,
    profile: ApiProfile,
    diags: Collector,
) -> ModuleTypes:
    """A module's own enums and records (in the order given: bases before subtypes)."""
    own = list(own)
    return ModuleTypes(
        enums=tuple(plan_enum(t) for t in own if isinstance(t, ir.EnumType)),
        records=tuple(
            plan_record(t, visible, values, px, profile)
            for t in own
            if isinstance(t, ir.ComplexType)
        ),
    )
