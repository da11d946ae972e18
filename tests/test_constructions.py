"""exactrelu.constructions: the networks of docs/theory.md §2, checked against PWL algebra."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactrelu import (
    DomainError,
    InvalidRationalError,
    PiecewiseLinear,
    ReLUNetwork,
    ShapeError,
    abs_network,
    identity_network,
    max_network,
    propagate,
    sawtooth,
    tent_map,
    triangle,
    triangle_wave,
)
from exactrelu.strategies import rationals

F = Fraction
TENT = PiecewiseLinear([(0, 0), ("1/2", 1), (1, 0)])
peaks = rationals(min_value="1/20", max_value="19/20", max_denominator=20).filter(lambda a: 0 < a < 1)


def test_tent_map_shape_and_formula():
    for k in range(1, 6):
        net = tent_map(k)
        assert net.widths == (2,) * k and net.depth == k and net.input_dim == 1
        assert isinstance(net, ReLUNetwork)
    d = tent_map(1)
    rng = random.Random(0)
    for _ in range(50):
        x = F(rng.randint(-40, 40), rng.randint(1, 9))
        assert d(x) == 2 * max(x, 0) - 2 * max(2 * x - 1, 0)


@pytest.mark.parametrize("k", range(1, 9))
def test_tent_map_is_the_k_fold_composition_of_the_tent(k):
    expected = TENT
    for _ in range(k - 1):
        expected = TENT.compose(expected)
    assert propagate(tent_map(k), (0, 1)).output == expected


@pytest.mark.parametrize("depth", range(1, 8))
def test_sawtooth_is_the_iterated_2abs_minus_2(depth):
    f = PiecewiseLinear.affine(1, 0)
    for _ in range(depth):
        f = 2 * f.abs() - 2
    assert propagate(sawtooth(depth)).output == f
    assert f.pieces == 2**depth
    assert sawtooth(depth).widths == (2,) * depth


@settings(max_examples=60)
@given(peaks)
def test_triangle_is_T_a(a):
    expected = PiecewiseLinear([(0, 0), (a, 1), (1, 0)])
    assert propagate(triangle(a), (0, 1)).output == expected
    net = triangle(a)
    assert net(a) == 1 and net(0) == 0 and net(1) == 0
    assert all(type(v) is Fraction for row in net.layers[1][0] for v in row)


@settings(max_examples=40)
@given(st.lists(peaks, min_size=1, max_size=6))
def test_triangle_wave_is_the_composition_and_has_2_to_the_i_plus_1_pieces(ps):
    expected = PiecewiseLinear([(0, 0), (ps[0], 1), (1, 0)])
    for a in ps[1:]:
        expected = PiecewiseLinear([(0, 0), (a, 1), (1, 0)]).compose(expected)
    out = propagate(triangle_wave(ps), (0, 1)).output
    assert out == expected
    assert out.pieces == 2 ** len(ps)
    assert out.values == tuple(F(j % 2) for j in range(2 ** len(ps) + 1))


def test_identity_abs_and_max():
    rng = random.Random(3)
    for dim in (1, 2, 3):
        net = identity_network(dim)
        assert net.widths == (2 * dim,)
        for _ in range(10):
            x = tuple(F(rng.randint(-20, 20), rng.randint(1, 5)) for _ in range(dim))
            y = net(x)
            assert (y if dim > 1 else (y,)) == x
    for _ in range(20):
        x = F(rng.randint(-20, 20), rng.randint(1, 5))
        assert abs_network()(x) == abs(x)
        a, b = x, F(rng.randint(-20, 20), rng.randint(1, 5))
        m = max_network()((a, b))
        assert type(m) is Fraction and m == max(a, b)
    assert max_network().widths == (4,)


@pytest.mark.parametrize("bad", [0, -1, True, 1.5, "3", None])
def test_count_arguments(bad):
    for fn in (tent_map, sawtooth, identity_network):
        with pytest.raises(ShapeError):
            fn(bad)


@pytest.mark.parametrize("bad, error", [(0, DomainError), (1, DomainError), ("-1/2", DomainError), ("3/2", DomainError),
                                        ("x", InvalidRationalError), (0.5, InvalidRationalError), (True, InvalidRationalError)])
def test_triangle_peak_errors(bad, error):
    with pytest.raises(error):
        triangle(bad)
    with pytest.raises(error) as info:
        triangle_wave(["1/2", bad])
    assert "peaks[1]" in str(info.value)


@pytest.mark.parametrize("bad", [[], (), "1/2", b"1"])
def test_triangle_wave_needs_a_sequence(bad):
    with pytest.raises(ShapeError):
        triangle_wave(bad)
