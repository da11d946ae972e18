"""The README stays true: its Python blocks run, its commands exist, CI runs its test command."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_readme_opens_with_exactly_two_commands():
    first = re.search(r"```sh\n(.*?)```", README, flags=re.S)
    assert first is not None and README.index("```sh") < README.index("## ")
    lines = [line for line in first.group(1).splitlines() if line.strip()]
    assert len(lines) == 2
    assert lines[0].endswith("exactrelu verify")
    assert "'.[test]'" in lines[1] and "pytest" in lines[1]


def test_ci_runs_the_readme_test_command():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "sed -n 2p" in script and "README.md" in script and 'bash -c "$cmd"' in script


def needed_extras(block: str) -> list[str]:
    """A block whose first line is ``# needs: torch onnx`` runs only with those extras (CI's extras stage)."""
    first = block.splitlines()[0] if block else ""
    return first.split(":", 1)[1].split() if first.startswith("# needs:") else []


@pytest.mark.parametrize("index", range(len(code_blocks("python"))))
def test_python_blocks_run(index, tmp_path, monkeypatch):
    from _extras import require

    block = code_blocks("python")[index]
    for name in needed_extras(block):
        require(name)  # skips without the extra; fails in CI's extras stage (EXACTRELU_REQUIRE_EXTRAS=1)
    monkeypatch.chdir(tmp_path)  # blocks may write files (witness.json)
    namespace: dict = {"__name__": "readme_block"}
    exec(compile(block, f"README block {index}", "exec"), namespace)
    for name, value in namespace.items():  # property tests defined in a block are run too
        if name.startswith("test_") and callable(value):
            value()


def test_tour_values_are_the_ones_the_comments_state():
    namespace: dict = {}
    exec(compile(code_blocks("python")[0], "README tour", "exec"), namespace)
    assert namespace["net"]("-3/4") == Fraction(3, 4)
    assert namespace["trace"].pieces == 2**20 == namespace["trace"].activation_regions
    assert namespace["report"].holds
    f = namespace["f"]
    assert (f - Fraction(1, 2)).abs().integral(0, 1) == Fraction(1, 4)


def test_every_command_in_the_readme_exists():
    from exactrelu.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    shell = "\n".join(code_blocks("sh"))
    mentioned = set(re.findall(r"^exactrelu (\w+)", shell, flags=re.M))
    assert mentioned and mentioned <= set(sub.choices), mentioned - set(sub.choices)
