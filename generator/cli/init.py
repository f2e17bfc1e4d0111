"""`soapgen init`: a working [tool.soapgen] and pre-commit hook for a new project."""

from __future__ import annotations

import argparse
import os
import tomllib

from .. import __version__
from .common import UsageError, shown

RUNTIME_NEEDS = (
    "Generated packages need lxml and httpx at run time (and lxml-stubs for mypy);"
    " add them to your project's dependencies."
)


def _table(specs: str, output: str, package: str) -> str:
    lines = ["[tool.soapgen]", f'specs = "{specs}"', f'output = "{output}"']
    if package:
        lines.append(f'package = "{package}"')
    return "\n".join(lines) + "\n"


def _hook(repo: str | None, rev: str | None) -> str:
    if repo is None:  # the soapgen of the project's own environment
        return (
            "repos:\n"
            "  - repo: local\n"
            "    hooks:\n"
            "      - id: soapgen-check\n"
            "        name: soapgen check (generated clients are up to date)\n"
            "        entry: soapgen check\n"
            "        language: system\n"
            "        pass_filenames: false\n"
            "        always_run: true\n"
        )
    return (
        "repos:\n"
        f"  - repo: {repo}\n"
        f"    rev: {rev or 'v' + __version__}\n"
        "    hooks:\n"
        "      - id: soapgen-check\n"
    )


def cmd_init(args: argparse.Namespace) -> int:
    root = os.path.abspath(args.dir)
    if not os.path.isdir(root):
        raise UsageError(f"{args.dir} is not a folder")
    pyproject = os.path.join(root, "pyproject.toml")
    table = _table(args.specs, args.output, args.package or "")
    if os.path.isfile(pyproject):
        with open(pyproject, "rb") as fh:
            try:
                data = tomllib.load(fh)
            except tomllib.TOMLDecodeError as exc:
                raise UsageError(f"{shown(pyproject)} is not valid TOML: {exc}") from None
        if "soapgen" in data.get("tool", {}):
            print(f"{shown(pyproject)} has a [tool.soapgen] table already; left as it is")
        else:
            with open(pyproject, "a", encoding="utf-8") as fh:
                fh.write("\n" + table)
            print(f"added [tool.soapgen] to {shown(pyproject)}")
    else:
        with open(pyproject, "w", encoding="utf-8") as fh:
            fh.write(table)
        print(f"wrote {shown(pyproject)}")
    specs = os.path.join(root, args.specs)
    if not os.path.isdir(specs):
        os.makedirs(specs)
        print(f"made {shown(specs)}/ (put each API's versions in {args.specs}/<api>/<Version>/)")
    hooks = os.path.join(root, ".pre-commit-config.yaml")
    snippet = _hook(args.hook_repo, args.hook_rev)
    if os.path.exists(hooks):
        with open(hooks, encoding="utf-8") as fh:
            has = "soapgen-check" in fh.read()
        if has:
            print(f"{shown(hooks)} runs soapgen-check already; left as it is")
        else:
            print(f"{shown(hooks)} exists; add this hook to it:\n\n{snippet}")
    else:
        with open(hooks, "w", encoding="utf-8") as fh:
            fh.write(snippet)
        print(f"wrote {shown(hooks)} (then run `pre-commit install`)")
    print(
        f"\nnext: copy docs into {args.specs}/<api>/<Version>/ (e.g. `soapgen add-version"
        " path/to/Services88`), run `soapgen generate` and commit the specs and the output.\n"
        + RUNTIME_NEEDS
    )
    return 0


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    init = sub.add_parser(
        "init", help="write a [tool.soapgen] table and a pre-commit hook for a new project"
    )
    init.add_argument("dir", nargs="?", default=".", help="the project folder (default: .)")
    init.add_argument("--specs", default="specs", help="spec folder (default: specs)")
    init.add_argument("--output", default="generated", help="output folder (default: generated)")
    init.add_argument("--package", help="import path of the output folder, e.g. acme.clients")
    init.add_argument(
        "--hook-repo",
        metavar="URL",
        help="the soapgen repository pre-commit installs the hook from (default: a local hook"
        " running the soapgen of your environment)",
    )
    init.add_argument("--hook-rev", metavar="REV", help="the revision of --hook-repo")
    init.set_defaults(func=cmd_init)
