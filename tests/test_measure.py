"""exactrelu.measure: the one L1 distance, against a slow Fraction oracle."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactrelu import DomainError, PiecewiseLinear, propagate, tent_map
from exactrelu.measure import l1_distance
from exactrelu.strategies import piecewise_linear

F = Fraction
P = PiecewiseLinear


def slow_l1(f, g, a, b):
    """Split [a, b] at every breakpoint and every crossing; integrate |f - g| piece by piece."""
    a, b = F(a), F(b)
    pts = sorted({a, b} | {x for x in (*f.breakpoints, *g.breakpoints) if a < x < b})
    total = F(0)
    for x0, x1 in zip(pts, pts[1:]):
        d0, d1 = f(x0) - g(x0), f(x1) - g(x1)
        if d0 * d1 >= 0:
            total += (abs(d0) + abs(d1)) * (x1 - x0) / 2
        else:  # one crossing at t = d0 / (d0 - d1) of the way
            t = d0 / (d0 - d1)
            total += (abs(d0) * t + abs(d1) * (1 - t)) * (x1 - x0) / 2
    return total


def test_known_values():
    tent = P([(0, 0), ("1/2", 1), (1, 0)])
    half = P.affine(0, "1/2", (0, 1))
    d = l1_distance(tent, half, 0, 1)
    assert type(d) is Fraction and d == F(1, 4)
    assert l1_distance(tent, tent, 0, 1) == 0
    # Telgarsky (2016): int_0^1 |D^k - 1/2| = 1/4 for every k
    for k in (1, 4, 9):
        assert l1_distance(propagate(tent_map(k), (0, 1)).output, half, 0, 1) == F(1, 4)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from([(0, 1), (-2, 3), None]).flatmap(
    lambda d: st.tuples(piecewise_linear(domain=d), piecewise_linear(domain=d))),
    st.sampled_from([(0, 1), (F(1, 3), F(1, 2)), (F(1, 7), 1)]))
def test_matches_slow_oracle(fg, ab):
    f, g = fg
    a, b = ab
    d = l1_distance(f, g, a, b)
    assert type(d) is Fraction
    assert d == slow_l1(f, g, a, b) == l1_distance(g, f, a, b)


def test_errors_and_a_wrong_oracle_fails():
    f = P([(0, 0), (1, 1)])
    with pytest.raises(DomainError):
        l1_distance(f, f, 1, 0)
    with pytest.raises(DomainError):
        l1_distance(f, f, 0, 2)
    with pytest.raises(TypeError):
        l1_distance(0.5, f, 0, 1)  # type: ignore[arg-type]
    # a distance that ignores the crossing would be wrong: the check can fail
    g = P.affine(0, "1/2", (0, 1))
    assert l1_distance(f, g, 0, 1) == F(1, 4) != abs((f - g).integral(0, 1))


def test_pwl_reexport_is_the_same_function():
    from exactrelu import pwl

    assert pwl.l1_distance is l1_distance
