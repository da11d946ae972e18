"""Integer-column kernels for piecewise-linear graphs of one variable (private).

A continuous piecewise-linear function is held as three equal-length integer
arrays ``(X, Y, w)``, one column per vertex in increasing order of x, in the
convention of :mod:`exactrelu._kernels.lines`: a finite vertex is
``(x, y) = (X / w, Y / w)`` with ``w > 0``; a point at infinity has ``w = 0``
and ``(X, Y)`` is the direction of travel along the ray (``X < 0`` at -inf,
``X > 0`` at +inf; the slope there is ``Y / X``).  Only the first and last
columns may be at infinity, and there is always a finite column.

Every function here is exact.  Floats appear in one place only,
:func:`locate`: correctly rounded quotients ``X / w`` are monotone, so a float
order is the true order wherever the float keys differ, and every float tie is
re-decided with integer cross-multiplication.  Arrays are int64 while a bound
computed beforehand proves no intermediate overflows (:func:`lines.choose`),
object arrays of Python ints otherwise.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from . import lines as K

__all__: list[str] = []

#: Below this every int64 entry converts to float64 exactly.
_FLOAT_EXACT = 1 << 53
#: Stored columns are int64 iff every entry is below this (fixed: the canonical dtype of a function).
STORE_LIMIT = 1 << 62


def obj(values) -> np.ndarray:
    """An object array of Python ints."""
    out = np.empty(len(values), dtype=object)
    out[:] = [int(v) for v in values]
    return out


def normal_dtype(*arrays: np.ndarray) -> list[np.ndarray]:
    """int64 when every entry fits below 2^62, object otherwise (one dtype for all)."""
    bound = max((K.max_abs(a) for a in arrays), default=0)
    target = np.int64 if bound < STORE_LIMIT else object
    return [a if a.dtype == target else a.astype(target) for a in arrays]


def finite_keys(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    """float64 keys ``X / w`` (correctly rounded; ``-inf``/``+inf`` at points at infinity)."""
    if X.dtype == np.int64 and max(K.max_abs(X), K.max_abs(w)) < _FLOAT_EXACT:
        with np.errstate(divide="ignore"):  # X / 0 is -inf or +inf by the sign of X (never 0 there)
            return X.astype(np.float64) / w.astype(np.float64)
    out = np.empty(X.shape[0], dtype=np.float64)
    fin = w != 0
    if fin.any():
        Xo, wo = X[fin].astype(object), w[fin].astype(object)
        out[fin] = (Xo / wo).astype(np.float64)  # Python int / int is correctly rounded
    inf = ~fin
    out[inf] = np.where(X[inf] < 0, -np.inf, np.inf)
    return out


def compare(Xa, wa, Xb, wb) -> np.ndarray:
    """sign(a - b) for finite points a = Xa/wa, b = Xb/wb (w > 0), elementwise, as int8."""
    bound = K.max_abs(Xa) * K.max_abs(wb) + K.max_abs(Xb) * K.max_abs(wa) + 1
    Xa, wa, Xb, wb = K.choose(bound, Xa, wa, Xb, wb)
    return K.sign(Xa * wb - Xb * wa)


def locate(Xq: np.ndarray, wq: np.ndarray, X: np.ndarray, w: np.ndarray,
           keys: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Where finite query points go among the sorted columns ``(X, w)``.

    Returns ``(pos, eq)``: ``pos[k]`` is the number of columns strictly below
    query k, and ``eq[k]`` says whether query k equals column ``pos[k]``.
    """
    if keys is None:
        keys = finite_keys(X, w)
    qk = finite_keys(Xq, wq)
    lo = np.searchsorted(keys, qk, side="left")
    hi = np.searchsorted(keys, qk, side="right")
    pos = lo.copy()
    eq = np.zeros(qk.shape[0], dtype=bool)
    one = np.flatnonzero(hi - lo == 1)
    if one.size:  # one float-equal column: one exact comparison decides
        c = lo[one]
        s = compare(Xq[one], wq[one], X[c], w[c])
        pos[one] = c + (s > 0)
        eq[one] = s == 0
    for k in np.flatnonzero(hi - lo > 1):  # several float-equal columns: exact bisection
        xq, dq = int(Xq[k]), int(wq[k])
        left, right = int(lo[k]), int(hi[k])
        while left < right:
            mid = (left + right) // 2
            if int(X[mid]) * dq < xq * int(w[mid]):
                left = mid + 1
            else:
                right = mid
        pos[k] = left
        eq[k] = left < X.shape[0] and int(X[left]) * dq == xq * int(w[left])
    return pos, eq


