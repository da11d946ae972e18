"""Hypothesis properties of the region complex, the float filter, the digit kernels and the budget."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import count_network
from exactrelu import ReLUNetwork
from exactrelu._kernels.polytope import Digits, exact_matmul
from exactrelu.polyhedral import regions
from test_polyhedral import _signature, check_invariants

small = st.integers(-2, 2)
rational = st.builds(F, st.integers(-30, 30), st.integers(1, 12))


@st.composite
def nets(draw, dim, values=rational, max_depth=2, max_width=4):
    widths = draw(st.lists(st.integers(1, max_width), min_size=1, max_size=max_depth))
    dims = [dim, *widths, 1]
    layers = []
    for a, b in zip(dims, dims[1:]):
        W = [[draw(values) for _ in range(a)] for _ in range(b)]
        bias = [draw(values) for _ in range(b)]
        layers.append((W, bias))
    return ReLUNetwork(layers)


BOX2 = [(-1, 1), (F(-1, 2), 2)]
BOX3 = [(-1, 1), (0, 2), (F(-3, 2), F(1, 2))]


@settings(max_examples=40)
@given(nets(2, values=st.one_of(small, rational)))
def test_2d_invariants_and_every_implementation_agrees(net):
    count_network()
    cx = regions(net, BOX2)
    check_invariants(net, BOX2, cx)
    sig = _signature(cx)
    for method in ("planar", "cells"):
        for store in ("maps", "maps-exact", "columns"):
            assert _signature(regions(net, BOX2, method=method, store=store)) == sig
    assert cx.activation_regions >= cx.pieces >= 1
    assert cx.num_vertices - cx.num_edges + cx.activation_regions == 1


@settings(max_examples=20)
@given(nets(3, values=st.one_of(small, rational), max_width=3))
def test_3d_invariants_and_stores_agree(net):
    count_network()
    cx = regions(net, BOX3)
    check_invariants(net, BOX3, cx)
    sig = _signature(cx)
    for store in ("maps-exact", "columns"):
        assert _signature(regions(net, BOX3, store=store)) == sig


def _float32_star(k, seed):
    """k float32 lines through (nearly) one point: the family where float tools miscount."""
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((k, 2)).astype(np.float32)
    p = np.float32(0.1), np.float32(0.3)
    b = (-(W[:, 0] * p[0] + W[:, 1] * p[1])).astype(np.float32)
    return ReLUNetwork.from_numpy([(W.astype(np.float64), b.astype(np.float64)),
                                   (np.ones((1, k)), np.zeros(1))])


@pytest.mark.parametrize("seed", range(4))
def test_float_filter_agrees_with_exact_signs_on_near_degenerate_nets(seed):
    net = _float32_star(12, seed)
    box = [(-1, 1), (-1, 1)]
    fast = regions(net, box)
    exact = regions(net, box, store="maps-exact")
    cols = regions(net, box, store="columns")
    assert _signature(fast) == _signature(exact) == _signature(cols)
    assert fast._raw.exact_evaluations >= 0


def _he_net(widths, seed):
    rng = np.random.default_rng(seed)
    layers = []
    for a, b in zip(widths[:-1], widths[1:]):
        W = (rng.standard_normal((b, a)) * np.sqrt(2.0 / a)).astype(np.float32)
        layers.append((W.astype(np.float64), (rng.standard_normal(b) * 0.5).astype(np.float32).astype(np.float64)))
    return ReLUNetwork.from_numpy(layers)


@pytest.mark.parametrize("net", [_float32_star(16, 0), _float32_star(16, 1), _he_net((2, 12, 12, 1), 0),
                                 _he_net((2, 8, 8, 8, 1), 1)], ids=["star0", "star1", "he2", "he3"])
def test_pending_vertices_lie_within_their_radius(net, monkeypatch):
    """Every lazily placed vertex: the exact point is within ``rad`` of its float coordinates (max norm)."""
    from exactrelu._kernels import mapstore

    checked = []
    original = mapstore.MapStore.materialize

    def checking(self, idx):
        pending = np.unique(idx[~self.known[idx]])
        before = self.xh[:2, pending].copy(), self.rad[pending].copy()
        done = original(self, idx)
        for j, v in enumerate(pending):
            for i in range(2):
                exact = F(int(self.XW[i, v]), int(self.XW[2, v]))
                assert abs(F(before[0][i, j]) - exact) <= F(before[1][j]), (v, i)
        checked.append(pending.size)
        return done

    monkeypatch.setattr(mapstore.MapStore, "materialize", checking)
    box = [(-1, 1), (-1, 1)]
    cx = regions(net, box)
    assert len(cx.vertices) == cx.num_vertices  # materialises every pending vertex
    assert sum(checked) > 0
    assert _signature(cx) == _signature(regions(net, box, store="maps-exact"))


def test_radius_check_fails_on_a_wrong_radius(monkeypatch):
    """The check above is not vacuous: shrinking every radius to 0 is caught on float32 nets."""
    from exactrelu._kernels import mapstore

    original = mapstore.MapStore._float_crossings

    def no_radius(self, ids, *lines):
        ok = original(self, ids, *lines)
        self.rad[ids[ok]] = 0.0
        return ok

    monkeypatch.setattr(mapstore.MapStore, "_float_crossings", no_radius)
    with pytest.raises(AssertionError):
        test_pending_vertices_lie_within_their_radius(_he_net((2, 12, 12, 1), 0), monkeypatch)


def test_float_filter_defers_exact_zeros():
    # lines through a common vertex: signs at that vertex are exactly zero and must be settled exactly
    net = ReLUNetwork([([[1, 0], [0, 1], [1, 1], [1, -1]], [0, 0, 0, 0]), ([[1, 1, 1, 1]], [0])])
    cx = regions(net, [(-1, 1), (-1, 1)])
    assert cx.activation_regions == 8
    assert cx._raw.exact_evaluations > 0


@settings(max_examples=60)
@given(st.integers(1, 4), st.integers(1, 5), st.integers(1, 4), st.sampled_from([2, 20, 63, 64, 200]), st.data())
def test_exact_matmul_and_digits(m, k, c, bits, data):
    ints = st.integers(-(2 ** bits), 2 ** bits)
    A = np.array([[data.draw(ints) for _ in range(k)] for _ in range(m)], dtype=object)
    B = np.array([[data.draw(ints) for _ in range(c)] for _ in range(k)], dtype=object)
    assert (exact_matmul(A, B) == A @ B).all()
    D = Digits.of(A)
    assert (D.ints((slice(None), slice(None))) == A).all()
    f = D.to_float()
    for v, x in zip(A.ravel(), f.ravel()):
        assert abs(F(x) - v) <= abs(F(v)) * F(D.S + 1, 2 ** 53)


def test_budget_stops_before_memory_runs_out():
    """A 2-256-256-256-1 net has far more regions than memory allows here; the budget stops it."""
    code = textwrap.dedent("""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))
        import numpy as np
        from exactrelu import ReLUNetwork
        from exactrelu.errors import BudgetExceededError
        from exactrelu.polyhedral import regions
        rng = np.random.default_rng(0)
        layers, dims = [], [2, 256, 256, 256, 1]
        for a, b in zip(dims, dims[1:]):
            layers.append(((rng.standard_normal((b, a)) * np.sqrt(2 / a)).astype(np.float32).astype(float),
                           (rng.standard_normal(b) * 0.5).astype(np.float32).astype(float)))
        net = ReLUNetwork.from_numpy(layers)
        try:
            regions(net, [(-1, 1), (-1, 1)], max_regions=20000)
        except BudgetExceededError as exc:
            print("budget", exc.layer, exc.required)
            sys.exit(0)
        sys.exit(3)
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith("budget")


