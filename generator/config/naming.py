"""Wire names -> Python names, in one place.

snake_case for modules, methods, fields and parameters; PascalCase for classes; UPPER_SNAKE for
enum members. Keywords, soft keywords and names the generated code reserves get a trailing
underscore; anything that is not an identifier is made one; names that collide after
normalization get a numeric suffix and a warning. Wire names are always kept beside.
"""

from __future__ import annotations

import builtins
import functools
import keyword
import re
import unicodedata
from typing import TypeVar

from ..core import ir
from ..core.diagnostics import Collector

# Names the generated code uses unqualified, which a wire name must not take over.
# Class bodies (dataclass fields, client methods) see builtins in annotations and defaults
# (``list[int]``, ``default_factory=list``, ``frozenset()``): a member named ``str`` or ``list``
# would shadow them for every later member.
CLASS_BODY_BUILTINS = frozenset(
    {"str", "int", "float", "bool", "bytes", "list", "dict", "tuple", "frozenset"}
)
# fields, parameters, header and shortcut arguments; the client constructors take these too
RESERVED_FIELDS = (
    frozenset({"nil_fields", "self", "cls", "base_url", "transport", "timeout"})
    | CLASS_BODY_BUILTINS
)
# module-level names of the generated modules (agent, package, tests) and runtime names
RESERVED_CLASSES = frozenset(
    {
        "None",
        "True",
        "False",
        "Any",
        "Optional",
        "SoapFault",
        "SoapError",
        "ENDPOINT",
        "SOAP_VERSION",
        "VERSION",
        "FIXTURES",
        "FIX",
        "CASES",
    }
)
# attributes and methods of a generated client besides its operations
RESERVED_METHODS = frozenset(
    {"close", "aclose", "url", "transport", "soap_version", "headers", "last_response_headers"}
)
# a version package's own modules, and the facade's methods (agents are facade attributes)
RESERVED_MODULES = frozenset({"types", "testing", "tests", "fixtures", "close", "aclose"})

_BOUNDARY_1 = re.compile(r"([A-Z]+)([A-Z][a-z])")
_BOUNDARY_2 = re.compile(r"([a-z\d])([A-Z])")
_NON_IDENT = re.compile(r"\W+")
# an acronym (a run of two or more capitals) and the lowercase letters right after it
_ACRONYM = re.compile(r"(?<![A-Z])([A-Z]{2,})([a-z]+)(\d?)")
# well-known acronyms that may be followed by a lowercase word (DNSname: dns_name), the way
# inflection libraries register acronyms; an acronym that is a known one plus a letter
# (HTTPServer: HTTPS is known, HTTP too) keeps the usual split before that letter
ACRONYMS = frozenset(
    "API CSV DHCP DNS FTP GPS GUID HTML HTTP HTTPS ID IMAP IP JSON MAC NTP ONVIF PDF POP PTZ"
    " RTP RTSP SMS SMTP SNMP SOAP SQL SSL TCP TLS UDP URI URL UTC UUID WSDL XML".split()
)
_VOWELS = frozenset("aeiouy")
# two consonants that begin English words (a capitalised word after an acronym starts so)
_ONSETS = frozenset(
    "bl br ch cl cr dr dw fl fr gh gl gn gr kl kn kr ph pl pr ps sc sh sk sl sm sn sp st sv sw"
    " th tr tw vl wh wr".split()
)


def _acronym_words(m: re.Match[str]) -> str:
    """Where a run of capitals followed by lowercase letters splits into words. The usual
    rule (HTTPServer: http_server) splits before the run's last capital; an acronym keeps its
    capitals instead when the lowercase letters are its plural s (getIDs: get_ids), its version
    (IPv4Address: ipv4_address), follow a well-known acronym (DNSname: dns_name), or when the
    usual split would begin a word with two consonants no English word begins with while the
    letters begin one (NDFDgen: ndfd_gen; XMLHttpRequest keeps xml_http_request)."""
    run, lower, digit = m.group(1), m.group(2), m.group(3)
    if lower == "s" and not digit:  # IDs, URLs
        return run + "S"
    if len(lower) == 1 and digit:  # IPv4, SNMPv3
        return run + lower.upper() + digit
    if run in ACRONYMS and run[:-1] not in ACRONYMS:
        return f"{run}_{lower}{digit}"
    last, first = run[-1].lower(), lower[0]
    usual_onset = last in _VOWELS or first in _VOWELS or last + first in _ONSETS
    if not usual_onset and len(lower) > 1 and lower[1] in _VOWELS:
        return f"{run}_{lower}{digit}"
    return m.group(0)


