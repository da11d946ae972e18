"""Exact integer-column computations behind :mod:`exactrelu.theorems.telgarsky`.

A piecewise-linear function on ``[a, b]`` is held in the column convention of
:mod:`exactrelu._kernels.lines` (homogeneous coordinates): three equal-length
numpy object arrays ``(X, Y, w)`` of Python ints, vertices ``x_i = X_i / w_i``
in increasing order and values ``y_i = Y_i / w_i``; on a bounded interval
every ``w_i > 0`` (``w = 0`` would mark a point at infinity).  The first
and last vertices are ``a`` and ``b``; non-kink vertices are allowed.  Every
operation below is an exact integer operation on whole arrays; floats only
pre-locate points and every float answer is either provably exact (a correctly
rounded quotient is monotone) or re-decided with integers.
"""

from __future__ import annotations

from bisect import bisect_left
from fractions import Fraction
from typing import Union

import numpy as np

from ..._kernels import lines as K
from ...errors import ShapeError
from ...network import ReLUNetwork
from ...pwl import PiecewiseLinear

__all__ = ["Columns", "FunctionLike", "columns", "tent_columns", "l1_columns", "to_pwl"]

Columns = tuple[np.ndarray, np.ndarray, np.ndarray]
FunctionLike = Union[ReLUNetwork, PiecewiseLinear]


def _obj(values) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = [int(v) for v in values]
    return out


