"""Which spec files are ServiceStack's, and which API version each belongs to."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable

from ...inputs import InputError, limit_for, read_input

_TEXT_MARKERS = re.compile(
    r"^\s*(<back to all web services|Name\s*Parameter\s*Data Type\s*Required\s*Description|HTTP \+ [A-Z0-9]+)\s*$",
    re.IGNORECASE | re.MULTILINE,
)


SUFFIXES = (".html", ".htm", ".txt", ".json")


def is_servicestack(path: str) -> bool:
    """Does this spec file look like a ServiceStack metadata page, its copied text or metadata.json?"""
    if not path.endswith(SUFFIXES):
        return False
    try:
        data = read_input(path, limit_for(path))
    except InputError:
        return False
    return is_servicestack_data(path, data)


def is_servicestack_data(path: str, data: bytes) -> bool:
    """is_servicestack, from the file's bytes."""
    if not path.endswith(SUFFIXES):
        return False
    text = data[:2_000_000].decode("utf-8", "replace")
    if path.endswith(".json"):
        try:
            obj = json.loads(text)
        except ValueError:
            return "metadata" in os.path.basename(path).lower() and '"operations"' in text.lower()
        return isinstance(obj, dict) and {"operations", "types"} <= {str(k).lower() for k in obj}
    if path.endswith(".txt"):
        return len(_TEXT_MARKERS.findall(text)) >= 2 or (
            "<back to all web services" in text and "Parameters:" in text
        )
    low = text.lower()
    return "back to all web services" in low or (
        "parameters:" in low and ("to override the content-type" in low or "http + " in low)
    )


def group_files(
    files: Iterable[str], where: dict[str, tuple[str, str]] | None
) -> dict[tuple[str, str], list[str]]:
    """ServiceStack files by (api, version): from ``where`` (specs/<api>/<Version>/...) or, for a
    file given alone, its folder (version) and the folder above it (api)."""
    groups: dict[tuple[str, str], list[str]] = {}
    for path in files:
        api, version = (where or {}).get(path, ("", ""))
        folder = os.path.dirname(os.path.abspath(path))
        if not version:
            version = os.path.basename(folder) or "default"
        if not api or api == "default":
            api = os.path.basename(os.path.dirname(folder)) or "servicestack"
        groups.setdefault((api, version), []).append(path)
    return groups
