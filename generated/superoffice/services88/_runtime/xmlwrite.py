"""Any value of a generated package written as XML, generically, from the field specs its
module declares (:func:`.wire.bind`) and the value specs of its operations.

Generated clients write requests with generated, specialised writers (the hot path). Replies
are only read by them; the mock server (:mod:`.mockserver`) writes replies, faults and reply
headers with this module instead, so that a test can answer any operation with values of the
generated types. What cannot be written (a value of another type, an integer its xs:int cannot
hold) raises TypeError or ValueError naming the element path.
"""

from __future__ import annotations

import enum
from typing import Any

from .anyvalue import AnyValue, simple_text
from .values import (
    ArrayOf,
    DictOf,
    Enumeration,
    Flags,
    Nillable,
    Scalar,
    Text,
    Value,
    flag_names,
    local_name,
)
from .wire import ATTRIBUTE, ELEMENT, TEXT, RecordOf, wire_of
from .xmlsafe import XSI_NS, esc, esc_attr


class Markup:
    """Markup under construction, with a prefix for every namespace it uses (declared once,
    on the element :meth:`declarations` is written into: the envelope)."""

    __slots__ = ("parts", "prefixes")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.prefixes: dict[str, str] = {XSI_NS: "i"}

    def name(self, tag: str) -> str:
        """A Clark name (``{ns}local``, or a bare local name) as this markup writes it."""
        if not tag.startswith("{"):
            return tag
        ns, _, local = tag[1:].partition("}")
        prefix = self.prefixes.get(ns)
        if prefix is None:
            prefix = self.prefixes[ns] = f"m{len(self.prefixes)}"
        return f"{prefix}:{local}"

    def declarations(self) -> str:
        return "".join(f' xmlns:{p}="{esc_attr(ns)}"' for ns, p in self.prefixes.items())

    def text(self) -> str:
        return "".join(self.parts)

    def nil(self, tag: str) -> None:
        self.parts.append(f'<{self.name(tag)} i:nil="true"/>')

    def element(self, tag: str, value: Value[Any], obj: Any, where: str = "") -> None:
        """The element `tag` holding `obj`, a value of `value`'s type (None: nil)."""
        where = f"{where}/{local_name(tag)}"
        if obj is None:
            self.nil(tag)
            return
        if isinstance(value, Nillable):
            value = value.inner
        if not value.accepts(obj):
            raise TypeError(
                f"{where}: expected {value.name}, not {type(obj).__name__} ({_shown(obj)})"
            )
        name = self.name(tag)
        w = self.parts.append
        if isinstance(value, AnyValue):
            simple = simple_text(obj)
            if simple is None:  # a record, with its own type
                self.record(name, obj, object, where)
            else:
                type_name = self.name(f"{{{simple[0]}}}{simple[1]}")
                w(f'<{name} i:type="{type_name}">{esc(simple[2])}</{name}>')
        elif isinstance(value, RecordOf):
            self.record(name, obj, value.cls, where)
        elif isinstance(value, ArrayOf):
            w(f"<{name}>")
            for i, item in enumerate(obj):
                self.element(value.tag, value.item, item, f"{where}[{i}]")
            w(f"</{name}>")
        elif isinstance(value, DictOf):
            w(f"<{name}>")
            pair = self.name(value.pair)
            for i, (key, item) in enumerate(obj.items()):
                w(f"<{pair}>")
                self.element(value.key_tag, value.key, key, f"{where}[{i}]")
                self.element(value.value_tag, value.value, item, f"{where}[{i}]")
                w(f"</{pair}>")
            w(f"</{name}>")
        else:
            w(f"<{name}>{esc(_simple_text(value, obj, where))}</{name}>")

    def record(self, name: str, obj: Any, declared: type, where: str = "") -> None:
        """The element `name` (as written) holding record `obj` (xsi:type when obj is a
        subtype of `declared`)."""
        wire = wire_of(type(obj))
        w = self.parts.append
        w(f"<{name}")
        if type(obj) is not declared and wire.qname:
            w(f' i:type="{esc_attr(self.name(wire.qname))}"')
        for f in wire.fields:
            if f.kind == ATTRIBUTE and (v := getattr(obj, f.name, None)) is not None:
                text = _simple_text(f.value, v, f"{where}/@{local_name(f.tag)}")
                w(f' {self.name(f.tag)}="{esc_attr(text)}"')
        w(">")
        nils: frozenset[str] = getattr(obj, "nil_fields", frozenset())
        for f in wire.fields:
            v = getattr(obj, f.name, None)
            if f.kind == TEXT:
                if v is not None:
                    w(esc(_simple_text(f.value, v, f"{where}/(text)")))
            elif f.kind == ELEMENT:
                if f.repeated:
                    for i, item in enumerate(v or ()):
                        self.element(f.tag, f.value, item, f"{where}[{i}]")
                elif v is not None:
                    self.element(f.tag, f.value, v, where)
                elif f.name in nils or (f.required and f.nillable):
                    self.nil(f.tag)
        w(f"</{name}>")


def _simple_text(value: Value[Any], obj: Any, where: str) -> str:
    if isinstance(value, Nillable):
        value = value.inner
    if not value.accepts(obj):
        raise TypeError(f"{where}: expected {value.name}, not {type(obj).__name__} ({_shown(obj)})")
    if isinstance(value, Text):
        return str(obj)
    if isinstance(value, Scalar):
        try:
            return value.format(obj)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{where}: {exc}") from None
    if isinstance(value, Flags):
        return flag_names(obj)
    if isinstance(value, Enumeration) and isinstance(obj, enum.Enum):
        return str(obj.value)
    raise TypeError(f"{where}: {value.name} values are not written as text")


def _shown(obj: object) -> str:
    text = repr(obj)
    return text if len(text) <= 60 else text[:57] + "..."
