"""The sign-in sessions of facades (see :mod:`.signin` for the rules): the ticket kept in the
HeaderValues the facade's agents share, signing in when needed, renewal ahead of the
service's expiry and after a refusal, one sign-in at a time."""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .errors import SoapError, TransportError
from .operation import Operation
from .signin import SignIn, SignInError, SignInSpec, TicketRejectedError, TicketSource, as_sign_in

if TYPE_CHECKING:
    from .client import AsyncServiceClient, HeaderValues, ServiceClient

_log = logging.getLogger(__name__)


# --- the session ----------------------------------------------------------------------------


class _SessionState:
    """What the sync and async sessions share: the ticket (kept in the HeaderValues), its
    generation (one more at each sign-in), who signed in and when the ticket was last used."""

    def __init__(
        self,
        spec: SignInSpec,
        sign_in: SignIn | Callable[[], Any],
        header_values: HeaderValues,
        *,
        renew_after: float | None,
        rejected: Callable[[BaseException], bool],
        clock: Callable[[], float] | None,
    ) -> None:
        self.spec = spec
        self.sign_in = as_sign_in(sign_in)
        self.method = spec.methods.get(self.sign_in.method) if self.sign_in.method else None
        if self.sign_in.method and self.method is None:
            known = ", ".join(sorted(spec.methods)) or "none"
            raise ValueError(
                f"this version cannot sign in with {type(self.sign_in).__name__}"
                f" (its sign-in methods: {known}; or give a TicketSource)"
            )
        self.header_values = header_values
        self.renew_after = renew_after
        self.rejected = rejected
        self.clock = clock if clock is not None else time.time
        self.principal: Any = None
        # a ticket given to the facade (ticket=, credentials=) serves until it is refused
        self.generation = 1 if self._ticket() else 0
        self.last_used = self.clock()
        header_values.session = self

    def _ticket(self) -> str:
        return self.spec.ticket(self.header_values)

    @property
    def signed_in(self) -> bool:
        return bool(self._ticket())

    def _secrets(self) -> tuple[str, ...]:
        return (*self.sign_in.secrets(), self._ticket())

    def _due(self) -> bool:
        if not self._ticket():
            return True
        after = self.renew_after
        return after is not None and self.clock() - self.last_used >= after

    def _name(self) -> str:
        return self.method.operation.name if self.method is not None else "TicketSource"

    def _accept(self, result: Any) -> None:
        """Keep the ticket a sign-in returned (a method's result, or a TicketSource's str)."""
        name = self._name()
        if self.method is None:
            ticket, principal = result, None
            if not isinstance(ticket, str):
                raise SignInError(name, f"the ticket source returned {type(ticket).__name__}")
        else:
            m = self.method
            if m.succeeded and getattr(result, m.succeeded, None) is not True:
                raise SignInError(name, f"the service answered {m.succeeded} false")
            record = getattr(result, m.credentials, None)
            ticket = getattr(record, self.spec.ticket_field, None) if record is not None else None
            principal = getattr(result, m.principal, None) if m.principal else None
        if not isinstance(ticket, str) or not ticket.strip():
            raise SignInError(name, "the service returned no ticket")
        self.header_values.values[self.spec.header] = self.spec.header_cls(
            **{self.spec.ticket_field: ticket}
        )
        self.principal = principal
        self.generation += 1
        self.last_used = self.clock()
        _log.info("signed in with %s (ticket generation %d)", name, self.generation)

    def _failed(self, exc: SoapError) -> SoapError:
        """A sign-in operation's error, as raised: a TransportError as it is, any other (the
        service's own answer) as a SignInError."""
        if isinstance(exc, TransportError) and not self.rejected(exc):
            return exc
        return SignInError(
            self._name(), f"the service answered: {exc}", error=exc, secrets=self._secrets()
        )

    def _touch(self, started: float) -> None:
        """A call sent at `started` succeeded: the service's sliding window starts again."""
        if started > self.last_used:
            self.last_used = started

    def _refused(
        self, op: Operation[Any, Any], exc: BaseException, renewed: bool, repeated: bool, again: Any
    ) -> TicketRejectedError:
        _log.info(
            "%s: the service refused the ticket (renewed: %s, repeated: %s)",
            op.name,
            renewed,
            repeated,
        )
        return TicketRejectedError(
            op.name,
            exc,
            renewed=renewed,
            repeated=repeated,
            repeat=again,
            secrets=self._secrets(),
        )

    def __repr__(self) -> str:
        state = "signed in" if self.signed_in else "not signed in"
        return f"<{type(self).__name__}: {self.sign_in!r}, {state}, generation {self.generation}>"


