"""The plan stage: a named, laid-out IR version -> frozen, typed views of the package to render
(:mod:`.model`), every decision made once (:mod:`.values`, :mod:`.records`, :mod:`.agents`,
:mod:`.version`). Templates read these and nothing else."""

from .model import AgentPlan, OperationPlan, RecordPlan, ValuePlan, VersionPlan
from .version import header_doc, plan_version, version_namespaces

__all__ = [
    "AgentPlan",
    "OperationPlan",
    "RecordPlan",
    "ValuePlan",
    "VersionPlan",
    "header_doc",
    "plan_version",
    "version_namespaces",
]
