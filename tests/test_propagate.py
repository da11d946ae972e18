"""exactrelu.propagate: known exact answers, and differential tests against two oracles.

Oracle 1 is the direct exact forward pass ``net(x)`` / ``net.activations(x)``
at breakpoints, midpoints, far points and random rationals.  Oracle 2
(tests/conftest.py) builds every unit's function with PiecewiseLinear algebra
layer by layer; the propagator's functions must equal its canonical objects.
"""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import count_network, oracle_layers, oracle_regions, probe_points
from exactrelu import (
    BudgetExceededError,
    DomainError,
    InvalidRationalError,
    PiecewiseLinear,
    ReLUNetwork,
    ShapeError,
    Trace,
    propagate,
    propagate_float64,
    sawtooth,
    tent_map,
    triangle_wave,
)
from exactrelu.strategies import degenerate_networks, networks, rationals, widths

F = Fraction


# ------------------------------------------------------------ known answers
@pytest.mark.parametrize("k", range(1, 15))
def test_tent_map_has_2_to_the_k_pieces_on_the_unit_interval(k):
    trace = propagate(tent_map(k), (0, 1))
    assert type(trace.pieces) is int and trace.pieces == 2**k
    assert type(trace.activation_regions) is int and trace.activation_regions == 2**k
    out = trace.output
    assert isinstance(out, PiecewiseLinear) and out.pieces == 2**k
    # D^k(i / 2^k) = i mod 2, read off the exact vertices
    assert out.breakpoints == tuple(F(i, 2**k) for i in range(2**k + 1))
    assert out.values == tuple(F(i % 2) for i in range(2**k + 1))
    assert all(type(v) is Fraction for v in out.values)


def test_tent_map_20_once_and_the_budget_error():
    trace = propagate(tent_map(20), (0, 1))
    assert trace.pieces == 2**20 == trace.activation_regions
    assert [layer.activation_regions for layer in trace.layers] == [2**l for l in range(1, 21)]
    with pytest.raises(BudgetExceededError) as info:
        propagate(tent_map(20), (0, 1), max_pieces=2**19)
    err = info.value
    assert isinstance(err, RuntimeError)
    assert err.budget == 2**19 and err.layer == 20 and err.required == 2**20
    assert "max_pieces=524288" in str(err) and "layer 20" in str(err)


def test_tent_map_20_float_twin_agrees():
    ft = propagate_float64(tent_map(20), (0, 1))
    assert ft.output_pieces == 2**20 and ft.activation_regions == 2**20


@pytest.mark.parametrize("k", range(1, 17))
def test_tent_map_identity_D_k_of_i_over_2_k(k):
    net = tent_map(k)
    rng = random.Random(k)
    for i in rng.sample(range(2**k + 1), min(2**k + 1, 40)):
        value = net(F(i, 2**k))
        assert type(value) is Fraction and value == i % 2


