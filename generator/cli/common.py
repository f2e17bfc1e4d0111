"""What every command shares: the configuration it runs with, paths as the user sees them, and
diagnostics printed one per line or summarised."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections import Counter
from collections.abc import Iterable
from typing import TextIO

from ..config.project import Config, ConfigError, DiagnosticsConfig, check_apis, load
from ..core.diagnostics import Diagnostic, Level
from ..core.progress import Progress
from ..core.templateset import TemplateError, TemplateSet


class UsageError(Exception):
    pass


def shown(path: str) -> str:
    """A path relative to the working directory when it lies below it, else as given."""
    if not path:
        return path
    full, cwd = os.path.abspath(path), os.getcwd()
    if full == cwd or full.startswith(cwd.rstrip(os.sep) + os.sep):
        return os.path.relpath(full, cwd)
    return path


def progress(quiet: bool) -> Progress:
    """Stage lines with a running clock on stderr when it is a terminal; silent otherwise."""
    return Progress.for_terminal(quiet)


def counts(items: Iterable[Diagnostic]) -> str:
    n = Counter(d.level for d in items)
    return f"{n[Level.ERROR]} errors, {n[Level.WARNING]} warnings"


def print_diags(
    items: Iterable[Diagnostic], min_level: Level = Level.INFO, file: TextIO | None = None
) -> None:
    """One line per diagnostic (the items come sorted by file)."""
    for d in items:
        if d.level >= min_level:
            print(dataclasses.replace(d, file=shown(d.file)).format(), file=file or sys.stdout)


def report(
    items: list[Diagnostic], settings: DiagnosticsConfig, quiet: bool, file: TextIO | None = None
) -> None:
    """Diagnostics as [tool.soapgen.diagnostics] asks: errors always one per line; warnings
    and notes one per line, or one line per code with a count (``summarize``), or not at all
    (``ignore``; --quiet: they are in the run's summary line)."""
    out = file or sys.stdout
    summarized: dict[str, list[Diagnostic]] = {}
    for d in items:
        if d.level is not Level.ERROR:
            if quiet or d.code in settings.ignore:
                continue
            if settings.summarized(d.code):
                summarized.setdefault(d.code, []).append(d)
                continue
        print(dataclasses.replace(d, file=shown(d.file)).format(), file=out)
    for code, found in sorted(summarized.items()):
        first = found[0]
        where = f"{shown(first.file)}:{first.line}" if first.line else shown(first.file)
        what = f"{len(found)} {first.level}s" if len(found) > 1 else f"1 {first.level}"
        print(f"{code}: {what} (summarized; the first: {where}: {first.message})", file=out)


def summary(items: list[Diagnostic], settings: DiagnosticsConfig) -> str:
    """'0 errors, 638 warnings (SAMPLE010 635; 3 ignored)': the warnings by code, most first."""
    shown_codes = Counter(
        d.code for d in items if d.level is Level.WARNING and d.code not in settings.ignore
    )
    ignored = sum(1 for d in items if d.level is not Level.ERROR and d.code in settings.ignore)
    parts = ", ".join(f"{code} {n}" for code, n in sorted(shown_codes.items(), key=_by_count))
    extra = "; ".join(x for x in (parts, f"{ignored} ignored" if ignored else "") if x)
    return counts(items) + (f" ({extra})" if extra else "")


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def api_folders(specs: str) -> list[str]:
    try:
        return sorted(
            n
            for n in os.listdir(specs)
            if not n.startswith(".") and os.path.isdir(os.path.join(specs, n))
        )
    except OSError:
        return []


def config_for(args: argparse.Namespace) -> Config:
    """The configuration of a generating command, checked against the project's folders."""
    cfg = load(
        args.config, {"specs": args.specs, "output": args.output, "templates": args.templates}
    )
    if not os.path.isdir(cfg.specs):
        raise ConfigError(f"specs directory {shown(cfg.specs)} does not exist (from {cfg.source})")
    try:
        TemplateSet(cfg.templates)
    except TemplateError as exc:
        raise ConfigError(f"{exc} (from {cfg.source})") from None
    check_apis(cfg, api_folders(cfg.specs))
    parts = cfg.package.split(".") if cfg.package else []
    if parts and os.path.normpath(cfg.output).split(os.sep)[-len(parts) :] != parts:
        raise ConfigError(
            f"{cfg.source}: tool.soapgen.package {cfg.package!r} is the import path of the output"
            f" folder, so the output folder must end in {'/'.join(parts)} (it is"
            f" {shown(cfg.output)})"
        )
    return cfg


def dir_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--specs", metavar="DIR", help="spec folder (default: [tool.soapgen] specs)")
    p.add_argument("--output", metavar="DIR", help="output folder (default: [tool.soapgen] output)")
    p.add_argument(
        "--templates",
        metavar="DIR",
        help="folder of templates shadowing soapgen's (default: [tool.soapgen] templates, or none)",
    )
    p.add_argument(
        "--config",
        metavar="PYPROJECT",
        help="pyproject.toml to read (default: nearest one upwards)",
    )
