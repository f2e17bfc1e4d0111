"""Reader for ServiceStack APIs (Coruson): operation metadata pages (HTML), their copied text, and
``/types/metadata.json``, read into one model and then into one IR Service per API version.

The structure relied on is described in ``shared/corpus/servicestack/FORMAT.md``:

* an HTML page (``/{format}/metadata?op=X``): ``h1`` service name, ``h2`` operation, optional
  ``div.tags``, ``h3#desc``, ``table.authentication``, ``table.routes``, one ``table.params``
  (``<b>T</b> Parameters:``) or ``table.enum`` (``<b>E</b> Enum:``) per DTO, ``div.call-info``
  and ``div.example`` with the request and response samples in ``pre``. Read with lxml.html,
  which copes with the known markup faults (stray ``<tbody>``, ``<tr>`` under ``<table>``,
  ``<h3 id='desc'>..</div>``);
* the same page copied out of a browser: one line per block, table cells run together
  (``ImportIdpathGuidYesThe Id of ...``), tab-separated or space-aligned. Rows are split with
  the column vocabulary (path/query/body/form/header, Yes/No) and the CLR type grammar of
  :mod:`.clr_types`; a reading that stays ambiguous is a warning naming the line (unless a
  metadata.json of the same version settles it);
* ``metadata.json`` (the ``MetadataTypes`` model), PascalCase or camelCase keys.

Each file becomes a :class:`Source` (operations and DTOs it describes, with file and line);
the sources of one version merge into an :class:`ApiModel`: metadata.json is authoritative,
HTML and then text add descriptions and samples, and disagreements are warnings naming both
files and lines. The model keeps what the IR has no place for (routes, verbs, parameter kinds,
required flags, tags, authentication, JSON samples) for the JSON transport.

:func:`to_service` maps the model to the IR the WSDL reader would produce for ServiceStack's
``/soap12`` endpoint: document/literal wrapped operations (input element ``{ns}Op`` of the
request DTO type, output element the response DTO), ``soap_action`` = operation name, DTO
fields with DataContract shapes (min_occurs 0; nillable for reference types and ``T?``), WCF
arrays and dictionaries, and the SOAP 1.2 samples of the pages attached to the operations.
Readers never raise on bad input; they return diagnostics beside what they could read.
"""

from __future__ import annotations

import dataclasses
import html
import json
import os
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from lxml import html as lhtml

from .. import ir
from ..diagnostics import Collector, Diagnostic, error, info, warning
from ..xmlsafe import XmlInputError
from ..xmlsafe import parse as parse_xml
from . import clr_types as clr
from .clr_types import ClrType, ClrTypeError

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

# --- detection ---------------------------------------------------------------------------

_TEXT_MARKERS = re.compile(
    r"^\s*(<back to all web services|Name\s*Parameter\s*Data Type\s*Required\s*Description|HTTP \+ [A-Z0-9]+)\s*$",
    re.IGNORECASE | re.MULTILINE,
)


def is_servicestack(path: str) -> bool:
    """Does this spec file look like a ServiceStack metadata page, its copied text or metadata.json?"""
    if not path.endswith((".html", ".htm", ".txt", ".json")):
        return False
    try:
        with open(path, "rb") as fh:
            data = fh.read(2_000_000)
    except OSError:
        return False
    text = data.decode("utf-8", "replace")
    if path.endswith(".json"):
        try:
            obj = json.loads(text)
        except ValueError:
            return "metadata" in os.path.basename(path).lower() and '"operations"' in text.lower()
        return isinstance(obj, dict) and {"operations", "types"} <= {str(k).lower() for k in obj}
    if path.endswith(".txt"):
        return len(_TEXT_MARKERS.findall(text)) >= 2 or (
            "<back to all web services" in text and "Parameters:" in text
        )
    low = text.lower()
    return "back to all web services" in low or (
        "parameters:" in low and ("to override the content-type" in low or "http + " in low)
    )


# --- reading one file --------------------------------------------------------------------


