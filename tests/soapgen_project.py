"""A small soapgen project in a temporary folder, for the tests that run the CLI end to end."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPECS86 = ROOT / "specs" / "superoffice" / "Services86"

PYPROJECT = """\
[tool.soapgen]
specs = "specs"
output = "generated"
templates = "templates"

[tool.soapgen.apis.superoffice]
facade = "NetServer"
error_header = "ExceptionInfo"
error_class = "NetServerError"
"""


def new_project(folder: Path) -> Path:
    """Services86 Report (13 operations), this checkout's templates and a pyproject.toml."""
    shutil.copytree(SPECS86, folder / "specs" / "superoffice" / "Services86")
    shutil.copytree(
        ROOT / "templates", folder / "templates", ignore=shutil.ignore_patterns("__pycache__")
    )
    (folder / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    return folder