def test_tent_map_self_similarity():
    """On [0, 1], D^k(x) = D(2^{k-1} x - floor(2^{k-1} x)) (docs/theory.md §2)."""
    d6, d1 = tent_map(6), tent_map(1)
    rng = random.Random(6)
    for _ in range(100):
        x = F(rng.randint(0, 997), 997)
        y = 32 * x
        assert d6(x) == d1(y - (y.numerator // y.denominator))


@pytest.mark.parametrize("k", range(1, 12))
def test_tent_map_on_R(k):
    """Outside [0, 1] D^k is constant 0 for k >= 2, so R adds two pieces (one for k = 1)."""
    trace = propagate(tent_map(k))
    assert trace.pieces == (3 if k == 1 else 2**k + 2)


@pytest.mark.parametrize("depth", range(1, 13))
def test_lecture_sawtooth_doubles_on_R(depth):
    trace = propagate(sawtooth(depth))
    assert trace.pieces == 2**depth
    f = trace.output
    assert f.left_slope == -(2**depth) and f.right_slope == 2**depth


def test_sawtooth_is_2_abs_minus_2_iterated():
    rng = random.Random(0)
    for depth in range(1, 6):
        net = sawtooth(depth)
        for _ in range(20):
            x = F(rng.randint(-50, 50), rng.randint(1, 9))
            y = x
            for _ in range(depth):
                y = 2 * abs(y) - 2
            assert net(x) == y


@pytest.mark.parametrize(
    "peaks",
    [["1/2"] * 6, ["1/3"] * 6, ["1/3", "1/2", "2/5", "3/4", "1/7", "5/6"], ["1/10", "9/10", "1/10", "9/10", "1/2"]],
)
def test_triangle_waves_have_2_to_the_i_plus_1_pieces(peaks):
    for i in range(len(peaks)):
        trace = propagate(triangle_wave(peaks[: i + 1]), (0, 1))
        out = trace.output
        assert out.pieces == 2 ** (i + 1)
        assert set(out.values) == {0, 1}
        # peaks of W_i become valleys of W_{i+1}; valleys stay valleys
        assert out.values == tuple(F(j % 2) for j in range(2 ** (i + 1) + 1))


# ------------------------------------------------- floats: where they fail
def test_float_twin_agrees_on_integer_breakpoint_nets():
    rng = random.Random(5)
    for _ in range(30):
        m = rng.randint(1, 5)
        w1 = [[rng.choice((-1, 1))] for _ in range(m)]
        b1 = [rng.randint(-4, 4) for _ in range(m)]
        out = [[rng.randint(-3, 3) for _ in range(m)]]
        net = ReLUNetwork([(w1, b1), (out, [rng.randint(-3, 3)])])
        for domain in (None, (-5, 5), (0, None)):
            exact, flt = propagate(net, domain), propagate_float64(net, domain)
            assert (flt.output_pieces, flt.activation_regions) == (exact.pieces, exact.activation_regions)


def test_floats_wrong_on_integer_net_relu_x_plus_1():
    """An integer net whose float64 twin miscounts: the breakpoint -1/3 of a dead-weight
    unit is not a float, so the two sides of x + 1 get slopes 1 +- 2^-52 and a false kink.
    (float64 twin at the time of writing: 4 pieces on R, 3 on [-3, 3]; exact: 2.)"""
    net = ReLUNetwork([([[3], [1]], [1, 1]), ([[0, 1]], [0])])
    for domain in (None, (-3, 3)):
        trace = propagate(net, domain)
        assert trace.pieces == 2
        assert trace.activation_regions == 3
        assert trace.output == PiecewiseLinear.affine(1, 1, domain).relu()
    assert (2 / 3 - 0) / (-1 / 3 + 1) != 1.0  # why floats see a kink at -1/3


@pytest.mark.parametrize("k", [2, 4, 8, 12])
def test_floats_wrong_on_triangle_waves_with_peak_one_third(k):
    """W = T_{1/3}^k: every valley is exactly 0, so floats (1/3 inexact) see spurious
    crossings near the valleys.  float64 twin at the time of writing for k = 4: 21 pieces
    and 23 regions; exact: 16 and 16."""
    net = triangle_wave(["1/3"] * k)
    trace = propagate(net, (0, 1))
    assert trace.pieces == 2**k and trace.activation_regions == 2**k
    assert set(trace.output.values) == {0, 1}


# -------------------------------------------------------- degenerate table
DEGENERATE = [
    # (name, network, domain, pieces, regions)
    ("dead unit", ReLUNetwork([([[0], [1]], [-1, 0]), ([[5, 1]], [0])]), None, 2, 2),
    ("dead unit, negative combination", ReLUNetwork([([[1], [-1]], [0, 0]), ([[-1, -2]], [-1]), ([[3]], [7])]), None, 1, 2),
    ("tangent from above", ReLUNetwork([([[1], [-1]], [0, 0]), ([[1, 1]], [0]), ([[1]], [0])]), None, 2, 2),
    ("tangent from below", ReLUNetwork([([[1], [-1]], [0, 0]), ([[-1, -1]], [0]), ([[1]], [0])]), None, 1, 2),
    ("coinciding breakpoints", ReLUNetwork([([[1], [2]], [-1, -2]), ([[1, -1]], [0])]), None, 2, 2),
    ("opposite units, one breakpoint", ReLUNetwork([([[1], [-3]], [-1, 3]), ([[1, 1]], [0])]), None, 2, 2),
    ("duplicates cancel: constant", ReLUNetwork([([[1], [1]], [0, 0]), ([[1, -1]], [0])]), None, 1, 2),
    ("crossing at a breakpoint", ReLUNetwork([([[1], [-1]], [0, 0]), ([[1, -2]], [0]), ([[1]], [0])]), None, 2, 2),
    ("zero biases", ReLUNetwork([([[1], [-2], [3]], [0, 0, 0]), ([[1, 1, 1]], [0])]), None, 2, 2),
    ("width-1 chain", ReLUNetwork([([[1]], [0]), ([[1]], [-1]), ([[1]], [-1]), ([[1]], [0])]), None, 2, 4),
    ("all dead: constant", ReLUNetwork([([[0], [0]], [-1, 0]), ([[1, 1]], [3])]), None, 1, 1),
    ("zero output weights", sawtooth(3).scale(0), None, 1, 8),
    ("breakpoint at the domain end", ReLUNetwork([([[1]], [0]), ([[1]], [0])]), (0, 1), 1, 1),
    ("breakpoint beyond a half-line", ReLUNetwork([([[1]], [-5]), ([[1]], [0])]), (None, 2), 1, 1),
    ("affine network", ReLUNetwork([([[2]], [1])]), None, 1, 1),
]


@pytest.mark.parametrize("name, net, domain, pieces, regions", DEGENERATE, ids=[d[0] for d in DEGENERATE])
def test_degenerate_table(name, net, domain, pieces, regions):
    trace = propagate(net, domain)
    assert trace.pieces == pieces
    assert trace.activation_regions == regions
    assert trace.pieces <= trace.activation_regions
    check_against_oracles(net, domain)


# ------------------------------------------------------ differential tests
def check_against_oracles(net: ReLUNetwork, domain, seed: int = 0) -> Trace:
    """propagate == PWL-algebra oracle (canonical equality) == forward pass (pointwise)."""
    trace = propagate(net, domain)
    pre, outs = oracle_layers(net, domain)
    assert len(trace.layers) == net.depth
    assert trace.outputs == tuple(outs)
    assert trace.output_pieces == tuple(f.pieces for f in outs)
    for l, layer in enumerate(trace.layers):
        assert layer.width == net.widths[l]
        for j in range(layer.width):
            f = layer.pre(j)
            assert f == pre[l][j], (l, j)
            assert layer.post(j) == pre[l][j].relu(), (l, j)
        assert layer.pre_pieces == tuple(f.pieces for f in pre[l])
        assert layer.post_pieces == tuple(f.relu().pieces for f in pre[l])
        assert layer.sign_changes == tuple(len(f.level_crossings(0)) for f in pre[l])
        assert all(type(v) is int for v in layer.pre_pieces + layer.post_pieces + layer.sign_changes)
    regions = oracle_regions(net, domain)
    assert type(trace.activation_regions) is int
    assert trace.activation_regions == len(regions)
    assert trace.activation_patterns() == regions
    assert trace.breakpoints == tuple(r[1] for r in regions[:-1])
    assert all(type(b) is Fraction for b in trace.breakpoints)
    if net.depth:
        assert trace.layers[-1].activation_regions == trace.activation_regions
    # pointwise against the direct forward pass
    pts = set(trace.breakpoints)
    for f in outs:
        pts |= set(f.breakpoints)
    for x in probe_points(pts, domain, random.Random(seed)):
        acts = net.activations(x)
        for k, f in enumerate(trace.outputs):
            value = f(x)
            assert type(value) is Fraction and value == acts[-1][k], x
        for l, layer in enumerate(trace.layers):
            for j in range(layer.width):
                assert layer.pre(j)(x) == acts[l][j], (x, l, j)
                assert layer.post(j)(x) == max(acts[l][j], 0), (x, l, j)
    count_network()
    return trace


def domains():
    """Intervals, half-lines and R, with small rational ends."""
    ends = rationals(max_numerator=6, max_denominator=3)
    interval = st.tuples(ends, ends).filter(lambda t: t[0] != t[1]).map(lambda t: (min(t), max(t)))
    return st.one_of(
        st.just(None),
        st.sampled_from([(0, 1), (-1, 1), (-3, 2)]),
        interval,
        ends.map(lambda a: (a, None)),
        ends.map(lambda b: (None, b)),
    )


@settings(max_examples=400)
@given(networks(), domains())
def test_random_networks_agree_with_both_oracles(net, domain):
    check_against_oracles(net, domain)


@settings(max_examples=500)
@given(degenerate_networks(), domains())
def test_degenerate_networks_agree_with_both_oracles(net, domain):
    check_against_oracles(net, domain)


@settings(max_examples=80)
@given(networks(widths=widths(min_depth=2, max_depth=4, max_width=3), weights=rationals(max_numerator=1000, max_denominator=999)), domains())
def test_big_numerators_and_denominators(net, domain):
    check_against_oracles(net, domain)


@settings(max_examples=60)
@given(networks(output_dim=3), domains())
def test_several_outputs(net, domain):
    trace = check_against_oracles(net, domain)
    assert len(trace.outputs) == 3
    with pytest.raises(ShapeError):
        trace.pieces


@settings(max_examples=60)
@given(networks(weights=st.integers(-3, 3)))
def test_integer_weights_on_R(net):
    check_against_oracles(net, None)


@pytest.mark.slow
@settings(max_examples=4000)
@given(networks(widths=widths(max_depth=5, max_width=5)), domains())
def test_slow_random_networks(net, domain):
    check_against_oracles(net, domain)


@pytest.mark.slow
@settings(max_examples=4000)
@given(degenerate_networks(max_depth=5, max_width=5), domains())
def test_slow_degenerate_networks(net, domain):
    check_against_oracles(net, domain)


@settings(max_examples=100)
@given(networks(), rationals(), st.integers(1, 4))
def test_restricting_the_domain_restricts_the_functions(net, a, width):
    whole = propagate(net).output
    part = propagate(net, (a, a + width)).output
    assert part == whole.restrict(a, a + width)
    assert propagate(net, (a, None)).output == whole.restrict(a, None)
    assert propagate(net, (None, a)).output == whole.restrict(None, a)
    assert part.pieces <= whole.pieces
    count_network()


# ------------------------------------------------------------------ errors
def test_propagate_errors():
    net = tent_map(2)
    with pytest.raises(DomainError, match="reversed"):
        propagate(net, (1, 0))
    with pytest.raises(DomainError, match="empty"):
        propagate(net, (1, 1))
    with pytest.raises(InvalidRationalError) as info:
        propagate(net, ("x", 1))
    assert info.value.where == "domain lower end"
    with pytest.raises(InvalidRationalError):
        propagate(net, (0, 0.5))
    with pytest.raises(DomainError):
        propagate(net, (0, 1, 2))
    with pytest.raises(ShapeError, match="one input"):
        propagate(ReLUNetwork([([[1, 1]], [0]), ([[1]], [0])]))
    with pytest.raises(TypeError):
        propagate([([[1]], [0])])
    for bad in (0, -1, True, 1.5, "10"):
        with pytest.raises(ValueError, match="max_pieces"):
            propagate(net, max_pieces=bad)


def test_budget_counts_segments_per_layer():
    propagate(tent_map(5), (0, 1), max_pieces=32)
    with pytest.raises(BudgetExceededError) as info:
        propagate(tent_map(5), (0, 1), max_pieces=31)
    assert (info.value.layer, info.value.required, info.value.budget) == (5, 32, 31)


def test_trace_types_and_repr():
    trace = propagate(tent_map(3), (0, 1))
    assert trace.domain == (F(0), F(1))
    assert all(type(v) is Fraction for v in trace.domain)
    assert trace.network == tent_map(3)
    assert len(trace.layers) == 3 and [l.index for l in trace.layers] == [1, 2, 3]
    assert "regions=8" in repr(trace)
    assert type(trace.num_columns) is int
    patterns = trace.activation_patterns()
    assert len(patterns) == 8
    assert patterns[0][0] == 0 and patterns[-1][1] == 1
    for lo, hi, pattern in patterns:
        assert lo < hi
        assert len(pattern) == 3 and all(len(p) == 2 and all(type(b) is bool for b in p) for p in pattern)


# ------------------------------------------------ regression: int64 cast overflow
OVERFLOW_NETS = [
    # found by tests with weights up to 10^12 / 10^9: zero output weights make the dtype bound 1,
    # and object columns with entries > 2^63 are cast to int64
    ReLUNetwork([([[118], [0]], [0, 0]), ([[1, 0], [43171929, 0]], [-1810532253, 0]), ([[0, 0]], [0])]),
    # the same with an all-zero hidden layer (the cast inside the layer loop)
    ReLUNetwork([([[118], [0]], [0, 0]), ([[1, 0], [43171929, 0]], [-1810532253, 0]), ([[0, 0]], [1]), ([[1]], [0])]),
]


@pytest.mark.parametrize("net", OVERFLOW_NETS, ids=["zero output layer", "zero hidden layer"])
def test_zero_weight_layer_after_huge_columns(net):
    check_against_oracles(net, None)
    check_against_oracles(net, (0, None))


def test_int64_overflow_when_scaling_columns_by_the_layer_denominator():
    net = ReLUNetwork([([[-1509]], ["-31472515/246808049"]), ([["-3/2"]], ["-1/12383721"]), ([[1]], [0])])
    trace = propagate(net)
    assert trace.breakpoints == (F(-31472515, 372433345941),)
    assert trace.output == PiecewiseLinear.affine(0, 0)
    check_against_oracles(net, None)


# ------------------------------------------------ the public column view
@pytest.mark.parametrize("domain", [(0, 1), None, (F(-1, 3), None), (None, 2)])
def test_output_columns_reproduce_the_output_exactly(domain):
    from exactrelu.propagate import OutputColumns

    net = ReLUNetwork([([[2], [-3], [F(1, 3)]], [F(-1, 2), 1, F(1, 5)]),
                       ([[1, F(1, 7), -1], [F(-2, 3), 1, 1]], [0, F(-1, 3)])])
    trace = propagate(net, domain)
    cols = trace.output_columns
    assert isinstance(cols, OutputColumns) and cols.Y.shape == (2, cols.X.shape[0])
    assert cols.X.shape == cols.w.shape == (trace.num_columns,)
    with pytest.raises(ValueError):
        cols.X[0] = 5  # read-only
    fs = trace.outputs
    n = cols.X.shape[0]
    for i in range(n):
        if cols.w[i] == 0:  # a point at infinity: direction, slope Y / X
            assert i in (0, n - 1)
            for k in range(2):
                slope = fs[k].left_slope if i == 0 else fs[k].right_slope
                assert F(int(cols.Y[k, i]), int(cols.X[i])) == slope
            assert (cols.X[i] < 0) == (i == 0)
        else:
            x = F(int(cols.X[i]), int(cols.w[i]))
            for k in range(2):
                assert F(int(cols.Y[k, i]), int(cols.w[i])) == fs[k](x) == net(x)[k]
    xs = [F(int(a), int(b)) for a, b in zip(cols.X, cols.w) if b != 0]
    assert xs == sorted(set(xs))
    for k in range(2):
        assert set(fs[k].kinks) <= set(xs)


# ------------------------------------------------ budgets fire before memory is spent (issue 9)
def run_limited(code: str, memory_gb: float = 2.0, timeout: float = 240) -> str:
    """Run ``code`` in a fresh interpreter under an address-space limit; return its stdout."""
    import os
    import subprocess
    import sys
    import textwrap
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    prelude = (
        "import resource\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({int(memory_gb * 2**30)}, {int(memory_gb * 2**30)}))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(root))
    proc = subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=timeout, cwd=root, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


BUDGET_PROBE = """
from exactrelu.errors import BudgetExceededError
from exactrelu.propagate import propagate
{setup}
try:
    propagate({call})
    print("NO ERROR")
except BudgetExceededError as err:
    print(type(err).__name__, err.name, err.layer, err.required, "|", err)
"""


def test_budget_fires_before_the_crossings_are_listed():
    out = run_limited(BUDGET_PROBE.format(setup="from exactrelu.constructions.zigzag import zigzag_network",
                                          call="zigzag_network((16,) * 5), max_pieces=200_000"), 1.5)
    assert out.startswith("BudgetExceededError max_pieces 5 "), out
    assert "at least" in out and "max_pieces=200000" in out and "--max-pieces" in out


@pytest.mark.slow
@pytest.mark.parametrize("depth", [6, 12])
def test_zigzag_16_wide_deep_raises_in_bounded_memory(depth):
    # issue 9: 51 s and 7.5 GB, then MemoryError; now a typed error within 3 GB
    out = run_limited(BUDGET_PROBE.format(setup="from exactrelu.constructions.zigzag import zigzag_network",
                                          call=f"zigzag_network((16,) * {depth})"), 3.0, timeout=600)
    assert out.startswith("BudgetExceededError max_pieces 6 "), out


PERTURBED_ZIGZAG = """
from fractions import Fraction
from exactrelu.constructions.zigzag import zigzag_network
from exactrelu.network import ReLUNetwork
base = zigzag_network((16,) * {depth})
k = 0
layers = []
for W, b in base.layers:
    rows = []
    for row in W:
        r = []
        for v in row:
            k += 1
            r.append(v + Fraction(k % 7, 97 * 1000))
        rows.append(r)
    layers.append((rows, list(b)))
net = ReLUNetwork(layers)
"""


@pytest.mark.slow
def test_perturbed_zigzag_hits_the_storage_budget_not_memory():
    # denominators grow, columns become Python ints: the storage budget weighs them by size
    out = run_limited(BUDGET_PROBE.format(setup=PERTURBED_ZIGZAG.format(depth=6), call="net"), 3.0, timeout=600)
    assert out.startswith("BudgetExceededError max_"), out


def test_python_int_entries_weigh_their_size_in_the_storage_budget():
    import sys

    prop = sys.modules["exactrelu.propagate"]
    assert prop._entry_weight(2**40) == 1
    assert prop._entry_weight(2**100) >= 6 and prop._entry_weight(2**1000) > prop._entry_weight(2**100)


def test_matrix_product_budget_is_checked_before_the_product():
    from exactrelu.propagate import DEFAULT_MAX_WORK

    assert 5000 * 5000 * 5001 > DEFAULT_MAX_WORK  # the width-5000 depth-2 net of issue 9 stops here
    setup = """
from exactrelu.network import ReLUNetwork
import random
rng = random.Random(0)
n = 300
net = ReLUNetwork([([[rng.randint(-9, 9)] for _ in range(n)], [rng.randint(-9, 9) for _ in range(n)]),
                   ([[rng.randint(-9, 9) for _ in range(n)] for _ in range(n)], [0] * n),
                   ([[1] * n], [0])])
"""
    out = run_limited(BUDGET_PROBE.format(setup=setup, call="net, max_work=10**6"), 1.5)
    assert out.startswith("BudgetExceededError max_work 2 "), out
    assert "multiply-adds" in out


def test_budget_values_are_checked_like_every_other_int():
    net = tent_map(2)
    for name in ("max_pieces", "max_cells", "max_work"):
        for bad in (0, -1, True, 2.0):
            with pytest.raises(ShapeError, match=name) as info:
                propagate(net, **{name: bad})
            assert isinstance(info.value, ValueError)
    with pytest.raises(BudgetExceededError) as info:
        propagate(tent_map(6), (0, 1), max_pieces=40)
    assert "max_pieces=40" in str(info.value) and "--max-pieces" in str(info.value)
    assert (info.value.layer, info.value.required) == (6, 64)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10**6))
def test_crossings_counted_in_blocks_give_the_same_trace(seed):
    # duplicated units make crossings coincide, so the per-segment upper bound exceeds the count
    # and the block-by-block path runs; with a budget of exactly what is needed it must agree
    import sys

    prop = sys.modules["exactrelu.propagate"]
    rng = random.Random(seed)
    rows = [([rng.randint(-3, 3) or 1], rng.randint(-4, 4)) for _ in range(3)]
    W1 = [r[0] for r in rows for _ in range(2)]
    b1 = [r[1] for r in rows for _ in range(2)]
    W2 = [[rng.randint(-3, 3) for _ in range(6)] for _ in range(4)]
    W2 = W2 + W2  # duplicated second-layer units too
    net = ReLUNetwork([(W1, b1), (W2, [rng.randint(-5, 5) for _ in range(8)]),
                       ([[rng.randint(-2, 2) for _ in range(8)]], [0])])
    full = propagate(net, (-6, 6))
    need = max(layer.num_columns - 1 for layer in full.layers)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(prop, "_CROSSING_BLOCK", 2)
        blocked = propagate(net, (-6, 6), max_pieces=need)
        assert blocked.output == full.output and blocked.breakpoints == full.breakpoints
        assert blocked.activation_regions == full.activation_regions
        if need > 1:
            with pytest.raises(BudgetExceededError):
                propagate(net, (-6, 6), max_pieces=need - 1)
