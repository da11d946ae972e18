"""The tight wrong-side count of Telgarsky's argument, and every Telgarsky report line failing on a wrong input.

exactrelu.theorems.telgarsky.counting proves: a continuous g has at least
floor((N_f - Cr(g) + 1)/2) strictly wrong triangles of D^K, hence at least
floor((N_f - N_g)/2), and a zigzag g with N_g pieces attains it.  Here: the
bound on random g (hypothesis), attainment for many K and N_g, the exhaustive
minimum over the zigzag family (K = 3 by default, K = 4 marked slow), and the
lecture's count shown not sharp.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactrelu import PiecewiseLinear, ReLUNetwork
from exactrelu.errors import BudgetExceededError, ShapeError
from exactrelu.strategies import piecewise_linear
from exactrelu.theorems import telgarsky as T
from exactrelu.theorems.telgarsky import checks
from exactrelu.theorems.telgarsky.counting import side_counts

HALF = Fraction(1, 2)
LEVELISH = st.sampled_from([Fraction(0), Fraction(1, 4), HALF, HALF, Fraction(3, 4), Fraction(1), Fraction(5, 3)])


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 7), piecewise_linear(domain=(0, 1), max_pieces=9, values=LEVELISH))
def test_tight_lower_bound_on_random_g(K, g):
    r = T.separation_report(K, g)
    assert r.wrong_interior >= r.wrong_interior_strict >= T.tight_count(r.n_f, r.cr_g)
    assert T.tight_count(r.n_f, r.cr_g) >= T.tight_count(r.n_f, r.n_g + 1) >= r.closed_form_count
    assert r.certified >= r.tight_form >= r.closed_form


@pytest.mark.parametrize("K", [2, 3, 4, 6, 10])
def test_witness_attains_the_tight_count(K):
    n_f = (1 << K) - 1
    for pieces in sorted({1, 2, 3, 4, 5, n_f // 2, n_f - 1, n_f} & set(range(1, n_f + 1))):
        g = T.tight_witness(K, pieces)
        r = T.separation_report(K, g)
        assert (r.n_g, r.cr_g) == (pieces, pieces + 1)
        assert r.wrong_interior_strict == (n_f - pieces) // 2 == r.tight_count


def test_exhaustive_minimum_K3_is_the_tight_count_not_the_lecture_count():
    c = checks.check_tight_count(3, 5)
    assert c.holds and c.value == "[3, 2, 2, 1, 1]"
    lecture = checks.check_tight_count(3, 5, formula=lambda n_f, pieces: (n_f - 2 * pieces) // 2)
    assert not lecture.holds  # (7 - 2 N_g)/2 rounds to 2, 1, 0, -1, -2: below the minima from N_g = 2 on


@pytest.mark.slow
def test_exhaustive_minimum_K4_matches_the_issue():
    # the numbers the issue reported for the suite's zigzag family at K = 4
    assert checks.check_tight_count(4, 5).value == "[7, 6, 6, 5, 5]"
    assert [int(Fraction(15 - 2 * n, 2)) for n in range(1, 6)] == [6, 5, 4, 3, 2]


def test_zigzag_family_is_what_it_says():
    family = list(checks.zigzag_family(3, 2))
    assert len(family) == 2 * 36  # C(9, 2) interval pairs, two starting sides
    for g in family:
        assert g.pieces == 2 and T.crossing_number(g) == 3


def test_tight_constant_values():
    assert T.tight_bound_constant(1) == Fraction(5, 64)
    for L in range(1, 6):
        assert T.tight_bound_constant(L) == Fraction(3, 32) - Fraction(1, 2 ** (2 * L * L + 4)) >= Fraction(1, 32)
        assert T.tight_bound_constant(L) > Fraction(1, 16) - Fraction(1, 2 ** (2 * L * L + 5))


def test_side_counts_match_enumeration_on_touching_g():
    g = PiecewiseLinear([(0, HALF), (Fraction(3, 16), HALF), (Fraction(1, 4), 1), (Fraction(9, 16), 0), (1, HALF)])
    for K in range(1, 7):
        r = T.separation_report(K, g, method="enumerate")
        sc = side_counts(K, g)
        assert (sc.wrong_interior, sc.wrong_ends, sc.wrong_interior_strict) == (
            r.wrong_interior, r.wrong_ends, r.wrong_interior_strict)


def test_deep_theorem_L4_L5_exact_and_fast_path_only():
    for L in (4, 5):
        c = T.check_theorem(L, T.best_known_network(L))
        assert c.K == 2 * L * L + 2 and c.applies and c.certificate_holds
        assert c.report.n_f == 2 ** c.K - 1 and type(c.report.exact) is Fraction
        assert Fraction(1, 4) - Fraction(1, 2 ** 10) < c.report.exact < Fraction(1, 4) + Fraction(1, 2 ** 10)
    assert T.check_theorem(5, T.constant_network(HALF)).report.exact == Fraction(1, 4)


def test_best_known_network_budget():
    with pytest.raises(BudgetExceededError, match="max_units"):
        T.best_known_network(1000)
    with pytest.raises(BudgetExceededError):
        T.best_known_network(6, max_units=32)
    assert T.best_known_network(5, max_units=32).size == 32
    with pytest.raises(ShapeError):
        T.separation_report(3, PiecewiseLinear.affine(0, HALF, (0, 1)), method="guess")


# ---------------------------------------------- every report line can fail
def test_report_lines_hold_by_default():
    for line in T.verify_checks():
        assert line.holds, line


def test_tent_line_fails_on_a_wrong_level():
    assert not checks.check_tent_minus_constant(level=Fraction(1, 3)).holds  # 1/9 - 1/3 + 1/2 = 5/18
    assert checks.check_tent_minus_constant(level=Fraction(1, 3), expected=Fraction(5, 18)).holds


def test_methods_line_fails_on_a_wrong_implementation():
    def off_by_one(K, g):
        r = T.separation_report(K, g, method="enumerate")
        return type(r)(**{**r.__dict__, "wrong_interior": r.wrong_interior + 1})

    assert not checks.check_report_methods(trials=3, second=off_by_one).holds


def test_theorem_line_fails_on_a_too_strong_bound():
    assert not checks.check_theorem_line(1, T.best_known_network(1), "best", bound=Fraction(1, 4)).holds
    wide = ReLUNetwork([([[1], [1], [1]], [0, 0, 0]), ([[0, 0, 0]], [HALF])])
    assert not checks.check_theorem_line(1, wide, "outside the class").holds


def test_lemma_line_fails_on_a_stronger_claim():
    assert not checks.check_crossing_lemma(factor=0).holds


def test_tight_constant_line_fails_on_the_lecture_constant():
    lecture = checks.check_tight_constant(constant=lambda L: Fraction(1, 16) - Fraction(1, 2 ** (2 * L * L + 5)))
    assert not lecture.holds


def test_depth_budget_for_huge_L():
    # L = 45 is the largest K = 2L^2 + 2 <= 4096: exact, printable, JSON-ready; beyond: a typed budget error
    c = T.check_theorem(45, T.constant_network(HALF))
    assert c.report.exact == Fraction(1, 4) and c.certificate_holds and str(c.to_dict()["report"]["tight_form"])
    for L in (46, 10 ** 20):
        with pytest.raises(BudgetExceededError, match="max_K"):
            T.check_theorem(L, T.constant_network(HALF))
    from exactrelu.cli import main

    assert main(["telgarsky", "--L", "99999999999999999999"]) == 2
