"""A small soapgen project in a temporary folder, for the tests that run the CLI end to end:
a minimal [tool.soapgen] (the SuperOffice profile and soapgen's own templates apply by
themselves) and the Services86 Report pages."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPECS86 = ROOT / "specs" / "superoffice" / "Services86"

PYPROJECT = """\
[tool.soapgen]
specs = "specs"
output = "generated"
"""


def new_project(folder: Path) -> Path:
    """Services86 Report (13 operations) and a pyproject.toml."""
    shutil.copytree(SPECS86, folder / "specs" / "superoffice" / "Services86")
    (folder / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    return folder
