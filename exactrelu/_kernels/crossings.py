"""Ordering a layer's zero crossings exactly (private kernel of :mod:`exactrelu.propagate`).

Crossing k of a layer lies in segment ``segs[k]`` between two columns, at
``beta / (alpha + beta)`` of the way (``alpha, beta > 0`` integers, int64 or
object arrays of Python ints).  :func:`order_exact` sorts them by (segment,
position) and drops coinciding ones: floats pre-sort, integer
cross-multiplication on whole arrays confirms every adjacent pair, and only
the segments a float key misordered are re-sorted exactly.
"""

from __future__ import annotations

import numpy as np

from . import lines as K

__all__ = ["order_exact", "order_float", "float_keys"]


def float_keys(alpha: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """float64 positions ``beta / (alpha + beta)``; correctly rounded for Python ints (object arrays)."""
    if alpha.dtype == object:
        return (beta / (alpha + beta)).astype(np.float64)
    return beta.astype(np.float64) / (alpha.astype(np.float64) + beta.astype(np.float64))


def order_exact(segs, alpha, beta):
    """Sort crossings by (segment, position) exactly; drop coinciding ones.

    Returns the index array (into the inputs) of the kept crossings in order.
    The position of a crossing inside its segment is beta / (alpha + beta)
    (alpha, beta > 0).  Floats pre-sort (for Python ints the float key is
    correctly rounded); then every adjacent pair in one segment is compared
    exactly by integer cross-multiplication (``beta_a * alpha_b`` against
    ``beta_b * alpha_a``, on int64 or object arrays), and only the segments
    where a pair is out of order are re-sorted, with exact keys.
    """
    order = np.argsort(segs, kind="stable")
    s = segs[order]
    if s.size < 2 or not (s[1:] == s[:-1]).any():
        return order
    order = np.lexsort((float_keys(alpha, beta), segs))
    s = segs[order]
    a, b = alpha[order], beta[order]
    bound = K.max_abs(alpha) * K.max_abs(beta) * 2 + 1
    a, b = K.choose(bound, a, b)
    same = s[1:] == s[:-1]
    cmp = K.sign(b[:-1] * a[1:] - b[1:] * a[:-1])  # < 0 when strictly increasing
    bad = same & (cmp > 0)
    if bad.any():
        order, cmp = resort_segments(order, s, a, b, np.unique(s[1:][bad]), bound)
    keep = np.ones(order.size, dtype=bool)
    keep[1:] &= ~(same & (cmp == 0))
    return order[keep]


def resort_segments(order, s, a, b, bad_segs, bound):
    """Exactly re-sort the crossings of the segments ``bad_segs`` (a slow path: float keys misordered them)."""
    from functools import cmp_to_key

    order = order.copy()
    a, b = a.copy(), b.copy()
    starts = np.searchsorted(s, bad_segs, side="left")
    stops = np.searchsorted(s, bad_segs, side="right")
    def by_ratio(p: tuple[int, int, int], q: tuple[int, int, int]) -> int:
        left, right = p[0] * q[1], q[0] * p[1]
        return (left > right) - (left < right)

    for lo, hi in zip(starts.tolist(), stops.tolist()):
        items = [(int(b[k]), int(a[k]), int(order[k])) for k in range(lo, hi)]
        items.sort(key=cmp_to_key(by_ratio))
        for k, (bb, aa, o) in zip(range(lo, hi), items):
            b[k], a[k], order[k] = bb, aa, o
    cmp = K.sign(b[:-1] * a[1:] - b[1:] * a[:-1])
    return order, cmp


def order_float(segs, alpha, beta):
    key = beta / (alpha + beta)
    order = np.lexsort((key, segs))
    s, k = segs[order], key[order]
    keep = np.ones(order.size, dtype=bool)
    keep[1:] = ~((s[1:] == s[:-1]) & (k[1:] == k[:-1]))
    return order[keep]
