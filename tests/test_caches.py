"""The caches a warm run answers from, unit by unit: generator/read/cache.py (ReadCache,
RenderCache), generator/core/store.py (one SQLite key-value file) and generator/read/filehash.py
(sha256 by stat). Each is never the only copy of anything: a missing, unusable or corrupt
store is a miss, never an error.

The formatter's piece cache (tests/test_format.py), warm runs writing what cold runs write
(tests/test_warm_cache.py) and check answering by stat end to end (tests/test_hardening.py)
are tested there.
"""

from __future__ import annotations

import copy
import os
import pickle
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from soapgen.core import ir, store
from soapgen.read import filehash
from soapgen.read.cache import ReadCache, RenderCache
from soapgen.read.inputs import sha256


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(store, "CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


# --- store -----------------------------------------------------------------------------------


def test_store_round_trip_across_connections(cache_dir: Path) -> None:
    s = store.Store(str(cache_dir), "t.sqlite")
    s.put_many({"a": b"1", "b": "text"})
    s.put_many({"a": b"2"})  # a key written again holds the last value
    s.close()
    s = store.Store(str(cache_dir), "t.sqlite")
    assert s.get_many(["a", "b", "c"]) == {"a": b"2", "b": "text"}
    s.close()
    # closed: every call is a no-op, not an error
    s.put_many({"c": b"3"})
    assert s.get_many(["a"]) == {}


def test_store_reads_more_keys_than_one_select_takes(cache_dir: Path) -> None:
    s = store.Store(str(cache_dir), "t.sqlite")
    items = {f"k{i}": str(i) for i in range(3 * store._BATCH + 7)}
    s.put_many(items)
    assert s.get_many(sorted(items) + ["missing"]) == items
    s.close()


def test_a_store_that_cannot_be_made_is_empty(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    s = store.Store(str(blocker / "cache"), "t.sqlite")
    assert s.db is None
    s.put_many({"a": b"1"})
    assert s.get_many(["a"]) == {}
    s.close()


def test_a_corrupt_store_is_empty(cache_dir: Path) -> None:
    cache_dir.mkdir()
    (cache_dir / "t.sqlite").write_bytes(b"not a database" * 100)
    s = store.Store(str(cache_dir), "t.sqlite")
    s.put_many({"a": b"1"})
    assert s.get_many(["a"]) == {}
    s.close()


# --- ReadCache ----------------------------------------------------------------------------------


def test_read_keys_change_with_path_bytes_and_generator(cache_dir: Path) -> None:
    cache = ReadCache("gen1")
    key = cache.key("specs/a.md", b"data")
    assert key == ReadCache("gen1").key("specs/a.md", b"data")  # stable across instances
    assert (
        len(
            {
                key,
                cache.key("specs/b.md", b"data"),
                cache.key("specs/a.md", b"data!"),
                ReadCache("gen2").key("specs/a.md", b"data"),
                # the separators keep path and bytes apart
                cache.key("specs/a.m", b"d" + b"data"),
            }
        )
        == 5
    )
    cache.close()


def test_read_keys_include_the_parsers_versions(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.metadata

    before = ReadCache("gen").key("a.md", b"x")
    real = importlib.metadata.version
    monkeypatch.setattr(
        importlib.metadata,
        "version",
        lambda name: "0.0-other" if name == "lxml" else real(name),
    )
    assert ReadCache("gen").key("a.md", b"x") != before


def test_reads_are_stored_on_close_and_counted_as_hits(cache_dir: Path) -> None:
    cache = ReadCache("gen")
    page = ir.Service("Shop", "urn:shop")  # any picklable value
    cache.put("k1", page)
    assert cache.get_many(["k1"]) == {} and cache.hits == 0  # written on close
    cache.close()
    cache = ReadCache("gen")
    assert cache.get_many(["k1", "k2"]) == {"k1": page}
    assert cache.get_many(["k1"]) == {"k1": page}
    assert cache.hits == 2
    cache.close()


def test_an_entry_that_does_not_unpickle_is_a_miss(cache_dir: Path) -> None:
    cache = ReadCache("gen")
    cache.put("good", [1])
    cache.close()
    raw = store.Store(str(cache_dir), ReadCache.FILE)
    raw.put_many({"bad": b"\x80\x05not a pickle", "old": pickle.dumps(1)[:-1]})
    raw.close()
    cache = ReadCache("gen")
    assert cache.get_many(["bad", "old", "good"]) == {"good": [1]}
    assert cache.hits == 1
    cache.close()


def test_an_unpicklable_value_is_simply_not_cached(cache_dir: Path) -> None:
    cache = ReadCache("gen")
    cache.put("lambda", lambda: None)
    cache.put("ok", "x")
    assert sorted(cache.fresh) == ["ok"]
    cache.close()


def test_an_unusable_cache_folder_is_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setattr(store, "CACHE_DIR", str(blocker / "cache"))
    cache = ReadCache("gen")
    cache.put("k", "v")
    cache.close()
    again = ReadCache("gen")
    assert again.get_many(["k"]) == {} and again.hits == 0


def test_reads_and_renders_are_separate_files(cache_dir: Path) -> None:
    reads, renders = ReadCache("gen"), RenderCache("gen")
    reads.put("k", "read")
    renders.put("k", "render")
    reads.close()
    renders.close()
    assert ReadCache("gen").get_many(["k"]) == {"k": "read"}
    assert RenderCache("gen").get("k") == "render"
    assert sorted(p.name for p in cache_dir.glob("*.sqlite")) == [
        ReadCache.FILE,
        RenderCache.FILE,
    ]


# --- RenderCache --------------------------------------------------------------------------------


def test_render_digests_depend_on_every_part_and_the_salt(cache_dir: Path) -> None:
    cache = RenderCache("gen\0templates\0config")
    base = cache.digest("superoffice", ("a", 1), [ir.Field("A", "urn:x", "T")])
    assert base == cache.digest("superoffice", ("a", 1), [ir.Field("A", "urn:x", "T")])
    others = {
        cache.digest("superoffice", ("a", 2), [ir.Field("A", "urn:x", "T")]),
        cache.digest("superoffice", ("a", 1), [ir.Field("A", "urn:x", "T", nillable=True)]),
        cache.digest(("a", 1), "superoffice", [ir.Field("A", "urn:x", "T")]),  # order counts
        cache.digest("superoffice", ("a", 1)),
        RenderCache("gen\0templates\0other").digest(
            "superoffice", ("a", 1), [ir.Field("A", "urn:x", "T")]
        ),
    }
    assert base not in others and len(others) == 5
    # the parts are hashed one by one: how a value is cut into parts counts
    assert cache.digest("ab") != cache.digest("a", "b")


def test_render_digests_do_not_depend_on_shared_objects(cache_dir: Path) -> None:
    """A type read now and one from the read cache are equal, not the same object; pickle's
    memo would write a back-reference for the one and a copy for the other."""
    cache = RenderCache("gen")
    t = ir.ComplexType("{urn:x}T", (ir.Field("A", "urn:x", "{urn:x}U"),))
    assert pickle.dumps([t, t]) != pickle.dumps([t, copy.deepcopy(t)])  # what pickle does
    assert cache.digest([t, t]) == cache.digest([t, copy.deepcopy(t)])


def test_an_agents_key_leaves_its_types_to_the_version_key(cache_dir: Path) -> None:
    cache = RenderCache("gen")
    svc = ir.Service(
        "Shop",
        "urn:shop",
        operations=(ir.Operation("GetItem"),),
        types=(ir.ComplexType("{urn:shop}A"),),
    )
    key = cache.agent_key("v1", svc)
    assert cache.agent_key("v1", svc) == key
    # types and elements are in the version key already; what the agent itself says is here
    assert (
        RenderCache("gen").agent_key(
            "v1", ir.Service("Shop", "urn:shop", operations=(ir.Operation("GetItem"),))
        )
        == key
    )
    assert RenderCache("gen").agent_key("v2", svc) != key
    # the same agent in another version key, on the same cache: never the first key again
    assert cache.agent_key("v2", svc) == RenderCache("gen").agent_key("v2", svc)
    renamed = ir.Service("Shop", "urn:shop", operations=(ir.Operation("PutItem"),))
    assert cache.agent_key("v1", renamed) != key


def test_agent_keys_are_remembered_by_object_not_by_address(cache_dir: Path) -> None:
    cache = RenderCache("gen")
    first = cache.agent_key("v1", ir.Service("A", operations=(ir.Operation("X"),)))
    # services made and dropped one after the other (CPython may give them one address)
    keys = {
        cache.agent_key("v1", ir.Service("A", operations=(ir.Operation(f"Y{i}"),)))
        for i in range(50)
    }
    assert first not in keys and len(keys) == 50


def test_rendered_agents_are_found_again(cache_dir: Path) -> None:
    cache = RenderCache("gen")
    key = cache.digest(cache.agent_key("v1", ir.Service("A")), "agent")
    assert cache.get(key) is None
    cache.put(key, ("plan", {"a.py": "x = 1\n", "fixtures/a.xml": b"<a/>"}, []))
    cache.close()
    again = RenderCache("gen")
    assert again.get(key) == ("plan", {"a.py": "x = 1\n", "fixtures/a.xml": b"<a/>"}, [])
    assert again.hits == 1
    # another generator makes other keys for the same agent: it never sees this entry
    other = RenderCache("other generator")
    assert other.get(other.digest(other.agent_key("v1", ir.Service("A")), "agent")) is None


# --- FileHashes ---------------------------------------------------------------------------------


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file counts as settled as soon as it was written."""
    monkeypatch.setattr(filehash, "RACY_NS", 0)
    monkeypatch.setattr(filehash, "FINE_NS", 0)


def _file(folder: Path, name: str, data: bytes) -> str:
    path = folder / name
    path.write_bytes(data)
    time.sleep(0.001)  # past its ctime
    return str(path)


@pytest.mark.parametrize(
    ("mtime", "ctime", "settled_"),
    [
        (10**9 * 100, 10**9 * 100, False),  # whole seconds, 1 s ago: might change unseen
        (10**9 * 99 - 1, 10**9 * 99 - 1, True),  # fine timestamps, 1 s ago
        (10**9 * 98 - 1, 10**9 * 98 - 1, True),
        (10**9 * 98, 10**9 * 98, True),  # whole seconds, more than 2 s ago
        (10**9 * 101 - 50_000_000, 10**9 * 95, False),  # changed 50 ms ago
        (10**9 * 95, 10**9 * 101 - 50_000_000, False),  # the ctime tells
    ],
)
def test_a_hash_is_remembered_only_for_a_settled_file(
    mtime: int, ctime: int, settled_: bool
) -> None:
    now = 10**9 * 101
    st = SimpleNamespace(st_mtime_ns=mtime, st_ctime_ns=ctime)
    assert filehash._settled(st, now) is settled_  # type: ignore[arg-type]


def test_file_hashes_answer_by_stat_and_rehash_a_changed_file(
    cache_dir: Path, tmp_path: Path, settled: None
) -> None:
    path = _file(tmp_path, "a.md", b"one")
    hashes = filehash.FileHashes(str(tmp_path / "out"))
    assert hashes.input_sha(path) == sha256(b"one") and hashes.hashed == 1
    assert hashes.input_sha(path) == sha256(b"one") and hashes.hashed == 1  # by its stat
    Path(path).write_bytes(b"two!")
    assert hashes.input_sha(path) == sha256(b"two!") and hashes.hashed == 2
    assert hashes.output_sha(path) == sha256(b"two!")


def test_unreadable_files(cache_dir: Path, tmp_path: Path) -> None:
    hashes = filehash.FileHashes(str(tmp_path / "out"))
    assert hashes.input_sha(str(tmp_path / "missing.md")).startswith("unreadable:")
    assert hashes.output_sha(str(tmp_path / "missing.py")) is None
    assert hashes.output_sha(str(tmp_path)) is None  # a folder
    assert hashes.known == {}


def test_file_hashes_persist_per_output_folder(
    cache_dir: Path, tmp_path: Path, settled: None
) -> None:
    path = _file(tmp_path, "a.md", b"one")
    hashes = filehash.FileHashes(str(tmp_path / "out"))
    hashes.input_sha(path)
    hashes.save()
    assert not hashes.changed
    again = filehash.FileHashes(str(tmp_path / "out"))
    assert again.input_sha(path) == sha256(b"one") and again.hashed == 0
    # another project's table is its own
    other = filehash.FileHashes(str(tmp_path / "elsewhere"))
    assert other.known == {}
    other.input_sha(path)
    assert other.hashed == 1


def test_a_damaged_table_starts_afresh(cache_dir: Path, tmp_path: Path) -> None:
    hashes = filehash.FileHashes(str(tmp_path / "out"))
    raw = store.Store(str(cache_dir), filehash._FILE)
    raw.put_many({hashes.id: b"garbage"})
    raw.close()
    assert filehash.FileHashes(str(tmp_path / "out")).known == {}
    raw = store.Store(str(cache_dir), filehash._FILE)
    raw.put_many({hashes.id: pickle.dumps(["not", "a", "dict"])})
    raw.close()
    assert filehash.FileHashes(str(tmp_path / "out")).known == {}


def test_remember_written_only_what_was_not_touched_since(
    cache_dir: Path, tmp_path: Path, settled: None
) -> None:
    a = _file(tmp_path, "a.py", b"a")
    b = _file(tmp_path, "b.py", b"b")
    written = {p: (filehash.key_of(os.stat(p)), sha256(Path(p).read_bytes())) for p in (a, b)}
    Path(b).write_bytes(b"edited by hand")  # after generate wrote it
    hashes = filehash.FileHashes(str(tmp_path / "out"))
    hashes.remember_written(written)
    assert sorted(hashes.known) == [a]
    assert hashes.output_sha(b) == sha256(b"edited by hand")


def test_remember_only_files_settled_before_generate_read_them(
    cache_dir: Path, tmp_path: Path, settled: None
) -> None:
    path = _file(tmp_path, "a.md", b"x")
    hashes = filehash.FileHashes(str(tmp_path / "out"))
    hashes.remember({path: sha256(b"x")}, since_ns=0)  # generate started before the write
    assert hashes.known == {} and not hashes.changed
    hashes.remember({path: sha256(b"x"), str(tmp_path / "gone.md"): "x"}, time.time_ns())
    assert sorted(hashes.known) == [path] and hashes.changed


def test_forget_missing(cache_dir: Path, tmp_path: Path, settled: None) -> None:
    keep, drop = _file(tmp_path, "keep.md", b"k"), _file(tmp_path, "drop.md", b"d")
    hashes = filehash.FileHashes(str(tmp_path / "out"))
    hashes.input_sha(keep)
    hashes.input_sha(drop)
    hashes.save()
    hashes.forget_missing(lambda p: p == keep)
    assert sorted(hashes.known) == [keep] and hashes.changed


def test_stat_tree_skips_tool_caches_and_reports_folder_links(tmp_path: Path) -> None:
    root = tmp_path / "out"
    (root / "pkg" / "__pycache__").mkdir(parents=True)
    (root / "pkg" / "__pycache__" / "m.pyc").write_bytes(b"")
    (root / ".mypy_cache").mkdir()
    (root / ".mypy_cache" / "x.json").write_text("{}")
    (root / "pkg" / "m.py").write_text("x = 1\n")
    (root / "top.txt").write_text("t")
    (root / "link").symlink_to(root / "pkg", target_is_directory=True)
    found = filehash.stat_tree(str(root))
    assert sorted(found) == ["link", "pkg/m.py", "top.txt"]
    assert found["link"][1] is None  # a folder link is listed, never followed
    path, st = found["pkg/m.py"]
    assert path == str(root / "pkg" / "m.py") and st is not None and st.st_size == 6


def test_the_generator_hash_covers_every_module_of_every_stage() -> None:
    """Every cache, the reuse of unchanged versions and the manifest are keyed by the
    generator's hash: a module it leaves out could change the output unnoticed."""
    from soapgen.config.identity import hashed_files

    root = Path(__file__).resolve().parents[1]
    covered = {rel for rel, _ in hashed_files()}
    for path in sorted((root / "generator").rglob("*.py")):
        assert path.relative_to(root / "generator").as_posix() in covered
    for path in sorted((root / "templates").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.name != "README.md":
            if path == root / "templates" / "__init__.py":
                continue  # the package marker, not a template
            assert f"templates/{path.relative_to(root / 'templates').as_posix()}" in covered
    assert "read/sources/known/xml.xsd" in covered
