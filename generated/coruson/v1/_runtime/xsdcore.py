"""What every codec of :mod:`.xsd` shares: the Codec class, XML Schema's whitespace and the
errors codecs raise."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Codec(Generic[T]):
    """The lexical space of one simple type.

    ``name`` is the type ("xs:int"), ``python`` the Python type as generated code annotates it
    ("int", "_dt.datetime"); ``parse(text) -> T`` and ``format(value: T) -> str`` are plain
    functions (no ``self``), fast to call from a table.
    """

    __slots__ = ("name", "python", "parse", "format")

    def __init__(
        self, name: str, python: str, parse: Callable[[str], T], format: Callable[[T], str]
    ) -> None:
        self.name = name
        self.python = python
        self.parse = parse
        self.format = format

    def __repr__(self) -> str:
        return f"Codec({self.name!r}, {self.python!r})"


# XML Schema's whitespace: never str.strip()/split() without arguments, which take U+00A0 too
_WS = " \t\n\r"
_WS_RUN = re.compile("[ \t\n\r]+")
_TO_SPACE = str.maketrans("\t\n\r", "   ")
# the characters XML 1.0 forbids (the complement of its Char production: a small class, quick
# to compile at import, unlike the complement of the allowed ranges)
_NOT_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _show(value: object) -> str:
    text = repr(value)
    if len(text) <= 80:
        return text
    size = f"{len(value)} characters" if isinstance(value, str) else f"{type(value).__name__}"
    return f"{text[:72]}...{text[-1]} ({size})"


def _invalid(name: str, text: str, why: str = "") -> ValueError:
    return ValueError(f"invalid {name}: {_show(text)}" + (f" ({why})" if why else ""))


def _wrong_type(name: str, expected: str, value: object) -> TypeError:
    return TypeError(f"{name} needs {expected}, not {type(value).__name__} {_show(value)}")


def _collapse(text: str) -> str:
    return " ".join(_WS_RUN.split(text.strip(_WS)))
