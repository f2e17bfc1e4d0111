"""Fixture tests of Services88 SoPrincipal: the client against its doc samples."""

from __future__ import annotations

import datetime
import datetime as _dt
import decimal
import decimal as _decimal
import uuid
import uuid as _uuid

import pytest

from .. import testing as _testing
from ..so_principal import (
    AuthenticateGenericResult,
    AuthenticateImplicitResult,
    AuthenticateUsernamePasswordResult,
    AuthenticateWithAccessTokenResult,
    SoPrincipalAgent,
)
from ..types import (
    DSAParameters,
    EjUserStatus,
    GrantedModuleLicense,
    LicenseInfo,
    LicenseType,
    ModuleLicense,
    NetServerBuildType,
    ProvidedCredential,
    RoleType,
    SignedPublicKey,
    SoCredentials,
    SoPrincipalCarrier,
    SoSystemInfoCarrier,
    UserType,
)

FIX = _testing.FIXTURES / "so_principal"
SOAP_VERSION = "1.1"
_ = (datetime, decimal, pytest, uuid, _dt, _decimal, _uuid)

# the values the doc samples show, each once (a sample's repeated entities share one)
V_MODULE_LICENSE_1 = ModuleLicense(
    owner_name="",
    module_name="",
    module_description="",
    module_tooltip="",
    module_version="",
    license_type=LicenseType.UNKNOWN,
    unrestricted=False,
    allowed_user_type=UserType.UNKNOWN,
    number_of_licenses=0,
    extra_flags=0,
    extra_info="",
    sort_order=0,
    is_hidden=False,
    prerequisite_module_name="",
    signature="",
)
V_DSA_PARAMETERS_1 = DSAParameters(counter=0, g=b"", j=b"", p=b"", q=b"", seed=b"", y=b"")
V_SIGNED_PUBLIC_KEY_1 = SignedPublicKey(
    owner_name="",
    sign_date=datetime.datetime(2025, 11, 26, 12, 8, 38, tzinfo=datetime.timezone.utc),
    expiry_date=datetime.datetime(2025, 11, 26, 12, 8, 38, tzinfo=datetime.timezone.utc),
    key=V_DSA_PARAMETERS_1,
    signature="",
)
V_LICENSE_INFO_1 = LicenseInfo(
    company_name="",
    serial_nr="",
    owner_name="",
    owner_description="",
    next_check_date=datetime.datetime(2025, 11, 26, 12, 8, 38, tzinfo=datetime.timezone.utc),
    maintenance_date=datetime.datetime(2025, 11, 26, 12, 8, 38, tzinfo=datetime.timezone.utc),
    admin_warning_date=datetime.datetime(2025, 11, 26, 12, 8, 38, tzinfo=datetime.timezone.utc),
    expiry_date=datetime.datetime(2025, 11, 26, 12, 8, 38, tzinfo=datetime.timezone.utc),
    grace_date=datetime.datetime(2025, 11, 26, 12, 8, 38, tzinfo=datetime.timezone.utc),
    extra_flags=0,
    license_url="",
    license_version="",
    deployment_type=0,
    product_type="",
    product_description="",
    module_licenses=[V_MODULE_LICENSE_1],
    public_key=V_SIGNED_PUBLIC_KEY_1,
    signature="",
)
V_SO_SYSTEM_INFO_CARRIER_1 = SoSystemInfoCarrier(
    license=V_LICENSE_INFO_1,
    warning_english="",
    warning_resource="",
    branch_name="",
    build_label="",
    assembly_version="",
    accumulated_next_check_date=datetime.datetime(
        2025, 11, 26, 12, 8, 38, tzinfo=datetime.timezone.utc
    ),
    file_version="",
    description="",
    days_until_net_server_expiry=0,
    build_type=NetServerBuildType.FEATURE,
    database_version=0,
    is_unicode=False,
    company_name="",
    company_id=0,
    database_type="",
    database_minor="",
    database_name="",
    is_on_travel=False,
    is_satellite=False,
)
V_GRANTED_MODULE_LICENSE_1 = GrantedModuleLicense(
    owner_id=0,
    owner_name="",
    owner_description="",
    module_id=0,
    name="",
    description="",
    version="",
    license_type=LicenseType.UNKNOWN,
    extra_flags=0,
    sort_order=0,
    license_number=0,
    is_hidden=False,
    is_unrestricted=False,
    expiry_date=datetime.datetime(2025, 11, 26, 12, 8, 38, tzinfo=datetime.timezone.utc),
)
V_PROVIDED_CREDENTIAL_1 = ProvidedCredential(
    type="", search_name="", display_name="", credential_id=0
)
V_SO_PRINCIPAL_CARRIER_1 = SoPrincipalCarrier(
    user_type=UserType.UNKNOWN,
    associate="",
    associate_id=0,
    is_person=False,
    person_id=0,
    country_id=0,
    home_country_id=0,
    contact_id=0,
    group_id=0,
    business_id=0,
    category_id=0,
    contact_owner=0,
    role_id=0,
    role_name="",
    role_description="",
    role_type=RoleType.EMPLOYEE,
    licenses=[V_GRANTED_MODULE_LICENSE_1],
    full_name="",
    e_mail_address="",
    function_rights=[""],
    ej_user_id=0,
    ej_access_level=0,
    ej_user_status=EjUserStatus.STATUS_NONE,
    provided_credentials=[V_PROVIDED_CREDENTIAL_1],
    secondary_groups=[0],
    database_context_identifier="",
)
V_SO_CREDENTIALS_1 = SoCredentials(ticket="")


