"""exactrelu.batch.propagate_many: every count equals propagate's, net by net.

Differential tests against :func:`exactrelu.propagate` (the independent,
column-based path) on hundreds of random rational nets (1-8-8-1,
1-32-32-32-1, several domains), on nets built to be degenerate (zero rows,
duplicated, dead and rescaled units, breakpoints that coincide across units
and layers, crossings at the domain ends), on nets whose integers outgrow int64
(the Python-int path), a hypothesis property, known answers (tent maps), the
kernel's exact ordering fallback, and the typed errors.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import count_network
from exactrelu import BudgetExceededError, DomainError, NetworkFormatError, ReLUNetwork, ShapeError, Trace
from exactrelu import propagate, tent_map
from exactrelu._kernels.batch import _order_crossings
from exactrelu.batch import BatchCounts, NetBatch, propagate_many
from exactrelu.constructions import random_network
from exactrelu.strategies import degenerate_networks, networks, rationals

F = Fraction
DOMAINS = [(0, 1), (-1, 1), (F(-7, 3), F(5, 2)), None, (None, F(1, 2)), (-1, None)]


def assert_same_as_propagate(nets, domain, result=None):
    """Every count of propagate_many equals propagate's, with the documented types."""
    result = propagate_many(nets, domain) if result is None else result
    assert isinstance(result, BatchCounts) and len(result) == len(nets)
    assert result.output_pieces.dtype == np.int64 and result.activation_regions.dtype == np.int64
    for i, net in enumerate(nets):
        trace = propagate(net, domain)
        assert tuple(int(v) for v in result.output_pieces[i]) == trace.output_pieces, (i, domain)
        assert int(result.activation_regions[i]) == trace.activation_regions, (i, domain)
        assert result.layer_regions[i].tolist() == [layer.activation_regions for layer in trace.layers], (i, domain)
    count_network(len(nets))
    return result


def he_dyadic(widths, seed, den=64):
    """He-normal-like weights rounded to multiples of 1/den (the benchmark's random nets)."""
    rng = np.random.default_rng(seed)

    def value(r, fan_in, is_bias):
        scale = 0.1 if is_bias else (2.0 / fan_in) ** 0.5
        return F(int(np.rint(rng.standard_normal() * scale * den)), den)

    return random_network(widths, rng=rng, value=value)


# ------------------------------------------------------------ known answers
@pytest.mark.parametrize("k", [1, 2, 5, 9])
def test_tent_maps_have_2_to_the_k_pieces(k):
    r = propagate_many([tent_map(k)] * 3, (0, 1))
    assert r.pieces.tolist() == [2**k] * 3 and r.activation_regions.tolist() == [2**k] * 3
    assert r.python_path.size == 0
    assert r.pieces.dtype == np.int64 and isinstance(r.pieces[0], np.integer)


def test_tent_map_on_R_and_half_lines():
    for domain in (None, (0, None), (None, 1)):
        assert_same_as_propagate([tent_map(4)] * 2, domain)


def test_no_hidden_layer_is_one_piece():
    nets = [ReLUNetwork([([[3]], [1])]), ReLUNetwork([([[0]], [0])])]
    r = assert_same_as_propagate(nets, (0, 1))
    assert r.pieces.tolist() == [1, 1]


# ------------------------------------------------------------ differential: random nets
@pytest.mark.parametrize("domain", DOMAINS)
def test_random_grid_nets_1_8_8_1(domain):
    nets = [random_network((8, 8), seed=1000 + s) for s in range(40)]
    assert_same_as_propagate(nets, domain)


@pytest.mark.parametrize("domain", [(-1, 1), None])
def test_random_grid_nets_1_32_32_32_1(domain):
    nets = [random_network((32, 32, 32), seed=2000 + s) for s in range(40)]
    assert_same_as_propagate(nets, domain)


