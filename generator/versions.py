"""Versions of an API side by side: a changelog between two versions, and adding a version.

:func:`diff_versions` compares two IR versions by wire names: agents, operations (parameters
with name, type and optionality, the return type, headers, faults, one-way), and the named
types of the version (complex types and their fields, enums and their values with numbers,
arrays, dictionaries, aliases). Namespaces are compared after normalization: an agent's own
target namespace is its ``tns`` (shown without prefix) and the version name inside any other
namespace is replaced by ``{version}``, so Services86 and Services88 compare as the same
names. Everything comes out in a fixed order: agents, operations and types sorted by name;
parameters, fields and enum values in declaration order (the new version's, then what was
removed in the old version's order).

The result renders as markdown (:func:`to_markdown`) or JSON (:func:`to_json`).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from . import ir
from .diagnostics import Collector

# --- normalized views of one version ---------------------------------------------------------

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


@dataclass(frozen=True)
class Member:
    """A parameter, result, field, array item or dictionary key/value, normalized."""

    name: str
    type: str
    optionality: str
    namespace: str = ""
    attribute: bool = False

    def describe(self) -> str:
        kind = ", attribute" if self.attribute else ""
        return f"`{self.type}`, {self.optionality}{kind}"


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


@dataclass(frozen=True)
class OpSig:
    name: str
    params: tuple[Member, ...]
    results: tuple[Member, ...]
    in_headers: tuple[str, ...]
    out_headers: tuple[str, ...]
    faults: tuple[str, ...]
    one_way: bool
    style: str

    def returns(self) -> str:
        if self.one_way:
            return "one-way"
        if not self.results:
            return "None"
        if len(self.results) == 1:
            return self.results[0].type
        return "(" + ", ".join(f"{m.name}: {m.type}" for m in self.results) + ")"

    def signature(self) -> str:
        params = ", ".join(f"{m.name}: {m.type}" for m in self.params)
        return f"{self.name}({params}) -> {self.returns()}"


@dataclass(frozen=True)
class TypeSig:
    name: str
    kind: str  # complex | enum | flags enum | array | dict | alias
    base: str = ""
    abstract: bool = False
    content: str = ""
    members: tuple[Member, ...] = ()  # complex fields; array item; dict key and value
    values: tuple[tuple[str, int | None], ...] = ()  # enum values


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


@dataclass(frozen=True)
class AgentView:
    name: str
    endpoint: str
    namespace: str
    soap_version: str
    operations: dict[str, OpSig]


@dataclass(frozen=True)
class VersionView:
    api: str
    version: str
    agents: dict[str, AgentView]
    # type name -> {agent: signature}; a name usually has one signature in every agent
    types: dict[str, dict[str, TypeSig]]


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


# --- the diff --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Detail:
    """One difference inside an operation, a type or an agent."""

    # operations: parameter | returns | result | input header | output header | fault | style;
    # types: kind | base | abstract | content | field | value | item | entry;
    # agents: endpoint | namespace | SOAP version
    what: str
    name: str  # the parameter, field or value name ("" for the thing itself)
    change: str  # added | removed | changed
    aspect: str = (
        ""  # for changed: type | optionality | namespace | form | order | number | elements ("" for scalars)
    )
    old: str | None = None
    new: str | None = None


@dataclass(frozen=True)
class Entry:
    """An operation or a type that was added, removed or changed."""

    name: str
    change: str  # added | removed | changed
    summary: str  # signature of an operation, kind of a type
    details: tuple[Detail, ...] = ()


@dataclass(frozen=True)
class AgentDiff:
    name: str
    change: str  # added | removed | changed | same
    operations: tuple[Entry, ...] = ()
    details: tuple[Detail, ...] = ()
    old_operations: int = 0
    new_operations: int = 0


@dataclass(frozen=True)
class Side:
    api: str
    version: str
    source: str
    agents: int
    operations: int
    types: int


@dataclass(frozen=True)
class VersionDiff:
    old: Side
    new: Side
    agents: tuple[AgentDiff, ...] = ()
    types: tuple[Entry, ...] = ()

    def counts(self) -> dict[str, int]:
        out = {
            f"{what}_{change}": 0
            for what in ("agents", "operations", "types")
            for change in ("added", "removed", "changed")
        }
        for a in self.agents:
            if a.change in ("added", "removed"):
                out[f"agents_{a.change}"] += 1
            elif a.change == "changed" and a.details:
                out["agents_changed"] += 1
            for e in a.operations:
                out[f"operations_{e.change}"] += 1
        for e in self.types:
            out[f"types_{e.change}"] += 1
        return out

    @property
    def empty(self) -> bool:
        return not any(self.counts().values())


def _ordered(old: Iterable[str], new: Iterable[str]) -> list[str]:
    """The new side's order, then names only the old side has, in its order."""
    new_l = list(new)
    seen = set(new_l)
    return new_l + [n for n in old if n not in seen]


