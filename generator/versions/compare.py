"""The diff algorithm: two :class:`.model.VersionView` -> a :class:`.model.VersionDiff`, in a fixed
order (names sorted; members in the new version's order, then what only the old one has)."""

from __future__ import annotations

from collections.abc import Iterable

from ..core import ir
from .model import AgentDiff, Detail, Entry, Member, OpSig, Side, TypeSig, VersionDiff, VersionView
from .normalize import view


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
