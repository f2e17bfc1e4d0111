"""The committed generated packages: every module imports, and no two modules import each other
(directly or through others)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

GENERATED = Path(__file__).resolve().parents[1] / "generated"


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(GENERATED.rglob("*.py")):
        rel = path.relative_to(GENERATED).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(max(node.level - 1, 0)):
                base = base.rpartition(".")[0]
            target = (
                (f"{base}.{node.module}" if node.module else base)
                if node.level
                else (node.module or "")
            )
            if node.module:  # "from . import x" imports the submodule x, not the package again
                found.add(target)
            found.update(f"{target}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {m for m in found if m in known and m != name}


def test_no_import_cycles() -> None:
    modules = _modules()
    graph = {name: _imports(name, path, set(modules)) for name, path in modules.items()}
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                raise AssertionError("import cycle: " + " -> ".join(stack + [node, nxt]))
            if nxt not in state:
                visit(nxt, stack + [node])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])
    assert len(graph) > 20


def test_every_module_imports() -> None:
    for name in sorted(_modules()):
        if ".tests" not in name:
            importlib.import_module(name)


def test_fixture_helpers_show_what_differs() -> None:
    """A generated fixture test that fails says where the envelope differs, as a diff."""
    import pytest
    from superoffice.services88 import testing
    from superoffice.services88.ticket import TicketAgent

    folder = testing.FIXTURES / "ticket"
    transport = testing.replay_fixture(folder, "GetTicket")
    TicketAgent("http://127.0.0.1:9/replay", transport=transport).get_ticket(42)
    with pytest.raises(AssertionError) as info:
        testing.assert_sent(transport, folder, "GetTicket.doc-request.xml", "1.1")
    message = str(info.value)
    assert "the request differs from GetTicket.doc-request.xml" in message
    assert "-" in message and "+" in message and ">42<" in message


def test_replay_answers_every_agent_or_one() -> None:
    """testing.replay() keys the doc samples by agent and operation."""
    import pytest
    from superoffice.services88 import NetServer, SoapError, testing

    transport = testing.replay()
    ns = NetServer("http://127.0.0.1:9/replay", transport=transport)
    assert ns.ticket.get_ticket(1) is not None
    assert ns.customer_service.report_session_active("key") == 0
    assert [(c.agent, c.operation) for c in transport.calls] == [
        ("ticket", "GetTicket"),
        ("customer_service", "ReportSessionActive"),
    ]
    only = NetServer("http://127.0.0.1:9/replay", transport=testing.replay(agent="ticket"))
    only.ticket.get_ticket(1)
    with pytest.raises(SoapError) as info:
        only.customer_service.report_session_active("key")
    assert "no recorded reply for customer_service.ReportSessionActive" in str(info.value)
    with pytest.raises(FileNotFoundError):
        testing.replay(agent="person")


def test_async_client_methods_mirror_the_sync_client() -> None:
    """The async client's methods (AsyncCall) await the same operations as the sync client's,
    and show its signatures and docstrings."""
    import inspect

    from superoffice.services88 import ticket

    client = ticket.AsyncTicketAgent("http://127.0.0.1:9/")
    sync = ticket.TicketAgent.get_ticket_message
    method = client.get_ticket_message
    assert inspect.iscoroutinefunction(method)
    assert method.__name__ == "get_ticket_message"
    assert method.__doc__ == sync.__doc__ and "GetTicketMessage" in (method.__doc__ or "")
    sync_sig = inspect.signature(sync)
    assert inspect.signature(method) == sync_sig.replace(
        parameters=list(sync_sig.parameters.values())[1:]
    )
    assert ticket.AsyncTicketAgent.get_ticket_message.__doc__ == sync.__doc__
    # on the class too: a coroutine function with the sync method's signature (self included)
    assert inspect.iscoroutinefunction(ticket.AsyncTicketAgent.get_ticket_message)
    assert inspect.signature(ticket.AsyncTicketAgent.get_ticket_message) == sync_sig
    assert client.get_ticket_message == client.get_ticket_message
    from unittest import mock

    spec = mock.create_autospec(ticket.AsyncTicketAgent, instance=True)
    assert isinstance(spec.get_ticket_message, mock.AsyncMock)
    operations = {n for n in vars(ticket.TicketAgent) if not n.startswith("_")}
    assert operations <= set(dir(ticket.AsyncTicketAgent)) - {"close", "__enter__", "__exit__"}


def test_record_classes_show_their_fields_as_signature() -> None:
    import inspect

    from superoffice.services88 import types

    sig = inspect.signature(types.TicketType)
    assert list(sig.parameters)[:3] == ["table_right", "field_properties", "nil_fields"]
    name = sig.parameters["name"]
    assert (name.kind, name.default) == (inspect.Parameter.KEYWORD_ONLY, None)
    assert inspect.signature(types.TicketType(name="x").__eq__)  # instances are unaffected
