"""What a generation produced: the files, the IR, the diagnostics and what was reused.

:mod:`soapgen.pipeline.run` fills it, :mod:`soapgen.pipeline.publish` writes it, :mod:`soapgen.pipeline.reuse`
plans and records the versions a later run takes over.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core import ir
from ..core.diagnostics import Collector, Diagnostic
from ..read.filehash import FileHashes


@dataclass
class ReusePlan:
    """What a run takes over from the current output tree (:mod:`soapgen.pipeline.reuse`)."""

    salt: str = ""  # the run's salt()
    skip: set[str] = field(default_factory=set)  # absolute paths of inputs not to read
    input_hashes: dict[str, str] = field(default_factory=dict)  # their sha256, by path
    carried: dict[str, str] = field(default_factory=dict)  # output rel path -> sha256
    packages: list[str] = field(default_factory=list)  # their folders (rel), moved whole
    versions: list[tuple[str, str, str]] = field(default_factory=list)  # (api, name, py_name)
    diags: list[Diagnostic] = field(default_factory=list)
    hashes: FileHashes | None = None  # the file hashes looked at (after_write goes on with them)

    def claims(self, api: str, name: str) -> bool:
        return any(a == api and n == name for a, n, _ in self.versions)


@dataclass
class Result:
    files: dict[str, bytes] = field(default_factory=dict)  # path relative to the output root
    versions: list[tuple[str, ir.Version]] = field(default_factory=list)
    diags: Collector = field(default_factory=Collector)
    inputs: list[str] = field(default_factory=list)
    input_hashes: dict[str, str] = field(default_factory=dict)  # path -> sha256 of what was read
    reused: ReusePlan = field(default_factory=ReusePlan)  # versions taken over unread
    groups: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # version -> files
    timings: dict[str, float] = field(default_factory=dict)
    cache_hits: dict[str, int] = field(default_factory=dict)  # entries reused from earlier runs
