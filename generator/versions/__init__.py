"""Versions of an API side by side: a changelog between two versions, and adding a version.

:func:`diff_versions` compares two IR versions by wire names: agents, operations (parameters
with name, type and optionality, the return type, headers, faults, one-way), and the named
types of the version (complex types and their fields, enums and their values with numbers,
arrays, dictionaries, aliases). Namespaces are compared after normalization: an agent's own
target namespace is its ``tns`` (shown without prefix) and the version name inside any other
namespace is replaced by ``{version}``, so Services86 and Services88 compare as the same
names. Everything comes out in a fixed order: agents, operations and types sorted by name;
parameters, fields and enum values in declaration order (the new version's, then what was
removed in the old version's order).

The result renders as markdown (:func:`to_markdown`) or JSON (:func:`to_json`).

The package, lower modules first (each imports only modules listed before it):

* :mod:`.model`: the normalized signatures and the diff result (dataclasses only);
* :mod:`.normalize`: one IR version -> its normalized view;
* :mod:`.compare`: the diff algorithm (:func:`diff_views`, :func:`diff_versions`);
* :mod:`.report`: markdown and JSON;
* :mod:`.folders`: versions in a specs folder (order, previous version, resolve, load, copy).
"""

from __future__ import annotations

from .compare import diff_versions, diff_views
from .folders import (
    Loaded,
    VersionError,
    below,
    copy_version,
    load_version,
    previous_version,
    resolve,
    version_key,
    versions_of,
)
from .model import (
    AgentDiff,
    AgentView,
    Detail,
    Entry,
    Member,
    OpSig,
    Side,
    TypeSig,
    VersionDiff,
    VersionView,
)
from .normalize import optionality, view
from .report import to_json, to_markdown

__all__ = [
    "AgentDiff",
    "AgentView",
    "Detail",
    "Entry",
    "Loaded",
    "Member",
    "OpSig",
    "Side",
    "TypeSig",
    "VersionDiff",
    "VersionError",
    "VersionView",
    "below",
    "copy_version",
    "diff_versions",
    "diff_views",
    "load_version",
    "optionality",
    "previous_version",
    "resolve",
    "to_json",
    "to_markdown",
    "version_key",
    "versions_of",
    "view",
]