@pytest.mark.parametrize("widths", [(8, 8), (32, 32, 32)])
def test_random_he_dyadic_nets(widths):
    nets = [he_dyadic(widths, seed=s) for s in range(60 if widths == (8, 8) else 40)]
    r = assert_same_as_propagate(nets, (-1, 1))
    assert r.python_path.size == 0  # these stay in int64 / exact float64 products


@pytest.mark.parametrize("widths", [(1,), (2, 1, 3), (5, 4, 3, 2), (3,) * 6])
def test_random_nets_of_other_shapes_and_two_outputs(widths):
    nets = [random_network(widths, seed=3000 + s, output_dim=2) for s in range(25)]
    for domain in ((0, 1), None):
        r = assert_same_as_propagate(nets, domain)
        with pytest.raises(ShapeError):
            r.pieces  # two outputs: .output_pieces only


def test_deep_nets_leave_int64_and_are_counted_with_python_ints():
    nets = [random_network((6,) * 10, seed=4000 + s) for s in range(8)]
    r = assert_same_as_propagate(nets, (-2, 3))
    assert r.python_path.size > 0, "these nets are meant to outgrow int64"


def test_huge_weights_go_to_the_python_path():
    big = F(1, 2**70)
    nets = [random_network((3, 3), seed=s) for s in range(4)]
    W, b = nets[1].layers[0]
    nets[1] = ReLUNetwork([([[W[0][0] + big], *W[1:]], b), *nets[1].layers[1:]])
    r = assert_same_as_propagate(nets, (0, 1))
    assert 1 in r.python_path.tolist()


def test_batch_size_and_order_do_not_change_counts():
    nets = [random_network((4, 4), seed=5000 + s) for s in range(30)]
    whole = propagate_many(nets, (-1, 1))
    for size in (1, 7, 64):
        part = propagate_many(nets, (-1, 1), batch_size=size)
        assert np.array_equal(part.output_pieces, whole.output_pieces)
        assert np.array_equal(part.activation_regions, whole.activation_regions)
    perm = list(reversed(range(30)))
    rev = propagate_many([nets[i] for i in perm], (-1, 1))
    assert np.array_equal(rev.activation_regions, whole.activation_regions[perm])


# ------------------------------------------------------------ differential: degenerate nets
def _layers(*layers):
    return ReLUNetwork([([[F(v) for v in row] for row in W], [F(v) for v in b]) for W, b in layers])


DEGENERATE = {
    "zero rows": _layers(([[0], [1], [0]], [1, 0, -1]), ([[1, 1, 1]], [0])),
    "duplicated units": _layers(([[1], [1], [-2]], [F(1, 3), F(1, 3), 1]), ([[1, -1, 1], [1, -1, 1]], [0, 0]),
                                ([[1, 2]], [0])),
    "dead units": _layers(([[0], [1], [-1]], [-1, 0, -5]), ([[1, 1, 0], [-1, -1, -1]], [0, -1]), ([[2, 3]], [1])),
    "coinciding breakpoints": _layers(([[1], [3], [-2]], [F(-1, 2), F(-3, 2), 1]), ([[1, 1, 1], [1, -1, 2]], [0, F(-1, 4)]),
                                      ([[1, -2]], [0])),
    "crossing at an existing breakpoint": _layers(([[1], [1]], [0, F(-1, 2)]), ([[1, 0], [1, -4]], [F(-1, 2), 0]),
                                                  ([[1, 1]], [0])),
    "crossing at the domain end": _layers(([[1], [-1]], [0, 1]), ([[1, 1]], [-1]), ([[1]], [0])),
    "constant output": _layers(([[1], [2]], [0, -1]), ([[0, 0]], [3])),
    "tangent": _layers(([[1], [-1]], [0, 0]), ([[1, 1], [-1, -1]], [0, 0]), ([[1, 1]], [0])),
}


