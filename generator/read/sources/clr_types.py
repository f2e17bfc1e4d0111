"""CLR type names as ServiceStack shows them, and the XML names DataContract serialization gives them.

Three spellings of one type reach the ServiceStack reader:

* the C# display name of the metadata pages (``Dictionary<Guid, string>``, ``int?``, ``string[]``),
  grammar ``type := base ("<" type ("," type)* ">")? "?"? ("[]")*`` with keyword aliases;
* the same name run together with the next table cell in copied text (``GuidYes...``), read by
  :func:`prefixes`, which yields every reading of a prefix;
* metadata.json's ``Type`` + ``GenericArgs`` (``Nullable`1`` + ``["Int32"]``).

All become one :class:`ClrType` (CLR short names, ``Nullable<T>`` folded into ``nullable``), so
sources can be compared. :class:`XmlTypes` maps a ClrType to the XML Schema type WCF's
DataContractSerializer (which ServiceStack's SOAP endpoints use) puts on the wire: builtins as
XSD / WCF serialization types, ``List<T>``/``T[]`` as ``ArrayOfX`` and ``Dictionary<K,V>`` as
``ArrayOfKeyValueOfKV`` (with WCF's namespace digest where WCF appends one).
"""

from __future__ import annotations

import base64
import math
import struct
from dataclasses import dataclass

from ...core import ir
from ...core.ir import WCF_ARRAYS, WCF_SER, XSD, qname

# C# keyword -> CLR name (ServiceStack's display names use these for top-level names and arguments)
ALIASES: dict[str, str] = {
    "string": "String",
    "int": "Int32",
    "long": "Int64",
    "short": "Int16",
    "byte": "Byte",
    "sbyte": "SByte",
    "bool": "Boolean",
    "decimal": "Decimal",
    "double": "Double",
    "float": "Single",
    "uint": "UInt32",
    "ulong": "UInt64",
    "ushort": "UInt16",
    "char": "Char",
    "object": "Object",
}
DISPLAY_ALIASES: dict[str, str] = {
    v: k for k, v in ALIASES.items() if k not in ("char", "object", "sbyte")
}

SYSTEM_NS = "http://schemas.datacontract.org/2004/07/System"

# CLR name -> (namespace, XML local name, value type)
PRIMITIVES: dict[str, tuple[str, str, bool]] = {
    "String": (XSD, "string", False),
    "Int32": (XSD, "int", True),
    "Int64": (XSD, "long", True),
    "Int16": (XSD, "short", True),
    "Byte": (XSD, "unsignedByte", True),
    "SByte": (XSD, "byte", True),
    "UInt16": (XSD, "unsignedShort", True),
    "UInt32": (XSD, "unsignedInt", True),
    "UInt64": (XSD, "unsignedLong", True),
    "Boolean": (XSD, "boolean", True),
    "Decimal": (XSD, "decimal", True),
    "Double": (XSD, "double", True),
    "Single": (XSD, "float", True),
    "DateTime": (XSD, "dateTime", True),
    "Object": (XSD, "anyType", False),
    "Uri": (XSD, "anyURI", False),
    "Guid": (WCF_SER, "guid", True),
    "TimeSpan": (WCF_SER, "duration", True),
    "Char": (WCF_SER, "char", True),
}
# CLR value types serialized as data contracts of their own
STRUCTS: dict[str, tuple[str, str]] = {"DateTimeOffset": (SYSTEM_NS, "DateTimeOffset")}
STREAMS = frozenset({"Stream", "IHttpFile", "HttpPostedFile", "IFormFile"})
LISTS = frozenset(
    {
        "List",
        "IList",
        "ICollection",
        "IEnumerable",
        "IReadOnlyList",
        "IReadOnlyCollection",
        "HashSet",
        "ISet",
        "Collection",
        "ObservableCollection",
        "LinkedList",
        "Queue",
        "Stack",
        "SortedSet",
        "ArrayList",
    }
)
DICTS = frozenset(
    {
        "Dictionary",
        "IDictionary",
        "SortedDictionary",
        "SortedList",
        "IReadOnlyDictionary",
        "ConcurrentDictionary",
        "Hashtable",
    }
)
KNOWN = frozenset(PRIMITIVES) | frozenset(STRUCTS) | STREAMS | LISTS | DICTS | {"Nullable"}


class ClrTypeError(ValueError):
    def __init__(self, message: str, pos: int) -> None:
        super().__init__(message)
        self.pos = pos


