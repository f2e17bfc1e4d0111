"""The entry points: one file read into a :class:`.model.Source`, the files of one version
into an :class:`.model.ApiModel` and into IR Services."""

from __future__ import annotations

from collections.abc import Iterable

from ... import ir
from ...diagnostics import Collector, Diagnostic
from .html import _read_html
from .merge import merge_sources
from .metadata_json import _read_json
from .model import ApiModel, Source, _Out
from .page_source import _page_source
from .text import _read_copied_text
from .to_ir import to_service


def read_file(path: str) -> tuple[Source | None, list[Diagnostic]]:
    out = _Out(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        out.error("SS001", 0, f"cannot read: {exc.strerror}")
        return None, out.items
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        out.error("SS001", data.count(b"\n", 0, exc.start) + 1, f"not UTF-8 (byte {exc.start})")
        return None, out.items
    return read_text(path, text, out), out.items


def read_text(path: str, text: str, out: _Out | None = None) -> Source | None:
    """Read one file's text (the kind from its suffix); diagnostics go to out."""
    out = out or _Out(path)
    if "\0" in text:
        out.error(
            "SS001", text.count("\n", 0, text.index("\0")) + 1, "binary data (NUL) in the file"
        )
        return None
    if not text.strip():
        out.error("SS001", 1, "empty file")
        return None
    try:
        if path.endswith(".json"):
            return _read_json(path, text, out)
        if path.endswith((".html", ".htm")):
            page = _read_html(path, text, out)
        else:
            page = _read_copied_text(path, text, out)
        return _page_source(page, out) if page is not None else None
    except RecursionError:
        out.error("SS001", 1, "input nested too deeply")
        return None


def read_api(files: Iterable[str], diags: Collector) -> ApiModel:
    """Read and merge the ServiceStack files of one API version into the model."""
    sources = []
    for path in sorted(files):
        src, items = read_file(path)
        diags.extend(items)
        if src is not None:
            sources.append(src)
    return merge_sources(sources, diags)


def read_servicestack(files: list[str], diags: Collector, api_name: str = "") -> list[ir.Service]:
    """The IR Services (one: ServiceStack has one SOAP endpoint) of one API version's files."""
    local = Collector()
    model = read_api(files, local)
    svc = to_service(model, local, api_name)
    if svc is None and not local.has_errors and files:
        local.error(
            "SS020",
            sorted(files)[0],
            1,
            "no operation could be read from the ServiceStack files of this version",
        )
    diags.extend(local.items)
    return [svc] if svc is not None else []
