"""Merging one API version (generator/merge/version.py, merge_version): WSDL services and operation
pages from several files become one IR Version. The WSDL is authoritative for what exists; pages
add docs, endpoints and samples; disagreements are MERGE diagnostics with file and line; the
result does not depend on the order the inputs are listed in.

Inputs are hand-written IR services and pages (what the readers give).
"""

from __future__ import annotations

import itertools

import pytest

from soapgen.core import ir
from soapgen.core.diagnostics import Collector, Level
from soapgen.merge.version import merge_version
from soapgen.read.load import VersionInputs
from soapgen.read.sources.superoffice import Fence, OperationPage

NS = "urn:shop"
ENV = ir.SOAP12_ENV


def service(
    name: str,
    ops: tuple[str, ...] = ("GetItem", "DeleteItem"),
    endpoint: str = "",
    wsdl: str = "",
) -> ir.Service:
    return ir.Service(
        name,
        NS,
        endpoint=endpoint,
        operations=tuple(
            ir.Operation(op, f"{NS}/{op}", description=f"WSDL doc of {op}") for op in ops
        ),
        wsdl_loc=ir.Loc(wsdl or f"specs/shop/V1/V1-{name}.md", 12),
    )


def sample(body: str) -> str:
    return f'<s:Envelope xmlns:s="{ENV}" xmlns:t="{NS}"><s:Body>{body}</s:Body></s:Envelope>'


def page(
    agent: str,
    op: str,
    path: str = "",
    *,
    description: str = "",
    params: tuple[tuple[str, str], ...] = (),
    returns: str = "",
    endpoint: str = "",
    request: str | None = None,
    response: str | None = None,
) -> OperationPage:
    return OperationPage(
        path=path or f"specs/shop/V1/{agent}/{op}.md",
        flavour="docfx",
        title=f"V1 {agent} {op}",
        uid=f"V1-{agent}-{op}",
        version="V1",
        agent=agent,
        operation=op,
        endpoint=endpoint,
        description=description,
        param_docs=params,
        returns_doc=returns,
        wsdl_link="",
        request=Fence(request, 20) if request is not None else None,
        response=Fence(response, 40) if response is not None else None,
        line=5,
    )


def merge(
    services: list[ir.Service], pages: list[OperationPage]
) -> tuple[ir.Version, list[tuple[str, str, int, Level]]]:
    diags = Collector()
    version = merge_version(VersionInputs("shop", "V1", list(services), list(pages)), diags)
    return version, [(d.code, d.file, d.line, d.level) for d in diags.items]


def ops_of(version: ir.Version, agent: str) -> dict[str, ir.Operation]:
    (svc,) = [s for s in version.services if s.name == agent]
    return {op.name: op for op in svc.operations}


# --- docs into WSDL operations ---------------------------------------------------------------


def test_a_page_adds_its_docs_and_samples_to_the_wsdl_operation() -> None:
    req, res = sample("<t:GetItem/>"), sample("<t:GetItemResponse/>")
    p = page(
        "Shop",
        "GetItem",
        description="Gets an item.",
        params=(("id", "The item."),),
        returns="The item or null.",
        request=req,
        response=res,
    )
    version, diags = merge([service("Shop")], [p])
    assert diags == []
    get, delete = ops_of(version, "Shop")["GetItem"], ops_of(version, "Shop")["DeleteItem"]
    assert (get.description, get.param_docs, get.returns_doc) == (
        "Gets an item.",
        (("id", "The item."),),
        "The item or null.",
    )
    assert get.request_sample == ir.Sample(req, ir.Loc(p.path, 20))
    assert get.response_sample == ir.Sample(res, ir.Loc(p.path, 40))
    assert get.doc_loc == ir.Loc(p.path, 5)
    # what the WSDL says of the operation stays; an operation without a page is untouched
    assert get.soap_action == f"{NS}/GetItem"
    assert delete == service("Shop").operations[1]


