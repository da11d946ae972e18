"""exactrelu.pwl: canonical exact piecewise-linear functions."""

from __future__ import annotations

import json
import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import probe_points
from exactrelu import DomainError, ExactReluError, InvalidRationalError, NetworkFormatError, PiecewiseLinear, l1_distance
from exactrelu.strategies import piecewise_linear, rationals

P = PiecewiseLinear
F = Fraction
TENT = P([(0, 0), ("1/2", 1), (1, 0)])
ABS = P([(0, 0)], left_slope=-1, right_slope=1)

DOMAINS = [(0, 1), (-2, 3), (F(-1, 3), None), (None, F(5, 2)), None]
any_domain = st.sampled_from(DOMAINS)


def pwl_on(domain, **kw):
    return piecewise_linear(domain=domain, **kw)


def pair_on_same_domain():
    return any_domain.flatmap(lambda d: st.tuples(pwl_on(d), pwl_on(d), st.just(d)))


def probes(f, *others, seed=0):
    pts = set(f.breakpoints)
    for g in others:
        pts |= set(g.breakpoints)
    return probe_points(pts, f.domain, random.Random(seed))


# ------------------------------------------------------------ known values
def test_tent_basic_facts():
    assert TENT.pieces == 2
    assert TENT.kinks == (F(1, 2),)
    assert TENT.breakpoints == (F(0), F(1, 2), F(1))
    assert TENT.values == (F(0), F(1), F(0))
    assert TENT.slopes == (F(2), F(-2))
    assert TENT.domain == (F(0), F(1))
    assert TENT.left_slope is None and TENT.right_slope is None
    v = TENT("1/4")
    assert type(v) is Fraction and v == F(1, 2)
    i = TENT.integral()
    assert type(i) is Fraction and i == F(1, 2)
    for x in TENT.kinks + TENT.breakpoints + TENT.slopes:
        assert type(x) is Fraction


def test_affine_on_r_has_no_kinks_and_one_piece():
    line = P.affine(2, -1)
    assert line.pieces == 1 and line.kinks == () and line.breakpoints == () and line.values == ()
    assert line.slopes == (F(2),)
    assert line.domain == (None, None)
    assert line(F(1, 2)) == 0
    assert line.level_crossings(0) == (F(1, 2),)


@pytest.mark.parametrize(
    "domain, expected",
    [
        ((0, 1), P([(0, -1), (1, 1)])),
        ((0, None), P([(0, -1)], right_slope=2)),
        ((None, 1), P([(1, 1)], left_slope=2)),
        (None, P([(0, -1)], left_slope=2, right_slope=2)),
    ],
)
def test_affine_constructor_on_every_kind_of_domain(domain, expected):
    assert P.affine(2, -1, domain) == expected


def test_abs_on_r():
    assert ABS.pieces == 2 and ABS.kinks == (F(0),)
    assert ABS.slopes == (F(-1), F(1))
    assert ABS("-7/3") == F(7, 3)
    assert ABS.domain == (None, None)


# --------------------------------------------------------------- canonical
def test_collinear_vertices_merge():
    f = P([(0, 0), (1, 1), (2, 2), (3, 1)])
    assert f == P([(0, 0), (2, 2), (3, 1)])
    assert hash(f) == hash(P([(0, 0), (2, 2), (3, 1)]))
    assert f.pieces == 2
    assert f.breakpoints == (F(0), F(2), F(3))


def test_affine_on_r_is_canonical_whatever_the_anchor():
    a = P([(5, 5)], left_slope=1, right_slope=1)
    b = P([(0, 0), (1, 1), (2, 2)], left_slope=1, right_slope=1)
    c = P.affine(1, 0)
    assert a == b == c and hash(a) == hash(b) == hash(c)


def test_equal_slopes_at_ends_but_kinks_inside_keep_their_vertices():
    f = P([(0, 0), (1, 1), (2, 0), (3, 1)], left_slope=1, right_slope=1)
    assert f.kinks == (F(1), F(2))
    assert f.pieces == 3


