"""Column-backed PiecewiseLinear: every column fast path against a slow Fraction reference.

The reference (``Ref``) is written here from scratch on lists of Fractions,
independent of the integer columns: a function is its vertex list and end
slopes; sums evaluate both functions on the union of vertices, relu inserts
crossings by the secant formula, and canonical form merges collinear vertices.
"""

from __future__ import annotations

import random
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exactrelu import DomainError, PiecewiseLinear, propagate, tent_map
from exactrelu._kernels import graphs as G
from exactrelu._kernels import lines as K
from exactrelu.measure import l1_distance
from exactrelu.strategies import piecewise_linear, rationals

F = Fraction
P = PiecewiseLinear


class Ref:
    """Slow reference: vertices (xs, ys) and end slopes, all Fractions."""

    def __init__(self, xs, ys, left, right):
        self.xs, self.ys, self.left, self.right = list(xs), list(ys), left, right

    @classmethod
    def of(cls, f: P) -> "Ref":
        return cls(f._xs, f._ys, f.left_slope, f.right_slope)

    def __call__(self, x):
        xs, ys = self.xs, self.ys
        if x <= xs[0]:
            return ys[0] if x == xs[0] else ys[0] + self.left * (x - xs[0])
        if x >= xs[-1]:
            return ys[-1] if x == xs[-1] else ys[-1] + self.right * (x - xs[-1])
        for i in range(len(xs) - 1):
            if xs[i] <= x <= xs[i + 1]:
                return ys[i] + (ys[i + 1] - ys[i]) * (x - xs[i]) / (xs[i + 1] - xs[i])
        raise AssertionError

    def canonical(self):
        """(kinks and finite ends, values, left, right) with collinear vertices merged."""
        xs, ys, n = self.xs, self.ys, len(self.xs)
        seg = [(ys[i + 1] - ys[i]) / (xs[i + 1] - xs[i]) for i in range(n - 1)]
        kx, ky = [], []
        for i in range(n):
            before = self.left if i == 0 else seg[i - 1]
            after = self.right if i == n - 1 else seg[i]
            end = (i == 0 and self.left is None) or (i == n - 1 and self.right is None)
            if end or before != after:
                kx.append(xs[i])
                ky.append(ys[i])
        if not kx:
            kx, ky = [F(0)], [self(F(0))]
        return kx, ky, self.left, self.right

    def binary(self, other, op, domain):
        lo, hi = domain
        grid = sorted({x for x in self.xs + other.xs if (lo is None or x >= lo) and (hi is None or x <= hi)}
                      | {v for v in (lo, hi) if v is not None}) or [F(0)]
        left = op(self.left, other.left) if lo is None else None
        right = op(self.right, other.right) if hi is None else None
        return Ref(grid, [op(self(x), other(x)) for x in grid], left, right)

    def pointwise(self, fn):
        """fn(f) for fn = relu or abs: insert every strict crossing, map the values."""
        xs, ys = [], []
        if self.left is not None and self.left != 0:
            c = self.xs[0] - self.ys[0] / self.left
            if c < self.xs[0]:
                xs.append(c)
                ys.append(F(0))
        for i, (x, y) in enumerate(zip(self.xs, self.ys)):
            if i and self.ys[i - 1] * y < 0:
                x0, y0 = self.xs[i - 1], self.ys[i - 1]
                xs.append(x0 - y0 * (x - x0) / (y - y0))
                ys.append(F(0))
            xs.append(x)
            ys.append(y)
        if self.right is not None and self.right != 0:
            c = self.xs[-1] - self.ys[-1] / self.right
            if c > self.xs[-1]:
                xs.append(c)
                ys.append(F(0))
        sl = (lambda s: s if s < 0 else F(0)) if fn == "relu" else (lambda s: -abs(s))
        sr = (lambda s: s if s > 0 else F(0)) if fn == "relu" else abs
        vals = [max(y, F(0)) if fn == "relu" else abs(y) for y in ys]
        return Ref(xs, vals, None if self.left is None else sl(self.left),
                   None if self.right is None else sr(self.right))

    def integral(self, a, b):
        pts = sorted({a, b} | {x for x in self.xs if a < x < b})
        return sum(((self(x0) + self(x1)) * (x1 - x0) / 2 for x0, x1 in zip(pts, pts[1:])), F(0))


