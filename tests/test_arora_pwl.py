"""Arora et al. (2018), Theorem 2.2 and Corollary A.1: PWL <-> one-hidden-layer networks."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactrelu import PiecewiseLinear, ReLUNetwork, propagate
from exactrelu.errors import ExactReluError, ShapeError
from exactrelu.strategies import piecewise_linear
from exactrelu.theorems.arora.pwl_networks import (
    check_lower_bound,
    check_round_trip,
    check_size_bounds,
    extend_to_r,
    min_units,
    min_units_brute_force,
    minimal_network,
    network_to_pwl,
    pwl_to_network,
)



def _values():
    return st.builds(Fraction, st.integers(-6, 6), st.integers(1, 3))


DOMAINS = [None, (0, 1), (-2, None), (None, 3)]


def test_identity_needs_two_units_and_constant_none():
    ident = PiecewiseLinear.affine(1, 0)
    net = pwl_to_network(ident)
    assert net.size == 2 and network_to_pwl(net) == ident
    assert min_units(ident) == 2 == min_units_brute_force(ident)
    const = PiecewiseLinear.affine(0, "5/2")
    net = pwl_to_network(const)
    assert net.depth == 0 and network_to_pwl(net) == const and net(7) == Fraction(5, 2)
    assert min_units(const) == 0
    # on an interval x needs one unit relu(x - t) with t left of the domain
    assert min_units(PiecewiseLinear.affine(1, 0, (0, 1)), on_domain=True) == 1
    assert min_units(PiecewiseLinear.affine(-2, 1, (None, 0)), on_domain=True) == 1
    net = minimal_network(PiecewiseLinear.affine(-2, 1, (None, 0)), on_domain=True)
    assert net.size == 1 and network_to_pwl(net, (None, 0)) == PiecewiseLinear.affine(-2, 1, (None, 0))


def test_tent_and_abs():
    absx = PiecewiseLinear([(0, 0)], left_slope=-1, right_slope=1)
    net = pwl_to_network(absx)
    assert net.size == 2 and network_to_pwl(net) == absx
    relu = PiecewiseLinear([(0, 0)], left_slope=0, right_slope=1)
    assert pwl_to_network(relu).size == 1  # Cor. A.1: p - 1 = 1
    # zero slope on the right: Cor. A.1 as well
    clip = PiecewiseLinear([(0, 0), (1, 1)], left_slope=0, right_slope=0)
    net = pwl_to_network(clip)
    assert net.size == 2 and network_to_pwl(net) == clip


def test_theorem_construction_has_p_units_and_anchor():
    f = PiecewiseLinear([(0, 0), (1, 2), (3, 1)], left_slope=1, right_slope=5)  # slopes 1, 2, -1/2, 5
    assert f.pieces == 4
    for j in (1, 2, 3):
        net = pwl_to_network(f, anchor=j)
        assert net.size == 4 and network_to_pwl(net) == f
    with pytest.raises(ShapeError):
        pwl_to_network(f, anchor=4)
    with pytest.raises(ExactReluError):
        pwl_to_network("x")  # type: ignore[arg-type]


def test_exact_minimum_known_answers():
    f = PiecewiseLinear([(0, 1), (1, 2)], left_slope=-1, right_slope=2)  # slopes -1, 1, 2
    assert min_units(f) == 2 == min_units_brute_force(f)
    net = minimal_network(f)
    assert net.size == 2 and network_to_pwl(net) == f
    g = PiecewiseLinear([(0, 0), (1, 2)], left_slope=1, right_slope=3)  # slopes 1, 2, 3
    assert min_units(g) == 3 == min_units_brute_force(g)
    assert isinstance(min_units(g), int)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(DOMAINS).flatmap(lambda d: piecewise_linear(domain=d, max_pieces=6, values=_values())))
def test_round_trip_property(f):
    net = pwl_to_network(f)
    assert network_to_pwl(net, f.domain) == f
    assert network_to_pwl(net) == extend_to_r(f)
    lo, hi = f.domain
    if lo is not None:
        assert network_to_pwl(net, (lo, None)) == extend_to_r(f).restrict(lo, None)
    assert check_round_trip(f).holds and check_size_bounds(f).holds


@settings(max_examples=40, deadline=None)
@given(piecewise_linear(domain=None, max_pieces=6, values=_values()))
def test_minimum_matches_brute_force(f):
    m = min_units(f)
    assert m == min_units_brute_force(f)
    net = minimal_network(f)
    assert network_to_pwl(net) == f and (net.size if net.depth else 0) == m
    p = f.pieces
    if p >= 2:
        assert p - 1 <= m <= p
        assert check_lower_bound(f, net).holds


@settings(max_examples=30, deadline=None)
@given(st.sampled_from([(0, 1), (-1, None), (None, 2)]).flatmap(
    lambda d: piecewise_linear(domain=d, max_pieces=5, values=_values())))
def test_minimum_on_domain(f):
    net = minimal_network(f, on_domain=True)
    assert network_to_pwl(net, f.domain) == f
    assert (net.size if net.depth else 0) == min_units(f, on_domain=True) <= min_units(f)


def test_checks_fail_on_wrong_input():
    f = PiecewiseLinear([(0, 0), (1, 1), (2, 0), (3, 1)])
    wrong = ReLUNetwork([([[1]], [0]), ([[1]], [0])])  # relu(x): 1 unit, not f
    assert not check_round_trip(f, wrong).holds
    assert not check_size_bounds(f, wrong).holds
    assert not check_lower_bound(f, wrong).holds
    # a net that does compute f but has too many units violates the size bound of the construction
    big = pwl_to_network(f) + ReLUNetwork([([[1]], [0]), ([[0]], [0])])
    assert network_to_pwl(big) == extend_to_r(f)
    assert not check_size_bounds(f, big).holds
    assert check_lower_bound(f, big).holds
