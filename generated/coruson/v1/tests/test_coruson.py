"""Fixture tests of v1 Coruson: the client against its doc samples."""

from __future__ import annotations

import datetime
import datetime as _dt
import decimal
import decimal as _decimal
import uuid
import uuid as _uuid

import pytest

from .. import testing as _testing
from ..coruson import (
    CorusonAgent,
)
from ..types import (
    ImportReportsStatus,
    ImportReportsStatusResponse,
    ResponseError,
    ResponseStatus,
    ServiceStackError,
)

FIX = _testing.FIXTURES / "coruson"
SOAP_VERSION = "1.2"
_ = (datetime, decimal, pytest, uuid, _dt, _decimal, _uuid)

# the values the doc samples show, each once (a sample's repeated entities share one)
V_IMPORT_REPORTS_STATUS_1 = ImportReportsStatus(
    version=0, import_id=uuid.UUID("00000000-0000-0000-0000-000000000000")
)
V_RESPONSE_ERROR_1 = ResponseError(
    error_code="String", field_name="String", message="String", meta={"String": "String"}
)
V_RESPONSE_STATUS_1 = ResponseStatus(
    error_code="String",
    message="String",
    stack_trace="String",
    errors=[V_RESPONSE_ERROR_1],
    meta={"String": "String"},
)
V_IMPORT_REPORTS_STATUS_RESPONSE_1 = ImportReportsStatusResponse(
    status_description="String",
    response_status=V_RESPONSE_STATUS_1,
    imported_reports={uuid.UUID("00000000-0000-0000-0000-000000000000"): "String"},
    total_reports_imported=0,
    total_reports=0,
)


def _client(transport: _testing.ReplayTransport) -> CorusonAgent:
    return CorusonAgent(
        "http://127.0.0.1:9/replay",
        transport=transport,
    )


# One case per operation: its name, where its request sample is, the call made with the values
# of that sample, and the value its response sample parses to (testing.Case).
CASES: list[_testing.Case[CorusonAgent]] = [
    _testing.Case(
        "ImportReportsStatus",
        "ImportReportsStatus.soap12-metadata.html:53",
        lambda c: c.import_reports_status(V_IMPORT_REPORTS_STATUS_1),
        V_IMPORT_REPORTS_STATUS_RESPONSE_1,
        raises=ServiceStackError,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=_testing.case_id)
def test_request_matches_doc_sample(case: _testing.Case[CorusonAgent]) -> None:
    _testing.assert_request(case, _client, FIX, SOAP_VERSION)


@pytest.mark.parametrize("case", CASES, ids=_testing.case_id)
def test_parses_doc_response(case: _testing.Case[CorusonAgent]) -> None:
    assert _testing.response_value(case, _client, FIX, SOAP_VERSION) == case.expected