def same(f: P, ref: Ref):
    kx, ky, left, right = ref.canonical()
    assert (list(f._xs), list(f._ys), f.left_slope, f.right_slope) == (kx, ky, left, right)


DOMAINS = [(0, 1), (-2, 3), (F(-1, 3), None), (None, F(5, 2)), None]
pairs = st.sampled_from(DOMAINS).flatmap(lambda d: st.tuples(piecewise_linear(domain=d), piecewise_linear(domain=d)))


@pytest.fixture(params=["int64", "object", "numpy-grid"])
def path(request, monkeypatch):
    """Run each test three times: int64 where bounds allow, every array as Python ints, and
    small functions through the numpy merge instead of the pure-Python one."""
    if request.param == "object":
        monkeypatch.setattr(K, "INT64_LIMIT", 1)
    if request.param == "numpy-grid":
        monkeypatch.setattr(G, "SMALL", 0)
    return request.param


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs, rationals())
def test_arithmetic_matches_reference(path, fg, c):
    f, g = fg
    rf, rg = Ref.of(f), Ref.of(g)
    d = f.domain
    same(f + g, rf.binary(rg, lambda a, b: a + b, d))
    same(f - g, rf.binary(rg, lambda a, b: a - b, d))
    same(f + c, Ref(rf.xs, [y + c for y in rf.ys], rf.left, rf.right))
    if c != 0:
        same(f * c, Ref(rf.xs, [y * c for y in rf.ys], None if rf.left is None else rf.left * c,
                        None if rf.right is None else rf.right * c))
    same(f.relu(), rf.pointwise("relu"))
    same(f.abs(), rf.pointwise("abs"))
    m = f.maximum(g)
    diff = rf.binary(rg, lambda a, b: a - b, d).pointwise("relu")
    same(m, rg.binary(diff, lambda a, b: a + b, d))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from([(0, 1), (-2, 3)]).flatmap(lambda d: st.tuples(piecewise_linear(domain=d),
                                                                       piecewise_linear(domain=d))),
       st.sampled_from([(0, 1), (F(1, 3), F(1, 2)), (F(1, 7), F(2, 3))]))
def test_integral_l1_level_crossings_match_reference(path, fg, ab):
    f, g = fg
    a, b = ab
    rf, rg = Ref.of(f), Ref.of(g)
    v = f.integral(a, b)
    assert type(v) is Fraction and v == rf.integral(a, b)
    dist = rf.binary(rg, lambda x, y: x - y, f.domain).pointwise("abs").integral(a, b)
    assert l1_distance(f, g, a, b) == dist
    for level in (F(0), F(1, 2), rf.ys[0]):
        got = f.level_crossings(level)
        assert f.num_level_crossings(level) == len(got)
        # every reported point is on the level and the sign differs on both sides
        for x in got:
            assert f(x) == level
        assert list(got) == sorted(set(got))


def test_hash_and_equality_across_dtypes(monkeypatch):
    f = propagate(tent_map(6), (0, 1)).output
    monkeypatch.setattr(K, "INT64_LIMIT", 1)
    g = propagate(tent_map(6), (0, 1)).output
    assert f.columns.X.dtype == g.columns.X.dtype == np.int64  # canonical dtype is the smallest
    assert f == g and hash(f) == hash(g)
    assert f != g + F(1, 10**30) and f + F(1, 10**30) - F(1, 10**30) == f


def test_huge_entries_stay_exact():
    d = 2**80 + 1
    f = P([(0, 0), (F(1, d), 1), (1, F(d - 1, d))])
    assert f.columns.X.dtype == object
    g = f + f - f
    assert g == f and hash(g) == hash(f)
    assert f.integral() == Ref.of(f).integral(F(0), F(1))
    assert (f - F(1, 2)).relu() == P._new(*Ref.of(f - F(1, 2)).pointwise("relu").canonical())