@pytest.mark.parametrize("name", sorted(DEGENERATE))
@pytest.mark.parametrize("domain", [(0, 1), (-1, 1), None, (0, None)])
def test_degenerate_nets(name, domain):
    net = DEGENERATE[name]
    # the same net several times, and mixed with random nets of its architecture
    nets = [net] * 3 + [random_network(net.widths, seed=s, output_dim=net.output_dim) for s in range(5)]
    assert_same_as_propagate(nets, domain)


def test_breakpoints_coinciding_across_many_units_and_layers():
    # every unit of layer 1 crosses at 1/3 (rescaled copies), layer 2 re-crosses there and at 2/3
    l1 = ([[3 * k] for k in range(1, 6)], [-k for k in range(1, 6)])
    l2 = ([[1, 1, 1, 1, 1], [-1, 0, 0, 0, 0], [0, 0, 0, 0, 3]], [F(-1, 3), F(1, 3), -1])
    net = _layers(l1, l2, ([[1, 2, -1]], [0]))
    nets = [net, _layers(l1, l2, ([[1, 1, 1]], [0])), _layers(l1, l2, ([[0, 0, 0]], [0]))]
    assert_same_as_propagate(nets, (0, 1))
    assert_same_as_propagate(nets, (F(1, 3), 1))  # the shared breakpoint is the domain end


@settings(max_examples=60)
@given(data=st.data())
def test_property_equal_to_propagate(data):
    ws = data.draw(st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple), label="widths")
    nets = data.draw(st.lists(networks(widths=ws, weights=rationals(max_numerator=5, max_denominator=4)),
                              min_size=1, max_size=5), label="nets")
    domain = data.draw(st.sampled_from(DOMAINS), label="domain")
    assert_same_as_propagate(nets, domain)


@settings(max_examples=40)
@given(net=degenerate_networks(max_depth=3, max_width=4), domain=st.sampled_from(DOMAINS))
def test_property_degenerate_nets(net, domain):
    assert_same_as_propagate([net, net], domain)


# ------------------------------------------------------------ the kernel's exact ordering
def test_crossings_closer_than_floats_resolve_are_ordered_exactly(monkeypatch):
    # two layer-1 crossings 1/((2^26+1)(2^26+3)) apart (float keys cannot tell them apart
    # for certain), and two equal ones written differently (x = 1/2 as 2x - 1 and 4x - 2)
    import exactrelu._kernels.batch as kernel

    calls = []
    original = kernel._cross_compare
    monkeypatch.setattr(kernel, "_cross_compare", lambda *a: calls.append(1) or original(*a))
    g1, g2 = 2**26 + 1, 2**26 + 3
    l1 = ([[g1], [g2], [2], [4]], [-(2**25), -(2**25 + 1), -1, -2])
    net = _layers(l1, ([[1, -1, 1, 1], [1, 1, -1, 0]], [0, F(-1, 8)]), ([[1, -2]], [0]))
    r = assert_same_as_propagate([net] * 2, (0, 1))
    assert r.python_path.size == 0 and calls, "the exact comparison must have run in the kernel"


def test_order_crossings_fixes_what_the_floats_get_wrong():
    # x1 < x2 exactly, but the float64 keys say x2 < x1 (found by a seeded search)
    X1, w1, X2, w2 = 39318, 90123, 332408453056387261, 761932117981606110
    assert F(X1, w1) < F(X2, w2) and np.float64(X2) / np.float64(w2) < np.float64(X1) / np.float64(w1)
    seg = np.array([0, 0, 1])
    X = np.array([X2, X1, 5], dtype=np.int64)
    w = np.array([w2, w1, 1], dtype=np.int64)
    order, distinct = _order_crossings(seg, X, w)
    assert order.tolist() == [1, 0, 2] and distinct.tolist() == [True, True, True]
    # equal points, written differently, are one crossing
    order, distinct = _order_crossings(np.array([0, 0]), np.array([2, 1]), np.array([6, 3]))
    assert distinct.tolist() == [True, False]


