"""Conformance suite (issue 3): the whole Services88 corpus round-trips, checked by the WSDL's
schema and by zeep.

The session fixture ``conformance`` generates the client for the full corpus into a temporary
directory (in process, with the repository's generator and templates), then runs that
package's generated fixture tests in subprocesses (two by default, each with its own sys.path,
so the repository's ``generated/superoffice`` on pytest's pythonpath never clashes) with the
recording plugin ``cf_plugin``, which also performs the schema and zeep checks. The per-page
tests in test_conformance.py read those results; the terminal summary prints the counts,
failures grouped by cause, and every documented sample deviation (SAMPLE010).

Run: ``python -m pytest -m conformance tests/conformance -q -s``. The suite runs only when
selected (``-m conformance``, a path inside tests/conformance, or CONFORMANCE=1); it skips
when the corpus is absent. Environment: SOAPGEN_CORPUS (corpus root, default ../shared/corpus),
CONFORMANCE_WORKERS (subprocesses, default 2), CONFORMANCE_REPORT (also write the summary
there), CONFORMANCE_KEEP=1 (keep and print the work directory).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CORPUS_ROOT = Path(os.environ.get("SOAPGEN_CORPUS") or REPO.parent / "shared" / "corpus")
CORPUS = CORPUS_ROOT / "superoffice-mintlify" / "Services88"
API, VERSION = "superoffice", "Services88"


def corpus_pages() -> list[str]:
    """Operation pages of the corpus as "<Agent folder>/<Operation>" (index pages excluded)."""
    if not CORPUS.is_dir():
        return []
    return sorted(
        f"{p.parent.name}/{p.stem}" for p in CORPUS.glob("*/*.md") if p.name != "index.md"
    )


# ----------------------------------------------------------------------------- selection


def _selected(config: pytest.Config) -> bool:
    if "conformance" in (config.option.markexpr or ""):
        return True
    for arg in config.args:
        path = Path(arg.split("::")[0]).resolve()
        if path == HERE or HERE in path.parents:
            return True
    return False


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "page" not in metafunc.fixturenames:
        return
    if _selected(metafunc.config) or os.environ.get("CONFORMANCE") == "1":
        metafunc.parametrize("page", corpus_pages())
    else:  # one skipped case per test instead of 1381: the suite is opt-in
        metafunc.parametrize(
            "page",
            [
                pytest.param(
                    "-", marks=pytest.mark.skip(reason="conformance suite: run with -m conformance")
                )
            ],
        )


# ------------------------------------------------------------------------------ the run


@dataclass
class Run:
    workdir: Path
    pages: list[str]
    page_ops: dict[str, str]  # page -> "<agent module>/<method>"
    ops: dict[str, dict[str, Any]]  # "<agent module>/<method>" -> check results
    manifest: dict[str, Any]
    sample_deviations: list[dict[str, Any]]
    other_diags: list[str]
    timings: dict[str, float] = field(default_factory=dict)
    worker_errors: list[str] = field(default_factory=list)

    def result(self, page: str) -> dict[str, Any] | None:
        key = self.page_ops.get(page)
        return None if key is None else self.ops.get(key)


_RUN: Run | None = None
_FENCE = re.compile(r"^```xml[^\n]*\n(.*?)^```", re.S | re.M)


def _wsdl_text(page: Path) -> str:
    """The WSDL fence of a WSDL page (own reading, not the generator's)."""
    text = page.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    m = _FENCE.search(text)
    if m is None:
        raise ValueError(f"{page}: no ```xml fence")
    return m.group(1)


def _shards(files: list[Path], n: int) -> list[list[Path]]:
    bins: list[tuple[int, list[Path]]] = [(0, []) for _ in range(n)]
    for f in sorted(files, key=lambda p: -p.stat().st_size):
        i = min(range(n), key=lambda k: bins[k][0])
        bins[i] = (bins[i][0] + f.stat().st_size, bins[i][1] + [f])
    return [b for _, b in bins if b]


def _generate(tmp: Path) -> tuple[Any, Path]:
    sys.path.insert(0, str(REPO))
    try:
        from soapgen.config.project import Config
        from soapgen.pipeline.run import generate
    finally:
        sys.path.remove(str(REPO))
    specs = tmp / "specs"
    (specs / API).mkdir(parents=True)
    shutil.copytree(
        CORPUS, specs / API / VERSION
    )  # a copy: the generator does not follow folder symlinks
    out = tmp / "out"
    cfg = Config(
        root=str(tmp),
        specs=str(specs),
        output=str(out),
    )
    result = generate(cfg)
    for rel, data in result.files.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return result, out


def _manifest(result: Any, tmp: Path, out: Path) -> tuple[dict[str, Any], dict[str, str]]:
    ((api, version),) = [(a, v) for a, v in result.versions]
    package = f"{api}.{version.py_name}"
    pkg_dir = out / api / version.py_name
    services: dict[str, Any] = {}
    ops: dict[str, Any] = {}
    page_ops: dict[str, str] = {}
    copied = tmp / "specs" / API / VERSION
    for svc in version.services:
        wsdl_page = Path(svc.wsdl_loc.file)
        wsdl = tmp / "wsdl" / f"{svc.py_name}.wsdl"
        wsdl.parent.mkdir(exist_ok=True)
        if wsdl_page.is_file():
            wsdl.write_text(_wsdl_text(wsdl_page), encoding="utf-8")
        services[svc.py_name] = {
            "name": svc.name,
            "wsdl": str(wsdl),
            "xsd_dir": str(tmp / "xsd" / svc.py_name),
            "soap_version": svc.soap_version,
            "inferred": bool(getattr(svc, "inferred", False)),
        }
        for op in svc.operations:
            key = f"{svc.py_name}/{op.py_name}"
            entry: dict[str, Any] = {"service": svc.name, "operation": op.name}
            for kind, sample in (("request", op.request_sample), ("response", op.response_sample)):
                if sample is None:
                    continue
                page = Path(sample.loc.file)
                entry[f"{kind}_line"] = sample.loc.line
                entry["page"] = f"{page.parent.name}/{page.stem}"
                doc = pkg_dir / "fixtures" / svc.py_name / f"{op.name}.doc-{kind}.xml"
                entry[f"doc_{kind}"] = str(doc)
                try:
                    page.relative_to(copied)
                    page_ops.setdefault(entry["page"], key)
                except ValueError:
                    pass
            ops[key] = entry
    return {"package": package, "services": services, "ops": ops}, page_ops


def _deviation_evidence(diags: Any) -> tuple[list[dict[str, Any]], list[str]]:
    deviations: list[dict[str, Any]] = []
    other: list[str] = []
    lines_cache: dict[str, list[str]] = {}
    for d in diags.items:
        if d.code != "SAMPLE010":
            if d.code not in ("SO007", "SO008") or "index.md" not in d.file:
                other.append(d.format())
            continue
        if d.file not in lines_cache:
            try:
                lines_cache[d.file] = Path(d.file).read_text(encoding="utf-8-sig").splitlines()
            except OSError:
                lines_cache[d.file] = []
        src = lines_cache[d.file]
        text = src[d.line - 1].strip() if 0 < d.line <= len(src) else ""
        page = Path(d.file)
        deviations.append(
            {
                "page": f"{page.parent.name}/{page.stem}",
                "line": d.line,
                "message": d.message,
                "sample_line": text,
            }
        )
    return deviations, other


@pytest.fixture(scope="session")
def conformance(tmp_path_factory: pytest.TempPathFactory) -> Run:
    global _RUN
    if _RUN is not None:
        return _RUN
    if not CORPUS.is_dir():
        pytest.skip(f"corpus absent: {CORPUS}")
    timings: dict[str, float] = {}
    keep = os.environ.get("CONFORMANCE_KEEP") == "1"
    tmp = (
        Path(tempfile.mkdtemp(prefix="soapgen-conformance-"))
        if keep
        else tmp_path_factory.mktemp("conformance")
    )
    t0 = time.perf_counter()
    result, out = _generate(tmp)
    timings["generate"] = time.perf_counter() - t0
    errors = [d.format() for d in result.diags.items if d.level.name == "ERROR"]
    if errors:
        pytest.fail("generation reported errors:\n" + "\n".join(errors[:50]), pytrace=False)
    manifest, page_ops = _manifest(result, tmp, out)
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    deviations, other = _deviation_evidence(result.diags)

    # run the generated tests (+ recorder and checks) in subprocesses
    t1 = time.perf_counter()
    pkg_dir = out / API / manifest["package"].split(".")[1]
    test_files = sorted((pkg_dir / "tests").glob("test_*.py"))
    workers = max(1, int(os.environ.get("CONFORMANCE_WORKERS", "2")))
    (tmp / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (tmp / "run").mkdir(exist_ok=True)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "PYTEST_ADDOPTS", "PYTEST_PLUGINS")
    }
    env["PYTHONPATH"] = os.pathsep.join([str(out), str(HERE)])
    env["CONFORMANCE_MANIFEST"] = str(tmp / "manifest.json")
    procs = []
    for i, shard in enumerate(_shards(test_files, workers)):
        wenv = dict(env, CONFORMANCE_OUT=str(tmp / f"checks-{i}.json"))
        cmd = [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--import-mode=importlib",
            "-c",
            str(tmp / "pytest.ini"),
            "--rootdir",
            str(tmp),
            "-p",
            "cf_plugin",
            "--junitxml",
            str(tmp / f"junit-{i}.xml"),
            "-o",
            "junit_family=xunit2",
            *map(str, shard),
        ]
        log = open(tmp / f"worker-{i}.log", "wb")
        procs.append(
            (
                i,
                subprocess.Popen(
                    cmd, cwd=tmp / "run", env=wenv, stdout=log, stderr=subprocess.STDOUT
                ),
                log,
            )
        )
    ops: dict[str, Any] = {}
    worker_errors: list[str] = []
    for i, proc, log in procs:
        try:
            proc.wait(timeout=3600)
        finally:
            log.close()
        path = tmp / f"checks-{i}.json"
        if not path.exists():
            tail = (tmp / f"worker-{i}.log").read_text(encoding="utf-8", errors="replace")[-3000:]
            worker_errors.append(f"worker {i} exited {proc.returncode} without results:\n{tail}")
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        ops.update(data["ops"])
        timings[f"worker {i} checks"] = data.get("_timing", {}).get("checks", 0.0)
    timings["tests+checks (wall)"] = time.perf_counter() - t1
    _RUN = Run(
        tmp, corpus_pages(), page_ops, ops, manifest, deviations, other, timings, worker_errors
    )
    if worker_errors:
        pytest.fail("\n\n".join(worker_errors), pytrace=False)
    return _RUN


