"""The entry points: one file read into a :class:`.model.Source`, the files of one version
into an :class:`.model.ApiModel` and into IR Services."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ....core import ir
from ....core.diagnostics import Collector, Diagnostic
from ...inputs import InputError, limit_for, read_input
from .html import _read_html
from .merge import merge_sources
from .metadata_json import _read_json
from .model import ApiModel, Source, _Out
from .page_source import _page_source
from .text import _read_copied_text
from .to_ir import to_service


def read_file(path: str) -> tuple[Source | None, list[Diagnostic]]:
    data, items = load_file(path)
    return (None, items) if data is None else read_data(path, data)


def load_file(path: str) -> tuple[bytes | None, list[Diagnostic]]:
    """The bytes of a ServiceStack file (a regular file within its limit, generator/read/inputs.py)."""
    try:
        return read_input(path, limit_for(path), "a ServiceStack file"), []
    except InputError as exc:
        out = _Out(path)
        out.error("SS001", 0, str(exc))
        return None, out.items


def read_data(path: str, data: bytes) -> tuple[Source | None, list[Diagnostic]]:
    """One file read from its bytes."""
    out = _Out(path)
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


def read_api(
    files: Iterable[str], diags: Collector, data: Mapping[str, bytes] | None = None
) -> ApiModel:
    """Read and merge the ServiceStack files of one API version into the model (from `data`,
    the files' bytes read already, where it has them)."""
    sources = []
    for path in sorted(files):
        src, items = read_data(path, data[path]) if data and path in data else read_file(path)
        diags.extend(items)
        if src is not None:
            sources.append(src)
    return merge_sources(sources, diags)


def read_servicestack(
    files: list[str],
    diags: Collector,
    api_name: str = "",
    data: Mapping[str, bytes] | None = None,
) -> list[ir.Service]:
    """The IR Services (one: ServiceStack has one SOAP endpoint) of one API version's files."""
    local = Collector()
    model = read_api(files, local, data)
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