def test_a_page_without_a_description_keeps_the_wsdl_one() -> None:
    version, _ = merge([service("Shop")], [page("Shop", "GetItem", request=sample("<t:X/>"))])
    get = ops_of(version, "Shop")["GetItem"]
    assert get.description == "WSDL doc of GetItem"
    assert get.request_sample is not None and get.response_sample is None


def test_services_come_out_sorted_by_name() -> None:
    version, _ = merge([service("Zoo"), service("Ant"), service("Mid")], [])
    assert version.name == "V1"
    assert [s.name for s in version.services] == ["Ant", "Mid", "Zoo"]


# --- endpoints ------------------------------------------------------------------------------------


def test_the_documented_endpoint_replaces_the_wsdl_address() -> None:
    svc = service("Shop", endpoint="Remote/V1/Shop.svc")
    version, diags = merge([svc], [page("Shop", "GetItem", endpoint="V1/Shop.svc")])
    assert version.services[0].endpoint == "V1/Shop.svc"
    assert diags == []


def test_an_address_that_is_not_the_documented_endpoint_is_merge006() -> None:
    svc = service("Shop", endpoint="Remote/V1/Store.svc")
    version, diags = merge([svc], [page("Shop", "GetItem", endpoint="V1/Shop.svc")])
    assert version.services[0].endpoint == "V1/Shop.svc"
    assert diags == [("MERGE006", "specs/shop/V1/V1-Shop.md", 12, Level.WARNING)]


def test_pages_that_disagree_on_the_endpoint_are_merge005() -> None:
    pages = [
        page("Shop", "GetItem", endpoint="V1/Shop.svc"),
        page("Shop", "DeleteItem", endpoint="V1/Shop2.svc"),
    ]
    version, diags = merge([service("Shop")], pages)
    # the first in sorted order wins; the warning names a page showing the other one
    assert version.services[0].endpoint == "V1/Shop.svc"
    assert diags == [("MERGE005", pages[1].path, 5, Level.WARNING)]


# --- conflicting definitions --------------------------------------------------------------------


def test_a_second_wsdl_of_an_agent_is_merge001_and_the_first_is_kept() -> None:
    first = service("Shop", ops=("GetItem",), wsdl="specs/shop/V1/a/V1-Shop.md")
    second = service("Shop", ops=("Other",), wsdl="specs/shop/V1/b/V1-Shop.md")
    # the first listed (load lists the files of a version in path order)
    version, diags = merge([first, second], [])
    assert [op.name for op in version.services[0].operations] == ["GetItem"]
    assert diags == [("MERGE001", "specs/shop/V1/b/V1-Shop.md", 12, Level.ERROR)]


def test_a_page_for_an_operation_the_wsdl_lacks_is_merge004() -> None:
    version, diags = merge([service("Shop")], [page("Shop", "Nope", description="?")])
    assert diags == [("MERGE004", "specs/shop/V1/Shop/Nope.md", 5, Level.ERROR)]
    assert sorted(ops_of(version, "Shop")) == ["DeleteItem", "GetItem"]


@pytest.mark.parametrize(
    ("second_response", "code"),
    [(sample("<t:Other/>"), "MERGE003"), (sample("<t:GetItemResponse/>"), "MERGE007")],
)
def test_two_pages_of_one_operation_the_better_documented_wins(
    second_response: str, code: str
) -> None:
    res = sample("<t:GetItemResponse/>")
    plain = page("Shop", "GetItem", "specs/shop/V1/Shop/a.md", response=res)
    rich = page(
        "Shop",
        "GetItem",
        "specs/shop/V1/Shop/b.md",
        description="Gets an item.",
        response=second_response,
    )
    version, diags = merge([service("Shop")], [rich, plain])
    get = ops_of(version, "Shop")["GetItem"]
    assert get.description == "Gets an item." and get.doc_loc.file.endswith("/b.md")
    # the warning is on the page that sorts second, and names the first
    assert diags == [(code, "specs/shop/V1/Shop/b.md", 5, Level.WARNING)]


