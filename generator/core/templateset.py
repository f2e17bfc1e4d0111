"""The templates a run renders with: soapgen's own (package data), each shadowed by a file of
the same name in the project's override folder ([tool.soapgen] templates), if it has one.
"""

from __future__ import annotations

import hashlib
import os
from importlib import resources

import jinja2

RUNTIME = "runtime/"  # the runtime package, copied into every generated package as _runtime/
_NOT_TEMPLATES = frozenset({"__init__.py"})  # (at the top: the marker of soapgen.templates)


class TemplateError(Exception):
    pass


def packaged_dir() -> str:
    """The folder of soapgen's own templates (inside the installed distribution)."""
    return str(resources.files("soapgen.templates"))


class TemplateSet:
    def __init__(self, override: str | None = None) -> None:
        self.packaged = packaged_dir()
        self.override = override
        self.names = [n for n in _files(self.packaged) if n not in _NOT_TEMPLATES]
        if override is not None:
            self._check_override(override)

    def _check_override(self, folder: str) -> None:
        if not os.path.isdir(folder):
            raise TemplateError(f"templates folder {folder} does not exist")
        unknown = [n for n in _files(folder) if n not in self.names and n not in _NOT_TEMPLATES]
        if unknown:
            raise TemplateError(
                f"{folder}: {', '.join(unknown)} shadow no soapgen template"
                f" (the templates are: {', '.join(self.names)})"
            )

    def path(self, name: str) -> str:
        if self.override is not None:
            own = os.path.join(self.override, name)
            if os.path.isfile(own):
                return own
        return os.path.join(self.packaged, name)

    def read(self, name: str) -> str:
        with open(self.path(name), encoding="utf-8") as fh:
            return fh.read()

    def overridden(self) -> list[str]:
        """The names the override folder shadows."""
        return [n for n in self.names if self.path(n) != os.path.join(self.packaged, n)]

    def override_hashes(self) -> dict[str, str]:
        """sha256 of every shadowing file, by template name (soapgen's own templates are part
        of the generator's hash)."""
        out = {}
        for name in self.overridden():
            with open(self.path(name), "rb") as fh:
                out[name] = hashlib.sha256(fh.read()).hexdigest()
        return out

    def runtime(self) -> dict[str, str]:
        """The runtime package: {file name below runtime/: source}."""
        return {n[len(RUNTIME) :]: self.read(n) for n in self.names if n.startswith(RUNTIME)}

    def loader(self) -> jinja2.BaseLoader:
        folders = [self.packaged] if self.override is None else [self.override, self.packaged]
        return jinja2.FileSystemLoader(folders)


def _files(folder: str) -> list[str]:
    """Relative paths ("/"-separated) of the files below folder, caches and dotfiles left out."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__" and not d.startswith("."))
        rel = os.path.relpath(dirpath, folder).replace(os.sep, "/")
        for n in filenames:
            if not n.startswith(".") and not n.endswith((".pyc", ".pyo")):
                found.append(n if rel == "." else f"{rel}/{n}")
    return sorted(found)
