"""Diagnostics are values: a level, a stable code, a file, a line and a message.

Readers never raise on bad input; they return diagnostics beside what they could read.
The CLI groups and prints them and turns them into exit codes.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Level(enum.IntEnum):
    INFO = 0
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, order=True)
class Diagnostic:
    file: str
    line: int
    level: Level
    code: str
    message: str

    def format(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.level} {self.code} {self.message}"

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "level": str(self.level),
            "code": self.code,
            "message": self.message,
        }


def error(code: str, file: str, line: int, message: str) -> Diagnostic:
    return Diagnostic(file, line, Level.ERROR, code, message)


def warning(code: str, file: str, line: int, message: str) -> Diagnostic:
    return Diagnostic(file, line, Level.WARNING, code, message)


def info(code: str, file: str, line: int, message: str) -> Diagnostic:
    return Diagnostic(file, line, Level.INFO, code, message)


def has_errors(diags: list[Diagnostic] | tuple[Diagnostic, ...]) -> bool:
    return any(d.level is Level.ERROR for d in diags)


class Collector:
    """Accumulates diagnostics; de-duplicates and sorts them for stable output."""

    def __init__(self) -> None:
        self._items: set[Diagnostic] = set()

    def add(self, diag: Diagnostic) -> None:
        self._items.add(diag)

    def extend(self, diags: list[Diagnostic] | tuple[Diagnostic, ...]) -> None:
        self._items.update(diags)

    def error(self, code: str, file: str, line: int, message: str) -> None:
        self.add(error(code, file, line, message))

    def warning(self, code: str, file: str, line: int, message: str) -> None:
        self.add(warning(code, file, line, message))

    def info(self, code: str, file: str, line: int, message: str) -> None:
        self.add(info(code, file, line, message))

    @property
    def items(self) -> list[Diagnostic]:
        return sorted(self._items)

    @property
    def has_errors(self) -> bool:
        return has_errors(tuple(self._items))