def bisect_point(X: np.ndarray, w: np.ndarray, x: Fraction) -> tuple[int, bool]:
    """``(pos, eq)`` of :func:`locate` for one point, by exact bisection (O(log n) int operations)."""
    p, q = x.numerator, x.denominator
    left, right = 0, X.shape[0]
    while left < right:
        mid = (left + right) // 2
        wm = int(w[mid])
        below = int(X[mid]) < 0 if wm == 0 else int(X[mid]) * q < p * wm
        if below:
            left = mid + 1
        else:
            right = mid
    eq = left < X.shape[0] and int(w[left]) != 0 and int(X[left]) * q == p * int(w[left])
    return left, eq


def interpolate(Xq, wq, X, Y, w, seg) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Columns of the graph at finite query points, query k lying in segment ``seg[k]`` (ends included).

    With ``P0, P1`` the segment's end columns, the query is the positive
    combination ``alpha P0 + beta P1``, ``alpha = X1 wq - Xq w1``,
    ``beta = Xq w0 - X0 wq`` (valid for points at infinity too).
    """
    mq = max(K.max_abs(Xq), K.max_abs(wq), 1)
    mg = max(K.max_abs(X), K.max_abs(Y), K.max_abs(w), 1)
    bound = 4 * mq * mg * mg + 1  # |alpha|, |beta| <= 2 mq mg
    Xq, wq, X, Y, w = K.choose(bound, Xq, wq, X, Y, w)
    X0, X1, w0, w1 = X[seg], X[seg + 1], w[seg], w[seg + 1]
    alpha = X1 * wq - Xq * w1
    beta = Xq * w0 - X0 * wq
    Xn = alpha * X0 + beta * X1
    Yn = alpha * Y[seg] + beta * Y[seg + 1]
    wn = alpha * w0 + beta * w1
    reduce(Xn, Yn, wn)
    return Xn, Yn, wn


def reduce(X: np.ndarray, Y: np.ndarray, w: np.ndarray) -> None:
    """Cheap in-place reduction of columns (power of two always; full gcd for large entries)."""
    if X.size:
        H = Y.reshape(1, -1)
        K.reduce_columns(X, H, w)


def reduce_full(X: np.ndarray, Y: np.ndarray, w: np.ndarray) -> list[np.ndarray]:
    """Primitive columns (gcd 1), the canonical form; returns new arrays of the normal dtype."""
    g = np.gcd(np.gcd(X, Y), w)
    g = np.where(g == 0, 1, g)
    if (g != 1).any():
        X, Y, w = X // g, Y // g, w // g
    return normal_dtype(X, Y, w)


def kink_select(X: np.ndarray, Y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Indices of the columns a canonical graph keeps: finite ends and kinks (infinite ends always)."""
    n = X.shape[0]
    keep = np.ones(n, dtype=bool)
    if n > 2:
        keep[1:-1] = K.kink_mask(X, Y, w)
    return np.flatnonzero(keep)


def segment_slopes(X, Y, w) -> tuple[np.ndarray, np.ndarray]:
    """Reduced ``(num, den)`` slope of every segment between consecutive columns (den > 0)."""
    X, Y, w = K.choose(K.slope_dtype_bound(X, Y, w), X, Y, w)
    return K.reduced_slopes(X, Y, w)


