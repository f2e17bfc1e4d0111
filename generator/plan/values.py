"""IR types and fields -> ValuePlans and FieldPlans: how each value is annotated, defaulted,
written and read, in the scope of one module (its own types and the shared ones it sees)."""

from __future__ import annotations

import datetime
import decimal
import uuid

from ..config.profiles import ApiProfile
from ..core import ir
from ..core.codecs import CODECS
from ..core.diagnostics import Collector
from ..core.xsd_types import Builtin, builtin
from .model import FieldPlan, ValuePlan
from .text import Prefixes, lit

# field names whose values a record's repr hides (compared in lower case)
SECRET_NAMES = frozenset(
    {
        "password",
        "ticket",
        "token",
        "secret",
        "applicationtoken",
        "accesstoken",
        "refreshtoken",
        "apikey",
        "clientsecret",
    }
)
_STRING = ValuePlan(
    "scalar", "str", '_rt.scalar("string", str)', codec="string", write="str", default_text=""
)
# xs:anyType (a WCF object): each value typed by its xsi:type (the runtime's anyvalue module)
_ANY = ValuePlan("any", "object", "_rt.any_value()")
ANY_TYPE = ir.qname(ir.XSD, "anyType")


# what a plain default is, by the Python type holding it (its lexical form: the codec's)
_ZERO: dict[str, object] = {
    "int": 0,
    "bool": False,
    "float": 0.0,
    "_decimal.Decimal": decimal.Decimal(0),
    "str": "",
    "_dt.datetime": datetime.datetime(1, 1, 1),
    "_dt.date": datetime.date(1, 1, 1),
    "_dt.time": datetime.time(),
    "_dt.timedelta": datetime.timedelta(),
    "bytes": b"",
    "_uuid.UUID": uuid.UUID(int=0),
}


def scalar_value(b: Builtin) -> ValuePlan:
    """A builtin: read by the runtime's codec b.key, written with fmt_<codec> (which checks
    an integer's type and range), inline where the lexical form needs nothing (str, bool and
    the unbounded xs:integer)."""
    write = b.codec if b.codec in ("str", "int", "bool") else "call"
    zero = _ZERO.get(b.annotation)
    default_text = None
    if b.default is not None and zero is not None:
        default_text = CODECS[b.key].format(zero)
    return ValuePlan(
        "scalar",
        b.annotation,
        f"_rt.scalar({lit(b.key)}, {b.annotation})",
        codec=b.key,
        write=write,
        fmt=f"_rt.fmt_{b.codec}",
        default_expr=b.default,
        default_text=default_text,
    )


