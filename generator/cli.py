"""The soapgen command line: generate, check, inspect, diff, add-version.

Exit codes: 0 ok; 1 generate found errors (nothing written), check found the output stale, or
diff --exit-code found differences; 2 configuration or usage problems, or check/inspect/diff/
add-version found input errors that make generation impossible.
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import json
import os
import sys
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TextIO

from . import __version__, ir, write
from .config import Config, ConfigError, load
from .diagnostics import Collector, Diagnostic, Level
from .progress import Progress

if TYPE_CHECKING:
    from .pipeline import Result
    from .versions import Loaded


class UsageError(Exception):
    pass


def _shown(path: str) -> str:
    """A path relative to the working directory when it lies below it, else as given."""
    if not path:
        return path
    full, cwd = os.path.abspath(path), os.getcwd()
    if full == cwd or full.startswith(cwd.rstrip(os.sep) + os.sep):
        return os.path.relpath(full, cwd)
    return path


def _print_diags(
    items: Iterable[Diagnostic], min_level: Level = Level.INFO, file: TextIO | None = None
) -> None:
    """One line per diagnostic, grouped by file (the items come sorted by file)."""
    for d in items:
        if d.level >= min_level:
            print(dataclasses.replace(d, file=_shown(d.file)).format(), file=file or sys.stdout)


def _counts(items: list[Diagnostic]) -> str:
    n = {lvl: sum(1 for d in items if d.level is lvl) for lvl in Level}
    return f"{n[Level.ERROR]} errors, {n[Level.WARNING]} warnings"


def _progress(quiet: bool) -> Progress:
    """Stage lines with a running clock on stderr when it is a terminal; silent otherwise or with --quiet."""
    return Progress.for_terminal(quiet)


def _run_generate(cfg: Config, progress: Callable[[str], None]) -> Result:
    """pipeline.generate, reporting its stages when the pipeline offers a progress hook."""
    from . import pipeline

    if "progress" in inspect.signature(pipeline.generate).parameters:
        return pipeline.generate(cfg, progress=progress)  # type: ignore[call-arg]
    progress(
        f"reading {len(write.input_files(cfg))} spec files from {_shown(cfg.specs)}, rendering and formatting"
    )
    return pipeline.generate(cfg)


def _config(args: argparse.Namespace) -> Config:
    cfg = load(
        args.config, {"specs": args.specs, "output": args.output, "templates": args.templates}
    )
    if not os.path.isdir(cfg.specs):
        raise ConfigError(f"specs directory {_shown(cfg.specs)} does not exist (from {cfg.source})")
    if not os.path.isfile(os.path.join(cfg.templates, "runtime.py")):
        raise ConfigError(
            f"templates directory {_shown(cfg.templates)} has no runtime.py (from {cfg.source})"
        )
    return cfg


def cmd_generate(args: argparse.Namespace) -> int:
    cfg = _config(args)
    with _progress(args.quiet) as progress:
        return _generate(cfg, args, progress)


def _generate(cfg: Config, args: argparse.Namespace, progress: Progress) -> int:
    from .naming import identifier

    out = _shown(cfg.output)
    t0 = time.perf_counter()
    result = _run_generate(cfg, progress)
    progress.done()
    items = result.diags.items
    _print_diags(items, Level.WARNING if args.quiet else Level.INFO)
    if result.diags.has_errors:
        note = " (--keep-going does not write partial output yet)" if args.keep_going else ""
        print(f"soapgen: {_counts(items)}; nothing written to {out}{note}")
        return 1
    if not result.inputs:
        print(f"soapgen: no spec files under {_shown(cfg.specs)}; nothing written", file=sys.stderr)
        return 2
    progress(f"writing {len(result.files)} files to {out}")
    t1 = time.perf_counter()
    try:
        for note in write.recover(cfg.output):
            print(f"soapgen: {note}", file=sys.stderr)
        write.write_tree(
            cfg.output, result.files, write.manifest_for(cfg, result.inputs, result.files)
        )
    except (write.WriteError, OSError) as exc:
        progress.done()
        print(f"soapgen: cannot write {out}: {exc}", file=sys.stderr)
        return 2
    progress.done()
    timings = {**result.timings, "write": time.perf_counter() - t1}
    if not args.quiet:
        for api, version in result.versions:
            base = f"{identifier(api)}/{version.py_name}/"
            modules = sum(1 for p in result.files if p.startswith(base) and p.endswith(".py"))
            print(f"generated {base[:-1].replace('/', '.')}: {modules} modules")
        spent = ", ".join(f"{k} {v:.2f}s" for k, v in timings.items())
        print(
            f"soapgen: {len(result.versions)} versions, {len(result.inputs)} inputs -> {len(result.files)} files"
            f" in {out}; {_counts(items)}; {time.perf_counter() - t0:.2f}s ({spent})"
        )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    cfg = _config(args)
    out = _shown(cfg.output)
    t0 = time.perf_counter()
    state, reasons = write.check_fast(cfg)
    if state == "fresh":
        print(f"{out}/ is up to date ({time.perf_counter() - t0:.2f}s)")
        return 0
    print(f"{out}/ is out of date:")
    for reason in reasons:
        print(f"  {reason}")
    sys.stdout.flush()
    with _progress(args.quiet) as progress:
        result = _run_generate(cfg, progress)
    if result.diags.has_errors:
        _print_diags(result.diags.items, Level.WARNING)
        print(f"soapgen: the inputs have {_counts(result.diags.items)}; cannot generate")
        return 2
    on_disk = write.output_files(cfg.output)
    changes: list[str] = []
    for rel in sorted(set(on_disk) | set(result.files)):
        if rel not in on_disk:
            changes.append(f"  would appear: {out}/{rel}")
        elif rel not in result.files:
            changes.append(f"  would disappear: {out}/{rel}")
        else:
            with open(on_disk[rel], "rb") as fh:
                if fh.read() != result.files[rel]:
                    changes.append(f"  would change: {out}/{rel}")
    if changes:
        print(f"soapgen generate would change {len(changes)} files:")
        print("\n".join(changes))
    else:
        print(f"the generated files would be identical; only {out}/{write.MANIFEST} is stale")
    print("run `soapgen generate` to update")
    return 1


def _service_json(s: ir.Service) -> dict[str, object]:
    return {
        "name": s.name,
        "operations": len(s.operations),
        "types": len(s.types),
        "endpoint": s.endpoint,
        "soap_version": s.soap_version,
    }


def cmd_inspect(args: argparse.Namespace) -> int:
    from .diagnostics import Collector
    from .pipeline import read_ir

    missing = [p for p in args.paths if not os.path.exists(p)]
    if missing:
        raise UsageError(f"no such file or directory: {', '.join(missing)}")
    diags = Collector()
    versions, _, files = read_ir(list(args.paths), None, diags)
    summary = [
        {
            "api": api,
            "version": v.name,
            "services": [_service_json(s) for s in v.services],
            "operations": sum(len(s.operations) for s in v.services),
        }
        for api, v in versions
    ]
    total = sum(len(s.operations) for _, v in versions for s in v.services)
    if args.json or args.ir:
        obj: dict[str, object] = {
            "versions": summary,
            "operations": total,
            "diagnostics": [
                dataclasses.replace(d, file=_shown(d.file)).to_json() for d in diags.items
            ],
        }
        if args.ir:
            obj["ir"] = [ir.to_json_obj(v) for _, v in versions]
        print(json.dumps(obj, indent=1, sort_keys=True, ensure_ascii=False))
    else:
        for (api, v), vs in zip(versions, summary):
            print(f"{api} {v.name}: {len(v.services)} services, {vs['operations']} operations")
            for s in v.services:
                kinds: dict[str, int] = {}
                for t in s.types:
                    kinds[t.kind] = kinds.get(t.kind, 0) + 1
                detail = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
                origin = "  (inferred from samples)" if s.inferred else ""
                print(
                    f"  {s.name}: {len(s.operations)} operations, {len(s.types)} types ({detail}),"
                    f" {len(s.elements)} elements; {s.endpoint or '-'}; SOAP {s.soap_version}{origin}"
                )
        print(
            f"total: {total} operations in {len(versions)} versions from {len(files)} files; {_counts(diags.items)}"
        )
        _print_diags(diags.items)
    return 2 if diags.has_errors else 0


def _specs_config(args: argparse.Namespace) -> Config:
    return load(args.config, {"specs": args.specs})


def _load_side(arg: str, specs: str | None, progress: Progress) -> tuple[Loaded, Collector]:
    from . import versions

    path = versions.resolve(arg, specs)
    progress(f"reading {_shown(path)}")
    diags = Collector()
    loaded = versions.load_version(path, specs, diags)
    return loaded, diags


def _input_errors(what: str, diags: Collector) -> bool:
    """Print a side's error diagnostics to stderr; True when there were any."""
    if not diags.has_errors:
        return False
    _print_diags(diags.items, Level.ERROR, file=sys.stderr)
    print(f"soapgen: {what} has {_counts(diags.items)}; cannot compare", file=sys.stderr)
    return True