@settings(max_examples=150)
@given(any_domain.flatmap(pwl_on), st.lists(st.integers(1, 9), max_size=4))
def test_refining_with_collinear_points_gives_an_equal_hash_equal_function(f, cuts):
    # rebuild f from a refined vertex list: breakpoints plus points inside pieces
    xs = list(f.breakpoints)
    lo, hi = f.domain
    if not xs:  # affine on R
        xs = [F(0)]
    extra = set()
    for c in cuts:
        extra.add(xs[0] - c if lo is None else xs[0] + (xs[-1] - xs[0]) * F(c, 10) if len(xs) > 1 else xs[0] + c)
        if hi is None:
            extra.add(xs[-1] + F(c, 3))
    pts = sorted(set(xs) | {x for x in extra if (lo is None or x >= lo) and (hi is None or x <= hi)})
    g = P([(x, f(x)) for x in pts], left_slope=f.left_slope, right_slope=f.right_slope)
    assert g == f and hash(g) == hash(f)
    assert g.breakpoints == f.breakpoints


@settings(max_examples=150)
@given(any_domain.flatmap(pwl_on))
def test_repr_pastes_back(f):
    namespace = {"PiecewiseLinear": PiecewiseLinear}
    exec("from exactrelu import PiecewiseLinear", namespace)
    back = eval(repr(f), namespace)
    assert back == f and hash(back) == hash(f)
    assert repr(back) == repr(f)


@settings(max_examples=150)
@given(any_domain.flatmap(pwl_on))
def test_json_round_trip(f):
    text = f.to_json()
    data = json.loads(text)
    assert data["format"] == "exactrelu.pwl" and data["version"] == 1
    assert all(isinstance(v, str) for p in data["points"] for v in p)
    assert P.from_json(text) == f
    assert P.from_dict(f.to_dict()) == f


@settings(max_examples=150)
@given(any_domain.flatmap(pwl_on))
def test_pieces_kinks_slopes_are_consistent(f):
    assert f.pieces == len(f.kinks) + 1 == len(f.slopes)
    assert all(type(s) is Fraction for s in f.slopes)
    assert all(a != b for a, b in zip(f.slopes, f.slopes[1:]))  # canonical: no collinear neighbours
    assert list(f.kinks) == sorted(set(f.kinks))
    for k in f.kinks:
        left, right = f.one_sided_slopes(k)
        assert left != right


@pytest.mark.parametrize(
    "bad",
    [
        "not json",
        "[1, 2]",
        json.dumps({"format": "exactrelu.network", "version": 1, "points": []}),
        json.dumps({"format": "exactrelu.pwl", "version": 2, "points": [["0", "0"], ["1", "1"]]}),
        json.dumps({"format": "exactrelu.pwl", "version": 1, "points": "x"}),
        json.dumps({"format": "exactrelu.pwl", "version": 1, "points": [[0.5, "1"], ["1", "1"]]}),
        json.dumps({"format": "exactrelu.pwl", "version": 1, "points": [["0"], ["1", "1"]]}),
        # these raised InvalidRationalError / DomainError instead of NetworkFormatError:
        json.dumps({"format": "exactrelu.pwl", "version": 1, "points": [["0", "0"]], "left_slope": 0.5}),
        json.dumps({"format": "exactrelu.pwl", "version": 1, "points": [["0", "0"], ["0", "1"]]}),
        json.dumps({"format": "exactrelu.pwl", "version": 1, "points": [[True, "0"], ["1", "1"]]}),
        json.dumps({"format": "exactrelu.pwl", "version": 1, "points": []}),
        json.dumps({"format": "exactrelu.pwl", "version": 1, "points": [["0", "x"], ["1", "1"]]}),
    ],
)
def test_malformed_pwl_json(bad):
    with pytest.raises(NetworkFormatError):
        P.from_json(bad)


# -------------------------------------------------------------- evaluation
def test_outside_domain_raises():
    with pytest.raises(DomainError, match="outside the domain"):
        TENT(2)
    with pytest.raises(DomainError):
        TENT("-1/100")
    with pytest.raises(DomainError):
        P([(0, 0)], right_slope=1)(-1)
    with pytest.raises(DomainError):
        TENT.one_sided_slopes(3)


def test_evaluation_rejects_floats_and_junk():
    with pytest.raises(InvalidRationalError):
        TENT(0.5)
    with pytest.raises(InvalidRationalError):
        TENT("x")
    assert TENT(0.5 if False else "0.5") == 1


