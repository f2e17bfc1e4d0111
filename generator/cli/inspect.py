"""`soapgen inspect`: the IR of any docs file or folder."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os

from ..core import ir
from ..core.diagnostics import Collector
from .common import UsageError, counts, print_diags, shown


def _service_json(s: ir.Service) -> dict[str, object]:
    return {
        "name": s.name,
        "operations": len(s.operations),
        "types": len(s.types),
        "endpoint": s.endpoint,
        "soap_version": s.soap_version,
    }


def cmd_inspect(args: argparse.Namespace) -> int:
    from ..pipeline.run import read_ir  # the read stage, only when a command reads

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
                dataclasses.replace(d, file=shown(d.file)).to_json() for d in diags.items
            ],
        }
        if args.ir:
            obj["ir"] = [ir.to_json_obj(v) for _, v in versions]
        print(json.dumps(obj, indent=1, sort_keys=True, ensure_ascii=False))
        return 2 if diags.has_errors else 0
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
        f"total: {total} operations in {len(versions)} versions from {len(files)} files;"
        f" {counts(diags.items)}"
    )
    print_diags(diags.items)
    return 2 if diags.has_errors else 0


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ins = sub.add_parser("inspect", help="read spec files and summarise the services they describe")
    ins.add_argument("paths", nargs="+", metavar="PATH", help="spec files or folders")
    ins.add_argument("--json", action="store_true", help="print a JSON object")
    ins.add_argument(
        "--ir", action="store_true", help="include the full IR in the JSON (implies --json)"
    )
    ins.set_defaults(func=cmd_inspect)
