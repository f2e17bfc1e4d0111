"""Black, in process, with a pinned version and an explicit mode; never the caller's config.

Formatted output is cached on disk keyed by the source text and the black version, so an
unchanged module costs a hash, not a reformat.
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ProcessPoolExecutor

import black

from .diagnostics import Collector

MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=100)
CACHE_DIR = os.environ.get("SOAPGEN_CACHE", os.path.join(os.path.expanduser("~"), ".cache", "soapgen", "black"))


def _key(text: str) -> str:
    h = hashlib.sha256()
    h.update(black.__version__.encode())
    h.update(repr(MODE).encode())
    h.update(text.encode("utf-8"))
    return h.hexdigest()


def _format_one(text: str) -> tuple[str, str | None]:
    try:
        return black.format_str(text, mode=MODE), None
    except Exception as exc:  # black raises InvalidInput and friends; report, never crash
        return text, f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"


def _cache_get(key: str) -> str | None:
    try:
        with open(os.path.join(CACHE_DIR, key[:2], key), encoding="utf-8") as fh:
            return fh.read()
    except OSError:
        return None


def _cache_put(key: str, text: str) -> None:
    try:
        folder = os.path.join(CACHE_DIR, key[:2])
        os.makedirs(folder, exist_ok=True)
        tmp = os.path.join(folder, f".{key}.{os.getpid()}")
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, os.path.join(folder, key))
    except OSError:
        pass


def format_sources(sources: dict[str, str], diags: Collector, workers: int | None = None) -> dict[str, str]:
    out: dict[str, str] = {}
    todo: list[tuple[str, str, str]] = []
    for path in sorted(sources):
        text = sources[path]
        key = _key(text)
        cached = _cache_get(key)
        if cached is not None:
            out[path] = cached
        else:
            todo.append((path, key, text))
    if not todo:
        return out
    workers = workers or min(os.cpu_count() or 1, 4)
    total = sum(len(t) for _, _, t in todo)
    if workers > 1 and len(todo) > 1 and total > 200_000:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(_format_one, [t for _, _, t in todo], chunksize=1))
    else:
        results = [_format_one(t) for _, _, t in todo]
    for (path, key, _), (text, err) in zip(todo, results):
        if err is not None:
            diags.error("FMT001", path, 0, f"generated module is not valid Python ({err}); this is a soapgen bug")
        else:
            _cache_put(key, text)
        out[path] = text
    return out