def read_file(path: str) -> tuple[Source | None, list[Diagnostic]]:
    out = _Out(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        out.error("SS001", 0, f"cannot read: {exc.strerror}")
        return None, out.items
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        out.error("SS001", data.count(b"\n", 0, exc.start) + 1, f"not UTF-8 (byte {exc.start})")
        return None, out.items
    return read_text(path, text, out), out.items


def read_text(path: str, text: str, out: _Out | None = None) -> Source | None:
    """Read one file's text (the kind from its suffix); diagnostics go to out."""
    out = out or _Out(path)
    if "\0" in text:
        out.error(
            "SS001", text.count("\n", 0, text.index("\0")) + 1, "binary data (NUL) in the file"
        )
        return None
    if not text.strip():
        out.error("SS001", 1, "empty file")
        return None
    try:
        if path.endswith(".json"):
            return _read_json(path, text, out)
        if path.endswith((".html", ".htm")):
            page = _read_html(path, text, out)
        else:
            page = _read_copied_text(path, text, out)
        return _page_source(page, out) if page is not None else None
    except RecursionError:
        out.error("SS001", 1, "input nested too deeply")
        return None


# --- metadata.json --------------------------------------------------------------------------


class JObj(dict):  # type: ignore[type-arg]
    """A JSON object with lower-cased keys and the line it starts on."""

    line: int = 0


class JList(list):  # type: ignore[type-arg]
    line: int = 0


class _JsonError(Exception):
    def __init__(self, message: str, pos: int) -> None:
        super().__init__(message)
        self.pos = pos


_scanstring: Any = json.decoder.scanstring  # type: ignore[attr-defined]  # (not in typeshed)
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")


class _Json:
    """A small JSON parser that remembers where each object and list starts."""

    def __init__(self, text: str) -> None:
        self.s = text
        self.nl = [m.start() for m in re.finditer("\n", text)]

    def line(self, pos: int) -> int:
        return bisect_right(self.nl, pos - 1) + 1

    def ws(self, i: int) -> int:
        while i < len(self.s) and self.s[i] in " \t\r\n":
            i += 1
        return i

    def document(self) -> Any:
        i = self.ws(0)
        value, i = self.value(i, 0)
        i = self.ws(i)
        if i != len(self.s):
            raise _JsonError("extra data after the JSON value", i)
        return value

    def value(self, i: int, depth: int) -> tuple[Any, int]:
        if depth > 200:
            raise _JsonError("nested too deeply", i)
        if i >= len(self.s):
            raise _JsonError("unexpected end of data", i)
        c = self.s[i]
        if c == "{":
            obj = JObj()
            obj.line = self.line(i)
            i = self.ws(i + 1)
            if i < len(self.s) and self.s[i] == "}":
                return obj, i + 1
            while True:
                if i >= len(self.s) or self.s[i] != '"':
                    raise _JsonError("expected a quoted key", i)
                key, i = self.string(i)
                i = self.ws(i)
                if i >= len(self.s) or self.s[i] != ":":
                    raise _JsonError("expected ':'", i)
                val, i = self.value(self.ws(i + 1), depth + 1)
                obj[key.lower()] = val
                i = self.ws(i)
                if i < len(self.s) and self.s[i] == ",":
                    i = self.ws(i + 1)
                    continue
                if i < len(self.s) and self.s[i] == "}":
                    return obj, i + 1
                raise _JsonError("expected ',' or '}'", i)
        if c == "[":
            arr = JList()
            arr.line = self.line(i)
            i = self.ws(i + 1)
            if i < len(self.s) and self.s[i] == "]":
                return arr, i + 1
            while True:
                val, i = self.value(i, depth + 1)
                arr.append(val)
                i = self.ws(i)
                if i < len(self.s) and self.s[i] == ",":
                    i = self.ws(i + 1)
                    continue
                if i < len(self.s) and self.s[i] == "]":
                    return arr, i + 1
                raise _JsonError("expected ',' or ']'", i)
        if c == '"':
            return self.string(i)
        for word, val in (("true", True), ("false", False), ("null", None)):
            if self.s.startswith(word, i):
                return val, i + len(word)
        m = _NUMBER.match(self.s, i)
        if m:
            num = m.group()
            return (float(num) if any(ch in num for ch in ".eE") else int(num)), m.end()
        raise _JsonError(f"unexpected {c!r}", i)

    def string(self, i: int) -> tuple[str, int]:
        try:
            text, end = _scanstring(self.s, i + 1, True)
            return str(text), int(end)
        except ValueError as exc:
            raise _JsonError(f"bad string: {exc}", i) from None


def _s(obj: Any, key: str) -> str:
    v = obj.get(key) if isinstance(obj, dict) else None
    return v if isinstance(v, str) else ""


def _l(obj: Any, key: str) -> list[Any]:
    v = obj.get(key) if isinstance(obj, dict) else None
    return v if isinstance(v, list) else []


def _line(obj: Any, default: int) -> int:
    return getattr(obj, "line", 0) or default


def _read_json(path: str, text: str, out: _Out) -> Source | None:
    parser = _Json(text)
    try:
        root = parser.document()
    except _JsonError as exc:
        out.error("SS002", parser.line(exc.pos), f"not valid JSON: {exc}")
        return None
    if not isinstance(root, dict) or not isinstance(root.get("operations"), list):
        out.error("SS003", 1, "no 'Operations' list: not a ServiceStack /types/metadata.json")
        return None
    src = Source(path, "json")
    config = root.get("config")
    src.base_url = _s(config, "baseurl")
    if src.base_url:
        src.host = re.sub(r"^[a-z]+://", "", src.base_url).split("/")[0]
        src.host_line = _line(config, 1)
    for t in _l(root, "types"):
        if isinstance(t, dict):
            _add_dto(src, _json_dto(t, path, out), out)
    for o in _l(root, "operations"):
        if not isinstance(o, dict):
            continue
        req = o.get("request")
        if not isinstance(req, dict) or not _s(req, "name"):
            out.error("SS003", _line(o, 1), "operation without a request type; skipped")
            continue
        req_dto = _json_dto(req, path, out)
        _add_dto(src, req_dto, out)
        resp = o.get("response")
        response: str | None = None
        returns = o.get("returntype")
        if isinstance(resp, dict) and _s(resp, "name"):
            resp_dto = _json_dto(resp, path, out)
            _add_dto(src, resp_dto, out)
            response = resp_dto.name
        elif isinstance(returns, dict) and not o.get("returnsvoid"):
            response = _s(returns, "name").split("`")[0] or None
        response_args: tuple[ClrType, ...] = ()
        if response and isinstance(returns, dict) and _l(returns, "genericargs"):
            try:
                response_args = tuple(clr.parse(str(a)) for a in _l(returns, "genericargs"))
            except ClrTypeError as exc:
                out.warning(
                    "SS005",
                    _line(returns, req_dto.line),
                    f"{req_dto.name}: return type arguments cannot be read ({exc})",
                )
        routes = [
            Route(
                _s(r, "path"),
                _verbs(_s(r, "verbs")),
                _s(r, "summary"),
                _s(r, "notes"),
                _line(r, req_dto.line),
            )
            for r in _l(o, "routes")
            if isinstance(r, dict)
        ]
        auth: dict[str, tuple[str, ...]] = {}
        for key in (
            "requiredroles",
            "requiresanyrole",
            "requiredpermissions",
            "requiresanypermission",
        ):
            values = tuple(str(v) for v in _l(o, key))
            if values:
                auth[_AUTH_KEYS[key]] = values
        op = Op(
            req_dto.name,
            path,
            req_dto.line,
            "json",
            request=req_dto.name,
            response=response,
            response_args=response_args,
            description=req_dto.description,
            tags=tuple(str(t) for t in _l(o, "tags")),
            routes=routes,
            routes_complete=True,
            requires_auth=bool(o.get("requiresauth")),
            auth=auth,
            method=_s(o, "method"),
            actions=tuple(str(a) for a in _l(o, "actions")),
            returns_void=bool(o.get("returnsvoid")),
        )
        if op.name in src.ops:
            out.warning(
                "SS023",
                op.line,
                f"operation {op.name} is listed twice (first at line {src.ops[op.name].line}); the first is used",
            )
            continue
        src.ops[op.name] = op
    for op in src.ops.values():  # the Parameter column rule (FORMAT.md 2.6) for request properties
        dto = src.dtos.get(op.request)
        if dto is not None:
            for prop in dto.props:
                if not prop.param:
                    prop.param = _param_kind(prop.name, op.routes)
    for dto in src.dtos.values():  # members of every other type show "form"
        for prop in dto.props:
            prop.param = prop.param or "form"
    if not src.ops:
        out.error("SS003", 1, "metadata.json lists no operations")
    return src


def _verbs(text: str) -> str:
    verbs = [v.strip().upper() for v in re.split(r"[,\s]+", text or "") if v.strip()]
    if not verbs or verbs in (["*"], ["ANY"], ["ALL", "VERBS"]):
        return ""
    return ",".join(verbs)


def _param_kind(name: str, routes: list[Route]) -> str:
    if not routes:
        return "query"
    for r in routes:
        if name.lower() in (v.lower() for v in re.findall(r"\{(\w+)\*?\}", r.path)):
            return "path"
    if not any(set(r.verbs.split(",")) & {"POST", "PUT"} for r in routes if r.verbs):
        return "query"
    return "body"


def _json_dto(t: dict[str, Any], path: str, out: _Out) -> Dto:
    name = _s(t, "name").split("`")[0]
    dto = Dto(
        name,
        path,
        _line(t, 1),
        "json",
        namespace=_s(t, "namespace"),
        description=_s(t, "description"),
    )
    inherits = t.get("inherits")
    if isinstance(inherits, dict) and _s(inherits, "name"):
        dto.base = _s(inherits, "name").split("`")[0]
        try:
            dto.base_args = tuple(clr.parse(str(a)) for a in _l(inherits, "genericargs"))
        except ClrTypeError as exc:
            out.warning(
                "SS005",
                dto.line,
                f"{name}: generic arguments of its base {dto.base} cannot be read ({exc}); ignored",
            )
    dto.abstract = bool(t.get("isabstract"))
    dto.generic_params = (
        tuple(str(a) for a in _l(t, "genericargs")) if t.get("isgenerictypedef") else ()
    )
    attrs = {
        (_s(a, "name") if isinstance(a, dict) else str(a)).lower() for a in _l(t, "attributes")
    }
    if t.get("isenum"):
        dto.enum = dto.value_type = True
        dto.flags = "flags" in attrs
        names = [str(n) for n in _l(t, "enumnames")]
        values = _l(t, "enumvalues")
        wires = _l(t, "enummembervalues")
        descs = _l(t, "enumdescriptions")
        for i, n in enumerate(names):
            number: int | None = i if not dto.flags else 1 << i
            if i < len(values):
                try:
                    number = int(str(values[i]))
                except ValueError:
                    out.warning(
                        "SS019",
                        dto.line,
                        f"enum {name} value {values[i]!r} of {n} is not an integer",
                    )
            wire = str(wires[i]) if i < len(wires) and wires[i] else ""
            desc = str(descs[i]) if i < len(descs) and descs[i] else ""
            dto.members.append(EnumMember(n, number, wire, desc, dto.line))
        return dto
    for p in _l(t, "properties"):
        if not isinstance(p, dict):
            continue
        pname = _s(p, "name")
        line = _line(p, dto.line)
        type_text = _s(p, "type")
        args = [str(a) for a in _l(p, "genericargs")]
        shown = type_text + (f" {args}" if args else "")
        ctype: ClrType | None
        try:
            ctype = clr.from_metadata(type_text, args)
        except ClrTypeError as exc:
            out.warning(
                "SS005",
                line,
                f"{name}.{pname}: type {shown!r} cannot be read ({exc}); read as string",
            )
            ctype = None
        dm = p.get("datamember")
        order = (
            dm.get("order") if isinstance(dm, dict) and isinstance(dm.get("order"), int) else None
        )
        rng = None
        if p.get("allowablemin") is not None or p.get("allowablemax") is not None:
            rng = (_num(p.get("allowablemin")), _num(p.get("allowablemax")))
        dto.props.append(
            Prop(
                pname,
                ctype,
                shown,
                _s(p, "paramtype"),
                bool(p.get("isrequired")),
                _s(p, "description"),
                tuple(str(v) for v in _l(p, "allowablevalues")),
                rng,
                bool(p.get("isvaluetype")) if "isvaluetype" in p else None,
                _s(dm, "name") if isinstance(dm, dict) else "",
                order,
                line,
            )
        )
    if any(pr.order is not None for pr in dto.props):
        # DataContract order: members without Order first, then by Order; alphabetical within each
        dto.props.sort(key=lambda pr: (pr.order is not None, pr.order or 0, pr.wire))
    return dto


def _num(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return "" if v is None else str(v)


def _add_dto(src: Source, dto: Dto, out: _Out) -> None:
    old = src.dtos.get(dto.name)
    if old is None:
        src.dtos[dto.name] = dto
        return
    if _dto_shape(old) != _dto_shape(dto):
        out.warning(
            "SS023",
            dto.line,
            f"type {dto.name} is described again differently (first at line {old.line}); the first is used",
        )


def _dto_shape(d: Dto) -> tuple[Any, ...]:
    return (
        d.base,
        [(p.name, str(p.type)) for p in d.props],
        [(m.name, m.value) for m in d.members],
    )


# --- metadata pages: the common shape of HTML and copied text ------------------------------


@dataclass
class Row:
    name: str
    param: str
    type_text: str
    type: ClrType | None
    required: bool
    description: str
    line: int
    allowable: list[str] = field(default_factory=list)
    range: tuple[str, str] | None = None


@dataclass
class Table:
    name: str
    enum: bool
    line: int
    rows: list[Row] = field(default_factory=list)
    members: list[EnumMember] = field(default_factory=list)
    raw: list[tuple[int, str]] = field(default_factory=list)  # copied text: rows not yet split
    mode: str = "run"  # copied text: run | tab | space
    has_values: bool = False  # enum table with a Value column


@dataclass
class Page:
    path: str
    kind: str
    title: str = ""
    title_line: int = 0
    op: str = ""
    op_line: int = 0
    tags: tuple[str, ...] = ()
    description: str = ""
    desc_line: int = 0
    requires_auth: bool = False
    auth: dict[str, tuple[str, ...]] = field(default_factory=dict)
    routes: list[Route] = field(default_factory=list)
    routes_complete: bool = False
    tables: list[Table] = field(default_factory=list)
    fmt: str = ""
    request: Block | None = None
    response: Block | None = None
    pending: list[tuple[Diagnostic, str]] = field(default_factory=list)  # see Source.pending


_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_KINDS = ("path", "query", "body", "form", "header")
_AUTH_LABELS = (
    "Required roles",
    "Required role",
    "Requires the role",
    "Requires any of the roles",
    "Required permissions",
    "Required permission",
    "Requires the permission",
    "Requires any of the permissions",
)
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
_AUTH_RE = re.compile(
    "(" + "|".join(sorted(map(re.escape, _AUTH_LABELS), key=len, reverse=True)) + r"):\s*"
)
_REQUEST_START = re.compile(r"^\s*(POST|GET|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+\S+\s+HTTP/\d\.\d\s*$")
_RESPONSE_START = re.compile(r"^\s*HTTP/\d\.\d\s+\d{3}\b.*$")
_HEADER_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9-]*):\s?(.*?)\s*$")
_RANGE = re.compile(r"^\s*Valid Range:\s*(\S+)\s*-\s*(\S+)\s*$")
_FORMAT = re.compile(r"\?format=([A-Za-z0-9-]+)")