def test_columns_view_and_from_columns():
    f = P([(0, 0), ("1/2", 1), (1, 0)])
    X, Y, w = f.columns
    assert [F(int(a), int(b)) for a, b in zip(X, w)] == [0, F(1, 2), 1]
    with pytest.raises(ValueError):
        X[0] = 3
    assert P.from_columns(X, Y, w) == f
    on_r = P([(0, 0)], left_slope=-1, right_slope=1)
    assert P.from_columns(*on_r.columns) == on_r
    for bad in ([[0, 0], [0, 1], [1, 1]], [[1, 0], [0, 0], [1, 1]], [[0, 1, 2], [0, 0, 0], [1, 0, 1]],
                [[1, 2], [0, 0], [0, 1]], [[0], [0], [1]], [["a"], [0], [1]]):
        with pytest.raises(DomainError):
            P.from_columns(*bad)


def test_big_function_repr_is_one_line_and_to_repr_pastes_back():
    f = propagate(tent_map(20), (0, 1)).output
    text = repr(f)
    assert "\n" not in text and len(text) < 200 and "1048576 pieces" in text
    small = propagate(tent_map(3), (0, 1)).output
    assert eval(repr(small), {"PiecewiseLinear": P}) == small
    mid = propagate(tent_map(7), (0, 1)).output
    assert repr(mid).startswith("<PiecewiseLinear: 128 pieces")
    assert eval(mid.to_repr(), {"PiecewiseLinear": P}) == mid


def test_tent_map_output_by_columns_equals_the_fraction_construction():
    k = 9
    f = propagate(tent_map(k), (0, 1)).output
    n = 2**k
    want = P([(F(i, n), i % 2) for i in range(n + 1)])
    assert f == want and hash(f) == hash(want)
    assert f.integral(0, 1) == F(1, 2)
    assert f.num_level_crossings(F(1, 2)) == n
    assert f.level_crossings(F(1, 2))[:2] == (F(1, 2 * n), F(3, 2 * n))


# ------------------------------------------------ the float pre-locate with exact confirmation
def slow_locate(qs, xs):
    pos = [sum(1 for x in xs if x < q) for q in qs]
    eq = [p < len(xs) and xs[p] == q for p, q in zip(pos, qs)]
    return pos, eq


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(-50, 50), st.integers(1, 12)), min_size=1, max_size=25),
       st.lists(st.tuples(st.integers(-50, 50), st.integers(1, 12)), min_size=1, max_size=25),
       st.sampled_from([np.int64, object]))
def test_locate_matches_fraction_bisection(cols, queries, dtype):
    xs = sorted({F(a, b) for a, b in cols})
    X = np.array([x.numerator for x in xs], dtype=dtype)
    w = np.array([x.denominator for x in xs], dtype=dtype)
    qs = [F(a, b) for a, b in queries]
    Xq = np.array([a * 3 for a, _ in queries], dtype=dtype)  # unreduced on purpose
    wq = np.array([b * 3 for _, b in queries], dtype=dtype)
    pos, eq = G.locate(Xq, wq, X, w)
    assert (pos.tolist(), eq.tolist()) == slow_locate(qs, xs)


def test_locate_near_ties_floats_cannot_separate():
    big = 10**17
    xs = [F(big, big + 1), F(1), F(big + 1, big)]
    X = G.obj([x.numerator for x in xs])
    w = G.obj([x.denominator for x in xs])
    qs = [F(big - 1, big), F(big, big + 1), F(1), F(big + 2, big + 1), F(big + 1, big), F(big + 3, big + 2)]
    Xq, wq = G.obj([q.numerator for q in qs]), G.obj([q.denominator for q in qs])
    keys = G.finite_keys(X, w)
    assert len(set(keys.tolist())) == 1  # floats see one point only
    pos, eq = G.locate(Xq, wq, X, w)
    assert (pos.tolist(), eq.tolist()) == slow_locate(qs, xs)


def test_sum_of_fractions_and_exact_int_sum():
    rng = random.Random(1)
    num = [rng.randint(-10**6, 10**6) for _ in range(300)]
    den = [rng.randint(1, 50) for _ in range(300)]
    want = sum((F(a, b) for a, b in zip(num, den)), F(0))
    assert G.sum_fractions(np.array(num), np.array(den)) == want
    assert G.sum_fractions(G.obj(num), G.obj(den)) == want
    a = np.full(1000, (1 << 61), dtype=np.int64)  # the int64 sum would overflow
    assert G.exact_int_sum(a) == 1000 << 61


