"""`soapgen serve`: the generated mock server of one API version, over HTTP, until Ctrl-C or
SIGTERM."""

from __future__ import annotations

import argparse
import importlib
import os
import re
import signal
import sys
import time
from typing import Any

from ..config.naming import identifier
from ..config.project import Config, load
from .common import UsageError, shown


def _natural(name: str) -> list[Any]:
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name)]


def _packages(cfg: Config) -> dict[str, list[str]]:
    """api folder -> version folders of the output holding a testing module."""
    found: dict[str, list[str]] = {}
    out = cfg.output
    for api in sorted(os.listdir(out)) if os.path.isdir(out) else []:
        folder = os.path.join(out, api)
        if not os.path.isdir(folder) or api.startswith((".", "_")):
            continue
        versions = [
            v for v in os.listdir(folder) if os.path.isfile(os.path.join(folder, v, "testing.py"))
        ]
        if versions:
            found[api] = sorted(versions, key=_natural)
    return found


def _choose(cfg: Config, api: str | None, version: str | None) -> tuple[str, str]:
    packages = _packages(cfg)
    if not packages:
        raise UsageError(f"no generated packages in {shown(cfg.output)}: run soapgen generate")
    listing = "; ".join(f"{a}: {', '.join(vs)}" for a, vs in packages.items())
    if api is None:
        if len(packages) > 1:
            raise UsageError(f"several APIs are generated, choose one with --api ({listing})")
        api = next(iter(packages))
    api_py = identifier(api)
    if api_py not in packages:
        raise UsageError(f"no generated API {api!r} in {shown(cfg.output)} ({listing})")
    versions = packages[api_py]
    if version is None:
        return api_py, versions[-1]
    version_py = identifier(version).lower()
    if version_py not in versions:
        raise UsageError(f"no generated version {version!r} of {api} ({', '.join(versions)})")
    return api_py, version_py


def cmd_serve(args: argparse.Namespace) -> int:
    cfg = load(args.config, {"output": args.output})
    api, version = _choose(cfg, args.api, args.version)
    out = os.path.abspath(cfg.output)
    parts = cfg.package.split(".") if cfg.package else []
    root = out
    for _ in parts:
        root = os.path.dirname(root)
    sys.path.insert(0, root)
    name = ".".join([*parts, api, version, "testing"])
    try:
        testing = importlib.import_module(name)
    except Exception as exc:  # a package that does not import: say so, no traceback
        raise UsageError(f"cannot import {name} from {shown(root)}: {exc}") from None
    try:
        server = testing.serve(*args.agent, host=args.host, port=args.port, validate=args.validate)
    except KeyError as exc:
        raise UsageError(str(exc.args[0])) from None
    server.listeners.append(_log)
    try:
        server.start()
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {exc}") from None
    checked = "checked against the WSDL's schema" if args.validate else "not schema-checked"
    print(f"soapgen serve: {api} {version} at {server.url}", flush=True)
    for service in server.services:
        count = len(service.operations)
        print(f"  {service.agent:<24} {server.url_of(service.agent)} ({count} operations)")
    print(f"requests are {checked}; Ctrl-C or SIGTERM stops", flush=True)
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        while True:
            time.sleep(3600)
    except (KeyboardInterrupt, _Terminated):
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.close()
    print("soapgen serve: stopped", flush=True)
    return 0


class _Terminated(Exception):
    """SIGTERM: how a service manager, a container or a test stops the server (Ctrl-C does
    nothing in a process started in the background, which ignores SIGINT)."""


def _terminated(signum: int, frame: object) -> None:
    raise _Terminated


def _log(call: Any) -> None:
    what = f"{call.agent}.{call.operation}" if call.operation else call.agent or "?"
    line = f"{call.status} {call.path} {what}"
    if call.errors:
        line += " refused: " + "; ".join(call.errors)
    print(line, flush=True)


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "serve",
        help="serve a generated API version as a mock server (doc samples, schema-checked)",
        description="Serves every operation of one generated API version at its endpoint path,"
        " answering with the documented response samples and checking each request against"
        " the WSDL's schema. In tests, use the package's testing.serve() instead.",
    )
    p.add_argument("--api", metavar="API", help="the API folder (needed when several exist)")
    p.add_argument("--version", metavar="VERSION", help="e.g. Services88 (default: the latest)")
    p.add_argument(
        "--agent", action="append", default=[], metavar="NAME", help="serve only this agent"
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="port (8080; 0 picks a free one)")
    p.add_argument(
        "--no-validate",
        dest="validate",
        action="store_false",
        help="do not check requests against the schema",
    )
    p.add_argument("--output", metavar="DIR", help="output folder (default: [tool.soapgen] output)")
    p.add_argument(
        "--config", metavar="PYPROJECT", help="pyproject.toml to read (default: nearest upwards)"
    )
    p.set_defaults(func=cmd_serve)
