"""A :class:`.model.VersionDiff` rendered as markdown or as JSON."""

from __future__ import annotations

from typing import Any

from .model import Detail, VersionDiff


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
