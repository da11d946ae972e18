"""exactrelu.strategies: argument validation (table-driven), what each builder produces, shrinking."""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from exactrelu import ExactReluError, PiecewiseLinear, ReLUNetwork, propagate
from exactrelu.strategies import (
    DEGENERACIES,
    InvalidArgument,
    degenerate_networks,
    networks,
    piecewise_linear,
    rationals,
    widths,
)

BAD_ARGUMENTS = [
    (rationals, {"max_numerator": -1}, "max_numerator=-1"),
    (rationals, {"max_numerator": 1.5}, "max_numerator=1.5"),
    (rationals, {"max_numerator": True}, "max_numerator=True"),
    (rationals, {"max_denominator": 0}, "max_denominator=0"),
    (rationals, {"max_denominator": "10"}, "max_denominator='10'"),
    (rationals, {"min_value": 0.5}, "min_value=0.5"),
    (rationals, {"max_value": "x"}, "max_value='x'"),
    (rationals, {"min_value": float("nan")}, "min_value=nan"),
    (rationals, {"min_value": 2, "max_value": 1}, "min_value=2"),
    (rationals, {"min_value": 11}, "max_numerator=10"),
    (rationals, {"min_value": "1/3", "max_value": "1/3", "max_denominator": 2}, "max_denominator=2"),
    (widths, {"min_depth": -1}, "min_depth=-1"),
    (widths, {"max_depth": 1.0}, "max_depth=1.0"),
    (widths, {"min_depth": 3, "max_depth": 2}, "min_depth=3"),
    (widths, {"min_width": 0}, "min_width=0"),
    (widths, {"max_width": None}, "max_width=None"),
    (widths, {"min_width": 5, "max_width": 4}, "min_width=5"),
    (networks, {"input_dim": 0}, "input_dim=0"),
    (networks, {"input_dim": "1"}, "input_dim='1'"),
    (networks, {"output_dim": 0}, "output_dim=0"),
    (networks, {"widths": (2, 0)}, "widths=(2, 0)"),
    (networks, {"widths": "3,3"}, "widths='3,3'"),
    (networks, {"widths": 3}, "widths=3"),
    (networks, {"widths": (True,)}, "widths=(True,)"),
    (networks, {"weights": [1, 2]}, "weights=[1, 2]"),
    (networks, {"weights": 1}, "weights=1"),
    (piecewise_linear, {"domain": (1, 0)}, "domain=(1, 0)"),
    (piecewise_linear, {"domain": (1, 1)}, "domain=(1, 1)"),
    (piecewise_linear, {"domain": (0, 0.5)}, "domain[1]=0.5"),
    (piecewise_linear, {"domain": "01"}, "domain='01'"),
    (piecewise_linear, {"domain": (0, 1, 2)}, "domain=(0, 1, 2)"),
    (piecewise_linear, {"max_pieces": 0}, "max_pieces=0"),
    (piecewise_linear, {"max_pieces": 2.0}, "max_pieces=2.0"),
    (piecewise_linear, {"values": rationals}, "values=<function"),
    (degenerate_networks, {"input_dim": 0}, "input_dim=0"),
    (degenerate_networks, {"max_depth": 0}, "max_depth=0"),
    (degenerate_networks, {"max_width": -2}, "max_width=-2"),
    (degenerate_networks, {"max_width": False}, "max_width=False"),
    (degenerate_networks, {"kinds": []}, "kinds=[]"),
    (degenerate_networks, {"kinds": "tangent"}, "kinds='tangent'"),
    (degenerate_networks, {"kinds": ["tangent", "nonsense"]}, "unknown degeneracy 'nonsense'"),
    (degenerate_networks, {"kinds": ["tangent"], "max_depth": 1}, "max_depth=1"),
    (degenerate_networks, {"kinds": ["duplicated_units"], "max_width": 1}, "max_width=1"),
]


