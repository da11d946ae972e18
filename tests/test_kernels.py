"""The integer-column kernels: the float pre-sort and int64 fast paths agree with exact oracles."""

from __future__ import annotations

import random
from fractions import Fraction
from math import gcd

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactrelu import ReLUNetwork, propagate
from exactrelu._kernels import lines as K
from exactrelu._kernels import crossings as C
from exactrelu._kernels.crossings import order_exact as _order_crossings_exact


def oracle_order(segs, alpha, beta):
    """Sort by (segment, beta/(alpha+beta)) with Fractions; keep the first of equal keys."""
    keyed = sorted(
        ((int(s), Fraction(int(b), int(a) + int(b)), i) for i, (s, a, b) in enumerate(zip(segs, alpha, beta)))
    )
    result, last = [], None
    for s, k, i in keyed:
        if (s, k) != last:
            result.append(i)
            last = (s, k)
    return result


def positions(segs, alpha, beta, order):
    return [(int(segs[i]), Fraction(int(beta[i]), int(alpha[i]) + int(beta[i]))) for i in order]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(1, 12), st.integers(1, 12)), min_size=1, max_size=30
    ),
    st.sampled_from([np.int64, object]),
)
def test_crossing_order_matches_exact_oracle(items, dtype):
    segs = np.array([s for s, _, _ in items], dtype=np.int64)
    alpha = np.array([a for _, a, _ in items], dtype=dtype)
    beta = np.array([b for _, _, b in items], dtype=dtype)
    got = _order_crossings_exact(segs, alpha, beta)
    want = oracle_order(segs, alpha, beta)
    # same sequence of exact positions (which duplicate is kept does not matter)
    assert positions(segs, alpha, beta, got) == positions(segs, alpha, beta, want)


def test_crossing_order_near_ties_floats_cannot_separate():
    # keys differ by about 1e-19: float64 gives equal keys, the exact check must not merge them
    big = 10**17
    segs = np.array([0, 0, 0, 0], dtype=np.int64)
    alpha = np.array([big + 1, big, big, big + 1], dtype=np.int64)
    beta = np.array([big, big + 1, big + 1, big], dtype=np.int64)
    got = _order_crossings_exact(segs, alpha, beta)
    pos = positions(segs, alpha, beta, got)
    assert len(pos) == 2  # two distinct points, each twice
    assert pos[0][1] < pos[1][1]
    assert pos == positions(segs, alpha, beta, oracle_order(segs, alpha, beta))


@pytest.mark.parametrize("factor, dtype, full", [
    (6, np.int64, False),           # small entries: only the power of two is stripped
    (6 * (2**33 + 1), np.int64, True),  # entries past SMALL_ENTRY: full gcd
    (6, object, True),              # Python ints: always the full gcd
])
def test_reduce_columns_keeps_ratios_and_reduces(factor, dtype, full):
    rng = random.Random(3)
    cols = [(rng.randint(-50, 50), [rng.randint(-50, 50) for _ in range(3)], rng.randint(1, 50)) for _ in range(200)]
    X = np.array([c[0] * factor for c in cols], dtype=dtype)
    H = np.array([[v * factor for v in c[1]] for c in cols], dtype=dtype).T.copy()
    w = np.array([c[2] * factor for c in cols], dtype=dtype)
    X2, H2, w2 = X.copy(), H.copy(), w.copy()
    Z2 = H2.sum(axis=0, keepdims=True) + 5 * w2  # an integer-linear extra row
    K.reduce_columns(X2, H2, w2, extra=Z2)
    for i in range(len(cols)):
        g = gcd(int(X2[i]), int(w2[i]), *map(int, H2[:, i]))
        assert g == 1 if full else g % 2 == 1
        assert Fraction(int(X2[i]), int(w2[i])) == Fraction(int(X[i]), int(w[i]))
        for j in range(3):
            assert Fraction(int(H2[j, i]), int(w2[i])) == Fraction(int(H[j, i]), int(w[i]))
        assert Z2[0, i] == sum(int(v) for v in H2[:, i]) + 5 * int(w2[i])


