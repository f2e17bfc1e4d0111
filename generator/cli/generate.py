"""`soapgen generate` and `soapgen check`."""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from typing import TYPE_CHECKING

from ..config.naming import identifier
from ..config.project import Config
from ..read.inputs import InputError, read_input
from ..write import tree as write
from .common import config_for, progress, report, shown, summary

if TYPE_CHECKING:
    from ..pipeline.result import Result

# The pipeline (and with it the plan, the templates, black and the runtime) is imported only
# when a command generates: `soapgen check` on an up-to-date tree, what a pre-commit hook runs
# on every commit, answers from the manifest without it.


def _generated(cfg: Config, quiet: bool) -> Result:
    from ..pipeline.run import generate

    with progress(quiet) as stage:
        stage(f"reading {shown(cfg.specs)}, rendering and formatting")
        return generate(cfg)


def cmd_generate(args: argparse.Namespace) -> int:
    from ..pipeline.publish import publish

    cfg = config_for(args)
    if args.summary:
        cfg = _summarizing(cfg)
    out = shown(cfg.output)
    t0 = time.perf_counter()
    started_ns = time.time_ns()
    result = _generated(cfg, args.quiet)
    items = result.diags.items
    report(items, cfg.diagnostics, args.quiet)
    failed = result.diags.has_errors
    if failed and not args.keep_going:
        print(f"soapgen: {summary(items, cfg.diagnostics)}; nothing written to {out}")
        return 1
    if not result.inputs:
        print(f"soapgen: no spec files under {shown(cfg.specs)}; nothing written", file=sys.stderr)
        return 2
    t1 = time.perf_counter()
    try:
        with progress(args.quiet) as stage:
            stage(f"writing {len(result.files)} files to {out}")
            for note in write.recover(cfg.output):
                print(f"soapgen: {note}", file=sys.stderr)
            publish(cfg, result, started_ns)
    except (write.WriteError, OSError) as exc:
        print(f"soapgen: cannot write {out}: {exc}", file=sys.stderr)
        return 2
    timings = {**result.timings, "write": time.perf_counter() - t1}
    if not args.quiet:
        prefix = f"{cfg.package}." if cfg.package else ""
        done = [(api, v.py_name, "generated") for api, v in result.versions]
        done += [(api, py, "unchanged") for api, _, py in result.reused.versions]
        every = [*result.files, *result.reused.carried]
        for api, py_name, what in sorted(done):
            base = f"{identifier(api)}/{py_name}/"
            modules = sum(1 for p in every if p.startswith(base) and p.endswith(".py"))
            print(f"{what} {prefix}{base[:-1].replace('/', '.')}: {modules} modules")
    spent = ", ".join(f"{k} {v:.2f}s" for k, v in timings.items())
    print(
        f"soapgen: {len(result.versions) + len(result.reused.versions)} versions"
        + (f" ({len(result.reused.versions)} unchanged)" if result.reused.versions else "")
        + f", {len(result.inputs)} inputs -> {len(result.files) + len(result.reused.carried)} files in"
        f" {out}; {summary(items, cfg.diagnostics)};"
        f" {time.perf_counter() - t0:.2f}s" + ("" if args.quiet else f" ({spent})")
    )
    if not (result.versions or result.reused.versions):
        if failed:
            print("soapgen: nothing generated: the errors above left nothing to generate")
        else:
            notes = [d for d in items if d.code == "WSDL006"]
            why = f": {notes[0].message}" if len(notes) == 1 else ""
            print(f"soapgen: nothing generated: no input has a SOAP service to call{why}")
    if failed:
        print(
            f"soapgen: --keep-going: written despite {summary(items, cfg.diagnostics)}; what"
            " the errors name is left out of the clients"
        )
        return 1
    return 0


def _summarizing(cfg: Config) -> Config:
    return dataclasses.replace(
        cfg, diagnostics=dataclasses.replace(cfg.diagnostics, summarize=True)
    )


def cmd_check(args: argparse.Namespace) -> int:
    """0: the output is what this soapgen generates from the inputs; 1: it is not; 2: the inputs
    cannot be generated from."""
    cfg = config_for(args)
    out = shown(cfg.output)
    t0 = time.perf_counter()
    state, reasons = write.check_fast(cfg)
    if state == "fresh":
        print(f"{out}/ is up to date ({time.perf_counter() - t0:.2f}s)")
        return 0
    # the manifest does not vouch for the output: generate in memory and compare
    result = _generated(cfg, args.quiet)
    if result.diags.has_errors:
        _stale(out, reasons)
        report(result.diags.items, cfg.diagnostics, quiet=True)
        print(
            f"soapgen: the inputs have {summary(result.diags.items, cfg.diagnostics)};"
            " cannot generate"
        )
        return 2
    changes = _changes(cfg, result)
    if not changes and all(r.startswith(write.GENERATOR_CHANGE) for r in reasons):
        # another soapgen wrote it, and this one writes the very same files
        print(
            f"{out}/ is up to date ({time.perf_counter() - t0:.2f}s): {reasons[0]},"
            " which generates the same files"
        )
        return 0
    _stale(out, reasons)
    if changes:
        print(f"soapgen generate would change {len(changes)} files:")
        print("\n".join(changes))
    else:
        print(f"the generated files would be identical; only {out}/{write.MANIFEST} is stale")
    print("run `soapgen generate` to update")
    return 1


def _stale(out: str, reasons: list[str]) -> None:
    print(f"{out}/ is out of date:")
    for reason in reasons:
        print(f"  {reason}")


def _changes(cfg: Config, result: Result) -> list[str]:
    out = shown(cfg.output)
    on_disk = write.output_files(cfg.output)
    changes: list[str] = []
    for rel in sorted(set(on_disk) | set(result.files) | set(result.reused.carried)):
        if rel in result.reused.carried and rel in on_disk:
            continue  # taken over from this very tree, checked against the manifest
        if rel not in on_disk:
            changes.append(f"  would appear: {out}/{rel}")
        elif rel not in result.files:
            changes.append(f"  would disappear: {out}/{rel}")
        else:
            try:  # never more than the expected bytes, and never from a FIFO
                same = read_input(on_disk[rel], len(result.files[rel])) == result.files[rel]
            except InputError:
                same = False
            if not same:
                changes.append(f"  would change: {out}/{rel}")
    return changes


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from .common import dir_flags

    gen = sub.add_parser(
        "generate", help="generate the clients (writes nothing if there are errors)"
    )
    dir_flags(gen)
    gen.add_argument(
        "--quiet", action="store_true", help="print errors and one summary line, no warnings"
    )
    gen.add_argument(
        "--summary",
        action="store_true",
        help="one line per warning code with a count, instead of one line per warning",
    )
    gen.add_argument(
        "--keep-going",
        action="store_true",
        help="write the output even when there are errors, leaving out what they name (an"
        " operation using an undeclared element, ...); the exit code stays 1",
    )
    gen.set_defaults(func=cmd_generate)
    chk = sub.add_parser(
        "check",
        help="exit 0 if the output is what generate would write, 1 if not, 2 if inputs are broken",
    )
    dir_flags(chk)
    chk.add_argument(
        "--quiet", action="store_true", help="no progress lines while comparing a stale tree"
    )
    chk.set_defaults(func=cmd_check)
