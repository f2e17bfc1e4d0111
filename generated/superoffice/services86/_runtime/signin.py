"""Signing in: a facade obtains the ticket its calls need, keeps it current and renews it.

A version whose profile names a ticket header and sign-in operations (SuperOffice: the
``Credentials`` header, SoPrincipal's AuthenticateUsernamePassword and
AuthenticateWithAccessToken) declares a :class:`SignInSpec`; its facade, given ``sign_in=``,
makes a :class:`.session.Session` (or ``AsyncSession``) and hangs it on the HeaderValues all of its
agents share. Every call of an operation that sends the ticket header then goes through the
session (``Session.call``):

1. Before sending: without a ticket, or when the last successful call lies ``renew_after``
   seconds or more in the past (the service's sliding expiry), it signs in first.
2. A reply the ``rejected`` predicate classifies as a refused ticket (default
   :class:`RejectedTicket`: the service error's type, anywhere in its inner-error chain, or HTTP
   401) renews the ticket once and then:
   - sends the call again only when its Operation is ``safe_to_repeat`` (read-only, decided by
     the generator from the profile); a second refusal raises TicketRejectedError;
   - otherwise raises :class:`TicketRejectedError` (``renewed`` True): the call is not sent again
     (``err.repeat()`` does it, when the caller knows it is safe).
   A call signs in at most once: a ticket obtained for it and refused at once raises.
3. Signing in is single-flight: a lock (threading / asyncio) and the ticket's generation make
   concurrent calls that need a (new) ticket wait for one sign-in.

Secrets (passwords, access tokens, tickets) never appear in reprs or in messages raised here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from .errors import SoapError, TransportError
from .operation import Operation

if TYPE_CHECKING:
    from .client import HeaderValues

_HIDDEN = "***"


# --- errors ---------------------------------------------------------------------------------


def _scrub(text: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, _HIDDEN)
    return text


class SignInError(SoapError):
    """Signing in failed: the service said so (its success flag false, an error reported by
    the sign-in operation: ``error``), or it gave no ticket. ``operation`` names the sign-in
    operation. A transport failure while signing in is raised as the TransportError it is."""

    def __init__(
        self,
        operation: str,
        reason: str,
        *,
        error: BaseException | None = None,
        secrets: tuple[str, ...] = (),
    ) -> None:
        where = f"{operation}: " if operation else ""
        super().__init__(_scrub(f"{where}sign-in failed: {reason}", secrets))
        self.operation = operation
        self.error = error


class TicketRejectedError(SoapError):
    """The service refused the ticket a call carried (``error``: its answer), and the call was
    not sent (again).

    ``renewed``: a new ticket was obtained after the refusal (the next calls use it);
    ``repeated``: the call was sent a second time with it and refused again. A call of an
    operation not known to be safe to repeat is never sent again automatically: ``repeat()``
    (awaitable on an async facade) sends it again, when the caller knows that is right.
    """

    def __init__(
        self,
        operation: str,
        error: BaseException,
        *,
        renewed: bool,
        repeated: bool,
        repeat: Callable[[], Any] | None = None,
        secrets: tuple[str, ...] = (),
    ) -> None:
        if repeated:
            what = "a new ticket was obtained and the call sent again, and refused again"
        elif renewed:
            what = (
                f"a new ticket was obtained; {operation} was not sent again, as it is not known"
                " to be safe to repeat (err.repeat() sends it)"
            )
        else:
            what = "the ticket had just been obtained for this call; it was not renewed again"
        super().__init__(
            _scrub(f"{operation}: the service refused the ticket ({error}); {what}", secrets)
        )
        self.operation = operation
        self.error = error
        self.renewed = renewed
        self.repeated = repeated
        self._repeat = repeat

    def repeat(self) -> Any:
        """Send the call again (through the facade, with its current ticket)."""
        if self._repeat is None:
            raise ValueError(f"{self.operation}: this call cannot be repeated from here")
        return self._repeat()


# --- how to sign in -------------------------------------------------------------------------


class SignIn:
    """How a facade obtains a ticket: UsernamePassword, AccessToken or TicketSource."""

    __slots__ = ()
    method = ""  # the SignInSpec method it uses ("" : none, it gets the ticket itself)

    def arguments(self) -> tuple[str, ...]:
        """The sign-in operation's arguments (read at each sign-in)."""
        return ()

    def secrets(self) -> tuple[str, ...]:
        """What messages must not show."""
        return ()


