"""`soapgen diff` and `soapgen add-version`: comparing and adding Services versions."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile

from .. import versions
from ..config.naming import identifier
from ..config.project import Config, ConfigError, load
from ..core.diagnostics import Collector, Level
from ..core.progress import Progress
from .common import UsageError, counts, print_diags, progress, shown


def _specs_config(args: argparse.Namespace) -> Config:
    return load(args.config, {"specs": args.specs})


def _load_side(arg: str, specs: str | None, stage: Progress) -> tuple[versions.Loaded, Collector]:
    path = versions.resolve(arg, specs)
    stage(f"reading {shown(path)}")
    diags = Collector()
    loaded = versions.load_version(path, specs, diags)
    return loaded, diags


def _input_errors(what: str, diags: Collector) -> bool:
    """Print a side's error diagnostics to stderr; True when there were any."""
    if not diags.has_errors:
        return False
    print_diags(diags.items, Level.ERROR, file=sys.stderr)
    print(f"soapgen: {what} has {counts(diags.items)}; cannot compare", file=sys.stderr)
    return True


def cmd_diff(args: argparse.Namespace) -> int:
    specs: str | None = None
    if args.specs or args.config or not all(os.path.exists(a) for a in (args.old, args.new)):
        specs = _specs_config(args).specs  # version names are looked up there
    else:
        try:  # two folders: the configured specs folder, if any, only names their api
            specs = _specs_config(args).specs
        except ConfigError:
            specs = None
    try:
        with progress(args.quiet) as stage:
            old, old_diags = _load_side(args.old, specs, stage)
            new, new_diags = _load_side(args.new, specs, stage)
    except versions.VersionError as exc:
        if exc.diags is not None:
            _input_errors(str(exc).removesuffix(" cannot be read"), exc.diags)
            return 2
        raise UsageError(str(exc)) from None
    if _input_errors(args.old, old_diags) | _input_errors(args.new, new_diags):
        return 2
    agents = args.agent or None
    if agents:
        known = {s.name for s in old.version.services} | {s.name for s in new.version.services}
        unknown = sorted(set(agents) - known)
        if unknown:
            raise UsageError(
                f"no agent {', '.join(unknown)} in either version"
                f" (agents: {', '.join(sorted(known))})"
            )
    diff = versions.diff_versions(
        (old.api, old.version),
        (new.api, new.version),
        agents,
        shown(old.source),
        shown(new.source),
    )
    if args.json:
        print(json.dumps(versions.to_json(diff), indent=1, sort_keys=True, ensure_ascii=False))
    else:
        print(versions.to_markdown(diff), end="")
    return 1 if args.exit_code and not diff.empty else 0


def _changelog(
    specs: str, api: str, previous: str, dest: str, quiet: bool, agents: list[str] | None
) -> str | None:
    """The markdown diff of a just-added version (or agents) against the previous version."""
    old_diags, new_diags = Collector(), Collector()
    try:
        with progress(quiet) as stage:
            stage(f"comparing with {api}/{previous}")
            old = versions.load_version(os.path.join(specs, api, previous), specs, old_diags)
            new = versions.load_version(dest, specs, new_diags)
    except versions.VersionError as exc:
        print(f"soapgen: {exc}; no changelog", file=sys.stderr)
        return None
    if old_diags.has_errors:
        print(
            f"soapgen: {api}/{previous} has {counts(old_diags.items)}; no changelog",
            file=sys.stderr,
        )
        return None
    diff = versions.diff_versions(
        (old.api, old.version), (new.api, new.version), agents, shown(old.source), shown(dest)
    )
    return versions.to_markdown(diff)


def _agent_files(src: str, agents: list[str]) -> list[str]:
    """The files of `agents` in a docs folder: <Agent>/... and the WSDL page <Version>-<Agent>.md
    (or <Agent>.wsdl), relative to src."""
    folders = sorted(
        n for n in os.listdir(src) if os.path.isdir(os.path.join(src, n)) and n[:1] != "."
    )
    missing = [a for a in agents if a not in folders]
    if missing:
        raise UsageError(
            f"{src} has no agent folder {', '.join(missing)} (agents: {', '.join(folders)})"
        )
    found: list[str] = []
    for agent in agents:
        for dirpath, dirnames, filenames in os.walk(os.path.join(src, agent)):
            dirnames[:] = sorted(d for d in dirnames if d[:1] != ".")
            found += [os.path.relpath(os.path.join(dirpath, f), src) for f in filenames]
        for name in sorted(os.listdir(src)):
            stem = os.path.splitext(name)[0]
            if os.path.isfile(os.path.join(src, name)) and (
                stem == agent or stem.endswith("-" + agent)
            ):
                found.append(name)
    return sorted(found)


def _copy(src: str, rels: list[str], dest: str) -> None:
    for rel in rels:
        os.makedirs(os.path.dirname(os.path.join(dest, rel)), exist_ok=True)
        shutil.copyfile(os.path.join(src, rel), os.path.join(dest, rel))


def cmd_add_version(args: argparse.Namespace) -> int:
    cfg = _specs_config(args)
    src = args.src
    if not os.path.isdir(src):
        raise UsageError(f"{src} is not a folder")
    if not os.path.isdir(cfg.specs):
        raise ConfigError(f"specs directory {shown(cfg.specs)} does not exist (from {cfg.source})")
    if os.path.abspath(src) == os.path.abspath(cfg.specs) or versions.below(src, cfg.specs):
        raise UsageError(f"{src} is already below the specs folder {shown(cfg.specs)}")
    agents: list[str] | None = args.agent or None
    with tempfile.TemporaryDirectory(prefix="soapgen-add-") as staging:
        read_from = src
        if agents is not None:  # only these agents: read them alone, so others cannot block
            read_from = os.path.join(staging, "agents")
            _copy(src, _agent_files(src, agents), read_from)
        return _add(cfg, args, src, read_from, agents)


