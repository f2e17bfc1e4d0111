"""Per operation page of the Services88 corpus: the generated client against its doc samples,
the WSDL's XML Schema and zeep. Results come from the session fixture ``conformance``
(conftest.py); each test shows the evidence of its failure."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(
    os.environ.get("SOAPGEN_CORPUS")
    or Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
)
if not (CORPUS / "superoffice-mintlify" / "Services88").is_dir():
    pytest.skip(f"corpus absent: {CORPUS}", allow_module_level=True)

pytestmark = pytest.mark.conformance


def _res(conformance: Any, page: str) -> dict[str, Any]:
    res = conformance.result(page)
    if res is None:
        pytest.fail(f"{page}: no generated operation for this page", pytrace=False)
    return res  # type: ignore[no-any-return]


def _show(obj: Any) -> str:
    return json.dumps(obj, indent=1, default=str)[:6000]


def test_generated(conformance: Any, page: str) -> None:
    """The page became an operation with a request and a response fixture test."""
    res = _res(conformance, page)
    assert "request" in res and "response" in res, _show(res)


def test_request_matches_sample(conformance: Any, page: str) -> None:
    """(a) Called with the request sample's values, the client emits the normalized sample."""
    res = _res(conformance, page)
    r = res.get("request")
    assert r is not None, "no request test"
    if r["outcome"] != "passed":
        pytest.fail(
            f"{r['message']}\n\nfirst differences:\n{_show(res.get('request_diff'))}", pytrace=False
        )


def test_request_schema_valid(conformance: Any, page: str) -> None:
    """(b) The request's Header children and Body child are valid against the WSDL's schema."""
    r = _res(conformance, page).get("schema") or {}
    if r.get("ok") is not True:
        pytest.fail(_show(r), pytrace=False)


def test_response_parsed(conformance: Any, page: str) -> None:
    """(c) The client parses the (normalized) response sample to the values the sample shows."""
    r = _res(conformance, page).get("response")
    assert r is not None, "no response test"
    if r["outcome"] != "passed":
        pytest.fail(f"{r['message']}\n{r.get('longrepr', '')[-3000:]}", pytrace=False)


def test_response_sample_schema_valid(conformance: Any, page: str) -> None:
    """The normalized response sample the replay transport serves is valid against the schema
    (the generator dropped or filled every contradiction of the doc sample)."""
    r = _res(conformance, page).get("response_schema") or {}
    if r.get("ok") is not True:
        pytest.fail(_show(r), pytrace=False)


def test_zeep_reads_request(conformance: Any, page: str) -> None:
    """(d) zeep reads the generated request to the values the client was called with."""
    r = _res(conformance, page).get("zeep_request") or {}
    if r.get("ok") is not True:
        pytest.fail(_show(r), pytrace=False)


def test_zeep_response_round_trip(conformance: Any, page: str) -> None:
    """(d) zeep reads the response sample and serializes it again; the client parses zeep's
    envelope to zeep's values (and read the sample itself the same way)."""
    r = _res(conformance, page).get("zeep_response") or {}
    if r.get("ok") is not True:
        pytest.fail(_show(r), pytrace=False)