def _client(transport: _testing.ReplayTransport) -> SoPrincipalAgent:
    return SoPrincipalAgent(
        "http://127.0.0.1:9/replay",
        application_token="1234567-1234-9876",
        transport=transport,
    )


# One case per operation: its name, where its request sample is, the call made with the values
# of that sample, and the value its response sample parses to (testing.Case).
CASES: list[_testing.Case[SoPrincipalAgent]] = [
    _testing.Case(
        "GetSystemInfo",
        "GetSystemInfo.md:20",
        lambda c: c.get_system_info(),
        V_SO_SYSTEM_INFO_CARRIER_1,
    ),
    _testing.Case(
        "AuthenticateImplicit",
        "AuthenticateImplicit.md:20",
        lambda c: c.authenticate_implicit(),
        AuthenticateImplicitResult(
            response=V_SO_PRINCIPAL_CARRIER_1,
            credentials=V_SO_CREDENTIALS_1,
            authentication_succeeded=False,
        ),
    ),
    _testing.Case(
        "AuthenticateUsernamePassword",
        "AuthenticateUsernamePassword.md:20",
        lambda c: c.authenticate_username_password("", ""),
        AuthenticateUsernamePasswordResult(
            response=V_SO_PRINCIPAL_CARRIER_1,
            credentials=V_SO_CREDENTIALS_1,
            authentication_succeeded=False,
        ),
    ),
    _testing.Case(
        "AuthenticateGeneric",
        "AuthenticateGeneric.md:20",
        lambda c: c.authenticate_generic({"": ""}),
        AuthenticateGenericResult(
            response=V_SO_PRINCIPAL_CARRIER_1,
            credentials=V_SO_CREDENTIALS_1,
            authentication_succeeded=False,
        ),
    ),
    _testing.Case(
        "AuthenticateWithAccessToken",
        "AuthenticateWithAccessToken.md:20",
        lambda c: c.authenticate_with_access_token(""),
        AuthenticateWithAccessTokenResult(
            response=V_SO_PRINCIPAL_CARRIER_1,
            credentials=V_SO_CREDENTIALS_1,
            authentication_succeeded=False,
        ),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=_testing.case_id)
def test_request_matches_doc_sample(case: _testing.Case[SoPrincipalAgent]) -> None:
    _testing.assert_request(case, _client, FIX, SOAP_VERSION)


@pytest.mark.parametrize("case", CASES, ids=_testing.case_id)
def test_parses_doc_response(case: _testing.Case[SoPrincipalAgent]) -> None:
    assert _testing.response_value(case, _client, FIX, SOAP_VERSION) == case.expected