def _block(lines: list[tuple[int, str]]) -> Block | None:
    """An HTTP sample from its lines (file line, text): start line, headers, body."""
    lines = [(n, t.rstrip("\r")) for n, t in lines]
    while lines and not lines[0][1].strip():
        lines.pop(0)
    while lines and not lines[-1][1].strip():
        lines.pop()
    if not lines:
        return None
    start_line, start = lines[0]
    headers: list[tuple[str, str]] = []
    i = 1
    while i < len(lines):
        text = lines[i][1]
        if not text.strip():
            i += 1
            break
        m = _HEADER_LINE.match(text)
        if m is None or text.lstrip().startswith(("<", "{", "[")):
            break
        headers.append((m.group(1), m.group(2)))
        i += 1
    body = lines[i:]
    while body and not body[0][1].strip():
        body.pop(0)
    text = "\n".join(t for _, t in body)
    return Block(
        start.strip(),
        tuple(headers),
        text + ("\n" if text else ""),
        start_line,
        body[0][0] if body else 0,
    )


# --- HTML ----------------------------------------------------------------------------------

_INLINE = frozenset(
    {"b", "i", "a", "span", "code", "em", "strong", "small", "sup", "sub", "u", "abbr"}
)


def _text(el: Any) -> str:
    """Text of an element, <br> as newlines, whitespace collapsed per line."""
    parts: list[str] = []

    def walk(e: Any) -> None:
        if isinstance(e.tag, str) and e.tag.lower() == "br":
            parts.append("\n")
        elif e.text and isinstance(e.tag, str):
            parts.append(e.text)
        for c in e:
            walk(c)
            if c.tail:
                parts.append(c.tail)

    walk(el)
    return _norm("".join(parts))


def _norm(text: str) -> str:
    lines = [" ".join(ln.split()) for ln in text.replace("\xa0", " ").split("\n")]
    return "\n".join(ln for ln in lines if ln).strip()


def _sl(el: Any) -> int:
    """An element's source line (0 when unknown)."""
    return int(getattr(el, "sourceline", 0) or 0)


def _classes(el: Any) -> set[str]:
    return set((el.get("class") or "").split())


def _read_html(path: str, text: str, out: _Out) -> Page | None:
    try:
        doc = lhtml.document_fromstring(
            text.encode("utf-8"), parser=lhtml.HTMLParser(encoding="utf-8", remove_comments=True)
        )
    except (etree.ParserError, ValueError) as exc:
        out.error("SS001", 1, f"cannot read as HTML: {exc}")
        return None
    page = Page(path, "html")
    raw_lines = text.split("\n")
    h1 = next(doc.iter("h1"), None)
    title_el = h1 if h1 is not None and _text(h1) else next(doc.iter("title"), None)
    if title_el is not None:
        page.title, page.title_line = _text(title_el), (_sl(title_el) or 1)
    h2 = next(doc.iter("h2"), None)
    if h2 is None or not _IDENT.fullmatch(_text(h2)):
        out.error(
            "SS004",
            (_sl(h2) or 1) if h2 is not None else 1,
            "no operation name (an <h2> holding the request DTO name)"
            + (f"; found {_text(h2)!r}" if h2 is not None else ""),
        )
        return None
    page.op, page.op_line = _text(h2), (_sl(h2) or 1)
    for div in doc.iter("div"):
        if "tags" in _classes(div):
            page.tags = tuple(t for t in (_text(b) for b in div.iter("b")) if t)
    for h3 in doc.iter("h3"):
        if h3.get("id") == "desc":
            page.description, page.desc_line = _desc_heading(h3), (_sl(h3) or 0)
            break
    for table in doc.iter("table"):
        _html_table(page, table, out)
    for div in doc.iter("div"):
        classes = _classes(div)
        if "call-info" in classes and not page.fmt:
            m = _FORMAT.search(_text(div))
            if m:
                page.fmt = m.group(1).lower()
        if "example" in classes:
            for h3 in div.iter("h3"):
                m = re.match(r"HTTP \+ (\S+)", _text(h3))
                if m:
                    page.fmt = m.group(1).lower()
        for which in ("request", "response"):
            if which in classes:
                pre = next(div.iter("pre"), None)
                if pre is not None:
                    block = _pre_block(pre, raw_lines)
                    setattr(page, which, block)
    return page


def _desc_heading(h3: Any) -> str:
    """The description heading's text: its own text and inline children (a wrongly closed
    heading may swallow the tables that follow)."""
    parts = [h3.text or ""]
    for c in h3:
        if not isinstance(c.tag, str):
            continue
        if c.tag.lower() == "br":
            parts.append("\n")
        elif c.tag.lower() in _INLINE:
            parts.append(_text(c))
        else:
            break
        parts.append(c.tail or "")
    return _norm("".join(parts))


def _html_table(page: Page, table: Any, out: _Out) -> None:
    classes = _classes(table)
    caption = table.find("caption")
    cap = _text(caption) if caption is not None else ""
    line = _sl(table) or 0
    if "authentication" in classes or cap.startswith("Requires Authentication"):
        page.requires_auth = True
        for tr in table.iter("tr"):
            cells = [_text(td) for td in tr.iter("td")]
            for label, values in zip(cells[::2], cells[1::2]):
                key = _AUTH_KEYS.get(label.rstrip(":").strip().lower(), label.rstrip(":").strip())
                page.auth[key] = tuple(v.strip() for v in values.split(",") if v.strip())
        return
    if "routes" in classes or cap.startswith("The following routes"):
        page.routes_complete = bool(cap)
        for tr in table.iter("tr"):
            ths = [_text(th) for th in tr.findall("th")]
            tds = [_text(td) for td in tr.findall("td")]
            if len(ths) >= 2:
                verbs = "" if ths[0].lower() == "all verbs" else _verbs(ths[0])
                page.routes.append(
                    Route(
                        ths[1],
                        verbs,
                        tds[0] if tds else "",
                        tds[1] if len(tds) > 1 else "",
                        (_sl(tr) or line),
                    )
                )
            elif any(tds):
                page.routes.append(
                    Route("", "", tds[0], tds[1] if len(tds) > 1 else "", (_sl(tr) or line))
                )
        return
    enum = "enum" in classes or cap.endswith("Enum:")
    params = "params" in classes or cap.endswith("Parameters:")
    if not enum and not params:
        return
    b = caption.find(".//b") if caption is not None else None
    name = _text(b) if b is not None else re.sub(r"\s*(Parameters|Enum):$", "", cap)
    t = Table(name, enum, line)
    head = [_text(th).lower() for th in table.iter("th")]
    t.has_values = enum and "value" in head
    for tr in table.iter("tr"):
        tds = tr.findall("td")
        if not tds:
            continue
        row_line = _sl(tr) or line
        if enum:
            cells = [_text(td) for td in tds]
            value: int | None = None
            if t.has_values and len(cells) >= 2:
                try:
                    value = int(cells[1])
                except ValueError:
                    out.warning(
                        "SS019",
                        row_line,
                        f"enum {name}: value {cells[1]!r} of {cells[0]} is not an integer",
                    )
                desc = cells[2] if len(cells) > 2 else ""
            else:
                desc = cells[1] if len(cells) > 1 else ""
            if not _IDENT.fullmatch(cells[0]):
                out.warning(
                    "SS019",
                    row_line,
                    f"enum {name}: member name {cells[0]!r} is not an identifier; row skipped",
                )
                continue
            t.members.append(EnumMember(cells[0], value, "", desc, row_line))
            continue
        if len(tds) < 4:
            out.warning(
                "SS019",
                row_line,
                f"{name or 'Parameters'} table row has {len(tds)} cells (5 expected); row skipped",
            )
            continue
        pname, param, type_text, req = (_text(td) for td in tds[:4])
        desc, allowable, rng = _desc_cell(tds[4]) if len(tds) > 4 else ("", [], None)
        if not _IDENT.fullmatch(pname):
            out.warning(
                "SS019",
                row_line,
                f"{name}: property name {pname!r} is not an identifier; row skipped",
            )
            continue
        ctype = _type_or_warn(type_text, f"{name}.{pname}", row_line, out)
        if req not in ("Yes", "No"):
            out.warning(
                "SS019",
                row_line,
                f"{name}.{pname}: Required cell {req!r} is neither Yes nor No; read as No",
            )
        t.rows.append(
            Row(pname, param, type_text, ctype, req == "Yes", desc, row_line, allowable, rng)
        )
    if not t.rows and not t.members:
        out.warning("SS019", line, f"{name or 'Parameters'} table has no rows")
    page.tables.append(t)


