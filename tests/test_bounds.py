"""exactrelu.bounds: closed forms on a table, and the theorems restated as properties."""

from __future__ import annotations

from fractions import Fraction
from math import comb, prod

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import count_network
from exactrelu import ShapeError, propagate, sawtooth, tent_map
from exactrelu.bounds import (
    BoundCheck,
    arora_depth_size_bound,
    arora_min_size,
    check_bounds,
    serra_bound,
    serra_layer_bounds,
    telgarsky_bound,
    telgarsky_layer_bounds,
)
from exactrelu.strategies import degenerate_networks, networks, widths

# ------------------------------------------------------------------- tables
B1 = [
    ((3, 3, 3), 144),
    ((2, 2, 2, 2), 192),  # 2^3 * 3 * 2 * 2 * 2
    ((1,), 2),
    ((4,), 5),
    ((2, 2), 12),
    ((5, 1), 12),
    ((1, 1, 1), 8),
    ((), 1),
]


@pytest.mark.parametrize("ws, expected", B1)
def test_telgarsky_bound_table(ws, expected):
    value = telgarsky_bound(ws)
    assert type(value) is int and value == expected


def test_telgarsky_layer_bounds_table():
    bounds = telgarsky_layer_bounds((3, 3, 3))
    assert [(b.layer, b.pre, b.post, b.combined) for b in bounds] == [(1, 1, 2, 4), (2, 4, 8, 24), (3, 24, 48, 144)]
    assert telgarsky_layer_bounds(()) == ()


# Serra et al. (2018), Thm 1, worked by hand (n0 = 1 unless given):
# (1, 1): layer 1 leaves d in {1 (j=0), 0 (j=1)}; layer 2 adds 2 + 1 = 3 < (1+1)(1+1).
# (1, 1, 1): d = 1 once, d = 0 twice after layer 2; layer 3: 2 + 2 = 4.
# (1, 5): 6 + 1 = 7.  (1, 3): 4 + 1 = 5.  (2, 1, 2): after (2, 1) d=1 x3, d=0 x3; 9 + 3 = 12.
# (2, 2) with n0 = 2: layer 1 gives d = 2, 1, 0 with counts 1, 2, 1; layer 2: 4 + 2*3 + 1 = 11.
B3 = [
    ((3, 3, 3), 1, 64),
    ((2, 2), 1, 9),
    ((4,), 1, 5),
    ((2, 1), 1, 6),
    ((3, 1), 1, 8),
    ((1,), 1, 2),
    ((1, 1), 1, 3),
    ((1, 1, 1), 1, 4),
    ((1, 5), 1, 7),
    ((1, 3), 1, 5),
    ((2, 1, 2), 1, 12),
    ((4,), 2, 11),
    ((2, 2), 2, 11),
    ((3,), 3, 8),
    ((3,), 5, 8),
    ((), 1, 1),
]


@pytest.mark.parametrize("ws, n0, expected", B3)
def test_serra_bound_table(ws, n0, expected):
    value = serra_bound(ws, input_dim=n0)
    assert type(value) is int and value == expected


def test_serra_layer_bounds_table():
    assert serra_layer_bounds((3, 3, 3)) == (4, 16, 64)
    assert serra_layer_bounds((1, 1, 1)) == (2, 3, 4)
    assert serra_layer_bounds((2, 1, 2)) == (3, 6, 12)


def test_arora_tables():
    value = arora_depth_size_bound(2, 6)
    assert type(value) is Fraction and value == 36
    assert arora_depth_size_bound(3, 4) == Fraction(512, 27)
    assert arora_depth_size_bound(1, 5) == 10
    assert arora_min_size(2**10, 2) == 32
    assert arora_min_size(1, 3) == 3
    assert type(arora_min_size(100, 2)) is int


@pytest.mark.parametrize("bad", [(0,), (-1, 2), (True,), (1.5,), ("3",), "3,3", b"33", (2, None)])
def test_bad_widths(bad):
    for fn in (telgarsky_bound, serra_bound, telgarsky_layer_bounds, serra_layer_bounds):
        with pytest.raises(ShapeError):
            fn(bad)


@pytest.mark.parametrize("n0", [0, -1, True, 1.0, "1"])
def test_bad_input_dim(n0):
    with pytest.raises(ShapeError, match="input_dim"):
        serra_bound((2,), input_dim=n0)


@pytest.mark.parametrize("depth, size", [(0, 3), (-1, 3), (True, 3), (2, 1), (2, 2.0), (1.0, 2)])
def test_bad_arora_arguments(depth, size):
    with pytest.raises(ShapeError):
        arora_depth_size_bound(depth, size)


def test_bad_arora_min_size():
    for bad in (0, -3, True, 2.0):
        with pytest.raises(ShapeError):
            arora_min_size(bad, 2)


