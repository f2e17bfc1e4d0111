"""XML Schema builtin types and how they surface in Python.

One table: the xsd local name -> (codec kind, Python annotation, default literal for a
non-nillable value that may be absent). The codec kind names the runtime's fmt_/parse_ pair.
"""

from __future__ import annotations

from dataclasses import dataclass

from .ir import WCF_SER, XSD, split_qname


@dataclass(frozen=True)
class Builtin:
    codec: str  # runtime fmt_<codec> / parse_<codec>
    annotation: str  # as written in generated modules (stdlib modules imported with _ prefixes)
    default: str | None  # Python literal for the plain-typed default; None: no plain default


_STR = Builtin("str", "str", '""')
_INT = Builtin("int", "int", "0")
_FLOAT = Builtin("float", "float", "0.0")

BUILTINS: dict[str, Builtin] = {
    "string": _STR,
    "normalizedString": _STR,
    "token": _STR,
    "language": _STR,
    "Name": _STR,
    "NCName": _STR,
    "NMTOKEN": _STR,
    "ID": _STR,
    "IDREF": _STR,
    "ENTITY": _STR,
    "anyURI": _STR,
    "QName": _STR,
    "NOTATION": _STR,
    "anySimpleType": _STR,
    "anyType": _STR,
    "boolean": Builtin("bool", "bool", "False"),
    "int": _INT,
    "integer": _INT,
    "long": _INT,
    "short": _INT,
    "byte": _INT,
    "nonNegativeInteger": _INT,
    "nonPositiveInteger": _INT,
    "negativeInteger": _INT,
    "positiveInteger": _INT,
    "unsignedLong": _INT,
    "unsignedInt": _INT,
    "unsignedShort": _INT,
    "unsignedByte": _INT,
    "float": _FLOAT,
    "double": _FLOAT,
    "decimal": Builtin("decimal", "_decimal.Decimal", '_decimal.Decimal("0")'),
    "dateTime": Builtin("datetime", "_dt.datetime", "_dt.datetime(1, 1, 1)"),
    "date": Builtin("date", "_dt.date", "_dt.date(1, 1, 1)"),
    "time": Builtin("time", "_dt.time", "_dt.time()"),
    "duration": Builtin("duration", "_dt.timedelta", "_dt.timedelta()"),
    "base64Binary": Builtin("base64", "bytes", 'b""'),
    "hexBinary": Builtin("base64", "bytes", 'b""'),
    "gYear": _STR,
    "gYearMonth": _STR,
    "gMonth": _STR,
    "gMonthDay": _STR,
    "gDay": _STR,
}

# WCF's serialization namespace declares a few simple types as restrictions of builtins;
# they are read from the schema as aliases, but guid deserves a real UUID.
GUID = Builtin("uuid", "_uuid.UUID", "_uuid.UUID(int=0)")
WCF_SPECIAL: dict[str, Builtin] = {"guid": GUID, "char": _INT, "duration": BUILTINS["duration"]}


def builtin(type_name: str) -> Builtin | None:
    ns, local = split_qname(type_name)
    if ns == XSD:
        return BUILTINS.get(local)
    if ns == WCF_SER:
        return WCF_SPECIAL.get(local)
    return None


def is_xsd(type_name: str) -> bool:
    return split_qname(type_name)[0] == XSD