def zero_crossings(X, Y, w) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The columns with every strict sign change of y inserted (the crossing has ``Y = 0``)."""
    S = K.sign(Y)
    segs = np.flatnonzero(S[:-1].astype(np.int16) * S[1:] < 0)
    if segs.size == 0:
        return X, Y, w
    a, b = np.abs(Y[segs + 1]), np.abs(Y[segs])
    bound = 2 * max(K.max_abs(Y), 1) * max(K.max_abs(X), K.max_abs(w), 1) + 1
    a, b, X, Y, w = K.choose(bound, a, b, X, Y, w)
    nX = a * X[segs] + b * X[segs + 1]
    nw = a * w[segs] + b * w[segs + 1]
    nY = np.zeros_like(nX)
    reduce(nX, nY, nw)
    return insert(X, Y, w, segs, nX, nY, nw)


def insert(X, Y, w, segs, nX, nY, nw) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Insert new columns, new column k right after old column ``segs[k]`` (segs non-decreasing)."""
    n, c = X.shape[0], segs.shape[0]
    X, Y, w, nX, nY, nw = normal_dtype(X, Y, w, nX, nY, nw)
    new_pos = segs + 1 + np.arange(c)
    old_pos = np.arange(n) + np.searchsorted(segs, np.arange(n), side="left")
    out = [np.empty(n + c, dtype=X.dtype) for _ in range(3)]
    for o, old, new in zip(out, (X, Y, w), (nX, nY, nw)):
        o[old_pos] = old
        o[new_pos] = new
    return out[0], out[1], out[2]


