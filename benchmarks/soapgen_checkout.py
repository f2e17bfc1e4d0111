"""Import soapgen from a checkout (``--soapgen-root``), whatever soapgen is installed.

A checkout keeps the package's code in ``generator/`` and its templates in ``templates/``; the
installed distribution maps them to ``soapgen`` and ``soapgen.templates``. This does the same
mapping for one process. ``PYTHONPATH=<benchmarks>`` plus ``SOAPGEN_ROOT=<checkout>`` does it
for a child process (see ``sitecustomize``-free use in :func:`child_env`).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent


def use(root: Path) -> None:
    """Make ``import soapgen`` load the checkout at `root`."""
    loaded = sys.modules.get("soapgen")
    if loaded is not None:
        if Path(loaded.__file__ or "").resolve().parent == (root / "generator").resolve():
            return
        raise RuntimeError(f"soapgen is imported already, from {loaded.__file__}")
    spec = importlib.util.spec_from_file_location(
        "soapgen",
        root / "generator" / "__init__.py",
        submodule_search_locations=[str(root / "generator"), str(root)],  # root: templates/
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["soapgen"] = module
    spec.loader.exec_module(module)


def module(*names: str) -> ModuleType:
    """The first of soapgen's modules `names` the loaded checkout has: the stage packages of
    today's layout first (``"pipeline.run"``), then the flat modules of older checkouts
    (``"pipeline"``, checkouts from the rename to ``soapgen`` to the stage packages), so that one
    benchmark measures both."""
    for name in names:
        try:
            return importlib.import_module(f"soapgen.{name}")
        except ImportError:
            continue
    raise ImportError(f"this soapgen has none of {', '.join(names)}")


def child_prelude(root: Path) -> str:
    """Python source a child process runs first to import soapgen from `root`."""
    return f"import sys; sys.path.insert(0, {str(HERE)!r}); import soapgen_checkout; soapgen_checkout.use(__import__('pathlib').Path({str(root)!r}))\n"


def user_env() -> dict[str, str]:
    """This environment as a user's shell has it: Python writes bytecode (pip compiles an
    installed soapgen's modules; with PYTHONDONTWRITEBYTECODE set, as on some CI machines, every
    run would compile every module of soapgen and its runtime again)."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def child_env(root: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(HERE)}