def _desc_cell(td: Any) -> tuple[str, list[str], tuple[str, str] | None]:
    """A Description cell: free HTML, then possibly <h4>Allowable Values</h4><ul>.. or <h4>Valid Range: a - b</h4>."""
    parts = [td.text or ""]
    allowable: list[str] = []
    rng: tuple[str, str] | None = None
    notes = False
    for c in td:
        if not isinstance(c.tag, str):
            continue
        tag = c.tag.lower()
        if tag == "h4":
            notes = True
            m = _RANGE.match(_text(c))
            if m:
                rng = (m.group(1), m.group(2))
        elif notes and tag in ("ul", "ol"):
            allowable.extend(_text(li) for li in c.iter("li"))
        elif not notes:
            parts.append("\n" if tag == "br" else _text(c))
            parts.append(c.tail or "")
    return _norm("".join(parts)), allowable, rng


def _type_or_warn(type_text: str, what: str, line: int, out: _Out) -> ClrType | None:
    try:
        return clr.parse(type_text)
    except ClrTypeError as exc:
        out.warning(
            "SS005", line, f"{what}: data type {type_text!r} does not parse ({exc}); read as string"
        )
        return None


def _pre_block(pre: Any, raw_lines: list[str]) -> Block | None:
    text = pre.text_content()
    lines = text.split("\n")
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is None:
        return None
    # find the file line of the first non-blank line of the pre, at or after the pre's own line
    want = lines[first].strip()
    base = (_sl(pre) or 1) - 1
    found = base
    for k in range(base, min(len(raw_lines), base + 50)):
        shown = html.unescape(re.sub(r"<[^>]*>", "", raw_lines[k])).strip()
        if shown and (shown == want or (want and want in shown)):
            found = k
            break
    numbered = [(found + 1 + (i - first), ln) for i, ln in enumerate(lines)]
    return _block(numbered[first:])


# --- copied text ---------------------------------------------------------------------------

_CAPTION = re.compile(r"^\s*(?:(\S.*?)\s+)?(Parameters|Enum):\s*$")
_HEADER = re.compile(
    r"^\s*name\s*parameter\s*data\s*type\s*required\s*description\s*$", re.IGNORECASE
)
_ENUM_HEADER = re.compile(r"^\s*name\s*value\s*$", re.IGNORECASE)
_ROUTES_CAPTION = "The following routes are available for this service:"


def _marker(text: str) -> str | None:
    s = text.strip()
    if s == "Requires Authentication":
        return "auth"
    if s.startswith("The following routes are available"):
        return "routes"
    if _CAPTION.match(s):
        return "caption"
    if s.startswith("To override the Content-type"):
        return "callinfo"
    if s.startswith("To embed the response in a"):
        return "jsonp"
    if re.match(r"^HTTP \+ \S+$", s):
        return "example"
    if s.startswith("The following are sample HTTP"):
        return "example-text"
    if _REQUEST_START.match(text) or _RESPONSE_START.match(text):
        return "sample"
    if s.startswith("Metadata ") and "C#" in s:
        return "tabs"
    return None


def _read_copied_text(path: str, text: str, out: _Out) -> Page | None:
    page = Page(path, "text")
    lines = [(i + 1, ln.rstrip("\r")) for i, ln in enumerate(text.split("\n"))]
    i = 0
    # annotation lines of authored examples ('# ...' before the page) are not part of the page
    while i < len(lines) and (not lines[i][1].strip() or lines[i][1].startswith("#")):
        i += 1

    def next_nonblank(k: int) -> int:
        while k < len(lines) and not lines[k][1].strip():
            k += 1
        return k

    i = next_nonblank(i)
    if (
        i < len(lines)
        and not lines[i][1].strip().startswith("<back to all")
        and _marker(lines[i][1]) is None
    ):
        page.title, page.title_line = lines[i][1].strip(), lines[i][0]
        i = next_nonblank(i + 1)
    if i < len(lines) and lines[i][1].strip().startswith("<back to all"):
        i = next_nonblank(i + 1)
    if i >= len(lines) or not _IDENT.fullmatch(lines[i][1].strip()):
        where = lines[i][0] if i < len(lines) else len(lines)
        shown = lines[i][1].strip() if i < len(lines) else "end of file"
        out.error(
            "SS004",
            where,
            f"no operation name after the service title and '<back to all web services' (found {shown!r})",
        )
        return None
    page.op, page.op_line = lines[i][1].strip(), lines[i][0]
    i += 1
    fmt_hint = ""
    for _, ln in lines:
        m = re.match(r"^\s*HTTP \+ (\S+)\s*$", ln) or _FORMAT.search(ln)
        if m:
            fmt_hint = m.group(1).lower()
            break
    header: list[tuple[int, str]] = []
    while i < len(lines) and _marker(lines[i][1]) is None:
        if lines[i][1].strip():
            header.append((lines[i][0], lines[i][1].strip()))
        i += 1
    _header_lines(page, header, fmt_hint, out)

    section = ""
    table: Table | None = None
    while i < len(lines):
        n, ln = lines[i]
        kind = _marker(ln)
        s = ln.strip()
        if kind == "sample":
            if _REQUEST_START.match(ln) and page.request is None:
                j = i + 1
                while j < len(lines) and not _RESPONSE_START.match(lines[j][1]):
                    j += 1
                page.request = _block(lines[i:j])
                i = j
                continue
            if _RESPONSE_START.match(ln) and page.response is None:
                page.response = _block(lines[i:])
                break
            i += 1
            continue
        if kind == "auth":
            page.requires_auth, section = True, "auth"
        elif kind == "routes":
            page.routes_complete, section = True, "routes"
        elif kind == "caption":
            m = _CAPTION.match(s)
            assert m is not None
            table = Table(m.group(1) or "", m.group(2) == "Enum", n)
            page.tables.append(table)
            section = "table"
        elif kind == "callinfo":
            m = _FORMAT.search(s)
            if m and not page.fmt:
                page.fmt = m.group(1).lower()
            section = ""
        elif kind == "example":
            page.fmt = s.split("+", 1)[1].strip().lower()
            section = ""
        elif kind in ("jsonp", "example-text", "tabs"):
            section = "" if kind != "tabs" else section
        elif not s:
            pass
        elif section == "auth":
            for m in _AUTH_RE.finditer(s):
                rest = s[m.end() :]
                nxt = _AUTH_RE.search(rest)
                values = rest[: nxt.start()] if nxt else rest
                page.auth[_AUTH_KEYS[m.group(1).lower()]] = tuple(
                    v.strip() for v in values.split(",") if v.strip()
                )
        elif section == "routes":
            _route_line(page, n, ln, out)
        elif section == "table" and table is not None:
            if not table.raw and not table.enum and _HEADER.match(s.replace("\t", "")):
                table.mode = (
                    "tab" if "\t" in ln else ("space" if re.search(r"\S\s{2,}\S", s) else "run")
                )
            elif table.enum and not table.raw and _ENUM_HEADER.match(s.replace("\t", "")):
                table.has_values = True
                table.mode = "tab" if "\t" in ln else "run"
            else:
                table.raw.append((n, ln.rstrip()))
        elif section == "" and s.startswith("The placeholders shown"):
            pass
        i += 1
    return page


def _header_lines(page: Page, header: list[tuple[int, str]], fmt: str, out: _Out) -> None:
    """Lines between the operation name and the first block: tags (REST pages only) and description."""
    if not header:
        return
    soap = fmt.startswith("soap")
    if soap:
        page.description, page.desc_line = "\n".join(t for _, t in header), header[0][0]
        return
    if len(header) == 1:
        page.description, page.desc_line = header[0][1], header[0][0]
        page.tags = ()
        page.pending.append(
            (
                warning(
                    "SS008",
                    page.path,
                    header[0][0],
                    f"{header[0][1]!r} may be the operation's tag or its description (copied text cannot tell); read as the description",
                ),
                page.op,
            )
        )
        return
    page.tags = tuple(header[0][1].split())
    page.description, page.desc_line = "\n".join(t for _, t in header[1:]), header[1][0]


def _route_line(page: Page, n: int, ln: str, out: _Out) -> None:
    if "\t" in ln:
        cells = [c.strip() for c in ln.split("\t")]
        verbs = "" if cells[0].lower() == "all verbs" else _verbs(cells[0])
        page.routes.append(
            Route(
                cells[1] if len(cells) > 1 else "",
                verbs,
                cells[2] if len(cells) > 2 else "",
                cells[3] if len(cells) > 3 else "",
                n,
            )
        )
        return
    m = re.match(r"^\s*(All Verbs|[A-Z]+(?:,\s?[A-Z]+)*)\s*(/\S*)(.*)$", ln)
    if m is None:
        out.warning(
            "SS009", n, f"route line {ln.strip()!r} does not start with verbs and a path; ignored"
        )
        return
    verbs = "" if m.group(1) == "All Verbs" else _verbs(m.group(1))
    path, rest = m.group(2), m.group(3)
    summary = rest.strip()
    # a summary run into the path: split the last path segment where a capital starts a word
    last = path.rsplit("/", 1)[-1]
    cut = None
    if "{" not in last:
        for k in range(len(last) - 1, 0, -1):
            if last[k].isupper() and last[k - 1].islower():
                cut = len(path) - len(last) + k
                break
    if cut is not None and rest[:1] in ("", " "):
        summary = (path[cut:] + rest).strip()
        path = path[:cut]
        page.pending.append(
            (
                warning(
                    "SS009",
                    page.path,
                    n,
                    f"route {ln.strip()!r} read as path {path!r} and summary {summary!r}",
                ),
                page.op,
            )
        )
    page.routes.append(Route(path, verbs, summary, "", n))


