"""One SQLite file of the cache folder: key -> value (text or bytes).

The caches (formatted pieces, read pages, rendered agents) are never the only copy of
anything, so every SQLite failure, from a folder that cannot be created to a corrupt file,
reads as a miss or a skipped write, never as an error.
"""

from __future__ import annotations

import os
import sqlite3
from typing import Any

# where the caches live; deleting it only makes the next run slower
CACHE_DIR = os.environ.get(
    "SOAPGEN_CACHE", os.path.join(os.path.expanduser("~"), ".cache", "soapgen", "black")
)
_BATCH = 500  # keys per SELECT (SQLite limits the number of parameters)


class Store:
    def __init__(self, folder: str, name: str) -> None:
        self.db: sqlite3.Connection | None = None
        try:
            os.makedirs(folder, exist_ok=True)
            self.db = sqlite3.connect(os.path.join(folder, name), timeout=10)
            self.db.execute("CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value NOT NULL)")
        except (OSError, sqlite3.Error):
            self.db = None

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        if self.db is None:
            return found
        try:
            for start in range(0, len(keys), _BATCH):
                part = keys[start : start + _BATCH]
                marks = ",".join("?" * len(part))
                found.update(
                    self.db.execute(f"SELECT key, value FROM kv WHERE key IN ({marks})", part)
                )
        except sqlite3.Error:
            return {}
        return found

    def put_many(self, items: dict[str, Any]) -> None:
        if self.db is None or not items:
            return
        try:
            with self.db:
                self.db.executemany(
                    "INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)", sorted(items.items())
                )
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None