def _add(
    cfg: Config, args: argparse.Namespace, src: str, read_from: str, agents: list[str] | None
) -> int:
    diags = Collector()
    try:
        with progress(args.quiet) as stage:
            stage(f"reading {shown(src)}")
            loaded = versions.load_version(read_from, None, diags)
    except versions.VersionError as exc:
        if exc.diags is None:
            raise UsageError(str(exc)) from None
        loaded = None
    if loaded is None or diags.has_errors:
        print_diags(diags.items, Level.ERROR, file=sys.stderr)
        print(f"soapgen: {src} has {counts(diags.items)}; not added", file=sys.stderr)
        return 2
    paged = any(f.endswith((".md", ".txt")) for f in loaded.files)
    name = args.name or loaded.version.name
    if paged and name != loaded.version.name:
        raise UsageError(
            f"the pages in {src} say {loaded.version.name}; generate names packages after the"
            f" pages, so --name {name} would not be used (leave --name out)"
        )
    api = args.api or loaded.api
    if not name or os.sep in name or "/" in name or name.startswith("."):
        raise UsageError(f"not a version name: {name!r}")
    dest = os.path.join(cfg.specs, api, name)
    previous = versions.previous_version(cfg.specs, api, name)
    if agents is not None and os.path.isdir(dest):
        rels = _agent_files(src, agents)
        taken = sorted({r.split(os.sep)[0] for r in rels if os.path.lexists(os.path.join(dest, r))})
        if taken:
            raise UsageError(
                f"{shown(dest)} already has {', '.join(taken)}; remove it first to replace it"
            )
        _copy(src, rels, dest)
        what = f"added {', '.join(agents)} to {shown(dest)}: {len(rels)} files"
    else:
        if os.path.lexists(dest):
            raise UsageError(
                f"{shown(dest)} already exists; add single agents to it with --agent NAME,"
                " or remove it first, or pick another --name"
            )
        try:
            copied = versions.copy_version(read_from, dest)
        except versions.VersionError as exc:
            raise UsageError(str(exc)) from None
        what = f"added {shown(dest)}: {len(copied)} files"
    print(f"{what}; {counts(diags.items)}")
    if not args.quiet:
        print_diags(diags.items, Level.WARNING)
    print()
    if previous is None:
        print(
            f"no earlier version of {api} below {name} in {shown(cfg.specs)};"
            " nothing to compare with"
        )
    else:
        changelog = _changelog(cfg.specs, api, previous, dest, args.quiet, agents)
        if changelog:
            print(changelog)
    print(
        f"next: run `soapgen generate` to create"
        f" {shown(cfg.output)}/{identifier(api)}/{identifier(name)}/,"
        f" then commit {shown(dest)} and the generated files together"
    )
    return 0


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    dif = sub.add_parser(
        "diff",
        help="changelog between two versions: operations, parameters, return types, types,"
        " fields, enum values",
        description="OLD and NEW are spec folders, or versions named api/Version (or Version)"
        " below the specs folder.",
    )
    dif.add_argument("old", metavar="OLD", help="e.g. superoffice/Services86 or a folder of docs")
    dif.add_argument("new", metavar="NEW", help="e.g. superoffice/Services88 or a folder of docs")
    dif.add_argument("--json", action="store_true", help="print a JSON object instead of markdown")
    dif.add_argument(
        "--agent", action="append", metavar="NAME", help="compare only this agent (repeatable)"
    )
    dif.add_argument("--exit-code", action="store_true", help="exit 1 when there are differences")
    dif.add_argument("--quiet", action="store_true", help="no progress lines")
    dif.add_argument(
        "--specs",
        metavar="DIR",
        help="where version names are looked up (default: [tool.soapgen] specs)",
    )
    dif.add_argument(
        "--config",
        metavar="PYPROJECT",
        help="pyproject.toml to read (default: nearest one upwards)",
    )
    dif.set_defaults(func=cmd_diff)
    add = sub.add_parser(
        "add-version",
        help="copy a docs folder into specs/<api>/<Version>/ (or single agents of it into a"
        " version) and print the changelog against the previous version",
    )
    add.add_argument(
        "src",
        metavar="SRC_DIR",
        help="folder with the version's pages (one folder per agent) and WSDL pages",
    )
    add.add_argument(
        "--agent",
        action="append",
        metavar="NAME",
        help="add only this agent (repeatable); the version may exist already",
    )
    add.add_argument("--api", metavar="API", help="API folder below specs (default: superoffice)")
    add.add_argument(
        "--name", metavar="VERSION", help="version folder name (default: what the pages name)"
    )
    add.add_argument(
        "--quiet",
        action="store_true",
        help="no progress lines, and no list of warnings about the new pages",
    )
    add.add_argument("--specs", metavar="DIR", help="spec folder (default: [tool.soapgen] specs)")
    add.add_argument(
        "--config",
        metavar="PYPROJECT",
        help="pyproject.toml to read (default: nearest one upwards)",
    )
    add.set_defaults(func=cmd_add_version)
