"""Progress lines for long runs, on a terminal only.

``Progress(enabled)`` prints ``soapgen: <stage> ...`` to stderr when a stage starts and, on a
terminal that can redraw a line, keeps the elapsed seconds of the running stage ticking on that
line, so a minute of formatting does not look like a hang. Disabled (not a TTY, or --quiet) it
prints nothing at all. Always use it as a context manager, so the ticker thread is stopped.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from types import TracebackType
from typing import TextIO


class Progress:
    def __init__(self, enabled: bool, stream: TextIO | None = None, interval: float = 1.0) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.redraw = enabled and os.environ.get("TERM", "") != "dumb"
        self.interval = interval
        self._lock = threading.Lock()
        self._stage = ""
        self._since = 0.0
        self._start = time.perf_counter()
        self._open = False  # the current stage's line has no newline yet
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def for_terminal(cls, quiet: bool, stream: TextIO | None = None) -> Progress:
        stream = stream if stream is not None else sys.stderr
        isatty = getattr(stream, "isatty", None)
        return cls(bool(not quiet and isatty and isatty()), stream)

    def __call__(self, message: str) -> None:
        self.stage(message)

    def stage(self, message: str) -> None:
        if not self.enabled:
            return
        with self._lock:
            self._end_line()
            self._stage, self._since = message, time.perf_counter()
            self._write(f"soapgen: {message} ...")
            self._open = self.redraw
            if not self.redraw:
                self._write("\n")
        if self.redraw and self._thread is None:
            self._thread = threading.Thread(target=self._tick, name="soapgen-progress", daemon=True)
            self._thread.start()

    def done(self, message: str = "") -> None:
        """End the current stage (and print message, if any)."""
        if not self.enabled:
            return
        with self._lock:
            self._end_line()
            self._stage = ""
            if message:
                self._write(f"soapgen: {message}\n")

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self.enabled:
            with self._lock:
                self._end_line()

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- internals ---

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            self.enabled = False  # the terminal went away; stay quiet

    def _end_line(self) -> None:
        if self._open:
            spent = time.perf_counter() - self._since
            self._write(f"\r\x1b[Ksoapgen: {self._stage} ... {spent:.1f}s\n")
            self._open = False

    def _tick(self) -> None:
        while not self._stop.wait(self.interval):
            with self._lock:
                if self._open and self.enabled:
                    spent = time.perf_counter() - self._since
                    self._write(f"\r\x1b[Ksoapgen: {self._stage} ... {spent:.0f}s")