@dataclass(frozen=True)
class ClrType:
    name: str  # CLR short name: Int32, List, Dictionary, ReportDefinition, QueryResponse
    args: tuple[ClrType, ...] = ()
    nullable: bool = False  # T? (Nullable<T>)
    array: int = 0  # number of [] suffixes

    def __str__(self) -> str:
        """Canonical text (CLR names, no spaces): the form sources are compared in."""
        inner = self.name + (f"<{','.join(str(a) for a in self.args)}>" if self.args else "")
        return inner + ("?" if self.nullable else "") + "[]" * self.array

    def display(self, top: bool = True) -> str:
        """The C# display name ServiceStack shows (aliases at the top level and for top-level arguments)."""
        name = DISPLAY_ALIASES.get(self.name, self.name) if top else self.name
        shown = [(a.display(True) if top and not a.args else a.display(False)) for a in self.args]
        inner = name + (f"<{', '.join(shown)}>" if self.args else "")
        return inner + ("?" if self.nullable else "") + "[]" * self.array

    @property
    def element(self) -> ClrType:
        """The type of the items of an array (one [] less)."""
        return ClrType(self.name, self.args, self.nullable, self.array - 1)

    def names(self) -> set[str]:
        """Every type name this one mentions (itself and its arguments)."""
        out = {self.name}
        for a in self.args:
            out |= a.names()
        return out


def _ident_run(text: str, pos: int) -> int:
    """End of the identifier (letters, digits, _, dots between parts) starting at pos."""
    end = pos
    while end < len(text) and (
        text[end].isalnum()
        or text[end] == "_"
        or (text[end] == "." and end + 1 < len(text) and text[end + 1].isalpha())
    ):
        end += 1
    return end


def _base(name: str, pos: int) -> str:
    if not name or not (name[0].isalpha() or name[0] == "_"):
        raise ClrTypeError(f"expected a type name at {pos}", pos)
    if name in ALIASES:
        return ALIASES[name]
    if name[0].islower():
        raise ClrTypeError(
            f"{name!r} is neither a C# keyword type nor a type name (those start upper-case)", pos
        )
    return name.split("`")[0]


def _finish(name: str, args: tuple[ClrType, ...], nullable: bool, array: int, pos: int) -> ClrType:
    if name == "Nullable":
        if len(args) != 1:
            raise ClrTypeError("Nullable takes one type argument", pos)
        inner = args[0]
        return ClrType(inner.name, inner.args, True, inner.array + array)
    return ClrType(name, args, nullable, array)


def _parse(text: str, pos: int) -> tuple[ClrType, int]:
    """One type at pos (identifier read greedily); returns the type and the position after it."""
    while pos < len(text) and text[pos] == " ":
        pos += 1
    end = _ident_run(text, pos)
    name = _base(text[pos:end], pos)
    if end < len(text) and text[end] == "`":  # CLR arity: List`1
        end += 1
        while end < len(text) and text[end].isdigit():
            end += 1
    return _suffixes(text, end, name, pos)


def _suffixes(text: str, end: int, name: str, start: int) -> tuple[ClrType, int]:
    args: list[ClrType] = []
    if end < len(text) and text[end] == "<":
        end += 1
        while True:
            arg, end = _parse(text, end)
            args.append(arg)
            while end < len(text) and text[end] == " ":
                end += 1
            if end < len(text) and text[end] == ",":
                end += 1
                continue
            if end < len(text) and text[end] == ">":
                end += 1
                break
            raise ClrTypeError(f"expected ',' or '>' at {end}", end)
    nullable = False
    if end < len(text) and text[end] == "?":
        nullable, end = True, end + 1
    array = 0
    while text.startswith("[]", end):
        array, end = array + 1, end + 2
    return _finish(name, tuple(args), nullable, array, start), end


def parse(text: str) -> ClrType:
    """A whole display or CLR type name; raises ClrTypeError."""
    text = text.strip()
    t, end = _parse(text, 0)
    if end != len(text):
        raise ClrTypeError(f"unexpected {text[end:]!r} after the type", end)
    return t


def prefixes(text: str) -> list[tuple[ClrType, int]]:
    """Every reading of a type at the start of run-together text, shortest first.

    Only the length of a plain top-level identifier is open (``GuidYes`` may be ``Guid`` +
    ``Yes``); generic arguments, ``?`` and ``[]`` are delimited and read greedily.
    """
    out: list[tuple[ClrType, int]] = []
    end = _ident_run(text, 0)
    for k in range(1, end + 1):
        name = text[:k]
        if name.endswith("."):
            continue
        try:
            base = _base(name, 0)
            if k < end:
                out.append((_finish(base, (), False, 0, 0), k))
            else:
                out.append(_suffixes(text, k, base, 0))
        except ClrTypeError:
            continue
    return out


