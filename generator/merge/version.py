"""Merge what the readers found for one API version into one IR Version.

The WSDL is authoritative for types, operations and the binding; the pages add the endpoint
path, descriptions, parameter and return docs and the samples. Disagreements are warnings
naming both places; an agent documented by pages but without a WSDL is an error (its types
cannot be known).
"""

from __future__ import annotations

import dataclasses

from ..core import ir
from ..core.diagnostics import Collector
from ..read.load import VersionInputs
from ..read.sources.superoffice import Fence, OperationPage
from .infer import infer_service


def merge_version(inputs: VersionInputs, diags: Collector) -> ir.Version:
    services: dict[str, ir.Service] = {}
    for svc in inputs.wsdl_services:
        old = services.get(svc.name)
        if old is not None:
            diags.error(
                "MERGE001",
                svc.wsdl_loc.file,
                svc.wsdl_loc.line,
                f"agent {svc.name} of {inputs.version} has a second WSDL (first: {old.wsdl_loc}); keep one",
            )
            continue
        services[svc.name] = svc

    pages: dict[str, dict[str, OperationPage]] = {}
    for page in inputs.pages:
        by_op = pages.setdefault(page.agent, {})
        old_page = by_op.get(page.operation)
        if old_page is None:
            by_op[page.operation] = page
            continue
        by_op[page.operation] = _pick_page(old_page, page, diags)

    for agent in sorted(pages):
        if agent not in services:
            inferred = infer_service(agent, list(pages[agent].values()), diags)
            if inferred is None:
                first = sorted(p.path for p in pages[agent].values())[0]
                diags.error(
                    "MERGE002",
                    first,
                    1,
                    f"{inputs.version} {agent} has neither a WSDL nor usable samples",
                )
            else:
                services[agent] = inferred
    merged = [_attach(services[name], pages.get(name, {}), diags) for name in sorted(services)]
    return ir.Version(inputs.version, tuple(merged))


def _pick_page(a: OperationPage, b: OperationPage, diags: Collector) -> OperationPage:
    """Two pages for one operation: one operation; the better documented page wins."""
    first, second = sorted((a, b), key=lambda p: p.path)
    if _samples(first) != _samples(second):
        diags.warning(
            "MERGE003",
            second.path,
            second.line,
            f"{second.agent}.{second.operation} is also documented in {first.path} with different samples; "
            "the page with more documentation is used",
        )
    else:
        diags.warning(
            "MERGE007",
            second.path,
            second.line,
            f"{second.agent}.{second.operation} is also documented in {first.path} (same samples); one page is used",
        )

    def score(p: OperationPage) -> tuple[bool, int, bool]:
        return bool(p.description), len(p.param_docs), bool(p.returns_doc)

    return second if score(second) > score(first) else first


def _samples(p: OperationPage) -> tuple[str, str]:
    return _norm(p.request), _norm(p.response)


def _norm(fence: Fence | None) -> str:
    return " ".join(fence.text.split()) if fence else ""


def _attach(svc: ir.Service, pages: dict[str, OperationPage], diags: Collector) -> ir.Service:
    ops = []
    op_names = {op.name for op in svc.operations}
    for name in sorted(set(pages) - op_names):
        p = pages[name]
        diags.error(
            "MERGE004",
            p.path,
            p.line,
            f"page documents {p.agent}.{name}, which the WSDL ({svc.wsdl_loc.file}) does not define",
        )
    endpoint = svc.endpoint
    doc_endpoints = sorted({p.endpoint for p in pages.values() if p.endpoint})
    if doc_endpoints:
        endpoint = doc_endpoints[0]
        if len(doc_endpoints) > 1:
            p = next(p for p in pages.values() if p.endpoint == doc_endpoints[1])
            diags.warning(
                "MERGE005",
                p.path,
                p.line,
                f"endpoint {doc_endpoints[1]} differs from {doc_endpoints[0]} on other pages",
            )
        if svc.endpoint and not svc.endpoint.endswith(endpoint):
            diags.warning(
                "MERGE006",
                svc.wsdl_loc.file,
                svc.wsdl_loc.line,
                f"WSDL address path {svc.endpoint} does not end with the documented endpoint {endpoint}",
            )
    for op in svc.operations:
        page = pages.get(op.name)
        if page is None:
            ops.append(op)
            continue
        ops.append(
            dataclasses.replace(
                op,
                description=page.description or op.description,
                param_docs=page.param_docs,
                returns_doc=page.returns_doc,
                request_sample=(
                    ir.Sample(page.request.text, ir.Loc(page.path, page.request.line))
                    if page.request
                    else None
                ),
                response_sample=(
                    ir.Sample(page.response.text, ir.Loc(page.path, page.response.line))
                    if page.response
                    else None
                ),
                doc_loc=ir.Loc(page.path, page.line),
            )
        )
    return dataclasses.replace(svc, endpoint=endpoint, operations=tuple(ops))