@dataclass
class _Reading:
    name: str
    param: str
    type_text: str
    type: ClrType
    required: bool
    description: str


def _row_readings(text: str) -> list[_Reading]:
    """Every split of a run-together row Name|Parameter|DataType|Yes/No|Description."""
    out: list[_Reading] = []
    for kw in _KINDS:
        start = 1
        while True:
            i = text.find(kw, start)
            if i < 0:
                break
            start = i + 1
            name = text[:i]
            if not _IDENT.fullmatch(name):
                continue
            rest = text[i + len(kw) :]
            for t, end in clr.prefixes(rest):
                after = rest[end:]
                for word in ("Yes", "No"):
                    if after.startswith(word):
                        out.append(
                            _Reading(
                                name, kw, rest[:end], t, word == "Yes", after[len(word) :].strip()
                            )
                        )
    return out


def _split_rows(
    page: Page, table: Table, known: set[str], hints: set[str], src: Source, out: _Out
) -> None:
    last: Row | None = None
    allowable_open = False
    for n, ln in table.raw:
        s = ln.strip()
        row: Row | None = None
        if table.mode == "tab" or (table.mode == "space" and re.search(r"\S\s{2,}\S", s)):
            cells = [
                c.strip()
                for c in (ln.split("\t") if table.mode == "tab" else re.split(r"\s{2,}", s))
            ]
            if len(cells) >= 4 and _IDENT.fullmatch(cells[0]) and cells[3] in ("Yes", "No"):
                ctype = _type_or_warn(cells[2], f"{table.name}.{cells[0]}", n, out)
                row = Row(
                    cells[0], cells[1], cells[2], ctype, cells[3] == "Yes", " ".join(cells[4:]), n
                )
        else:
            readings = _row_readings(s)
            if readings:

                def score(r: _Reading) -> tuple[int, int, int]:
                    type_known = all(x in known for x in r.type.names())
                    plausible = not r.description or not r.description[0].islower()
                    return (
                        4 * type_known + 2 * (r.name in hints) + plausible,
                        -len(r.name),
                        -len(r.type_text),
                    )

                readings.sort(key=score, reverse=True)
                best = readings[0]
                top = score(best)[0]
                rivals = {
                    (r.name, r.param, r.type_text, r.required)
                    for r in readings
                    if score(r)[0] == top
                }
                if len(rivals) > 1:
                    shown = "; ".join(
                        f"{a}|{b}|{c}|{'Yes' if d else 'No'}" for a, b, c, d in sorted(rivals)
                    )
                    src.pending.append(
                        (
                            warning(
                                "SS007",
                                page.path,
                                n,
                                f"row {s!r} of {table.name} splits several ways ({shown}); "
                                f"read as {best.name}|{best.param}|{best.type_text}",
                            ),
                            table.name,
                        )
                    )
                row = Row(
                    best.name,
                    best.param,
                    best.type_text,
                    best.type,
                    best.required,
                    best.description,
                    n,
                )
        if row is not None:
            table.rows.append(row)
            last, allowable_open = row, False
            continue
        m = _RANGE.match(s)
        if last is not None and m:
            last.range = (m.group(1), m.group(2))
        elif last is not None and s == "Allowable Values":
            allowable_open = True
        elif last is not None and allowable_open:
            last.allowable.append(s)
        elif last is not None and not s.startswith(("Name", "NAME")):
            last.description = (last.description + "\n" + s).strip()
        else:
            out.warning(
                "SS006",
                n,
                f"{table.name or 'Parameters'} table row {s!r} cannot be split into "
                "name, parameter (path/query/body/form/header), data type, Yes/No and description; skipped",
            )


def _split_enum_rows(page: Page, table: Table, src: Source, out: _Out) -> None:
    for n, ln in table.raw:
        s = ln.strip()
        if table.mode == "tab" and "\t" in ln:
            cells = [c.strip() for c in ln.split("\t")]
            value = (
                int(cells[1])
                if table.has_values and len(cells) > 1 and re.fullmatch(r"-?\d+", cells[1])
                else None
            )
            desc = (
                cells[2]
                if table.has_values and len(cells) > 2
                else (cells[1] if not table.has_values and len(cells) > 1 else "")
            )
            table.members.append(EnumMember(cells[0], value, "", desc, n))
            continue
        if table.has_values:
            m = re.match(r"^([A-Za-z_][A-Za-z0-9_]*?)(-?\d+)(.*)$", s)
            if m is None:
                out.warning(
                    "SS021",
                    n,
                    f"enum {table.name} row {s!r} has no name followed by a value; skipped",
                )
                continue
            name, digits, desc = m.group(1), m.group(2), m.group(3).strip()
            if len(digits.lstrip("-")) > 1:
                src.pending.append(
                    (
                        warning(
                            "SS021",
                            page.path,
                            n,
                            f"enum {table.name} row {s!r}: read as {name} = {digits}; "
                            f"{name}{digits[:-1]} = {digits[-1]} is another reading",
                        ),
                        table.name,
                    )
                )
            table.members.append(EnumMember(name, int(digits), "", desc, n))
            continue
        m = re.match(r"^([A-Za-z_][A-Za-z0-9_]*)(.*)$", s)
        if m is None:
            out.warning(
                "SS021",
                n,
                f"enum {table.name} row {s!r} does not start with a member name; skipped",
            )
            continue
        run, rest = m.group(1), m.group(2)
        name, desc = run, rest.strip()
        if rest.startswith(" "):
            caps = [
                k
                for k in range(1, len(run))
                if run[k].isupper() and (run[k - 1].islower() or run[k - 1].isdigit())
            ]
            if caps:
                name, desc = run[: caps[-1]], (run[caps[-1] :] + rest).strip()
                if len(caps) > 1:
                    src.pending.append(
                        (
                            warning(
                                "SS021",
                                page.path,
                                n,
                                f"enum {table.name} row {s!r}: member name and description run together; read as {name!r}",
                            ),
                            table.name,
                        )
                    )
        table.members.append(EnumMember(name, None, "", desc, n))


# --- a page -> a Source ----------------------------------------------------------------------


@dataclass
class _SampleView:
    root_ns: str = ""
    root: str = ""
    top: list[str] = field(default_factory=list)  # top-level member names in order
    names: set[str] = field(default_factory=set)  # every member name
    ok: bool = True
    problem: str = ""
    line: int = 0  # of the problem, counted from the body's first line


def _view(block: Block | None, fmt: str) -> _SampleView | None:
    if block is None or not block.body.strip() or block.body.strip().startswith("("):
        return None
    body = block.body.strip()
    if body.startswith("<"):
        try:
            root = parse_xml(body)
        except XmlInputError as exc:
            return _SampleView(ok=False, problem=str(exc), line=exc.line)
        el = root
        if etree.QName(root).localname == "Envelope":
            bodies = [
                c for c in root if isinstance(c.tag, str) and etree.QName(c).localname == "Body"
            ]
            kids = [c for c in bodies[0] if isinstance(c.tag, str)] if bodies else []
            if not kids:
                return _SampleView(
                    ok=False, problem="the envelope has no Body or an empty Body", line=1
                )
            el = kids[0]
        q = etree.QName(el)
        view = _SampleView(q.namespace or "", q.localname)
        view.top = [etree.QName(c).localname for c in el if isinstance(c.tag, str)]
        view.names = {etree.QName(c).localname for c in el.iter() if isinstance(c.tag, str)}
        return view
    if body.startswith(("{", "[")):
        try:
            data = json.loads(body)
        except json.JSONDecodeError as exc:
            return _SampleView(
                ok=False, problem=f"JSON is not well-formed: {exc.msg}", line=exc.lineno
            )
        view = _SampleView()
        if isinstance(data, dict):
            view.top = list(data)

            def keys(v: Any) -> None:
                if isinstance(v, dict):
                    for k, x in v.items():
                        view.names.add(k)
                        keys(x)
                elif isinstance(v, list):
                    for x in v:
                        keys(x)

            keys(data)
        return view
    return None


