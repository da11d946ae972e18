"""Telgarsky's depth separation computed exactly (exactrelu.theorems.telgarsky; docs/theory.md §3).

Known exact answers, the vectorised kernels against the PiecewiseLinear
oracle, and property tests restating the counting proof and Telgarsky (2016),
Lemma 3.1, on random pairs including touching and flat cases.
"""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactrelu import PiecewiseLinear, ReLUNetwork, propagate, tent_map
from exactrelu.theorems import telgarsky as T
from exactrelu.theorems.telgarsky import columns as C
from exactrelu.errors import DomainError, ShapeError
from exactrelu.measure import l1_distance as pwl_l1
from exactrelu.strategies import networks, piecewise_linear

HALF = Fraction(1, 2)
F0, F1 = Fraction(0), Fraction(1)

# values hitting 1/2 exactly often: touching points and flat stretches at the level
LEVELISH = st.sampled_from([F0, Fraction(1, 4), HALF, HALF, HALF, Fraction(3, 4), F1, Fraction(-1, 3), Fraction(5, 3)])
pwls = piecewise_linear(domain=(0, 1), max_pieces=7, values=LEVELISH)


def tent_pwl(k: int) -> PiecewiseLinear:
    return propagate(tent_map(k), (0, 1)).output


@st.composite
def grid_pwl(draw, K: int, max_pieces: int = 6):
    """PWL on [0,1] with vertices on the grid 1/2^{K+2}: it hits f's crossings, vertices and midpoints."""
    n = 1 << (K + 2)
    xs = sorted(draw(st.sets(st.integers(1, n - 1), max_size=max_pieces - 1)))
    pts = [F0] + [Fraction(x, n) for x in xs] + [F1]
    return PiecewiseLinear(zip(pts, [draw(LEVELISH) for _ in pts]))


@st.composite
def zigzags(draw, K: int):
    """g with pieces(g) = m and Cr(g) = m + 1, crossing 1/2 inside m distinct f-intervals.

    The worst case of the slide's count: vertices only at 0, 1 and between
    consecutive cuts, values chosen so that segment i crosses 1/2 exactly at
    cut i (a point strictly inside interval j_i of f).
    """
    n = 1 << K
    m = draw(st.integers(1, min(6, n + 1)))
    tri = sorted(draw(st.sets(st.integers(0, n), min_size=m, max_size=m)))
    pts = [F0] + [Fraction(2 * i + 1, 2 * n) for i in range(n)] + [F1]  # ends of f's intervals
    cuts = [pts[j] + (pts[j + 1] - pts[j]) * Fraction(draw(st.integers(1, 3)), 4) for j in tri]
    verts = [F0] + [(a + b) / 2 for a, b in zip(cuts, cuts[1:])] + [F1]
    sign = 1 if draw(st.booleans()) else -1
    dev = Fraction(draw(st.integers(1, 4)), 8)  # |g - 1/2| at the segment's left vertex
    values = [HALF + sign * dev]
    for u, v, c in zip(verts, verts[1:], cuts):
        dev = dev * (v - c) / (c - u)  # the segment from 1/2 + s*dev to 1/2 - s*dev' crosses at c
        sign = -sign
        values.append(HALF + sign * dev)
    return PiecewiseLinear(zip(verts, values))


# ------------------------------------------------------------ known answers
@pytest.mark.parametrize("k", range(1, 13))
def test_tent_minus_half_is_one_quarter(k):
    value = T.l1_distance(tent_map(k), T.constant_network(HALF), 0, 1)
    assert value == Fraction(1, 4) and type(value) is Fraction


def test_tent_minus_half_k20():
    r = T.separation_report(20, T.constant_network(HALF))
    assert r.exact == r.certified == Fraction(1, 4)
    assert r.cr_f == 2 ** 20 + 1 and r.n_f == 2 ** 20 - 1 and r.n_g == 1 and r.cr_g == 1
    assert r.closed_form == Fraction(2 ** 20 - 3, 2 ** 23)


