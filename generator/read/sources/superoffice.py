"""Reader for SuperOffice NetServer SOAP reference pages (docfx and mintlify markdown).

Three page types: an operation page (request/response sample envelopes in ```xml fences),
an agent's WSDL page (the whole WSDL in one ```xml fence) and an agent's index page (bullet
links to its operations). The markdown is read with markdown-it-py tokens; the front matter is
simple ``key: value`` lines. XML inside fences is kept untouched: ``Fence.text`` is the file's
text between the opening and closing fence lines (line endings normalised to ``\\n``, as
markdown-it does), so content line ``k`` (0-based) sits on file line ``fence.line + k``.
Readers never raise on bad input; they return diagnostics beside what they could read.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import PurePath

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ...core.diagnostics import Diagnostic, error, warning
from ...core.xmlsafe import XmlInputError
from ...core.xmlsafe import parse as parse_xml
from ..inputs import PAGE_LIMIT, InputError, TooBig, read_input

CODES: dict[str, str] = {
    "SO001": "empty file (nothing but whitespace)",
    "SO002": "file cannot be read, is not UTF-8, or holds binary data (NUL characters)",
    "SO003": "no front matter (page identity comes from the title heading alone)",
    "SO004": "front matter opened with '---' but never closed",
    "SO005": "front matter line is not 'key: value'",
    "SO006": "no '# ...' title heading",
    "SO007": "title heading, uid or front matter title does not parse into version/agent/operation",
    "SO008": "page type not recognized (neither operation, WSDL nor index page); page skipped",
    "SO009": "title heading, uid, front matter title or file name disagree about the page",
    "SO010": "operation page has no request fence ('## <Op> Request' section or its fence missing)",
    "SO011": "operation page has no response fence ('## <Op> Response' section or its fence missing)",
    "SO012": "fenced block is not marked ```xml (used as XML anyway)",
    "SO013": "fenced block never closed (runs to the end of the file); ignored",
    "SO014": "extra fence or repeated section; the first one is used",
    "SO015": "no endpoint ('SOAP request and response examples **...**' line missing)",
    "SO016": "WSDL page has no fence",
    "SO017": "section heading names another operation than the page",
    "SO018": "index page lists no operations",
    "SO019": "file is larger than MAX_BYTES (generator/read/inputs.py PAGE_LIMIT); not read",
    "SO020": "request or response sample is not well-formed XML, or is refused (DOCTYPE, entities); the sample is not used",
}

MAX_BYTES = PAGE_LIMIT  # the largest real page (a WSDL page) is about 1 MB


@dataclass(frozen=True)
class Fence:
    """An xml fenced block."""

    text: str  # the fence content, exactly as in the file
    line: int  # 1-based file line of the first content line (the line after ```xml)


@dataclass(frozen=True)
class OperationPage:
    path: str
    flavour: str  # "docfx" | "mintlify"
    title: str  # the '# ...' heading (front matter title when there is none)
    uid: str
    version: str
    agent: str
    operation: str
    endpoint: str
    description: str
    param_docs: tuple[tuple[str, str], ...]
    returns_doc: str
    wsdl_link: str
    request: Fence | None
    response: Fence | None
    line: int


@dataclass(frozen=True)
class WsdlPage:
    path: str
    version: str
    agent: str
    title: str
    wsdl: Fence


@dataclass(frozen=True)
class IndexPage:
    path: str
    version: str
    agent: str
    operations: tuple[str, ...]


Page = OperationPage | WsdlPage | IndexPage

_MD = MarkdownIt("commonmark")
_W = r"([A-Za-z_]\w*)"
_V = r"([A-Za-z]+\d+)"  # a version: Services88
# (kind, version, agent, operation); kind is "op", "wsdl" or "index"
_Identity = tuple[str, str, str, str]
_PATTERNS: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    "uid": [
        ("wsdl", re.compile(rf"wsdl-{_V}-{_W}")),
        ("index", re.compile(rf"{_V}-{_W}-soap")),
        ("op", re.compile(rf"{_V}-{_W}-{_W}")),
    ],
    "title heading": [
        ("wsdl", re.compile(rf"{_V}\.{_W}Agent WSDL")),
        ("index", re.compile(rf"{_V} {_W} SOAP")),
        ("op", re.compile(rf"{_V} {_W} {_W}")),
    ],
    "front matter title": [
        ("wsdl", re.compile(rf"{_V}\.{_W}Agent WSDL")),
        ("index", re.compile(rf"{_V}\.{_W}Agent SOAP")),
        ("op", re.compile(rf"{_V}\.{_W}Agent\.{_W} SOAP")),
    ],
}
_PARAM = re.compile(r"\*\*([^*]+?):\*\*\s*(.*)", re.DOTALL)
_RETURNS = re.compile(r"\*\*Returns:\*\*\s*(.*)", re.DOTALL)
_BOILERPLATE = ("Obtain a ticket", "Application tokens must")
_ENDPOINT = "SOAP request and response examples"


@dataclass(frozen=True)
class _Block:
    kind: str  # "heading" | "para" | "item" | "fence"
    line: int  # 1-based first line
    text: str  # inline source (heading, para, item) or fence info string
    level: int = 0  # heading level
    inline: Token | None = None
    fence: Fence | None = None  # None for an unclosed fence


def read_file(path: str) -> tuple[Page | None, list[Diagnostic]]:
    """Read and parse one page; bytes are decoded as UTF-8 (a BOM is fine)."""
    data, diags = load_file(path)
    return (None, diags) if data is None else read_bytes(path, data)


def load_file(path: str) -> tuple[bytes | None, list[Diagnostic]]:
    """The bytes of a page (a regular file within MAX_BYTES; see :mod:`soapgen.read.inputs`)."""
    try:
        return read_input(path, MAX_BYTES, "a page"), []
    except TooBig as exc:
        return None, [error("SO019", path, 1, str(exc))]
    except InputError as exc:
        return None, [error("SO002", path, 1, str(exc))]


def read_bytes(path: str, data: bytes) -> tuple[Page | None, list[Diagnostic]]:
    """Parse one page from its bytes."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [error("SO002", path, line, f"not UTF-8 (byte {exc.start})")]
    page, diags = read_page(path, text)
    if isinstance(page, OperationPage):
        page = check_samples(page, diags)
    return page, diags