def _page_source(page: Page, out: _Out) -> Source:
    src = Source(page.path, page.kind, page.title, page.title_line)
    src.pending.extend(page.pending)
    fmt = page.fmt or "json"
    req_view = _view(page.request, fmt)
    resp_view = _view(page.response, fmt)
    for which, block, view in (
        ("request", page.request, req_view),
        ("response", page.response, resp_view),
    ):
        if view is not None and not view.ok and block is not None:
            line = (block.body_line or block.line) + max(view.line, 1) - 1
            out.warning("SS010", line, f"sample {which}: {view.problem}; not attached")
    for view in (req_view, resp_view):
        if view is not None and view.root_ns and not src.namespace:
            src.namespace = view.root_ns
    if page.request is not None:
        src.host, src.host_line = page.request.header("Host").strip(), page.request.line
    hints = (req_view.names if req_view else set()) | (resp_view.names if resp_view else set())
    known = set(clr.KNOWN) | set(BUILTIN_NAMES) | {t.name for t in page.tables}
    for t in page.tables:
        if t.raw:
            if t.enum:
                _split_enum_rows(page, t, src, out)
            else:
                _split_rows(page, t, known, hints, src, out)
        if not t.rows and not t.members and t.raw:
            out.warning("SS019", t.line, f"{t.name or 'Parameters'} table has no readable rows")

    op_name = page.op
    response: str | None = None
    if resp_view is not None and resp_view.root:
        response = resp_view.root
    elif any(t.name == op_name + "Response" for t in page.tables) or page.response is not None:
        response = op_name + "Response"
    op = Op(
        op_name,
        page.path,
        page.op_line,
        page.kind,
        request=op_name,
        response=response,
        description=page.description,
        tags=page.tags,
        routes=page.routes,
        routes_complete=page.routes_complete,
        requires_auth=page.requires_auth,
        auth=page.auth,
    )
    if page.request is not None or page.response is not None:
        op.samples[fmt] = Samples(fmt, page.request, page.response, page.path)
    src.ops[op_name] = op

    # DTOs, in table order
    order: list[str] = []
    for t in page.tables:
        name = t.name or op_name  # legacy pages: one "Parameters:" table of the request
        params: tuple[str, ...] = ()
        if "<" in name:  # a generic type's table: QueryResponse<T> Parameters:
            try:
                generic = clr.parse(name)
                name, params = generic.name, tuple(str(a) for a in generic.args)
            except ClrTypeError:
                out.warning(
                    "SS019", t.line, f"table caption {name!r} is not a type name; table ignored"
                )
                continue
        if name in src.dtos:
            out.warning(
                "SS023",
                t.line,
                f"a second table for {name} (first at line {src.dtos[name].line}); ignored",
            )
            continue
        dto = Dto(
            name,
            page.path,
            t.line,
            page.kind,
            enum=t.enum,
            value_type=t.enum,
            generic_params=params,
        )
        if t.enum:
            dto.members = t.members
            if not t.has_values:
                for k, m in enumerate(dto.members):
                    m.value = k
        else:
            dto.props = [
                Prop(
                    r.name,
                    r.type,
                    r.type_text,
                    r.param,
                    r.required,
                    r.description,
                    tuple(r.allowable),
                    r.range,
                    line=r.line,
                )
                for r in t.rows
            ]
        src.dtos[name] = dto
        order.append(name)
    for implied in (op_name, response):  # a DTO without properties has no table
        if implied and implied not in src.dtos:
            src.dtos[implied] = Dto(implied, page.path, page.op_line, page.kind)
    if op_name in src.dtos and page.description:
        src.dtos[op_name].description = page.description
    _infer_bases(page, src, order, op_name, response, req_view, resp_view, out)
    return src


def _infer_bases(
    page: Page,
    src: Source,
    order: list[str],
    op_name: str,
    response: str | None,
    req_view: _SampleView | None,
    resp_view: _SampleView | None,
    out: _Out,
) -> None:
    """Tables list a type's base class right after it (FORMAT.md 2.5); the samples list base
    members among the top-level members. A table no property refers to is a base class."""
    referenced: set[str] = set()
    for d in src.dtos.values():
        for p in d.props:
            if p.type is not None:
                referenced |= p.type.names()

    def tail(name: str) -> str:
        seen = {name}
        while (
            src.dtos[name].base
            and src.dtos[name].base in src.dtos
            and src.dtos[name].base not in seen
        ):
            name = src.dtos[name].base or name
            seen.add(name)
        return name

    resp_idx = order.index(response) if response in order else None
    for idx, name in enumerate(order):
        dto = src.dtos[name]
        if dto.enum or name in (op_name, response) or name in referenced:
            continue
        props = {p.name for p in dto.props}
        in_req = bool(req_view and req_view.top and props and props <= set(req_view.top))
        in_resp = bool(resp_view and resp_view.top and props and props <= set(resp_view.top))
        derived: str | None = None
        if in_req != in_resp:
            derived = tail(op_name if in_req else (response or op_name))
        else:
            prev = next(
                (order[k] for k in range(idx - 1, -1, -1) if not src.dtos[order[k]].enum), None
            )
            if prev is None:
                derived = tail(op_name)
            else:
                derived = prev if src.dtos[prev].base is None else tail(prev)
                unsure = (
                    response is not None
                    and resp_idx is None
                    and resp_view is None
                    and prev != op_name
                )
                if unsure:
                    out.warning(
                        "SS016",
                        dto.line,
                        f"{name} is read as the base class of {derived} (the table before it); "
                        f"it could also be the base of {response}, which has no table",
                    )
        if derived == name:
            continue
        src.dtos[derived].base = name
        src.dtos[derived].base_inferred = True
    # the samples confirm the property lists (top-level members: the DTO and its bases)
    for view, dto_name, block in (
        (req_view, op_name, page.request),
        (resp_view, response, page.response),
    ):
        if view is None or not view.ok or not dto_name or block is None:
            continue
        declared: set[str] = set()
        cur: str | None = dto_name
        seen: set[str] = set()
        while cur and cur in src.dtos and cur not in seen:
            seen.add(cur)
            declared |= {p.name for p in src.dtos[cur].props}
            cur = src.dtos[cur].base
        extra = [m for m in view.top if m not in declared]
        if extra and declared:
            out.warning(
                "SS011",
                block.body_line or block.line,
                f"sample of {dto_name} shows {', '.join(extra)}, which no table of {dto_name} or its bases declares",
            )


# --- merging the sources of one version ------------------------------------------------------

_RANK = {"json": 0, "html": 1, "text": 2, "builtin": 3}


def _where(file: str, line: int) -> str:
    return f"{file}:{line}" if line else file


def merge_sources(sources: list[Source], diags: Collector) -> ApiModel:
    api = ApiModel()
    sources = sorted(
        sources, key=lambda s: (_RANK[s.kind], os.path.basename(s.path) != "metadata.json", s.path)
    )
    api.sources = sources
    api.has_metadata_json = any(s.kind == "json" for s in sources)
    json_dtos = {n for s in sources if s.kind == "json" for n in s.dtos}
    json_ops = {n for s in sources if s.kind == "json" for n in s.ops}
    titles: list[Source] = [s for s in sources if s.title]
    if titles:
        api.title = titles[0].title
        for s in titles[1:]:
            if s.title != api.title:
                diags.warning(
                    "SS013",
                    s.path,
                    s.title_line,
                    f"service name {s.title!r} differs from {api.title!r} ({_where(titles[0].path, titles[0].title_line)})",
                )
    spaces = [s for s in sources if s.namespace]
    if spaces:
        api.namespace = spaces[0].namespace
        for s in spaces[1:]:
            if s.namespace != api.namespace:
                diags.warning(
                    "SS013",
                    s.path,
                    0,
                    f"samples use namespace {s.namespace}, {spaces[0].path} uses {api.namespace}",
                )
    hosts = [s for s in sources if s.host]
    api.base_url = next((s.base_url for s in sources if s.base_url), "")
    if hosts:
        api.host = hosts[0].host
        for s in hosts[1:]:
            if s.host != api.host:
                diags.info(
                    "SS022",
                    s.path,
                    s.host_line,
                    f"host {s.host} differs from {api.host} ({_where(hosts[0].path, hosts[0].host_line)}); "
                    "the client takes its base URL as an argument",
                )
    for s in sources:
        for d, concerns in s.pending:
            if concerns not in json_dtos and concerns not in json_ops:
                diags.add(d)
        for name, dto in s.dtos.items():
            old = api.dtos.get(name)
            if old is None:
                api.dtos[name] = dataclasses.replace(
                    dto,
                    props=[dataclasses.replace(p) for p in dto.props],
                    members=[dataclasses.replace(m) for m in dto.members],
                )
            else:
                _merge_dto(old, dto, diags)
        for name, op in s.ops.items():
            old_op = api.ops.get(name)
            if old_op is None:
                api.ops[name] = dataclasses.replace(
                    op, routes=list(op.routes), samples=dict(op.samples)
                )
            else:
                _merge_op(old_op, op, diags)
    builtins = _builtin_dtos()
    for n, builtin in builtins.items():  # an export that lists a built-in without its members
        listed = api.dtos.get(n)
        if listed is not None and not listed.props and not listed.enum:
            listed.props = [dataclasses.replace(p) for p in builtin.props]
            listed.generic_params = listed.generic_params or builtin.generic_params
            listed.base = listed.base or builtin.base
    needed = True
    while needed:  # the built-ins the API refers to (ResponseStatus, ...)
        needed = False
        for dto in list(api.dtos.values()):
            names = {dto.base or ""} | {n for a in dto.base_args for n in a.names()}
            for p in dto.props:
                names |= p.type.names() if p.type else set()
            for n in sorted(names & (builtins.keys() - api.dtos.keys())):
                api.dtos[n] = builtins[n]
                needed = True
    return api


def _differs(a: str, b: str) -> bool:
    return " ".join(a.split()) != " ".join(b.split())


