"""Python snippets for the templates: annotations, defaults, and the statements that write and
read one field. Kept out of the templates so they stay declarative; every name that reaches
the output is an identifier from :mod:`generator.naming` and every string a ``repr`` literal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeAlias

from lxml import etree

from . import ir
from .diagnostics import Collector
from .ir import XSI, split_qname
from .xsd_types import FLOAT_CODECS, INT_CODECS, Builtin, builtin


def lit(text: str) -> str:
    """A Python string literal for any text, quoted as black quotes it.

    The escaping is repr's (which never lets text escape the literal); the quotes are double
    unless that needs more backslashes, black's rule, so black has nothing to change.
    """
    r = repr(text)
    if r[0] == '"' or ("'" not in text and '"' not in text):
        return r if r[0] == '"' else '"' + r[1:-1] + '"'
    if text.count('"') > text.count("'"):
        return r
    return (
        '"'
        + "".join('\\"' if ch == '"' else "'" if ch == "'" else repr(ch)[1:-1] for ch in text)
        + '"'
    )


def docstring(text: str, indent: str = "") -> str:
    """A triple-quoted docstring literal whose content cannot end or escape the literal."""
    text = "".join(ch if ch.isprintable() or ch == "\n" else " " for ch in text.replace("\t", " "))
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').strip()
    if text.endswith('"'):
        text += " "
    if not text:
        text = "(undocumented)"
    lines = text.split("\n")
    if len(lines) == 1:
        return f'"""{text}"""'
    body = "\n".join((indent + ln) if ln.strip() else "" for ln in lines[1:])
    return f'"""{lines[0]}\n{body}\n{indent}"""'


# an expression, or a call (head, arguments), or a list or tuple display when the head ends
# in "[" or "("
CallArg: TypeAlias = "str | tuple[str, list[CallArg]]"


def _brackets(head: str) -> tuple[str, str]:
    if head.endswith("["):
        return head, "]"
    return (head, ")") if head.endswith("(") else (head + "(", ")")


def _joined(head: str, texts: list[str]) -> str:
    one_tuple = head.endswith("(") and len(texts) == 1
    return ", ".join(texts) + ("," if one_tuple else "")


def _arg_text(a: CallArg) -> str:
    if isinstance(a, str):
        return a
    opening, closing = _brackets(a[0])
    return f"{opening}{_joined(a[0], [_arg_text(x) for x in a[1]])}{closing}"


def bytes_literal(data: bytes) -> str:
    """repr() of bytes, double-quoted unless that needs more backslashes (black's rule)."""
    if data.count(b'"') > data.count(b"'"):
        return (
            repr(data)
            if repr(data)[1] == "'"
            else "b'" + "".join(_byte(b, "'") for b in data) + "'"
        )
    return 'b"' + "".join(_byte(b, '"') for b in data) + '"'


def _byte(b: int, quote: str) -> str:
    if b == 92:
        return "\\\\"
    if chr(b) == quote:
        return "\\" + quote
    if 32 <= b < 127:
        return chr(b)
    return repr(bytes([b]))[2:-1]


def py_literal(value: object) -> str:
    """repr() of nested lists, tuples, str and int, with strings quoted as black quotes them."""
    if isinstance(value, str):
        return lit(value)
    if isinstance(value, list):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    if isinstance(value, tuple):
        inner = ", ".join(py_literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, int):
        return repr(value)
    raise TypeError(type(value).__name__)


def call_lines(
    indent: str, head: str, args: list[CallArg], width: int = 100, tail: str = ""
) -> str:
    """`head(args)` laid out as black lays out a call it has to split (one line when it fits;
    else the arguments on one line of their own; else one per line with a trailing comma, a
    call among them split the same way), so black finds nothing to change."""
    texts = [_arg_text(a) for a in args]
    opening, closing = _brackets(head)
    one = f"{indent}{opening}{_joined(head, texts)}{closing}{tail}"
    if len(one) <= width:
        return one
    inner = f"{indent}    {', '.join(texts)}"
    # a display black splits one item a line; a call's arguments go on one line if they fit
    display = head.endswith(("[", "("))
    if (
        not display
        and len(inner) <= width
        and not (len(args) == 1 and not isinstance(args[0], str))
    ):
        return f"{indent}{opening}\n{inner}\n{indent}{closing}{tail}"
    lines = []
    for a, t in zip(args, texts):
        if len(f"{indent}    {t},") <= width or isinstance(a, str):
            lines.append(f"{indent}    {t},")
        else:
            lines.append(call_lines(indent + "    ", a[0], a[1], width, ","))
    return f"{indent}{opening}\n" + "\n".join(lines) + f"\n{indent}{closing}{tail}"


def def_line(indent: str, head: str, params: list[str], returns: str, width: int = 100) -> str:
    """A `def` line as black keeps it: on one line when it fits, else one parameter a line with
    a trailing comma (which black then leaves as it is)."""
    one = f"{indent}{head}({', '.join(params)}) -> {returns}:"
    if len(one) <= width:
        return one
    return (
        f"{indent}{head}(\n"
        + "".join(f"{indent}    {p},\n" for p in params)
        + f"{indent}) -> {returns}:"
    )


@dataclass(frozen=True)
class Value:
    """How one value of a type is written and read."""

    kind: str  # scalar | enum | flags | complex | array | dict | any
    cls: str = ""  # class name for enum, flags, complex
    codec: str = ""  # runtime codec for scalars
    annotation: str = ""
    default: str | None = None  # literal for a plain-typed absent value
    item: Value | None = None  # arrays: the item; dicts: the value
    item_tag: str = ""
    item_nillable: bool = False
    key: Value | None = None
    key_tag: str = ""
    pair_tag: str = ""
    has_subtypes: bool = False
    text_safe: bool = True  # enum wire values need no XML escaping


class Resolver:
    """Type name -> Value, for the types of one version (and one agent's variants)."""

    def __init__(
        self, types: dict[str, ir.TypeDef], subtyped: set[str], diags: Collector, where: ir.Loc
    ) -> None:
        self.types = types
        self.subtyped = subtyped
        self.cls_names = {t.py_name: n for n, t in types.items() if t.py_name}
        self.diags = diags
        self.where = where
        self._cache: dict[str, Value] = {}

    def value(self, type_name: str, loc: ir.Loc | None = None) -> Value:
        cached = self._cache.get(type_name)
        if cached is not None:
            return cached
        v = self._value(type_name, loc or self.where, 0)
        self._cache[type_name] = v
        return v

    def _value(self, name: str, loc: ir.Loc, depth: int) -> Value:
        b = builtin(name)
        if b is not None:
            return _scalar(b)
        t = self.types.get(name)
        if t is None:
            self.diags.error("GEN001", loc.file, loc.line, f"unknown type {name}")
            return _scalar(builtin("{http://www.w3.org/2001/XMLSchema}string"))  # type: ignore[arg-type]
        if isinstance(t, ir.AliasType):
            if depth > 20:
                self.diags.error("GEN002", loc.file, loc.line, f"type {name} restricts itself")
                return Value("scalar", codec="str", annotation="str", default='""')
            return self._value(t.base, t.loc, depth + 1)
        if isinstance(t, ir.EnumType):
            if t.flags:
                return Value(
                    "flags", cls=t.py_name, annotation=t.py_name, default=f"{t.py_name}(0)"
                )
            first = t.values[0].py_name if t.values else None
            safe = not any(ch in v.wire for v in t.values for ch in '&<>"\r')
            return Value(
                "enum",
                cls=t.py_name,
                annotation=t.py_name,
                default=f"{t.py_name}.{first}" if first else None,
                text_safe=safe,
            )
        if isinstance(t, ir.ArrayType):
            item = self._value(t.item.type, t.loc, depth + 1)
            ann = item.annotation + (" | None" if t.item.nillable else "")
            return Value(
                "array",
                annotation=f"list[{ann}]",
                item=item,
                item_tag=t.item.qname,
                item_nillable=t.item.nillable,
            )
        if isinstance(t, ir.DictType):
            key = self._value(t.key.type, t.loc, depth + 1)
            val = self._value(t.value.type, t.loc, depth + 1)
            ann = val.annotation + (" | None" if t.value.nillable else "")
            return Value(
                "dict",
                annotation=f"dict[{key.annotation}, {ann}]",
                key=key,
                key_tag=t.key.qname,
                item=val,
                item_tag=t.value.qname,
                item_nillable=t.value.nillable,
                pair_tag=t.pair,
            )
        return Value(
            "complex", cls=t.py_name, annotation=t.py_name, has_subtypes=t.name in self.subtyped
        )


def _scalar(b: Builtin) -> Value:
    return Value("scalar", codec=b.codec, annotation=b.annotation, default=b.default)


# --- statements -------------------------------------------------------------------------


class Prefixes:
    """One prefix per namespace of a version, for the markup generated code writes as text."""

    def __init__(self, namespaces: Iterable[str]) -> None:
        self.map = {ns: f"n{i}" for i, ns in enumerate(sorted(set(namespaces) - {""}))}

    def tag(self, name: str) -> str:
        ns, local = split_qname(name)
        if not ns:
            return local
        if ns not in self.map:
            self.map[ns] = f"n{len(self.map)}"
        return f"{self.map[ns]}:{local}"

    def decls(self) -> str:
        out = f' xmlns:i="{XSI}"'
        for ns, prefix in sorted(self.map.items(), key=lambda kv: int(kv[1][1:])):
            out += f' xmlns:{prefix}="{xml_attr(ns)}"'
        return out


def is_ncname(name: str) -> bool:
    """An XML name without a colon (what an element or attribute local name must be)."""
    if not name or ":" in name:
        return False
    try:
        etree.Element(name)
    except ValueError:
        return False
    return True


def xml_attr(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def _scalar_text(codec: str, expr: str) -> str:
    if codec == "str":
        return f"_rt.esc({expr})"
    # the other lexical forms never need escaping; an integer's fmt_ checks type and range
    return f"_rt.fmt_{codec}({expr})"


_FSTRING_UNSAFE = re.compile(r"""[{}"'\\\r\n]""")


def _wrap(o: str, text: str, c: str, plain: str = "") -> str:
    """`_w(...)` of open tag + expression + close tag: one f-string (one token for black, and
    faster than concatenation) when the tags cannot disturb one, else concatenation (of
    `plain`, the expression as an operand of `+`, when `text` needs parentheses there)."""
    if (
        _FSTRING_UNSAFE.search(o + c) is None
        and _FSTRING_UNSAFE.search(text.replace("'", "")) is None
    ):
        return f'_w(f"{o}{{{text}}}{c}")'
    return f"_w({lit(o)} + {plain or text} + {lit(c)})"


def write_value(v: Value, px: Prefixes, name: str, expr: str, var: str) -> list[str]:
    """Statements appending the markup of element `name` holding `expr` to `_w`."""
    tag = px.tag(name)
    o, c = f"<{tag}>", f"</{tag}>"
    if v.kind == "scalar":
        if v.codec == "bool":
            return [
                _wrap(
                    o, f"'true' if {expr} else 'false'", c, plain=f"('true' if {expr} else 'false')"
                )
            ]
        return [_wrap(o, _scalar_text(v.codec, expr), c)]
    if v.kind == "enum":
        text = f"{expr}.value" if v.text_safe else f"_rt.esc({expr}.value)"
        return [_wrap(o, text, c)]
    if v.kind == "flags":
        return [_wrap(o, f"_rt.esc(_rt.fmt_flags({expr}, _WIRE_{v.cls}))", c)]
    if v.kind == "complex":
        return [f"{expr}._write(_w, {lit(tag)}, {v.cls})"]
    if v.kind == "array":
        assert v.item is not None
        item = f"_i{var}"
        body = write_value(v.item, px, v.item_tag, item, var + "i")
        lines = [f"_w({lit(o)})", f"for {item} in {expr}:"]
        if v.item_nillable:
            nil = f'<{px.tag(v.item_tag)} i:nil="true"/>'
            lines += [f"    if {item} is None:", f"        _w({lit(nil)})", "    else:"]
            lines += ["        " + s for s in body]
        else:
            lines += ["    " + s for s in body]
        return lines + [f"_w({lit(c)})"]
    if v.kind == "dict":
        assert v.item is not None and v.key is not None
        k, val = f"_k{var}", f"_v{var}"
        pair = px.tag(v.pair_tag)
        lines = [
            f"_w({lit(o)})",
            f"for {k}, {val} in {expr}.items():",
            f"    _w({lit(f'<{pair}>')})",
        ]
        lines += ["    " + s for s in write_value(v.key, px, v.key_tag, k, var + "k")]
        body = write_value(v.item, px, v.item_tag, val, var + "v")
        if v.item_nillable:
            nil = f'<{px.tag(v.item_tag)} i:nil="true"/>'
            lines += [f"    if {val} is None:", f"        _w({lit(nil)})", "    else:"]
            lines += ["        " + s for s in body]
        else:
            lines += ["    " + s for s in body]
        return lines + [f"    _w({lit(f'</{pair}>')})", f"_w({lit(c)})"]
    raise AssertionError(v.kind)


def read_value(v: Value, el: str, var: str = "") -> str:
    """An expression reading the value held by element `el`."""
    if v.kind == "scalar":
        if v.codec == "str":
            return f'({el}.text or "")'
        return f'_rt.parse_{v.codec}({el}.text or "")'
    if v.kind == "enum":
        return f'_MEMBERS_{v.cls}[{el}.text or ""]'
    if v.kind == "flags":
        return f'_rt.parse_flags({el}.text or "", _MEMBERS_{v.cls}, {v.cls}(0))'
    if v.kind == "complex":
        return f"_r_{v.cls}({el})"
    if v.kind == "array":
        assert v.item is not None
        item = f"_i{var}"
        inner = read_value(v.item, item, var + "i")
        if v.item_nillable:
            inner = f"(None if _rt.is_nil({item}) else {inner})"
        return f"[{inner} for {item} in {el}]"
    if v.kind == "dict":
        assert v.item is not None and v.key is not None
        pair = f"_p{var}"
        key = read_value(v.key, f"{pair}[0]", var + "k")
        val = read_value(v.item, f"{pair}[1]", var + "v")
        if v.item_nillable:
            val = f"(None if _rt.is_nil({pair}[1]) else {val})"
        return f"{{{key}: {val} for {pair} in {el}}}"
    raise AssertionError(v.kind)


@dataclass(frozen=True)
class FieldCode:
    py: str
    var: str
    wire: str
    nil_markup: str  # literal: the element with xsi:nil
    tag: str  # literal
    attribute: bool
    annotation: str
    default: str | None  # None: required
    optional: bool  # None allowed
    nillable: bool
    emit_nil_when_none: bool
    repeated: bool
    write: list[str]  # statements writing `_val` to `_el`
    read: str  # expression reading `_ch`
    doc: str
    local_annotation: str = ""  # how a reader holds the value before building the object
    local_default: str = ""
    required_local: bool = False  # no default: missing in the XML is an error
    bare: bool = False  # the whole body element (a named type), not one child of a wrapper
    cls: str = ""  # the class, for complex values
    json_write: str = ""  # expression: the value `var` in JSON form
    json_read: str = ""  # expression: the value from JSON `_jv`
    write_self: tuple[str, ...] = ()  # a plain field's statements reading `self.<py>` directly
    write_arg: tuple[str, ...] = ()  # the same reading the parameter `<py>` (request builders)


def field_code(f: ir.Field, v: Value, px: Prefixes | None = None) -> FieldCode:
    px = px or Prefixes(())
    # value types the wire must carry are plain (int, bool, datetime, enums); strings, bytes,
    # choice branches and anything nillable may be absent: T | None
    plain = (
        v.kind in ("enum", "flags")
        or (v.kind == "scalar" and v.codec not in ("str", "base64", "hex"))
    ) and not (f.nillable or f.repeated or f.choice)
    repeated = f.repeated
    ann = v.annotation
    if repeated:
        ann = f"list[{ann}]"
        default: str | None = "_dc.field(default_factory=list)"
        optional = False
    elif plain and f.min_occurs >= 1:
        default, optional = None, False
    elif plain and v.default is not None:
        default, optional = v.default, False
    elif f.min_occurs >= 1 and not f.nillable:
        default, optional = None, False
    else:
        ann, default, optional = f"{ann} | None", "None", True
    var = f"_f_{f.py_name}"
    write_self: tuple[str, ...] = ()
    write_arg: tuple[str, ...] = ()
    if f.attribute:
        if v.kind == "enum":
            text, read = f"{var}.value", f"_MEMBERS_{v.cls}[_attr]"
        elif v.kind == "scalar" and v.codec not in ("str", "bool"):
            text, read = f"_rt.fmt_{v.codec}({var})", f"_rt.parse_{v.codec}(_attr)"
        elif v.kind == "scalar" and v.codec == "bool":
            text, read = f"_rt.fmt_bool({var})", "_rt.parse_bool(_attr)"
        else:
            text, read = var, "_attr"
        write = [
            f"_w({lit(' ' + px.tag(f.qname) + '=' + chr(34))} + _rt.esc_attr({text}) + {lit(chr(34))})"
        ]
    else:
        write = write_value(v, px, f.qname, var + "_i" if f.repeated else var, "_" + f.py_name)
        read = read_value(v, "_c")
        if not optional and not repeated:
            write_self = tuple(write_value(v, px, f.qname, "self." + f.py_name, "_" + f.py_name))
            write_arg = tuple(write_value(v, px, f.qname, f.py_name, "_" + f.py_name))
        elif (
            optional
            and v.kind == "scalar"
            and v.codec == "str"
            and not (f.nillable and f.min_occurs >= 1)
        ):
            # the commonest optional field, a string: one call instead of an if/elif
            nil = f"{lit(f.py_name)} in self.nil_fields" if f.nillable else "False"
            args: list[CallArg] = [lit(px.tag(f.qname)), f"self.{f.py_name}", nil]
            write_self = (call_lines(" " * 8, "_w", [("_rt.str_element", args)]).lstrip(),)
            # a parameter has no nil_fields: None is nil where the element is nillable
            args = [lit(px.tag(f.qname)), f.py_name, str(f.nillable)]
            write_arg = (call_lines(" " * 4, "_w", [("_rt.str_element", args)]).lstrip(),)
    return FieldCode(
        py=f.py_name,
        var=var,
        wire=f.name,
        tag=lit(f.qname),
        nil_markup=lit(f'<{px.tag(f.qname)} i:nil="true"/>'),
        attribute=f.attribute,
        annotation=ann,
        default=default,
        optional=optional,
        nillable=f.nillable,
        emit_nil_when_none=f.nillable and f.min_occurs >= 1,
        repeated=repeated,
        write=write,
        read=read,
        doc=f.doc,
        local_annotation=ann if default is not None else f"{ann} | None",
        local_default="[]" if repeated else (default if default is not None else "None"),
        required_local=default is None,
        cls=v.cls if v.kind == "complex" else "",
        json_write=json_write(v, var + "_i" if repeated else var, "_" + f.py_name),
        json_read=json_read(v, "_jr" if repeated else "_jv", "_" + f.py_name),
        write_self=write_self,
        write_arg=write_arg,
    )


# --- JSON (ServiceStack's /json/reply/<Operation>) --------------------------------------

_JSON_OUT = {
    "str": "{}",
    "int": "{}",
    "bool": "{}",
    "float": "{}",
    "decimal": "float({})",
    "uuid": "{}.hex",
}
_JSON_IN = {
    "str": "str({})",
    "int": "int({})",
    "bool": "bool({})",
    "float": "float({})",
    "decimal": "_decimal.Decimal(str({}))",
    "uuid": "_uuid.UUID(str({}))",
    "datetime": "_rt.json_parse_datetime(str({}))",
}


def _json_codec(codec: str) -> str:
    """JSON holds every integer and float type as a number."""
    return "int" if codec in INT_CODECS else "float" if codec in FLOAT_CODECS else codec


def json_write(v: Value, expr: str, var: str = "") -> str:
    """An expression turning a value into its JSON form (PascalCase keys, as ServiceStack writes)."""
    if v.kind == "scalar":
        return _JSON_OUT.get(_json_codec(v.codec), f"_rt.fmt_{v.codec}({{}})").format(expr)
    if v.kind == "enum":
        return f"{expr}.value"
    if v.kind == "flags":
        return f"_rt.fmt_flags({expr}, _WIRE_{v.cls})"
    if v.kind == "complex":
        return f"{expr}._to_json()"
    if v.kind == "array":
        assert v.item is not None
        item = f"_j{var}"
        inner = json_write(v.item, item, var + "i")
        if v.item_nillable:
            inner = f"(None if {item} is None else {inner})"
        return f"[{inner} for {item} in {expr}]"
    if v.kind == "dict":
        assert v.item is not None and v.key is not None
        k, val = f"_jk{var}", f"_jv{var}"
        key = json_write(v.key, k, var + "k")
        if v.key.kind != "scalar" or v.key.codec != "str":
            key = f"str({key})"
        inner = json_write(v.item, val, var + "v")
        if v.item_nillable:
            inner = f"(None if {val} is None else {inner})"
        return f"{{{key}: {inner} for {k}, {val} in {expr}.items()}}"
    raise AssertionError(v.kind)


def json_read(v: Value, expr: str, var: str = "") -> str:
    """An expression reading a value from its JSON form."""
    if v.kind == "scalar":
        return _JSON_IN.get(_json_codec(v.codec), f"_rt.parse_{v.codec}(str({{}}))").format(expr)
    if v.kind == "enum":
        return f"{v.cls}({expr})"
    if v.kind == "flags":
        return f"_rt.parse_flags(str({expr}), _MEMBERS_{v.cls}, {v.cls}(0))"
    if v.kind == "complex":
        return f"_rj_{v.cls}({expr})"
    if v.kind == "array":
        assert v.item is not None
        item = f"_j{var}"
        inner = json_read(v.item, item, var + "i")
        if v.item_nillable:
            inner = f"(None if {item} is None else {inner})"
        return f"[{inner} for {item} in {expr}]"
    if v.kind == "dict":
        assert v.item is not None and v.key is not None
        k, val = f"_jk{var}", f"_jv{var}"
        inner = json_read(v.item, val, var + "v")
        if v.item_nillable:
            inner = f"(None if {val} is None else {inner})"
        return f"{{{json_read(v.key, k, var + 'k')}: {inner} for {k}, {val} in {expr}.items()}}"
    raise AssertionError(v.kind)
