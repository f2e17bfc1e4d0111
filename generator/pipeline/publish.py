"""Publish a generated result: write the tree (:func:`soapgen.write.tree.write_tree`) with its
manifest, then remember what was read and written for the next check and generate
(:mod:`soapgen.pipeline.reuse`)."""

from __future__ import annotations

import shutil
import threading
from typing import TYPE_CHECKING, Any

from ..write.tree import manifest_for, write_tree
from . import reuse

if TYPE_CHECKING:
    from ..config.project import Config
    from .result import Result


def publish(config: Config, result: Result, started_ns: int) -> dict[str, Any]:
    """Write a generated result (the generate that made it started at started_ns, from
    time.time_ns) with its manifest; then remember, for the next check and generate, what was
    read and written (:mod:`soapgen.pipeline.reuse`). Returns the manifest."""
    manifest = manifest_for(
        config, result.inputs, result.files, result.input_hashes, result.reused.carried
    )
    written: dict[str, tuple[int, ...]] = {}
    old = write_tree(
        config.output,
        result.files,
        manifest,
        result.reused.carried,
        keep_old=True,
        carried_dirs=result.reused.packages,
        written=written,
    )
    # the replaced tree goes while the hashes are remembered (mostly system calls: they overlap)
    cleanup = threading.Thread(target=shutil.rmtree, args=(old, True)) if old else None
    if cleanup is not None:
        cleanup.start()
    try:
        reuse.after_write(config, result, manifest, started_ns, written)
    finally:
        if cleanup is not None:
            cleanup.join()
    return manifest
