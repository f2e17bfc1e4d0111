"""Black, in process, with a pinned version and an explicit mode; never the caller's config.

Black's cost grows faster than the module: a 70,000-line module spends most of its time in the
cyclic garbage collector walking black's own syntax tree. So a module is cut into its top-level
definitions (:mod:`soapgen.format.chunks`), each is formatted on its own, and the pieces are joined
with the two blank lines black puts between top-level definitions. The result is the same text
black gives for the whole module (``tests/test_format.py`` checks every generated module), at a
flat cost per line, spread over every core, and cached per piece: one changed operation
reformats one function, not its module.

Formatted pieces are cached in one SQLite file (:mod:`soapgen.core.store`) per black version and mode under
``SOAPGEN_CACHE`` (default ``~/.cache/soapgen/black``), keyed by the sha256 of the piece. A
cache that cannot be opened or read is treated as empty.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import multiprocessing.context
import os
from concurrent.futures import Future, ProcessPoolExecutor

import black

from ..core import store
from ..core.diagnostics import Collector
from ..render.prefit import prefit
from .chunks import join_chunks, split_chunks

MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=100)
_BATCH_LINES = 1500  # lines per job sent to a worker: small enough to balance two cores
_PARALLEL_CHARS = 200_000  # below this, a process pool costs more than it saves
_FLUSH_CHARS = 16_000_000  # formatted text kept for the cache before it is written out


def _salt() -> bytes:
    return f"{black.__version__}\0{MODE!r}\0".encode()


def _key(text: str, salt: bytes) -> str:
    return hashlib.sha256(salt + text.encode("utf-8")).hexdigest()


def _format(text: str) -> tuple[str, str | None]:
    try:
        return black.format_str(text, mode=MODE), None
    except Exception as exc:  # black raises InvalidInput and friends; report, never crash
        return text, f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"


def _format_batch(texts: list[str]) -> list[tuple[str, str | None]]:
    return [_format(t) for t in texts]


def _worker_init() -> None:
    # black builds many short-lived cyclic trees; the objects inherited from the parent never
    # die, so keep them out of every collection and collect less often
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def _context() -> multiprocessing.context.BaseContext:
    # fork: workers start in milliseconds with black already imported
    return multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    )


class Formatter:
    """Formats modules as they are rendered: the pieces black has not seen before go to worker
    processes in batches while the caller goes on rendering; :meth:`finish` joins them.

    Nothing starts a process until there is enough new text to be worth one
    (``_PARALLEL_CHARS``); small jobs (the tests' little specs) stay in this process.
    """

    def __init__(
        self, diags: Collector, workers: int | None = None, generator: str | None = None
    ) -> None:
        """`generator`: the generator's source hash (write.generator_hash), if the caller has it."""
        from ..config.identity import generator_hash

        self.diags = diags
        self.workers = workers or min(os.cpu_count() or 1, 4)
        self.salt = _salt()
        self.generator = generator or generator_hash()
        self.cache = store.Store(
            store.CACHE_DIR, f"black-{hashlib.sha256(self.salt).hexdigest()[:16]}.sqlite"
        )
        self.sources: dict[str, str] = {}
        self.pieces: dict[str, list[str]] = {}
        self.keys: dict[str, str] = {}  # piece -> cache key
        self.done: dict[str, str] = {}  # piece -> formatted
        self.fresh: dict[str, str] = {}  # cache key -> formatted, to store
        self.fresh_chars = 0
        self.failed: set[str] = set()
        self.queued: list[str] = []  # pieces waiting for a batch
        self.queued_lines = 0
        self.jobs: list[tuple[list[str], Future[list[tuple[str, str | None]]]]] = []
        self.pool: ProcessPoolExecutor | None = None
        self.pending_chars = 0
        self.module_keys: dict[str, str] = {}
        self.whole: dict[str, str] = {}  # path -> formatted module, from the cache

    def add(self, path: str, text: str) -> None:
        self.sources[path] = text
        # an unchanged module: one lookup, no cutting (its value went through this generator's
        # cutting and joining, so the generator is part of the key; pieces are black's alone)
        whole = _key(f"module\0{self.generator}\0{text}", self.salt)
        self.module_keys[path] = whole
        hit = self.cache.get_many([whole]).get(whole)
        if hit is not None:
            self.whole[path] = hit
            return
        parts = split_chunks(prefit(text))
        self.pieces[path] = parts
        new = list(dict.fromkeys(p for p in parts if p not in self.keys))  # each piece once
        for p in new:
            self.keys[p] = _key(p, self.salt)
        found = self.cache.get_many(sorted({self.keys[p] for p in new}))
        for p in new:
            k = self.keys[p]
            if k in found:
                self.done[p] = found[k]
            else:
                self.queued.append(p)
                self.queued_lines += p.count("\n")
                self.pending_chars += len(p)
        if self._parallel():
            self._flush(final=False)

    def _parallel(self) -> bool:
        return self.workers > 1 and (self.pool is not None or self.pending_chars >= _PARALLEL_CHARS)

    def _flush(self, final: bool) -> None:
        while self.queued and (final or self.queued_lines >= _BATCH_LINES):
            batch: list[str] = []
            size = 0
            while self.queued and (size < _BATCH_LINES or not batch):
                piece = self.queued.pop()
                batch.append(piece)
                size += piece.count("\n")
            self.queued_lines -= size
            if self.pool is None:
                self.pool = ProcessPoolExecutor(
                    self.workers, mp_context=_context(), initializer=_worker_init
                )
            self.jobs.append((batch, self.pool.submit(_format_batch, batch)))

    def finish(self) -> dict[str, str]:
        """{path: black-formatted module}; FMT001 for a module black refuses."""
        try:
            if self._parallel():
                self._flush(final=True)
            elif self.queued:  # not worth a process: format here
                batch, self.queued = self.queued, []
                self._collect(batch, _format_batch(batch))
            for batch, future in self.jobs:
                self._collect(batch, future.result())
        finally:
            if self.pool is not None:
                self.pool.shutdown()
        out: dict[str, str] = {}
        for path in sorted(self.sources):
            if path in self.whole:
                out[path] = self.whole[path]
                continue
            parts = self.pieces.pop(path)
            if not any(p in self.failed for p in parts):
                out[path] = join_chunks([self.done[p] for p in parts])
                self._keep(self.module_keys[path], out[path])
                continue
            # a cut black cannot read on its own: the whole module decides
            text, err = _format(self.sources[path])
            if err is not None:
                self.diags.error(
                    "FMT001",
                    path,
                    0,
                    f"generated module is not valid Python ({err}); this is a soapgen bug",
                )
            out[path] = text
        self.cache.put_many(self.fresh)
        self.cache.close()
        return out

    def _collect(self, batch: list[str], results: list[tuple[str, str | None]]) -> None:
        for piece, (text, err) in zip(batch, results):
            if err is None:
                self.done[piece] = text
                self._keep(self.keys[piece], text)
            else:
                self.failed.add(piece)

    def _keep(self, key: str, text: str) -> None:
        """Remember a formatted text for the cache; written out in batches (a cold run of many
        modules never holds all of them twice)."""
        self.fresh[key] = text
        self.fresh_chars += len(text)
        if self.fresh_chars >= _FLUSH_CHARS:
            self.cache.put_many(self.fresh)
            self.fresh, self.fresh_chars = {}, 0


def format_sources(
    sources: dict[str, str], diags: Collector, workers: int | None = None
) -> dict[str, str]:
    """{path: rendered module} -> {path: black-formatted module}, all at once."""
    fmt = Formatter(diags, workers)
    for path in sorted(sources):
        fmt.add(path, sources[path])
    return fmt.finish()
