"""The facade's sign-in, planned from the agents' plans and the profile: which request header
carries the ticket (the operations sending it need one), which operations sign in and where
their results hold the ticket, whether it succeeded and who signed in, when a ticket is renewed
and how a refused one is recognised. A version without the profile's sign-in operations (an
older Services version without SoPrincipal) gets none; one whose operations do not have the
expected shape gets a GEN007 warning and no sign-in by them."""

from __future__ import annotations

from ..config.profiles import ApiProfile
from ..core import ir
from ..core.diagnostics import Collector
from .model import AgentPlan, ErrorPlan, HeaderPlan, OperationPlan, SignInMethodPlan, SignInPlan
from .records import all_fields
from .text import lit

# the facade's own members an agent attribute must not shadow
FACADE_MEMBERS = frozenset({"sign_in", "signed_in", "principal", "header_values", "close"})
# SignInSpec method -> (setting, number of string arguments)
_METHODS = (("password", "password_sign_in", 2), ("token", "token_sign_in", 1))


def _ticket_header(agents: list[AgentPlan], part: str) -> tuple[HeaderPlan, str] | None:
    """The ticket header and its record's ticket field (a one-field record: its shortcut)."""
    for a in agents:
        for h in a.in_headers:
            if h.part != part or h.field.value.kind != "record":
                continue
            for s in a.shortcuts:
                if s.header == h.py and s.annotation == "str | None":
                    return h, s.field
    return None


def _method(
    kind: str,
    setting: str,
    arity: int,
    agents: list[AgentPlan],
    header: HeaderPlan,
    warn: list[str],
) -> tuple[SignInMethodPlan, str] | None:
    """A sign-in method and the class of its principal field ("" if none); None when the
    version lacks the operation or it does not fit (a warning)."""
    agent_name, _, op_name = setting.partition(".")
    a = next((a for a in agents if a.name == agent_name), None)
    o: OperationPlan | None = None
    if a is not None:
        o = next((o for o in a.operations if o.name == op_name), None)
    if a is None or o is None:
        return None
    what = f"sign-in operation {setting}"
    if header.part in o.header_parts:
        warn.append(f"{what} sends the {header.part} header itself; not used to sign in")
        return None
    if len(o.params) != arity or any(p.value.annotation != "str" for p in o.params):
        warn.append(f"{what} does not take {arity} string argument(s); not used to sign in")
        return None
    fields = o.result_record.fields if o.result_record is not None else ()
    credentials = [f.py for f in fields if f.value.cls == header.field.value.cls]
    if not credentials:
        warn.append(
            f"{what} returns no {header.field.value.cls} (with several results);"
            " not used to sign in"
        )
        return None
    succeeded = next((f.py for f in fields if f.value.annotation == "bool"), "")
    principal = next(
        (f for f in fields if f.value.kind == "record" and f.py not in credentials), None
    )
    plan = SignInMethodPlan(
        method=kind,
        module=a.module,
        op_var=f"_OP_{o.py}",
        name=o.name,
        credentials=credentials[0],
        succeeded=succeeded,
        principal=principal.py if principal else "",
    )
    return plan, principal.value.cls if principal else ""


def _rejected(profile: ApiProfile, error: ErrorPlan | None, shared: dict[str, ir.TypeDef]) -> str:
    """The default RejectedTicket: the profile's error types, read from the error record's
    type field and its own-typed (inner error) field."""
    type_attr = inner_attr = ""
    t = next((t for t in shared.values() if error and t.py_name == error.info_cls), None)
    if isinstance(t, ir.ComplexType):
        for f in all_fields(t, shared):
            if f.name == profile.error_type_field and not type_attr:
                type_attr = f.py_name
            elif f.type == t.name and not inner_attr:
                inner_attr = f.py_name
    types = [lit(t) for t in profile.ticket_rejected] if type_attr else []
    types_lit = f"({', '.join(types)}{',' if len(types) == 1 else ''})"
    return f"_rt.RejectedTicket({types_lit}, {lit(type_attr)}, {lit(inner_attr)})"


def plan_sign_in(
    agents: list[AgentPlan],
    shared: dict[str, ir.TypeDef],
    profile: ApiProfile,
    error: ErrorPlan | None,
    diags: Collector,
    loc: ir.Loc,
    imported: set[str],
) -> SignInPlan | None:
    """The version's sign-in (None: it has none); `imported`: names the package imports
    already (from its types module)."""
    if not profile.ticket_header:
        return None
    found = _ticket_header(agents, profile.ticket_header)
    if found is None:
        return None
    header, ticket_field = found
    warn: list[str] = []
    methods: list[SignInMethodPlan] = []
    principals: list[str] = []
    for kind, setting, arity in _METHODS:
        name = str(getattr(profile, setting))
        got = _method(kind, name, arity, agents, header, warn) if name else None
        if got is None:
            continue
        if methods and got[0].module != methods[0].module:
            warn.append(f"sign-in operation {name} is not in {methods[0].module}; not used")
            continue
        methods.append(got[0])
        if got[1] and got[1] not in principals:
            principals.append(got[1])
    clash = sorted(FACADE_MEMBERS & {a.module for a in agents})
    if methods and clash:
        warn.append(f"an agent named {clash[0]} would shadow the facade's sign-in; no sign-in")
        methods = []
    for text in warn:
        diags.warning("GEN007", loc.file, loc.line, text)
    if not methods:
        return None
    module = methods[0].module
    names = {m.op_var for m in methods} | set(principals) | {header.field.value.cls}
    runtime = {"SignInError", "TicketRejectedError", "TicketSource"}
    runtime |= {"UsernamePassword" if m.method == "password" else "AccessToken" for m in methods}
    ticket_ops = [
        o for a in agents for o in a.operations if profile.ticket_header in o.header_parts
    ]
    after = profile.renew_after
    return SignInPlan(
        header=header.part,
        header_cls=header.field.value.cls,
        ticket_field=ticket_field,
        agent=module,
        methods=tuple(methods),
        principal_annotation=" | ".join([*principals, "None"]),
        imports=((module, tuple(sorted(names - imported, key=str.lower))),),
        runtime_names=tuple(sorted(runtime)),
        renew_after_lit=repr(float(after)) if after > 0 else "None",
        rejected_expr=_rejected(profile, error, shared),
        ticket_ops=len(ticket_ops),
        repeatable_ops=sum(o.safe_to_repeat for o in ticket_ops),
    )
