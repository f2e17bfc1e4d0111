"""The plan: frozen, typed views of what a version package will contain, with every decision
made (Python names, annotations, defaults, how each value is written and read, imports, which
types are shared, the error class, the facade's headers). Templates only read these.

Strings called ``*_expr`` are Python expressions and ``*_lit`` Python literals, ready to be
placed in code; everything else is a plain value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

STD_MODULES = {
    "_dc.": "dataclasses as _dc",
    "_dt.": "datetime as _dt",
    "_decimal.": "decimal as _decimal",
    "_enum.": "enum as _enum",
    "_uuid.": "uuid as _uuid",
}


def std_imports(code: list[str]) -> tuple[str, ...]:
    """The standard modules (imported with an underscore alias) that pieces of code use."""
    return tuple(
        sorted(mod for prefix, mod in STD_MODULES.items() if any(prefix in c for c in code))
    )


@dataclass(frozen=True)
class ValuePlan:
    """How a value of one type is annotated, written and read."""

    kind: str  # scalar | enum | flags | record | array | dict | any (xs:anyType: by xsi:type)
    annotation: str  # e.g. "int", "list[Ticket | None]"
    reader_expr: str  # the runtime Value that reads it, e.g. '_rt.scalar("int", int)'
    codec: str = ""  # scalar: the XML Schema type ("int", "dateTime", "wcf:guid")
    write: str = ""  # scalar: how the writer formats it: str | int | bool | call
    fmt: str = ""  # scalar, write == "call": the runtime function formatting it
    cls: str = ""  # enum, flags, record: the class
    text_safe: bool = True  # enum: no wire value needs escaping
    item: ValuePlan | None = None  # array: the item; dict: the value
    item_tag: str = ""  # array, dict: the item's (value's) prefixed tag, e.g. "n3:int"
    item_nillable: bool = False
    item_xsi_type: str = ""  # a SOAP-encoded array: its items' prefixed xsi:type ("" records)
    encoded: bool = False  # array: SOAP-encoded (items of any name, each with its xsi:type)
    key: ValuePlan | None = None  # dict: the key
    key_tag: str = ""
    pair_tag: str = ""
    default_expr: str | None = None  # the plain default (a value type's zero), if any
    default_text: str | None = None  # its lexical form, as the client writes it


@dataclass(frozen=True)
class FieldPlan:
    """One field of a record, or a parameter or result of an operation."""

    py: str
    wire: str  # local name
    tag_lit: str  # Clark name literal, e.g. '"{urn:x}Name"'
    prefixed: str  # the tag as generated markup writes it, e.g. "n2:Name"
    value: ValuePlan
    annotation: str  # as the field is declared (with | None, list[...])
    default_expr: str | None  # None: required
    optional: bool  # None is allowed (and means absent)
    nillable: bool
    repeated: bool
    attribute: bool = False
    text: bool = False  # simpleContent: the element's own text
    nil_when_none: bool = False  # a nillable element the schema requires: None is xsi:nil
    doc: str = ""
    secret: bool = False


@dataclass(frozen=True)
class RecordPlan:
    """A record class (a complex type), declared and bound to its wire format."""

    py: str
    qname_lit: str
    xsi_type: str  # prefixed type name, for xsi:type
    base: str | None  # the base record class
    doc: str  # docstring literal (with Attributes:)
    fields: tuple[FieldPlan, ...]  # own fields, in wire order
    has_content: bool  # writes element content of its own
    has_attrs: bool
    secret: tuple[str, ...] = ()  # field names its repr hides
    is_root: bool = True  # no record base: declares nil_fields


@dataclass(frozen=True)
class EnumMember:
    py: str
    value_lit: str  # the member's value: the wire literal, or the flag's number
    wire_lit: str


@dataclass(frozen=True)
class EnumPlan:
    py: str
    doc: str  # docstring literal
    flags: bool
    members: tuple[EnumMember, ...]
    canonical: tuple[EnumMember, ...]  # flags: the single-bit members, in order


@dataclass(frozen=True)
class ModuleTypes:
    """The types one module declares, in declaration order (bases first)."""

    enums: tuple[EnumPlan, ...] = ()
    records: tuple[RecordPlan, ...] = ()


@dataclass(frozen=True)
class HeaderPlan:
    """A SOAP header part a client sends (a client attribute) or reads from a reply."""

    py: str
    part: str
    field: FieldPlan  # how it is written/read (tag, value)
    type_names: tuple[str, ...] = ()  # the classes its annotation names


@dataclass(frozen=True)
class ShortcutPlan:
    """A constructor argument setting a one-field header: ticket= for Credentials.Ticket."""

    py: str
    header: str  # the header attribute it sets
    cls: str  # the header's record class
    field: str  # the record's field
    annotation: str


@dataclass(frozen=True)
class FaultPlan:
    cls: str
    tag_lit: str
    value: ValuePlan
    doc: str


@dataclass(frozen=True)
class OperationPlan:
    name: str
    py: str
    action: str
    doc: str  # docstring literal (indented for a method)
    params: tuple[FieldPlan, ...]
    required_params: tuple[FieldPlan, ...]  # positional, in order
    optional_params: tuple[FieldPlan, ...]  # keyword-only, default None
    returns: str  # annotation
    result_record: RecordPlan | None  # several results: their record class
    build_kind: str  # bare | wrapper | fstring | value (a simple-typed body) | empty
    build_fstring: str  # build_kind fstring: the body as one f-string expression
    input_tag: str  # the request wrapper's prefixed tag
    request_lit: str  # the request Body element's Clark literal
    bare_cls: str  # build_kind bare: the request record class
    header_parts: tuple[str, ...]
    response_lit: str  # the response element's Clark literal, or "None"
    result_expr: str  # the runtime Result
    faults_expr: str  # "None" or the Faults expression
    error_field_lit: str  # "None" or ("field", "code")
    json: bool  # has a JSON twin (bare request and response)
    json_result: str  # the response record class (JSON)
    safe_to_repeat: bool = False  # the profile's repeatable names it (and not_repeatable not)


@dataclass(frozen=True)
class AgentPlan:
    name: str  # wire name, e.g. "Ticket"
    module: str  # e.g. "ticket"
    client_cls: str
    json_cls: str
    endpoint: str
    soap_version: str
    soap_versions: tuple[str, ...]  # bound for several: a constructor argument chooses
    ns_decls_lit: str
    ns_constants: tuple[tuple[str, str], ...]  # (name, literal): "{namespace}" for Clark names
    header_doc: str  # the module docstring
    client_doc: str
    async_doc: str
    types: ModuleTypes
    imports: tuple[str, ...]  # names imported from the shared types module
    in_headers: tuple[HeaderPlan, ...]
    shortcuts: tuple[ShortcutPlan, ...]
    out_headers: tuple[HeaderPlan, ...]
    faults: tuple[FaultPlan, ...]
    operations: tuple[OperationPlan, ...]
    error_header_py: str  # the response header that carries errors ("" if none)
    error_cls: str
    json: bool
    error_bodies: bool
    exports: tuple[str, ...]
    std_imports: tuple[str, ...]  # e.g. "datetime as _dt"


@dataclass(frozen=True)
class ErrorPlan:
    """The version's service error class (NetServerError, ServiceStackError)."""

    cls: str
    info_cls: str  # the record it carries
    header: str  # the header carrying it ("" for a response field)
    attrs: tuple[str, ...]  # the record's fields, copied onto the exception
    message_expr: str


