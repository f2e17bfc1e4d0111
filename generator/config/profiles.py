"""API profiles: what an API's conventions add on top of its WSDLs.

soapgen ships one profile per kind of API it knows (SuperOffice NetServer, ServiceStack) and a
generic one for any other WSDL. A version gets the profile its inputs match, without
configuration; ``[tool.soapgen.apis.<api>]`` may name a profile (``profile = "..."``) and
override single settings of it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..core import ir
from .naming import pascal

SUPEROFFICE_NS = "http://www.superoffice.net/ws/crm/NetServer/"


@dataclass(frozen=True)
class ApiProfile:
    """The settings one API version is generated with."""

    name: str = "generic"  # the built-in profile these settings start from
    facade: str = "Client"  # the class holding every agent of a version
    error_header: str = ""  # an output header that carries a service error (SuperOffice)
    error_field: str = ""  # a response body field that carries a service error (ServiceStack)
    error_class: str = "ServiceError"
    error_bodies: bool = False  # HTTP error statuses carry a normal response body, not a fault
    json: bool = False  # also generate a JSON client (ServiceStack /json/reply/<Operation>)
    endpoint_root: str = ""  # where service paths start in a WSDL address ("Remote/")
    # the service always sends every member of its records (WCF DataContract), so value-typed
    # elements may be plain (`int`); otherwise an optional element is `T | None`
    plain_values: bool = False
    # sign-in (SuperOffice): the request header carrying the ticket an operation needs (a
    # record of one string field); operations sending it need a ticket, the others do not
    ticket_header: str = ""
    # "<Agent>.<Operation>" signing in with (user name, password) / (access token): each
    # returns the ticket header's record, whether it succeeded and who signed in
    password_sign_in: str = ""
    token_sign_in: str = ""
    # seconds a ticket may go unused before the facade renews it ahead of the next call
    # (0: only when the service rejects it)
    renew_after: int = 0
    # the error types (last dotted part) by which the service rejects a ticket, and the field
    # of its error record naming the type (the record's own-typed field is the inner error)
    ticket_rejected: tuple[str, ...] = ()
    error_type_field: str = ""
    # operations safe to send again (their names: fnmatch patterns): after the service
    # rejected their ticket and a new one was obtained; `not_repeatable` wins
    repeatable: tuple[str, ...] = ()
    not_repeatable: tuple[str, ...] = ()


def _setting_type(default: object) -> type:
    for t in (bool, int, tuple):
        if isinstance(default, t):
            return list if t is tuple else t
    return str


# settings a project may override, and their types (a TOML array for a tuple)
SETTINGS: dict[str, type] = {
    f.name: _setting_type(f.default) for f in dataclasses.fields(ApiProfile) if f.name != "name"
}

BUILTIN: dict[str, ApiProfile] = {
    "generic": ApiProfile(),
    "superoffice": ApiProfile(
        name="superoffice",
        facade="NetServer",
        error_header="ExceptionInfo",
        error_class="NetServerError",
        endpoint_root="Remote/",
        plain_values=True,
        # SuperOffice's docs: every operation outside SoPrincipal takes a Credentials ticket
        # ("Obtain a ticket from the Services88/SoPrincipal.svc"); a ticket "is valid for 6
        # hours. Every time a ticket is used ... it is renewed for another 6 hours"; NetServer
        # refuses a session it cannot authenticate with SoSessionException
        ticket_header="Credentials",
        password_sign_in="SoPrincipal.AuthenticateUsernamePassword",
        token_sign_in="SoPrincipal.AuthenticateWithAccessToken",
        renew_after=6 * 3600 - 600,
        ticket_rejected=("SoSessionException",),
        error_type_field="ExceptionType",
        # read-only by their names; a conservative choice: what may hand out, pop, lock or
        # issue something (the next queue item, new mail, a token) is not repeated
        repeatable=("Get*", "Find*", "Is*", "Has*", "Can*", "CreateDefault*"),
        not_repeatable=("Get*Next*", "GetNew*", "Get*Token*", "Get*Queue*", "Get*Lock*"),
    ),
    "servicestack": ApiProfile(
        name="servicestack",
        facade="",  # the API's own name, e.g. Coruson
        error_field="ResponseStatus",
        error_class="ServiceStackError",
        error_bodies=True,
        json=True,
        plain_values=True,
    ),
}


class ProfileError(Exception):
    pass


def detect(version: ir.Version) -> str:
    """The built-in profile a version's inputs match."""
    if any(s.origin == "servicestack" for s in version.services):
        return "servicestack"
    if any(s.namespace.startswith(SUPEROFFICE_NS) for s in version.services):
        return "superoffice"
    return "generic"


def for_version(
    api: str, version: ir.Version, configured: dict[str, dict[str, object]] | None = None
) -> ApiProfile:
    """The profile of one API version: the matching built-in one, or the one the project's
    ``[tool.soapgen.apis.<api>]`` names, with that table's settings on top."""
    table = dict((configured or {}).get(api, {}))
    name = str(table.pop("profile", "") or detect(version))
    if name not in BUILTIN:
        raise ProfileError(f"unknown profile {name!r} (known: {', '.join(sorted(BUILTIN))})")
    profile = BUILTIN[name]
    if not profile.facade:
        profile = dataclasses.replace(profile, facade=pascal(api))
    table = {k: tuple(v) if isinstance(v, list) else v for k, v in table.items()}
    return dataclasses.replace(profile, **table)  # type: ignore[arg-type]  # checked by config


def apply(version: ir.Version, profile: ApiProfile) -> ir.Version:
    """What a profile changes in the IR: endpoints start at its service root (an address such as
    https://host/Cust12345/Remote/Services88/Contact.svc names the path Remote/Services88/
    Contact.svc below the installation's base URL, whatever input it came from)."""
    root = profile.endpoint_root
    if not root:
        return version
    services = []
    for s in version.services:
        at = ("/" + s.endpoint).find("/" + root)
        services.append(dataclasses.replace(s, endpoint=s.endpoint[at:]) if at > 0 else s)
    return dataclasses.replace(version, services=tuple(services))
