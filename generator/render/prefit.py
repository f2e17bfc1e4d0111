"""Lay out the long lines of rendered code the way black will, before black sees them.

Black formats a module twice when its first pass changes anything (to make sure the result is
stable), so a rendered module that is already laid out as black lays it out costs half. The
templates emit most lines in black's form; what they cannot know is how long a line gets once
names are filled in. This pass splits the few line shapes generated code has, exactly as black
splits them:

- ``head(arg)`` with one argument: the argument on a line of its own;
- ``head(a, b)``: the arguments on one line of their own when that line fits;
- ``target = [...]`` or ``{...}``: the body on its own line, or a comprehension's ``for`` on a
  second line;
- ``target = "text"``: the string in parentheses on its own line, when that fits;
- ``return a if b else c``: the expression in parentheses on its own line, when that fits.

Anything else (comments, triple quotes, deeper nesting) is left alone. Black still formats the
result, so a wrong guess here costs time, never correctness.
"""

from __future__ import annotations

import re

WIDTH = 100
_TOKEN = re.compile(r'"""|\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|#[^\n]*')
_TRIPLE_END = {
    '"""': re.compile(r'(?:[^"\\]|\\.|"(?!""))*"""', re.S),
    "'''": re.compile(r"(?:[^'\\]|\\.|'(?!''))*'''", re.S),
}
_OPEN = {"(": ")", "[": "]", "{": "}"}


def _scan(line: str) -> list[tuple[int, str]] | None:
    """Positions of the brackets outside strings, or None for a line this pass does not read."""
    out: list[tuple[int, str]] = []
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        if ch in "'\"":
            if line.startswith(ch * 3, i):
                return None
            i += 1
            while i < n and line[i] != ch:
                i += 2 if line[i] == "\\" else 1
            if i >= n:
                return None
        elif ch == "#" or ch == "\\":
            return None
        elif ch in "([{)]}":
            out.append((i, ch))
        i += 1
    return out


def _match(brackets: list[tuple[int, str]], start: int) -> int | None:
    """Index in `brackets` of the bracket closing brackets[start]."""
    depth = 0
    for k in range(start, len(brackets)):
        ch = brackets[k][1]
        depth += 1 if ch in _OPEN else -1
        if depth == 0:
            return k
    return None


def _top_level(text: str, brackets: list[tuple[int, str]], offset: int, sep: str) -> list[int]:
    """Positions (in text) of `sep` outside strings and brackets."""
    depth = 0
    marks = {p - offset: c for p, c in brackets if 0 <= p - offset < len(text)}
    cuts = []
    in_string = _string_mask(text)
    for i in range(len(text)):
        b = marks.get(i)
        if b is not None:
            depth += 1 if b in _OPEN else -1
        elif depth == 0 and not in_string[i] and text.startswith(sep, i):
            cuts.append(i)
    return cuts


def _string_mask(text: str) -> list[bool]:
    mask = [False] * len(text)
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "'\"":
            start = i
            i += 1
            while i < n and text[i] != ch:
                i += 2 if text[i] == "\\" else 1
            for k in range(start, min(i + 1, n)):
                mask[k] = True
        i += 1
    return mask


def _split_line(line: str) -> list[str] | None:
    indent = line[: len(line) - len(line.lstrip(" "))]
    body = line[len(indent) :]
    brackets = _scan(body)
    if brackets is None:
        return None
    inner_indent = indent + "    "
    # `target = "a string"`, `target: T = Name.MEMBER` or `return f"..."`: the value in parentheses
    eq = body.find(" = ")
    if body.startswith("return "):
        eq = len("return") - 3 + 1
    if eq > 0:
        value = body[eq + 3 :]
        text = value[1:] if value[:2] == 'f"' else value
        atom = text[:1] == '"' and text.endswith('"') and all(_string_mask(text))
        atom = atom or re.fullmatch(r"[A-Za-z_][\w.]*", value) is not None
        if atom and not any(p > eq for p, _ in brackets):
            if len(inner_indent) + len(value) <= WIDTH:
                return [f"{indent}{body[: eq + 3]}(", f"{inner_indent}{value}", f"{indent})"]
            return None
    ifs = _top_level(body[7:], brackets, 7, " if ") if body.startswith("return ") else []
    elses = _top_level(body[7:], brackets, 7, " else ") if ifs else []
    if elses:
        # black wraps a conditional expression it has to split in parentheses
        value = body[7:]
        if len(inner_indent) + len(value) <= WIDTH:
            return [f"{indent}return (", f"{inner_indent}{value}", f"{indent})"]
        # else one line each for the value, `if` and `else`, when they fit
        cut_if, cut_else = ifs[0], elses[0]
        parts = [value[:cut_if], value[cut_if + 1 : cut_else], value[cut_else + 1 :]]
        if cut_if < cut_else and all(len(inner_indent) + len(p) <= WIDTH for p in parts):
            return [f"{indent}return ("] + [f"{inner_indent}{p}" for p in parts] + [f"{indent})"]
        return None
    if brackets:
        start = 0
        assign = _top_level(body, brackets, 0, " = ")
        if assign:  # `target[key] = {...}`: the value's bracket
            start = next((k for k, (p, _) in enumerate(brackets) if p > assign[0]), 0)
        first_pos, first = brackets[start]
        close = _match(brackets, start)
        ends_line = close == len(brackets) - 1 and brackets[-1][0] == len(body) - 1
        if close is not None and ends_line:
            head, inside = body[:first_pos], body[first_pos + 1 : -1]
            if first == "(" and head and not head.endswith(" ") and head[-1] not in "=":
                # one string argument: on a line of its own even when it does not fit
                string = inside[:1] in "\"'" or inside[:2] in ('f"', "f'")
                if string and not _top_level(inside, brackets, first_pos + 1, ", "):
                    return [f"{indent}{head}(", f"{inner_indent}{inside}", f"{indent})"]
            elif first in "[{" and head.endswith(" = ") and len(inner_indent) + len(inside) > WIDTH:
                # a comprehension: the element and its `for` on lines of their own
                fors = _top_level(inside, brackets, first_pos + 1, " for ")
                if len(fors) == 1:
                    element, loop = inside[: fors[0]], inside[fors[0] + 1 :]
                    if max(len(element), len(loop)) + len(inner_indent) <= WIDTH:
                        return [
                            f"{indent}{head}{first}",
                            f"{inner_indent}{element}",
                            f"{inner_indent}{loop}",
                            f"{indent}{_OPEN[first]}",
                        ]
        return _rhs(indent, body)
    return None