def _float_map_errors(net, box, monkeypatch):
    """Largest |Mf - M| / (e_l Ma) over the entries of every layer's float maps (<= 1 is the claim)."""
    from exactrelu._kernels import mapstore

    worst = []
    original = mapstore.MapStore.start_layer

    def recording(self, *args, **kw):
        original(self, *args, **kw)
        layer = self.layers[-1]
        M = layer.maps()
        exact = M.ints(tuple(slice(None) for _ in M.shape))  # R x m x (n+1)
        Mf = self.Mf.transpose(1, 2, 0)
        Ma = self.Ma.transpose(1, 2, 0)
        for idx in np.ndindex(*exact.shape):
            err = abs(F(float(Mf[idx])) - exact[idx])
            if err:
                worst.append(err / (F(self._em) * F(float(Ma[idx]))))

    monkeypatch.setattr(mapstore.MapStore, "start_layer", recording)
    regions(net, box)
    return max(worst, default=F(0)), len(worst)


@pytest.mark.parametrize("widths,seed", [((2, 6, 6, 6, 1), 0), ((2, 8, 8, 1), 3), ((3, 5, 5, 1), 1)])
def test_float_maps_within_their_proven_error(widths, seed, monkeypatch):
    net = _he_net(widths, seed)
    worst, inexact = _float_map_errors(net, [(-1, 1)] * widths[0], monkeypatch)
    assert inexact > 0  # the maps really are rounded (the check is not vacuous)
    assert worst <= 1


def test_float_map_error_check_fails_with_a_wrong_factor(monkeypatch):
    from exactrelu._kernels import regionmaps

    monkeypatch.setattr(regionmaps, "next_error", lambda e, k: e * 1e-6)
    import exactrelu._kernels.mapstore as ms

    monkeypatch.setattr(ms, "next_error", regionmaps.next_error)
    worst, _ = _float_map_errors(_he_net((2, 6, 6, 6, 1), 0), [(-1, 1)] * 2, monkeypatch)
    assert worst > 1