def cmd_diff(args: argparse.Namespace) -> int:
    from . import versions

    specs: str | None = None
    if args.specs or args.config or not all(os.path.exists(a) for a in (args.old, args.new)):
        specs = _specs_config(args).specs  # version names are looked up there
    else:
        try:  # two folders: the configured specs folder, if any, only names their api
            specs = _specs_config(args).specs
        except ConfigError:
            specs = None
    try:
        with _progress(args.quiet) as progress:
            old, old_diags = _load_side(args.old, specs, progress)
            new, new_diags = _load_side(args.new, specs, progress)
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
                f"no agent {', '.join(unknown)} in either version (agents: {', '.join(sorted(known))})"
            )
    diff = versions.diff_versions(
        (old.api, old.version),
        (new.api, new.version),
        agents,
        _shown(old.source),
        _shown(new.source),
    )
    if args.json:
        print(json.dumps(versions.to_json(diff), indent=1, sort_keys=True, ensure_ascii=False))
    else:
        print(versions.to_markdown(diff), end="")
    return 1 if args.exit_code and not diff.empty else 0


def _changelog(specs: str, api: str, previous: str, dest: str, quiet: bool) -> str | None:
    """The markdown diff of a just-added version against the previous one (None: cannot compare)."""
    from . import versions

    old_diags, new_diags = Collector(), Collector()
    try:
        with _progress(quiet) as progress:
            progress(f"comparing with {api}/{previous}")
            old = versions.load_version(os.path.join(specs, api, previous), specs, old_diags)
            new = versions.load_version(dest, specs, new_diags)
    except versions.VersionError as exc:
        print(f"soapgen: {exc}; no changelog", file=sys.stderr)
        return None
    if old_diags.has_errors:
        print(
            f"soapgen: {api}/{previous} has {_counts(old_diags.items)}; no changelog",
            file=sys.stderr,
        )
        return None
    diff = versions.diff_versions(
        (old.api, old.version), (new.api, new.version), None, _shown(old.source), _shown(dest)
    )
    return versions.to_markdown(diff)