def _members(
    what: str, old: tuple[Member, ...], new: tuple[Member, ...], order_matters: bool = True
) -> list[Detail]:
    o = {m.name: m for m in old}
    n = {m.name: m for m in new}
    out: list[Detail] = []
    for name in _ordered(o, n):
        a, b = o.get(name), n.get(name)
        if a is None and b is not None:
            out.append(Detail(what, name, "added", new=b.describe()))
        elif b is None and a is not None:
            out.append(Detail(what, name, "removed", old=a.describe()))
        elif a is not None and b is not None:
            for aspect in ("type", "optionality", "namespace"):
                va, vb = getattr(a, aspect), getattr(b, aspect)
                if va != vb:
                    out.append(Detail(what, name, "changed", aspect, va, vb))
            if a.attribute != b.attribute:
                out.append(
                    Detail(
                        what,
                        name,
                        "changed",
                        "form",
                        "attribute" if a.attribute else "element",
                        "attribute" if b.attribute else "element",
                    )
                )
    common_old = [m.name for m in old if m.name in n]
    common_new = [m.name for m in new if m.name in o]
    if order_matters and common_old != common_new:
        out.append(
            Detail(what, "", "changed", "order", ", ".join(common_old), ", ".join(common_new))
        )
    return out


def _names(what: str, old: tuple[str, ...], new: tuple[str, ...]) -> list[Detail]:
    out = [Detail(what, n, "removed") for n in old if n not in new]
    out += [Detail(what, n, "added") for n in new if n not in old]
    return out


def _show(v: object) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    return "none" if v is None or v == "" else str(v)


def _scalar(what: str, old: object, new: object) -> list[Detail]:
    if old == new:
        return []
    return [Detail(what, "", "changed", "", _show(old), _show(new))]


def _op_details(a: OpSig, b: OpSig) -> list[Detail]:
    out = _members("parameter", a.params, b.params)
    single = len(a.results) == 1 and len(b.results) == 1 and a.results[0].name == b.results[0].name
    if a.one_way or b.one_way or not single:
        if a.returns() != b.returns():
            out.append(Detail("returns", "", "changed", "type", a.returns(), b.returns()))
        if not (a.one_way or b.one_way):
            out += [
                d
                for d in _members("result", a.results, b.results)
                if d.change == "changed" and d.aspect != "type"
            ]
            names_a, names_b = [m.name for m in a.results], [m.name for m in b.results]
            if a.returns() == b.returns() and names_a != names_b:
                out.append(
                    Detail(
                        "result", "", "changed", "elements", ", ".join(names_a), ", ".join(names_b)
                    )
                )
    else:
        for d in _members("result", a.results, b.results):
            out.append(Detail("returns", "", d.change, d.aspect, d.old, d.new))
    out += _names("input header", a.in_headers, b.in_headers)
    out += _names("output header", a.out_headers, b.out_headers)
    out += _names("fault", a.faults, b.faults)
    out += _scalar("style", a.style, b.style)
    return out


def _value(number: int | None) -> str:
    return "no number" if number is None else str(number)