def reduce(*arrays: np.ndarray) -> list[np.ndarray]:
    """Divide every column of the stacked arrays by its gcd (the last array stays positive)."""
    g = arrays[0]
    for a in arrays[1:]:
        g = np.gcd(g, a)
    g = np.where(g == 0, 1, g)
    return [a // g for a in arrays]


def pwl_columns(f: PiecewiseLinear, a: Fraction, b: Fraction) -> Columns:
    """Columns of a :class:`PiecewiseLinear` restricted to ``[a, b]`` (DomainError if not inside its domain)."""
    xs = [a] + [x for x in f.breakpoints if a < x < b] + [b]
    ys = [f(a)] + [f(x) for x in xs[1:-1]] + [f(b)]
    X, Y, W = [], [], []
    for x, y in zip(xs, ys):
        w = x.denominator * y.denominator // np.gcd(x.denominator, y.denominator)
        X.append(x.numerator * (w // x.denominator))
        Y.append(y.numerator * (w // y.denominator))
        W.append(w)
    return _obj(X), _obj(Y), _obj(W)


def network_columns(net: ReLUNetwork, a: Fraction, b: Fraction, max_pieces: int | None = None) -> Columns:
    """Columns of a one-input, one-output network on ``[a, b]`` from the exact propagator.

    The propagator's :attr:`~exactrelu.propagate.Trace.output_columns` are in
    the same convention; here they are reduced by their gcd.
    """
    from ...propagate import DEFAULT_MAX_PIECES, propagate

    if net.input_dim != 1 or net.output_dim != 1:
        raise ShapeError(
            f"a network R -> R is needed; this one maps R^{net.input_dim} -> R^{net.output_dim}"
        )
    trace = propagate(net, (a, b), max_pieces=max_pieces or DEFAULT_MAX_PIECES)
    cols = trace.output_columns
    X, Y, W = reduce(cols.X.astype(object), cols.Y[0].astype(object), cols.w.astype(object))
    return X, Y, W


def columns(func: FunctionLike, a: Fraction, b: Fraction, max_pieces: int | None = None) -> Columns:
    if isinstance(func, ReLUNetwork):
        return network_columns(func, a, b, max_pieces)
    if isinstance(func, PiecewiseLinear):
        return pwl_columns(func, a, b)
    raise TypeError(f"expected a ReLUNetwork or a PiecewiseLinear, got {type(func).__name__}")


def tent_columns(k: int) -> Columns:
    """Columns of D^k on [0, 1] in closed form: x = i / 2^k, y = i mod 2 (THEORY.md 2)."""
    n = 1 << k
    i = np.arange(n + 1, dtype=np.int64)
    X = i.astype(object)
    Y = ((i % 2) * n).astype(object)
    W = np.full(n + 1, n, dtype=object)
    return X, Y, W


def locate(Xq: np.ndarray, Wq: np.ndarray, X: np.ndarray, W: np.ndarray) -> np.ndarray:
    """For every query point ``Xq/Wq``: how many of the sorted points ``X/W`` are strictly smaller.

    Float quotients are correctly rounded, hence monotone, so the true answer
    lies between the float ``searchsorted`` left and right answers; where those
    differ (float ties) the answer is decided by exact integer bisection.
    """
    key = (X / W).astype(np.float64)
    qkey = (Xq / Wq).astype(np.float64)
    lo = np.searchsorted(key, qkey, side="left")
    hi = np.searchsorted(key, qkey, side="right")
    result = lo.copy()
    for k in np.nonzero(lo != hi)[0]:
        xq, wq = int(Xq[k]), int(Wq[k])
        left, right = int(lo[k]), int(hi[k])
        while left < right:  # first index with x_i >= xq
            mid = (left + right) // 2
            if int(X[mid]) * wq < xq * int(W[mid]):
                left = mid + 1
            else:
                right = mid
        result[k] = left
    return result


def interpolate(Xq, Wq, X, Y, W, seg):
    """Values at the query points, each inside segment ``seg`` of the columns: ``(num, den)``, den > 0.

    With ``P0, P1`` the segment's end columns, the query is the combination
    ``alpha P0 + beta P1`` with ``alpha = X1 Wq - Xq W1 >= 0``,
    ``beta = Xq W0 - X0 Wq >= 0``, and its value is
    ``(alpha Y0 + beta Y1) / (Wq (X1 W0 - X0 W1))``.
    """
    X0, X1, W0, W1 = X[seg], X[seg + 1], W[seg], W[seg + 1]
    alpha = X1 * Wq - Xq * W1
    beta = Xq * W0 - X0 * Wq
    assert not ((alpha < 0) | (beta < 0)).any(), "query outside its segment"
    num = alpha * Y[seg] + beta * Y[seg + 1]
    lam = X1 * W0 - X0 * W1
    return num, Wq * lam, lam


def l1_columns(fc: Columns, gc: Columns) -> Fraction:
    """Exact ``int |f - g|``; dispatches to :func:`l1_common_denominator` when it applies."""
    if fc[0].shape[0] < gc[0].shape[0]:
        fc, gc = gc, fc
    if fc[0].shape[0] > 64:
        common = common_denominator(fc)
        if common is not None:
            return l1_common_denominator(common, gc)
    return l1_merged(fc, gc)


def l1_merged(fc: Columns, gc: Columns) -> Fraction:
    """Exact ``int |f - g|`` over the common interval of two column sets with equal ends.

    Both functions are evaluated on the union of their vertices; on each
    segment between consecutive union points ``h = f - g`` is affine, so the
    segment contributes the trapezoid ``(|h_0| + |h_1|) dx / 2`` if ``h`` keeps
    its sign and ``(h_0^2 + h_1^2) dx / (2 (|h_0| + |h_1|))`` if it changes sign
    (the two triangles on either side of the crossing); crossings are never
    materialised.  Terms are reduced and added as integers grouped by
    denominator.
    """
    Xf, Yf, Wf = fc
    Xg, Yg, Wg = gc
    n, m = Xf.shape[0], Xg.shape[0]
    pos_g = locate(Xg, Wg, Xf, Wf)  # f points strictly left of each g point
    seg_f = np.clip(pos_g - 1, 0, n - 2)
    f_at_g, den, lam = interpolate(Xg, Wg, Xf, Yf, Wf, seg_f)
    cols_g = (Xg * lam, f_at_g, Yg * lam, den)
    le_g = np.searchsorted(pos_g, np.arange(n), side="right")  # g points <= each f point
    seg_g = np.clip(le_g - 1, 0, m - 2)
    g_at_f, den, lam = interpolate(Xf, Wf, Xg, Yg, Wg, seg_g)
    cols_f = (Xf * lam, Yf * lam, g_at_f, den)
    total = n + m
    idx_g = pos_g + np.arange(m)
    idx_f = np.arange(n) + le_g
    merged = []
    for cf, cg in zip(cols_f, cols_g):
        arr = np.empty(total, dtype=object)
        arr[idx_f] = cf
        arr[idx_g] = cg
        merged.append(arr)
    X, F, G, W = reduce(*merged)
    H = F - G
    return integral_abs(X, H, W)


def integral_abs(X: np.ndarray, H: np.ndarray, W: np.ndarray) -> Fraction:
    """Exact ``int |h|`` for the function through the columns ``(X/W, H/W)``."""
    X0, X1, H0, H1, W0, W1 = X[:-1], X[1:], H[:-1], H[1:], W[:-1], W[1:]
    dX = X1 * W0 - X0 * W1
    if ((dX < 0)).any():
        raise AssertionError("columns are not sorted")
    A0, A1 = abs(H0) * W1, abs(H1) * W0  # |h_0|, |h_1| over the common denominator W0 W1
    ww = W0 * W1
    cross = (H0 * H1) < 0
    num = (A0 + A1) * dX
    den = 2 * ww * ww
    if cross.any():
        c = np.nonzero(cross)[0]
        num[c] = (A0[c] * A0[c] + A1[c] * A1[c]) * dX[c]
        den[c] = den[c] * (A0[c] + A1[c])
    keep = num != 0
    if not keep.any():
        return Fraction(0)
    num, den = reduce(num[keep], den[keep])
    return sum_fractions(num, den)


def sum_fractions(num: np.ndarray, den: np.ndarray) -> Fraction:
    """Exact sum of ``num_i / den_i`` (den > 0), added as integers per distinct denominator."""
    order = np.argsort(den, kind="stable")
    den_sorted = den[order]
    num_sorted = num[order]
    starts = np.concatenate(([0], np.nonzero(den_sorted[1:] != den_sorted[:-1])[0] + 1))
    sums = np.add.reduceat(num_sorted, starts)
    return sum((Fraction(int(s), int(d)) for s, d in zip(sums, den_sorted[starts])), Fraction(0))


def signs_at(Xq: np.ndarray, Wq: np.ndarray, cols: Columns, level: Fraction) -> np.ndarray:
    """Sign of ``g - level`` at the query points (int8), ``g`` given by its columns."""
    X, Y, W = cols
    pos = locate(Xq, Wq, X, W)
    seg = np.clip(pos - 1, 0, X.shape[0] - 2)
    num, den, _ = interpolate(Xq, Wq, X, Y, W, seg)
    d = num * level.denominator - den * level.numerator
    return ((d > 0).astype(np.int8) - (d < 0).astype(np.int8))


def vertex_signs(cols: Columns, level: Fraction) -> np.ndarray:
    X, Y, W = cols
    d = Y * level.denominator - W * level.numerator
    return ((d > 0).astype(np.int8) - (d < 0).astype(np.int8))


def crossing_count(cols: Columns, level: Fraction) -> int:
    """Cr: maximal intervals of constant ``1[g >= level]`` on the columns' interval.

    The set ``{g >= level}`` has one closed component per maximal run of
    consecutive vertices with ``g >= level`` (an affine segment between two
    such vertices stays in the set; between a vertex inside and one outside it
    leaves once).  With r components, Cr = 2r + 1 minus one for each end of
    the interval lying in the set (Cr = 1 if r = 0).
    """
    s = vertex_signs(cols, level) >= 0
    runs = int(s[0]) + int(np.count_nonzero(s[1:] & ~s[:-1]))
    if runs == 0:
        return 1
    return 2 * runs + 1 - int(s[0]) - int(s[-1])


def pieces(cols: Columns) -> int:
    """Affine pieces on the columns' interval (1 + kinks)."""
    X, Y, W = cols
    return K.count_kinks(X, Y, W) + 1


def to_pwl(cols: Columns) -> PiecewiseLinear:
    X, Y, W = cols
    return PiecewiseLinear(
        [(Fraction(int(x), int(w)), Fraction(int(y), int(w))) for x, y, w in zip(X, Y, W)]
    )


#: Largest common denominator for which the int64 fast path is attempted.
_MAX_COMMON = 1 << 31
_INT64_SAFE = 1 << 62


def common_denominator(cols: Columns):
    """``(X', Y', S)`` with every vertex ``x = X'/S``, ``y = Y'/S`` for one int S, or None if S is large."""
    X, Y, W = cols
    S = int(np.lcm.reduce(W)) if W.shape[0] else 1
    if S > _MAX_COMMON:
        return None
    scale = S // W
    Xs, Ys = X * scale, Y * scale
    bound = max(int(abs(Xs).max()), int(abs(Ys).max()))
    if bound > _MAX_COMMON:
        return None
    return Xs.astype(np.int64), Ys.astype(np.int64), S


def l1_common_denominator(common, gc: Columns) -> Fraction:
    """``int |f - g|`` for a large f with one common denominator S and a g given by its columns.

    Every segment of f with no vertex of g strictly inside lies inside one
    segment k of g, where g(x) = (P_k X + Q_k) / R_k for x = X / S.  There
    ``h = f - g = Hn / M_k`` with ``M_k = lcm(S, R_k)`` and the integer
    ``Hn = (M_k / S) Y - (M_k / R_k)(P_k X + Q_k)``; a trapezoid contributes
    ``(|Hn_0| + |Hn_1|) dX / (2 M_k S)`` and a crossing segment
    ``(Hn_0^2 + Hn_1^2) dX / (2 M_k S |Hn_1 - Hn_0|)``: numerators are
    summed as integers per denominator (int64 when a bound allows, Python ints
    otherwise).  The few f-segments that contain a vertex of g are split and
    integrated with Fractions.
    """
    Xf, Yf, S = common
    Xg, Yg, Wg = gc
    n, m = Xf.shape[0], Xg.shape[0]
    Xf_o = Xf.astype(object)
    pos_g = locate(Xg, Wg, Xf_o, np.full(n, S, dtype=object))
    # g vertex j lies strictly inside f-segment pos_g[j] - 1 unless it coincides with f vertex pos_g[j]
    special = set()
    for j in range(1, m - 1):
        p = int(pos_g[j])
        if p < n and int(Xf[p]) * int(Wg[j]) == int(Xg[j]) * S:
            continue
        special.add(p - 1)
    le_g = np.searchsorted(pos_g, np.arange(n), side="right")
    k = np.clip(le_g[:-1] - 1, 0, m - 2)
    mask = np.ones(n - 1, dtype=bool)
    if special:
        mask[np.fromiter(special, dtype=np.int64)] = False
    # g(x) = (P X + Q) / R on g-segment k, x = X / S
    R, P, Q = [], [], []
    for j in range(m - 1):
        x0, x1 = Fraction(int(Xg[j]), int(Wg[j])), Fraction(int(Xg[j + 1]), int(Wg[j + 1]))
        y0, y1 = Fraction(int(Yg[j]), int(Wg[j])), Fraction(int(Yg[j + 1]), int(Wg[j + 1]))
        slope = (y1 - y0) / (x1 - x0)
        a_coef, b_coef = slope / S, y0 - slope * x0
        r = a_coef.denominator * b_coef.denominator // np.gcd(a_coef.denominator, b_coef.denominator)
        R.append(int(r))
        P.append(int(a_coef * r))
        Q.append(int(b_coef * r))
    # h = f - g = Hn / M_k with M_k = lcm(S, R_k), Hn = (M_k/S) Y - (M_k/R_k) (P_k X + Q_k)
    M = [S * r // int(np.gcd(S, r)) for r in R]
    U = [mk // S for mk in M]
    V = [mk // r for mk, r in zip(M, R)]
    total = Fraction(0)
    idx = np.nonzero(mask)[0]
    if idx.size:
        total += _fast_segments(Xf, Yf, S, idx, k[idx], M, U, V, P, Q)
    for i in sorted(special):
        total += _split_segment(Xf, Yf, S, i, gc)
    return total


def _fast_segments(Xf, Yf, S, idx, k, M, U, V, P, Q) -> Fraction:
    bound_x = int(np.abs(Xf).max()) + 1
    bound_y = int(np.abs(Yf).max()) + 1
    bU, bV, bP, bQ = max(U), max(V), max(map(abs, P)), max(map(abs, Q))
    bound_h = bU * bound_y + bV * (bP * bound_x + bQ)
    use64 = bound_h < (1 << 31)
    dtype = np.int64 if use64 else object
    Uk = np.array(U, dtype=dtype)[k]
    Vk = np.array(V, dtype=dtype)[k]
    Pk = np.array(P, dtype=dtype)[k]
    Qk = np.array(Q, dtype=dtype)[k]
    X0, X1 = Xf[idx].astype(dtype), Xf[idx + 1].astype(dtype)
    Y0, Y1 = Yf[idx].astype(dtype), Yf[idx + 1].astype(dtype)
    H0 = Uk * Y0 - Vk * (Pk * X0 + Qk)
    H1 = Uk * Y1 - Vk * (Pk * X1 + Qk)
    dX = X1 - X0
    s0 = (H0 > 0).astype(np.int8) - (H0 < 0).astype(np.int8)
    s1 = (H1 > 0).astype(np.int8) - (H1 < 0).astype(np.int8)
    cross = (s0 * s1) < 0
    total = Fraction(0)
    # trapezoids, grouped by g-segment (k is non-decreasing along idx)
    keep = ~cross
    if keep.any():
        kk = k[keep]
        if use64 and 2 * bound_h * bound_x < _INT64_SAFE:
            num = (abs(H0[keep]) + abs(H1[keep])) * dX[keep]
        else:
            num = (abs(H0[keep]) + abs(H1[keep])).astype(object) * dX[keep].astype(object)
        starts = np.concatenate(([0], np.nonzero(kk[1:] != kk[:-1])[0] + 1))
        sums = _group_sums(num, starts)
        for s, kseg in zip(sums, kk[starts]):
            total += Fraction(int(s), 2 * M[int(kseg)] * S)
    if cross.any():
        c = np.nonzero(cross)[0]
        a0, a1, d = H0[c], H1[c], dX[c]
        slope = abs(a1 - a0)
        g = np.gcd(slope, d)
        slope, d = slope // g, d // g
        if use64 and 2 * bound_h * bound_h * (int(d.max()) + 1) < _INT64_SAFE:
            num = (a0 * a0 + a1 * a1) * d
        else:
            a0o, a1o, do = a0.astype(object), a1.astype(object), d.astype(object)
            num = (a0o * a0o + a1o * a1o) * do
        kc = k[c]
        order = np.lexsort((slope, kc))
        kc, slope, num = kc[order], slope[order], num[order]
        brk = (kc[1:] != kc[:-1]) | (slope[1:] != slope[:-1])
        starts = np.concatenate(([0], np.nonzero(brk)[0] + 1))
        sums = _group_sums(num, starts)
        for s, kseg, sl in zip(sums, kc[starts], slope[starts]):
            total += Fraction(int(s), 2 * M[int(kseg)] * S * int(sl))
    return total


def _group_sums(num: np.ndarray, starts: np.ndarray) -> list[int]:
    """Exact sums of the groups of non-negative terms beginning at ``starts``, as Python ints.

    int64 terms (each < 2^62) are split into 31-bit halves whose int64 group
    sums cannot overflow below 2^31 terms; object terms are summed directly.
    """
    if num.dtype == object:
        return [int(v) for v in np.add.reduceat(num, starts)]
    hi = np.add.reduceat(num >> 31, starts)
    lo = np.add.reduceat(num & ((1 << 31) - 1), starts)
    return [(int(h) << 31) + int(l) for h, l in zip(hi, lo)]


def _split_segment(Xf, Yf, S, i, gc) -> Fraction:
    """``int |f - g|`` over f-segment i, split at the vertices of g inside it (Fractions)."""
    Xg, Yg, Wg = gc
    x0, x1 = Fraction(int(Xf[i]), S), Fraction(int(Xf[i + 1]), S)
    y0, y1 = Fraction(int(Yf[i]), S), Fraction(int(Yf[i + 1]), S)
    gx = [Fraction(int(a), int(w)) for a, w in zip(Xg, Wg)]
    gy = [Fraction(int(a), int(w)) for a, w in zip(Yg, Wg)]
    pts = [x0] + [x for x in gx if x0 < x < x1] + [x1]

    def g_at(x):
        j = min(max(bisect_left(gx, x) - 1, 0), len(gx) - 2)
        if gx[j + 1] < x:
            j += 1
        return gy[j] + (gy[j + 1] - gy[j]) * (x - gx[j]) / (gx[j + 1] - gx[j])

    hs = [y0 + (y1 - y0) * (x - x0) / (x1 - x0) - g_at(x) for x in pts]
    total = Fraction(0)
    for (xa, ha), (xb, hb) in zip(zip(pts, hs), zip(pts[1:], hs[1:])):
        if ha * hb < 0:
            total += (ha * ha + hb * hb) * (xb - xa) / (2 * (abs(ha) + abs(hb)))
        else:
            total += (abs(ha) + abs(hb)) * (xb - xa) / 2
    return total