def read_page(path: str, text: str) -> tuple[Page | None, list[Diagnostic]]:
    """Parse one page's text. Never raises; returns (page or None, diagnostics)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return None, [error("SO001", path, 1, "empty file")]
    if "\0" in text:
        line = text.count("\n", 0, text.index("\0")) + 1
        return None, [error("SO002", path, line, "binary data (NUL) in the file")]
    reader = _Reader(path, text.split("\n"))
    return reader.page(), reader.diags


def check_samples(page: OperationPage, diags: list[Diagnostic]) -> OperationPage:
    """Parse the request and response samples (safely); one that is not well-formed XML, or is
    refused (a DOCTYPE: entities, DTDs), is reported as SO020 and dropped from the page."""
    dropped: dict[str, None] = {}
    for section in ("request", "response"):
        fence: Fence | None = getattr(page, section)
        if fence is None:
            continue
        try:
            parse_xml(fence.text)
        except XmlInputError as exc:
            diags.append(
                error("SO020", page.path, fence.line + exc.line - 1, f"{section} sample: {exc}")
            )
            dropped[section] = None
    return dataclasses.replace(page, **dropped) if dropped else page  # type: ignore[arg-type]


class _Reader:
    def __init__(self, path: str, lines: list[str]) -> None:
        self.path, self.lines = path, lines
        self.diags: list[Diagnostic] = []

    def warn(self, code: str, line: int, message: str) -> None:
        self.diags.append(warning(code, self.path, line, message))

    def err(self, code: str, line: int, message: str) -> None:
        self.diags.append(error(code, self.path, line, message))

    def page(self) -> Page | None:
        meta, meta_lines, body = self.front_matter()
        blocks = self.blocks(body)
        h1 = next((b for b in blocks if b.kind == "heading" and b.level == 1), None)
        if h1 is None:
            self.warn("SO006", body + 1, "no '# ...' title heading")
        line = h1.line if h1 else 1
        ident = self.identify(
            [
                ("uid", meta_lines.get("uid", 1), meta.get("uid")),
                ("title heading", line, h1.text if h1 else None),
                ("front matter title", meta_lines.get("title", 1), meta.get("title")),
            ]
        )
        if ident is None:
            self.warn("SO008", line, "page type not recognized")
            return None
        kind, version, agent, op = ident
        title = h1.text if h1 else meta.get("title", "")
        if kind == "wsdl":
            fences = [b for b in blocks if b.kind == "fence"]
            for b in fences[1:]:
                self.warn("SO014", b.line, "extra fence on WSDL page; the first is used")
            if not fences or fences[0].fence is None:
                if not fences:
                    self.err("SO016", line, "WSDL page has no fence")
                return None
            return WsdlPage(self.path, version, agent, title, fences[0].fence)
        if kind == "index":
            items = [b.inline for b in blocks if b.kind == "item" and b.inline]
            ops = tuple(t for i in items for t, _ in _spans(i, "link"))
            if not ops:
                self.warn("SO018", line, "index lists no operations")
            return IndexPage(self.path, version, agent, ops)
        uid = meta.get("uid", "")
        return self.operation(blocks, uid, title, version, agent, op, line)

    def front_matter(self) -> tuple[dict[str, str], dict[str, int], int]:
        """Return (key -> value, key -> 1-based line, index of the first body line)."""
        lines = self.lines
        if lines[0].rstrip() != "---":
            self.warn("SO003", 1, "no front matter")
            return {}, {}, 0
        ends = (i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
        end = next(ends, None)
        if end is None:
            self.err("SO004", 1, "front matter never closed")
            return {}, {}, 0
        meta: dict[str, str] = {}
        where: dict[str, int] = {}
        for i in range(1, end):
            raw = lines[i].strip()
            key, colon, value = raw.partition(":")
            if raw and not raw.startswith("#") and (not colon or not key.strip()):
                self.warn("SO005", i + 1, f"not 'key: value': {raw[:60]!r}")
            elif raw and not raw.startswith("#"):
                value = value.strip()
                if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                    value = value[1:-1]
                meta[key.strip()], where[key.strip()] = value, i + 1
        return meta, where, end + 1

    def blocks(self, body: int) -> list[_Block]:
        """Headings, paragraphs, list-item paragraphs and fences, in document order.

        Front matter lines are blanked, so token maps are file lines."""
        tokens = _parse_markdown([""] * body + self.lines[body:])
        blocks: list[_Block] = []
        depth = 0
        for i, tok in enumerate(tokens):
            if tok.type in ("list_item_open", "list_item_close"):
                depth += 1 if tok.type == "list_item_open" else -1
            elif tok.map and tok.type == "heading_open":
                text = tokens[i + 1].content.strip()
                blocks.append(_Block("heading", tok.map[0] + 1, text, int(tok.tag[1:])))
            elif tok.map and tok.type == "paragraph_open":
                inline = tokens[i + 1]
                kind = "item" if depth else "para"
                blocks.append(_Block(kind, tok.map[0] + 1, inline.content, 0, inline))
            elif tok.map and tok.type == "fence":
                blocks.append(self.fence(tok.map[0], tok.map[1], tok))
        return blocks

    def fence(self, start: int, end: int, tok: Token) -> _Block:
        last = self.lines[end - 1].strip() if end - 1 > start else ""
        info = tok.info.strip()
        if not last.startswith(tok.markup) or last.strip(tok.markup[0]):
            self.err("SO013", start + 1, "fence never closed; ignored")
            return _Block("fence", start + 1, info)
        if (info.split() or [""])[0].lower() != "xml":
            shown = f"```{info}" if info else "a bare ```"
            self.warn("SO012", start + 1, f"fence is {shown}, not ```xml")
        body = "".join(line + "\n" for line in self.lines[start + 1 : end - 1])
        return _Block("fence", start + 1, info, fence=Fence(body, start + 2))

    def identify(self, sources: list[tuple[str, int, str | None]]) -> _Identity | None:
        """Parse each identity source; the first that parses wins, others must agree."""
        found: list[tuple[str, int, _Identity]] = []
        for name, line, raw in sources:
            ident = None if raw is None else _parse_identity(name, raw)
            if raw is not None and ident is None:
                self.warn("SO007", line, f"{name} {raw!r} does not parse")
            elif ident is not None:
                found.append((name, line, ident))
        if not found:
            return None
        first, first_line, chosen = found[0]
        for name, line, ident in found[1:]:
            if ident != chosen:
                says = f"{name} says {_show(ident)}, {first} says {_show(chosen)}"
                self.warn("SO009", line, f"{says}; using {first}")
        if PurePath(self.path).name == "index.md" and chosen[0] != "index":
            self.warn("SO009", first_line, f"index.md holds a {_show(chosen)}")
        return chosen

    def operation(
        self, blocks: list[_Block], uid: str, title: str,
        version: str, agent: str, op: str, line: int,
    ) -> OperationPage:  # fmt: skip
        endpoint = wsdl_link = returns_doc = ""
        docfx = False
        description: list[str] = []
        params: list[tuple[str, str]] = []
        fences: dict[str, Fence] = {}
        heads: dict[str, int] = {}  # section -> line of its heading
        broken: set[str] = set()  # sections whose fence was unclosed (reported)
        section = ""  # "" (before any '##'), "desc", "request", "response", "other"
        for b in blocks:
            if b.kind == "heading" and b.level <= 2:
                section = self.section(b, op, heads) if b.level == 2 else ""
            elif b.kind == "para" and section == "" and b.inline is not None:
                strong = [t for t, _ in _spans(b.inline, "strong")]
                if b.text.startswith(_ENDPOINT) and strong and not endpoint:
                    endpoint = strong[0]
                docfx = docfx or "<see cref=" in b.text
            elif b.kind == "para" and section == "desc" and b.inline is not None:
                links = [href for _, href in _spans(b.inline, "link")]
                if b.text.startswith("[WSDL file for") and links and not wsdl_link:
                    wsdl_link = links[0]
                elif (m := _RETURNS.fullmatch(b.text)) is not None:
                    returns_doc = m.group(1).strip()
                elif not b.text.startswith(_BOILERPLATE):
                    description.append(b.text.strip())
            elif b.kind == "item" and section == "desc":
                if (m := _PARAM.fullmatch(b.text.strip())) is not None:
                    params.append((m.group(1).strip(), m.group(2).strip()))
                else:
                    description.append("* " + b.text.strip())
            elif b.kind == "fence" and section in ("request", "response"):
                if b.fence is None:
                    broken.add(section)
                elif section in fences:
                    self.warn("SO014", b.line, f"extra fence in {section} section")
                else:
                    fences[section] = b.fence
        for section, code in (("request", "SO010"), ("response", "SO011")):
            if section not in fences and section not in broken:
                what = "has no fence" if section in heads else "is missing"
                where = heads.get(section, line)
                self.err(code, where, f"'## {op} {section.title()}' section {what}")
        if not endpoint:
            self.warn("SO015", line, f"no '{_ENDPOINT} **...**' endpoint")
        flavour = "docfx" if docfx or wsdl_link.endswith(".md") else "mintlify"
        return OperationPage(
            self.path, flavour, title, uid, version, agent, op, endpoint,
            "\n\n".join(description), tuple(params), returns_doc, wsdl_link,
            fences.get("request"), fences.get("response"), line,
        )  # fmt: skip

    def section(self, b: _Block, op: str, heads: dict[str, int]) -> str:
        """Classify a '## ...' heading of an operation page; note where it starts."""
        words = b.text.split()
        if b.text == op:
            section = "desc"
        elif len(words) == 2 and words[1] in ("Request", "Response"):
            section = words[1].lower()
            if words[0] != op:
                self.warn("SO017", b.line, f"'{b.text}' on the page of {op}")
        else:
            return "other"
        if section in heads:
            self.warn("SO014", b.line, f"repeated section '{b.text}'; ignored")
            return "other"
        heads[section] = b.line
        return section


_FENCE_OPEN = re.compile(r"(`{3,}|~{3,})(.*)")


def _top_level_fences(lines: list[str]) -> list[tuple[int, int]]:
    """(first, end) line ranges of the fences that open at column 0, as CommonMark closes them."""
    regions = []
    i = 0
    while i < len(lines):
        m = _FENCE_OPEN.fullmatch(lines[i])
        if m is None or (m.group(1)[0] == "`" and "`" in m.group(2)):
            i += 1
            continue
        mark = m.group(1)
        j = i + 1
        while j < len(lines):
            stripped = lines[j].lstrip(" ")
            if (
                len(lines[j]) - len(stripped) < 4
                and stripped.startswith(mark)
                and not stripped.rstrip(" \t").strip(mark[0])
            ):
                break
            j += 1
        regions.append((i, min(j + 1, len(lines))))
        i = j + 1
    return regions


def _parse_markdown(lines: list[str]) -> list[Token]:
    """markdown-it tokens of the page; the content of top-level fences is not handed to it.

    The parser walks every character of its input, and a WSDL page is one huge fence: its
    content lines are blanked first (a fence's content never changes how the rest parses, and
    the readers take fence text from the file's lines). If markdown-it does not see exactly
    those fences, the page is parsed as it is.
    """
    regions = [r for r in _top_level_fences(lines) if r[1] - r[0] > 2]
    if not regions:
        return _MD.parse("\n".join(lines))
    blanked = list(lines)
    for first, end in regions:
        closed = end - 1 > first and bool(lines[end - 1].strip()) and end <= len(lines)
        blanked[first + 1 : end - 1 if closed else end] = [""] * (
            (end - 1 if closed else end) - first - 1
        )
    tokens = _MD.parse("\n".join(blanked))
    seen = {tuple(t.map) for t in tokens if t.type == "fence" and t.level == 0 and t.map}
    if all(r in seen for r in regions):
        return tokens
    return _MD.parse("\n".join(lines))


def _parse_identity(name: str, raw: str) -> _Identity | None:
    text = " ".join(raw.split())
    for kind, pattern in _PATTERNS[name]:
        if m := pattern.fullmatch(text):
            version, agent, *rest = m.groups()
            return kind, version, agent, rest[0] if rest else ""
    return None


def _show(ident: _Identity) -> str:
    kind, version, agent, op = ident
    what = {"op": "operation", "wsdl": "WSDL page", "index": "index page"}[kind]
    return f"{what} {'/'.join(p for p in (version, agent, op) if p)}"


def _spans(inline: Token, name: str) -> list[tuple[str, str]]:
    """(text, href) of each ``name`` span ("strong" or "link") in an inline token."""
    spans: list[tuple[str, str]] = []
    current: list[str] | None = None
    href = ""
    for child in inline.children or []:
        if child.type == f"{name}_open":
            current, href = [], str(child.attrs.get("href", ""))
        elif child.type == f"{name}_close" and current is not None:
            if text := "".join(current).strip():
                spans.append((text, href))
            current = None
        elif current is not None:
            current.append(child.content)
    return spans
