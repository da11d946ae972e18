"""Composition of two piecewise-linear graphs on integer columns (private kernel).

Columns follow :mod:`exactrelu._kernels.graphs`: ``x = X / w``, ``y = Y / w``,
``w = 0`` at a point at infinity (the direction of travel).
"""

from __future__ import annotations

import numpy as np

from . import lines as K
from .graphs import compare, insert, locate, normal_dtype, obj, reduce, values_at

__all__ = ["compose_columns"]


def _mul(*pairs: tuple[np.ndarray, np.ndarray]) -> list[np.ndarray]:
    """Elementwise products ``a * b`` of each pair, in a dtype that cannot overflow."""
    bound = max(K.max_abs(a) * K.max_abs(b) for a, b in pairs) + 1
    out = []
    for a, b in pairs:
        a2, b2 = K.choose(bound, a, b)
        out.append(a2 * b2)
    return out


def compose_columns(outer: tuple[np.ndarray, np.ndarray, np.ndarray],
                    inner: tuple[np.ndarray, np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Columns of ``outer o inner`` (inner's range inside outer's domain; not canonicalised).

    The new vertices are the points where inner crosses a kink level of outer:
    on a segment of inner between columns P0, P1 whose values straddle the
    kink k = Kx / Kw strictly, the crossing is ``|Z1| P0 + |Z0| P1`` with
    ``Z = Y Kw - Kx w`` (points at infinity included), and outer's value
    there is its vertex value.  At inner's own vertices outer is evaluated
    by :func:`values_at`.
    """
    Xo, Yo, wo = outer
    Xi, Yi, wi = inner
    n = Xi.shape[0]
    fl, fr = int(wi[0] == 0), int(wi[-1] == 0)
    kink = slice(1, Xo.shape[0] - 1)  # outer's interior columns are its kinks (canonical form)
    Kx, Ky, Kw = Xo[kink], Yo[kink], wo[kink]
    m = Kx.shape[0]
    fin = slice(fl, n - fr)
    nf = n - fl - fr
    # inner's finite values among the kinks
    pos, eq = locate(Yi[fin], wi[fin], Kx, Kw) if m else (np.zeros(nf, np.int64), np.zeros(nf, bool))
    le = pos + eq  # kinks <= y
    starts, counts, desc = [], [], []
    seg_ids = []
    if fl:
        s = int(K.sign(Yi[:1])[0])
        if s < 0:  # y rises from -inf to y_first: kinks below y_first, ascending
            starts.append(0); counts.append(int(pos[0])); desc.append(False)
        elif s > 0:  # y falls from +inf: kinks above y_first, descending
            starts.append(m - 1); counts.append(int(m - le[0])); desc.append(True)
        else:
            starts.append(0); counts.append(0); desc.append(False)
        seg_ids.append(0)
    y_up = compare(Yi[fin][1:], wi[fin][1:], Yi[fin][:-1], wi[fin][:-1]) if nf > 1 else np.zeros(0, np.int8)
    lo_count = np.where(y_up > 0, pos[1:] - le[:-1], np.where(y_up < 0, pos[:-1] - le[1:], 0))
    lo_count = np.maximum(lo_count, 0)
    lo_start = np.where(y_up > 0, le[:-1], pos[:-1] - 1)
    starts.extend(lo_start.tolist()); counts.extend(lo_count.tolist()); desc.extend((y_up < 0).tolist())
    seg_ids.extend(range(fl, fl + nf - 1))
    if fr:
        s = int(K.sign(Yi[-1:])[0])
        if s > 0:  # y rises to +inf: kinks above y_last, ascending
            starts.append(int(le[-1])); counts.append(int(m - le[-1])); desc.append(False)
        elif s < 0:  # y falls to -inf: kinks below y_last, descending
            starts.append(int(pos[-1]) - 1); counts.append(int(pos[-1])); desc.append(True)
        else:
            starts.append(0); counts.append(0); desc.append(False)
        seg_ids.append(n - 2)
    cnt = np.array(counts, dtype=np.int64)
    total = int(cnt.sum())
    # outer at inner's own vertices
    Xv, Yv, wv = values_at(Yi[fin], wi[fin], Xo, Yo, wo)  # Xv / wv = y_i, Yv / wv = outer(y_i)
    Xa, Ya, wa = _mul((Xi[fin], wv), (Yv, wi[fin]), (wi[fin], wv))
    Xa, Ya, wa = normal_dtype(Xa, Ya, wa)
    ends: list[tuple[int, int] | None] = []
    for side, idx in ((fl, 0), (fr, n - 1)):
        if not side:
            ends.append(None)
            continue
        xd, yd = int(Xi[idx]), int(Yi[idx])
        if yd == 0:
            ends.append((xd, 0))
            continue
        e = 0 if yd < 0 else Xo.shape[0] - 1
        if int(wo[e]) != 0:
            raise ValueError("inner is unbounded where outer's domain is bounded")
        xe, ye = int(Xo[e]), int(Yo[e])
        ends.append((xd * abs(xe), ye * yd * (1 if xe > 0 else -1)))
    parts = [[Xa.astype(object)], [Ya.astype(object)], [wa.astype(object)]]
    left_end, right_end = ends
    if left_end is not None:
        for k, v in enumerate((left_end[0], left_end[1], 0)):
            parts[k].insert(0, obj([v]))
    if right_end is not None:
        for k, v in enumerate((right_end[0], right_end[1], 0)):
            parts[k].append(obj([v]))
    X, Y, w = normal_dtype(*(np.concatenate(p) for p in parts))
    if total == 0:
        return X, Y, w
    seg = np.repeat(np.array(seg_ids, dtype=np.int64), cnt)
    offset = np.arange(total) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    dsc = np.repeat(np.array(desc, dtype=bool), cnt)
    k_idx = np.repeat(np.array(starts, dtype=np.int64), cnt) + np.where(dsc, -offset, offset)
    kx, kw = Kx[k_idx], Kw[k_idx]
    # Z at both ends of each segment, relative to the kink level
    Z0 = _mul((Yi[seg], kw), (kx, wi[seg]))
    Z1 = _mul((Yi[seg + 1], kw), (kx, wi[seg + 1]))
    Z0 = Z0[0] - Z0[1] if Z0[0].dtype == Z0[1].dtype else Z0[0].astype(object) - Z0[1].astype(object)
    Z1 = Z1[0] - Z1[1] if Z1[0].dtype == Z1[1].dtype else Z1[0].astype(object) - Z1[1].astype(object)
    a, b = np.abs(Z1), np.abs(Z0)
    nX, nw = [p + q for p, q in zip(_mul((a, Xi[seg]), (a, wi[seg])), _mul((b, Xi[seg + 1]), (b, wi[seg + 1])))]
    nX, nw = normal_dtype(nX, nw)
    reduce(nX, np.zeros_like(nX), nw)
    ky, kyw = Ky[k_idx], Kw[k_idx]
    cX, cY, cw = _mul((nX, kyw), (ky, nw), (nw, kyw))
    cX, cY, cw = normal_dtype(cX, cY, cw)
    reduce(cX, cY, cw)
    return insert(X, Y, w, seg, cX, cY, cw)
