"""Warm runs reuse earlier reads and renders; what they produce must not depend on that.

A warm run (pages and agents from the read and render caches, one page changed) must write
the very bytes a cold run of the changed specs writes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from soapgen.config.project import load
from soapgen.core import store
from soapgen.pipeline.result import Result
from soapgen.pipeline.run import generate

ROOT = Path(__file__).resolve().parents[1]


def _project(tmp: Path) -> Path:
    shutil.copytree(
        ROOT / "specs" / "superoffice" / "Services88", tmp / "specs" / "superoffice" / "Services88"
    )
    return tmp


def _generate(project: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    monkeypatch.setattr(store, "CACHE_DIR", str(cache))
    config = load(
        str(ROOT / "pyproject.toml"),
        {"specs": str(project / "specs"), "output": str(project / "out")},
    )
    result = generate(config)
    assert not result.diags.has_errors
    return result


def _share_black_cache(src: Path, dst: Path) -> None:
    """Only black's pieces (content-addressed, checked elsewhere): reads and renders start empty."""
    dst.mkdir(parents=True)
    for db in src.glob("black-*.sqlite"):
        shutil.copy(db, dst / db.name)


def test_a_warm_run_writes_what_a_cold_run_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path / "p")
    cache = tmp_path / "cache"
    cold = _generate(project, cache, monkeypatch)
    assert cold.cache_hits == {"reads": 0, "renders": 0}

    # unchanged: everything comes from the caches, byte for byte
    again = _generate(project, cache, monkeypatch)
    assert again.cache_hits["reads"] == len([f for f in cold.inputs if f.endswith(".md")])
    assert again.cache_hits["renders"] > 0
    assert again.files == cold.files
    assert sorted(map(str, again.diags.items)) == sorted(map(str, cold.diags.items))

    # one operation's description and one response sample value change
    page = project / "specs" / "superoffice" / "Services88" / "Ticket" / "GetTicketEntity.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(
        text.replace("\n## ", "\nA sentence added for the warm run.\n\n## ", 1), encoding="utf-8"
    )
    sample = (
        project / "specs" / "superoffice" / "Services88" / "Ticket" / "GetTicketMessageEntity.md"
    )
    sample_text = sample.read_text(encoding="utf-8")
    value = '<Ticket:TicketId xsi:type="xsd:int">0</Ticket:TicketId>'
    assert value in sample_text
    sample.write_text(sample_text.replace(value, value.replace(">0<", ">42<")), encoding="utf-8")

    warm = _generate(project, cache, monkeypatch)
    assert 0 < warm.cache_hits["reads"] < again.cache_hits["reads"]
    assert 0 < warm.cache_hits["renders"] < again.cache_hits["renders"]

    fresh_cache = tmp_path / "fresh"
    _share_black_cache(cache, fresh_cache)
    fresh = _generate(project, fresh_cache, monkeypatch)
    assert fresh.cache_hits == {"reads": 0, "renders": 0}
    assert warm.files == fresh.files
    assert warm.files != cold.files
    assert sorted(map(str, warm.diags.items)) == sorted(map(str, fresh.diags.items))


@pytest.mark.parametrize(
    ("wsdl", "imports"),
    [
        ('<xs:import namespace="urn:x"/><soap:address location="http://x"/>', False),
        ('<xs:import namespace="urn:x" schemaLocation="types.xsd"/>', True),
        ('<xsd:include schemaLocation="more.xsd"/>', True),
        ('<wsdl:import namespace="urn:x" location="other.wsdl"/>', True),
    ],
)
def test_pages_whose_wsdl_imports_files_are_not_cached(wsdl: str, imports: bool) -> None:
    # their read depends on the imported files too, which the cache key does not cover
    from soapgen.read.load import _imports_files
    from soapgen.read.sources.superoffice import Fence, WsdlPage

    page = WsdlPage(
        "p.md", "Services88", "Agent", "t", Fence(f"<definitions>{wsdl}</definitions>", 1)
    )
    assert _imports_files(page) is imports