# ---------------------------------------------------------------------------- summary

CHECKS = [
    ("generated", "pages with a generated operation and fixture tests"),
    ("request", "requests equal to the normalized doc sample (generated test)"),
    ("response", "responses parsed to the sample's values (generated test)"),
    ("schema", "requests valid against the WSDL schema (headers + body)"),
    ("response_schema", "normalized response samples valid against the WSDL schema"),
    ("zeep_request", "zeep reads the request back to the client's arguments"),
    ("zeep_response", "client parses zeep's serialization of the response to zeep's values"),
]


def check_ok(res: dict[str, Any] | None, check: str) -> bool | None:
    """True/False per check; None when the check could not apply (reported as failing too)."""
    if res is None:
        return False if check == "generated" else None
    if check == "generated":
        return "request" in res and "response" in res
    if check in ("request", "response"):
        r = res.get(check)
        return None if r is None else r["outcome"] == "passed"
    r = res.get(check)
    return None if r is None else r.get("ok")


_MASK = [
    (re.compile(r"\b\w+\.__init__\(\)"), "<class>.__init__()"),
    (re.compile(r"'[^']*'"), "'…'"),
    (re.compile(r"\[\d+\]"), "[i]"),
    (re.compile(r"\b\d+\b"), "N"),
]


def _mask(text: str) -> str:
    for pat, rep in _MASK:
        text = pat.sub(rep, text)
    return text[:200]


