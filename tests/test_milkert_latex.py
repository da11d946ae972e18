"""``exactrelu eq5 --latex [--standalone]``: maths in maths mode, no escaped text, a document that compiles.

Milkert, Hyde, Laine (arXiv:2311.18022v2), docs/theory.md §4.  The structural
tests always run; the compile test runs pdflatex when it is installed (it is
not in CI; on the development machine ``apt-get install texlive-latex-base``).
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from exactrelu.cli import main
from exactrelu.report import CheckResult
from exactrelu.theorems import milkert as M
from exactrelu.theorems.milkert.results import mk, tex, tex_of, untex


def _run(capsys, *argv: str) -> tuple[int, str]:
    code = main(["eq5", *argv])
    return code, capsys.readouterr().out


def _text_outside_maths(doc: str) -> str:
    """The document with every ``$...$`` and ``\\[...\\]`` removed (after checking they pair)."""
    doc = re.sub(r"\\\$", "", doc)
    displays = re.findall(r"\\\[(.*?)\\\]", doc, flags=re.S)
    assert doc.count(r"\[") == doc.count(r"\]") == len(displays)
    doc = re.sub(r"\\\[(.*?)\\\]", " ", doc, flags=re.S)
    for line in doc.splitlines():
        assert line.count("$") % 2 == 0, line  # inline maths never spans lines
    return re.sub(r"\$[^$]*\$", " ", doc)


def _assert_balanced(doc: str) -> None:
    depth = 0
    for ch in re.sub(r"\\[{}]", "", doc):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0
    assert depth == 0
    stack = []
    for kind, name in re.findall(r"\\(begin|end)\{([^}]*)\}", doc):
        if kind == "begin":
            stack.append(name)
        else:
            assert stack and stack.pop() == name
    assert not stack


def _assert_clean_latex(doc: str) -> None:
    _assert_balanced(doc)
    assert r"\_" not in doc and r"\^{}" not in doc  # no maths escaped as text
    text = _text_outside_maths(doc)
    text = re.sub(r"\\(begin|end|item|subsection\*?|section\*?|textbf|texttt|detokenize|S|"
                  r"documentclass|usepackage|allowdisplaybreaks)(\[[^\]]*\])?", " ", text)
    for ch in "_^<>":
        assert ch not in text, (ch, [line for line in text.splitlines() if ch in line][:3])


@pytest.fixture(scope="module")
def fragment():
    import io
    from contextlib import redirect_stdout

    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["eq5", "--depth", "2", "--latex"])
    return code, out.getvalue()


def test_latex_fragment_is_clean(fragment):
    code, doc = fragment
    assert code == 0
    assert "\\documentclass" not in doc
    _assert_clean_latex(doc)
    assert doc.count(r"\subsection*{") == 9  # 8 results and the exact confirmations
    assert r"$s_{i+1} = s_i (1 - a_{i+1}) a_{i+2}$" in doc
    assert "All checks hold." in doc


def test_standalone_has_a_preamble(capsys):
    code, doc = _run(capsys, "--depth", "1", "--standalone")
    assert code == 0
    assert doc.startswith("\\documentclass") and doc.rstrip().endswith("\\end{document}")
    assert "\\usepackage{amsmath,amssymb}" in doc and "\\begin{document}" in doc
    _assert_clean_latex(doc)
    assert _run(capsys, "--depth", "1", "--standalone", "--json")[0] == 2


def test_markup_helpers():
    assert tex("$x - F_n$ is convex, docs/theory.md §4") == r"$x - F_n$ is convex, docs/theory.md \S{}4"
    assert untex(r"$\sigma_+ - \sigma_- < 0$ on $(0,1)$") == "sigma_+ - sigma_- < 0 on (0,1)"
    with pytest.raises(ValueError):
        tex("W_i outside maths")
    with pytest.raises(ValueError):
        tex("unpaired $x")
    assert tex_of(mk("peaks $1/3, 2/5$")) == "peaks $1/3, 2/5$"
    assert tex_of("not_registered {") .startswith(r"\texttt{\detokenize{")


def test_every_milkert_text_is_valid_markup():
    derivation = M.derive(1)
    for r in derivation.results:
        for text in [r.statement, r.detail, *[s.label for s in r.steps]]:
            tex(text)  # raises on maths outside $...$
    for c in M.exact_checks(2):
        for text in (c.name, c.value, c.expected, c.detail):
            assert "\\texttt" not in tex_of(text), text  # every one was made with mk


def _compile(doc: str, tmp_path) -> subprocess.CompletedProcess:
    (tmp_path / "eq5.tex").write_text(doc, encoding="utf-8")
    return subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "eq5.tex"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_standalone_compiles(capsys, tmp_path, monkeypatch):
    code, doc = _run(capsys, "--depth", "2", "--standalone")
    assert code == 0
    done = _compile(doc, tmp_path)
    assert done.returncode == 0, done.stdout[-2000:]
    assert (tmp_path / "eq5.pdf").stat().st_size > 10_000
    # a failing, unregistered check (arbitrary text) still gives a document that compiles
    broken = CheckResult(name="x_1 {broken", source="test", holds=False, value="a^2 < b", expected="1")
    monkeypatch.setattr(M, "exact_checks", lambda depth: [broken])
    code, doc = _run(capsys, "--depth", "1", "--standalone")
    assert code == 1 and r"\textbf{Some checks fail.}" in doc
    done = _compile(doc, tmp_path)
    assert done.returncode == 0, done.stdout[-2000:]
