"""Metadata pages: the common shape HTML pages and their copied text are read into (a
:class:`Page` of :class:`Table` rows), their vocabulary, and the HTTP sample blocks they show."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from ....core.diagnostics import Diagnostic
from ....core.xmlsafe import XmlInputError
from ....core.xmlsafe import parse as parse_xml
from .. import clr_types as clr
from ..clr_types import ClrType, ClrTypeError
from .model import Block, EnumMember, Route, _Out


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


def _sl(el: Any) -> int:
    """An element's source line (0 when unknown)."""
    return int(getattr(el, "sourceline", 0) or 0)


def _type_or_warn(type_text: str, what: str, line: int, out: _Out) -> ClrType | None:
    try:
        return clr.parse(type_text)
    except ClrTypeError as exc:
        out.warning(
            "SS005", line, f"{what}: data type {type_text!r} does not parse ({exc}); read as string"
        )
        return None


# --- what a sample shows -------------------------------------------------------------------


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