@pytest.mark.parametrize("c", [F0, Fraction(1, 7), Fraction(1, 4), HALF, Fraction(2, 3), F1])
@pytest.mark.parametrize("k", [1, 3, 7, 10])
def test_constant_distance_is_quadratic_in_the_level(k, c):
    """int |D^k - c| = c^2 - c + 1/2: convex but piecewise *quadratic* in the output bias (finding)."""
    assert T.l1_distance(tent_map(k), PiecewiseLinear.affine(0, c, (0, 1)), 0, 1) == c * c - c + HALF


def test_tent_columns_match_the_propagator():
    for k in range(1, 11):
        assert C.to_pwl(C.tent_columns(k)) == tent_pwl(k)


def test_tent_side_intervals_match_crossing_intervals():
    for k in range(1, 7):
        assert T.tent_side_intervals(k) == T.crossing_intervals(tent_map(k))
        assert T.crossing_number(tent_map(k)) == 2 ** k + 1


def test_crossing_intervals_edge_cases():
    touch = PiecewiseLinear([(0, 0), (HALF, HALF), (1, 0)])
    assert [str(u) for u in T.crossing_intervals(touch)] == ["[0, 1/2) <", "[1/2, 1/2] >=", "(1/2, 1] <"]
    valley = PiecewiseLinear([(0, 1), (HALF, HALF), (1, 1)])  # touching from above: no change
    assert len(T.crossing_intervals(valley)) == 1
    flat = PiecewiseLinear([(0, 0), (Fraction(1, 4), HALF), (Fraction(3, 4), HALF), (1, 0)])
    assert [str(u) for u in T.crossing_intervals(flat)] == ["[0, 1/4) <", "[1/4, 3/4] >=", "(3/4, 1] <"]
    assert [str(u) for u in T.crossing_intervals(PiecewiseLinear.affine(1, 0, (0, 1)))] == ["[0, 1/2) <", "[1/2, 1] >="]
    assert len(T.crossing_intervals(PiecewiseLinear.affine(0, HALF, (0, 1)))) == 1


def test_report_known_numbers():
    r = T.separation_report(4, T.constant_network(HALF))
    assert (r.exact, r.certified, r.closed_form) == (Fraction(1, 4), Fraction(1, 4), Fraction(13, 128))
    assert (r.wrong_interior, r.wrong_ends, r.wrong_interior_strict, r.disagree) == (15, 2, 7, 9)
    # g = 1 (never below 1/2): every below interval (7 interior + 2 ends) disagrees, no above one does
    r = T.separation_report(4, PiecewiseLinear.affine(0, 1, (0, 1)))
    assert (r.wrong_interior, r.wrong_ends, r.wrong_interior_strict, r.disagree) == (7, 2, 7, 9)
    assert r.certified == Fraction(7, 64) + Fraction(2, 128)


def test_results_are_exact_types():
    r = T.separation_report(3, tent_map(1))
    for v in (r.exact, r.certified, r.closed_form):
        assert type(v) is Fraction
    assert all(type(n) is int for n in (r.n_g, r.cr_g, r.wrong_interior, r.disagree))


# ------------------------------------------------------- kernels vs oracles
@settings(max_examples=150)
@given(pwls, pwls, st.sampled_from([(0, 1), (Fraction(1, 3), Fraction(5, 7)), (Fraction(1, 10), 1)]))
def test_l1_distance_matches_pwl_oracle(f, g, interval):
    a, b = interval
    assert T.l1_distance(f, g, a, b) == pwl_l1(f, g, a, b)


