"""Tests of exactrelu.milkert: Milkert, Hyde, Laine (arXiv:2311.18022v2), Eqs. (4)-(8), A.4-A.6 (docs/theory.md §4)."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exactrelu.theorems import milkert as M
from exactrelu.constructions import triangle_wave
from exactrelu.errors import DomainError, ExactReluError, InvalidRationalError, ShapeError
from exactrelu.network import ReLUNetwork
from exactrelu.propagate import propagate
from exactrelu.pwl import PiecewiseLinear
from exactrelu.report import CheckResult

F = Fraction
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ----------------------------------------------------------------------------- strategies


@st.composite
def peak(draw) -> Fraction:
    """A rational in (0, 1): moderate p/q, or within 1e-6 of 0 or of 1."""
    kind = draw(st.sampled_from(["plain", "near0", "near1"]))
    if kind == "plain":
        q = draw(st.integers(2, 60))
        return F(draw(st.integers(1, q - 1)), q)
    q = draw(st.integers(2, 10 ** 6))
    return F(1, q) if kind == "near0" else 1 - F(1, q)


def peak_lists(min_size: int = 2, max_size: int = 6):
    return st.lists(peak(), min_size=min_size, max_size=max_size)


nonzero_s0 = st.sampled_from([F(1), F(-1), F(1, 4), F(-7, 3), F(5)])


# ----------------------------------------------------------------------------- symbolic


@pytest.fixture(scope="module")
def derivation():
    return M.derive(depth=4)


def test_derivation_holds_and_names(derivation):
    assert derivation.holds
    assert [r.name for r in derivation.results] == [
        "Eq. (4)", "Eq. (5)", "Eq. (5) swapped", "Eq. (6)", "Eq. (8)",
        "Theorem A.4", "Lemma A.5", "Lemma A.6"]
    assert all(r.holds for r in derivation.results)
    with pytest.raises(KeyError):
        derivation["Eq. (99)"]


def test_eq5_is_derived_not_transcribed(derivation):
    import sympy as sp

    from exactrelu.theorems.milkert._tools import A, I, S

    result = derivation["Eq. (5)"]
    assert sp.cancel(result.lhs - S[I] * (1 - A[I + 1]) * A[I + 2]) == 0
    # the swapped rule is a different expression
    assert sp.cancel(result.lhs - S[I] * (1 - A[I + 2]) * A[I + 1]) != 0
    assert "right, left, left" in result.steps[-1].label and result.steps[-1].expr == sp.true
    # derived from the general Eq. (4): the infinite series is the first step
    assert result.steps[0].expr.has(sp.Sum) and result.steps[0].expr.has(sp.oo)
    assert [s.expr for s in result.steps if s.label.startswith("solution minus")] == [0]


def test_branch_selection_from_piecewise():
    import sympy as sp
    from exactrelu.theorems.milkert import symbolic as S

    a = sp.Symbol("a", positive=True)
    slope, value, name = S.branch_at(a, sp.Integer(1))
    assert (name, value) == ("right", 0) and sp.simplify(slope + 1 / (1 - a)) == 0
    slope, value, name = S.branch_at(a, sp.Integer(0))
    assert (name, value, slope) == ("left", 0, 1 / a)


def test_swap_symbolic_error(derivation):
    import sympy as sp

    a1, a2 = sp.Symbol("a_1", positive=True), sp.Symbol("a_2", positive=True)
    assert sp.cancel(derivation["Eq. (5) swapped"].lhs - (a1 - a2) / (a1 - 1)) == 0


def test_lemma_a5_and_theorem_a4_steps(derivation):
    import sympy as sp

    a5 = derivation["Lemma A.5"]
    from exactrelu.theorems.milkert.results import untex

    exprs = {untex(s.label): s.expr for s in a5.steps}
    assert exprs["maximiser of a(1 - a) on (0,1) (critical points)"] == sp.FiniteSet(F(1, 2))
    assert exprs["max of a(1 - a) on [0,1]"] == sp.Rational(1, 4)
    a4 = derivation["Theorem A.4"]
    solution_sets = [s.expr for s in a4.steps if s.label.startswith("solutions")]
    assert solution_sets == [sp.FiniteSet(sp.Rational(1, 2))] * 2
    assert any(s.method == "argument" for s in a4.steps)  # the limit is not claimed as proved
    assert a4.steps[-2].expr == -2


def test_renderings(derivation):
    text = derivation.plain()
    assert "Eq. (5)" in text and "FAILS" not in text
    tex = derivation.latex()
    assert tex.count(r"\begin{itemize}") == len(derivation.results)
    blob = json.dumps([r.to_dict() for r in derivation.results])
    assert json.loads(blob)[1]["holds"] is True


def test_derive_rejects_bad_depth():
    with pytest.raises(ShapeError):
        M.derive(-1)
    with pytest.raises(ShapeError):
        M.derive(True)


def test_import_milkert_does_not_import_sympy():
    code = "import sys, exactrelu.theorems.milkert; print('sympy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ----------------------------------------------------------------------------- known answers


@pytest.mark.parametrize("peaks, s0, expected", [
    (["1/2"] * 4, "1/4", (F(1, 4), F(1, 16), F(1, 64))),
    (["1/3", "1/2", "2/5"], 1, (F(1), F(1, 5))),  # (1 - 1/2) * 2/5
    (["1/3", "1/4", "1/5", "1/6"], 2, (F(2), F(3, 10), F(1, 25))),
])
def test_eq5_coefficients_table(peaks, s0, expected):
    s = M.eq5_coefficients(peaks, s0)
    assert s == expected and all(type(c) is Fraction for c in s)


def test_peak_jumps_known():
    table = M.peak_jumps(["1/2", "1/3", "1/4"])
    assert [(j.layer, j.peak, j.ratio) for j in table] == [
        (0, F(1, 2), F(3, 4)), (1, F(1, 6), F(1)), (1, F(5, 6), F(1))]
    assert all(j.holds and type(j.jump) is Fraction for j in table)


def test_swap_witness_known():
    w = M.swap_witness().witness
    assert (w.layer, w.peak, w.ratio, w.expected) == (0, F(1, 2), F(5, 8), F(3, 4))


def test_swap_with_equal_peaks_has_no_witness():
    assert M.swap_witness(["1/3", "2/5", "2/5", "2/5"]).holds is False


def test_convexity_witness():
    c = M.convexity_witness()
    assert c.holds
    assert c.witness.slopes == (F(-5), F(3), F(-1), F(7))


@pytest.mark.parametrize("m", range(0, 7))
def test_yarotsky(m):
    c = M.check_yarotsky(m)
    assert c.holds and c.value == str(F(1, 2 ** (2 * m + 2)))
    f = c.witness
    assert f == M.wave_sum(["1/2"] * max(m, 1), [F(1, 4 ** (i + 1)) for i in range(m)])
    assert all(f(F(k, 2 ** m)) == F(k, 2 ** m) ** 2 for k in range(2 ** m + 1))
    mid = F(1, 2 ** (m + 1))
    assert f(mid) - mid ** 2 == F(1, 2 ** (2 * m + 2))


def test_wave_sum_and_triangle():
    assert M.triangle_pwl("1/4") == PiecewiseLinear([(0, 0), ("1/4", 1), (1, 0)])
    assert M.wave_sum(["1/2"], []) == PiecewiseLinear([(0, 0), (1, 1)])
    assert M.wave_sum(["1/2"], ["1/4"], sign=1) == PiecewiseLinear([(0, 0), ("1/2", "3/4"), (1, 1)])


@pytest.mark.parametrize("call, error", [
    (lambda: M.waves([0]), DomainError),
    (lambda: M.waves(["1"]), DomainError),
    (lambda: M.waves(["3/2"]), DomainError),
    (lambda: M.waves([0.5]), InvalidRationalError),
    (lambda: M.waves("1/2"), ShapeError),
    (lambda: M.waves([]), ShapeError),
    (lambda: M.eq5_coefficients(["1/2"]), ShapeError),
    (lambda: M.wave_sum(["1/2"], [1, 1]), ShapeError),
    (lambda: M.wave_sum(["1/2"], [1], sign=2), ShapeError),
    (lambda: M.compositional_network(["1/2"], []), ShapeError),
    (lambda: M.compositional_network(["1/2", "1/2"], [1], scales="fast"), ShapeError),
    (lambda: M.compositional_network(["1/2", "1/2"], [1], scales=[0]), ShapeError),
    (lambda: M.compositional_network(["1/2", "1/2"], [0, 1], scales="decay"), DomainError),
    (lambda: M.peak_jumps(["1/2", "1/2"], 0), DomainError),
    (lambda: M.second_difference_quotients(["1/2", "1/2"], 1, 1), ShapeError),
])
def test_bad_arguments(call, error):
    with pytest.raises(error) as info:
        call()
    assert isinstance(info.value, ExactReluError)


# ----------------------------------------------------------------------------- properties


@FAST
@given(peak_lists(1, 5))
def test_waves_match_network_and_structure(peaks):
    ws = M.waves(peaks)
    for i, w in enumerate(ws):
        assert w.pieces == 2 ** (i + 1)
        assert set(w.values) == {0, 1}
        assert propagate(triangle_wave(peaks[:i + 1]), (0, 1)).output == w
        if i + 1 < len(ws):  # peaks of W_i become valleys of W_{i+1}
            assert all(ws[i + 1](p) == 0 for p in M.wave_peaks(w))
        assert len(M.wave_peaks(w)) == 2 ** i


@FAST
@given(peak_lists(2, 7), nonzero_s0)
def test_eq8_at_every_peak(peaks, s0):
    table = M.peak_jumps(peaks, s0)
    n = len(peaks) - 2
    assert len(table) == 2 ** (n + 1) - 1
    for j in table:
        expected = F(1)
        for k in range(j.layer + 2, n + 2):
            expected *= 1 - peaks[k]
        assert type(j.ratio) is Fraction and j.ratio == expected == j.expected
    assert M.check_finite_identity(peaks, s0).holds


@FAST
@given(peak_lists(3, 6))
def test_swap_breaks_eq8_exactly_when_coefficients_differ(peaks):
    differs = M.eq5_coefficients(peaks, swapped=True) != M.eq5_coefficients(peaks)
    assert M.swap_witness(peaks).holds == differs
    if len(peaks) == 3:
        assert differs == (peaks[1] != peaks[2])


@FAST
@given(peak_lists(2, 7), nonzero_s0)
def test_convexity_sign(peaks, s0):
    assert M.check_convexity(peaks, s0).holds
    g = M.wave_sum(peaks, M.eq5_coefficients(peaks, s0))
    steps = [r - l for l, r in zip(g.slopes, g.slopes[1:])]
    assert all((d > 0) if s0 > 0 else (d < 0) for d in steps)


@FAST
@given(peak_lists(2, 5), st.sampled_from([None, "decay", "custom"]), st.sampled_from([1, -1]),
       nonzero_s0)
def test_compositional_network_equals_formula(peaks, scales, sign, s0):
    s = M.eq5_coefficients(peaks, s0)
    if scales == "custom":
        scales = [F(k + 2, 3) for k in range(len(s))]
    net = M.compositional_network(peaks, s, sign=sign, scales=scales)
    assert isinstance(net, ReLUNetwork)
    assert net.widths == (4,) * len(s) and net.depth == len(s)
    assert propagate(net, (0, 1)).output == M.wave_sum(peaks, s, sign=sign)


@FAST
@given(peak_lists(3, 6), st.data())
def test_theorem_a4_quotient_ratio(peaks, data):
    layer = data.draw(st.integers(0, len(peaks) - 2))
    m = data.draw(st.integers(1, len(peaks) - 1 - layer))
    assert M.second_difference_quotients(peaks, layer, m).holds


def test_theorem_a4_all_halves_gives_minus_two():
    # with every a = 1/2 and s_i = 4^-(i+1) the quotients agree and equal F'' = -2
    c = M.second_difference_quotients(["1/2"] * 6, 2, 3, s0="1/4")
    assert c.holds and c.value == "1"
    layer, m = 2, 3
    s = [F(1, 4 ** (i + 1)) for i in range(layer + m)]
    head = M.wave_sum(["1/2"] * layer, s[:layer], sign=1) - PiecewiseLinear([(0, 0), (1, 1)])
    long = M.wave_sum(["1/2"] * (layer + m), s, sign=1) - PiecewiseLinear([(0, 0), (1, 1)])
    p, h = F(1, 8), F(1, 2 ** (layer + m + 1))  # a peak of W_2; nearest W_5 peaks at p +- h
    left, right = long.one_sided_slopes(p)
    base = head.one_sided_slopes(p)[0]
    assert (right - base) / h == (base - left) / h == -2


# ----------------------------------------------------------------------------- verify, CLI


def test_verify_checks():
    checks = M.verify_checks()
    assert checks and all(isinstance(c, CheckResult) for c in checks)
    failing = [c for c in checks if not c.holds]
    assert not failing, failing


def test_cli_eq5(capsys):
    from exactrelu.cli import main

    assert main(["eq5", "--depth", "2"]) == 0
    out = capsys.readouterr().out
    assert "Eq. (5)" in out and "all checks hold" in out
    assert main(["eq5", "--depth", "1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["holds"] is True and len(data["derivation"]) == 8
    assert (data["format"], data["version"]) == ("exactrelu-eq5", 1)
    assert main(["eq5", "--depth", "1", "--latex"]) == 0
    assert r"\subsection*{Eq. (5)}" in capsys.readouterr().out
    assert main(["eq5", "--depth", "99"]) == 2


def test_cli_eq5_exit_1_on_failure(monkeypatch, capsys):
    from exactrelu.cli import main

    broken = CheckResult(name="broken", source="test", holds=False, value="0", expected="1")
    monkeypatch.setattr(M, "exact_checks", lambda depth: [broken])
    assert main(["eq5", "--depth", "1"]) == 1
    assert "SOME CHECKS FAIL" in capsys.readouterr().out