@pytest.mark.parametrize(
    "builder, kwargs, quoted",
    BAD_ARGUMENTS,
    ids=[f"{b.__name__}-{'-'.join(f'{k}={v!r}' for k, v in kw.items())}" for b, kw, _ in BAD_ARGUMENTS],
)
def test_bad_arguments_raise_quoting_name_value(builder, kwargs, quoted):
    with pytest.raises(InvalidArgument) as info:
        builder(**kwargs)  # validated eagerly, before any example is drawn
    err = info.value
    assert isinstance(err, ExactReluError) and isinstance(err, ValueError) and isinstance(err, TypeError)
    assert quoted in str(err)


@pytest.mark.parametrize("builder", [rationals, widths, networks, piecewise_linear, degenerate_networks])
def test_builders_are_keyword_only(builder):
    with pytest.raises(TypeError):
        builder(1)


def test_importing_exactrelu_does_not_import_hypothesis():
    code = "import sys, exactrelu; print('hypothesis' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr


# ---------------------------------------------------------------- rationals
@given(rationals())
def test_rationals_default_bounds(x):
    assert type(x) is Fraction
    assert abs(x.numerator) <= 10 and x.denominator <= 10


@given(rationals(min_value="-1/3", max_value="5/2", max_numerator=7, max_denominator=5))
def test_rationals_respect_bounds(x):
    assert type(x) is Fraction
    assert Fraction(-1, 3) <= x <= Fraction(5, 2)
    assert abs(x.numerator) <= 7 and x.denominator <= 5


@given(rationals(min_value="1/3", max_value="1/3"))
def test_rationals_single_value(x):
    assert x == Fraction(1, 3)


def test_rationals_shrink_to_small_denominators_and_zero():
    assert find(rationals(), lambda x: True) == 0
    assert find(rationals(), lambda x: x < 0) == -1
    assert find(rationals(), lambda x: 0 < x < 1) == Fraction(1, 2)
    assert find(rationals(min_value="1/3"), lambda x: True) == 1
    assert find(rationals(min_value="1/3", max_value="1/2"), lambda x: True) == Fraction(1, 2)


# ------------------------------------------------------------------- widths
@given(widths(min_depth=2, max_depth=5, min_width=3, max_width=6))
def test_widths_bounds(ws):
    assert type(ws) is tuple and 2 <= len(ws) <= 5
    assert all(type(m) is int and 3 <= m <= 6 for m in ws)


def test_widths_shrink():
    assert find(widths(), lambda w: True) == (1,)
    assert find(widths(min_depth=0), lambda w: True) == ()
    assert find(widths(), lambda w: max(w) >= 3) == (3,)


# ----------------------------------------------------------------- networks
@given(st.data())
def test_networks_shapes(data):
    n0 = data.draw(st.integers(1, 3))
    n_out = data.draw(st.integers(1, 2))
    ws = data.draw(widths())
    net = data.draw(networks(input_dim=n0, widths=ws, output_dim=n_out))
    assert isinstance(net, ReLUNetwork)
    assert (net.input_dim, net.widths, net.output_dim) == (n0, ws, n_out)
    assert all(type(v) is Fraction for W, b in net.layers for row in W for v in row)


@given(networks(widths=widths(max_depth=2, max_width=2), weights=st.integers(-2, 2)))
def test_networks_with_a_weight_strategy(net):
    assert net.depth <= 2 and max(net.widths) <= 2
    assert all(v.denominator == 1 and abs(v) <= 2 for W, b in net.layers for row in W for v in (*row, *b))


def test_networks_shrink():
    net = find(networks(), lambda n: True)
    assert net == ReLUNetwork([([[0]], [0]), ([[0]], [0])])
    net = find(networks(), lambda n: propagate(n).pieces >= 2)
    assert net.widths == (1,) and propagate(net).pieces == 2


def test_networks_with_invalid_weights_from_the_strategy():
    with pytest.raises(ExactReluError):
        find(networks(weights=st.just(0.5)), lambda n: True)


