"""The intermediate representation: frozen dataclasses with a JSON round-trip.

Names of XML things are Clark QNames, ``{namespace}local``. Every definition keeps its wire
name; Python names are filled in by :mod:`soapgen.config.naming` (empty until then). Source
locations (file, line) ride along so later stages can point at the input.

Api > Version > Service (agent) > Operation; types and global elements per service, as its
WSDL (or its samples, when inferred) define them. Which definitions are shared by a version's
agents is decided later (:mod:`soapgen.merge.layout`), by comparing definitions.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from dataclasses import dataclass
from typing import Any, Union

XSD = "http://www.w3.org/2001/XMLSchema"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"
SOAP_ENC = "http://schemas.xmlsoap.org/soap/encoding/"  # the xml: prefix, bound by definition
SOAP11_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12_ENV = "http://www.w3.org/2003/05/soap-envelope"
WCF_SER = "http://schemas.microsoft.com/2003/10/Serialization/"
WCF_ARRAYS = "http://schemas.microsoft.com/2003/10/Serialization/Arrays"


def qname(namespace: str, local: str) -> str:
    return f"{{{namespace}}}{local}" if namespace else local


def split_qname(name: str) -> tuple[str, str]:
    if name.startswith("{"):
        ns, _, local = name[1:].partition("}")
        return ns, local
    return "", name


def local_name(name: str) -> str:
    return split_qname(name)[1]


@dataclass(frozen=True)
class Loc:
    file: str = ""
    line: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class Field:
    """An element (or attribute) of a complex type, or a message part / wrapper child."""

    name: str  # wire local name
    namespace: str  # element namespace ("" when unqualified)
    type: str  # Clark QName of the type (xsd builtins in the XSD namespace)
    min_occurs: int = 1
    max_occurs: int | None = 1  # None: unbounded
    nillable: bool = False
    attribute: bool = False
    choice: bool = False  # a branch of xs:choice: present only when chosen
    doc: str = ""
    py_name: str = ""

    @property
    def repeated(self) -> bool:
        return self.max_occurs is None or self.max_occurs > 1

    @property
    def qname(self) -> str:
        return qname(self.namespace, self.name)


@dataclass(frozen=True)
class ComplexType:
    name: str
    fields: tuple[Field, ...] = ()
    base: str | None = None
    abstract: bool = False
    content_type: str | None = None  # simpleContent: the type of the text value
    anonymous: bool = False  # synthesized for an element's inline type
    inferred: bool = False  # from samples' xsi:type, not from a schema
    doc: str = ""
    loc: Loc = Loc()
    py_name: str = ""
    kind: str = "complex"


@dataclass(frozen=True)
class EnumValue:
    wire: str
    number: int | None = None  # explicit EnumerationValue, or implied by position
    py_name: str = ""


@dataclass(frozen=True)
class EnumType:
    name: str
    values: tuple[EnumValue, ...] = ()
    flags: bool = False  # xs:list of enumerations: a WCF [Flags] enum
    base: str = qname(XSD, "string")
    loc: Loc = Loc()
    py_name: str = ""
    kind: str = "enum"


@dataclass(frozen=True)
class ArrayType:
    """A WCF ArrayOfX (one repeated element) or a SOAP-encoded array; surfaces as ``list[T]``."""

    name: str
    item: Field = Field("", "", "")
    loc: Loc = Loc()
    py_name: str = ""
    kind: str = "array"
    encoded: bool = False  # a SOAP-encoded array (soapenc:Array): items of any name, xsi:type


@dataclass(frozen=True)
class DictType:
    """A WCF dictionary (IsDictionary appinfo): repeated Key/Value pairs; ``dict[K, V]``."""

    name: str
    pair: str = ""  # Clark QName of the pair element
    key: Field = Field("Key", "", "")
    value: Field = Field("Value", "", "")
    loc: Loc = Loc()
    py_name: str = ""
    kind: str = "dict"


@dataclass(frozen=True)
class AliasType:
    """A simple type restricting a builtin without enumerations (ser:guid, ser:char, ...)."""

    name: str
    base: str = qname(XSD, "string")
    loc: Loc = Loc()
    py_name: str = ""
    kind: str = "alias"


TypeDef = ComplexType | EnumType | ArrayType | DictType | AliasType


@dataclass(frozen=True)
class Element:
    """A global element declaration."""

    name: str
    type: str
    nillable: bool = False
    loc: Loc = Loc()


@dataclass(frozen=True)
class Part:
    name: str
    element: str | None = None
    type: str | None = None


@dataclass(frozen=True)
class Header:
    part: str
    element: str  # a part of a type: the unqualified element named after the part
    required: bool = False
    type: str | None = None  # a part of a type: its type (else the element's)


@dataclass(frozen=True)
class Fault:
    name: str
    element: str | None = None


@dataclass(frozen=True)
class Sample:
    xml: str
    loc: Loc = Loc()


@dataclass(frozen=True)
class Operation:
    name: str
    soap_action: str = ""
    style: str = "document"  # document | rpc
    rpc_namespace: str = ""  # rpc style: the soap:body namespace of the operation wrappers
    input_parts: tuple[Part, ...] = ()
    output_parts: tuple[Part, ...] = ()
    input_headers: tuple[Header, ...] = ()
    output_headers: tuple[Header, ...] = ()
    faults: tuple[Fault, ...] = ()
    one_way: bool = False
    description: str = ""
    param_docs: tuple[tuple[str, str], ...] = ()
    returns_doc: str = ""
    request_sample: Sample | None = None
    response_sample: Sample | None = None
    loc: Loc = Loc()
    doc_loc: Loc = Loc()
    py_name: str = ""

    @property
    def input_element(self) -> str | None:
        if self.style == "rpc":
            return qname(self.rpc_namespace, self.name)
        if len(self.input_parts) == 1:
            return self.input_parts[0].element
        return None

    @property
    def output_element(self) -> str | None:
        if self.style == "rpc":
            return qname(self.rpc_namespace, self.name + "Response")
        if len(self.output_parts) == 1:
            return self.output_parts[0].element
        return None


@dataclass(frozen=True)
class Service:
    name: str  # the agent, e.g. "Ticket"
    namespace: str = ""  # target namespace of the WSDL
    endpoint: str = ""  # path below the base URL, e.g. Remote/Services88/Ticket.svc
    address: str = ""  # the WSDL's soap:address location
    soap_version: str = "1.1"  # the one a client speaks unless told otherwise
    soap_versions: tuple[str, ...] = ()  # bound for several: the client may speak each
    operations: tuple[Operation, ...] = ()
    types: tuple[TypeDef, ...] = ()
    elements: tuple[Element, ...] = ()
    wsdl_loc: Loc = Loc()
    inferred: bool = False
    origin: str = "wsdl"  # wsdl | servicestack (the reader that made it)
    # the WSDL's XML Schema as files (name, text; all.xsd imports the rest): shipped with the
    # generated package for its mock server; () when the input had none (ServiceStack)
    schema_files: tuple[tuple[str, str], ...] = ()
    py_name: str = ""


@dataclass(frozen=True)
class Version:
    name: str  # e.g. "Services88"
    services: tuple[Service, ...] = ()
    py_name: str = ""


@dataclass(frozen=True)
class Api:
    name: str  # e.g. "superoffice"
    kind: str = "wsdl"  # wsdl | servicestack
    versions: tuple[Version, ...] = ()
    client_name: str = "Client"
    py_name: str = ""


# --- JSON round-trip ------------------------------------------------------------------

_CLASSES: dict[str, type] = {
    c.__name__: c
    for c in (
        Loc,
        Field,
        ComplexType,
        EnumValue,
        EnumType,
        ArrayType,
        DictType,
        AliasType,
        Element,
        Part,
        Header,
        Fault,
        Sample,
        Operation,
        Service,
        Version,
        Api,
    )
}


def to_json_obj(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {"@": type(value).__name__}
        for f in dataclasses.fields(value):
            out[f.name] = to_json_obj(getattr(value, f.name))
        return out
    if isinstance(value, tuple):
        return [to_json_obj(v) for v in value]
    return value


def from_json_obj(value: Any) -> Any:
    if isinstance(value, dict) and "@" in value:
        cls = _CLASSES[value["@"]]
        hints = typing.get_type_hints(cls)
        kwargs = {}
        for f in dataclasses.fields(cls):
            if f.name in value:
                kwargs[f.name] = _coerce(hints[f.name], from_json_obj(value[f.name]))
        return cls(**kwargs)
    if isinstance(value, list):
        return [from_json_obj(v) for v in value]
    return value


def _coerce(hint: Any, value: Any) -> Any:
    """Lists come back as tuples where the field is a tuple (also nested pairs)."""
    if isinstance(value, list):
        origin = typing.get_origin(hint)
        if origin in (Union, types.UnionType):
            for arg in typing.get_args(hint):
                if typing.get_origin(arg) is tuple:
                    hint, origin = arg, tuple
                    break
        if origin is tuple:
            args = typing.get_args(hint)
            inner = args[0] if args else Any
            return tuple(_coerce(inner, v) for v in value)
    return value


def dumps(value: Any) -> str:
    return json.dumps(to_json_obj(value), indent=1, sort_keys=True, ensure_ascii=False)


def loads(text: str) -> Any:
    return from_json_obj(json.loads(text))
