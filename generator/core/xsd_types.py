"""XML Schema builtin types and how they surface in Python.

One table: the xsd local name -> (codec kind, Python annotation, default literal for a
non-nillable value that may be absent, the runtime codec). The codec kind names the runtime's
fmt_/parse_ pair; the key names the entry of the runtime's ``CODECS`` (templates/runtime/xsd.py)
that holds the same pair, with which soapgen reads doc-sample values.
"""

from __future__ import annotations

from dataclasses import dataclass

from .ir import WCF_SER, XSD, split_qname


@dataclass(frozen=True)
class Builtin:
    codec: str  # runtime fmt_<codec> / parse_<codec>; "str": the element's text as it is
    annotation: str  # as written in generated modules (stdlib modules imported with _ prefixes)
    default: str | None  # Python literal for the plain-typed default; None: no plain default
    key: str  # the runtime's CODECS entry whose parse/format are parse_<codec>/fmt_<codec>


# The string types (and the g* types, held as text) are read and written as xs:string: the
# text as it is, without their whitespace normalisation or lexical checks (a documented
# leniency; the runtime's CODECS has the strict codecs).
_STR = Builtin("str", "str", '""', "string")


def _int(codec: str, key: str, default: str | None = "0") -> Builtin:
    return Builtin(codec, "int", default, key)


BUILTINS: dict[str, Builtin] = {
    "string": _STR,
    "normalizedString": _STR,
    "token": _STR,
    "language": _STR,
    "Name": _STR,
    "NCName": _STR,
    "NMTOKEN": _STR,
    "NMTOKENS": _STR,  # the list types, held as their text
    "IDREFS": _STR,
    "ENTITIES": _STR,
    "ID": _STR,
    "IDREF": _STR,
    "ENTITY": _STR,
    "anyURI": _STR,
    "QName": _STR,
    "NOTATION": _STR,
    "anySimpleType": _STR,
    "anyType": _STR,
    "boolean": Builtin("bool", "bool", "False", "boolean"),
    # every integer type checks its range when read and written
    "int": _int("int32", "int"),
    "integer": _int("int", "integer"),
    "long": _int("int64", "long"),
    "short": _int("int16", "short"),
    "byte": _int("int8", "byte"),
    "nonNegativeInteger": _int("nonnegint", "nonNegativeInteger"),
    "nonPositiveInteger": _int("nonposint", "nonPositiveInteger"),
    # 0 is none of their values: absent means None
    "negativeInteger": _int("negint", "negativeInteger", None),
    "positiveInteger": _int("posint", "positiveInteger", None),
    "unsignedLong": _int("uint64", "unsignedLong"),
    "unsignedInt": _int("uint32", "unsignedInt"),
    "unsignedShort": _int("uint16", "unsignedShort"),
    "unsignedByte": _int("uint8", "unsignedByte"),
    "float": Builtin("float32", "float", "0.0", "float"),
    "double": Builtin("float", "float", "0.0", "double"),
    "decimal": Builtin("decimal", "_decimal.Decimal", '_decimal.Decimal("0")', "decimal"),
    "dateTime": Builtin("datetime", "_dt.datetime", "_dt.datetime(1, 1, 1)", "dateTime"),
    "date": Builtin("date", "_dt.date", "_dt.date(1, 1, 1)", "date"),
    "time": Builtin("time", "_dt.time", "_dt.time()", "time"),
    "duration": Builtin("duration", "_dt.timedelta", "_dt.timedelta()", "duration"),
    "base64Binary": Builtin("base64", "bytes", 'b""', "base64Binary"),
    "hexBinary": Builtin("hex", "bytes", 'b""', "hexBinary"),
    "gYear": _STR,
    "gYearMonth": _STR,
    "gMonth": _STR,
    "gMonthDay": _STR,
    "gDay": _STR,
}

# WCF's serialization namespace declares a few simple types as restrictions of builtins;
# they are read from the schema as aliases, but guid deserves a real UUID.
GUID = Builtin("uuid", "_uuid.UUID", "_uuid.UUID(int=0)", "wcf:guid")
WCF_SPECIAL: dict[str, Builtin] = {
    "guid": GUID,
    "char": _int("char", "wcf:char"),
    "duration": BUILTINS["duration"],
}

# runtime codec name -> CODECS key (what the generator reads doc-sample values with)
CODEC_KEYS: dict[str, str] = {b.codec: b.key for b in [*BUILTINS.values(), *WCF_SPECIAL.values()]}
# the codecs whose values are ints and floats (JSON writes them as numbers)
INT_CODECS = frozenset(b.codec for b in BUILTINS.values() if b.annotation == "int") | {"char"}
FLOAT_CODECS = frozenset({"float", "float32"})


def builtin(type_name: str) -> Builtin | None:
    ns, local = split_qname(type_name)
    if ns == XSD:
        return BUILTINS.get(local)
    if ns == WCF_SER:
        return WCF_SPECIAL.get(local)
    return None


def is_xsd(type_name: str) -> bool:
    return split_qname(type_name)[0] == XSD
