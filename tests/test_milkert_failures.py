"""Every report line of the Milkert family can fail: each is fed a deliberately wrong input.

Milkert, Hyde, Laine (arXiv:2311.18022v2), Eqs. (4)-(8), Lemma A.5, A.6, Theorem A.4;
Yarotsky (2017), Prop. 2; docs/theory.md §4.  For each line of
``milkert.verify_checks()`` (what ``exactrelu verify`` prints) the table below
builds the same check with the correct input (it holds) and with a wrong one (the
swapped Eq. (5) rule, a wrong closed form, another triangle, a non-convex
example...; it fails).  A line without an entry here fails
:func:`test_every_report_line_has_a_failing_input`.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from exactrelu.report import CheckResult
from exactrelu.theorems import milkert as M

F = Fraction
PEAKS = [F(1, 3), F(2, 5), F(5, 7), F(1, 2), F(3, 10)]


def _sympy():
    import sympy as sp

    from exactrelu.theorems.milkert import _tools as T
    from exactrelu.theorems.milkert import lemmas as L
    from exactrelu.theorems.milkert import symbolic as S

    return sp, T, S, L


def _wrong_triangle(a):
    """Right branch (1 - x)/a instead of (1 - x)/(1 - a): continuous only at a = 1/2."""
    sp, T, _, _ = _sympy()
    return sp.Piecewise((T.X / a, T.X <= a), ((1 - T.X) / a, True))


def _eq4(wrong: bool):
    sp, T, S, _ = _sympy()
    if not wrong:
        return S.derive_eq4(3)
    # later layers on right branches: 1/(1 - a_k) in place of 1/a_k
    claim = T.S[T.I] - sp.Sum(T.S[T.J] * sp.Product(1 / (1 - T.A[T.K]), (T.K, T.I + 2, T.J)),
                              (T.J, T.I + 1, T.N)) / (1 - T.A[T.I + 1])
    return S.derive_eq4(3, claimed=claim)


def _eq5(wrong: bool):
    sp, T, S, _ = _sympy()
    return S.derive_eq5(claimed=T.S[T.I] * (1 - T.A[T.I + 2]) * T.A[T.I + 1] if wrong else None)


def _eq6(wrong: bool):
    _, T, S, _ = _sympy()
    return S.prove_eq6(3, ratio=(1 - T.A[T.K + 2]) * T.A[T.K + 1] if wrong else None)


CASES = {
    # symbolic lines
    "Eq. (4)": _eq4,
    "Eq. (5)": _eq5,
    "Eq. (5) swapped": lambda wrong: _sympy()[2].swap_breaks_eq8(swapped=not wrong),
    "Eq. (6)": _eq6,
    "Eq. (8)": lambda wrong: _sympy()[2].prove_eq8(3, swapped=wrong),
    "Theorem A.4": lambda wrong: _sympy()[3].theorem_a4(tri=_wrong_triangle if wrong else None),
    "Lemma A.5": lambda wrong: _sympy()[3].prove_lemma_a5(
        ratio=_sympy()[1].A[_sympy()[1].K + 2] if wrong else None),
    "Lemma A.6": lambda wrong: _sympy()[3].prove_lemma_a6(
        2, coefficients=(lambda peaks, s0: [s0] * (len(peaks) - 1)) if wrong else None),
    # exact lines
    "Eq. (8) at every peak": lambda wrong: M.check_finite_identity(PEAKS, swapped=wrong),
    "Eq. (5) with a_{i+1}, a_{i+2} swapped breaks Eq. (8)":
        lambda wrong: M.swap_witness(["1/3", "2/5", "2/5", "2/5"] if wrong else PEAKS),
    "Lemma A.6: x - F_n is convex (s_0 > 0)":
        lambda wrong: M.check_convexity(["1/2"] * 3, coefficients=(1, 1) if wrong else None),
    "Lemma A.6: x - F_n is concave (s_0 < 0)":
        lambda wrong: M.check_convexity(["1/2"] * 3, -1, coefficients=(-1, -1) if wrong else None),
    "Lemma A.6 needs Eq. (5): s_i > 0 alone does not make x - F convex":
        lambda wrong: M.convexity_witness((1, "1/4") if wrong else (1, 1)),
    "Theorem A.4 quotients":
        lambda wrong: M.second_difference_quotients(
            PEAKS, 1, 3, coefficients=M.eq5_coefficients(PEAKS, swapped=True) if wrong else None),
    "Yarotsky f_": lambda wrong: M.check_yarotsky(
        4, coefficients=["1/4", "1/16", "1/64", "1/200"] if wrong else None),
    "compositional network": lambda wrong: M.check_compositional(
        PEAKS, M.eq5_coefficients(PEAKS),
        net=M.compositional_network(PEAKS, M.eq5_coefficients(PEAKS), sign=1) if wrong else None),
}


#: keys that name a family of lines (their parameters are in the name)
PREFIXES = ("Theorem A.4 quotients", "Yarotsky f_", "compositional network")


def _case_for(name: str) -> str:
    if name in CASES:
        return name
    return next((key for key in PREFIXES if name.startswith(key)), "")


@pytest.fixture(scope="module")
def report_lines():
    return M.verify_checks(depth=2)


def test_every_report_line_has_a_failing_input(report_lines):
    names = [c.name for c in report_lines]
    missing = [n for n in names if not _case_for(n)]
    assert not missing, missing
    assert sorted({_case_for(n) for n in names}) == sorted(CASES)


@pytest.mark.parametrize("name", list(CASES))
def test_line_holds_on_the_right_input_and_fails_on_a_wrong_one(name):
    right, wrong = CASES[name](False), CASES[name](True)
    assert right.holds is True, right
    assert wrong.holds is False, wrong
    assert _case_for(right.name) == name and _case_for(wrong.name) == name


def test_verify_passes_a_failed_derivation_through(monkeypatch):
    failed = _eq6(True)
    real = M.derive(2)
    broken = M.Derivation(2, tuple(failed if r.name == "Eq. (6)" else r for r in real.results))
    monkeypatch.setattr(M, "derive", lambda depth=6: broken)
    lines = {c.name: c for c in M.verify_checks(depth=2)}
    assert isinstance(lines["Eq. (6)"], CheckResult)
    assert lines["Eq. (6)"].holds is False and lines["Eq. (5)"].holds is True


# ----------------------------------------------------------------------------- the derivations


def test_eq4_is_derived_for_symbolic_indices():
    sp, T, S, _ = _sympy()
    result = S.derive_eq4(2)
    assert result.holds
    # the derived form carries symbolic bounds: a Sum over j up to n, a Product over k
    assert result.lhs.has(sp.Sum) and result.lhs.has(sp.Product) and result.lhs.has(T.N)
    labels = " ".join(s.label for s in result.steps)
    assert "right branch" in labels and "left branch" in labels
    assert any(s.method == "symbolic step" for s in result.steps)
    # another triangle changes the branch factor, so the derivation no longer gives Eq. (4)
    assert S.derive_eq4(2, tri=_wrong_triangle).holds is False
    # the derived form equals the chain rule on concrete waves (not only the claim)
    chain, _, _ = S.eq4_finite(1, 3)
    derived_13 = result.lhs.subs({T.I: 1, T.N: 3}).doit().replace(
        lambda e: isinstance(e, sp.Indexed), lambda e: T.sym(str(e.base), int(e.indices[0])))
    assert T.is_zero(derived_13 - chain)


def test_eq5_from_another_triangle_is_not_eq5():
    _, _, S, _ = _sympy()
    assert S.derive_eq5(tri=_wrong_triangle).holds is False


def test_eq6_builds_on_the_derived_eq5():
    sp, T, S, _ = _sympy()
    result = S.prove_eq6(3)
    assert result.holds
    assert T.is_zero(result.steps[0].expr - (1 - T.A[T.K + 1]) * T.A[T.K + 2])
    # a wrong closed form with the right recurrence fails too
    claim = T.S[T.I] * sp.Product((1 - T.A[T.K + 2]) * T.A[T.K + 1], (T.K, T.I, T.J - 1))
    assert S.prove_eq6(3, claimed=claim).holds is False


def test_peel_product_is_checked_by_sympy():
    sp, T, _, _ = _sympy()
    shorter, last, ok = T.peel_product(1 / T.A[T.K], T.K, T.I + 2, T.J + 1)
    assert ok and last == 1 / T.A[T.J + 1]
    assert shorter == sp.Product(1 / T.A[T.K], (T.K, T.I + 2, T.J))


def test_lemma_a6_slopes_come_from_the_waves():
    sp, T, _, L = _sympy()
    a = [T.sym("a", k) for k in range(2)]
    slopes = L.wave_slopes(a)
    assert [len(s) for s in slopes] == [2, 4]
    assert T.is_zero(slopes[1][1] - (1 / a[0]) * (-1 / (1 - a[1])))  # W_0 rising, T_{a_1} right
    assert T.is_zero(slopes[1][2] - (-1 / (1 - a[0])) * (-1 / (1 - a[1])))
    result = L.prove_lemma_a6(2)
    assert result.holds
    # a rule whose factor is not positive on (0,1) fails the sign step
    assert L.prove_lemma_a6(1, ratio=T.A[T.K + 2] - T.A[T.K + 1]).holds is False
    # another triangle breaks the slopes and the cross-check
    assert L.prove_lemma_a6(1, tri=_wrong_triangle).holds is False


def test_exact_failures_say_where():
    c = M.check_finite_identity(PEAKS, swapped=True)
    assert c.witness is not None and "first failure" in c.detail
    q = M.second_difference_quotients(PEAKS, 1, 3, coefficients=M.eq5_coefficients(PEAKS, swapped=True))
    assert q.witness and "first failure" in q.detail


def test_eq8_general_step_builds_on_derived_eq4_and_eq5():
    sp, _, S, _ = _sympy()
    right = S.prove_eq8(0)  # the general induction alone (expansion only for n = 0)
    assert right.holds
    general = [s for s in right.steps if s.method == "symbolic step"]
    assert len(general) >= 3
    # the swapped rule is caught by the general induction, not only by the expansion
    wrong = S.prove_eq8(0, swapped=True)
    assert wrong.holds is False and wrong.steps[0].expr == sp.false
