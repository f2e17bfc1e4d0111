"""pytest plugin loaded (``-p cf_plugin``) into the subprocess that runs a generated package's
fixture tests: records what each test sends and receives, then checks it independently.

Recording wraps, in the generated package, ``_runtime.client.build_envelope_text`` (the
request bytes), ``_runtime.client.read_reply`` (the reply bytes), ``ClientBase._soap_call``
(the client, operation, SOAPAction and the call's arguments), ``testing.normalize`` (the
expected envelope) and ``_runtime.Operation.reply`` (the parsed result). Nothing of the
generated code changes behaviour.

At session end every recorded operation is checked (see cf_checks): the request against the
WSDL's XML Schema and read back by zeep; the response sample read by zeep, serialized again by
zeep and parsed by the client; the doc samples themselves against the schema. Results go to
the JSON file named by $CONFORMANCE_OUT, one entry per "<agent module>/<operation method>".
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import os
import re
import time
import traceback
from collections.abc import Generator
from typing import Any

import pytest
from lxml import etree

import cf_checks as C

SUFFIXES = {
    "_request_matches_doc_sample": "request",
    "_parses_doc_response": "response",
    "_documented_deviations": "deviations",
}


@dataclasses.dataclass
class Record:
    outcome: str = "not run"
    message: str = ""
    longrepr: str = ""
    calls: list[dict[str, Any]] = dataclasses.field(
        default_factory=list
    )  # operation, action, client
    envelopes: list[bytes] = dataclasses.field(default_factory=list)
    replies: list[bytes] = dataclasses.field(default_factory=list)
    normalized: list[bytes] = dataclasses.field(default_factory=list)
    args: list[tuple[Any, ...]] = dataclasses.field(default_factory=list)
    parsed: list[Any] = dataclasses.field(default_factory=list)
    parse_errors: list[str] = dataclasses.field(default_factory=list)


class Recorder:
    def __init__(self, manifest: dict[str, Any], out: str) -> None:
        self.manifest = manifest
        self.out = out
        self.package = manifest["package"]
        self.records: dict[tuple[str, str, str], Record] = {}
        self.current: Record | None = None
        self.rt: Any = None
        # (service, wire operation name) -> the operation's Python name, as the records use it
        self.op_names = {
            (key.partition("/")[0], entry["operation"]): key.partition("/")[2]
            for key, entry in manifest["ops"].items()
        }

    # --- patching ------------------------------------------------------------------------
    def patch_runtime(self) -> None:
        rt = self.rt = importlib.import_module(f"{self.package}._runtime")
        testing = importlib.import_module(f"{self.package}.testing")
        rec = self

        # the clients' module of the runtime package calls these: record what they return
        calls = importlib.import_module(f"{self.package}._runtime.client")
        build_text, read_reply, soap_call, normalize = (
            calls.build_envelope_text,
            calls.read_reply,
            rt.ClientBase._soap_call,
            testing.normalize,
        )

        def rec_build_text(*a: Any, **k: Any) -> bytes:
            data = build_text(*a, **k)
            if rec.current is not None:
                rec.current.envelopes.append(bytes(data))
            return data  # type: ignore[no-any-return]

        def rec_read_reply(reply: Any, *a: Any, **k: Any) -> Any:
            if rec.current is not None:
                rec.current.replies.append(bytes(reply.content))
            return read_reply(reply, *a, **k)

        def rec_soap_call(self: Any, op: Any, args: tuple[Any, ...], kwargs: Any) -> Any:
            if rec.current is not None:
                rec.current.calls.append(
                    {"operation": op.name, "action": op.action, "client": self}
                )
                # the call's arguments in parameter order (keyword-only ones by name)
                named = [kwargs.get(name) for name, _, _ in op.params[len(args) :]]
                rec.current.args.append((*args, *named))
            return soap_call(self, op, args, kwargs)

        def rec_normalize(*a: Any, **k: Any) -> bytes:
            data = normalize(*a, **k)
            if rec.current is not None:
                rec.current.normalized.append(bytes(data))
            return data  # type: ignore[no-any-return]

        calls.build_envelope_text, calls.read_reply = rec_build_text, rec_read_reply
        rt.ClientBase._soap_call, testing.normalize = rec_soap_call, rec_normalize
        # every reply an operation reads goes through Operation.reply: record what it gave
        op_reply = rt.Operation.reply

        def rec_reply(op: Any, env: Any) -> Any:
            try:
                result = op_reply(op, env)
            except Exception as exc:
                if rec.current is not None:
                    rec.current.parse_errors.append(f"{type(exc).__name__}: {exc}")
                raise
            if rec.current is not None:
                rec.current.parsed.append(result)
            return result

        rt.Operation.reply = rec_reply
        self.op_reply = op_reply
        self.read_reply = read_reply  # the originals, for the checks
        self.SoapReply = rt.SoapReply

    # --- hooks ---------------------------------------------------------------------------
    def key(self, module: str, name: str) -> tuple[str, str, str] | None:
        """(service, operation, kind) of a fixture test: ``test_<svc>.py`` with
        ``test_<kind>[<Operation>]`` (a case of the operation table) or ``test_<op>_<kind>``."""
        if not module.startswith("test_") or not name.startswith("test_"):
            return None
        svc = module[5:]
        test, _, param = name.partition("[")
        for suffix, kind in SUFFIXES.items():
            if param and test == "test" + suffix:
                op = self.op_names.get((svc, param[:-1]))
                return None if op is None else (svc, op, kind)
            if not param and test.endswith(suffix):
                return svc, test[5 : -len(suffix)], kind
        return None

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Generator[None, None, None]:
        k = self.key(item.path.stem, item.name)
        if k is not None:
            self.current = self.records.setdefault(k, Record())
        try:
            yield
        finally:
            self.current = None

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        stem = os.path.basename(report.nodeid.split("::")[0])[:-3]
        item_key = self.key(stem, report.nodeid.split("::")[-1])
        if item_key is None:
            return
        rec = self.records.setdefault(item_key, Record())
        if report.when == "call" or report.outcome != "passed":
            if rec.outcome in ("not run", "passed"):
                rec.outcome = (
                    report.outcome
                    if report.when == "call"
                    else ("error" if report.outcome == "failed" else report.outcome)
                )
                if report.outcome != "passed":
                    rec.longrepr = str(report.longrepr)[-6000:]
                    crash = getattr(report.longrepr, "reprcrash", None)
                    rec.message = (
                        crash.message
                        if crash is not None
                        else rec.longrepr.splitlines()[-1:][0] if rec.longrepr else ""
                    )

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        t0 = time.perf_counter()
        results = Checker(self).run()
        results["_timing"] = {"checks": time.perf_counter() - t0}
        tmp = self.out + ".tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(results, fh, indent=1, default=str)
        os.replace(tmp, self.out)


# ------------------------------------------------------------------------------- checks


class Checker:
    def __init__(self, rec: Recorder) -> None:
        self.rec = rec
        self.m = rec.manifest
        self.clients: dict[str, Any] = {}
        self.schemas: dict[str, Any] = {}
        self.service_errors: dict[str, str] = {}

    def client(self, svc: str) -> Any:
        if svc not in self.clients:
            try:
                self.clients[svc] = C.zeep_client(self.m["services"][svc]["wsdl"])
            except Exception as exc:  # remembered: every operation of the service reports it
                self.clients[svc] = exc
        got = self.clients[svc]
        if isinstance(got, Exception):
            raise RuntimeError(f"zeep cannot load the WSDL of {svc}: {type(got).__name__}: {got}")
        return got

    def schema(self, svc: str) -> etree.XMLSchema:
        if svc not in self.schemas:
            info = self.m["services"][svc]
            try:
                self.schemas[svc] = etree.XMLSchema(
                    etree.parse(C.write_schema_set(info["wsdl"], info["xsd_dir"]))
                )
            except Exception as exc:
                self.schemas[svc] = exc
        got = self.schemas[svc]
        if isinstance(got, Exception):
            raise RuntimeError(
                f"the WSDL schema of {svc} does not compile: {type(got).__name__}: {got}"
            )
        return got

    def run(self) -> dict[str, Any]:
        ops: dict[str, dict[str, Any]] = {}
        keys = sorted({(s, o) for s, o, _ in self.rec.records})
        for svc, op in keys:
            out: dict[str, Any] = {}
            for kind in ("request", "response", "deviations"):
                r = self.rec.records.get((svc, op, kind))
                if r is not None:
                    out[kind] = {
                        "outcome": r.outcome,
                        "message": r.message[:2000],
                        "where": _where(r.longrepr),
                        "longrepr": r.longrepr[-3000:] if r.outcome != "passed" else "",
                    }
                    if kind == "response":
                        out[kind]["parse_ok"] = bool(r.parsed) and not r.parse_errors
                        out[kind]["parse_errors"] = r.parse_errors[:3]
            for name, fn in (
                ("request_diff", self.request_diff),
                ("schema", self.request_schema),
                ("zeep_request", self.zeep_request),
                ("zeep_response", self.zeep_response),
                ("response_schema", self.response_schema),
                ("doc_schema", self.doc_schema),
            ):
                try:
                    out[name] = fn(svc, op)
                except Exception as exc:  # a check that cannot run is a failure with its traceback
                    out[name] = {
                        "ok": False,
                        "crash": f"{type(exc).__name__}: {exc}",
                        "traceback": traceback.format_exc()[-2000:],
                    }
            ops[f"{svc}/{op}"] = out
        return {"ops": ops}

    def _rec(self, svc: str, op: str, kind: str) -> Record | None:
        return self.rec.records.get((svc, op, kind))

    # (a) evidence for a request that differs from the normalized sample
    def request_diff(self, svc: str, op: str) -> dict[str, Any]:
        r = self._rec(svc, op, "request")
        if r is None or r.outcome == "passed":
            return {"ok": True}
        if not r.envelopes or not r.normalized:
            return {
                "ok": False,
                "diffs": [],
                "note": "no envelope recorded (the call failed before sending)",
            }
        return {"ok": False, "diffs": C.xml_diffs(r.envelopes[0], r.normalized[0])}

    # (b) the request against the WSDL's schema
    def request_schema(self, svc: str, op: str) -> dict[str, Any]:
        r = self._rec(svc, op, "request")
        if r is None or not r.envelopes:
            return {"ok": None, "note": "no request envelope recorded"}
        errors = C.validate(self.schema(svc), r.envelopes[0])
        return {
            "ok": not errors,
            "errors": [e.as_dict() for e in errors[:20]],
            "envelope": r.envelopes[0].decode("utf-8", "replace")[:20000] if errors else "",
        }

    # the normalized response sample (what the replay transport serves) against the schema
    def response_schema(self, svc: str, op: str) -> dict[str, Any]:
        r = self._rec(svc, op, "response")
        if r is None or not r.replies:
            return {"ok": None, "note": "no reply recorded"}
        errors = C.validate(self.schema(svc), r.replies[0])
        return {"ok": not errors, "errors": [e.as_dict() for e in errors[:20]]}

    # the raw doc samples against the schema (informational: where the docs contradict the WSDL)
    def doc_schema(self, svc: str, op: str) -> dict[str, Any]:
        info = self.m["ops"].get(f"{svc}/{op}")
        if info is None:
            return {"ok": None, "note": "operation not in the manifest"}
        found: dict[str, Any] = {}
        for kind in ("request", "response"):
            path = info.get(f"doc_{kind}")
            if not path or not os.path.exists(path):
                continue
            with open(path, "rb") as fh:
                data = fh.read()
            first = info.get(f"{kind}_line") or 1
            errors = C.validate(self.schema(svc), data, layout=True)
            found[kind] = [
                dict(e.as_dict(), page_line=first + e.line - 1 if e.line else 0)
                for e in errors[:500]
            ]
        return {"ok": not any(found.values()), "errors": found}

    def _zop(self, svc: str, name: str) -> Any:
        return C.zeep_operation(self.client(svc), name)

    # (d) zeep reads the generated request back to the values the client was called with
    def zeep_request(self, svc: str, op: str) -> dict[str, Any]:
        r = self._rec(svc, op, "request")
        if r is None or not r.envelopes or not r.args or not r.calls:
            return {"ok": None, "note": "no request recorded"}
        call = r.calls[0]
        client = self.client(svc)
        diffs: list[dict[str, str]] = []
        zop = self._zop(svc, call["operation"])
        if (zop.soapaction or "") != call["action"]:
            diffs.append(
                {
                    "path": "SOAPAction",
                    "zeep": repr(zop.soapaction),
                    "client": repr(call["action"]),
                    "why": "SOAPAction differs",
                }
            )
        headers, body = C.envelope_elements(r.envelopes[0])
        root = etree.fromstring(r.envelopes[0])
        zver = "1.2" if "Soap12" in type(zop.binding).__name__ else "1.1"
        if etree.QName(root).namespace != C.SOAP_NS[zver]:
            diffs.append(
                {
                    "path": "Envelope",
                    "zeep": C.SOAP_NS[zver],
                    "client": str(etree.QName(root).namespace),
                    "why": "SOAP version differs",
                }
            )
        want = [zop.input.body.qname] if zop.input.body is not None else []
        if body is None or [body.tag] != [str(q) for q in want]:
            diffs.append(
                {
                    "path": "Body",
                    "zeep": repr([str(q) for q in want]),
                    "client": repr(None if body is None else body.tag),
                    "why": "wrapper element differs",
                }
            )
            return {"ok": False, "diffs": diffs}
        C.ZEEP_LOG.messages.clear()
        decl, zv = C.zeep_parse(client, body)
        cmp = C.compare_wrapper(client.wsdl.types, decl, zv, list(r.args[0]))
        diffs += [d.as_dict() for d in cmp.diffs]
        # headers: each one sent must be declared for the operation and read back to the client's value
        declared = (
            {str(e.qname): e for _, e in zop.input.header.type.elements}
            if zop.input.header is not None
            else {}
        )
        cl = call["client"]
        attrs = {C._loose(k): v for k, v in cl._header_values.values.items()}
        for h in headers:
            local = etree.QName(h).localname
            if h.tag not in declared:
                diffs.append(
                    {
                        "path": f"Header/{local}",
                        "zeep": repr(sorted(declared)),
                        "client": h.tag,
                        "why": "header not declared for the operation",
                    }
                )
                continue
            hdecl, hv = C.zeep_parse(client, h)
            if C._loose(local) not in attrs:
                diffs.append(
                    {
                        "path": f"Header/{local}",
                        "zeep": C._short(hv),
                        "client": "(no client attribute)",
                        "why": "header without a client attribute",
                    }
                )
                continue
            hc = C.Comparer(client.wsdl.types)
            hc.element(f"Header/{local}", hdecl, hv, attrs[C._loose(local)])
            diffs += [d.as_dict() for d in hc.diffs]
        for msg in C.ZEEP_LOG.messages:
            diffs.append(
                {
                    "path": "(zeep)",
                    "zeep": msg[:300],
                    "client": "",
                    "why": "zeep could not convert a value",
                }
            )
        return {"ok": not diffs, "diffs": diffs[:30], "uncomparable": cmp.uncomparable[:10]}

    # (d) zeep reads the response sample, serializes it again; the client parses zeep's output
    def zeep_response(self, svc: str, op: str) -> dict[str, Any]:
        r = self._rec(svc, op, "response")
        if r is None or not r.replies or not r.calls:
            return {"ok": None, "note": "no response recorded"}
        call = r.calls[0]
        client = self.client(svc)
        zop = self._zop(svc, call["operation"])
        zver = "1.2" if "Soap12" in type(zop.binding).__name__ else "1.1"
        _, body = C.envelope_elements(r.replies[0])
        if body is None:
            return {
                "ok": False,
                "diffs": [
                    {
                        "path": "Body",
                        "zeep": "",
                        "client": "",
                        "why": "the sample response has an empty Body",
                    }
                ],
            }
        C.ZEEP_LOG.messages.clear()
        decl, zv = C.zeep_parse(client, body)
        read_errors = list(C.ZEEP_LOG.messages)
        try:
            rendered = C.zeep_render(decl, zv, zver)
        except Exception as exc:
            return {
                "ok": False,
                "diffs": [
                    {
                        "path": "(zeep render)",
                        "zeep": f"{type(exc).__name__}: {exc}"[:300],
                        "client": "",
                        "why": "zeep cannot serialize its own reading of the sample",
                    }
                ],
            }
        mod = importlib.import_module(f"{self.rec.package}.{svc}")
        operation = getattr(mod, f"_OP_{op}")

        def parse(env: Any) -> Any:
            return self.rec.op_reply(operation, env)

        diffs: list[dict[str, str]] = [
            {
                "path": "(zeep)",
                "zeep": m[:300],
                "client": "",
                "why": "zeep could not convert a value",
            }
            for m in read_errors
        ]
        try:
            env = self.rec.read_reply(
                self.rec.SoapReply(200, rendered, "text/xml; charset=utf-8"), zver
            )
            result = parse(env)
        except Exception as exc:
            diffs.append(
                {
                    "path": "(client parse)",
                    "zeep": "",
                    "client": f"{type(exc).__name__}: {exc}"[:500],
                    "why": "the client cannot parse zeep's serialization",
                }
            )
            return {
                "ok": False,
                "parsed": False,
                "diffs": diffs,
                "rendered": rendered.decode("utf-8", "replace")[:20000],
            }
        els = list(decl.type.elements) if C._is_complex(decl.type) else []
        if not els:
            if result is not None:
                diffs.append(
                    {
                        "path": decl.qname.localname,
                        "zeep": "(no children)",
                        "client": C._short(result),
                        "why": "client returns a value for an empty wrapper",
                    }
                )
            return {"ok": not diffs, "parsed": True, "diffs": diffs}
        values = (
            [result]
            if len(els) == 1
            else (C.client_fields(result) if dataclasses.is_dataclass(result) else [result])
        )
        cmp = C.compare_wrapper(client.wsdl.types, decl, zv, values)
        diffs += [d.as_dict() for d in cmp.diffs]
        # the client's own parse of the sample must read the same as zeep's reading of it
        if r.parsed:
            first = r.parsed[0]
            v0 = (
                [first]
                if len(els) == 1
                else (C.client_fields(first) if dataclasses.is_dataclass(first) else [first])
            )
            c0 = C.compare_wrapper(client.wsdl.types, decl, zv, v0)
            diffs += [
                dict(d.as_dict(), why="sample: " + d.why)
                for d in c0.diffs
                if d.as_dict() not in [x for x in diffs]
            ]
        return {
            "ok": not diffs,
            "parsed": True,
            "diffs": diffs[:30],
            "uncomparable": cmp.uncomparable[:10],
            "rendered": rendered.decode("utf-8", "replace")[:20000] if diffs else "",
        }


def _where(longrepr: str) -> str:
    """The failing source line and its file:line from a pytest long representation."""
    if not longrepr:
        return ""
    lines = longrepr.splitlines()
    src = [ln for ln in lines if ln.startswith(">")]
    locs = [ln for ln in lines if re.match(r"^\S+\.py:\d+: ", ln)]
    return " | ".join(
        x for x in ((locs[-1] if locs else ""), (src[-1][1:].strip() if src else "")) if x
    )[:400]


_RECORDER: Recorder | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _RECORDER
    manifest_path = os.environ.get("CONFORMANCE_MANIFEST")
    out = os.environ.get("CONFORMANCE_OUT")
    if not manifest_path or not out:
        return
    with open(manifest_path, encoding="utf-8") as fh:
        manifest = json.load(fh)
    _RECORDER = Recorder(manifest, out)
    _RECORDER.patch_runtime()
    config.pluginmanager.register(_RECORDER, "conformance-recorder")
