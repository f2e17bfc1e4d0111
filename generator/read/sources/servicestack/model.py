"""The ServiceStack model: what one file describes (:class:`Source`), what the sources of one
version merge into (:class:`ApiModel`), the diagnostic codes, the vocabulary the readers share
and ServiceStack's built-in DTOs. Imports nothing else of the package."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ....core import ir
from ....core.diagnostics import Diagnostic, error, info, warning
from .. import clr_types as clr
from ..clr_types import ClrType

NS = "http://schemas.servicestack.net/types"
ENDPOINT = "soap12"


CODES: dict[str, str] = {
    "SS001": "file cannot be read, is not UTF-8, or is empty",
    "SS002": "metadata.json is not valid JSON",
    "SS003": "metadata.json has no operations (or an operation without a request type)",
    "SS004": "metadata page without an operation name (h2 / the line after '<back to all web services')",
    "SS005": "data type does not follow the CLR type grammar; the property is read as string",
    "SS006": "copied-text table row cannot be split into name, parameter, data type, required and description",
    "SS007": "copied-text table row can be split more than one way; the reading used is named",
    "SS008": "copied-text header line may be a tag or a description",
    "SS009": "copied-text route line: verbs, path and summary are run together; the split is a guess",
    "SS010": "sample request or response is not well-formed (XML or JSON); not attached",
    "SS011": "sample shows a member that no table or metadata.json declares",
    "SS012": "sample root element or namespace is not the one the operation implies",
    "SS013": "two sources of the same API disagree (both files and lines named); the authoritative one is used",
    "SS014": "a property refers to a type that no table, metadata.json or ServiceStack built-in defines",
    "SS015": "a CLR type has no faithful SOAP/DataContract shape (streams, clashing collection names)",
    "SS016": "base class inferred from the order of the tables; it may belong to another type",
    "SS017": "response DTO is not named <Operation>Response (the name on the wire is used)",
    "SS018": "the sample's element order differs from the declared property order; the sample (wire) order is used",
    "SS019": "malformed table (missing cells, no caption, no rows)",
    "SS020": "a version folder holds ServiceStack files but no operation could be read",
    "SS021": "copied-text enum row: name and value run together ambiguously",
    "SS022": "sources name different hosts or base URLs (informational)",
    "SS023": "a type or operation is described twice differently within one file",
}


# --- the model ----------------------------------------------------------------------------


@dataclass
class Prop:
    name: str
    type: ClrType | None
    type_text: str  # as the source wrote it
    param: str = ""  # path | query | body | form | header (as shown, or computed for metadata.json)
    required: bool = False
    description: str = ""
    allowable: tuple[str, ...] = ()
    range: tuple[str, str] | None = None
    value_type: bool | None = None  # metadata.json IsValueType
    wire_name: str = ""  # [DataMember(Name)]
    order: int | None = None  # [DataMember(Order)]
    line: int = 0

    @property
    def wire(self) -> str:
        return self.wire_name or self.name


@dataclass
class EnumMember:
    name: str
    value: int | None = None
    wire: str = ""  # [EnumMember(Value)]
    description: str = ""
    line: int = 0


@dataclass
class Dto:
    name: str
    file: str
    line: int
    kind: str  # json | html | text | builtin
    namespace: str = ""  # CLR namespace (metadata.json)
    base: str | None = None
    base_inferred: bool = False  # from table order / samples, not stated
    base_args: tuple[ClrType, ...] = ()  # a generic base: QueryDb<Report>
    props: list[Prop] = field(default_factory=list)
    enum: bool = False
    members: list[EnumMember] = field(default_factory=list)
    flags: bool = False
    description: str = ""
    abstract: bool = False
    value_type: bool = False
    generic_params: tuple[str, ...] = ()

    @property
    def loc(self) -> ir.Loc:
        return ir.Loc(self.file, self.line)


@dataclass
class Route:
    path: str
    verbs: str = ""  # "GET", "GET,POST"; "" for all verbs
    summary: str = ""
    notes: str = ""
    line: int = 0


@dataclass
class Block:
    """One sample: the HTTP start line, headers and body as the page shows them."""

    start: str
    headers: tuple[tuple[str, str], ...]
    body: str
    line: int  # file line of the start line
    body_line: int  # file line of the body's first line (0: no body)

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k.lower() == name.lower()), "")


@dataclass
class Samples:
    fmt: str  # soap12 | soap11 | json | xml | jsv | csv ...
    request: Block | None = None
    response: Block | None = None
    file: str = ""


@dataclass
class Op:
    name: str
    file: str
    line: int
    kind: str
    request: str = ""
    response: str | None = None
    response_args: tuple[ClrType, ...] = ()  # a generic response: QueryResponse<Report>
    description: str = ""
    tags: tuple[str, ...] = ()
    routes: list[Route] = field(default_factory=list)
    routes_complete: bool = False  # verbs and paths shown (metadata.json, REST pages)
    requires_auth: bool | None = None
    auth: dict[str, tuple[str, ...]] = field(default_factory=dict)  # label -> roles/permissions
    method: str = ""
    actions: tuple[str, ...] = ()
    samples: dict[str, Samples] = field(default_factory=dict)
    returns_void: bool = False

    @property
    def loc(self) -> ir.Loc:
        return ir.Loc(self.file, self.line)


@dataclass
class Source:
    """What one file describes."""

    path: str
    kind: str  # json | html | text
    title: str = ""
    title_line: int = 0
    host: str = ""
    host_line: int = 0
    base_url: str = ""
    namespace: str = ""  # XML namespace the samples show
    ops: dict[str, Op] = field(default_factory=dict)
    dtos: dict[str, Dto] = field(default_factory=dict)
    # ambiguity warnings, emitted at merge time unless a metadata.json settles them:
    # (diagnostic, dto or op name it concerns)
    pending: list[tuple[Diagnostic, str]] = field(default_factory=list)


@dataclass
class ApiModel:
    """One API version, merged from its sources."""

    title: str = ""
    namespace: str = NS
    base_url: str = ""
    host: str = ""
    ops: dict[str, Op] = field(default_factory=dict)
    dtos: dict[str, Dto] = field(default_factory=dict)
    sources: list[Source] = field(default_factory=list)
    has_metadata_json: bool = False

    def chain(self, name: str) -> list[Dto]:
        """The DTO and its base classes, most derived first."""
        out: list[Dto] = []
        seen: set[str] = set()
        cur = self.dtos.get(name)
        while cur is not None and cur.name not in seen:
            seen.add(cur.name)
            out.append(cur)
            cur = self.dtos.get(cur.base) if cur.base else None
        return out

    def all_props(self, name: str) -> list[Prop]:
        """Every property of a DTO in wire order: base-class members first."""
        props: list[Prop] = []
        for d in reversed(self.chain(name)):
            props.extend(d.props)
        return props


class _Out:
    def __init__(self, path: str) -> None:
        self.path = path
        self.items: list[Diagnostic] = []

    def error(self, code: str, line: int, message: str) -> None:
        self.items.append(error(code, self.path, line, message))

    def warning(self, code: str, line: int, message: str) -> None:
        self.items.append(warning(code, self.path, line, message))

    def info(self, code: str, line: int, message: str) -> None:
        self.items.append(info(code, self.path, line, message))


# --- ServiceStack built-ins ------------------------------------------------------------------


def _builtin_dtos() -> dict[str, Dto]:
    def p(name: str, t: str) -> Prop:
        return Prop(name, clr.parse(t), t, "form")

    meta = "Dictionary<string, string>"
    status = Dto(
        "ResponseStatus",
        "",
        0,
        "builtin",
        "ServiceStack",
        props=[
            p("ErrorCode", "string"),
            p("Message", "string"),
            p("StackTrace", "string"),
            p("Errors", "List<ResponseError>"),
            p("Meta", meta),
        ],
        description="ServiceStack's error description: set when the call failed.",
    )
    err = Dto(
        "ResponseError",
        "",
        0,
        "builtin",
        "ServiceStack",
        props=[
            p("ErrorCode", "string"),
            p("FieldName", "string"),
            p("Message", "string"),
            p("Meta", meta),
        ],
        description="One field error of a ResponseStatus.",
    )
    query_base = Dto(
        "QueryBase",
        "",
        0,
        "builtin",
        "ServiceStack",
        props=[
            p("Skip", "int?"),
            p("Take", "int?"),
            p("OrderBy", "string"),
            p("OrderByDesc", "string"),
            p("Include", "string"),
            p("Fields", "string"),
            p("Meta", meta),
        ],
        description="AutoQuery paging, ordering and field selection.",
    )
    query_db = Dto(
        "QueryDb", "", 0, "builtin", "ServiceStack", base="QueryBase", generic_params=("T",)
    )
    query_response = Dto(
        "QueryResponse",
        "",
        0,
        "builtin",
        "ServiceStack",
        generic_params=("T",),
        props=[
            p("Offset", "int"),
            p("Total", "int"),
            p("Results", "List<T>"),
            p("Meta", meta),
            p("ResponseStatus", "ResponseStatus"),
        ],
        description="An AutoQuery result page.",
    )
    return {
        "ResponseStatus": status,
        "ResponseError": err,
        "QueryBase": query_base,
        "QueryDb": query_db,
        "QueryResponse": query_response,
    }


BUILTIN_NAMES = frozenset(_builtin_dtos())


# --- vocabulary shared by the readers -------------------------------------------------------


_AUTH_KEYS = {  # metadata.json keys and page labels -> one vocabulary
    "requiredroles": "roles",
    "requiresanyrole": "any_role",
    "requiredpermissions": "permissions",
    "requiresanypermission": "any_permission",
    "required roles": "roles",
    "required role": "roles",
    "requires the role": "any_role",
    "requires any of the roles": "any_role",
    "required permissions": "permissions",
    "required permission": "permissions",
    "requires the permission": "any_permission",
    "requires any of the permissions": "any_permission",
}


def _verbs(text: str) -> str:
    verbs = [v.strip().upper() for v in re.split(r"[,\s]+", text or "") if v.strip()]
    if not verbs or verbs in (["*"], ["ANY"], ["ALL", "VERBS"]):
        return ""
    return ",".join(verbs)
