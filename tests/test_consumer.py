"""soapgen the way users get it.

A wheel built from this checkout is installed (not editable) into a fresh virtual environment.
A separate git repository, a user's project with only a minimal [tool.soapgen], generates into a
package of its own (``acme.clients``), installs itself as a wheel and calls the generated
clients against a real HTTP server on 127.0.0.1. pre-commit installs the ``soapgen-check`` hook
from this repository (``repo:`` pointing at it) and refuses a commit of a changed spec until
the output is regenerated. Once with SuperOffice Ticket pages, once with a raw WSDL.

Slow (a venv, two wheels, a pre-commit hook environment): about a minute. The packages come
from the package index pip is configured with.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import urllib.error
import urllib.request
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest

from stub_http import Reply, StubServer

ROOT = Path(__file__).resolve().parents[1]
SPECS88 = ROOT / "specs" / "superoffice" / "Services88"
ORDERS = ROOT / "tests" / "data" / "wsdl" / "orders"

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.consumer,
]
pytest.importorskip("pre_commit")

USER_PYPROJECT = """\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "acme-clients"
version = "1.0"
dependencies = ["httpx", "lxml"]

[tool.setuptools.packages.find]
where = ["src"]

[tool.setuptools.package-data]
"*" = ["py.typed", "fixtures/*/*.xml", "schemas/*/*.xsd"]

[tool.soapgen]
specs = "specs"
output = "src/acme/clients"
package = "acme.clients"
"""


def _run(
    args: list[str], cwd: Path, env: dict[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    if check:
        assert proc.returncode == 0, f"{args}:\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def soapgen_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This checkout as it is (committed or not) in a git repository of its own, the way a
    user's pre-commit config points at soapgen."""
    repo = tmp_path_factory.mktemp("soapgen-repo")
    listed = _run(["git", "ls-files", "-co", "--exclude-standard", "-z"], ROOT).stdout
    for rel in filter(None, listed.split("\0")):
        src = ROOT / rel
        if src.is_file() and not rel.startswith("generated/"):
            (repo / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, repo / rel)
    env = _git_env(repo.parent)
    _run(["git", "init", "-q"], repo, env)
    _run(["git", "add", "-A"], repo, env)
    _run(["git", "commit", "-qm", "soapgen"], repo, env)
    sha = _run(["git", "rev-parse", "HEAD"], repo, env).stdout.strip()
    return repo, sha


@pytest.fixture(scope="module")
def user_venv(tmp_path_factory: pytest.TempPathFactory, soapgen_repo: tuple[Path, str]) -> Path:
    """A fresh venv with the soapgen wheel (and pytest, to run the generated tests)."""
    tmp = tmp_path_factory.mktemp("venv")
    dist = tmp / "dist"
    _run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), "."],
        soapgen_repo[0],
    )
    (wheel,) = dist.glob("soapgen-*.whl")
    env_dir = tmp / "env"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    _run([str(env_dir / "bin" / "pip"), "install", "-q", str(wheel), "pytest"], tmp)
    return env_dir


def _git_env(home: Path) -> dict[str, str]:
    (home / "gitconfig").touch()
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": str(home / "gitconfig"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "PRE_COMMIT_COLOR": "never",
    }
    for key in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "SKIP", "PYTHONPATH"):
        env.pop(key, None)
    return env