@pytest.mark.parametrize(
    "f, x, expected",
    [
        (ABS, 0, (F(-1), F(1))),
        (ABS, 5, (F(1), F(1))),
        (TENT, 0, (None, F(2))),
        (TENT, 1, (F(-2), None)),
        (TENT, "1/2", (F(2), F(-2))),
        (TENT, "1/4", (F(2), F(2))),
        (P.affine(3, 1), 0, (F(3), F(3))),
        (P([(0, 1)], right_slope=-1), 0, (None, F(-1))),
    ],
)
def test_one_sided_slopes_table(f, x, expected):
    assert f.one_sided_slopes(x) == expected


@settings(max_examples=150)
@given(any_domain.flatmap(pwl_on))
def test_one_sided_slopes_are_difference_quotients(f):
    pts = probes(f)
    everything = sorted(set(pts) | set(f.breakpoints))
    for x in pts:
        left, right = f.one_sided_slopes(x)
        gaps = [abs(b - a) for a, b in zip(everything, everything[1:]) if a != b] or [F(1)]
        h = min(gaps) / 4
        lo, hi = f.domain
        if right is not None:
            assert (f(x + h) - f(x)) / h == right
        else:
            assert x == hi
        if left is not None:
            assert (f(x) - f(x - h)) / h == left
        else:
            assert x == lo


# -------------------------------------------------------------- arithmetic
@settings(max_examples=200)
@given(pair_on_same_domain(), rationals())
def test_arithmetic_is_pointwise_and_exact(fgd, c):
    f, g, _ = fgd
    results = {
        "add": (f + g, lambda x: f(x) + g(x)),
        "sub": (f - g, lambda x: f(x) - g(x)),
        "neg": (-f, lambda x: -f(x)),
        "scale": (f * c, lambda x: c * f(x)),
        "rscale": (c * f, lambda x: c * f(x)),
        "shift": (f + c, lambda x: f(x) + c),
        "rshift": (c - f, lambda x: c - f(x)),
        "relu": (f.relu(), lambda x: max(f(x), F(0))),
        "abs": (abs(f), lambda x: abs(f(x))),
        "max": (f.maximum(g), lambda x: max(f(x), g(x))),
        "min": (f.minimum(g), lambda x: min(f(x), g(x))),
    }
    for name, (h, expected) in results.items():
        assert isinstance(h, PiecewiseLinear), name
        assert h.domain == f.domain, name
        for x in probes(f, g, h):
            value = h(x)
            assert type(value) is Fraction, name
            assert value == expected(x), (name, x)


def test_scalar_arithmetic_rejects_floats_and_bools():
    with pytest.raises(TypeError):
        TENT * 0.5
    with pytest.raises(TypeError):
        TENT + 0.5
    with pytest.raises(TypeError):
        TENT * True
    assert TENT * "1/2" == P([(0, 0), ("1/2", "1/2"), (1, 0)])
    assert TENT * 0 == P.affine(0, 0, (0, 1))


def test_sum_on_overlapping_domains_is_on_the_intersection():
    f = P.affine(1, 0, (0, 2))
    g = P.affine(1, 0, (1, None))
    assert (f + g) == P.affine(2, 0, (1, 2))
    with pytest.raises(DomainError, match="do not overlap"):
        P.affine(1, 0, (0, 1)) + P.affine(1, 0, (1, 2))


@settings(max_examples=200)
@given(any_domain.flatmap(pwl_on))
def test_B2_relu_lemma(f):
    """pieces(relu f) <= pieces(f) + sign changes(f) <= 2 pieces(f) (Arora et al. 2018, Fig. 4)."""
    changes = len(f.level_crossings(0))
    assert changes <= f.pieces
    assert f.relu().pieces <= f.pieces + changes <= 2 * f.pieces


@settings(max_examples=200)
@given(pair_on_same_domain())
def test_B2_sum_lemma(fgd):
    """pieces(f + g) <= pieces(f) + pieces(g) - 1 (Arora et al. 2018, Lemma D.5 proof)."""
    f, g, _ = fgd
    assert (f + g).pieces <= f.pieces + g.pieces - 1
    assert (f - g).pieces <= f.pieces + g.pieces - 1


def test_relu_with_crossing_inside_a_piece_and_on_rays():
    f = P([(0, -1), (2, 1)], left_slope=1, right_slope=-2)
    r = f.relu()
    assert r == P([(-1, 0), (1, 0), (2, 1), (F(5, 2), 0)], left_slope=0, right_slope=0)
    assert r.kinks == (F(1), F(2), F(5, 2))


