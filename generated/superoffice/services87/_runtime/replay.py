"""A transport answering from recorded replies (the doc samples): tests without a server."""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping, Sequence
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Self

from .errors import UnexpectedCallError
from .transport import TEXT_XML, SoapCall, SoapReply

ReplayKey = str | tuple[str, str]  # "Operation" (of any agent) or ("agent", "Operation")


class ReplayTransport:
    """Answers calls from recorded reply envelopes; no network.

    Replies are keyed by ``(agent, operation)`` (the agent is the generated module of the
    client, e.g. ``"ticket"``), or by the operation alone for any agent. A sequence of replies
    is answered in order, its last reply then repeats. A call nothing answers raises
    UnexpectedCallError; every call is kept in ``calls``.
    """

    def __init__(self, responses: Mapping[ReplayKey, bytes | Sequence[bytes]]) -> None:
        self._replies: dict[ReplayKey, list[bytes]] = {}
        for key, replies in responses.items():
            listed = [replies] if isinstance(replies, bytes) else list(replies)
            if not listed:
                raise ValueError(f"no replies given for {key!r}")
            self._replies[key] = listed
        self._served: dict[ReplayKey, int] = {}
        self._lock = threading.Lock()
        self.calls: list[SoapCall] = []

    @classmethod
    def from_fixtures(
        cls, directory: str | os.PathLike[str] | Traversable, agent: str = ""
    ) -> Self:
        """Every ``<agent>/<Operation>.response.xml`` below `directory` (a path, or a folder of
        an installed package: importlib.resources), or only those of `agent`."""
        root = Path(directory) if isinstance(directory, (str, os.PathLike)) else directory
        if not root.is_dir():
            raise FileNotFoundError(f"no fixture folder {directory}")
        folders = [f for f in root.iterdir() if f.is_dir() and not f.name.startswith((".", "_"))]
        if agent:
            folders = [f for f in folders if f.name == agent]
            if not folders:
                raise FileNotFoundError(f"no fixtures of agent {agent!r} in {directory}")
        found: dict[ReplayKey, bytes] = {}
        for folder in sorted(folders, key=lambda f: f.name):
            for file in sorted(folder.iterdir(), key=lambda f: f.name):
                if file.name.endswith(".response.xml"):
                    found[(folder.name, file.name[: -len(".response.xml")])] = file.read_bytes()
        if not found:
            raise FileNotFoundError(f"no <agent>/<Operation>.response.xml in {directory}")
        return cls(found)

    def send(self, call: SoapCall) -> SoapReply:
        with self._lock:
            self.calls.append(call)
            key: ReplayKey = (call.agent, call.operation)
            replies = self._replies.get(key)
            if replies is None:
                key = call.operation
                replies = self._replies.get(key)
            if replies is None:
                known = ", ".join(sorted(map(_replay_key, self._replies))) or "(none)"
                raise UnexpectedCallError(
                    f"no recorded reply for {_replay_key((call.agent, call.operation))}"
                    f" (recorded: {known})"
                )
            served = self._served.get(key, 0)
            self._served[key] = served + 1
        return SoapReply(200, replies[min(served, len(replies) - 1)], TEXT_XML)

    async def asend(self, call: SoapCall) -> SoapReply:
        return self.send(call)


def _replay_key(key: ReplayKey) -> str:
    return key if isinstance(key, str) else f"{key[0]}.{key[1]}" if key[0] else key[1]