def cmd_add_version(args: argparse.Namespace) -> int:
    from . import versions
    from .naming import identifier

    cfg = _specs_config(args)
    src = args.src
    if not os.path.isdir(src):
        raise UsageError(f"{src} is not a folder")
    if not os.path.isdir(cfg.specs):
        raise ConfigError(f"specs directory {_shown(cfg.specs)} does not exist (from {cfg.source})")
    if os.path.abspath(src) == os.path.abspath(cfg.specs) or versions.below(src, cfg.specs):
        raise UsageError(f"{src} is already below the specs folder {_shown(cfg.specs)}")
    diags = Collector()
    try:
        with _progress(args.quiet) as progress:
            progress(f"reading {_shown(src)}")
            loaded = versions.load_version(src, None, diags)
    except versions.VersionError as exc:
        if exc.diags is None:
            raise UsageError(str(exc)) from None
        loaded = None
    if loaded is None or diags.has_errors:
        _print_diags(diags.items, Level.ERROR, file=sys.stderr)
        print(f"soapgen: {src} has {_counts(diags.items)}; not added", file=sys.stderr)
        return 2
    assert loaded is not None
    paged = any(f.endswith((".md", ".txt")) for f in loaded.files)
    name = args.name or loaded.version.name
    if paged and name != loaded.version.name:
        raise UsageError(
            f"the pages in {src} say {loaded.version.name}; generate names packages after the pages,"
            f" so --name {name} would not be used (leave --name out)"
        )
    api = args.api or loaded.api
    if not name or os.sep in name or "/" in name or name.startswith("."):
        raise UsageError(f"not a version name: {name!r}")
    dest = os.path.join(cfg.specs, api, name)
    previous = versions.previous_version(cfg.specs, api, name)
    try:
        copied = versions.copy_version(src, dest)
    except versions.VersionError as exc:
        raise UsageError(str(exc)) from None
    print(f"added {_shown(dest)}: {len(copied)} files; {_counts(diags.items)}")
    if not args.quiet:
        _print_diags(diags.items, Level.WARNING)
    print()
    if previous is None:
        print(
            f"no earlier version of {api} below {name} in {_shown(cfg.specs)}; nothing to compare with"
        )
    else:
        changelog = _changelog(cfg.specs, api, previous, dest, args.quiet)
        if changelog:
            print(changelog)
    print(
        f"next: run `soapgen generate` to create {_shown(cfg.output)}/{identifier(api)}/{identifier(name)}/,"
        f" then commit {_shown(dest)} and the generated files together"
    )
    return 0