# ----------------------------------------------------------------- compose
@settings(max_examples=150)
@given(pwl_on(None), any_domain.flatmap(pwl_on))
def test_compose_is_pointwise(outer, inner):
    h = outer.compose(inner)
    assert h.domain == inner.domain
    for x in probes(inner, h):
        assert h(x) == outer(inner(x))


@settings(max_examples=100)
@given(pwl_on((0, 1)), pwl_on((0, 1), values=rationals(min_value=0, max_value=1)))
def test_compose_into_a_bounded_outer_domain(outer, inner):
    h = outer.compose(inner)
    for x in probes(inner, h):
        assert h(x) == outer(inner(x))


def test_compose_tent_with_itself_doubles_pieces():
    f = TENT
    for k in range(1, 8):
        assert f.pieces == 2**k
        f = TENT.compose(f)


def test_compose_range_errors():
    with pytest.raises(DomainError, match="cannot compose"):
        TENT.compose(ABS)
    with pytest.raises(DomainError):
        TENT.compose(P.affine(2, 0, (0, 1)))
    with pytest.raises(DomainError):
        TENT.compose(P([(0, "1/2")], right_slope=-1))


def test_compose_with_rays_travelling_each_way():
    step = P([(0, 0), (1, 1)], left_slope=0, right_slope=0)  # clamp to [0, 1]
    for inner in (P.affine(-1, 0), P.affine(3, 2), P([(0, 0)], left_slope=2, right_slope=-1)):
        h = step.compose(inner)
        for x in (F(-5), F(-1, 3), F(0), F(1, 2), F(7)):
            assert h(x) == step(inner(x))


# ---------------------------------------------------------------- restrict
@settings(max_examples=100)
@given(pwl_on(None), rationals(), st.integers(1, 5))
def test_restrict(f, a, width):
    g = f.restrict(a, a + width)
    assert g.domain == (a, a + width)
    for x in probe_points(g.breakpoints, (a, a + width), random.Random(1)):
        assert g(x) == f(x)
    assert f.restrict(a, None).domain == (a, None)
    assert f.restrict(None, None) == f


def test_restrict_errors():
    with pytest.raises(DomainError, match="reversed"):
        TENT.restrict(1, 0)
    with pytest.raises(DomainError, match="empty"):
        TENT.restrict("1/2", "1/2")
    with pytest.raises(DomainError):
        TENT.restrict(2, 3)
    with pytest.raises(DomainError, match="outside the domain"):  # was: silently [0, 1/2]
        TENT.restrict(-1, "1/2")
    with pytest.raises(DomainError, match="outside the domain"):
        P([(0, 0)], right_slope=1).restrict(-1, None)


def test_restrict_none_keeps_that_side():
    assert TENT.restrict("1/4", None) == P([("1/4", "1/2"), ("1/2", 1), (1, 0)])
    assert TENT.restrict(None, None) == TENT
    assert ABS.restrict(None, 2) == P([(0, 0), (2, 2)], left_slope=-1)
    assert ABS.restrict(None, 2).domain == (None, 2)


# ---------------------------------------------------------- level crossings
@pytest.mark.parametrize(
    "f, level, expected",
    [
        (TENT, "1/2", (F(1, 4), F(3, 4))),
        (TENT, 1, ()),  # touching the peak is not a crossing
        (TENT, 0, ()),  # touching at the domain ends
        (ABS, 0, ()),  # touching from above on R
        (ABS, 1, (F(-1), F(1))),
        (P([(0, -1), (1, 0), (2, 0), (3, 1)]), 0, (F(1),)),  # through a flat stretch: its left end
        (P([(0, -1), (1, 0), (2, 0), (3, -1)]), 0, ()),  # flat touch from below
        (P.affine(0, 3), 3, ()),  # constant at the level
        (P.affine(0, 3), 2, ()),
        (P.affine(2, -1), 0, (F(1, 2),)),
        (P([(0, 1)], left_slope=1, right_slope=1), 0, (F(-1),)),  # crossing on a ray
        (P([(0, -1)], left_slope=1, right_slope=1), 0, (F(1),)),
        (P([(0, 0)], left_slope=0, right_slope=1), 0, ()),  # flat at 0 then up: a touch
        (P([(0, 0)], left_slope=1, right_slope=1), 0, (F(0),)),
    ],
)
def test_level_crossings_table(f, level, expected):
    got = f.level_crossings(level)
    assert got == expected
    assert all(type(x) is Fraction for x in got)


