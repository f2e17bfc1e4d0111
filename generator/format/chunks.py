"""Cut a generated module into its top-level definitions, and join formatted pieces again.

Black puts exactly two blank lines before and after every top-level ``class`` and ``def`` (with
their decorators and the comment lines directly above them). So a module cut just before each
such definition, each piece formatted alone and the pieces joined with two blank lines, reads
exactly as black writes the whole module, as long as every cut sits between statements.

A cut is made only before a column-0 ``class``/``def``/``async def`` line (or the decorators and
comments directly above it) that follows a blank line after a line that is not a comment. A cut
that lands inside a string or a bracket anyway (possible only in text the generator did not
write) leaves a piece black cannot parse; :mod:`soapgen.format.formatter` then formats that module whole.
"""

from __future__ import annotations

import re

_DEF = re.compile(r"(?:class|def|async[ \t]+def)[ \t(:]")
SEPARATOR = "\n\n\n"


def split_chunks(text: str) -> list[str]:
    """The module's pieces, each ending in exactly one newline (no trailing blank lines)."""
    lines = text.split("\n")
    cuts = [0]
    for i, line in enumerate(lines):
        if i == 0 or not _DEF.match(line):
            continue
        j = i  # the cut goes above the decorators and comments that belong to this definition
        while j > 0 and lines[j - 1][:1] in ("@", "#"):
            j -= 1
        if j <= cuts[-1] or lines[j - 1].strip():
            continue  # nothing before it since the last cut, or no blank line above it
        k = j - 1
        while k > cuts[-1] and not lines[k].strip():
            k -= 1
        above = lines[k].strip()
        if k <= cuts[-1] or above.startswith(("#", "@")) or above.endswith("\\"):
            continue  # a comment or decorator above the blank lines belongs with what follows
        cuts.append(j)
    cuts.append(len(lines))
    pieces = ["\n".join(lines[a:b]).rstrip() + "\n" for a, b in zip(cuts, cuts[1:])]
    return pieces if len(pieces) > 1 else [text]


def join_chunks(formatted: list[str]) -> str:
    """Formatted pieces (each ending in one newline) as one module."""
    if len(formatted) == 1:
        return formatted[0]
    return SEPARATOR.join(p.rstrip("\n") for p in formatted) + "\n"