def _ascii_word(name: str) -> str:
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return _NON_IDENT.sub("_", name).strip("_")


@functools.lru_cache(maxsize=65536)  # pure; a corpus names the same wire names thousands of times
def snake(name: str) -> str:
    word = _ascii_word(name)
    word = _ACRONYM.sub(_acronym_words, word)
    word = _BOUNDARY_1.sub(r"\1_\2", word)
    word = _BOUNDARY_2.sub(r"\1_\2", word)
    word = re.sub(r"_+", "_", word).lower()
    if not word:
        word = "value"
    if word[0].isdigit():
        word = "n" + word
    return word


@functools.lru_cache(maxsize=65536)
def identifier(name: str, reserved: frozenset[str] = RESERVED_FIELDS) -> str:
    """A snake_case identifier safe as an attribute, parameter or module name."""
    word = snake(name)
    if keyword.iskeyword(word) or keyword.issoftkeyword(word) or word in reserved:
        word += "_"
    return word


@functools.lru_cache(maxsize=65536)
def pascal(name: str) -> str:
    word = _ascii_word(name)
    parts = [p for p in word.split("_") if p]
    word = "".join(p[:1].upper() + p[1:] for p in parts) or "Type"
    if word[0].isdigit():
        word = "T" + word
    if keyword.iskeyword(word) or word in RESERVED_CLASSES:
        word += "_"
    return word


def upper(name: str) -> str:
    word = snake(name).upper()
    if word.startswith("N") and name[:1].isdigit():
        word = "V" + word[1:]
    if word.startswith("_"):
        word = "V" + word
    return word


class Unique:
    """Hands out unique names within one scope; warns when a name had to change."""

    def __init__(self, diags: Collector | None = None, taken: frozenset[str] = frozenset()) -> None:
        self.used: dict[str, str] = {n: "(reserved)" for n in taken}
        self.diags = diags

    def take(self, wanted: str, wire: str, loc: ir.Loc | None = None) -> str:
        name = wanted
        n = 2
        while name in self.used:
            name = f"{wanted}{n}" if not wanted.endswith("_") else f"{wanted}{n}"
            n += 1
        if name != wanted and self.diags is not None and loc is not None:
            clash = self.used[wanted]
            why = (
                f"{wire!r} becomes {wanted!r}, which the generated code uses itself"
                if clash == "(reserved)"
                else f"{wire!r} and {clash!r} both become {wanted!r}"
            )
            self.diags.warning("NAME001", loc.file, loc.line, f"{why}; {wire!r} is named {name!r}")
        self.used[name] = wire
        return name


# parameters are local variables of generated functions, which call these builtins
PARAM_RESERVED = RESERVED_FIELDS | frozenset(n for n in dir(builtins) if not n.startswith("_"))


_T = TypeVar("_T")


def _replace(obj: _T, **changes: object) -> _T:
    """dataclasses.replace for the frozen IR (no __post_init__), without calling __init__:
    naming copies every field, operation and type of a version, and replace() was a third of
    a warm run."""
    fields = obj.__dataclass_fields__  # type: ignore[attr-defined]
    if not fields.keys() >= changes.keys():
        raise TypeError(
            f"{type(obj).__name__} has no field {sorted(changes.keys() - fields.keys())}"
        )
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    new.__dict__.update(changes)
    return new


def name_fields(
    fields: tuple[ir.Field, ...],
    loc: ir.Loc,
    diags: Collector,
    reserved: frozenset[str] = RESERVED_FIELDS,
) -> tuple[ir.Field, ...]:
    scope = Unique(diags)
    return tuple(
        _replace(f, py_name=scope.take(identifier(f.name, reserved), f.name, loc)) for f in fields
    )


def reserved_classes(version: ir.Version, facade: str, error_class: str) -> frozenset[str]:
    """Class names a version's generated code takes itself: the facade, the error class, the
    clients and fault classes, and the names every agent module declares."""
    return (
        frozenset({facade, "Async" + facade, error_class})
        | frozenset({"ResponseHeaders"})
        | frozenset(
            f"{'Async' if a else ''}{pascal(s.name)}{kind}"
            for s in version.services
            for a in (0, 1)
            for kind in ("Agent", "JsonAgent", "AgentBase")
        )
        | frozenset(
            pascal(f.name) + "Fault"
            for s in version.services
            for o in s.operations
            for f in o.faults
        )
    )