def test_a_wrong_count_would_be_caught():
    # the differential check can fail: a different net has different counts
    a, b = tent_map(3), tent_map(4)
    r = propagate_many([a], (0, 1))
    assert int(r.pieces[0]) != propagate(b, (0, 1)).pieces


# ------------------------------------------------------------ NetBatch, traces, errors
def test_netbatch_from_integers_matches_networks():
    nets = [he_dyadic((5, 5), seed=s) for s in range(6)]
    layers = []
    for li in range(3):
        W = np.array([[[int(v * 64) for v in row] for row in n.layers[li][0]] for n in nets])
        b = np.array([[int(v * 64) for v in n.layers[li][1]] for n in nets])
        layers.append((W, b, 64))
    batch = NetBatch.from_integers(layers)
    assert len(batch) == 6 and batch.widths == (5, 5) and batch.network(2) == nets[2]
    a, b = propagate_many(batch, (-1, 1)), propagate_many(nets, (-1, 1))
    assert np.array_equal(a.output_pieces, b.output_pieces)
    assert np.array_equal(a.activation_regions, b.activation_regions)


def test_traces_on_request():
    nets = [random_network((3, 3), seed=s) for s in range(4)]
    r = propagate_many(nets, (0, 2), traces=True)
    assert r.traces is not None and all(isinstance(t, Trace) for t in r.traces)
    assert [t.pieces for t in r.traces] == r.pieces.tolist()
    assert propagate_many(nets, (0, 2)).traces is None


def test_mixed_architectures_name_the_index():
    nets = [random_network((3, 3), seed=1), random_network((3, 3), seed=2), random_network((3, 2), seed=3)]
    with pytest.raises(ShapeError, match=r"nets\[2\]"):
        propagate_many(nets, (0, 1))
    with pytest.raises(ShapeError, match=r"nets\[1\]"):
        propagate_many([nets[0], random_network((3, 3), seed=1, output_dim=2)], (0, 1))


def test_bad_inputs_raise_typed_errors():
    net = random_network((3,), seed=1)
    with pytest.raises(NetworkFormatError, match=r"nets\[1\]"):
        propagate_many([net, "not a net"], (0, 1))
    with pytest.raises(ShapeError):
        propagate_many([random_network((3,), seed=1, input_dim=2)], (0, 1))
    with pytest.raises(ShapeError):
        propagate_many([], (0, 1))
    with pytest.raises(DomainError):
        propagate_many([net], (1, 0))
    with pytest.raises(DomainError):
        propagate_many([net], (1, 1))
    for bad in (0, -3, True, 2.5):
        with pytest.raises(ShapeError):
            propagate_many([net], (0, 1), max_pieces=bad)
        with pytest.raises(ShapeError):
            propagate_many([net], (0, 1), batch_size=bad)
    with pytest.raises(ShapeError):
        NetBatch.from_integers([(np.zeros((2, 3, 2), dtype=int), np.zeros((2, 3), dtype=int), 1)])
    with pytest.raises(ShapeError):
        NetBatch.from_integers([(np.zeros((2, 3, 1)), np.zeros((2, 3)), 1)])  # floats are not integers
    with pytest.raises(ShapeError):
        NetBatch.from_integers([(np.zeros((2, 3, 1), dtype=int), np.zeros((2, 3), dtype=int), 0)])


def test_budget_names_the_net():
    nets = [tent_map(3), tent_map(3), ReLUNetwork(tent_map(3))]
    assert propagate_many(nets, (0, 1), max_pieces=8).pieces.tolist() == [8] * 3
    with pytest.raises(BudgetExceededError) as info:
        propagate_many(nets, (0, 1), max_pieces=7)
    err = info.value
    assert isinstance(err, RuntimeError) and err.net == 0 and err.budget == 7 and err.layer == 3
    assert err.required == 8


