"""Which soapgen this is: its version and the hash of everything that shapes its output (its
own sources and templates, and the pinned formatter and template engine). Every cache is keyed
by the hash, and the manifest records both."""

from __future__ import annotations

import functools
import hashlib
import os
from importlib.metadata import version

from .. import __version__
from ..core.templateset import TemplateSet, packaged_dir


def _files(root: str) -> list[str]:
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        top = dirpath == root  # soapgen/templates of an installed soapgen: hashed as templates
        dirnames[:] = sorted(
            d for d in dirnames if d != "__pycache__" and not (top and d == "templates")
        )
        # the sources, and the schemas soapgen carries (sources/known/*.xsd)
        found.extend(os.path.join(dirpath, n) for n in filenames if n.endswith((".py", ".xsd")))
    return sorted(found)


def hashed_files() -> list[tuple[str, str]]:
    """(relative name, path) of every file the generator's hash covers: the .py sources of every
    stage package and the known schemas, then soapgen's own templates."""
    pkg = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # soapgen, above config/
    files = sorted((os.path.relpath(p, pkg).replace(os.sep, "/"), p) for p in _files(pkg))
    templates = packaged_dir()
    files += sorted((f"templates/{n}", os.path.join(templates, n)) for n in TemplateSet().names)
    return files


@functools.cache
def generator_hash() -> str:
    """sha256 over :func:`hashed_files` (sorted by relative path), __version__, and the versions
    of black and jinja2."""
    h = hashlib.sha256()
    for rel, path in hashed_files():
        with open(path, "rb") as fh:
            h.update(f"{rel}\0{hashlib.sha256(fh.read()).hexdigest()}\n".encode())
    h.update(f"__version__\0{__version__}\n".encode())
    h.update(f"black\0{version('black')}\njinja2\0{version('jinja2')}\n".encode())
    return h.hexdigest()