# ------------------------------------------------ composition on columns against the Fraction walk
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(DOMAINS).flatmap(lambda d: st.tuples(piecewise_linear(domain=None), piecewise_linear(domain=d))))
def test_compose_on_columns_matches_the_fraction_walk(path, fg):
    from exactrelu.pwl._compose import compose_fractions

    outer, inner = fg
    got = outer.compose(inner)
    xs, ys, left, right = compose_fractions(outer, inner)
    assert got == P(list(zip(xs, ys)), left_slope=left, right_slope=right)
    for x in [*inner.breakpoints, *(inner.kinks and [inner.kinks[0] - 1, inner.kinks[-1] + 1])]:
        if inner.domain[0] is None or x >= inner.domain[0]:
            if inner.domain[1] is None or x <= inner.domain[1]:
                assert got(x) == outer(inner(x))


@settings(max_examples=60, deadline=None)
@given(piecewise_linear(domain=(0, 1)), piecewise_linear(domain=(0, 1), values=rationals(min_value=0, max_value=1)))
def test_compose_into_a_bounded_domain_matches_the_fraction_walk(outer, inner):
    from exactrelu.pwl._compose import compose_fractions

    xs, ys, left, right = compose_fractions(outer, inner)
    assert outer.compose(inner) == P(list(zip(xs, ys)), left_slope=left, right_slope=right)


def test_compose_of_tent_maps_on_columns():
    f = propagate(tent_map(8), (0, 1)).output
    g = propagate(tent_map(5), (0, 1)).output
    assert f.compose(g) == propagate(tent_map(13), (0, 1)).output


# ------------------------------------------------ notebook and formula views (lazy delegations)
def test_latex_sympy_round_trip_and_limits():
    from _extras import require

    require("sympy")
    f = P([(0, 0), ("1/2", 1), (1, 0)])
    assert f._repr_latex_().startswith("$") and "cases" in f.to_latex()
    assert P.from_sympy(f.to_sympy(), domain=(0, 1)) == f
    big = propagate(tent_map(6), (0, 1)).output  # 64 pieces: above the LaTeX limit
    assert big._repr_latex_() is None


def test_png_and_svg_renderers():
    from _extras import require

    require("matplotlib")
    f = P([(0, 0), ("1/2", 1), (1, 0)])
    png, svg = f._repr_png_(), f._repr_svg_()
    assert isinstance(png, bytes) and png[:4] == b"\x89PNG"
    assert isinstance(svg, str) and "<svg" in svg


@pytest.mark.parametrize("dtype", [np.int64, object])
def test_fast_fractions_equal_the_constructor(dtype):
    rng = random.Random(11)
    big = 2**70 if dtype is object else 2**40
    num = [rng.randint(-big, big) * rng.choice([1, 6, 1024]) for _ in range(500)] + [0, 0]
    den = [rng.randint(1, big) * rng.choice([1, 6, 1024]) for _ in range(500)] + [1, 7]
    got = G.fractions(np.array(num, dtype=dtype), np.array(den, dtype=dtype))
    want = [Fraction(a, b) for a, b in zip(num, den)]
    assert got == want and [hash(v) for v in got] == [hash(v) for v in want]
    assert all(type(v) is Fraction and v.denominator > 0 for v in got)
    assert [str(v) for v in got] == [str(v) for v in want] and sum(got) == sum(want)


def test_pickle_carries_columns_not_the_salted_hash():
    import pickle
    import subprocess
    import sys

    f = propagate(tent_map(5), (0, 1)).output
    hash(f)
    g = pickle.loads(pickle.dumps(f))
    assert g == f and hash(g) == hash(f) and not g.columns.X.flags.writeable
    # another process (another hash salt) must see its own hash, not ours
    code = ("import pickle, sys; f = pickle.loads(sys.stdin.buffer.read()); "
            "from exactrelu import propagate, tent_map; print(hash(f) == hash(propagate(tent_map(5), (0, 1)).output))")
    out = subprocess.run([sys.executable, "-c", code], input=pickle.dumps(f), capture_output=True,
                         env={"PYTHONHASHSEED": "12345", "PATH": ""}, cwd=str(__import__("pathlib").Path(__file__).parents[1]))
    assert out.stdout.strip() == b"True", out.stderr[-500:]