@settings(max_examples=200)
@given(any_domain.flatmap(pwl_on), rationals())
def test_level_crossings_are_the_sign_changes(f, level):
    g = f - level
    crossings = f.level_crossings(level)
    assert list(crossings) == sorted(set(crossings))
    for c in crossings:
        assert f(c) == level
    # signs between and beyond all vertices and crossings, zeros dropped
    pts = sorted(set(g.breakpoints) | set(crossings))
    lo, hi = f.domain
    samples = []
    if not pts:
        pts = [F(0)]
    if lo is None:
        samples.append(pts[0] - 1)
    samples += pts + [(a + b) / 2 for a, b in zip(pts, pts[1:])]
    if hi is None:
        samples.append(pts[-1] + 1)
    signs = [(v > 0) - (v < 0) for v in (g(x) for x in sorted(samples))]
    signs = [s for s in signs if s]
    changes = sum(1 for a, b in zip(signs, signs[1:]) if a != b)
    assert len(crossings) == changes


# ----------------------------------------------------------------- integral
def test_integral_known_values():
    assert (TENT - F(1, 2)).abs().integral(0, 1) == F(1, 4)
    assert ABS.integral(-1, 2) == F(5, 2)
    assert TENT.integral("1/4", "3/4") == F(3, 8)
    assert TENT.integral(0, 0) == 0
    assert type(ABS.integral(-1, 1)) is Fraction


def test_integral_errors():
    with pytest.raises(DomainError, match="unbounded"):
        ABS.integral()
    with pytest.raises(DomainError, match="reversed"):
        TENT.integral(1, 0)
    with pytest.raises(DomainError, match="outside"):
        TENT.integral(0, 2)


@settings(max_examples=150)
@given(pwl_on((-2, 3)), rationals(min_value=-2, max_value=3), rationals(min_value=-2, max_value=3))
def test_integral_is_additive_and_matches_trapezoids(f, a, b):
    a, b = min(a, b), max(a, b)
    total = f.integral()
    assert f.integral(-2, a) + f.integral(a, b) + f.integral(b, 3) == total
    xs = list(f.breakpoints)
    naive = sum(((f(x0) + f(x1)) * (x1 - x0) / 2 for x0, x1 in zip(xs, xs[1:])), F(0))
    assert total == naive and type(total) is Fraction


@settings(max_examples=150)
@given(st.sampled_from([(0, 1), (-2, 3)]).flatmap(lambda d: st.tuples(pwl_on(d), pwl_on(d), st.just(d))))
def test_l1_distance(fgd):
    f, g, (lo, hi) = fgd
    d = l1_distance(f, g, lo, hi)
    assert type(d) is Fraction
    assert d == l1_distance(g, f, lo, hi) >= abs((f - g).integral())
    assert d >= 0
    assert (d == 0) == (f == g)
    assert l1_distance(f, f, lo, hi) == 0


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize(
    "args, kwargs, error",
    [
        (([],), {}, DomainError),
        (([(0, 0)],), {}, DomainError),  # one-point bounded domain
        (([(1, 0), (0, 1)],), {}, DomainError),  # reversed
        (([(0, 0), (0, 1)],), {}, DomainError),  # repeated x
        (([(0, 0, 0)],), {}, DomainError),
        (([5],), {}, DomainError),
        (([(0, 0.5), (1, 1)],), {}, InvalidRationalError),
        (([(0, "x"), (1, 1)],), {}, InvalidRationalError),
        (([(0, 0)],), {"left_slope": float("nan")}, InvalidRationalError),
        (([(0, 0)],), {"right_slope": True}, InvalidRationalError),
    ],
)
def test_constructor_errors(args, kwargs, error):
    with pytest.raises(error) as info:
        P(*args, **kwargs)
    assert isinstance(info.value, ExactReluError) and isinstance(info.value, ValueError)


@pytest.mark.parametrize("domain", [(1, 0), (1, 1), ("1/2", "1/2"), (0, 1, 2), "ab", 5])
def test_affine_bad_domains(domain):
    with pytest.raises((DomainError, InvalidRationalError)):
        P.affine(1, 0, domain)


@pytest.mark.parametrize("domain", ["ab", b"01", "0,1"])
def test_string_domain_is_a_domain_error(domain):
    with pytest.raises(DomainError, match="domain="):
        PiecewiseLinear.affine(1, 0, domain)
