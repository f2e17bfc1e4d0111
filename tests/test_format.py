"""The formatter: black on pieces of a module must give what black gives for the whole module.

generator/format/formatter.py cuts each module at its top-level definitions (generator/format/chunks.py), lays
out long lines ahead of black (generator/render/prefit.py) and caches formatted pieces. None of that
may change the output: every module in generated/ is black-stable, each piece and the whole,
and prefit never changes what black makes of a module.
"""

from __future__ import annotations

import ast
import sqlite3
from pathlib import Path

import black
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from soapgen.core import store
from soapgen.core.diagnostics import Collector
from soapgen.format import formatter as fmt
from soapgen.format.chunks import join_chunks, split_chunks
from soapgen.plan.text import bytes_literal, lit, py_literal
from soapgen.render.prefit import prefit, strip_parens

ROOT = Path(__file__).resolve().parents[1]
GENERATED = ROOT / "generated"
MODE = fmt.MODE


def _black(text: str) -> str:
    return black.format_str(text, mode=MODE)


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(store, "CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _modules() -> list[Path]:
    return sorted(GENERATED.rglob("*.py"))


def test_generated_modules_are_black_formatted_whole_and_in_pieces() -> None:
    modules = _modules()
    assert len(modules) > 20
    for path in modules:
        text = path.read_text(encoding="utf-8")
        assert _black(text) == text, f"{path} is not what black makes of it"
        pieces = split_chunks(text)
        assert (
            join_chunks([_black(p) for p in pieces]) == text
        ), f"{path}: pieces formatted alone differ"


def test_big_modules_are_cut_at_top_level_definitions() -> None:
    text = (GENERATED / "superoffice" / "services88" / "types.py").read_text(encoding="utf-8")
    pieces = split_chunks(text)
    assert len(pieces) > 100
    for piece in pieces[1:]:
        assert piece.startswith(("class ", "def ", "@", "#", "async def ")), piece[:60]
        ast.parse(piece)  # every piece stands alone


MODULE = '''"""Doc."""


X = 1


# a comment that belongs to f
@decorator
def f(a: int) -> int:
    return a


class C:
    """Text with
def not_a_cut():
    at column 0 inside a docstring.
    """

    y = 2


def g(): return {'a':1}
'''


def test_split_keeps_comments_and_decorators_with_their_definition() -> None:
    pieces = split_chunks(MODULE)
    assert pieces[1].startswith("# a comment that belongs to f\n@decorator\ndef f(")
    (klass,) = [p for p in pieces if p.startswith("class C:")]
    assert "def not_a_cut" in klass  # not after a blank line: no cut inside the docstring
    assert "".join(pieces).replace("\n", "") == MODULE.replace("\n", "")


def test_a_cut_inside_a_string_falls_back_to_the_whole_module(cache_dir: Path) -> None:
    # the docstring holds a column-0 "def" after a blank line: cutting there breaks both pieces
    text = 'def f():\n    """Doc\n\ndef inside():\n    """\n    return 1\n'
    assert len(split_chunks(text)) == 2
    out = fmt.format_sources({"m.py": text}, Collector())
    assert out["m.py"] == _black(text)


def test_formatting_equals_black_on_the_whole_module(cache_dir: Path) -> None:
    out = fmt.format_sources({"m.py": MODULE}, Collector())
    assert out["m.py"] == _black(MODULE)


def test_invalid_python_is_fmt001_not_a_crash(cache_dir: Path) -> None:
    diags = Collector()
    fmt.format_sources({"m.py": "def f(:\n    pass\n"}, diags)
    assert [d.code for d in diags.items] == ["FMT001"]


def test_pieces_are_cached_and_reused(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = fmt.format_sources({"m.py": MODULE}, Collector())
    calls: list[int] = []
    real = fmt._format_batch
    monkeypatch.setattr(fmt, "_format_batch", lambda texts: calls.append(len(texts)) or real(texts))
    assert fmt.format_sources({"m.py": MODULE}, Collector()) == first
    assert calls == []  # every piece came from the cache
    changed = MODULE.replace("return a", "return a + 1")
    assert fmt.format_sources({"m.py": changed}, Collector())["m.py"] == _black(changed)
    assert calls == [1]  # one piece changed, one piece formatted


def test_an_unusable_cache_is_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setattr(store, "CACHE_DIR", str(blocker / "cache"))
    assert fmt.format_sources({"m.py": MODULE}, Collector())["m.py"] == _black(MODULE)


def test_a_corrupt_cache_file_is_no_cache(cache_dir: Path) -> None:
    fmt.format_sources({"m.py": MODULE}, Collector())
    (db,) = cache_dir.glob("*.sqlite")
    db.write_bytes(b"not a database" * 100)
    assert fmt.format_sources({"m.py": MODULE}, Collector())["m.py"] == _black(MODULE)
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(db).execute("SELECT * FROM kv").fetchall()


def test_parallel_formatting_equals_serial(cache_dir: Path) -> None:
    # enough text to start worker processes
    text = (GENERATED / "superoffice" / "services88" / "types.py").read_text(encoding="utf-8")
    assert len(text) > fmt._PARALLEL_CHARS
    out = fmt.format_sources({"types.py": text}, Collector(), workers=2)
    assert out["types.py"] == text


# --- prefit: long lines laid out as black lays them out ------------------------------------

LONG = "x" * 70


@pytest.mark.parametrize(
    "line",
    [
        f'        _w(f"<n3:{LONG}>{{_rt.esc(_f_value)}}</n3:{LONG}>")',
        f'    _qname: _t.ClassVar[str] = "{{http://example.com/{LONG[:50]}}}Name"',
        f"    value: SomeEnumeration = SomeEnumerationWithALongName.{LONG[:45]}",
        f"            _f_items = [(None if _rt.is_nil(_i) else _r_{LONG[:30]}(_i)) for _i in _c]",
        f'            _f_map = {{(_p[0].text or ""): (None if _rt.is_nil(_p[1]) else _r_{LONG[:20]}(_p[1])) for _p in _c}}',
        f"        return self._call(_OP_{LONG[:35]}, _build_{LONG[:35]}(a))",
        f'    _f_flags = _rt.parse_flags(_c.text or "", _MEMBERS_{LONG[:30]}, {LONG[:20]}(0))',
        # black's right-hand split, again on the lines it makes (shapes of generated modules)
        f'V_{LONG[:20]} = Record(entity_name="", primary_key=0, column_data={{"": V_X}}, link_hint="", style_hint="")',
        f'V_{LONG[:20]} = Record(id=0, created=datetime.datetime(2025, 11, 26, 12, 6, 41, tzinfo=datetime.timezone.utc), name="{LONG[:40]}", items=[V_A, V_B])',
        f"def _build_{LONG[:30]}(gui_name: str | None, provider_name: str | None, context: str | None) -> str:",
        f"def _build_{LONG[:30]}(gui_name: str | None, provider_name: str | None, context: str | None, owner_keys: str | None) -> str:",
        f'    _w(_rt.str_element("n3:{LONG[:20]}", o.associate_full_name, "associate_full_name" in o.nil_fields))',
        f'    _rt.optional_child(_n3 + "Response", _rt.ArrayOf(_rt.nillable(_rt.record_of({LONG[:30]})), _n3 + "Info")),',
        f'    _rt.DictOf(_rt.scalar("string", str), _rt.nillable(_rt.scalar("string", str)), _n3 + "{LONG[:20]}", _n3 + "Key"),',
        f"    for path in [(0, 2, 0, 10, 0, 10, 0, 0), (0, 2, 0, 10, 0, 10, 0, 3), (0, 2, 0, 10, 0, 10, 0, 4), (0, 2, {LONG[:8]})]:",
        f'    _testing.Case("{LONG[:20]}", "{LONG[:20]}.md:24", lambda c: c.get_associate(0), V_ASSOCIATE_1),',
    ],
)
def test_prefit_splits_as_black_does(line: str) -> None:
    depth = (len(line) - len(line.lstrip(" "))) // 4
    text = (
        "".join("    " * d + ("def f():" if d == 0 else "if x:") + "\n" for d in range(depth))
        + line
        + "\n"
    )
    if line.startswith("def "):
        text += "    pass\n"
    elif line.endswith(":"):
        text += "    " * (depth + 1) + "pass\n"
    fitted = prefit(text)
    assert fitted != text  # the line was split here ...
    assert _black(fitted) == fitted == _black(text)  # ... exactly as black splits it


def test_prefit_never_touches_triple_quoted_strings() -> None:
    doc = "    " + "word(" + "y" * 120 + ")"
    text = f'def f():\n    """Doc.\n\n{doc}\n    """\n    return 1\n'
    assert prefit(text) == text


def test_strip_parens() -> None:
    assert strip_parens('(_c.text or "")') == '_c.text or ""'
    assert strip_parens("(a) + (b)") == "(a) + (b)"
    assert strip_parens('_rt.parse_int((_c.text or ""))') == '_rt.parse_int((_c.text or ""))'


@given(st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_lit_round_trips_and_is_black_stable(text: str) -> None:
    literal = lit(text)
    assert ast.literal_eval(literal) == text
    source = f"x = {literal}\n"
    assert _black(source) == source


@given(st.binary(max_size=30))
@settings(max_examples=200, deadline=None)
def test_bytes_literal_round_trips_and_is_black_stable(data: bytes) -> None:
    literal = bytes_literal(data)
    assert ast.literal_eval(literal) == data
    source = f"x = {literal}\n"
    assert _black(source) == source


def test_py_literal_round_trips_and_is_black_stable() -> None:
    value = [((0, 1, 2), "a'b"), ((3,), 'q"')]
    literal = py_literal(value)
    assert ast.literal_eval(literal) == value
    source = f"x = {literal}\n"
    assert _black(source) == source