def test_samples_differing_only_in_whitespace_are_the_same_samples() -> None:
    res = sample("\n  <t:GetItemResponse>\n    <t:Id>1</t:Id>\n  </t:GetItemResponse>\n")
    a = page("Shop", "GetItem", "specs/shop/V1/Shop/a.md", response=res)
    b = page("Shop", "GetItem", "specs/shop/V1/Shop/b.md", response=res.replace("\n  ", "\r\n\t"))
    _, diags = merge([service("Shop")], [a, b])
    assert [d[0] for d in diags] == ["MERGE007"]
    c = page("Shop", "GetItem", "specs/shop/V1/Shop/c.md", response=res.replace(">1<", "> 1 <"))
    _, diags = merge([service("Shop")], [a, c])  # whitespace inside a value is a difference
    assert [d[0] for d in diags] == ["MERGE003"]


def test_equally_documented_pages_keep_the_first_by_path() -> None:
    a = page("Shop", "GetItem", "specs/shop/V1/Shop/a.md", description="A")
    b = page("Shop", "GetItem", "specs/shop/V1/Shop/b.md", description="B")
    for pages in ([a, b], [b, a]):
        version, _ = merge([service("Shop")], pages)
        assert ops_of(version, "Shop")["GetItem"].description == "A"


# --- agents without a WSDL ------------------------------------------------------------------------

REQ = (
    f'<s:Envelope xmlns:s="{ENV}" xmlns:xsi="{ir.XSI}" xmlns:xsd="{ir.XSD}" xmlns:t="{NS}">'
    '<s:Body><t:GetItem><t:Id xsi:type="xsd:int">1</t:Id></t:GetItem></s:Body></s:Envelope>'
)
RES = (
    REQ.replace("GetItem>", "GetItemResponse>")
    .replace("t:Id", "t:Found")
    .replace("xsd:int", "xsd:boolean")
    .replace(">1<", ">true<")
)


def test_an_agent_with_pages_only_is_inferred_from_its_samples() -> None:
    version, diags = merge(
        [service("Shop")], [page("Basket", "GetItem", request=REQ, response=RES)]
    )
    assert [s.name for s in version.services] == ["Basket", "Shop"]
    basket = version.services[0]
    assert basket.inferred and [op.name for op in basket.operations] == ["GetItem"]
    assert [(c, lvl) for c, _, _, lvl in diags] == [("INFER001", Level.WARNING)]


def test_an_agent_with_neither_wsdl_nor_usable_samples_is_merge002() -> None:
    pages = [
        page("Basket", "Put", "specs/shop/V1/Basket/Put.md", request=REQ),  # no response
        page("Basket", "Get", "specs/shop/V1/Basket/Get.md"),
    ]
    version, diags = merge([service("Shop")], pages)
    assert [s.name for s in version.services] == ["Shop"]
    assert diags == [("MERGE002", "specs/shop/V1/Basket/Get.md", 1, Level.ERROR)]


# --- the order of the inputs ----------------------------------------------------------------------


def test_the_order_inputs_are_listed_in_does_not_matter() -> None:
    services = [
        service("Shop", endpoint="Remote/V1/Shop.svc"),
        service("Admin", ops=("Reset",)),
    ]
    pages = [
        page("Shop", "GetItem", "specs/shop/V1/Shop/a.md", endpoint="V1/Shop.svc"),
        page("Shop", "GetItem", "specs/shop/V1/Shop/b.md", description="B", response=REQ),
        page("Shop", "DeleteItem", endpoint="V1/Other.svc"),
        page("Shop", "Nope", endpoint="V1/Shop.svc"),
        page("Admin", "Reset", returns="Nothing."),
        page("Basket", "GetItem", request=REQ, response=RES),
    ]
    results = set()
    for svc_order in itertools.permutations(services):
        for page_order in itertools.permutations(pages):
            version, diags = merge(list(svc_order), list(page_order))
            results.add((repr(version), tuple(sorted(diags))))
    assert len(results) == 1
    ((_, diags),) = results
    assert sorted({d[0] for d in diags}) == [
        "INFER001",
        "MERGE003",
        "MERGE004",
        "MERGE005",
        "MERGE006",
    ]
