"""The soapgen command line: generate, check, inspect.

Exit codes: 0 ok; 1 generate found errors (nothing written) or check found the output stale;
2 configuration or usage problems, or check/inspect found input errors that make generation
impossible.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from collections.abc import Callable, Iterable

from . import __version__, ir, write
from .config import Config, ConfigError, load
from .diagnostics import Diagnostic, Level


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


def _print_diags(items: Iterable[Diagnostic], min_level: Level = Level.INFO) -> None:
    """One line per diagnostic, grouped by file (the items come sorted by file)."""
    for d in items:
        if d.level >= min_level:
            print(dataclasses.replace(d, file=_shown(d.file)).format())


def _counts(items: list[Diagnostic]) -> str:
    n = {lvl: sum(1 for d in items if d.level is lvl) for lvl in Level}
    return f"{n[Level.ERROR]} errors, {n[Level.WARNING]} warnings"


def _progress(quiet: bool) -> Callable[[str], None]:
    if quiet or not sys.stderr.isatty():
        return lambda msg: None
    return lambda msg: print(f"soapgen: {msg}", file=sys.stderr, flush=True)


def _config(args: argparse.Namespace) -> Config:
    cfg = load(args.config, {"specs": args.specs, "output": args.output, "templates": args.templates})
    if not os.path.isdir(cfg.specs):
        raise ConfigError(f"specs directory {_shown(cfg.specs)} does not exist (from {cfg.source})")
    if not os.path.isfile(os.path.join(cfg.templates, "runtime.py")):
        raise ConfigError(f"templates directory {_shown(cfg.templates)} has no runtime.py (from {cfg.source})")
    return cfg


def cmd_generate(args: argparse.Namespace) -> int:
    from .naming import identifier
    from .pipeline import generate

    cfg = _config(args)
    progress = _progress(args.quiet)
    out = _shown(cfg.output)
    t0 = time.perf_counter()
    progress(f"reading {_shown(cfg.specs)}, rendering and formatting ...")
    result = generate(cfg)
    items = result.diags.items
    _print_diags(items, Level.WARNING if args.quiet else Level.INFO)
    if result.diags.has_errors:
        note = " (--keep-going does not write partial output yet)" if args.keep_going else ""
        print(f"soapgen: {_counts(items)}; nothing written to {out}{note}")
        return 1
    if not result.inputs:
        print(f"soapgen: no spec files under {_shown(cfg.specs)}; nothing written", file=sys.stderr)
        return 2
    progress(f"writing {out} ...")
    t1 = time.perf_counter()
    try:
        for note in write.recover(cfg.output):
            print(f"soapgen: {note}", file=sys.stderr)
        write.write_tree(cfg.output, result.files, write.manifest_for(cfg, result.inputs, result.files))
    except (write.WriteError, OSError) as exc:
        print(f"soapgen: cannot write {out}: {exc}", file=sys.stderr)
        return 2
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
    from .pipeline import generate

    result = generate(cfg)
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
            "diagnostics": [dataclasses.replace(d, file=_shown(d.file)).to_json() for d in diags.items],
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
        print(f"total: {total} operations in {len(versions)} versions from {len(files)} files; {_counts(diags.items)}")
        _print_diags(diags.items)
    return 2 if diags.has_errors else 0


def _dir_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--specs", metavar="DIR", help="spec folder (default: [tool.soapgen] specs)")
    p.add_argument("--output", metavar="DIR", help="output folder (default: [tool.soapgen] output)")
    p.add_argument("--templates", metavar="DIR", help="template folder (default: [tool.soapgen] templates)")
    p.add_argument("--config", metavar="PYPROJECT", help="pyproject.toml to read (default: nearest one upwards)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="soapgen", description="SOAP docs + WSDL -> typed Python clients.")
    parser.add_argument("--version", action="version", version=f"soapgen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    gen = sub.add_parser("generate", help="generate the clients (writes nothing if there are errors)")
    _dir_flags(gen)
    gen.add_argument("--quiet", action="store_true", help="print only warnings and errors")
    gen.add_argument(
        "--keep-going",
        action="store_true",
        help="report every problem; for now the output is still left untouched and the exit code is 1"
        " when there are errors (partial output is not written)",
    )
    gen.set_defaults(func=cmd_generate)
    chk = sub.add_parser("check", help="exit 0 if the output is up to date, 1 if stale, 2 if inputs are broken")
    _dir_flags(chk)
    chk.set_defaults(func=cmd_check)
    ins = sub.add_parser("inspect", help="read spec files and summarise the services they describe")
    ins.add_argument("paths", nargs="+", metavar="PATH", help="spec files or folders")
    ins.add_argument("--json", action="store_true", help="print a JSON object")
    ins.add_argument("--ir", action="store_true", help="include the full IR in the JSON (implies --json)")
    ins.set_defaults(func=cmd_inspect)
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