def name_version(
    version: ir.Version, diags: Collector, reserved_classes: frozenset[str]
) -> ir.Version:
    """Fill py_name on everything in a version. Class names are unique across the version."""
    all_types: dict[str, ir.TypeDef] = {}
    for svc in version.services:
        for t in svc.types:
            all_types.setdefault(t.name, t)
    class_scope = Unique(diags, reserved_classes | _result_classes(version, diags))
    class_names: dict[str, str] = {}
    for name in sorted(all_types):
        t = all_types[name]
        class_names[name] = class_scope.take(pascal(ir.local_name(name)), name, t.loc)

    module_scope = Unique(diags, RESERVED_MODULES)
    services = []
    for svc in version.services:
        types_out = tuple(_name_type(t, class_names[t.name], diags) for t in svc.types)
        op_scope = Unique(diags, RESERVED_METHODS | _client_attributes(svc))
        ops = tuple(
            _replace(
                op, py_name=op_scope.take(identifier(op.name), op.name, op.loc or svc.wsdl_loc)
            )
            for op in svc.operations
        )
        services.append(
            _replace(
                svc,
                types=types_out,
                operations=ops,
                py_name=module_scope.take(
                    identifier(svc.name, frozenset()), svc.name, svc.wsdl_loc
                ),
            )
        )
    return _replace(version, services=tuple(services), py_name=identifier(version.name))


def _client_attributes(svc: ir.Service) -> frozenset[str]:
    """The attributes a client sets from its input headers: one per header part, and a shortcut
    per single-field header type (``ticket=`` for Credentials.Ticket). Operations must not take them.
    """
    elements = {e.name: e for e in svc.elements}
    types = {t.name: t for t in svc.types}
    names: set[str] = set()
    for op in svc.operations:
        for h in op.input_headers:
            names.add(identifier(h.part))
            el = elements.get(h.element)
            type_name = h.type or (el.type if el is not None else "")
            t = types.get(type_name)
            if isinstance(t, ir.ComplexType) and len(t.fields) == 1 and not t.base:
                names.add(identifier(t.fields[0].name))
    return frozenset(names)


def _result_classes(version: ir.Version, diags: Collector) -> frozenset[str]:
    """``<Operation>Result``: the class an operation returning several values gets.

    Two operations whose names differ only in case or punctuation would get one class; that is an
    error (NAME002), the generated module could not tell their results apart."""
    names: dict[str, ir.Operation] = {}
    for svc in version.services:
        elements = {e.name: e for e in svc.elements}
        types = {t.name: t for t in svc.types}
        for op in svc.operations:
            el = elements.get(op.output_element or "")
            t = types.get(el.type) if el is not None else None
            count = 0
            attributes = False
            seen: set[str] = set()
            while isinstance(t, ir.ComplexType) and t.name not in seen:
                seen.add(t.name)
                count += len(t.fields)
                attributes = attributes or any(f.attribute for f in t.fields)
                t = types.get(t.base) if t.base else None
            if count < 2 and not attributes:
                continue
            cls = pascal(op.name) + "Result"
            other = names.get(cls)
            if other is not None and other.name != op.name and other in svc.operations:
                loc = op.loc or svc.wsdl_loc
                diags.error(
                    "NAME002",
                    loc.file,
                    loc.line,
                    f"operations {other.name!r} and {op.name!r} would both return a class {cls!r}; rename one",
                )
            names.setdefault(cls, op)
    return frozenset(names)


def _name_type(t: ir.TypeDef, py_name: str, diags: Collector) -> ir.TypeDef:
    if isinstance(t, ir.ComplexType):
        return _replace(t, py_name=py_name, fields=name_fields(t.fields, t.loc, diags))
    if isinstance(t, ir.EnumType):
        scope = Unique(diags)
        values = tuple(
            _replace(v, py_name=scope.take(upper(v.wire), v.wire, t.loc)) for v in t.values
        )
        return _replace(t, py_name=py_name, values=values)
    return _replace(t, py_name=py_name)