def combine(Xf, Yf, wf, Yg, wg, Xg, sign: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Columns of ``f + sign * g`` from columns of f and g at the same points (ends may be at infinity)."""
    m = max(K.max_abs(Xf), K.max_abs(Yf), K.max_abs(wf), K.max_abs(Xg), K.max_abs(Yg), K.max_abs(wg), 1)
    bound = 2 * m * m + 1
    Xf, Yf, wf, Xg, Yg, wg = K.choose(bound, Xf, Yf, wf, Xg, Yg, wg)
    X = Xf * wg
    Y = Yf * wg + sign * Yg * wf
    w = wf * wg
    for i in {0, X.shape[0] - 1}:
        if wf[i] == 0:  # both at infinity: slopes Yf/Xf and Yg/Xg add
            xf, xg = int(Xf[i]), int(Xg[i])
            X[i] = xf * abs(xg)
            Y[i] = (int(Yf[i]) * xg + sign * int(Yg[i]) * xf) * (1 if xg > 0 else -1)
    X, Y, w = normal_dtype(X, Y, w)
    reduce(X, Y, w)
    return X, Y, w


def merged_grid(Xa, wa, Xb, wb) -> tuple[np.ndarray, np.ndarray]:
    """The sorted union of two sorted sets of finite points (duplicates once)."""
    pos, eq = locate(Xb, wb, Xa, wa)
    new = np.flatnonzero(~eq)
    p = pos[new]
    n, c = Xa.shape[0], new.size
    Xa, wa, Xn, wn = normal_dtype(Xa, wa, Xb[new], wb[new])
    X = np.empty(n + c, dtype=Xa.dtype)
    w = np.empty(n + c, dtype=Xa.dtype)
    new_pos = p + np.arange(c)
    old_pos = np.arange(n) + np.searchsorted(p, np.arange(n), side="right")
    X[old_pos], w[old_pos] = Xa, wa
    X[new_pos], w[new_pos] = Xn, wn
    return X, w


def on_common_grid(A: tuple[np.ndarray, np.ndarray, np.ndarray], B: tuple[np.ndarray, np.ndarray, np.ndarray],
                   fl: int, fr: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Columns of two graphs on one domain at the union of their vertices.

    ``fl``/``fr`` say whether the (common) domain is open to the left/right,
    i.e. whether both graphs start/end with a point at infinity.  Each
    graph's own vertices are copied; only the other graph's vertices are
    located (float pre-sort, exact confirmation) and interpolated.
    """
    Xa, Ya, wa = A
    Xb, Yb, wb = B
    na, nb = Xa.shape[0] - fl - fr, Xb.shape[0] - fl - fr
    fa, fb = slice(fl, fl + na), slice(fl, fl + nb)
    pos_b, eq_b = locate(Xb[fb], wb[fb], Xa[fa], wa[fa])  # b's vertices among a's
    pos_a, eq_a = locate(Xa[fa], wa[fa], Xb[fb], wb[fb])  # a's vertices among b's
    new_b = np.flatnonzero(~eq_b)
    c = new_b.size
    p = pos_b[new_b]
    a_at = np.arange(na) + np.searchsorted(p, np.arange(na), side="right")  # a's vertex i in the union
    b_new_at = p + np.arange(c)
    b_at = np.empty(nb, dtype=np.int64)  # b's vertex j in the union
    b_at[new_b] = b_new_at
    old_b = np.flatnonzero(eq_b)
    b_at[old_b] = a_at[pos_b[old_b]]
    total = na + c
    out = []
    for (X, Y, w), own_at, own, other_at, q_sel, q_seg, other in (
        ((Xa, Ya, wa), a_at, fa, b_new_at, new_b, pos_b[new_b] - 1 + fl, (Xb, wb, fb)),
        ((Xb, Yb, wb), b_at, fb, a_at[~eq_a], np.flatnonzero(~eq_a), pos_a[~eq_a] - 1 + fl, (Xa, wa, fa)),
    ):
        Xo, wo, so = other
        Xq, wq = Xo[so][q_sel], wo[so][q_sel]
        Xi, Yi, wi = interpolate(Xq, wq, X, Y, w, q_seg) if q_sel.size else (X[:0], Y[:0], w[:0])
        Xs, Ys, ws, Xi, Yi, wi = normal_dtype(X, Y, w, Xi, Yi, wi)
        cols = [np.empty(total + fl + fr, dtype=Xs.dtype) for _ in range(3)]
        for col, full, inter in zip(cols, (Xs, Ys, ws), (Xi, Yi, wi)):
            col[own_at + fl] = full[own]
            col[other_at + fl] = inter
            if fl:
                col[0] = full[0]
            if fr:
                col[-1] = full[-1]
        out.append(cols)
    return out[0], out[1]


def restrict_columns(X: np.ndarray, Y: np.ndarray, w: np.ndarray, lo: Fraction | None,
                     hi: Fraction | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The columns of the graph on ``[lo, hi]`` inside its domain (None: keep that end as it is).

    Interior columns are sliced out by exact bisection; an end that is not a
    vertex is interpolated.  The result is not canonicalised.
    """
    start, stop = 0, X.shape[0]
    head = tail = None
    if lo is not None and not (w[0] != 0 and int(X[0]) * lo.denominator == lo.numerator * int(w[0])):
        pos, eq = bisect_point(X, w, lo)
        start = pos
        if not eq:
            head = interpolate(obj([lo.numerator]), obj([lo.denominator]), X, Y, w, np.array([pos - 1]))
    if hi is not None and not (w[-1] != 0 and int(X[-1]) * hi.denominator == hi.numerator * int(w[-1])):
        pos, eq = bisect_point(X, w, hi)
        stop = pos + 1 if eq else pos
        if not eq:
            tail = interpolate(obj([hi.numerator]), obj([hi.denominator]), X, Y, w, np.array([pos - 1]))
    if head is None and tail is None:
        return X[start:stop], Y[start:stop], w[start:stop]
    parts = [[a[start:stop].astype(object)] for a in (X, Y, w)]
    for k in range(3):
        if head is not None:
            parts[k].insert(0, head[k].astype(object))
        if tail is not None:
            parts[k].append(tail[k].astype(object))
    Xr, Yr, wr = normal_dtype(*(np.concatenate(p) for p in parts))
    return Xr, Yr, wr


def l1_columns(A: tuple[np.ndarray, np.ndarray, np.ndarray],
               B: tuple[np.ndarray, np.ndarray, np.ndarray]) -> Fraction:
    """Exact ``int |f - g|`` for two graphs on the same bounded interval (finite columns only)."""
    Xa, Ya, wa = A
    Xb, Yb, wb = B
    if not (Xa.shape == Xb.shape and np.array_equal(Xa, Xb) and np.array_equal(wa, wb)):
        (Xa, Ya, wa), (Xb, Yb, wb) = on_common_grid(A, B, 0, 0)
    X, Y, w = combine(Xa, Ya, wa, Yb, wb, Xb, -1)
    X, Y, w = zero_crossings(X, Y, w)
    return trapezoid(X, np.abs(Y), w)


def values_at(Xq, wq, X, Y, w) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Columns of the graph ``(X, Y, w)`` at finite query points inside its domain."""
    pos, eq = locate(Xq, wq, X, w)
    if eq.all():
        return X[pos], Y[pos], w[pos]
    seg = np.clip(pos - 1, 0, X.shape[0] - 2)
    if not eq.any():
        return interpolate(Xq, wq, X, Y, w, seg)
    new = np.flatnonzero(~eq)
    Xi, Yi, wi = interpolate(Xq[new], wq[new], X, Y, w, seg[new])
    old = np.flatnonzero(eq)
    Xo, Yo, wo, Xi, Yi, wi = normal_dtype(X[pos[old]], Y[pos[old]], w[pos[old]], Xi, Yi, wi)
    out = [np.empty(Xq.shape[0], dtype=Xo.dtype) for _ in range(3)]
    for o, a, b in zip(out, (Xo, Yo, wo), (Xi, Yi, wi)):
        o[old] = a
        o[new] = b
    return out[0], out[1], out[2]


def sum_fractions(num: np.ndarray, den: np.ndarray) -> Fraction:
    """Exact ``sum(num / den)`` (den > 0): grouped by denominator, then a pairwise tree."""
    if num.size == 0:
        return Fraction(0)
    if den.dtype == np.int64 and den.min() == den.max():
        return Fraction(exact_int_sum(num), int(den[0]))
    num, den = num.astype(object), den.astype(object)
    while num.size > 1:
        if num.size % 2:
            num = np.append(num, 0)
            den = np.append(den, 1)
        a, b, c, d = num[0::2], num[1::2], den[0::2], den[1::2]
        same = c == d
        nn = np.where(same, a + b, a * d + b * c)
        dd = np.where(same, c, c * d)
        g = np.gcd(nn, dd)
        g = np.where(g == 0, 1, g)
        num, den = nn // g, dd // g
    return Fraction(int(num[0]), int(den[0]))


def exact_int_sum(a: np.ndarray) -> int:
    """Exact sum of an integer array (int64 partial sums in chunks that cannot overflow)."""
    if a.dtype != np.int64:
        return int(sum(int(v) for v in a))
    m = K.max_abs(a)
    if m == 0:
        return 0
    chunk = max(1, (K.INT64_LIMIT // m))
    if chunk >= a.size:
        return int(a.sum())
    n = (a.size // chunk) * chunk
    parts = a[:n].reshape(-1, chunk).sum(axis=1)
    return sum(int(v) for v in parts) + int(a[n:].sum())


def trapezoid(X: np.ndarray, Y: np.ndarray, w: np.ndarray) -> Fraction:
    """Exact ``int f`` over finite columns: ``sum (y_i + y_{i+1}) (x_{i+1} - x_i) / 2``."""
    if X.shape[0] < 2:
        return Fraction(0)
    L = int(w.max())
    if w.dtype == np.int64 and (L % w == 0).all():
        # one shared denominator L: x = X s / L, y = Y s / L with s = L / w
        s = L // w
        bound = max(K.max_abs(X), K.max_abs(Y)) * K.max_abs(s) + 1
        Xs, Ys, ss = K.choose(bound, X, Y, s)
        Xs, Ys = Xs * ss, Ys * ss
        dX = Xs[1:] - Xs[:-1]
        sY = Ys[1:] + Ys[:-1]
        bound = 2 * K.max_abs(Xs) * 2 * K.max_abs(Ys) + 1
        dX, sY = K.choose(bound, dX, sY)
        return Fraction(exact_int_sum(dX * sY), 2 * L * L)
    Xo, Yo, wo = X.astype(object), Y.astype(object), w.astype(object)
    num = (Yo[1:] * wo[:-1] + Yo[:-1] * wo[1:]) * (Xo[1:] * wo[:-1] - Xo[:-1] * wo[1:])
    den = 2 * (wo[1:] * wo[:-1]) ** 2
    return sum_fractions(num, den)


def from_fractions(xs, ys, left: Fraction | None, right: Fraction | None):
    """Columns of the vertices ``(xs, ys)`` with optional end slopes (object arrays, then normal dtype)."""
    X, Y, w = [], [], []
    if left is not None:
        X.append(-left.denominator)
        Y.append(-left.numerator)
        w.append(0)
    for x, y in zip(xs, ys):
        xd, yd = x.denominator, y.denominator
        d = xd * yd // _gcd(xd, yd)
        X.append(x.numerator * (d // xd))
        Y.append(y.numerator * (d // yd))
        w.append(d)
    if right is not None:
        X.append(right.denominator)
        Y.append(right.numerator)
        w.append(0)
    return normal_dtype(obj(X), obj(Y), obj(w))


def _gcd(a: int, b: int) -> int:
    from math import gcd

    return gcd(a, b)



def level_crossing_columns(X: np.ndarray, Y: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(X, w)`` of the points where y = Y / w changes sign strictly, increasing.

    A sign change through a stretch of zeros is reported at the stretch's left
    end; a flat ray has the sign of its finite end; rays count (the crossing
    ``|Y1| P0 + |Y0| P1`` works for a point at infinity too).
    """
    S = K.sign(Y).astype(np.int8)
    if w[0] == 0 and S[0] == 0:
        S[0] = S[1]
    if w[-1] == 0 and S[-1] == 0:
        S[-1] = S[-2]
    nz = np.flatnonzero(S != 0)
    if nz.size < 2:
        return X[:0], w[:0]
    i, j = nz[:-1], nz[1:]
    change = S[i] != S[j]
    i, j = i[change], j[change]
    inside = j == i + 1
    s = i[inside]
    a, b = np.abs(Y[s + 1]), np.abs(Y[s])
    bound = 2 * max(K.max_abs(a), K.max_abs(b), 1) * max(K.max_abs(X), K.max_abs(w), 1) + 1
    a, b, Xc, wc = K.choose(bound, a, b, X, w)
    cross_X = a * Xc[s] + b * Xc[s + 1]
    cross_w = a * wc[s] + b * wc[s + 1]
    flat = np.flatnonzero(~inside)
    if flat.size == 0:
        return cross_X, cross_w
    out_X = np.empty(i.size, dtype=object)
    out_w = np.empty(i.size, dtype=object)
    out_X[flat], out_w[flat] = X[i[flat] + 1], w[i[flat] + 1]
    out_X[inside], out_w[inside] = cross_X, cross_w
    return out_X, out_w


def canonical(X: np.ndarray, Y: np.ndarray, w: np.ndarray) -> list[np.ndarray]:
    """Keep finite ends and kinks (normal dtype, fresh arrays); an affine function on R is anchored at x = 0."""
    keep = kink_select(X, Y, w)
    if keep.size == X.shape[0]:
        out = normal_dtype(X.copy(), Y.copy(), w.copy())
    else:
        out = normal_dtype(X[keep], Y[keep], w[keep])
    if out[0].shape[0] == 2 and out[2][0] == 0 and out[2][-1] == 0:
        # affine on R: the value at 0 from a finite column a and the left direction
        a = int(np.flatnonzero(w != 0)[0])
        X0, Y0 = int(out[0][0]), int(out[1][0])
        Xa, Ya, wa = int(X[a]), int(Y[a]), int(w[a])
        num, den = Ya * X0 - Y0 * Xa, wa * X0  # den < 0
        anchor = [obj([0]), obj([-num]), obj([-den])]
        out = normal_dtype(*(np.concatenate([o[:1].astype(object), an, o[1:].astype(object)])
                             for o, an in zip(out, anchor)))
    return out


def _raw_fraction(n: int, d: int) -> Fraction:
    f = object.__new__(Fraction)
    f._numerator, f._denominator = n, d  # type: ignore[attr-defined]
    return f


def _raw_ok() -> bool:
    """Whether Fractions can be made from coprime ints without re-normalising (CPython's slots)."""
    try:
        f = _raw_fraction(3, 4)
        return f == Fraction(3, 4) and hash(f) == hash(Fraction(3, 4)) and str(f + 1) == "7/4"
    except Exception:  # another Fraction implementation: use the constructor
        return False


_RAW = _raw_ok()


def fractions(num: np.ndarray, den: np.ndarray) -> list[Fraction]:
    """``[Fraction(n, d) ...]`` for integer arrays (den > 0), fast.

    Pairs are divided by their gcd with numpy first; coprime pairs then
    become Fractions without a second gcd each (about 5x faster for a
    million values).  Exact either way.
    """
    if num.size == 0:
        return []
    g = np.gcd(num, den)
    g = np.where(g == 0, 1, g)
    ns, ds = (num // g).tolist(), (den // g).tolist()
    if not _RAW:
        return [Fraction(int(a), int(b)) for a, b in zip(ns, ds)]
    return [_raw_fraction(int(a), int(b)) for a, b in zip(ns, ds)]


#: Graphs with at most this many columns take the pure-Python path of :func:`on_common_grid_small`.
SMALL = 24


def on_common_grid_small(A, B, fl: int, fr: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """:func:`on_common_grid` for small graphs, in Python ints (a two-pointer merge; no numpy per step).

    Same result up to column scaling (each column may be a multiple of the numpy path's).
    """
    a = list(zip(*(v.tolist() for v in A)))
    b = list(zip(*(v.tolist() for v in B)))
    fa, fb = a[fl:len(a) - fr], b[fl:len(b) - fr]

    def at(cols, i, q):
        """The column of graph ``cols`` at the finite point q = (Xq, wq), inside segment (i, i + 1)."""
        (X0, Y0, w0), (X1, Y1, w1) = cols[i], cols[i + 1]
        Xq, wq = q
        alpha, beta = X1 * wq - Xq * w1, Xq * w0 - X0 * wq
        return (alpha * X0 + beta * X1, alpha * Y0 + beta * Y1, alpha * w0 + beta * w1)

    out_a, out_b = [], []
    i = j = 0  # next unmerged finite vertex of a and of b
    while i < len(fa) or j < len(fb):
        if j == len(fb):
            c = 1
        elif i == len(fa):
            c = -1
        else:
            d = fb[j][0] * fa[i][2] - fa[i][0] * fb[j][2]  # sign(x_b - x_a)
            c = (d > 0) - (d < 0)
        if c == 0:
            out_a.append(fa[i])
            out_b.append(fb[j])
            i += 1
            j += 1
        elif c > 0:  # a's vertex comes first; b is evaluated there (segment j - 1 + fl of b)
            out_a.append(fa[i])
            out_b.append(at(b, j - 1 + fl, (fa[i][0], fa[i][2])))
            i += 1
        else:
            out_b.append(fb[j])
            out_a.append(at(a, i - 1 + fl, (fb[j][0], fb[j][2])))
            j += 1
    if fl:
        out_a.insert(0, a[0])
        out_b.insert(0, b[0])
    if fr:
        out_a.append(a[-1])
        out_b.append(b[-1])
    res = []
    for cols in (out_a, out_b):
        Xs, Ys, ws = (obj([c[k] for c in cols]) for k in range(3))
        res.append(normal_dtype(Xs, Ys, ws))
    return res[0], res[1]