def _type_details(a: TypeSig, b: TypeSig) -> list[Detail]:
    if a.kind != b.kind and not {a.kind, b.kind} <= {"enum", "flags enum"}:
        return [Detail("kind", "", "changed", "", a.kind, b.kind)]
    out = _scalar("kind", a.kind, b.kind)
    out += _scalar("base", a.base, b.base)
    out += _scalar("abstract", a.abstract, b.abstract)
    out += _scalar("content", a.content, b.content)
    if a.kind == "complex":
        out += _members("field", a.members, b.members)
    elif a.kind == "array":
        out += _members("item", a.members, b.members, False)
    elif a.kind == "dict":
        out += _members("entry", a.members, b.members, False)
    if a.values or b.values:
        va, vb = dict(a.values), dict(b.values)
        for name in _ordered(va, vb):
            if name not in vb:
                out.append(Detail("value", name, "removed", old=_value(va[name])))
            elif name not in va:
                out.append(Detail("value", name, "added", new=_value(vb[name])))
            elif va[name] != vb[name]:
                out.append(
                    Detail("value", name, "changed", "number", _value(va[name]), _value(vb[name]))
                )
    return out


def _type_pairs(
    old: VersionView, new: VersionView
) -> list[tuple[str, TypeSig | None, TypeSig | None]]:
    """(label, old, new) per type: one row per name, or per agent where an agent's copy differs."""
    rows: list[tuple[str, TypeSig | None, TypeSig | None]] = []
    for name in sorted(set(old.types) | set(new.types), key=lambda s: (s.lower(), s)):
        o, n = old.types.get(name, {}), new.types.get(name, {})
        if len(set(o.values())) <= 1 and len(set(n.values())) <= 1:
            rows.append((name, next(iter(o.values()), None), next(iter(n.values()), None)))
            continue
        for agent in sorted(set(o) | set(n)):
            rows.append((f"{name} ({agent})", o.get(agent), n.get(agent)))
    return rows


def diff_views(
    old: VersionView, new: VersionView, old_source: str = "", new_source: str = ""
) -> VersionDiff:
    agents: list[AgentDiff] = []
    for name in sorted(set(old.agents) | set(new.agents)):
        a, b = old.agents.get(name), new.agents.get(name)
        if a is None and b is not None:
            ops = tuple(
                Entry(o.name, "added", o.signature()) for _, o in sorted(b.operations.items())
            )
            agents.append(AgentDiff(name, "added", ops, (), 0, len(b.operations)))
            continue
        if b is None and a is not None:
            ops = tuple(
                Entry(o.name, "removed", o.signature()) for _, o in sorted(a.operations.items())
            )
            agents.append(AgentDiff(name, "removed", ops, (), len(a.operations), 0))
            continue
        assert a is not None and b is not None
        entries: list[Entry] = []
        for op in sorted(set(a.operations) | set(b.operations)):
            oa, ob = a.operations.get(op), b.operations.get(op)
            if ob is None and oa is not None:
                entries.append(Entry(op, "removed", oa.signature()))
            elif oa is None and ob is not None:
                entries.append(Entry(op, "added", ob.signature()))
            elif oa is not None and ob is not None:
                details = _op_details(oa, ob)
                if details:
                    entries.append(Entry(op, "changed", ob.signature(), tuple(details)))
        agent_details = _scalar("endpoint", a.endpoint, b.endpoint) + _scalar(
            "namespace", a.namespace, b.namespace
        )
        agent_details += _scalar("SOAP version", a.soap_version, b.soap_version)
        change = "changed" if entries or agent_details else "same"
        agents.append(
            AgentDiff(
                name,
                change,
                tuple(entries),
                tuple(agent_details),
                len(a.operations),
                len(b.operations),
            )
        )
    types: list[Entry] = []
    for label, ta, tb in _type_pairs(old, new):
        if ta is None and tb is not None:
            types.append(Entry(label, "added", tb.kind))
        elif tb is None and ta is not None:
            types.append(Entry(label, "removed", ta.kind))
        elif ta is not None and tb is not None and ta != tb:
            details = _type_details(ta, tb)
            if details:
                types.append(Entry(label, "changed", tb.kind, tuple(details)))

    def side(v: VersionView, source: str) -> Side:
        return Side(
            v.api,
            v.version,
            source,
            len(v.agents),
            sum(len(a.operations) for a in v.agents.values()),
            len(v.types),
        )

    return VersionDiff(side(old, old_source), side(new, new_source), tuple(agents), tuple(types))