class Session(_SessionState):
    """The sign-in session of a sync facade (thread-safe)."""

    def __init__(
        self,
        spec: SignInSpec,
        sign_in: SignIn | Callable[[], Any],
        header_values: HeaderValues,
        client: ServiceClient,
        *,
        renew_after: float | None,
        rejected: Callable[[BaseException], bool],
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(
            spec, sign_in, header_values, renew_after=renew_after, rejected=rejected, clock=clock
        )
        self.client = client  # the sign-in agent's client
        self._lock = threading.Lock()

    def _sign_in(self) -> None:
        if self.method is None:
            assert isinstance(self.sign_in, TicketSource)
            ticket = self.sign_in.get()
            if inspect.isawaitable(ticket):
                if inspect.iscoroutine(ticket):
                    ticket.close()
                raise TypeError("a sync facade needs a TicketSource returning a str")
            self._accept(ticket)
            return
        try:
            result = self.client._send(self.method.operation, self.sign_in.arguments(), {})
        except SoapError as exc:
            raise self._failed(exc) from exc
        self._accept(result)

    def sign_in_now(self) -> None:
        """Sign in (again) now."""
        with self._lock:
            self._sign_in()

    def _ensure(self) -> tuple[int, bool]:
        """(the ticket's generation, whether this call signed in for it)."""
        if not self._due():
            return self.generation, False
        with self._lock:
            if self._due():
                self._sign_in()
                return self.generation, True
            return self.generation, False

    def _renew(self, seen: int) -> None:
        with self._lock:
            if self.generation == seen:  # else another call renewed it meanwhile
                self._sign_in()

    def call(
        self, client: ServiceClient, op: Operation[Any, Any], args: tuple[Any, ...], kw: Any
    ) -> Any:
        """Send `op` with a current ticket; renew it when refused (see the module)."""
        seen, fresh = self._ensure()
        started = self.clock()
        try:
            result = client._send(op, args, kw)
        except SoapError as exc:
            if not self.rejected(exc):
                raise
            if fresh:
                raise self._refused(op, exc, False, False, None) from exc
            self._renew(seen)
            if not op.safe_to_repeat:
                again = functools.partial(client._call, op, *args, **kw)
                raise self._refused(op, exc, True, False, again) from exc
            started = self.clock()
            try:
                result = client._send(op, args, kw)
            except SoapError as exc2:
                if self.rejected(exc2):
                    raise self._refused(op, exc2, True, True, None) from exc2
                raise
        self._touch(started)
        return result


class AsyncSession(_SessionState):
    """The sign-in session of an async facade: one sign-in at a time among its tasks."""

    def __init__(
        self,
        spec: SignInSpec,
        sign_in: SignIn | Callable[[], Any],
        header_values: HeaderValues,
        client: AsyncServiceClient,
        *,
        renew_after: float | None,
        rejected: Callable[[BaseException], bool],
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(
            spec, sign_in, header_values, renew_after=renew_after, rejected=rejected, clock=clock
        )
        self.client = client
        self._lock = asyncio.Lock()

    async def _sign_in(self) -> None:
        if self.method is None:
            assert isinstance(self.sign_in, TicketSource)
            ticket = self.sign_in.get()
            self._accept(await ticket if inspect.isawaitable(ticket) else ticket)
            return
        try:
            result = await self.client._asend(self.method.operation, self.sign_in.arguments(), {})
        except SoapError as exc:
            raise self._failed(exc) from exc
        self._accept(result)

    async def sign_in_now(self) -> None:
        async with self._lock:
            await self._sign_in()

    async def _ensure(self) -> tuple[int, bool]:
        if not self._due():
            return self.generation, False
        async with self._lock:
            if self._due():
                await self._sign_in()
                return self.generation, True
            return self.generation, False

    async def _renew(self, seen: int) -> None:
        async with self._lock:
            if self.generation == seen:
                await self._sign_in()

    async def call(
        self, client: AsyncServiceClient, op: Operation[Any, Any], args: tuple[Any, ...], kw: Any
    ) -> Any:
        seen, fresh = await self._ensure()
        started = self.clock()
        try:
            result = await client._asend(op, args, kw)
        except SoapError as exc:
            if not self.rejected(exc):
                raise
            if fresh:
                raise self._refused(op, exc, False, False, None) from exc
            await self._renew(seen)
            if not op.safe_to_repeat:
                again = functools.partial(client._acall, op, *args, **kw)
                raise self._refused(op, exc, True, False, again) from exc
            started = self.clock()
            try:
                result = await client._asend(op, args, kw)
            except SoapError as exc2:
                if self.rejected(exc2):
                    raise self._refused(op, exc2, True, True, None) from exc2
                raise
        self._touch(started)
        return result