def test_batches_over_their_memory_budget_are_halved(monkeypatch):
    import exactrelu.batch as batch_module

    nets = [random_network((6, 6), seed=6000 + s) for s in range(20)]
    expected = propagate_many(nets, (-2, 2))
    monkeypatch.setattr(batch_module, "DEFAULT_BATCH_MAX_CELLS", 64)
    halved = propagate_many(nets, (-2, 2))
    assert np.array_equal(halved.output_pieces, expected.output_pieces)
    assert np.array_equal(halved.activation_regions, expected.activation_regions)
    assert_same_as_propagate(nets, (-2, 2), result=halved)


def test_huge_domain_ends_use_the_python_path():
    nets = [random_network((3, 3), seed=s) for s in range(3)]
    r = assert_same_as_propagate(nets, (-(2**50), F(2**50, 3)))
    assert r.python_path.tolist() == [0, 1, 2]


def test_propagate_mixed_groups_architectures_and_keeps_the_order():
    from exactrelu.batch import propagate_mixed

    nets = [random_network(ws, seed=7000 + s) for s, ws in enumerate([(3,), (2, 2), (3,), (4, 1, 2), (2, 2)] * 4)]
    r = propagate_mixed(nets, (-1, 2))
    for i, net in enumerate(nets):
        t = propagate(net, (-1, 2))
        assert int(r.pieces[i]) == t.pieces and int(r.activation_regions[i]) == t.activation_regions
        expected = [layer.activation_regions for layer in t.layers]
        assert r.layer_regions[i].tolist() == expected + [-1] * (3 - len(expected))
    count_network(len(nets))
    with pytest.raises(BudgetExceededError) as info:
        propagate_mixed([random_network((2,), seed=1), tent_map(3), tent_map(4)], (0, 1), max_pieces=10)
    assert info.value.net == 2
    with pytest.raises(NetworkFormatError, match=r"nets\[1\]"):
        propagate_mixed([tent_map(2), None], (0, 1))
    with pytest.raises(ShapeError, match=r"nets\[1\]"):
        propagate_mixed([tent_map(2), random_network((2,), seed=1, input_dim=2)], (0, 1))


def test_the_exactness_bounds_matter(monkeypatch):
    # unit A = (2^25 + 1) h1 - 2^25 h1' equals h1 exactly (h1' is a copy of h1), so the output
    # A - h1 is 0: one piece.  In float32 (2^25 + 1) rounds to 2^25 and A to 0: with the float32
    # bound deliberately wrong the count is wrong; with the real bounds it is exact.
    import exactrelu._kernels.batch as kernel

    s = 2**25
    net = _layers(([[1], [1], [1]], [0, 0, F(-1, 2)]), ([[s + 1, -s, 0], [1, 0, 0]], [0, 0]), ([[1, -1]], [0]))
    assert propagate(net, (-1, 1)).pieces == 1
    right = assert_same_as_propagate([net] * 3, (-1, 1))
    assert right.pieces.tolist() == [1, 1, 1] and right.python_path.size == 0
    monkeypatch.setattr(kernel, "FLOAT32_LIMIT", float(1 << 60))
    wrong = propagate_many([net] * 3, (-1, 1))
    assert wrong.pieces.tolist() != [1, 1, 1]


# ------------------------------------------------- report lines can fail
def test_report_lines_hold_and_fail_on_wrong_inputs():
    from exactrelu import batch, propagate

    assert all(line.holds for line in batch.verify_checks())

    class OffByOne:
        def __init__(self, trace):
            self.pieces, self.activation_regions, self.layers = trace.pieces + 1, trace.activation_regions, trace.layers

    wrong = batch.check_against_propagate(5, reference=lambda net, dom: OffByOne(propagate(net, dom)))
    assert not wrong.holds and wrong.witness is not None
    too_small = batch.check_serra_batched(50, bound=lambda widths: [2] * len(widths))
    assert not too_small.holds and too_small.witness is not None