class UserProject:
    """A user's git repository with the soapgen venv first on PATH."""

    def __init__(self, path: Path, env_dir: Path, pre_commit_home: Path) -> None:
        self.path = path
        self.bin = env_dir / "bin"
        self.env = _git_env(path.parent)
        self.env["PATH"] = f"{self.bin}{os.pathsep}{os.environ.get('PATH', '')}"
        self.env["PRE_COMMIT_HOME"] = str(pre_commit_home)
        path.mkdir()
        (path / "pyproject.toml").write_text(USER_PYPROJECT, encoding="utf-8")
        self.run("git", "init", "-q")

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return _run(list(args), self.path, self.env, check)

    def soapgen(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run(str(self.bin / "soapgen"), *args, check=False)

    def python(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run(str(self.bin / "python"), *args, check=False)

    def commit(self, message: str) -> subprocess.CompletedProcess[str]:
        self.run("git", "add", "-A")
        return self.run("git", "commit", "-qm", message, check=False)

    def install_hook(self, repo: Path, rev: str) -> None:
        (self.path / ".pre-commit-config.yaml").write_text(
            f"repos:\n  - repo: {repo}\n    rev: {rev}\n    hooks:\n      - id: soapgen-check\n",
            encoding="utf-8",
        )
        self.run(sys.executable, "-m", "pre_commit", "install")

    def refused_then_accepted(self, spec: Path, old: str, new: str) -> None:
        """A commit of a changed spec is refused until the output is regenerated."""
        text = spec.read_text(encoding="utf-8")
        assert old in text
        spec.write_text(text.replace(old, new, 1), encoding="utf-8")
        refused = self.commit("change a spec")
        assert refused.returncode != 0, refused.stdout + refused.stderr
        said = refused.stdout + refused.stderr
        assert "soapgen check" in said and "would change" in said, said
        assert "run `soapgen generate` to update" in said
        assert self.soapgen("generate", "--quiet").returncode == 0
        accepted = self.commit("change a spec, regenerated")
        assert accepted.returncode == 0, accepted.stdout + accepted.stderr
        assert self.run("git", "status", "--porcelain").stdout == ""


class Server(StubServer):
    """A real HTTP server on 127.0.0.1 answering POSTs with queued replies."""

    def __init__(self) -> None:
        self.replies: list[bytes] = []
        super().__init__(lambda _request: Reply(200, self.replies.pop(0)))

    @property
    def paths(self) -> list[str]:
        return [r.path for r in self.requests]


@pytest.fixture
def server() -> Iterator[Server]:
    with Server() as s:
        yield s


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


SO_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SO_NS = "http://www.superoffice.net/ws/crm/NetServer/Services88"
EXCEPTION_INFO = (
    f'<s:Envelope xmlns:s="{SO_ENV}"><s:Header><ExceptionInfo xmlns="{SO_NS}">'
    "<Message>Ticket 42 does not exist</Message><ExceptionType>SoNotFoundException</ExceptionType>"
    "</ExceptionInfo></s:Header>"
    f'<s:Body><GetTicketResponse xmlns="{SO_NS}"/></s:Body></s:Envelope>'
)

SO_USER_CODE = """\
import sys

from acme.clients.superoffice.services88 import NetServer, NetServerError, testing
from acme.clients.superoffice.services88.ticket import TicketAgent

with NetServer(sys.argv[1] + "/Cust12345", application_token="tok", ticket="7T:x") as ns:
    ticket = ns.ticket.get_ticket(7)
    print("ticket", ticket.ticket_id, type(ticket).__name__)
    try:
        ns.ticket.get_ticket(42)
    except NetServerError as exc:
        print("NetServerError", exc.exception_type, exc)
# the doc samples, read from the installed package
replay = testing.replay(agent="ticket")
print("replayed", type(TicketAgent("http://unused", transport=replay).get_ticket(1)).__name__)
# the mock server, samples and schemas from the installed package
with testing.serve() as mock, NetServer(mock.url, ticket="7T:x") as ns:
    mock.on("GetTicket", testing.Fault("no such ticket"))
    try:
        ns.ticket.get_ticket(1)
    except Exception as exc:
        print("mocked", type(exc).__name__, exc.reason)
    print("checked", mock.services[0].schema() is not None, mock.calls[0].errors)
"""


def test_superoffice_pages_in_a_user_project(
    tmp_path: Path,
    user_venv: Path,
    soapgen_repo: tuple[Path, str],
    pre_commit_home: Path,
    server: Server,
) -> None:
    user = UserProject(tmp_path / "acme", user_venv, pre_commit_home)
    version = user.path / "specs" / "superoffice" / "Services88"
    shutil.copytree(SPECS88 / "Ticket", version / "Ticket")
    shutil.copy2(SPECS88 / "Services88-Ticket.md", version)

    gen = user.soapgen("generate")
    assert gen.returncode == 0, gen.stdout + gen.stderr
    assert "generated acme.clients.superoffice.services88: " in gen.stdout
    check = user.soapgen("check")
    assert check.returncode == 0 and "up to date" in check.stdout, check.stdout + check.stderr
    package = user.path / "src/acme/clients/superoffice/services88"
    init = (package / "__init__.py").read_text(encoding="utf-8")
    assert "class NetServer:" in init and "NetServerError" in init
    assert 'ENDPOINT = "Remote/Services88/Ticket.svc"' in (package / "ticket.py").read_text()

    # the user's project installs as a wheel, generated package, fixtures and all
    user.run(str(user.bin / "pip"), "install", "-q", "--no-deps", ".")
    (user.path / "use.py").write_text(SO_USER_CODE, encoding="utf-8")
    ok = (package / "fixtures" / "ticket" / "GetTicket.response.xml").read_bytes()
    server.replies += [ok.replace(b">0</", b">7</", 1), EXCEPTION_INFO.encode()]
    used = user.python("use.py", server.url)
    assert used.returncode == 0, used.stdout + used.stderr
    assert "ticket 7 Ticket" in used.stdout
    assert "NetServerError SoNotFoundException Ticket 42 does not exist" in used.stdout
    assert "replayed Ticket" in used.stdout
    assert "mocked SoapFault no such ticket" in used.stdout
    assert "checked True []" in used.stdout
    assert server.paths == ["/Cust12345/Remote/Services88/Ticket.svc"] * 2
    # and its generated tests pass where it is installed
    tests = user.python(
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--pyargs",
        "acme.clients.superoffice.services88.tests",
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert " passed" in tests.stdout

    _serve_in(user)

    (user.path / "use.py").unlink()
    assert user.commit("generated clients").returncode == 0
    user.install_hook(*soapgen_repo)
    # a doc sample value changes the fixtures: the commit waits for soapgen generate
    user.refused_then_accepted(
        version / "Ticket" / "GetTicket.md",
        '<Ticket:Title xsi:type="xsd:string"></Ticket:Title>',
        '<Ticket:Title xsi:type="xsd:string">Printer on fire</Ticket:Title>',
    )


def _serve_in(user: UserProject) -> None:
    """`soapgen serve` finds the package below src/ (tool.soapgen.package) and answers."""
    proc = subprocess.Popen(
        [str(user.bin / "soapgen"), "serve", "--port", "0"],
        cwd=user.path,
        env=user.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("soapgen serve: superoffice services88 at "), first
        url = first.rsplit(" ", 1)[1].strip() + "Remote/Services88/Ticket.svc"
        envelope = (
            f'<s:Envelope xmlns:s="{SO_ENV}"><s:Body><GetTicket xmlns="{SO_NS}">'
            "<Id>x</Id></GetTicket></s:Body></s:Envelope>"
        )
        headers = {"Content-Type": "text/xml", "SOAPAction": f'"{SO_NS}/Ticket/GetTicket"'}
        request = urllib.request.Request(url, envelope.encode(), headers)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=60)
        assert refused.value.code == 500 and b"not valid" in refused.value.read()
    finally:
        proc.send_signal(signal.SIGTERM)  # as a service manager stops it
        out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, out + err
    assert "ticket.GetTicket refused: line 1: Element" in out


WSDL_USER_CODE = """\
import sys

from acme.clients.orders.v1 import Client
from acme.clients.orders.v1.orders_port import OrdersPortAgent

print("sum", OrdersPortAgent(sys.argv[1]).add(2, 3))
print("facade", type(Client(sys.argv[1]).orders_port).__name__)
"""

SO12 = "http://www.w3.org/2003/05/soap-envelope"


def test_raw_wsdl_in_a_user_project(
    tmp_path: Path,
    user_venv: Path,
    soapgen_repo: tuple[Path, str],
    pre_commit_home: Path,
    server: Server,
) -> None:
    user = UserProject(tmp_path / "acme", user_venv, pre_commit_home)
    shutil.copytree(ORDERS, user.path / "specs" / "orders" / "v1")
    # rpc/encoded: reads the SOAP encoding schema soapgen carries (package data of the wheel)
    (user.path / "specs" / "names" / "v1").mkdir(parents=True)
    shutil.copy(
        ROOT / "tests" / "data" / "wsdl" / "breadth" / "encoded.wsdl",
        user.path / "specs" / "names" / "v1",
    )
    gen = user.soapgen("generate")
    assert gen.returncode == 0, gen.stdout + gen.stderr
    assert "generated acme.clients.orders.v1: " in gen.stdout
    assert "generated acme.clients.names.v1: " in gen.stdout
    assert user.soapgen("check").returncode == 0

    user.run(str(user.bin / "pip"), "install", "-q", "--no-deps", ".")
    (user.path / "use.py").write_text(WSDL_USER_CODE, encoding="utf-8")
    server.replies.append(
        f'<e:Envelope xmlns:e="{SO12}"><e:Body><r:AddResponse xmlns:r="urn:example:orders:rpc">'
        "<sum>5</sum></r:AddResponse></e:Body></e:Envelope>".encode()
    )
    used = user.python("use.py", server.url)
    assert used.returncode == 0, used.stdout + used.stderr
    assert "sum 5" in used.stdout and "facade OrdersPortAgent" in used.stdout
    assert server.paths == ["/api/orders"]

    (user.path / "use.py").unlink()
    assert user.commit("generated clients").returncode == 0
    user.install_hook(*soapgen_repo)
    # a new element in the schema changes the generated types
    user.refused_then_accepted(
        user.path / "specs" / "orders" / "v1" / "orders.wsdl",
        '<xs:element name="Sku" type="xs:string"/>',
        '<xs:element name="Sku" type="xs:string"/><xs:element name="Gift" type="xs:boolean"/>',
    )