# --------------------------------------------------------- piecewise_linear
@pytest.mark.parametrize("domain", [(0, 1), ("-1/2", 3), (1, None), (None, -2), None])
@settings(max_examples=60)
@given(data=st.data())
def test_piecewise_linear_domain_and_pieces(domain, data):
    f = data.draw(piecewise_linear(domain=domain, max_pieces=4))
    assert isinstance(f, PiecewiseLinear)
    expected = (None, None) if domain is None else tuple(None if v is None else Fraction(v) for v in domain)
    assert f.domain == expected
    assert 1 <= f.pieces <= 4


def test_piecewise_linear_can_reach_max_pieces():
    for domain in [(0, 1), (0, None), (None, 0), None]:
        f = find(
            piecewise_linear(domain=domain, max_pieces=5),
            lambda g: g.pieces == 5,
            settings=settings(phases=[Phase.generate], database=None, max_examples=2000),
        )
        assert f.pieces == 5


def test_piecewise_linear_values_strategy():
    f = find(piecewise_linear(values=rationals(min_value=2, max_value=3)), lambda g: True)
    assert f == PiecewiseLinear.affine(0, 2, (0, 1))


# ------------------------------------------------------ degenerate networks
@settings(max_examples=100)
@given(degenerate_networks(max_depth=3, max_width=3))
def test_degenerate_networks_respect_the_limits(net):
    assert 1 <= net.depth <= 3 and max(net.widths) <= 3 and net.input_dim == 1


@settings(max_examples=30)
@given(degenerate_networks(input_dim=3))
def test_degenerate_networks_with_several_inputs(net):
    assert net.input_dim == 3 and net.output_dim == 1


def _rows(net, l):
    W, b = net.layers[l]
    return [(tuple(row), bias) for row, bias in zip(W, b)]


def _has_pair(net, relation):
    for l in range(net.depth):
        rows = _rows(net, l)
        for i in range(len(rows)):
            for j in range(len(rows)):
                if i != j and relation(rows[i], rows[j]):
                    return l, i, j
    return None


def _scaled(c, row):
    return (tuple(c * v for v in row[0]), c * row[1])


CHECKS = {
    "zero_biases": lambda net, tr: any(all(v == 0 for v in b) for _, b in net.layers),
    "duplicated_units": lambda net, tr: _has_pair(net, lambda a, b: a == b) is not None,
    "dead_units": lambda net, tr: any(
        layer.post(j) == PiecewiseLinear.affine(0, 0) for layer in tr.layers for j in range(layer.width)
    ),
    "coinciding_breakpoints": lambda net, tr: _has_pair(net, _proportional) is not None,
    "tangent": lambda net, tr: _tangent_or_crossing(net, same_sign=True),
    "crossing_at_breakpoint": lambda net, tr: _tangent_or_crossing(net, same_sign=False),
    "width_one": lambda net, tr: 1 in net.widths,
    "constant_output": lambda net, tr: tr.output.slopes == (0,),
}


def _proportional(a, b):
    """b = c a for some c not in {0, 1}, a with a nonzero weight."""
    k = next((k for k, v in enumerate(a[0]) if v != 0), None)
    if k is None:
        return False
    c = b[0][k] / a[0][k]
    return c not in (0, 1) and _scaled(c, a) == b


def _tangent_or_crossing(net, same_sign):
    """A unit of layer l+1 reads only units i, j of layer l, which are relu(u) and relu(-u)."""
    for l in range(net.depth - 1):
        rows = _rows(net, l)
        W, b = net.layers[l + 1]
        for row, bias in zip(W, b):
            used = [k for k, v in enumerate(row) if v != 0]
            if bias != 0 or len(used) != 2:
                continue
            i, j = used
            if _scaled(-1, rows[i]) == rows[j] and ((row[i] == row[j]) if same_sign else (row[i] * row[j] < 0)):
                return True
    return False


@pytest.mark.parametrize("kind", DEGENERACIES)
@settings(max_examples=40)
@given(data=st.data())
def test_each_degeneracy_is_really_there(kind, data):
    net = data.draw(degenerate_networks(kinds=[kind]))
    assert CHECKS[kind](net, propagate(net)), net