def diff_versions(
    old: tuple[str, ir.Version],
    new: tuple[str, ir.Version],
    agents: Iterable[str] | None = None,
    old_source: str = "",
    new_source: str = "",
) -> VersionDiff:
    wanted = list(agents) if agents else None
    return diff_views(view(*old, wanted), view(*new, wanted), old_source, new_source)


# --- rendering -----------------------------------------------------------------------------


def _detail_md(d: Detail) -> str:
    who = f"{d.what} `{d.name}`" if d.name else d.what
    if d.change == "added":
        return f"{who} added" + (f": {d.new}" if d.new else "")
    if d.change == "removed":
        return f"{who} removed" + (f" (was {d.old})" if d.old else "")
    aspect = f" {d.aspect}" if d.aspect and not (d.what == "returns" and d.aspect == "type") else ""
    return f"{who}{aspect}: `{d.old}` -> `{d.new}`"


def to_markdown(diff: VersionDiff) -> str:
    o, n = diff.old, diff.new
    title_old = f"{o.api} {o.version}" if o.api == n.api else f"{o.api}/{o.version}"
    lines = [f"# {title_old} -> {n.version if o.api == n.api else n.api + '/' + n.version}", ""]
    lines += [
        f"| | {o.version} | {n.version} |",
        "|---|---:|---:|",
        f"| agents | {o.agents} | {n.agents} |",
        f"| operations | {o.operations} | {n.operations} |",
        f"| types | {o.types} | {n.types} |",
        "",
    ]
    c = diff.counts()
    if diff.empty:
        lines += ["No changes to agents, operations or types.", ""]
        return "\n".join(lines)
    parts = []
    for what in ("agents", "operations", "types"):
        bits = [
            f"{c[f'{what}_{ch}']} {ch}"
            for ch in ("added", "removed", "changed")
            if c[f"{what}_{ch}"]
        ]
        if bits:
            parts.append(f"{what}: " + ", ".join(bits))
    lines += ["Changes: " + "; ".join(parts) + ".", ""]
    for a in diff.agents:
        if a.change == "same":
            continue
        state = {"added": " (new agent)", "removed": " (agent removed)"}.get(a.change, "")
        lines += [f"## {a.name} agent{state}", ""]
        if a.change == "changed":
            lines += [f"{a.old_operations} -> {a.new_operations} operations.", ""]
        for d in a.details:
            lines.append(f"- {_detail_md(d)}")
        if a.details:
            lines.append("")
        for change, heading in (
            ("removed", "Removed operations"),
            ("added", "Added operations"),
            ("changed", "Changed operations"),
        ):
            entries = [e for e in a.operations if e.change == change]
            if not entries:
                continue
            lines += [f"### {heading}", ""]
            for e in entries:
                if change == "changed":
                    lines.append(f"- `{e.name}`")
                    lines += [f"  - {_detail_md(d)}" for d in e.details]
                else:
                    lines.append(f"- `{e.summary}`")
            lines.append("")
    if diff.types:
        lines += ["## Types", ""]
        for change, heading in (
            ("removed", "Removed types"),
            ("added", "Added types"),
            ("changed", "Changed types"),
        ):
            entries = [e for e in diff.types if e.change == change]
            if not entries:
                continue
            lines += [f"### {heading}", ""]
            for e in entries:
                lines.append(f"- `{e.name}` ({e.summary})")
                lines += [f"  - {_detail_md(d)}" for d in e.details]
            lines.append("")
    return "\n".join(lines)