class UsernamePassword(SignIn):
    """Sign in with a user name and password (SuperOffice: AuthenticateUsernamePassword)."""

    __slots__ = ("user_name", "password")
    method = "password"

    def __init__(self, user_name: str, password: str) -> None:
        self.user_name = user_name
        self.password = password

    def arguments(self) -> tuple[str, ...]:
        return (self.user_name, self.password)

    def secrets(self) -> tuple[str, ...]:
        return (self.password,)

    def __repr__(self) -> str:
        return f"UsernamePassword(user_name={self.user_name!r}, password=<hidden>)"


class AccessToken(SignIn):
    """Sign in with an OAuth/OpenID access token (SuperOffice: AuthenticateWithAccessToken);
    `token` may be a callable returning a current token, called at each sign-in."""

    __slots__ = ("token",)
    method = "token"

    def __init__(self, token: str | Callable[[], str]) -> None:
        self.token = token

    def _value(self) -> str:
        return self.token() if callable(self.token) else self.token

    def arguments(self) -> tuple[str, ...]:
        return (self._value(),)

    def secrets(self) -> tuple[str, ...]:
        return () if callable(self.token) else (self.token,)

    def __repr__(self) -> str:
        return f"AccessToken(token={'<callable>' if callable(self.token) else '<hidden>'})"


class TicketSource(SignIn):
    """A ticket from elsewhere (SuperOffice's system-user flow, a vault): `get` returns it, or
    (async facade) an awaitable of it; called at each sign-in."""

    __slots__ = ("get",)

    def __init__(self, get: Callable[[], str] | Callable[[], Awaitable[str]]) -> None:
        self.get = get

    def __repr__(self) -> str:
        return f"TicketSource({getattr(self.get, '__qualname__', 'callable')})"


def as_sign_in(sign_in: SignIn | Callable[[], Any]) -> SignIn:
    """A facade's ``sign_in=``: a SignIn, or a callable returning a ticket (TicketSource)."""
    if isinstance(sign_in, SignIn):
        return sign_in
    if callable(sign_in):
        return TicketSource(sign_in)
    raise TypeError(
        "sign_in must be UsernamePassword, AccessToken, TicketSource or a callable returning"
        f" a ticket, not {type(sign_in).__name__}"
    )


# --- what a version declares ----------------------------------------------------------------


class SignInMethod:
    """A sign-in operation and where its result holds the ticket header's record
    (`credentials`), whether it succeeded (`succeeded`, "" if it does not say) and who signed
    in (`principal`, "" if it does not say)."""

    __slots__ = ("operation", "credentials", "succeeded", "principal")

    def __init__(
        self, operation: Operation[Any, Any], credentials: str, succeeded: str, principal: str
    ) -> None:
        self.operation = operation
        self.credentials, self.succeeded, self.principal = credentials, succeeded, principal


class SignInSpec:
    """A version's sign-in: the request header carrying the ticket (`header`, a record of
    class `header_cls` whose field `ticket_field` holds it) and its sign-in methods."""

    __slots__ = ("header", "header_cls", "ticket_field", "methods")

    def __init__(
        self,
        header: str,
        header_cls: Callable[..., Any],
        ticket_field: str,
        *,
        password: SignInMethod | None = None,
        token: SignInMethod | None = None,
    ) -> None:
        self.header, self.header_cls, self.ticket_field = header, header_cls, ticket_field
        self.methods = {k: m for k, m in (("password", password), ("token", token)) if m}

    def ticket(self, header_values: HeaderValues) -> str:
        """The ticket `header_values` hold ("" if none)."""
        record = header_values.values.get(self.header)
        ticket = getattr(record, self.ticket_field, None) if record is not None else None
        return ticket if isinstance(ticket, str) else ""


class RejectedTicket:
    """The default test of a refused ticket: an HTTP status in `statuses` (401), or a service
    error (an exception with ``info``, the error record) whose `type_attr` names one of `types`
    (compared by the last dotted part), in it or any error down its `inner_attr` chain."""

    __slots__ = ("types", "type_attr", "inner_attr", "statuses")

    def __init__(
        self,
        types: tuple[str, ...],
        type_attr: str,
        inner_attr: str = "",
        statuses: tuple[int, ...] = (401,),
    ) -> None:
        self.types, self.type_attr, self.inner_attr = types, type_attr, inner_attr
        self.statuses = statuses

    def __call__(self, error: BaseException) -> bool:
        if isinstance(error, TransportError):
            return error.status_code in self.statuses
        info = getattr(error, "info", None)
        for _ in range(64):  # an inner-error chain is finite; a hostile one is cut
            if info is None:
                break
            kind = getattr(info, self.type_attr, None) if self.type_attr else None
            if isinstance(kind, str) and kind.strip().rpartition(".")[2] in self.types:
                return True
            info = getattr(info, self.inner_attr, None) if self.inner_attr else None
        return False

    def __repr__(self) -> str:
        return f"RejectedTicket({self.types!r}, statuses={self.statuses!r})"