def _merge_dto(a: Dto, b: Dto, diags: Collector) -> None:
    """a (from the more authoritative source) absorbs b: descriptions fill gaps; differences are warned."""
    there = _where(a.file, a.line)

    def warn(line: int, what: str) -> None:
        diags.warning("SS013", b.file, line or b.line, f"{what} (authoritative: {there})")

    if a.enum != b.enum:
        warn(
            b.line,
            f"{b.name} is {'an enum' if b.enum else 'a class'} here but {'an enum' if a.enum else 'a class'} in {a.file}",
        )
        return
    if not a.description and b.description:
        a.description = b.description
    elif a.description and b.description and _differs(a.description, b.description):
        warn(b.line, f"{b.name}: description {b.description!r} differs from {a.description!r}")
    if a.enum:
        am = [(m.name, m.value) for m in a.members]
        bm = [(m.name, m.value) for m in b.members]
        if am != bm:
            warn(b.line, f"enum {b.name} members {bm} differ from {am}")
        by_name = {m.name: m for m in b.members}
        for m in a.members:
            other = by_name.get(m.name)
            if other is None:
                continue
            if not m.description and other.description:
                m.description = other.description
            elif m.description and other.description and _differs(m.description, other.description):
                warn(
                    other.line,
                    f"enum {b.name}.{m.name}: description {other.description!r} differs from {m.description!r}",
                )
        return
    if (a.base or None) != (b.base or None) and not (
        b.kind != "json" and b.base is None and not b.props
    ):
        how = "inferred from the page's table order" if b.base_inferred else "stated"
        warn(
            b.line,
            f"{b.name}: base class {b.base or '(none)'} ({how}) differs from {a.base or '(none)'}",
        )
    if a.base is None and b.base and a.kind != "json":
        a.base, a.base_inferred = b.base, b.base_inferred
    a_props = {p.name: p for p in a.props}
    b_props = {p.name: p for p in b.props}
    if not a.props and b.props and a.kind != "json":
        a.props = [dataclasses.replace(p) for p in b.props]
        return
    if not b.props and b.kind != "json":
        return  # a placeholder for a type the page shows no table of
    for name in b_props.keys() - a_props.keys():
        warn(b_props[name].line, f"{b.name}.{name} is declared here but not in {a.file}")
    for name in a_props.keys() - b_props.keys():
        warn(b.line, f"{b.name}.{name} ({_where(a.file, a_props[name].line)}) is missing here")
    for p in a.props:
        q = b_props.get(p.name)
        if q is None:
            continue
        if p.type is not None and q.type is not None and str(p.type) != str(q.type):
            warn(
                q.line,
                f"{b.name}.{p.name}: type {q.type.display()} differs from {p.type.display()} ({_where(a.file, p.line)})",
            )
        if p.required != q.required:
            yes_no = ("No", "Yes")
            warn(
                q.line,
                f"{b.name}.{p.name}: required {yes_no[q.required]} differs from {yes_no[p.required]} ({_where(a.file, p.line)})",
            )
        if p.param and q.param and p.param != q.param:
            warn(
                q.line,
                f"{b.name}.{p.name}: parameter kind {q.param} differs from {p.param} ({_where(a.file, p.line)})",
            )
        if not p.description and q.description:
            p.description = q.description
        elif p.description and q.description and _differs(p.description, q.description):
            warn(
                q.line,
                f"{b.name}.{p.name}: description {q.description!r} differs from {p.description!r} ({_where(a.file, p.line)})",
            )
        if not p.allowable and q.allowable:
            p.allowable = q.allowable
        if p.range is None and q.range is not None:
            p.range = q.range
        elif p.range and q.range and p.range != q.range:
            warn(q.line, f"{b.name}.{p.name}: valid range {q.range} differs from {p.range}")


def _route_key(r: Route) -> tuple[str, str]:
    return r.verbs, r.path.rstrip("/").lower()


def _merge_op(a: Op, b: Op, diags: Collector) -> None:
    there = _where(a.file, a.line)

    def warn(line: int, what: str) -> None:
        diags.warning("SS013", b.file, line or b.line, f"{what} (authoritative: {there})")

    if b.response != a.response and b.response and a.response:
        warn(b.line, f"{b.name} returns {b.response} here but {a.response}")
    if not a.description and b.description:
        a.description = b.description
    elif a.description and b.description and _differs(a.description, b.description):
        warn(b.line, f"{b.name}: description {b.description!r} differs from {a.description!r}")
    if b.tags and a.tags and set(a.tags) != set(b.tags):
        warn(b.line, f"{b.name}: tags {list(b.tags)} differ from {list(a.tags)}")
    if not a.tags and b.tags:
        a.tags = b.tags
    if a.routes_complete and b.routes_complete and b.kind != "text":
        if {_route_key(r) for r in a.routes} != {_route_key(r) for r in b.routes}:

            def shown(rs: list[Route]) -> list[str]:
                return [f"{r.verbs or 'ALL'} {r.path}" for r in rs]

            warn(
                b.routes[0].line if b.routes else b.line,
                f"{b.name}: routes {shown(b.routes)} differ from {shown(a.routes)}",
            )
    elif (
        a.routes_complete and b.routes_complete
    ):  # copied text: the split was a guess; only paths are compared
        if {r.path.rstrip("/").lower() for r in a.routes} != {
            r.path.rstrip("/").lower() for r in b.routes
        }:
            warn(
                b.routes[0].line if b.routes else b.line,
                f"{b.name}: route paths {[r.path for r in b.routes]} differ from {[r.path for r in a.routes]}",
            )
    if not a.routes_complete and b.routes_complete:
        a.routes, a.routes_complete = list(b.routes), True
    if (
        a.requires_auth is not None
        and b.requires_auth is not None
        and a.requires_auth != b.requires_auth
        and b.kind != "text"
    ):
        warn(
            b.line,
            f"{b.name}: {'requires' if b.requires_auth else 'does not require'} authentication here",
        )
    if a.requires_auth is None:
        a.requires_auth = b.requires_auth
    for fmt, s in b.samples.items():
        if fmt not in a.samples:
            a.samples[fmt] = s
        else:
            old = a.samples[fmt]
            if _norm_sample(old.request) != _norm_sample(s.request) or _norm_sample(
                old.response
            ) != _norm_sample(s.response):
                line = (s.request.line if s.request else 0) or b.line
                diags.info(
                    "SS013",
                    b.file,
                    line,
                    f"{b.name}: the {fmt} samples differ from those of {old.file}; those are attached",
                )


def _norm_sample(b: Block | None) -> str:
    return " ".join(b.body.split()) if b else ""


# --- the IR -------------------------------------------------------------------------------


def service_name(api: ApiModel, fallback: str = "") -> str:
    """The agent name: the service name the pages show ("Coruson API" -> "Coruson"), else the
    API folder, else the first segment of the DTOs' CLR namespace."""
    title = re.sub(r"\s+(API|Api|api|Services?|Web Services?)$", "", api.title.strip())
    words = re.findall(r"[A-Za-z0-9]+", title)
    if words:
        return "".join(w[:1].upper() + w[1:] for w in words)
    words = re.findall(r"[A-Za-z0-9]+", fallback)
    if words:
        return "".join(w[:1].upper() + w[1:] for w in words)
    spaces = sorted(
        {
            d.namespace.split(".")[0]
            for d in api.dtos.values()
            if d.namespace and d.kind != "builtin"
        }
    )
    return spaces[0] if spaces else "ServiceStack"


def to_service(api: ApiModel, diags: Collector, fallback_name: str = "") -> ir.Service | None:
    if not api.ops:
        return None
    ns = api.namespace or NS
    named = {d.name: clr.Named(ns, d.enum or d.value_type) for d in api.dtos.values()}
    xml = clr.XmlTypes(named)
    types: dict[str, ir.TypeDef] = {}

    for op in api.ops.values():
        for name in (op.request, op.response):
            if name and name not in api.dtos:
                api.dtos[name] = Dto(name, op.file, op.line, op.kind)
                xml.named[name] = clr.Named(ns)
    _check_references(api, diags)
    _order_from_samples(api, diags)
    response_types: dict[str, str] = {}
    for op in api.ops.values():
        if op.response:
            response_types[op.name] = xml.type_name(ClrType(op.response, op.response_args))

    for dto in sorted(api.dtos.values(), key=lambda d: d.name):
        if dto.generic_params:
            continue  # generic definitions: instantiated where used
        qn = ir.qname(ns, dto.name)
        if dto.enum:
            values = tuple(ir.EnumValue(m.wire or m.name, m.value) for m in dto.members)
            types[qn] = ir.EnumType(qn, values, flags=dto.flags, loc=dto.loc)
            continue
        types[qn] = _complex(dto, dto.props, qn, ns, xml, api, diags)
    _instantiate_generics(api, types, ns, xml, diags)
    types.update(xml.created)

    elements: dict[str, ir.Element] = {}
    operations = []
    for op in sorted(api.ops.values(), key=lambda o: o.name):
        req_el = ir.qname(ns, op.request)
        elements[req_el] = ir.Element(req_el, ir.qname(ns, op.request), False, op.loc)
        out_parts: tuple[ir.Part, ...] = ()
        if op.response:
            res_type = response_types[op.name]
            res_el = res_type  # the serializer names the root element after the DTO's contract name
            elements[res_el] = ir.Element(res_el, res_type, False, op.loc)
            out_parts = (ir.Part("parameters", res_el),)
            if ir.local_name(res_el) != op.name + "Response":
                diags.info(
                    "SS017",
                    op.file,
                    op.line,
                    f"{op.name} returns {ir.local_name(res_el)}, not {op.name}Response; "
                    f"the response element is {ir.local_name(res_el)} (the WSDL would say {op.name}Response)",
                )
        request_sample, response_sample = _soap_samples(op, ns, diags)
        req_dto = api.dtos.get(op.request)
        resp_dto = api.dtos.get(op.response) if op.response else None
        operations.append(
            ir.Operation(
                name=op.name,
                soap_action=op.name,
                style="document",
                input_parts=(ir.Part("parameters", req_el),),
                output_parts=out_parts,
                one_way=op.response is None,
                description=op.description or (req_dto.description if req_dto else ""),
                param_docs=tuple(
                    (p.name, p.description) for p in api.all_props(op.request) if p.description
                ),
                returns_doc=resp_dto.description if resp_dto else "",
                request_sample=request_sample,
                response_sample=response_sample,
                loc=op.loc,
                doc_loc=next(
                    (
                        ir.Loc(s.path, s.ops[op.name].line)
                        for s in api.sources
                        if op.name in s.ops and s.kind != "json"
                    ),
                    ir.Loc(),
                ),
            )
        )
    address = ""
    if api.base_url:
        address = api.base_url.rstrip("/") + "/" + ENDPOINT
    elif api.host:
        address = f"https://{api.host}/{ENDPOINT}"
    first_src = api.sources[0] if api.sources else None
    return ir.Service(
        name=service_name(api, fallback_name),
        namespace=ns,
        endpoint=ENDPOINT,
        address=address,
        soap_version="1.2",
        operations=tuple(operations),
        types=tuple(types[k] for k in sorted(types)),
        elements=tuple(elements[k] for k in sorted(elements)),
        wsdl_loc=ir.Loc(first_src.path, 1) if first_src else ir.Loc(),
        inferred=not api.has_metadata_json,
    )


