"""The soapgen command line: generate, check, inspect, diff, add-version, init, serve.

Exit codes: 0 ok; 1 generate found errors (nothing written), check found the output stale, or
diff --exit-code found differences; 2 configuration or usage problems, or check/inspect/diff/
add-version found input errors that make generation impossible.
"""

from __future__ import annotations

import argparse
import os
import sys

from .. import __version__
from ..config.project import ConfigError
from . import diff, generate, init, inspect, serve
from .common import UsageError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="soapgen", description="SOAP docs + WSDL -> typed Python clients."
    )
    parser.add_argument("--version", action="version", version=f"soapgen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (generate, inspect, diff, init, serve):
        module.add_parsers(sub)
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