# -------------------------------------------------------- closed-form facts
@settings(max_examples=300)
@given(widths(min_depth=0, max_depth=6, max_width=8))
def test_B3_is_never_larger_than_B1(ws):
    assert serra_bound(ws) <= telgarsky_bound(ws)


@settings(max_examples=200)
@given(widths(max_depth=6, min_width=2, max_width=8))
def test_B3_for_one_input_without_bottleneck_is_the_product(ws):
    assert serra_bound(ws) == prod(m + 1 for m in ws)
    assert serra_layer_bounds(ws) == tuple(prod(m + 1 for m in ws[:l]) for l in range(1, len(ws) + 1))


@settings(max_examples=100)
@given(st.integers(1, 12), st.integers(1, 6))
def test_B3_one_layer_is_zaslavsky(m, n0):
    assert serra_bound((m,), input_dim=n0) == sum(comb(m, s) for s in range(n0 + 1))


@settings(max_examples=200)
@given(widths(max_depth=6, max_width=8))
def test_B1_per_layer_induction_ends_at_the_bound(ws):
    bounds = telgarsky_layer_bounds(ws)
    assert bounds[-1].combined == telgarsky_bound(ws)
    assert bounds[0].pre == 1 and bounds[0].combined == ws[0] + 1
    for prev, cur in zip(bounds, bounds[1:]):
        assert cur.pre == prev.combined and cur.post == 2 * cur.pre


@settings(max_examples=100)
@given(st.integers(1, 6), st.integers(1, 40))
def test_arora_min_size_is_the_least_size(depth, pieces_exponent):
    p = 2**pieces_exponent
    s = arora_min_size(p, depth)
    assert arora_depth_size_bound(depth, s) >= p
    if s > depth:
        assert arora_depth_size_bound(depth, s - 1) < p


# ------------------------------------------------------ theorems on traces
def assert_theorems(trace):
    ws = trace.network.widths
    assert trace.pieces <= trace.activation_regions <= serra_bound(ws) <= telgarsky_bound(ws)
    assert trace.pieces <= telgarsky_bound(ws)
    assert trace.pieces <= arora_depth_size_bound(len(ws), sum(ws))
    b1 = telgarsky_layer_bounds(ws)
    b3 = serra_layer_bounds(ws)
    for layer, lb, rb in zip(trace.layers, b1, b3):
        assert max(layer.pre_pieces) <= lb.pre
        assert max(layer.post_pieces) <= lb.post
        assert layer.activation_regions <= rb
        for pre, post, changes in zip(layer.pre_pieces, layer.post_pieces, layer.sign_changes):
            assert post <= pre + changes <= 2 * pre  # B2, relu lemma
    regions = [layer.activation_regions for layer in trace.layers]
    assert regions == sorted(regions)  # refining: deeper layers only add breakpoints
    report = check_bounds(trace)
    assert report.holds and report.violations == ()
    assert report.widths == ws and report.domain == trace.domain
    count_network()


@settings(max_examples=300)
@given(networks(widths=widths(max_depth=4, max_width=4)))
def test_B1_B2_B3_hold_on_random_networks_on_R(net):
    assert_theorems(propagate(net))


@settings(max_examples=300)
@given(degenerate_networks(max_depth=4))
def test_B1_B2_B3_hold_on_degenerate_networks_on_R(net):
    assert_theorems(propagate(net))


@settings(max_examples=100)
@given(networks(), st.sampled_from([(0, 1), (-2, 2), (0, None), (None, 0)]))
def test_bounds_hold_on_sub_domains(net, domain):
    assert_theorems(propagate(net, domain))


@pytest.mark.slow
@settings(max_examples=3000)
@given(networks(widths=widths(max_depth=5, max_width=5)))
def test_slow_bounds_on_random_networks(net):
    assert_theorems(propagate(net))


def test_known_traces_against_bounds():
    # the tent map on [0, 1]: 2^k pieces; B1 for widths (2,)*k is 3 * 2^{2k-2}
    for k in range(1, 9):
        trace = propagate(tent_map(k), (0, 1))
        assert_theorems(trace)
        assert telgarsky_bound((2,) * k) == 3 * 2 ** (2 * k - 2)
    # the sawtooth: 2^l pieces on R, 2 units per layer
    for depth in range(1, 8):
        assert_theorems(propagate(sawtooth(depth)))


def test_bound_check_semantics():
    c = BoundCheck("x", 1, bound=5, measured=5, source="s")
    assert c.holds and c.tight
    c = BoundCheck("x", None, bound=5, measured=6, source="s")
    assert not c.holds and not c.tight
    report = check_bounds(propagate(tent_map(3), (0, 1)))
    names = {c.name for c in report.checks}
    assert "B1 output pieces" in names and "B3 activation regions" in names
    out = [c for c in report.checks if c.name == "B1 output pieces"][0]
    assert (out.measured, out.bound, out.layer) == (8, 48, None)
    assert all(type(c.measured) is int and type(c.bound) is int for c in report.checks)
