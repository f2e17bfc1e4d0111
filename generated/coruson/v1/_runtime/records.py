"""The base of generated record classes: keyword construction, equality and a repr that
hides secrets."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any, TypeVar, dataclass_transform


class _RecordSpec:
    """What Record needs of a class, worked out once: its field names in order, the required
    ones and the fields whose default is made per instance (lists)."""

    __slots__ = ("order", "names", "required", "factories", "secret")

    def __init__(self, cls: type) -> None:
        fields = dataclasses.fields(cls)
        self.order = tuple(f.name for f in fields)
        self.names = frozenset(self.order)
        self.required = tuple(
            f.name
            for f in fields
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        )
        self.factories = tuple(
            (f.name, f.default_factory)
            for f in fields
            if f.default_factory is not dataclasses.MISSING
        )
        self.secret: frozenset[str] = getattr(cls, "_secret_", frozenset())


_RECORD_SPECS: dict[type, _RecordSpec] = {}


def _spec(cls: type) -> _RecordSpec:
    spec = _RECORD_SPECS.get(cls)
    if spec is None:
        spec = _RECORD_SPECS[cls] = _RecordSpec(cls)
    return spec


class _ClassSignature:
    """Record.__signature__: a record class's keyword signature, from its dataclass fields, for
    help() and inspect (the type checker has its own, see :func:`record`)."""

    def __init__(self) -> None:
        self.cache: dict[type, inspect.Signature] = {}

    def __get__(self, obj: object, owner: type) -> inspect.Signature | None:
        if obj is not None or not dataclasses.is_dataclass(owner):
            return None
        sig = self.cache.get(owner)
        if sig is None:
            params = [
                inspect.Parameter(
                    f.name,
                    inspect.Parameter.KEYWORD_ONLY,
                    default=(
                        f.default
                        if f.default is not dataclasses.MISSING
                        else (
                            inspect.Parameter.empty
                            if f.default_factory is dataclasses.MISSING
                            else f.default_factory()
                        )
                    ),
                    annotation=f.type,
                )
                for f in dataclasses.fields(owner)
            ]
            sig = self.cache[owner] = inspect.Signature(params, return_annotation=None)
        return sig


class Record:
    """Base of generated data classes: keyword construction, equality and repr by their
    dataclass fields.

    A class's ``_secret_`` names fields its repr hides (tickets, passwords, tokens).

    One __init__ serves every class (the type checker sees each class's own signature through
    :func:`record`); @dataclass would otherwise exec an __init__ for every class at import time,
    which dominates importing a large generated module. Fields not given keep the class's
    default, as for parsed values.
    """

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]
    __signature__ = _ClassSignature()

    def __init__(self, **values: Any) -> None:
        cls = type(self)
        spec = _spec(cls)
        if not spec.names.issuperset(values):
            unknown = sorted(set(values) - spec.names)
            raise TypeError(
                f"{cls.__name__}() got unexpected keyword arguments: {', '.join(unknown)}"
            )
        for name in spec.required:
            if name not in values:
                raise TypeError(f"{cls.__name__}() missing required keyword argument: {name!r}")
        for name, factory in spec.factories:
            if values.get(name) is None:  # a list field left out, or given as None
                values[name] = factory()
        self.__dict__.update(values)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in _spec(type(self)).order)

    def __repr__(self) -> str:
        spec = _spec(type(self))
        shown = (
            (
                f"{n}=<hidden>"
                if n in spec.secret and getattr(self, n)
                else f"{n}={getattr(self, n)!r}"
            )
            for n in spec.order
            if n != "nil_fields"
        )
        return f"{type(self).__name__}({', '.join(shown)})"


_RecordT = TypeVar("_RecordT", bound=Record)


@dataclass_transform(kw_only_default=True, eq_default=False, field_specifiers=(dataclasses.field,))
def record(cls: type[_RecordT]) -> type[_RecordT]:
    """Make `cls` a dataclass (fields, asdict, replace) keeping Record's __init__, eq and repr."""
    return dataclasses.dataclass(kw_only=True, init=False, repr=False, eq=False)(cls)