def _dir_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--specs", metavar="DIR", help="spec folder (default: [tool.soapgen] specs)")
    p.add_argument("--output", metavar="DIR", help="output folder (default: [tool.soapgen] output)")
    p.add_argument(
        "--templates", metavar="DIR", help="template folder (default: [tool.soapgen] templates)"
    )
    p.add_argument(
        "--config",
        metavar="PYPROJECT",
        help="pyproject.toml to read (default: nearest one upwards)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="soapgen", description="SOAP docs + WSDL -> typed Python clients."
    )
    parser.add_argument("--version", action="version", version=f"soapgen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    gen = sub.add_parser(
        "generate", help="generate the clients (writes nothing if there are errors)"
    )
    _dir_flags(gen)
    gen.add_argument("--quiet", action="store_true", help="print only warnings and errors")
    gen.add_argument(
        "--keep-going",
        action="store_true",
        help="report every problem; for now the output is still left untouched and the exit code is 1"
        " when there are errors (partial output is not written)",
    )
    gen.set_defaults(func=cmd_generate)
    chk = sub.add_parser(
        "check", help="exit 0 if the output is up to date, 1 if stale, 2 if inputs are broken"
    )
    _dir_flags(chk)
    chk.add_argument(
        "--quiet", action="store_true", help="no progress lines while comparing a stale tree"
    )
    chk.set_defaults(func=cmd_check)
    ins = sub.add_parser("inspect", help="read spec files and summarise the services they describe")
    ins.add_argument("paths", nargs="+", metavar="PATH", help="spec files or folders")
    ins.add_argument("--json", action="store_true", help="print a JSON object")
    ins.add_argument(
        "--ir", action="store_true", help="include the full IR in the JSON (implies --json)"
    )
    ins.set_defaults(func=cmd_inspect)
    dif = sub.add_parser(
        "diff",
        help="changelog between two versions: operations, parameters, return types, types, fields, enum values",
        description="OLD and NEW are spec folders, or versions named api/Version (or Version) below the specs folder.",
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
        help="copy a docs folder into specs/<api>/<Version>/ and print the changelog against the previous version",
    )
    add.add_argument(
        "src",
        metavar="SRC_DIR",
        help="folder with the version's pages (one folder per agent) and WSDL pages",
    )
    add.add_argument("--api", metavar="API", help="API folder below specs (default: superoffice)")
    add.add_argument(
        "--name",
        metavar="VERSION",
        help="version folder name (default: the version the pages name)",
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
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else 2
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        code: int = args.func(args)
        return code
    except (ConfigError, UsageError) as exc:
        print(f"soapgen: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("soapgen: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into a reader that stopped early (| head)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