@settings(max_examples=60)
@given(networks(widths=st.sampled_from([(2,), (3,), (2, 2), (1, 3)])), pwls)
def test_l1_distance_networks_match_pwl_oracle(net, g):
    assert T.l1_distance(net, g, 0, 1) == pwl_l1(propagate(net, (0, 1)).output, g, 0, 1)
    assert T.l1_distance(g, net, 0, 1) == T.l1_distance(net, g, 0, 1)


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 9).flatmap(lambda k: st.tuples(st.just(k), st.one_of(grid_pwl(k), zigzags(k), pwls))))
def test_structural_report_matches_enumeration(case):
    """Runs of teeth and components of g's sides (O(pieces of g)) against D^K's 2^K columns."""
    k, g = case
    assert T.separation_report(k, g) == T.separation_report(k, g, method="enumerate")


# ------------------------------------------------------- the counting proof
@settings(max_examples=200)
@given(pwls)
def test_crossing_number_at_most_pieces_plus_one(g):
    cr = T.crossing_number(g)
    assert cr == len(T.crossing_intervals(g))
    assert cr <= g.pieces + 1


@settings(max_examples=200)
@given(piecewise_linear(domain=(0, 1), max_pieces=10, values=LEVELISH), pwls)
def test_crossing_lemma_3_1(f, g):
    """Telgarsky (2016), Lemma 3.1: disagree/Cr(f) >= (1/2)(1 - 2 Cr(g)/Cr(f))."""
    chk = T.crossing_lemma(f, g)
    assert chk.cr_f == T.crossing_number(f) and chk.cr_g == T.crossing_number(g)
    assert Fraction(chk.disagree, chk.cr_f) >= HALF * (1 - Fraction(2 * chk.cr_g, chk.cr_f))
    assert chk.holds and chk.crossing_vs_pieces_holds


def _oracle_report(K, g):
    """Certified area and strict counts with Fractions from the closed-form intervals."""
    certified, strict_interior = F0, 0
    n = 1 << K
    xs, vs = list(g.breakpoints), list(g.values)
    for j, u in enumerate(T.tent_side_intervals(K)):
        vals = [g(u.lo), g(u.hi)] + [v for x, v in zip(xs, vs) if u.lo < x < u.hi]
        weak = max(vals) <= HALF if u.above else min(vals) >= HALF
        strict = max(vals) < HALF if u.above else min(vals) >= HALF
        if weak:
            certified += Fraction(1, 4 * n) if 0 < j < n else Fraction(1, 8 * n)
        strict_interior += strict and 0 < j < n
    return certified, strict_interior


@settings(max_examples=120)
@given(st.integers(1, 6).flatmap(lambda k: st.tuples(st.just(k), st.one_of(grid_pwl(k), zigzags(k), pwls))))
def test_report_ordering_and_oracle(case):
    K, g = case
    r = T.separation_report(K, g)
    assert r.exact == pwl_l1(tent_pwl(K), g, 0, 1)
    assert (r.certified, r.wrong_interior_strict) == _oracle_report(K, g)
    assert r.disagree == T.crossing_lemma(tent_map(K), g).disagree
    assert r.exact >= r.certified >= r.closed_form
    assert r.wrong_interior_strict >= r.closed_form_count  # the slide's (N_f - 2 N_g)/2, N_g = pieces
    assert r.consistent