def from_metadata(type_name: str, generic_args: list[str] | tuple[str, ...] = ()) -> ClrType:
    """metadata.json's Type + GenericArgs (``Nullable`1`` + ``["Guid"]``, ``String[]``)."""
    text = type_name.strip()
    if "`" in text:
        name, _, rest = text.partition("`")
        suffix = rest.lstrip("0123456789")
        args = tuple(parse(a) for a in generic_args)
        array = suffix.count("[]")
        if suffix.replace("[]", "") or not name:
            raise ClrTypeError(f"cannot read CLR type name {type_name!r}", 0)
        return _finish(_base(name, 0), args, False, array, 0)
    t = parse(text)
    if generic_args and not t.args:
        return _finish(t.name, tuple(parse(a) for a in generic_args), t.nullable, t.array, 0)
    return t


# --- DataContract XML names -------------------------------------------------------------

_SHIFTS = (7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21)
_SINES = tuple(int(abs(math.sin(i + 1)) * 2**32) & 0xFFFFFFFF for i in range(64))
_M = 0xFFFFFFFF


def _wcf_md5(data: bytes) -> bytes:
    """The first 6 bytes of the MD5 variant DataContract.GetNamespacesDigest uses.

    It is MD5 for inputs shorter than one block; for longer ones WCF's own implementation
    pads differently and skips two state updates in the last block, which is reproduced here
    because the names it produces are on the wire.
    """
    n = len(data)
    blocks = (n + 8) // 64 + 1
    aa, bb, cc, dd = 0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476
    for i in range(blocks):
        offset = i * 64
        if offset + 64 > n:
            buf = bytearray(64)
            tail = data[offset:n]
            buf[: len(tail)] = tail
            if offset <= n:
                buf[n - offset] = 0x80
            if i == blocks - 1:
                buf[56], buf[57], buf[58], buf[59] = (
                    (n << 3) & 0xFF,
                    (n >> 5) & 0xFF,
                    (n >> 13) & 0xFF,
                    (n >> 21) & 0xFF,
                )
            block, base = bytes(buf), 0
        else:
            block, base = data, offset
        a, b, c, d = aa, bb, cc, dd
        for j in range(64):
            if j < 16:
                f, g = (b & c) | (~b & d), j
            elif j < 32:
                f, g = (b & d) | (c & ~d), 5 * j + 1
            elif j < 48:
                f, g = b ^ c ^ d, 3 * j + 5
            else:
                f, g = c ^ (b | (~d & _M)), 7 * j
            word = struct.unpack_from("<I", block, (g & 15) * 4 + base)[0]
            shift = _SHIFTS[(j & 3) | ((j >> 2) & ~3)]
            x = (a + (f & _M) + _SINES[j] + word) & _M
            a, d, c, b = d, c, b, (((x << shift) | (x >> (32 - shift))) + b) & _M
        aa, bb = (aa + a) & _M, (bb + b) & _M
        if i < blocks - 1:
            cc, dd = (cc + c) & _M, (dd + d) & _M
    return struct.pack("<II", aa, bb)[:6]


def namespaces_digest(namespaces: str) -> str:
    """WCF's suffix for generic names whose arguments live outside the builtin namespaces."""
    text = base64.b64encode(_wcf_md5(namespaces.encode("utf-8"))).decode("ascii")
    return text.replace("=", "").replace("/", "_S").replace("+", "_P")


def _builtin_ns(ns: str) -> bool:
    return ns in (XSD, WCF_SER)


def collection_ns(item_ns: str) -> str:
    return WCF_ARRAYS if _builtin_ns(item_ns) else item_ns


@dataclass(frozen=True)
class Named:
    """A user type the XML mapping must know: its XML namespace and whether it is a value type."""

    namespace: str
    value_type: bool = False  # enums and structs


