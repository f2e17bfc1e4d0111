"""Python literals and XML markup for the plan: every string that reaches generated code as a
literal is made here (repr-escaped, quoted as black quotes it), and every namespace gets one
prefix per version."""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from ..core.ir import XML_NS, XSI, split_qname


def lit(text: str) -> str:
    """A Python string literal for any text, quoted as black quotes it.

    The escaping is repr's (which never lets text escape the literal); the quotes are double
    unless that needs more backslashes, black's rule, so black has nothing to change.
    """
    r = repr(text)
    if r[0] == '"' or ("'" not in text and '"' not in text):
        return r if r[0] == '"' else '"' + r[1:-1] + '"'
    if text.count('"') > text.count("'"):
        return r
    return (
        '"'
        + "".join('\\"' if ch == '"' else "'" if ch == "'" else repr(ch)[1:-1] for ch in text)
        + '"'
    )


def docstring(text: str, indent: str = "") -> str:
    """A triple-quoted docstring literal whose content cannot end or escape the literal."""
    text = "".join(ch if ch.isprintable() or ch == "\n" else " " for ch in text.replace("\t", " "))
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').strip()
    if text.endswith('"'):
        text += " "
    if not text:
        text = "(undocumented)"
    lines = text.split("\n")
    if len(lines) == 1:
        return f'"""{text}"""'
    body = "\n".join((indent + ln) if ln.strip() else "" for ln in lines[1:])
    return f'"""{lines[0]}\n{body}\n{indent}"""'


def bytes_literal(data: bytes) -> str:
    """repr() of bytes, double-quoted unless that needs more backslashes (black's rule)."""
    if data.count(b'"') > data.count(b"'"):
        return (
            repr(data)
            if repr(data)[1] == "'"
            else "b'" + "".join(_byte(b, "'") for b in data) + "'"
        )
    return 'b"' + "".join(_byte(b, '"') for b in data) + '"'


def _byte(b: int, quote: str) -> str:
    if b == 92:
        return "\\\\"
    if chr(b) == quote:
        return "\\" + quote
    if 32 <= b < 127:
        return chr(b)
    return repr(bytes([b]))[2:-1]


def py_literal(value: object) -> str:
    """repr() of nested lists, tuples, str and int, with strings quoted as black quotes them."""
    if isinstance(value, str):
        return lit(value)
    if isinstance(value, list):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    if isinstance(value, tuple):
        inner = ", ".join(py_literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, int):
        return repr(value)
    raise TypeError(type(value).__name__)


class Prefixes:
    """One prefix per namespace of a version, for the markup generated code writes as text
    (the XML namespace has its own prefix, xml:, never declared)."""

    def __init__(self, namespaces: Iterable[str]) -> None:
        numbered = sorted(set(namespaces) - {"", XML_NS})
        self.map = {ns: f"n{i}" for i, ns in enumerate(numbered)}
        self.map[XML_NS] = "xml"

    def tag(self, name: str) -> str:
        ns, local = split_qname(name)
        if not ns:
            return local
        if ns not in self.map:
            self.map[ns] = f"n{len(self.map) - 1}"
        return f"{self.map[ns]}:{local}"

    def clark(self, name: str) -> str:
        """A Clark name as an expression of the module's namespace constants: _n2 + "Local"."""
        ns, local = split_qname(name)
        if not ns or ns == XML_NS:
            return lit(name)
        prefix = self.tag(name).partition(":")[0]
        return f"_{prefix} + {lit(local)}"

    def constants(self) -> list[tuple[str, str]]:
        """(name, literal) of the namespace constants :meth:`clark` uses, e.g. ("_n2", "{urn:x}")."""
        return [(f"_{prefix}", lit("{" + ns + "}")) for ns, prefix in self._numbered()]

    def decls(self) -> str:
        out = f' xmlns:i="{XSI}"'
        for ns, prefix in self._numbered():
            out += f' xmlns:{prefix}="{xml_attr(ns)}"'
        return out

    def _numbered(self) -> list[tuple[str, str]]:
        """The namespaces with a declared prefix n0, n1, ..., in order (xml: is not one)."""
        found = [(ns, p) for ns, p in self.map.items() if ns != XML_NS]
        return sorted(found, key=lambda kv: int(kv[1][1:]))


def is_ncname(name: str) -> bool:
    """An XML name without a colon (what an element or attribute local name must be)."""
    if not name or ":" in name:
        return False
    try:
        etree.Element(name)
    except ValueError:
        return False
    return True


def xml_attr(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
