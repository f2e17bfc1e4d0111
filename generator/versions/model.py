"""What is compared and what comes out: normalized signatures of one version (:class:`VersionView`)
and the differences between two (:class:`VersionDiff`). Imports nothing else of the package."""

from __future__ import annotations

from dataclasses import dataclass


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