def _complex(
    dto: Dto,
    props: list[Prop],
    qn: str,
    ns: str,
    xml: clr.XmlTypes,
    api: ApiModel,
    diags: Collector,
) -> ir.ComplexType:
    fields = []
    for p in props:
        t = p.type or ClrType("String")
        seen = len(xml.problems)
        fields.append(
            ir.Field(p.wire, ns, xml.type_name(t), 0, 1, xml.nillable(t), doc=p.description)
        )
        for message in xml.problems[seen:]:
            diags.warning("SS015", dto.file, p.line or dto.line, f"{dto.name}.{p.name}: {message}")
    doc = dto.description
    return ir.ComplexType(
        qn,
        tuple(fields),
        base=_base_name(dto, ns, xml, api),
        abstract=dto.abstract,
        inferred=dto.kind in ("html", "text"),
        doc=doc,
        loc=dto.loc,
    )


def _base_name(dto: Dto, ns: str, xml: clr.XmlTypes, api: ApiModel) -> str | None:
    if not dto.base or dto.base not in api.dtos:
        return None
    if dto.base_args:
        return xml.type_name(ClrType(dto.base, dto.base_args))
    return ir.qname(ns, dto.base)


def _substitute(t: ClrType | None, args: dict[str, ClrType]) -> ClrType | None:
    if t is None:
        return None
    inner = tuple(a for a in (_substitute(x, args) for x in t.args) if a is not None)
    if t.name in args and not t.args:
        arg = args[t.name]
        return ClrType(arg.name, arg.args, arg.nullable or t.nullable, arg.array + t.array)
    return ClrType(t.name, inner, t.nullable, t.array)


def _instantiate_generics(
    api: ApiModel, types: dict[str, ir.TypeDef], ns: str, xml: clr.XmlTypes, diags: Collector
) -> None:
    """Generic DTOs (QueryResponse<Report>) become one complex type per use, named as WCF names them."""
    done: set[str] = set()
    while True:
        todo = [(qn, t) for qn, t in sorted(xml.generic_uses.items()) if qn not in done]
        if not todo:
            return
        for qn, t in todo:
            done.add(qn)
            gdef = api.dtos.get(t.name)
            if gdef is None or len(gdef.generic_params) != len(t.args):
                where = gdef.loc if gdef is not None else ir.Loc()
                diags.warning(
                    "SS015",
                    where.file,
                    where.line,
                    f"{t.display()}: {t.name} is not a generic type of {len(t.args)} parameters",
                )
                continue
            subst = dict(zip(gdef.generic_params, t.args))
            props = [dataclasses.replace(p, type=_substitute(p.type, subst)) for p in gdef.props]
            inst = dataclasses.replace(
                gdef,
                base_args=tuple(a for a in (_substitute(x, subst) for x in gdef.base_args) if a),
            )
            types[qn] = _complex(inst, props, qn, ns, xml, api, diags)


def _check_references(api: ApiModel, diags: Collector) -> None:
    known = set(api.dtos) | set(clr.KNOWN)
    for dto in api.dtos.values():
        params = set(dto.generic_params)
        for p in dto.props:
            if p.type is None:
                continue
            for n in sorted(p.type.names() - known - params):
                diags.warning(
                    "SS014",
                    dto.file,
                    p.line or dto.line,
                    f"{dto.name}.{p.name} is of type {n}, which no table, metadata.json or ServiceStack built-in defines; read as string",
                )
        if dto.base and dto.base not in api.dtos:
            diags.warning(
                "SS014",
                dto.file,
                dto.line,
                f"{dto.name} inherits {dto.base}, which is not defined (it has no properties, or its table is missing)",
            )


def _order_from_samples(api: ApiModel, diags: Collector) -> None:
    """DataContract serialization is order-sensitive: where an XML sample shows a DTO's members,
    that order is the wire order (base members first)."""
    for op in api.ops.values():
        for fmt in ("soap12", "soap11", "xml"):
            s = op.samples.get(fmt)
            if s is None:
                continue
            for name, block in ((op.request, s.request), (op.response, s.response)):
                view = _view(block, fmt)
                if not name or view is None or not view.ok or block is None:
                    continue
                for level in reversed(api.chain(name)):
                    own = [p.wire for p in level.props]
                    seen = [m for m in view.top if m in own]
                    if len(seen) == len(own) and seen != own:
                        diags.warning(
                            "SS018",
                            s.file,
                            block.body_line,
                            f"{level.name}: the sample's member order {seen} differs from the declared order {own}; the sample's is used",
                        )
                        pos = {m: k for k, m in enumerate(seen)}
                        level.props.sort(key=lambda p: pos[p.wire])


def _soap_samples(op: Op, ns: str, diags: Collector) -> tuple[ir.Sample | None, ir.Sample | None]:
    s = op.samples.get("soap12")
    if s is None:
        return None, None
    out: list[ir.Sample | None] = []
    for which, block, expect in (
        ("request", s.request, op.request),
        ("response", s.response, op.response),
    ):
        if block is None or not block.body.strip() or not expect:
            out.append(None)
            continue
        try:
            root = parse_xml(block.body)
        except XmlInputError:  # reported by the page reader (SS010)
            out.append(None)
            continue
        body = next(
            (c for c in root if isinstance(c.tag, str) and etree.QName(c).localname == "Body"), None
        )
        first = (
            next((c for c in body if isinstance(c.tag, str)), None) if body is not None else None
        )
        if root.tag != f"{{{ir.SOAP12_ENV}}}Envelope" or first is None:
            diags.warning(
                "SS012",
                s.file,
                block.body_line,
                f"{op.name} {which} sample is not a SOAP 1.2 envelope with a body; not attached",
            )
            out.append(None)
            continue
        if first.tag != ir.qname(ns, expect):
            diags.warning(
                "SS012",
                s.file,
                block.body_line + (_sl(first) or 1) - 1,
                f"{op.name} {which} sample body is {first.tag}, expected {ir.qname(ns, expect)}",
            )
        out.append(ir.Sample(block.body, ir.Loc(s.file, block.body_line)))
    return out[0], out[1]


# --- entry points ------------------------------------------------------------------------------


def read_api(files: Iterable[str], diags: Collector) -> ApiModel:
    """Read and merge the ServiceStack files of one API version into the model."""
    sources = []
    for path in sorted(files):
        src, items = read_file(path)
        diags.extend(items)
        if src is not None:
            sources.append(src)
    return merge_sources(sources, diags)


def read_servicestack(files: list[str], diags: Collector, api_name: str = "") -> list[ir.Service]:
    """The IR Services (one: ServiceStack has one SOAP endpoint) of one API version's files."""
    local = Collector()
    model = read_api(files, local)
    svc = to_service(model, local, api_name)
    if svc is None and not local.has_errors and files:
        local.error(
            "SS020",
            sorted(files)[0],
            1,
            "no operation could be read from the ServiceStack files of this version",
        )
    diags.extend(local.items)
    return [svc] if svc is not None else []


def group_files(
    files: Iterable[str], where: dict[str, tuple[str, str]] | None
) -> dict[tuple[str, str], list[str]]:
    """ServiceStack files by (api, version): from ``where`` (specs/<api>/<Version>/...) or, for a
    file given alone, its folder (version) and the folder above it (api)."""
    groups: dict[tuple[str, str], list[str]] = {}
    for path in files:
        api, version = (where or {}).get(path, ("", ""))
        folder = os.path.dirname(os.path.abspath(path))
        if not version:
            version = os.path.basename(folder) or "default"
        if not api or api == "default":
            api = os.path.basename(os.path.dirname(folder)) or "servicestack"
        groups.setdefault((api, version), []).append(path)
    return groups
