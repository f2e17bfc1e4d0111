"""Metadata pages copied out of a browser (one line per block, table cells run together,
tab-separated or space-aligned) read into a :class:`.page.Page`; rows are split with the column
vocabulary and the CLR type grammar of :mod:`..clr_types`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ....core.diagnostics import warning
from .. import clr_types as clr
from ..clr_types import ClrType
from .model import _AUTH_KEYS, EnumMember, Route, Source, _Out, _verbs
from .page import (
    _AUTH_RE,
    _FORMAT,
    _IDENT,
    _KINDS,
    _RANGE,
    _REQUEST_START,
    _RESPONSE_START,
    Page,
    Row,
    Table,
    _block,
    _type_or_warn,
)

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
