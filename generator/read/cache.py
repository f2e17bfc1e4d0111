"""Results kept between runs so that a warm run redoes only what changed.

- :class:`ReadCache`: what reading one spec file gave (the page, its parsed WSDL, their
  diagnostics), keyed by the generator's sources, the parsers' versions, the file's path and
  its bytes.
- :class:`RenderCache`: what rendering one agent gave (its module, its fixture tests and files,
  the diagnostics on the way), keyed by the generator, the templates, the profile, the
  version's types and layout, and the agent's own IR (pickled and hashed).

Entries are pickles in SQLite files (:mod:`soapgen.core.store`) under the formatter's cache folder (``SOAPGEN_CACHE``).
The cache only holds what this generator wrote itself; one that cannot be opened or read, or
an entry that does not unpickle, is a miss, never an error.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from typing import Any

from ..core import store


class _PickleCache:
    FILE = ""
    FLUSH_BYTES = 32 * 2**20  # new entries are written out in batches of this size

    def __init__(self, salt: str) -> None:
        self.salt = salt.encode()
        self.store = store.Store(store.CACHE_DIR, self.FILE)
        self.fresh: dict[str, bytes] = {}
        self.fresh_bytes = 0
        self.hits = 0

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for key, blob in self.store.get_many(keys).items():
            try:
                found[key] = pickle.loads(blob)
            except Exception:  # an entry from another version of the IR: a miss
                continue
            self.hits += 1
        return found

    def put(self, key: str, value: Any) -> None:
        try:
            blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # not picklable: simply not cached
            return
        self.fresh[key] = blob
        self.fresh_bytes += len(blob)
        if self.fresh_bytes >= self.FLUSH_BYTES:  # a cold run of many pages: not all in memory
            self._write()

    def _write(self) -> None:
        self.store.put_many(self.fresh)
        self.fresh, self.fresh_bytes = {}, 0

    def close(self) -> None:
        self._write()
        self.store.close()


class ReadCache(_PickleCache):
    FILE = "reads.sqlite"

    def __init__(self, salt: str) -> None:
        from importlib.metadata import version

        # the parsers' versions shape what a page reads as, too
        super().__init__(f"{salt}\0{version('markdown-it-py')}\0{version('lxml')}")

    def key(self, path: str, data: bytes) -> str:
        h = hashlib.sha256(self.salt)
        h.update(b"\0" + path.encode("utf-8", "surrogateescape") + b"\0")
        h.update(data)
        return h.hexdigest()


class RenderCache(_PickleCache):
    FILE = "renders.sqlite"

    def __init__(self, salt: str) -> None:
        super().__init__(salt)
        self._agent_keys: dict[int, tuple[Any, str, str]] = {}

    def digest(self, *parts: object) -> str:
        """sha256 of the parts' pickles, without pickle's memo: equal values give equal bytes
        whether or not they share objects (a page read now and one from the read cache)."""
        h = hashlib.sha256(self.salt)
        for part in parts:
            buf = io.BytesIO()
            pickler = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
            pickler.fast = True  # no memo: no back-references that depend on object identity
            pickler.dump(part)
            h.update(hashlib.sha256(buf.getvalue()).digest())
        return h.hexdigest()

    def agent_key(self, version_key: str, svc: Any) -> str:
        """An agent's own part of the IR (its types are in the version key already)."""
        import dataclasses

        cached = self._agent_keys.get(id(svc))
        if cached is None or cached[0] is not svc or cached[1] != version_key:
            cached = (
                svc,
                version_key,
                self.digest(version_key, dataclasses.replace(svc, types=(), elements=())),
            )
            self._agent_keys[id(svc)] = cached
        return cached[2]

    def get(self, key: str) -> Any:
        return self.get_many([key]).get(key)
