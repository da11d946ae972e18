"""int |D^K - g| by runs of congruent teeth (exactrelu.theorems.telgarsky.teeth) against enumeration.

The closed form never materialises D^K; here it must agree exactly with the
enumerating exactrelu.measure.l1_distance wherever both run, and give the
known values for every K (int |D^K - c| = c^2 - c + 1/2 for c in [0, 1]).
"""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactrelu import PiecewiseLinear, propagate, tent_map
from exactrelu.errors import DomainError, ShapeError
from exactrelu.measure import l1_distance
from exactrelu.theorems.telgarsky.teeth import tent_l1_distance

F = Fraction


def _tent(K):
    return propagate(tent_map(K), (0, 1)).output


@pytest.mark.parametrize("K", [1, 2, 5, 20, 34, 52, 200])
@pytest.mark.parametrize("c", [F(0), F(1, 2), F(1, 3), F(1), F(7, 9)])
def test_constants_for_every_depth(K, c):
    value = tent_l1_distance(K, PiecewiseLinear.affine(0, c, (0, 1)))
    assert value == c * c - c + F(1, 2) and type(value) is Fraction


def test_random_pwl_against_enumeration():
    rng = random.Random(20261201)
    for _ in range(200):
        K = rng.randint(1, 9)
        n = 1 << (K + 2)
        xs = sorted({F(0), F(1), *(F(rng.randint(1, n - 1), n) if rng.random() < 0.5 else F(rng.randint(1, 96), 97)
                                   for _ in range(rng.randint(0, 6)))})
        ys = [rng.choice([F(0), F(1, 2), F(1), F(rng.randint(-5, 12), 7)]) for _ in xs]
        g = PiecewiseLinear(list(zip(xs, ys)))
        a, b = sorted(rng.sample([F(0), F(1), F(rng.randint(0, 40), 40), F(rng.randint(0, 41), 41)], 2))
        if a == b:
            continue
        assert tent_l1_distance(K, g, a, b) == l1_distance(_tent(K), g, a, b), (K, g, a, b)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 8), st.lists(st.fractions(-1, 2, max_denominator=64), min_size=2, max_size=6))
def test_property_matches_enumeration(K, values):
    xs = [F(i, len(values) - 1) for i in range(len(values))]
    g = PiecewiseLinear(list(zip(xs, values)))
    assert tent_l1_distance(K, g) == l1_distance(_tent(K), g, 0, 1)


def test_g_along_a_tooth_edge_and_through_vertices():
    # slopes equal to D^K's edges, and lines through the teeth's vertices: zero signs handled tooth by tooth
    for K in (3, 4, 6):
        h = F(1, 1 << (K - 1))
        for g in (PiecewiseLinear.affine(2 / h, 0, (0, 1)), PiecewiseLinear.affine(-2 / h, 1, (0, 1)),
                  PiecewiseLinear([(0, 0), (1, 1)]), PiecewiseLinear([(0, 1), (1, 0)]),
                  PiecewiseLinear([(0, 0), (h / 2, 1), (1, 1)])):
            assert tent_l1_distance(K, g) == l1_distance(_tent(K), g, 0, 1)


def test_bad_arguments():
    g = PiecewiseLinear.affine(0, F(1, 2), (0, 1))
    for K in (0, -1, True, 1.5):
        with pytest.raises(ShapeError):
            tent_l1_distance(K, g)  # type: ignore[arg-type]
    with pytest.raises(DomainError):
        tent_l1_distance(3, g, 0, 2)
    with pytest.raises(DomainError):
        tent_l1_distance(3, g.restrict(0, F(1, 2)), 0, 1)
    with pytest.raises(ShapeError):
        tent_l1_distance(3, tent_map(2))  # type: ignore[arg-type]