def _leaf(path: str) -> str:
    parts = [p for p in re.split(r"/", path) if p]
    return re.sub(r"\[\d+\]", "", parts[-1]) if parts else path


def causes(run: Run, check: str, page: str, res: dict[str, Any] | None) -> list[tuple[str, str]]:
    """(cause signature, evidence line) for a failing check of one page."""
    if res is None:
        return [("no generated operation/fixture test for the page", page)]
    if check == "generated":
        return [("operation without fixture tests", page)]
    if check in ("request", "response"):
        r = res.get(check, {})
        if check == "request" and res.get("request_diff", {}).get("diffs"):
            out = []
            for d in res["request_diff"]["diffs"]:
                out.append(
                    (
                        f"request XML: {d['what']} <{_leaf(d['path'])}>",
                        f"{d['path']}: expected {d['expected']} actual {d['actual']}",
                    )
                )
            return out
        if (
            check == "response"
            and res.get("zeep_response", {}).get("diffs")
            and "(client parse)" in str(res["zeep_response"]["diffs"])
        ):
            pass
        msg = (r.get("message") or "").strip().splitlines()
        first = msg[0] if msg else r.get("outcome", "")
        where = f"\n        at {r['where']}" if r.get("where") else ""
        return [
            (
                f"{check} test {r.get('outcome')}: {_mask(first)}",
                "\n      ".join(msg[:6])[:800] + where,
            )
        ]
    r = res.get(check) or {}
    if r.get("crash"):
        return [(f"check crashed: {_mask(r['crash'])}", r["crash"])]
    if r.get("ok") is None:
        return [(f"not checked: {r.get('note', '')}", "")]
    out = []
    if check in ("schema", "response_schema"):
        for e in r.get("errors", []):
            out.append(
                (
                    f"schema: {_mask(e['message'])}",
                    f"{e['where']} {e['path']} (line {e['line']}): {e['message']}",
                )
            )
    else:
        for d in r.get("diffs", []):
            out.append(
                (
                    (
                        f"{d['why']} <{_leaf(d['path'])}>"
                        if d["why"] in ("field names differ",)
                        else d["why"]
                    ),
                    f"{d['path']}: zeep {d['zeep']} | client {d['client']}",
                )
            )
    return out or [("failed without details", json.dumps(r)[:300])]


