"""The fast paths of the batch kernel (exactrelu._kernels.batch), each against the exact path.

Every test compares :func:`exactrelu.batch.propagate_many` with
:func:`exactrelu.propagate` net by net (``assert_same_as_propagate``), on nets
built to hit one path of the kernel: the output pieces counted from the
crossing steps (cancelling and coinciding steps, zero output weights, crossings
at segment ends), the float32 product chosen by the per-unit bound (and shown
to be wrong when forced past 2^24), float32 (G, C) evaluated at large domain
ends, every dtype the kernel can choose (forced one by one), and the helpers
``_unit_max`` and ``_strip_twos`` against plain numpy.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

import exactrelu._kernels.batch as kernel
from exactrelu import ReLUNetwork, propagate
from exactrelu.batch import propagate_many
from exactrelu.constructions import random_network
from test_batch import DEGENERATE, DOMAINS, _layers, assert_same_as_propagate, he_dyadic

F = Fraction


# ------------------------------------------------------------ output pieces from the crossing steps
def test_output_steps_that_cancel_do_not_bend():
    # units 0 and 1 are the same unit (cross together at 1/3), weighted 2 and -2: their steps
    # cancel, so the output does not bend there; unit 2 crosses at 1/3 too in the second net
    # and its step does not cancel
    l1 = ([[3], [3], [-6]], [-1, -1, 2])
    nets = [_layers(l1, ([[2, -2, 0]], [0])), _layers(l1, ([[2, -2, 1]], [0])), _layers(l1, ([[1, 1, 0]], [0])),
            _layers(l1, ([[0, 0, 0]], [F(1, 2)]))]
    r = assert_same_as_propagate(nets, (0, 1))
    assert r.pieces.tolist() == [1, 2, 2, 1]
    assert r.activation_regions.tolist() == [2, 2, 2, 2]


def test_output_bends_only_where_the_gradient_changes_at_segment_ends():
    # layer 2 crosses at the layer-1 breakpoint 1/2 (a segment end, not inside a segment) and
    # elsewhere; the output weights make some of those columns bends and others not
    l1 = ([[1], [-1], [2]], [F(-1, 2), F(1, 2), F(-1, 2)])
    l2 = ([[1, 1, 0], [1, 0, -1], [0, 2, 1], [1, -1, 1]], [0, F(-1, 4), 0, F(-1, 8)])
    for w in ([[1, -1, 1, 0]], [[1, 1, 0, 0]], [[0, 0, 1, -1]], [[2, 1, -1, 3]]):
        nets = [_layers(l1, l2, (w, [0]))] + [random_network((3, 4), seed=50 + s) for s in range(4)]
        for domain in ((0, 1), (F(1, 2), 1), (0, F(1, 2)), None):
            assert_same_as_propagate(nets, domain)


@pytest.mark.parametrize("name", sorted(DEGENERATE))
def test_degenerate_nets_with_several_outputs(name):
    net = DEGENERATE[name]
    W, b = net.layers[-1]
    widened = ReLUNetwork([*net.layers[:-1], ([*W, [-v for v in W[0]], [0] * len(W[0])], [*b, 0, 1])])
    nets = [widened, widened] + [random_network(net.widths, seed=s, output_dim=len(W) + 2) for s in range(3)]
    for domain in ((0, 1), (-1, 1), None):
        assert_same_as_propagate(nets, domain)


# ------------------------------------------------------------ float32 products and their bound
def _copy_net(s):
    """A = (s + 1) h - s h' equals h exactly (h' is a copy of h), so A - h has one piece."""
    return _layers(([[1], [1], [1]], [0, 0, F(-1, 2)]), ([[s + 1, -s, 0], [1, 0, 0]], [0, 0]), ([[1, -1]], [0]))


@pytest.mark.parametrize("s", [2**23 - 1, 2**23, 2**24 - 1, 2**24, 2**24 + 1, 2**25])
def test_float32_products_are_exact_on_both_sides_of_2_to_the_24(s, monkeypatch):
    net = _copy_net(s)
    assert propagate(net, (-1, 1)).pieces == 1
    r = assert_same_as_propagate([net] * 3 + [he_dyadic((3, 2), seed=k) for k in range(3)], (-1, 1))
    assert r.pieces[:3].tolist() == [1, 1, 1] and r.python_path.size == 0
    # forced to float32 the product rounds the weight s + 1 exactly when it needs 25 bits
    monkeypatch.setattr(kernel, "FLOAT32_LIMIT", float(1 << 60))
    forced = propagate_many([net] * 3, (-1, 1)).pieces.tolist()
    needs_25_bits = s + 1 > 2**24 and (s + 1) % 2 == 1 or s > 2**24 and s % 2 == 1
    assert (forced != [1, 1, 1]) == needs_25_bits, (s, forced)


def test_float32_values_at_large_domain_ends_are_evaluated_exactly():
    # z = h - 1 on (0, (2^30 + 1) / 2^30): at the right end z = 2^-30 > 0, so z crosses at x = 1;
    # evaluated in float32, (2^30 + 1) would round to 2^30 and the crossing would be lost
    H = F(2**30 + 1, 2**30)
    net = _layers(([[1]], [0]), ([[1]], [-1]), ([[1]], [0]))
    r = assert_same_as_propagate([net] * 2, (0, H))
    assert r.pieces.tolist() == [2, 2]
    r = assert_same_as_propagate([net] * 2, (-H, H))
    assert r.pieces.tolist() == [2, 2]


@pytest.mark.parametrize("float32_limit, float_limit", [(0.0, None), (0.0, 0.0), (float(1 << 16), None)])
def test_every_dtype_path_gives_the_exact_counts(float32_limit, float_limit, monkeypatch):
    # float64 products only; int64 products and evaluations only; float32 on some layers only
    monkeypatch.setattr(kernel, "FLOAT32_LIMIT", float32_limit)
    if float_limit is not None:
        monkeypatch.setattr(kernel, "FLOAT_LIMIT", float_limit)
    nets = [he_dyadic((8, 8), seed=s) for s in range(10)] + [he_dyadic((32, 32, 32), seed=s) for s in range(5)]
    for domain in ((-1, 1), None):
        assert_same_as_propagate(nets[:10], domain)
        assert_same_as_propagate(nets[10:], domain)
    for net in DEGENERATE.values():
        assert_same_as_propagate([net, net], (-1, 1))


@pytest.mark.parametrize("scale", [1, 2**10, 2**20])
def test_nets_of_every_magnitude(scale):
    # the bounds pick float32, float64 or int64 products (and evict to Python ints) by magnitude
    rng = np.random.default_rng(scale)

    def value(r, fan_in, is_bias):
        return F(int(rng.integers(-scale, scale + 1)), int(rng.integers(1, 9)))

    nets = [random_network((6, 6, 6), rng=rng, value=value) for _ in range(12)]
    for domain in DOMAINS[:4]:
        assert_same_as_propagate(nets, domain)


# ------------------------------------------------------------ helpers against plain numpy
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_unit_max_is_the_max_of_the_absolute_values(dtype):
    rng = np.random.default_rng(7)
    top = 2**24 if dtype == np.float32 else 2**52
    GC = rng.integers(-top, top, (50, 2, 6)).astype(dtype)
    GC[3, 0, 2], GC[:, 1, 5] = -top, 0
    if dtype != np.int64:
        GC[:, 1, 4] = -0.0
    got = kernel._unit_max(GC)
    expected = np.abs(GC.astype(np.float64)).max(axis=0)
    assert got.dtype == np.float64 and got.shape == (2, 6)
    assert np.all(got >= expected) and np.all(got <= expected * (1 + 1e-12))
    assert got[1, 5] == 0 and top <= got[0, 2] <= top * (1 + 1e-12)
    if dtype != np.int64:  # float entries are exact integers: their maxima are exact
        assert np.array_equal(got, expected)


def test_strip_twos_divides_by_the_common_power_of_two():
    rng = np.random.default_rng(11)
    X = rng.integers(-(2**40), 2**40, 500) * (2 ** rng.integers(0, 20, 500))
    w = rng.integers(1, 2**30, 500) * (2 ** rng.integers(0, 20, 500))
    X[:3], w[:3] = [0, -8, 12], [4, 2, 8]
    Xs, ws = X.copy(), w.copy()
    kernel._strip_twos(Xs, ws)
    for x0, w0, x1, w1 in zip(X.tolist(), w.tolist(), Xs.tolist(), ws.tolist()):
        assert F(x0, w0) == F(x1, w1) and (x1 % 2 == 1 or w1 % 2 == 1)
        assert x0 // x1 == w0 // w1 if x1 else w1 == 1
