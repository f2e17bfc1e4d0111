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
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        # the sources, and the schemas soapgen carries (sources/known/*.xsd)
        found.extend(os.path.join(dirpath, n) for n in filenames if n.endswith((".py", ".xsd")))
    return sorted(found)


@functools.cache
def generator_hash() -> str:
    """sha256 over the generator package's .py sources, its known schemas and its own templates
    (sorted by relative path), __version__, and the versions of black and jinja2."""
    pkg = os.path.dirname(os.path.abspath(__file__))
    h = hashlib.sha256()
    files = sorted((os.path.relpath(p, pkg).replace(os.sep, "/"), p) for p in _files(pkg))
    templates = packaged_dir()
    files += sorted((f"templates/{n}", os.path.join(templates, n)) for n in TemplateSet().names)
    for rel, path in files:
        with open(path, "rb") as fh:
            h.update(f"{rel}\0{hashlib.sha256(fh.read()).hexdigest()}\n".encode())
    h.update(f"__version__\0{__version__}\n".encode())
    h.update(f"black\0{version('black')}\njinja2\0{version('jinja2')}\n".encode())
    return h.hexdigest()
