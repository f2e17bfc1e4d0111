"""Typed configuration from [tool.soapgen] in pyproject.toml; unknown keys and wrong types are
errors that name the known ones.

    [tool.soapgen]
    specs = "specs"              # <specs>/<api>/<Version>/... (default "specs")
    output = "generated"         # where the packages are written (default "generated")
    package = "acme.clients"     # the import path of the output folder (default: top level)
    templates = "templates"      # optional: files shadowing soapgen's templates one by one

    [tool.soapgen.diagnostics]
    ignore = ["SAMPLE010"]       # warning codes not to print (still counted)
    summarize = ["SAMPLE"]       # codes (or code prefixes) printed as one line with a count;
                                 # true: every warning and note

    [tool.soapgen.apis.<api>]    # optional: the profile of an API folder, and overrides
    profile = "superoffice"      # superoffice | servicestack | generic (default: detected)
    facade = "NetServer"         # ... any setting of profiles.ApiProfile
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field

from .profiles import BUILTIN, SETTINGS

_TOP: dict[str, type | tuple[type, ...]] = {
    "specs": str,
    "output": str,
    "templates": str,
    "package": str,
    "apis": dict,
    "diagnostics": dict,
}
_DIAGNOSTICS: dict[str, type | tuple[type, ...]] = {"ignore": list, "summarize": (list, bool)}
_CODE = re.compile(r"[A-Z]+[0-9]*")
_PACKAGE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")


class ConfigError(Exception):
    pass


@dataclass(frozen=True)
class DiagnosticsConfig:
    ignore: frozenset[str] = frozenset()  # codes
    summarize: frozenset[str] | bool = frozenset()  # codes or code prefixes; True: all

    def summarized(self, code: str) -> bool:
        if isinstance(self.summarize, bool):
            return self.summarize
        return any(code.startswith(prefix) for prefix in self.summarize)


@dataclass(frozen=True)
class Config:
    root: str = "."
    specs: str = "specs"
    output: str = "generated"
    templates: str | None = None  # the override folder, if the project has one
    package: str = ""  # dotted import path of the output folder ("" = top level)
    apis: dict[str, dict[str, object]] = field(default_factory=dict)  # [tool.soapgen.apis]
    diagnostics: DiagnosticsConfig = DiagnosticsConfig()
    source: str = ""  # the pyproject.toml read, or "(defaults)"


def find_pyproject(start: str) -> str | None:
    cur = os.path.abspath(start)
    while True:
        cand = os.path.join(cur, "pyproject.toml")
        if os.path.isfile(cand):
            return cand
        parent = os.path.dirname(cur)
        if parent == cur:
            return None
        cur = parent


def _type_name(t: type | tuple[type, ...]) -> str:
    names = {bool: "boolean", int: "integer", str: "string", list: "list", dict: "table"}
    ts = t if isinstance(t, tuple) else (t,)
    return " or ".join(names.get(x, x.__name__) for x in ts)


def _check_keys(
    where: str, prefix: str, table: dict[str, object], known: dict[str, type | tuple[type, ...]]
) -> None:
    for key, value in table.items():
        if key not in known:
            raise ConfigError(
                f"{where}: unknown key {prefix}.{key} (known: {', '.join(sorted(known))})"
            )
        if not isinstance(value, known[key]) or (
            known[key] in (str, int) and isinstance(value, bool)
        ):
            raise ConfigError(
                f"{where}: {prefix}.{key} must be a {_type_name(known[key])},"
                f" not {type(value).__name__}"
            )


def _read_table(path: str) -> dict[str, object]:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    tool = data.get("tool", {})
    table = tool.get("soapgen", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.soapgen] must be a table")
    return table


def _apis(where: str, table: dict[str, object]) -> dict[str, dict[str, object]]:
    apis: dict[str, dict[str, object]] = {}
    for name, spec in table.items():
        if not isinstance(spec, dict):
            raise ConfigError(f"{where}: tool.soapgen.apis.{name} must be a table")
        _check_keys(where, f"tool.soapgen.apis.{name}", spec, {"profile": str, **SETTINGS})
        for key, value in spec.items():
            if isinstance(value, list) and not all(isinstance(v, str) for v in value):
                raise ConfigError(
                    f"{where}: tool.soapgen.apis.{name}.{key} must be a list of strings"
                )
        profile = spec.get("profile")
        if profile is not None and profile not in BUILTIN:
            raise ConfigError(
                f"{where}: tool.soapgen.apis.{name}.profile {profile!r} is not a profile"
                f" (known: {', '.join(sorted(BUILTIN))})"
            )
        apis[name] = dict(spec)
    return apis


def _diagnostics(where: str, table: dict[str, object]) -> DiagnosticsConfig:
    _check_keys(where, "tool.soapgen.diagnostics", table, _DIAGNOSTICS)
    codes: dict[str, frozenset[str]] = {}
    for key in ("ignore", "summarize"):
        value = table.get(key, [])
        if isinstance(value, bool):
            continue
        assert isinstance(value, list)
        bad = [c for c in value if not isinstance(c, str) or not _CODE.fullmatch(c)]
        if bad:
            raise ConfigError(
                f"{where}: tool.soapgen.diagnostics.{key} takes diagnostic codes such as"
                f" SAMPLE010 (or prefixes such as SAMPLE), not {bad[0]!r}"
            )
        codes[key] = frozenset(value)
    summarize = table.get("summarize", frozenset())
    return DiagnosticsConfig(
        ignore=codes.get("ignore", frozenset()),
        summarize=summarize if isinstance(summarize, bool) else codes.get("summarize", frozenset()),
    )


def load(path: str | None = None, overrides: dict[str, str | None] | None = None) -> Config:
    """The configuration of the nearest pyproject.toml (or `path`), with `overrides` (command
    line flags) on top; every path absolute."""
    path = path or find_pyproject(os.getcwd())
    table: dict[str, object] = {}
    root = os.getcwd()
    if path:
        root = os.path.dirname(os.path.abspath(path))
        table = _read_table(path)
    where = path or "(defaults)"
    _check_keys(where, "tool.soapgen", table, _TOP)
    package = str(table.get("package", ""))
    if package and not _PACKAGE.fullmatch(package):
        raise ConfigError(f"{where}: tool.soapgen.package {package!r} is not a dotted module path")
    values: dict[str, str] = {
        k: str(table[k]) for k in ("specs", "output", "templates") if k in table
    }
    for k, v in (overrides or {}).items():
        if v is not None:
            values[k] = v
    resolved = {k: os.path.normpath(os.path.join(root, v)) for k, v in values.items()}
    apis = table.get("apis", {})
    diagnostics = table.get("diagnostics", {})
    assert isinstance(apis, dict) and isinstance(diagnostics, dict)
    return Config(
        root=root,
        specs=resolved.get("specs", os.path.join(root, "specs")),
        output=resolved.get("output", os.path.join(root, "generated")),
        templates=resolved.get("templates"),
        package=package,
        apis=_apis(where, apis),
        diagnostics=_diagnostics(where, diagnostics),
        source=where,
    )


def check_apis(config: Config, api_folders: list[str]) -> None:
    """Every [tool.soapgen.apis.<api>] names an API folder of the specs."""
    for name in sorted(config.apis):
        if name not in api_folders:
            known = ", ".join(sorted(api_folders)) or "none"
            raise ConfigError(
                f"{config.source}: [tool.soapgen.apis.{name}] matches no API folder of"
                f" {config.specs} (API folders: {known})"
            )
