"""HTML metadata pages (``/{format}/metadata?op=X``) read into a :class:`.page.Page`, with
lxml.html, which copes with the pages' known markup faults."""

from __future__ import annotations

import html
import re
from typing import Any

from lxml import etree
from lxml import html as lhtml

from .model import _AUTH_KEYS, Block, EnumMember, Route, _Out, _verbs
from .page import _FORMAT, _IDENT, _RANGE, Page, Row, Table, _block, _sl, _type_or_warn

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