_TAIL = re.compile(r"[)\]}](?:,|:| -> [\w. |]+:)?")
_LAMBDA_PARAMS = re.compile(r"\blambda\b[^:]*,")


def _rhs(indent: str, body: str, depth: int = 0) -> list[str] | None:
    """Black's right-hand split, applied again to the lines it makes: the last bracket pair of
    the line opens at the end of the first line and closes the last one; between them the
    contents on one line when it fits, else one element a line with a trailing comma. Only for
    a line whose last bracket closes it (followed by nothing, a comma, a colon or a return
    annotation); None for anything else."""
    if len(indent) + len(body) <= WIDTH:
        return [indent + body]
    brackets = _scan(body)
    if not brackets or depth > 12 or brackets[-1][1] in _OPEN:
        return None
    open_k = _match_back(brackets, len(brackets) - 1)
    if open_k is None:
        return None
    (open_pos, open_ch), close_pos = brackets[open_k], brackets[-1][0]
    head, inside, tail = body[: open_pos + 1], body[open_pos + 1 : close_pos], body[close_pos:]
    if not _TAIL.fullmatch(tail) or not inside.strip() or len(indent) + len(head) > WIDTH:
        return None
    if open_ch == "[" and len(head) > 1 and (head[-2].isalnum() or head[-2] in "_)]"):
        return None  # a subscript: black splits those its own way
    if _LAMBDA_PARAMS.search(inside):
        return None  # a lambda's parameters are not elements
    inner = indent + "    "
    cuts = _top_level(inside, brackets, open_pos + 1, ", ")
    one_line = len(inner) + len(inside) <= WIDTH and not inside.endswith(",")
    if not cuts:
        sub = [inner + inside] if one_line else _rhs(inner, inside, depth + 1)
        return None if sub is None else [indent + head, *sub, indent + tail]
    if one_line:
        return [indent + head, inner + inside, indent + tail]
    out = [indent + head]
    for start, end in zip([0, *(c + 2 for c in cuts)], [*cuts, len(inside)], strict=True):
        element = inside[start:end].strip()
        if not element:
            continue  # a trailing comma already there
        sub = _rhs(inner, element + ",", depth + 1)
        if sub is None:
            return None
        out.extend(sub)
    out.append(indent + tail)
    return out


def _match_back(brackets: list[tuple[int, str]], end: int) -> int | None:
    """Index in `brackets` of the bracket opening brackets[end]."""
    depth = 0
    for k in range(end, -1, -1):
        depth += 1 if brackets[k][1] not in _OPEN else -1
        if depth == 0:
            return k
    return None


def _in_triple_quotes(text: str) -> set[int]:
    """Numbers of the lines a triple-quoted string touches (never split: that changes its text)."""
    lines: set[int] = set()
    pos, line_no, counted = 0, 0, 0
    while True:
        m = _TOKEN.search(text, pos)
        if m is None:
            return lines
        tok = m.group()
        if tok in _TRIPLE_END:
            end_m = _TRIPLE_END[tok].match(text, m.end())
            end = end_m.end() if end_m else len(text)
            line_no += text.count("\n", counted, m.start())
            last = line_no + text.count("\n", m.start(), end)
            lines.update(range(line_no, last + 1))
            line_no, counted, pos = last, end, end
        else:
            pos = m.end()


def prefit(text: str) -> str:
    """The module with its over-long lines split as black splits them (where this pass knows how)."""
    lines = text.split("\n")
    if not any(len(line) > WIDTH for line in lines):
        return text
    protected = _in_triple_quotes(text)
    out: list[str] = []
    for i, line in enumerate(lines):
        if len(line) > WIDTH and i not in protected:
            split = _split_line(line)
            if split is not None:
                out.extend(split)
                continue
        out.append(line)
    return "\n".join(out)


def strip_parens(expr: str) -> str:
    """`(x or "")` -> `x or ""`: an expression as black writes it alone on a right-hand side."""
    if expr[:1] != "(" or expr[-1:] != ")":
        return expr
    brackets = _scan(expr)
    if not brackets or _match(brackets, 0) != len(brackets) - 1:
        return expr
    return expr[1:-1]
