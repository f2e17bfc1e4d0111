"""The pre-commit hooks for real: a throwaway git repository holding a small soapgen project,
hooks installed with the pre-commit package, commits refused while generated/ is stale and
accepted once it is regenerated.

The hooks come from this repository's .pre-commit-hooks.yaml (same ids, entries and options),
declared as ``repo: local`` with ``language: system`` so that they run this checkout's generator
(``soapgen`` on the PATH is a wrapper) in seconds. The published hooks as users get them
(``repo:`` pointing at this repository, pre-commit pip-installing it) are tested in
test_consumer.py.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from soapgen_project import PYPROJECT

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
pre_commit = pytest.importorskip("pre_commit")
yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parents[1]
HOOKS_FILE = ROOT / ".pre-commit-hooks.yaml"
SPECS86 = ROOT / "specs" / "superoffice" / "Services86"
SPEC = "specs/superoffice/Services86/Report/DeleteReport.md"


def published_hooks() -> dict[str, dict[str, Any]]:
    hooks = yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))
    return {h["id"]: h for h in hooks}


class Repo:
    def __init__(self, tmp: Path, hook_ids: list[str]) -> None:
        self.path = tmp / "repo"
        bin_dir = tmp / "bin"
        bin_dir.mkdir()
        wrapper = bin_dir / "soapgen"
        wrapper.write_text(
            f'#!/bin/sh\nexec "{sys.executable}" -m soapgen "$@"\n', encoding="utf-8"
        )
        wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        (tmp / "gitconfig").write_text("", encoding="utf-8")
        self.env = {
            **os.environ,
            "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
            "PYTHONPATH": str(ROOT),
            "PRE_COMMIT_HOME": str(tmp / "pre-commit-home"),
            "PRE_COMMIT_COLOR": "never",
            "GIT_CONFIG_GLOBAL": str(tmp / "gitconfig"),  # no user hooksPath, signing or templates
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.invalid",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.invalid",
        }
        for key in (
            "GIT_DIR",
            "GIT_WORK_TREE",
            "GIT_INDEX_FILE",
            "SKIP",
            "PRE_COMMIT_ALLOW_NO_CONFIG",
        ):
            self.env.pop(key, None)
        p = self.path
        shutil.copytree(SPECS86, p / "specs" / "superoffice" / "Services86")
        (p / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
        local = []
        for hook_id in hook_ids:
            hook = dict(published_hooks()[hook_id])
            hook["language"] = (
                "system"  # installed here already; "python" would pip-install this repo
            )
            local.append(hook)
        config = {"repos": [{"repo": "local", "hooks": local}]}
        (p / ".pre-commit-config.yaml").write_text(
            yaml.safe_dump(config, sort_keys=True), encoding="utf-8"
        )
        self.run("git", "init", "-q")
        self.run(sys.executable, "-m", "pre_commit", "install")
        assert (p / ".git" / "hooks" / "pre-commit").is_file()

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            args, cwd=self.path, env=self.env, capture_output=True, text=True, timeout=600
        )
        if check:
            assert proc.returncode == 0, f"{args}: {proc.stdout}\n{proc.stderr}"
        return proc

    def commit(self, message: str, *paths: str) -> tuple[int, str]:
        """git commit; its exit code and output (pre-commit reports on stderr)."""
        self.run("git", "add", *(paths or ("-A",)))
        proc = self.run("git", "commit", "-q", "-m", message, check=False)
        return proc.returncode, proc.stdout + proc.stderr

    def commits(self) -> int:
        proc = self.run("git", "rev-list", "--count", "HEAD", check=False)
        return int(proc.stdout) if proc.returncode == 0 else 0

    def dirty(self) -> str:
        return self.run("git", "status", "--porcelain").stdout

    def edit_spec(self) -> None:
        spec = self.path / SPEC
        data = spec.read_bytes()
        assert b"Application tokens" in data
        spec.write_bytes(data.replace(b"Application tokens", b"application tokens", 1))


def test_hooks_manifest_is_valid() -> None:
    from pre_commit.clientlib import load_manifest  # type: ignore[import-untyped]

    hooks = {h["id"]: h for h in load_manifest(str(HOOKS_FILE))}
    assert set(hooks) == {"soapgen-check", "soapgen-generate"}
    assert hooks["soapgen-check"]["entry"] == "soapgen check"
    assert hooks["soapgen-generate"]["entry"].startswith("soapgen generate")
    for h in hooks.values():
        assert h["pass_filenames"] is False and h["always_run"] is True


def test_check_hook_refuses_stale_commit(tmp_path: Path) -> None:
    repo = Repo(tmp_path, ["soapgen-check"])
    repo.run("soapgen", "generate", "--quiet")
    code, out = repo.commit("project with generated clients")
    assert code == 0, out
    assert "soapgen check (generated clients are up to date)" in out and "Passed" in out
    assert repo.commits() == 1

    # a spec change without regenerating: refused, with the reason
    repo.edit_spec()
    code, out = repo.commit("edit a spec only", SPEC)
    assert code != 0, out
    assert "Failed" in out and f"input changed: {SPEC}" in out
    assert "run `soapgen generate` to update" in out
    assert repo.commits() == 1

    # regenerate, stage both: accepted
    repo.run("soapgen", "generate", "--quiet")
    code, out = repo.commit("edit a spec and regenerate")
    assert code == 0, out
    assert repo.commits() == 2 and repo.dirty() == ""

    # a hand edit of a generated file is refused too
    report = repo.path / "generated" / "superoffice" / "services86" / "report.py"
    report.write_text(report.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    code, out = repo.commit("hand edit")
    assert code != 0
    assert "hand-edited generated file: generated/superoffice/services86/report.py" in out
    assert repo.commits() == 2


def test_generate_hook_regenerates_then_accepts(tmp_path: Path) -> None:
    repo = Repo(tmp_path, ["soapgen-check", "soapgen-generate"])
    # the first commit has no generated tree: check refuses it, and generate writes the tree
    code, out = repo.commit("project")
    assert code != 0, out
    assert "generated does not exist" in out
    assert (repo.path / "generated" / "superoffice" / "services86" / "report.py").is_file()
    assert repo.commits() == 0
    code, out = repo.commit("project")  # stage what the hook wrote: now both hooks pass
    assert code == 0, out
    assert repo.commits() == 1

    # a spec change alone: generate rewrites tracked generated files, so pre-commit fails the commit
    repo.edit_spec()
    code, out = repo.commit("edit a spec only", SPEC)
    assert code != 0, out
    assert "files were modified by this hook" in out
    assert repo.commits() == 1
    assert " M generated/superoffice/services86/" in repo.dirty()
    code, out = repo.commit("edit a spec, with what the hook regenerated")
    assert code == 0, out
    assert repo.commits() == 2 and repo.dirty() == ""