class Values:
    """Type name -> ValuePlan for one module: the types it sees, by Clark name."""

    def __init__(
        self, types: dict[str, ir.TypeDef], px: Prefixes, diags: Collector, where: ir.Loc
    ) -> None:
        self.types = types
        self.px = px
        self.diags = diags
        self.where = where
        self._cache: dict[str, ValuePlan] = {}

    def value(self, type_name: str, loc: ir.Loc | None = None) -> ValuePlan:
        found = self._cache.get(type_name)
        if found is None:
            found = self._cache[type_name] = self._value(type_name, loc or self.where, 0)
        return found

    def _value(self, name: str, loc: ir.Loc, depth: int) -> ValuePlan:
        if name == ANY_TYPE:
            return _ANY
        b = builtin(name)
        if b is not None:
            return scalar_value(b)
        t = self.types.get(name)
        if t is None:
            self.diags.error("GEN001", loc.file, loc.line, f"unknown type {name}")
            return _STRING
        if isinstance(t, ir.AliasType):
            if depth > 20:
                self.diags.error("GEN002", loc.file, loc.line, f"type {name} restricts itself")
                return _STRING
            return self._value(t.base, t.loc, depth + 1)
        if isinstance(t, ir.EnumType):
            if t.flags:
                return ValuePlan(
                    "flags",
                    t.py_name,
                    f"_rt.flags_of({t.py_name})",
                    cls=t.py_name,
                    default_expr=f"{t.py_name}(0)",
                    default_text="",
                )
            safe = not any(ch in v.wire for v in t.values for ch in '&<>"\r')
            return ValuePlan(
                "enum",
                t.py_name,
                f"_rt.enum_of({t.py_name})",
                cls=t.py_name,
                text_safe=safe,
                default_expr=f"{t.py_name}.{t.values[0].py_name}" if t.values else None,
                default_text=t.values[0].wire if t.values else None,
            )
        if isinstance(t, ir.ArrayType):
            item = self._value(t.item.type, t.loc, depth + 1)
            ann = item.annotation + (" | None" if t.item.nillable else "")
            item_reader = (
                f"_rt.nillable({item.reader_expr})" if t.item.nillable else item.reader_expr
            )
            if t.encoded:  # items of any name, each written with its type (as zeep does)
                xsi_type = self._item_type(t.item.type, depth)
                return ValuePlan(
                    "array",
                    f"list[{ann}]",
                    f"_rt.EncodedArrayOf({item_reader})",
                    item=item,
                    item_tag="item",
                    item_nillable=t.item.nillable,
                    item_xsi_type=xsi_type,
                    encoded=True,
                )
            return ValuePlan(
                "array",
                f"list[{ann}]",
                f"_rt.ArrayOf({item_reader}, {self.px.clark(t.item.qname)})",
                item=item,
                item_tag=self.px.tag(t.item.qname),
                item_nillable=t.item.nillable,
            )
        if isinstance(t, ir.DictType):
            key = self._value(t.key.type, t.loc, depth + 1)
            val = self._value(t.value.type, t.loc, depth + 1)
            ann = val.annotation + (" | None" if t.value.nillable else "")
            val_reader = f"_rt.nillable({val.reader_expr})" if t.value.nillable else val.reader_expr
            px = self.px
            reader = (
                f"_rt.DictOf({key.reader_expr}, {val_reader}, {px.clark(t.pair)},"
                f" {px.clark(t.key.qname)}, {px.clark(t.value.qname)})"
            )
            return ValuePlan(
                "dict",
                f"dict[{key.annotation}, {ann}]",
                reader,
                item=val,
                item_tag=self.px.tag(t.value.qname),
                item_nillable=t.value.nillable,
                key=key,
                key_tag=self.px.tag(t.key.qname),
                pair_tag=self.px.tag(t.pair),
            )
        return ValuePlan("record", t.py_name, f"_rt.record_of({t.py_name})", cls=t.py_name)

    def _item_type(self, name: str, depth: int) -> str:
        """The xsi:type an item of a SOAP-encoded array is written with: a builtin's or an
        enumeration's type ("" for records, which write their own, and arrays)."""
        name = _unaliased(self.types, name)
        t = self.types.get(name)
        if builtin(name) is not None or isinstance(t, ir.EnumType):
            return self.px.tag(name)
        if isinstance(t, ir.ArrayType):
            return self.px.tag(ir.qname(ir.SOAP_ENC, "Array"))
        return ""


def _unaliased(types: dict[str, ir.TypeDef], name: str) -> str:
    for _ in range(20):
        t = types.get(name)
        if not isinstance(t, ir.AliasType):
            break
        name = t.base
    return name


def field_plan(
    f: ir.Field, v: ValuePlan, px: Prefixes, profile: ApiProfile, secret: bool = False
) -> FieldPlan:
    """How a field is declared: value types the service always sends are plain (int, bool,
    datetime, enums: the profile says so, e.g. for WCF); what may be absent is T | None."""
    plain_kind = v.kind in ("enum", "flags") or (
        v.kind == "scalar" and v.write != "str" and v.codec not in ("base64Binary", "hexBinary")
    )
    plain = plain_kind and not (f.nillable or f.repeated or f.choice)
    annotation = v.annotation
    default: str | None
    optional = False
    if f.repeated:
        annotation, default = f"list[{annotation}]", "_dc.field(default_factory=list)"
    elif plain and f.min_occurs >= 1:
        default = None
    elif plain and profile.plain_values and v.default_expr is not None:
        default = v.default_expr
    elif f.min_occurs >= 1 and not f.nillable:
        default = None
    else:
        annotation, default, optional = f"{annotation} | None", "None", True
    return FieldPlan(
        py=f.py_name,
        wire=f.name,
        tag_lit=px.clark(f.qname),
        prefixed=px.tag(f.qname),
        value=v,
        annotation=annotation,
        default_expr=default,
        optional=optional,
        nillable=f.nillable,
        repeated=f.repeated,
        attribute=f.attribute,
        nil_when_none=f.nillable and f.min_occurs >= 1,
        doc=f.doc,
        secret=secret or f.name.lower() in SECRET_NAMES,
    )
