"""The project carries its own docs: nothing cites the unshipped THEORY notes, every "docs/theory.md §N" exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [p for p in [*ROOT.joinpath("exactrelu").rglob("*.py"), *ROOT.joinpath("benchmarks").glob("*.py"),
                       *ROOT.joinpath("benchmarks").glob("*.md"), *ROOT.joinpath("docs").glob("*.md"),
                       ROOT / "README.md"] if p.name != "theory.md"]


def test_nothing_cites_the_unshipped_theory_notes_or_seed_files():
    bad = [f"{p.relative_to(ROOT)}:{n}" for p in SOURCES
           for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
           if "THEORY.md" in line or re.search(r"\bseed 00\d\b", line)]
    assert not bad, bad


def test_every_cited_section_of_docs_theory_exists():
    theory = ROOT.joinpath("docs", "theory.md").read_text(encoding="utf-8")
    sections = set(re.findall(r"^## §(\d+)", theory, flags=re.M))
    cited = {m for p in SOURCES for m in re.findall(r"docs/theory\.md,? (?:sections? )?§(\d+)", p.read_text(encoding="utf-8"))}
    assert sections >= {str(i) for i in range(8)}
    assert cited and cited <= sections, cited - sections


def test_the_docs_the_readme_links_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(((?:docs|benchmarks)/[^)#]+)\)", readme)
    assert links and all((ROOT / link).exists() for link in links), [l for l in links if not (ROOT / l).exists()]
