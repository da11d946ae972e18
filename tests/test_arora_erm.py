"""Arora et al. (2018), Theorem 4.1 / Algorithm 1: exact ERM, and the refuted GD claim."""

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactrelu import ReLUNetwork
from exactrelu.errors import BudgetExceededError, ExactReluError
from exactrelu.theorems.arora._exact_opt import linprog, lp_certificate_holds, nnls, nnls_certificate_holds
from exactrelu.theorems.arora.erm import (
    GD_DATA,
    GD_INIT,
    check_erm_known,
    check_gd_refuted,
    dead_at_init_probability,
    erm,
    exact_loss,
    gd_reaches_global_optimum,
    gd_witness,
    paper_enumeration_size,
)


def test_fittable_data_has_optimum_zero():
    # points on a width-2 network: 2 relu(x - 1) - relu(1 - x) at 0..4
    net = ReLUNetwork([([[1], [-1]], [-1, 1]), ([[2, -1]], [0])])
    xs = [0, 1, 2, 3, "1/2"]
    ys = [net(x) for x in xs]
    for loss in ("squared", "l1"):
        r = erm(xs, ys, 2, loss=loss)
        assert r.optimum == 0 and r.certified and isinstance(r.optimum, Fraction)
        assert exact_loss(r.network, xs, ys, loss) == 0


def test_known_optima_by_hand():
    # |x| at -1, 0, 1: width 1 best is the constant 2/3 (no bias) or 1/2 (bias); width 2 fits
    assert erm([-1, 0, 1], [1, 0, 1], 1).optimum == Fraction(2, 3)
    assert erm([-1, 0, 1], [1, 0, 1], 1, output_bias=True).optimum == Fraction(1, 2)
    assert erm([-1, 0, 1], [1, 0, 1], 2).optimum == 0
    # without output bias every network vanishes where all units are off... constant target 1 at one point
    assert erm([0], [1], 1).optimum == 0
    # l1: one unit, no bias, zigzag 0,1,0 at 0,1,2: a line through two points misses the third by 1
    assert erm([0, 1, 2], [0, 1, 0], 1, loss="l1").optimum == 1
    # hinge with separable labels: optimum 0
    assert erm([0, 1, 2], [-1, -1, 1], 1, loss="hinge", output_bias=True).optimum == 0
    # +, -, + : a single unit plus bias is monotone, so the hinge loss is >= 2 (and 2 is attained)
    r = erm([0, 1, 2], [1, -1, 1], 1, loss="hinge", output_bias=True)
    assert r.optimum == 2 and r.certified
    assert erm([0, 1, 2], [1, -1, 1], 2, loss="hinge", output_bias=True).optimum == 0
    assert check_erm_known([-1, 0, 1], [1, 0, 1], 1, Fraction(2, 3)).holds
    assert not check_erm_known([-1, 0, 1], [1, 0, 1], 1, Fraction(1, 2)).holds


def test_enumeration_size_and_budget():
    r = erm([0, 1, 2, 3], [0, 1, 0, 1], 2)
    # 2 signs x 2d = 8 partitions -> 16 options; unordered pairs C(17, 2)
    assert r.programs == 136 and r.paper_programs == paper_enumeration_size(4, 2) == 64
    with pytest.raises(BudgetExceededError):
        erm([0, 1, 2, 3], [0, 1, 0, 1], 3, max_programs=100)
    with pytest.raises(ExactReluError):
        erm([0, 1], [0], 1)
    with pytest.raises(ExactReluError):
        erm([0, 1], [0, 2], 1, loss="hinge")
    with pytest.raises(ExactReluError):
        erm([0, 1], [0, 2], 1, loss="cubic")


data = st.integers(2, 4).flatmap(lambda D: st.tuples(
    st.lists(st.integers(-4, 4), min_size=D, max_size=D, unique=True),
    st.lists(st.integers(-3, 3), min_size=D, max_size=D)))


@settings(max_examples=15, deadline=None)
@given(data, st.integers(1, 2), st.booleans(), st.sampled_from(["squared", "l1"]), st.integers(0, 10 ** 6))
def test_erm_beats_random_search(xy, width, bias, loss, seed):
    xs, ys = xy
    r = erm(xs, ys, width, loss=loss, output_bias=bias)
    assert r.certified
    assert exact_loss(r.network, xs, ys, loss) == r.optimum
    rng = random.Random(seed)
    for _ in range(30):
        W = [[Fraction(rng.randint(-8, 8), rng.randint(1, 4))] for _ in range(width)]
        b = [Fraction(rng.randint(-8, 8), rng.randint(1, 4)) for _ in range(width)]
        v = [Fraction(rng.randint(-8, 8), rng.randint(1, 4)) for _ in range(width)]
        c = Fraction(rng.randint(-8, 8), rng.randint(1, 4)) if bias else 0
        net = ReLUNetwork([(W, b), ([v], [c])])
        assert exact_loss(net, xs, ys, loss) >= r.optimum
    # a wider network is never worse
    if width == 1:
        assert erm(xs, ys, 2, loss=loss, output_bias=bias).optimum <= r.optimum