def _steps(path: str) -> list[str]:
    """Local names of an lxml error path (/p:A/p:B[2]) or a SAMPLE010 path (Op/B/C)."""
    return [re.sub(r"\[\d+\]$", "", s).rpartition(":")[2] for s in path.split("/") if s]


def doc_cross_check(run: Run) -> tuple[list[str], list[str], dict[tuple[str, int], str]]:
    """Schema errors of the raw doc samples that no SAMPLE010 covers, and SAMPLE010 warnings
    that no schema error confirms. A warning covers an error when both are in the same sample
    and the warning's element path (below the operation wrapper) is a prefix of the error's."""
    devs: dict[str, list[tuple[int, list[str]]]] = defaultdict(list)
    for d in run.sample_deviations:
        devs[d["page"]].append((d["line"], _steps(d["message"].split(":")[0])[1:]))
    confirmed: dict[tuple[str, int], str] = {}
    uncovered: list[str] = []
    for p in run.pages:
        res = run.result(p) or {}
        errs = (res.get("doc_schema") or {}).get("errors") or {}
        info = run.manifest["ops"].get(run.page_ops.get(p, ""), {})
        for kind, es in errs.items():
            lo = info.get(f"{kind}_line") or 0
            hi = info.get("response_line") if kind == "request" else None
            for e in es:
                steps = _steps(e["path"])[1:]
                hit = [
                    (line, dp)
                    for line, dp in devs.get(p, [])
                    if lo <= line and (hi is None or line < hi) and steps[: len(dp)] == dp
                ]
                for line, _ in hit:
                    confirmed.setdefault((p, line), f"{e['path']}: {e['message']}")
                if not hit:
                    uncovered.append(
                        f"{p}.md:{e['page_line']} ({kind}) {e['path']}: {e['message']}"
                    )
    unconfirmed = [
        f"{d['page']}.md:{d['line']}: {d['message']}"
        for d in run.sample_deviations
        if (d["page"], d["line"]) not in confirmed
    ]
    return uncovered, unconfirmed, confirmed