@settings(max_examples=100)
@given(st.integers(2, 7).flatmap(lambda k: st.tuples(st.just(k), zigzags(k))))
def test_tight_count_bounds_zigzags(case):
    """Cr(g) = N_g + 1 on zigzags: the tight count floor((N_f - Cr(g) + 1)/2) holds, hence the slide's too."""
    K, g = case
    r = T.separation_report(K, g)
    assert r.cr_g <= r.n_g + 1
    assert r.wrong_interior_strict >= r.tight_count >= r.closed_form_count
    assert r.tight_count == max(0, (r.n_f - r.cr_g + 1) // 2)


# ------------------------------------------------------------- the theorem
@pytest.mark.parametrize("L", [1, 2])
def test_theorem_on_reference_nets(L):
    for g in (T.constant_network(HALF), T.best_known_network(L), ReLUNetwork([([[1]], [0]), ([[0]], [7])])):
        c = T.check_theorem(L, g)
        assert c.K == 2 * L * L + 2 and c.applies and c.certificate_holds, c.to_dict()
        assert c.report.exact >= Fraction(1, 32)


def test_theorem_numbers_L1_best():
    c = T.check_theorem(1, T.best_known_network(1))
    r = c.report
    assert r.exact == Fraction(105, 464)  # the optimum of its family: level c = 14/29
    assert (r.certified, r.closed_form, r.n_g, r.cr_g) == (Fraction(7, 64), Fraction(9, 128), 3, 3)


def test_theorem_hypotheses_named():
    c = T.check_theorem(1, tent_map(3))
    assert not c.applies and "hidden layers" in c.failed_hypothesis
    wide = ReLUNetwork([([[1], [1], [1]], [0, 0, 0]), ([[0, 0, 0]], [HALF])])
    c = T.check_theorem(1, wide)
    assert not c.applies and "hidden units" in c.failed_hypothesis
    with pytest.raises(ShapeError):
        T.check_theorem(0, wide)
    with pytest.raises(TypeError):
        T.check_theorem(1, PiecewiseLinear.affine(0, HALF, (0, 1)))


@pytest.mark.slow
def test_theorem_L3_against_enumeration():
    c = T.check_theorem(3, T.best_known_network(3))
    assert c.applies and c.certificate_holds and c.K == 20
    assert c.report.exact == Fraction(1, 4) - Fraction(15, 2 ** 23)
    assert c.report == T.separation_report(20, T.best_known_network(3), method="enumerate")


# ------------------------------------------------------------------ search
def test_search_L1_reproducible_and_in_class():
    r = T.search_closest(1, seed=0)
    assert r.network == T.best_known_network(1)
    assert r.distance == T.l1_distance(tent_map(4), r.network, 0, 1) < Fraction(1, 4)
    assert r.network.depth <= 1 and r.network.size <= 2


@pytest.mark.slow
def test_search_L2_matches_stored():
    r = T.search_closest(2, seed=0)
    assert r.distance == T.l1_distance(tent_map(10), T.best_known_network(2), 0, 1)


# ------------------------------------------------------------ errors, CLI
def test_errors():
    g = PiecewiseLinear.affine(0, HALF, (0, 1))
    with pytest.raises(DomainError):
        T.l1_distance(g, g, 1, 0)
    with pytest.raises(DomainError):
        T.l1_distance(g, g, 0, 2)
    with pytest.raises(ShapeError):
        T.l1_distance(ReLUNetwork([([[1, 1]], [0]), ([[1]], [0])]), g, 0, 1)
    with pytest.raises(TypeError):
        T.l1_distance(0.5, g, 0, 1)
    with pytest.raises(ShapeError):
        T.separation_report(0, g)


def _rebound(c):
    """The same check with a wrong theorem bound (1 instead of 1/32): the certificate must fail."""
    return T.TheoremCheck(c.L, c.K, c.network, c.hypotheses, c.report, bound=Fraction(1))


def test_cli(tmp_path, capsys, monkeypatch):
    from exactrelu.cli import main

    assert main(["telgarsky", "--L", "1"]) == 0
    assert "certificate" in capsys.readouterr().out
    assert main(["telgarsky", "--L", "1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["certificate_holds"] and Fraction(data["report"]["exact"]) == Fraction(105, 464)
    path = tmp_path / "d3.json"
    tent_map(3).save(str(path))
    assert main(["telgarsky", "--L", "1", "--g", str(path)]) == 2
    assert "hidden layers" in capsys.readouterr().err
    assert main(["telgarsky", "--L", "1", "--g", str(tmp_path / "missing.json")]) == 2
    assert main(["telgarsky", "--L", "0"]) == 2
    real = T.check_theorem
    monkeypatch.setattr(T, "check_theorem", lambda L, g, **kw: _rebound(real(L, g, **kw)))
    assert main(["telgarsky", "--L", "1"]) == 1


def test_verify_checks_all_hold():
    results = T.verify_checks()
    assert results and all(r.holds for r in results), [r for r in results if not r.holds]