def test_count_kinks_int64_and_object_agree():
    rng = random.Random(5)
    for _ in range(50):
        n = rng.randint(3, 40)
        xs = sorted(rng.sample(range(-1000, 1000), n))
        X = np.array(xs, dtype=np.int64)
        w = np.array([rng.choice([1, 2, 4]) for _ in range(n)], dtype=np.int64)
        X = X * w  # x = xs
        Y = np.array([rng.choice([0, 1, 2]) for _ in range(n)], dtype=np.int64) * w
        a = K.count_kinks(X, Y, w)
        b = K.count_kinks(X.astype(object), Y.astype(object), w.astype(object))
        # oracle with Fractions
        pts = [(Fraction(int(X[i]), int(w[i])), Fraction(int(Y[i]), int(w[i]))) for i in range(n)]
        slopes = [(pts[i + 1][1] - pts[i][1]) / (pts[i + 1][0] - pts[i][0]) for i in range(n - 1)]
        want = sum(1 for i in range(n - 2) if slopes[i] != slopes[i + 1])
        assert a == b == want
        assert type(a) is int


def test_object_path_for_huge_denominators_is_exact():
    # denominators near 2**70 force the Python-int path from the first layer on
    d = 2**70 + 1
    net = ReLUNetwork([
        ([[1], [-1], [Fraction(3, d)]], [Fraction(1, d), Fraction(1, 3), Fraction(-1, d)]),
        ([[1, 1, -1], [2, -1, 1]], [Fraction(-1, 7), 0]),
        ([[1, -1]], [0]),
    ])
    trace = propagate(net)
    out = trace.output
    pts = list(out.breakpoints)
    probes = pts + [(a + b) / 2 for a, b in zip(pts, pts[1:])] + [pts[0] - 1, pts[-1] + 1]
    for x in probes:
        assert out(x) == net(x)
    assert isinstance(trace.pieces, int)


@pytest.mark.parametrize("k", [3, 8, 12])
def test_int64_path_equals_object_path_on_tent_map(k, monkeypatch):
    from exactrelu import tent_map

    fast = propagate(tent_map(k), (0, 1))
    monkeypatch.setattr(K, "INT64_LIMIT", 1)  # every choose() now picks Python ints
    slow = propagate(tent_map(k), (0, 1))
    assert fast.pieces == slow.pieces == 2**k
    assert fast.output == slow.output
    assert fast.activation_regions == slow.activation_regions


# ------------------------------------------------ the Python-int path orders crossings on arrays (issue 11.6)
@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(1, 40), st.integers(1, 40), st.integers(0, 2)),
                min_size=2, max_size=40),
       st.integers(64, 200))
def test_object_crossing_order_with_huge_entries_matches_oracle(items, bits):
    # entries far beyond int64; near ties (differing in the last of ~bits bits) and exact duplicates
    big = 1 << bits
    segs = np.array([s for s, _, _, _ in items], dtype=np.int64)
    alpha = np.array([a * big + t for _, a, _, t in items], dtype=object)
    beta = np.array([b * big - t for _, _, b, t in items], dtype=object)
    got = _order_crossings_exact(segs, alpha, beta)
    assert positions(segs, alpha, beta, got) == positions(segs, alpha, beta, oracle_order(segs, alpha, beta))


@pytest.mark.parametrize("dtype", [np.int64, object])
def test_misordered_float_keys_are_repaired_exactly(dtype, monkeypatch):
    rng = random.Random(7)
    segs = np.array(sorted(rng.randint(0, 5) for _ in range(200)), dtype=np.int64)
    alpha = np.array([rng.randint(1, 30) for _ in range(200)], dtype=dtype)
    beta = np.array([rng.randint(1, 30) for _ in range(200)], dtype=dtype)
    # garbage float keys: the exact adjacent check must notice and re-sort every segment
    monkeypatch.setattr(C, "float_keys", lambda a, b: -np.arange(a.shape[0], dtype=np.float64))
    got = _order_crossings_exact(segs, alpha, beta)
    assert positions(segs, alpha, beta, got) == positions(segs, alpha, beta, oracle_order(segs, alpha, beta))


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6))
def test_object_path_equals_int64_path_on_random_rational_nets(seed):
    # denominators outgrow int64 after a few layers; forcing Python ints from the start must agree
    rng = random.Random(seed)
    sizes = [1] + [rng.randint(2, 6) for _ in range(rng.randint(2, 4))] + [1]
    layers = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        W = [[Fraction(rng.randint(-9, 9), rng.randint(1, 9)) for _ in range(a)] for _ in range(b)]
        layers.append((W, [Fraction(rng.randint(-9, 9), rng.randint(1, 9)) for _ in range(b)]))
    net = ReLUNetwork(layers)
    fast = propagate(net)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(K, "INT64_LIMIT", 1)
        slow = propagate(net)
    assert fast.output == slow.output and fast.activation_regions == slow.activation_regions
    assert fast.breakpoints == slow.breakpoints