def summary_text(run: Run) -> str:
    lines: list[str] = []
    w = lines.append
    pages = run.pages
    w("")
    w("=" * 100)
    w(f"CONFORMANCE SUMMARY: superoffice {VERSION} ({CORPUS})")
    w("=" * 100)
    w(f"operation pages in the corpus: {len(pages)}")
    w(
        f"operations with fixture tests: {sum(1 for k, v in run.ops.items() if 'request' in v)} (of {len(run.manifest['ops'])} operations in the IR)"
    )
    counts: dict[str, Counter[Any]] = {}
    for check, label in CHECKS:
        c: Counter[Any] = Counter(check_ok(run.result(p), check) for p in pages)
        counts[check] = c
        extra = f", not checkable {c[None]}" if c[None] else ""
        w(f"  {label:<78} {c[True]:>5} / {len(pages)}  (failing {c[False]}{extra})")
    sample_parsed = sum(
        1 for p in pages if (run.result(p) or {}).get("response", {}).get("parse_ok")
    )
    w(
        f"  {'client parses the response sample without error':<78} {sample_parsed:>5} / {len(pages)}"
    )
    parsed = sum(1 for p in pages if (run.result(p) or {}).get("zeep_response", {}).get("parsed"))
    w(f"  {'client parses zeep-serialized responses without error':<78} {parsed:>5} / {len(pages)}")
    doc_bad = [p for p in pages if (run.result(p) or {}).get("doc_schema", {}).get("ok") is False]
    w(
        f"  {'doc samples (raw) schema-invalid (informational)':<78} {len(doc_bad):>5} / {len(pages)}"
    )
    w(
        f"documented sample deviations (SAMPLE010): {len(run.sample_deviations)} on {len({d['page'] for d in run.sample_deviations})} pages"
    )
    if run.other_diags:
        w(f"other generator diagnostics: {len(run.other_diags)}")
        for line in run.other_diags[:20]:
            w(f"  {line}")
    w("timings: " + ", ".join(f"{k} {v:.1f}s" for k, v in run.timings.items()))
    w(f"work directory: {run.workdir}")

    # failures grouped by cause
    for check, label in CHECKS:
        groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for p in pages:
            res = run.result(p)
            ok = check_ok(res, check)
            if ok:
                continue
            seen = set()
            for sig, ev in causes(run, check, p, res):
                if sig in seen:
                    continue
                seen.add(sig)
                groups[sig].append((p, ev))
        if not groups:
            continue
        w("")
        w(f"--- failing: {label} ---")
        for sig, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            w(f"  [{len(items)} pages] {sig}")
            for p, ev in items[:3]:
                w(f"      {p}: {ev}")

    # doc samples against the schema, versus SAMPLE010 (both directions)
    uncovered, unconfirmed, confirmed = doc_cross_check(run)
    w("")
    w(f"--- doc sample schema errors without a SAMPLE010 at or above them: {len(uncovered)} ---")
    for u in uncovered[:60]:
        w(f"  {u}")
    if len(uncovered) > 60:
        w(f"  ... {len(uncovered) - 60} more")
    w(f"--- SAMPLE010 warnings without a schema error at or below them: {len(unconfirmed)} ---")
    for u in unconfirmed[:60]:
        w(f"  {u}")
    w("")
    w(f"--- doc samples that contradict their WSDL (SAMPLE010, {len(run.sample_deviations)}) ---")
    by_reason = Counter(
        re.sub(r"^.*?: ", "", d["message"]).split(";")[0] for d in run.sample_deviations
    )
    for reason, n in by_reason.most_common():
        w(f"  {n:>5}  {_mask(reason)}")
    for d in run.sample_deviations:
        w(f"  {d['page']}.md:{d['line']}: {d['message']}")
        w(f"      sample: {d['sample_line'][:200]}")
        if (d["page"], d["line"]) in confirmed:
            w(f"      schema: {confirmed[(d['page'], d['line'])][:300]}")
    w("=" * 100)
    return "\n".join(lines)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _RUN is None:
        return
    text = summary_text(_RUN)
    terminalreporter.write_line(text)
    report = os.environ.get("CONFORMANCE_REPORT")
    if report:
        Path(report).write_text(text + "\n", encoding="utf-8")
        (Path(report).with_suffix(".json")).write_text(
            json.dumps({"pages": _RUN.page_ops, "ops": _RUN.ops}, indent=1, default=str),
            encoding="utf-8",
        )
