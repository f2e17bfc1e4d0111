"""The generator's structure as the README's architecture section describes it: stages that only
import earlier stages (no cycle, nothing upward, function-level imports included), small
modules, and a runtime that stands alone."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = ROOT / "generator"
RUNTIME = ROOT / "templates" / "runtime"

# the stages in order; a module may import its own stage and earlier ones only
STAGES: list[tuple[str, tuple[str, ...]]] = [
    ("foundations", ("core",)),
    ("configuration", ("config",)),
    ("read", ("read",)),
    ("merge", ("merge",)),
    ("plan", ("plan",)),
    ("render", ("render",)),
    ("format", ("format",)),
    ("write", ("write",)),
    ("pipeline", ("pipeline",)),
    ("version diff", ("versions",)),
    ("command line", ("cli", "__main__")),
]
MAX_LINES = 520


def _modules(root: Path, package: str) -> dict[str, Path]:
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join([package, *parts])] = path
    return out


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Every module of `known` this one imports, at module level or inside functions."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(max(node.level - 1, 0)):
                base = base.rpartition(".")[0]
            target = (f"{base}.{node.module}" if node.module else base) if node.level else ""
            if node.level == 0 and node.module:
                target = node.module
            found.add(target)
            found.update(f"{target}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    # a submodule import also imports its packages, but a package's own face is not a cycle
    return {m for m in found if m in known and m != name}


def _graph() -> dict[str, set[str]]:
    modules = _modules(GENERATOR, "soapgen")
    return {n: _imports(n, p, set(modules)) for n, p in modules.items()}


def _stage(module: str) -> int:
    first = module.split(".")[1] if "." in module else ""
    for i, (_, members) in enumerate(STAGES):
        if first in members:
            return i
    raise AssertionError(f"{module} belongs to no stage: add it to STAGES (and the README)")


def test_generator_has_no_import_cycle() -> None:
    graph = _graph()
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if nxt.startswith(node + "."):
                continue  # a package importing its own submodules
            if state.get(nxt) == 1:
                raise AssertionError("import cycle: " + " -> ".join([*stack, node, nxt]))
            if nxt not in state:
                visit(nxt, [*stack, node])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])
    assert len(graph) > 40


def test_stages_import_only_earlier_stages() -> None:
    upward = []
    for module, targets in sorted(_graph().items()):
        if module == "soapgen":
            continue
        for target in sorted(targets):
            if target != "soapgen" and _stage(target) > _stage(module):
                upward.append(f"{module} ({STAGES[_stage(module)][0]}) imports {target}")
    assert upward == []


@pytest.mark.parametrize("root", [GENERATOR, RUNTIME], ids=["generator", "runtime"])
def test_modules_stay_small(root: Path) -> None:
    big = {
        str(p.relative_to(ROOT)): n
        for p in root.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert big == {}


def test_runtime_imports_nothing_of_the_generator() -> None:
    modules = _modules(RUNTIME, "runtime")
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                assert node.module.split(".")[0] != "soapgen", f"{name} imports {node.module}"


def test_every_package_folder_ships_in_the_wheel() -> None:
    """pyproject lists packages by hand (the import name is not the folder name): a new
    subpackage left out of the list is missing from the wheel, which only an install shows."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(project["tool"]["setuptools"]["packages"])
    folders = set()
    for root, package in ((GENERATOR, "soapgen"), (ROOT / "templates", "soapgen.templates")):
        for init in root.rglob("__init__.py"):
            parts = init.parent.relative_to(root).parts
            folders.add(".".join([package, *parts]))
    assert folders - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"


def test_the_folder_layout_shows_the_stages() -> None:
    """Every module lives in the package of its stage: the top of generator/ holds only the
    package's face and its entry point."""
    loose = sorted(p.name for p in GENERATOR.glob("*.py"))
    assert loose == ["__init__.py", "__main__.py"]
    folders = sorted(p.name for p in GENERATOR.iterdir() if (p / "__init__.py").exists())
    staged = sorted(m for _, members in STAGES for m in members if m != "__main__")
    assert folders == staged