def test_gd_claim_refuted():
    w = gd_witness()
    assert w.optimum == 0 and w.dead_units == (1,) and w.floor == Fraction(1, 2)
    assert w.gd_loss >= w.floor and w.refuted and isinstance(w.gd_loss, Fraction)
    assert check_gd_refuted().holds
    e = gd_reaches_global_optimum(GD_INIT)
    assert isinstance(e, Fraction) and e > 0
    # from a good initialisation (both units alive, on opposite sides) GD gets close: the check fails
    good = ReLUNetwork([([["1"], ["-1"]], ["0.1", "0.1"]), ([["0.9", "0.9"]], ["0"])])
    assert not check_gd_refuted(good).holds
    assert gd_reaches_global_optimum(good) <= 0
    # a huge initialisation makes GD diverge: the last finite iterate is judged, still exactly
    huge = ReLUNetwork([([[6], [-6]], [6, 6]), ([[6, 6]], [6])])
    assert isinstance(gd_reaches_global_optimum(huge), Fraction)
    import warnings

    from exactrelu.theorems.arora.erm import gradient_descent

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        diverged = gradient_descent(huge, *GD_DATA, lr=10.0, steps=200)
    assert isinstance(exact_loss(diverged, *GD_DATA), Fraction)
    assert dead_at_init_probability([-1, 0, 1], 2) == Fraction(7, 16)
    assert dead_at_init_probability(GD_DATA[0]) == Fraction(1, 4)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.integers(0, 10 ** 6))
def test_exact_solvers_certificates(D, k, seed):
    rng = random.Random(seed)
    cols = [[Fraction(rng.randint(-3, 3)) for _ in range(D)] for _ in range(k)]
    y = [Fraction(rng.randint(-4, 4)) for _ in range(D)]
    res = nnls(cols, y)
    assert nnls_certificate_holds(cols, y, res)
    A = [[Fraction(rng.randint(-3, 3)) for _ in range(k)] for _ in range(D)]
    b = [Fraction(rng.randint(-3, 5)) for _ in range(D)]
    c = [Fraction(rng.randint(0, 4)) for _ in range(k)]
    try:
        lp = linprog(c, A, b)
    except ValueError:
        return  # infeasible
    assert lp_certificate_holds(c, A, b, lp)
    # a perturbed primal point is not certified
    if lp.z:
        from exactrelu.theorems.arora._exact_opt import LPResult

        bad = LPResult(tuple(v + 1 for v in lp.z), lp.dual, lp.value + sum(c))
        assert not lp_certificate_holds(c, A, b, bad) or sum(c) == 0


def test_nd_known_answers():
    xor = [(0, 0), (1, 0), (0, 1), (1, 1)]
    r = erm(xor, [0, 1, 1, 0], 2, output_bias=True)
    assert r.optimum == 0 and r.certified and r.network.input_dim == 2
    assert erm(xor, [0, 1, 1, 0], 1, output_bias=True).optimum == Fraction(2, 3)
    assert erm(xor, [0, 1, 1, 0], 1, loss="l1", output_bias=True).optimum == 1
    assert r.paper_programs == paper_enumeration_size(4, 2, 2) == 4 * 4 ** 4
    with pytest.raises(ExactReluError):
        erm([(0, 0), (1,)], [0, 1], 1)


@settings(max_examples=20, deadline=None)
@given(data, st.integers(1, 2), st.booleans())
def test_general_path_equals_fast_path_in_1d(xy, width, bias):
    xs, ys = xy
    fast = erm(xs, ys, width, output_bias=bias)
    general = erm(xs, ys, width, output_bias=bias, general=True)
    assert fast.optimum == general.optimum and general.certified and fast.programs == general.programs


points2 = st.lists(st.tuples(st.integers(-3, 3), st.integers(-3, 3)), min_size=1, max_size=6, unique=True)


@settings(max_examples=12, deadline=None)
@given(points2)
def test_partitions_are_arrangement_chambers(pts):
    """Number of hyperplane partitions = regions of the central arrangement {(x_j, 1)^perp} (Theorem 3.6's count)."""
    from exactrelu.theorems.arora._erm_geometry import hyperplane_partitions
    from exactrelu.theorems.arora.zonotopes import vertex_bound, vertex_count

    parts = hyperplane_partitions([tuple(Fraction(v) for v in p) for p in pts])
    normals = [(x, y, 1) for x, y in pts]
    assert len(parts) == vertex_count(normals) <= vertex_bound(len(pts), 3)
    # brute force over a grid of (a, b): every P+ found there is in the list
    found = set(parts)
    for a1 in range(-3, 4):
        for a2 in range(-3, 4):
            for b in range(-4, 5):
                s = frozenset(j for j, (x, y) in enumerate(pts) if a1 * x + a2 * y + b >= 0)
                assert s in found


@settings(max_examples=10, deadline=None)
@given(st.lists(st.tuples(st.integers(-2, 2), st.integers(-2, 2)), min_size=2, max_size=4, unique=True),
       st.integers(0, 10 ** 6))
def test_nd_erm_beats_random_search(pts, seed):
    rng = random.Random(seed)
    ys = [Fraction(rng.randint(-3, 3)) for _ in pts]
    r = erm(pts, ys, 1, output_bias=True)
    assert r.certified and exact_loss(r.network, pts, ys) == r.optimum
    for _ in range(30):
        W = [[Fraction(rng.randint(-6, 6), rng.randint(1, 3)) for _ in range(2)]]
        net = ReLUNetwork([(W, [Fraction(rng.randint(-6, 6), 2)]), ([[Fraction(rng.randint(-6, 6), 2)]], [Fraction(rng.randint(-6, 6), 3)])])
        assert exact_loss(net, pts, ys) >= r.optimum


@pytest.mark.slow
def test_xor_width_3_and_paper_count():
    xor = [(0, 0), (1, 0), (0, 1), (1, 1)]
    r = erm(xor, [0, 1, 1, 0], 3, output_bias=True)
    assert r.optimum == 0 and r.certified
    assert r.programs == 4060 and r.paper_programs == 2 ** 3 * 4 ** 6
