"""Typed configuration from [tool.soapgen] in pyproject.toml; unknown keys and wrong types are errors."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field

from .render import ApiProfile

_TOP = {"specs": str, "output": str, "templates": str, "apis": dict}
_API = {
    "facade": str,
    "error_header": str,
    "error_field": str,
    "error_class": str,
    "error_bodies": bool,
    "json": bool,
}


class ConfigError(Exception):
    pass


@dataclass(frozen=True)
class Config:
    root: str = "."
    specs: str = "specs"
    output: str = "generated"
    templates: str = "templates"
    apis: dict[str, ApiProfile] = field(default_factory=dict)
    source: str = ""

    def profile(self, api: str) -> ApiProfile:
        return self.apis.get(api, ApiProfile())


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


def load(path: str | None = None, overrides: dict[str, str | None] | None = None) -> Config:
    path = path or find_pyproject(os.getcwd())
    table: dict[str, object] = {}
    root = os.getcwd()
    if path:
        root = os.path.dirname(os.path.abspath(path))
        try:
            with open(path, "rb") as fh:
                data = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read: {exc}") from None
        tool = data.get("tool", {})
        table = tool.get("soapgen", {}) if isinstance(tool, dict) else {}
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.soapgen] must be a table")
    where = path or "(defaults)"
    for key, value in table.items():
        if key not in _TOP:
            raise ConfigError(
                f"{where}: unknown key tool.soapgen.{key} (known: {', '.join(sorted(_TOP))})"
            )
        if not isinstance(value, _TOP[key]):
            raise ConfigError(
                f"{where}: tool.soapgen.{key} must be a {_TOP[key].__name__}, not {type(value).__name__}"
            )
    apis: dict[str, ApiProfile] = {}
    for name, spec in dict(table.get("apis", {})).items():  # type: ignore[call-overload]
        if not isinstance(spec, dict):
            raise ConfigError(f"{where}: tool.soapgen.apis.{name} must be a table")
        for key, value in spec.items():
            if key not in _API:
                raise ConfigError(
                    f"{where}: unknown key tool.soapgen.apis.{name}.{key} (known: {', '.join(sorted(_API))})"
                )
            if not isinstance(value, _API[key]):
                raise ConfigError(
                    f"{where}: tool.soapgen.apis.{name}.{key} must be a {'boolean' if _API[key] is bool else 'string'}"
                )
        apis[name] = ApiProfile(**spec)
    values: dict[str, str] = {
        k: str(table[k]) for k in ("specs", "output", "templates") if k in table
    }
    for k, v in (overrides or {}).items():
        if v is not None:
            values[k] = v
    resolved = {k: os.path.normpath(os.path.join(root, v)) for k, v in values.items()}
    return Config(
        root=root,
        specs=resolved.get("specs", os.path.join(root, "specs")),
        output=resolved.get("output", os.path.join(root, "generated")),
        templates=resolved.get("templates", os.path.join(root, "templates")),
        apis=apis,
        source=where,
    )