class XmlTypes:
    """ClrType -> (XML type QName, nillable), creating the WCF collection types on the way."""

    def __init__(self, named: dict[str, Named]) -> None:
        self.named = named
        self.created: dict[str, ir.TypeDef] = {}
        self.problems: list[str] = []  # one message per type the mapping had to guess
        self.generic_uses: dict[str, ClrType] = (
            {}
        )  # QName -> a generic user type with its arguments

    def _problem(self, message: str) -> None:
        if message not in self.problems:
            self.problems.append(message)

    def is_value_type(self, t: ClrType) -> bool:
        if t.array or t.nullable:
            return False
        if t.name in PRIMITIVES:
            return PRIMITIVES[t.name][2]
        if t.name in STRUCTS:
            return True
        known = self.named.get(t.name)
        return bool(known and known.value_type)

    def nillable(self, t: ClrType) -> bool:
        return t.nullable or not self.is_value_type(t)

    def stable_name(self, t: ClrType) -> tuple[str, str]:
        """(namespace, local name) of t's data contract, creating collection types as needed."""
        if t.array:
            if t.name == "Byte" and t.array == 1 and not t.nullable:
                return XSD, "base64Binary"
            return self._list(t.element, t)
        if t.name in PRIMITIVES:
            ns, local, _ = PRIMITIVES[t.name]
            return ns, local
        if t.name in STRUCTS:
            ns, local = STRUCTS[t.name]
            self._struct(t.name)
            return ns, local
        if t.name in STREAMS:
            self._problem(
                f"{t.display()} (a file upload or download) cannot travel in a SOAP body; read as base64 binary"
            )
            return XSD, "base64Binary"
        if t.name in LISTS:
            if len(t.args) != 1:
                self._problem(
                    f"{t.display()}: a list needs one type argument; read as a list of string"
                )
                return self._list(ClrType("String"), t)
            return self._list(t.args[0], t)
        if t.name in DICTS:
            if len(t.args) != 2:
                self._problem(
                    f"{t.display()}: a dictionary needs two type arguments; read as Dictionary<string, string>"
                )
                return self._dict(ClrType("String"), ClrType("String"))
            return self._dict(t.args[0], t.args[1])
        known = self.named.get(t.name)
        if known is None:  # the reader reports undefined types with their place (SS014)
            return XSD, "string"
        if t.args:
            arg_names = [self.stable_name(a) for a in t.args]
            local = t.name + "Of" + "".join(local for _, local in arg_names)
            if not all(_builtin_ns(ns) for ns, _ in arg_names):
                local += namespaces_digest(
                    f" {len(arg_names)}" + "".join(f" {ns}" for ns, _ in arg_names)
                )
            self.generic_uses.setdefault(qname(known.namespace, local), ClrType(t.name, t.args))
            return known.namespace, local
        return known.namespace, t.name

    def type_name(self, t: ClrType) -> str:
        ns, local = self.stable_name(t)
        return qname(ns, local)

    def _list(self, item: ClrType, whole: ClrType) -> tuple[str, str]:
        item_ns, item_local = self.stable_name(item)
        ns, local = collection_ns(item_ns), "ArrayOf" + item_local
        name = qname(ns, local)
        field = ir.Field(item_local, ns, qname(item_ns, item_local), 0, None, self.nillable(item))
        old = self.created.get(name)
        if isinstance(old, ir.ArrayType) and old.item != field:
            self._problem(
                f"{whole.display()} and another list share the WCF name {local} with different items; the first is kept"
            )
        elif old is None:
            self.created[name] = ir.ArrayType(name, field)
        return ns, local

    def _dict(self, key: ClrType, value: ClrType) -> tuple[str, str]:
        kns, klocal = self.stable_name(key)
        vns, vlocal = self.stable_name(value)
        pair = f"KeyValueOf{klocal}{vlocal}"
        if not (_builtin_ns(kns) and _builtin_ns(vns)):
            pair += namespaces_digest(f" 2 {kns} {vns}")
        local = "ArrayOf" + pair
        name = qname(WCF_ARRAYS, local)
        if name not in self.created:
            self.created[name] = ir.DictType(
                name,
                qname(WCF_ARRAYS, pair),
                ir.Field("Key", WCF_ARRAYS, qname(kns, klocal), 1, 1, self.nillable(key)),
                ir.Field("Value", WCF_ARRAYS, qname(vns, vlocal), 1, 1, self.nillable(value)),
            )
        return WCF_ARRAYS, local

    def _struct(self, name: str) -> None:
        if name == "DateTimeOffset":
            qn = qname(SYSTEM_NS, "DateTimeOffset")
            self.created.setdefault(
                qn,
                ir.ComplexType(
                    qn,
                    (
                        ir.Field("DateTime", SYSTEM_NS, qname(XSD, "dateTime")),
                        ir.Field("OffsetMinutes", SYSTEM_NS, qname(XSD, "short")),
                    ),
                    doc="System.DateTimeOffset as DataContract serialization writes it.",
                ),
            )
