"""sympy / LaTeX formulas: exact round trips, networks as Max(0, ...) expressions, errors."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from exactrelu import PiecewiseLinear, ReLUNetwork
from exactrelu.errors import BudgetExceededError, DomainError, ExactReluError, ShapeError
from exactrelu.formulas import (
    FormulaError,
    network_symbols,
    network_to_latex,
    network_to_sympy,
    pwl_from_sympy,
    pwl_to_latex,
    pwl_to_sympy,
)
from exactrelu.propagate import propagate
from exactrelu.strategies import networks, piecewise_linear

x = sp.Symbol("x", real=True)
DOMAINS = [(0, 1), (-3, "5/2"), (None, 0), ("1/3", None), None]


@pytest.mark.parametrize("domain", DOMAINS, ids=str)
@settings(max_examples=25)
@given(data=st.data())
def test_pwl_round_trip_is_exact(domain, data):
    f = data.draw(piecewise_linear(domain=domain, max_pieces=5))
    expr = pwl_to_sympy(f)
    back = pwl_from_sympy(expr)
    assert back == f
    assert all(type(v) is Fraction for v in (*back.breakpoints, *back.values))
    # every piece's coefficients are sympy Rationals (no Float)
    assert not expr.atoms(sp.Float)


def test_known_forms():
    tent = PiecewiseLinear([(0, 0), ("1/2", 1), (1, 0)])
    assert pwl_to_sympy(tent) == sp.Piecewise(
        (2 * x, (x >= 0) & (x <= sp.Rational(1, 2))), (2 - 2 * x, (x >= sp.Rational(1, 2)) & (x <= 1))
    )
    affine = PiecewiseLinear.affine("2/3", -1)
    assert pwl_to_sympy(affine) == sp.Rational(2, 3) * x - 1 and pwl_from_sympy(pwl_to_sympy(affine)) == affine
    half = PiecewiseLinear.affine(1, 0, (0, None))
    assert pwl_to_sympy(half) == sp.Piecewise((x, x >= 0))
    # outside the domain the Piecewise is undefined
    assert pwl_to_sympy(tent).subs(x, 2) is sp.nan
    # values agree with the function at rational points
    for t in (Fraction(0), Fraction(1, 7), Fraction(1, 2), Fraction(5, 6)):
        assert Fraction(str(pwl_to_sympy(tent).subs(x, sp.Rational(t.numerator, t.denominator)))) == tent(t)


def test_from_sympy_reads_max_min_abs_and_first_match_order():
    assert pwl_from_sympy(sp.Abs(x - 1)) == PiecewiseLinear([(1, 0)], left_slope=-1, right_slope=1)
    assert pwl_from_sympy(sp.Min(x, 2 - x), domain=(0, 2)) == PiecewiseLinear([(0, 0), (1, 1), (2, 0)])
    # sympy's first-match semantics: the True clause applies where nothing earlier does
    expr = sp.Piecewise((x, x <= 0), (2 * x, True))
    assert pwl_from_sympy(expr) == PiecewiseLinear([(0, 0)], left_slope=1, right_slope=2)
    # strict inequalities, Or, reversed relationals
    expr = sp.Piecewise((-x, (x < 0) | sp.Eq(x, 0)), (3 * x, sp.Gt(5, x)), (15, x >= 5))
    assert pwl_from_sympy(expr) == PiecewiseLinear([(0, 0), (5, 15)], left_slope=-1, right_slope=0)
    # restriction to a domain
    assert pwl_from_sympy(sp.Max(0, x), domain=(-1, 1)) == PiecewiseLinear([(-1, 0), (0, 0), (1, 1)])


@pytest.mark.parametrize(
    "expr, error",
    [
        (x**2, FormulaError),
        (sp.Float(0.5) * x, FormulaError),
        (sp.sqrt(2) * x, FormulaError),
        (x + sp.Symbol("y"), FormulaError),
        (sp.Piecewise((x, x <= 0), (x + 1, True)), DomainError),  # jumps at 0
        (sp.Piecewise((x, (x >= 0) & (x <= 1)), (x, (x >= 2) & (x <= 3))), DomainError),  # two intervals
        (sp.Piecewise((x, x**2 <= 1)), FormulaError),
        (sp.Piecewise((x, sp.Eq(x, 1))), DomainError),  # a single point
    ],
)
def test_from_sympy_errors(expr, error):
    with pytest.raises(error):
        pwl_from_sympy(expr)
    assert issubclass(error, ExactReluError)


def test_budget():
    from exactrelu.constructions import tent_map

    f = propagate(tent_map(4), (0, 1)).output
    with pytest.raises(BudgetExceededError, match="max_pieces=15"):
        pwl_to_sympy(f, max_pieces=15)
    assert len(pwl_to_sympy(f, max_pieces=16).args) == 16


def test_latex():
    tent = PiecewiseLinear([(0, 0), ("1/2", 1), (1, 0)])
    text = pwl_to_latex(tent)
    assert text.startswith(r"\begin{cases}") and r"\frac{1}{2}" in text and "2 x" in text
    assert r"\text{for}" in pwl_to_latex(PiecewiseLinear([(0, 0), (1, "1/2")]))
    net = ReLUNetwork([([[1], [-1]], ["1/3", 0]), ([[1, 2], [0, 1]], [0, "-1/2"])])
    vec = network_to_latex(net)
    assert vec.startswith(r"\left[\begin{matrix}") and r"\max\left(0" in vec and r"\frac{1}{3}" in vec
    two_d = ReLUNetwork([([[1, -1]], [0]), ([[1]], [0])])
    assert network_to_latex(two_d) == r"\max\left(0, x_{1} - x_{2}\right)"


def test_network_symbols_and_evaluation_in_n_d():
    net = ReLUNetwork([([[1, 2], [-1, "1/2"]], [0, 1]), ([[1, -1]], ["1/4"])])
    syms = network_symbols(net)
    expr = network_to_sympy(net)
    for point in ([0, 0], [1, -2], ["1/3", "5/7"]):
        values = {s: sp.Rational(str(v)) for s, v in zip(syms, point)}
        assert Fraction(str(expr.subs(values))) == net(point)
    with pytest.raises(ShapeError):
        network_to_sympy(net, [x])
    with pytest.raises(BudgetExceededError):
        network_to_sympy(ReLUNetwork([([[1]] * 5, [0] * 5), ([[1] * 5], [0])]), max_units=4)


@settings(max_examples=25)
@given(net=networks(widths=st.tuples(st.integers(1, 3), st.integers(1, 3))))
def test_network_formula_is_the_network_differential(net):
    """Two independent routes to the same function: sympy's Max algebra and breakpoint propagation."""
    expr = network_to_sympy(net)
    via_sympy = pwl_from_sympy(expr, x=network_symbols(net)[0], domain=(-4, 4))
    assert via_sympy == propagate(net, (-4, 4)).output


def test_differential_check_can_fail():
    """A deliberately wrong formula (one weight changed) is told apart."""
    net = ReLUNetwork([([[1], [-1]], [0, 1]), ([[1, 1]], [0])])
    wrong = ReLUNetwork([([[1], [-1]], [0, 2]), ([[1, 1]], [0])])
    assert pwl_from_sympy(network_to_sympy(wrong), domain=(-4, 4)) != propagate(net, (-4, 4)).output