@dataclass(frozen=True)
class FacadeHeader:
    py: str
    annotation: str


@dataclass(frozen=True)
class SignInMethodPlan:
    """A sign-in operation: which SignIn uses it and where its result holds what."""

    method: str  # the runtime SignInSpec method: "password" | "token"
    module: str  # the agent module declaring it
    op_var: str  # its Operation in that module, e.g. "_OP_authenticate_username_password"
    name: str  # the wire operation name
    credentials: str  # the result field holding the ticket header's record
    succeeded: str  # the result's boolean success field ("" if none)
    principal: str  # the result's field describing who signed in ("" if none)


@dataclass(frozen=True)
class SignInPlan:
    """How the facade signs in (the profile's ticket_header and sign-in operations)."""

    header: str  # the request header part carrying the ticket ("Credentials")
    header_cls: str  # its record class
    ticket_field: str  # the record's field holding the ticket
    agent: str  # the facade attribute (agent module) whose client signs in
    methods: tuple[SignInMethodPlan, ...]
    principal_annotation: str  # e.g. "SoPrincipalCarrier | None"
    imports: tuple[tuple[str, tuple[str, ...]], ...]  # (module, names) the facade imports
    runtime_names: tuple[str, ...]  # what the package re-exports from the runtime for it
    renew_after_lit: str  # seconds, or "None"
    rejected_expr: str  # the default RejectedTicket
    ticket_ops: int  # how many operations send the ticket header
    repeatable_ops: int  # how many of those are safe to repeat


@dataclass(frozen=True)
class VersionPlan:
    api: str  # wire name of the API folder
    api_py: str
    name: str  # e.g. Services88
    py: str  # e.g. services88
    facade: str
    header_doc: str  # docstring of the shared types module
    init_doc: str  # docstring of the package
    types: ModuleTypes  # the shared types module
    exports: tuple[str, ...]  # the shared module's public names
    error: ErrorPlan | None
    agents: tuple[AgentPlan, ...]
    facade_headers: tuple[FacadeHeader, ...]
    facade_header_types: tuple[str, ...]  # shared classes the facade's annotations name
    agent_headers: dict[str, tuple[str, ...]] = field(default_factory=dict)  # module -> headers
    init_exports: tuple[str, ...] = ()  # the package's public names
    ns_constants: tuple[tuple[str, str], ...] = ()  # as AgentPlan.ns_constants
    std_imports: tuple[str, ...] = ()  # of the shared types module
    sign_in: SignInPlan | None = None  # the facade's sign-in, if the version has one