def _asdict(value: Any) -> Any:
    import dataclasses

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _asdict(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [_asdict(v) for v in value]
    return value


def to_json(diff: VersionDiff) -> dict[str, Any]:
    return {
        "old": _asdict(diff.old),
        "new": _asdict(diff.new),
        "counts": diff.counts(),
        "agents": [_asdict(a) for a in diff.agents if a.change != "same"],
        "types": [_asdict(e) for e in diff.types],
    }


# --- versions in a specs folder ------------------------------------------------------------


def version_key(name: str) -> tuple[int, ...]:
    """Numbers in a version name, for ordering: Services88 -> (88,), V2.10 -> (2, 10)."""
    return tuple(int(n) for n in re.findall(r"\d+", name))


def versions_of(specs: str, api: str) -> list[str]:
    root = os.path.join(specs, api)
    if not os.path.isdir(root):
        return []
    found = [
        n
        for n in os.listdir(root)
        if not n.startswith(".") and os.path.isdir(os.path.join(root, n))
    ]
    return sorted(found, key=lambda n: (version_key(n), n))


def previous_version(specs: str, api: str, name: str) -> str | None:
    """The highest version of api below name (by the numbers in the names), or None."""
    key = version_key(name)
    if not key:
        return None
    below = [
        v for v in versions_of(specs, api) if v != name and version_key(v) and version_key(v) < key
    ]
    return below[-1] if below else None


@dataclass
class Loaded:
    api: str
    version: ir.Version
    source: str
    files: list[str] = field(default_factory=list)


class VersionError(Exception):
    """A version cannot be found or read (exit 2); diags holds what reading it reported."""

    def __init__(self, message: str, diags: Collector | None = None) -> None:
        super().__init__(message)
        self.diags = diags


def load_version(path: str, specs_root: str | None, diags: Collector) -> Loaded:
    """Read a version folder (or any spec folder holding exactly one version) into IR."""
    from .pipeline import read_ir

    root = specs_root if specs_root and below(path, specs_root) else None
    versions, _, files = read_ir([path], root, diags)
    if not files:
        raise VersionError(f"{path}: no spec files")
    if len(versions) != 1 and diags.has_errors:
        raise VersionError(f"{path} cannot be read", diags)
    if len(versions) != 1:
        found = ", ".join(f"{a}/{v.name}" for a, v in versions) or "none"
        raise VersionError(
            f"{path} holds {len(versions)} versions ({found}); name one version folder"
        )
    api, version = versions[0]
    return Loaded(api, version, path, files)


def below(path: str, root: str) -> bool:
    full, base = os.path.abspath(path), os.path.abspath(root)
    return full.startswith(base.rstrip(os.sep) + os.sep)


def resolve(arg: str, specs: str | None) -> str:
    """A path as given when it exists; else 'api/Version' or 'Version' below the specs folder."""
    if os.path.exists(arg):
        return arg
    if specs:
        cand = os.path.join(specs, *arg.split("/"))
        if "/" in arg.strip("/") and os.path.isdir(cand):
            return cand
        if "/" not in arg.strip("/") and os.path.isdir(specs):
            hits = sorted(
                os.path.join(specs, api, arg)
                for api in os.listdir(specs)
                if os.path.isdir(os.path.join(specs, api, arg))
            )
            if len(hits) == 1:
                return hits[0]
            if len(hits) > 1:
                raise VersionError(f"{arg} is ambiguous: {', '.join(hits)}; write api/{arg}")
    where = f" (no folder {arg} below {specs})" if specs else ""
    raise VersionError(f"no such version or folder: {arg}{where}")


def copy_version(src: str, dest: str) -> list[str]:
    """Copy a docs folder to dest (which must not exist) all at once; returns the copied files."""
    if os.path.lexists(dest):
        raise VersionError(f"{dest} already exists; remove it first or pick another --name")
    parent = os.path.dirname(os.path.abspath(dest))
    os.makedirs(parent, exist_ok=True)
    staging = f"{os.path.abspath(dest)}.soapgen-adding-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        shutil.copytree(src, staging, ignore=shutil.ignore_patterns(".*", "__pycache__"))
        os.rename(staging, dest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    copied: list[str] = []
    for dirpath, _, filenames in os.walk(dest):
        copied.extend(os.path.join(dirpath, f) for f in filenames)
    return sorted(copied)
