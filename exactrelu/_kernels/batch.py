"""Batched integer kernel: piece and region counts of many one-input nets of one architecture (private).

Representation (different from :mod:`exactrelu._kernels.lines`, which carries
every unit's value at every column): the batch's segments are stored flat, net
after net, each net's segments in order along the line.  A segment carries its
left end point ``(XL, wL)`` (``x = XL / wL``; ``wL = 0`` with ``XL = -1`` is
-inf) and, for every unit of the current layer, the affine function of the
pre-activation on it as integers over a per-net common denominator ``Den``::

    z_j(x) = (G_j x + C_j) / Den          on the segment.

The gradient ``G`` only depends on the activation pattern of the segment, so a
layer is ``G' = W_int (on * G)`` and ``C' = W_int (on * C) + b_int Den``: one
batched matrix product per layer for the whole batch.  A zero crossing inside a
segment is the rational ``-C_j / G_j``: its size is that of ``G`` and ``C``,
whatever the number of layers before it, and the activation pattern of the
pieces a segment is cut into follows from the crossings' order alone (each
crossing flips one unit), so nothing is evaluated at the new points.

Exactness: every integer operation is int64 under a bound proved beforehand;
a net whose bound fails is *evicted* (its index is returned and the caller
recomputes it with Python integers).  Row i of a product on any segment is
``sum_j W_ij on_j G_j`` (``+ b_i Den`` for C), so ``sum_j |W_ij| max|G_j|``
(the maxima over the batch's segments, or the previous product's own bound
when that already suffices) bounds every product and partial sum, in any
order and for every activation pattern.  The product runs in float32 when that
bound is below 2^24, in float64 below 2^51 (both then represent every integer
involved exactly, so the result is the exact integer), in int64 otherwise;
(G, C) stay float32 after a float32 product and are upcast wherever they are
evaluated.  Float64 is also used as a pre-sort key for crossings that share a
segment; every adjacent pair is then compared exactly (integer
cross-multiplication) and a segment the floats got wrong is re-sorted with
Fractions.

Counts: every interior column of the final partition is a point where some
unit changes sign strictly, so the activation regions are the segments; the
output bends at a column iff the output gradients of its two segments differ
(compared at segment ends, and from the crossing steps ``W[:, j] |G_j|`` at
the crossing points, see :func:`_output_pieces`).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

__all__: list[str] = []

#: int64 intermediates are allowed up to this bound (a factor 2 below the int64 range).
INT_LIMIT = float(1 << 61)
#: float64 products are exact integers up to this bound (a factor 2 below 2^53).
FLOAT_LIMIT = float(1 << 51)
#: float32 products are exact integers below this bound: float32 represents every integer of
#: magnitude up to 2^24, and every bound compared with it is an upper bound on all partial sums.
FLOAT32_LIMIT = float(1 << 24)


def _abs_max(a: np.ndarray) -> float:
    """max |a| over the whole array as a float upper bound (0 for an empty array)."""
    if a.size == 0:
        return 0.0
    return max(float(a.max()), -float(a.min())) * (1 + 1e-12)


def _net_max(a: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Per-net max |a| (float64 upper bounds) over the rows of ``a``; net k's rows start at ``first[k]``."""
    rows = np.abs(a).reshape(a.shape[0], -1).max(axis=1)
    return np.maximum.reduceat(rows, first).astype(np.float64) * (1 + 1e-12)


def _strip_twos(X: np.ndarray, w: np.ndarray) -> None:
    """Divide ``(X, w)`` (``w > 0``) by their common power of two, in place."""
    bits = X | w
    low = bits & -bits
    if (low != 1).any():  # low is a power of two: shift by its exponent (exact in float64)
        shift = np.frexp(low.astype(np.float64))[1] - 1
        X >>= shift
        w >>= shift


def _cross_compare(X: np.ndarray, w: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Sign of ``X[a]/w[a] - X[b]/w[b]`` (as ``X[a] w[b] - X[b] w[a]``), exactly."""
    if _abs_max(X) * _abs_max(w) * 2.0 < INT_LIMIT:
        return np.sign(X[a] * w[b] - X[b] * w[a])
    Xo, wo = X.astype(object), w.astype(object)
    return np.sign(Xo[a] * wo[b] - Xo[b] * wo[a]).astype(np.int64)


def _order_crossings(seg: np.ndarray, X: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Order crossings by (segment, x = X / w) exactly (``w > 0``, ``seg`` non-decreasing).

    Returns ``(order, distinct)``: the permutation, and a mask over the ordered
    crossings that is False exactly where a crossing is at the same point as
    the one before it in its segment.

    Float64 keys pre-sort; a neighbouring pair in one segment whose keys
    differ by more than their rounding error (relative 1e-15, five times the
    worst case of two conversions and a division) is in order for certain;
    every other pair is compared exactly, and a segment found out of order is
    re-sorted with Fractions.
    """
    c = seg.size
    if c < 2:
        return np.arange(c), np.ones(c, dtype=bool)
    same_seg = seg[1:] == seg[:-1]
    if not same_seg.any():
        return np.arange(c), np.ones(c, dtype=bool)
    key = X.astype(np.float64) / w.astype(np.float64)
    z = np.empty(c, dtype=np.complex128)  # complex numbers sort lexicographically by (real, imag)
    z.real, z.imag = seg, key
    order = np.argsort(z, kind="stable")  # timsort: the segment runs are already in order
    k = key[order]
    ak = np.abs(k)
    # seg is already sorted, so order keeps the segment runs: compare neighbours in one segment
    doubtful = np.flatnonzero(same_seg & (k[1:] - k[:-1] <= 1e-15 * (ak[1:] + ak[:-1])))
    distinct = np.ones(c, dtype=bool)
    if doubtful.size:
        cmp = _cross_compare(X, w, order[doubtful], order[doubtful + 1])
        bad = cmp > 0
        if bad.any():
            for sv in np.unique(seg[doubtful[bad]]):
                lo = int(np.searchsorted(seg, sv, side="left"))
                hi = int(np.searchsorted(seg, sv, side="right"))
                order[lo:hi] = sorted(order[lo:hi], key=lambda i: Fraction(int(X[i]), int(w[i])))
            cmp = _cross_compare(X, w, order[doubtful], order[doubtful + 1])
        distinct[doubtful + 1] = cmp != 0
    return order, distinct


def _output_pieces(G, first_on, net, first, W, si, ji, gain, distinct, new_group, exact_float):
    """Pieces of every output coordinate of every net, from the last hidden layer's segments.

    ``G`` (S, m) are the last hidden layer's gradients on the segments (exact
    integers), ``first_on`` the units on just inside each segment's left end,
    ``W`` (B, out, m) the output layer.  The sorted crossings ``si, ji``
    (segment, unit) carry ``gain = |G[si, ji]|``, ``distinct`` (False where a
    crossing is at the point of the one before it) and ``new_group`` (True at
    the first crossing of each segment).  An output bends at a column iff its
    gradient ``W (on * G)`` differs on the two sides.  Crossing a unit with
    ``G_j > 0`` turns it on and one with ``G_j < 0`` turns it off, so at a
    crossing point the gradient changes by ``sum_j W[:, j] |G_j|`` over the units
    crossing there, and the gradient on a segment's last piece is the one on its
    first piece plus all of its steps: nothing is computed per piece.  Every
    product and partial sum is bounded by the caller's ``prod`` bound
    (``sum_j |W_ij| max|G_j|``): float64 only when ``exact_float`` (below
    2^51), int64 otherwise.
    """
    B, out_dim, m = W.shape
    dtype = np.float64 if exact_float else np.int64
    Wd = W.astype(dtype)
    if out_dim == 1 and exact_float:  # mask the gathered weights (float G is exact in float64)
        Wn = Wd[:, 0, :].take(net, axis=0)
        Wn *= first_on
        grad_first = np.einsum("sm,sm->s", G, Wn, dtype=np.float64)[:, None]
    else:
        masked = G * first_on if G.dtype == dtype else G.astype(dtype) * first_on
        grad_first = np.einsum("sm,som->so", masked, Wd.take(net, axis=0))
    grad_last = grad_first
    counts = np.ones((B, out_dim), dtype=np.int64)
    if si.size:
        steps = W[net[si], :, ji] * gain[:, None]  # int64 (crossings, out)
        starts = np.flatnonzero(distinct)
        at_point = np.add.reduceat(steps, starts, axis=0) != 0
        runs = np.flatnonzero(new_group)
        grad_last = grad_first.copy()
        grad_last[si[runs]] += np.add.reduceat(steps, runs, axis=0).astype(dtype)
        owner = net[si[starts]]
        for k in range(out_dim):
            counts[:, k] += np.bincount(owner, weights=at_point[:, k], minlength=B).astype(np.int64)
    at_end = grad_first[1:] != grad_last[:-1]  # (S - 1, out): the column between segments s and s + 1
    at_end[first[1:] - 1] = False  # a net's first segment has no column on its left
    for k in range(out_dim):
        counts[:, k] += np.bincount(net[1:], weights=at_end[:, k], minlength=B).astype(np.int64)
    return counts


def _unit_max(GC: np.ndarray) -> np.ndarray:
    """``max |GC[:, r, j]|`` over the segments, (2, m) float64 (upper bounds; exact for float ``GC``)."""
    A = np.abs(GC.reshape(GC.shape[0], -1))
    if A.dtype == np.int64:
        top = A.max(axis=0).astype(np.float64) * (1 + 1e-15)
    else:  # non-negative IEEE floats order as their bit patterns do (and the integer max is faster)
        bits = np.int64 if A.dtype == np.float64 else np.int32
        top = A.view(bits).max(axis=0).view(A.dtype).astype(np.float64)
    return top.reshape(2, -1)


def _product_bound(GC, first, absW, absb, Den) -> float:
    """A bound on every partial sum of the next product, per unit (tighter than row sums x max).

    Row i of the product on a segment of net k is ``sum_j W_ij on_j G_j`` (and
    ``... C_j + b_i Den``), so ``sum_j |W_ij| max|G_j|`` over net k's segments
    (and ``sum_j |W_ij| max|C_j| + |b_i| Den``) bounds every partial sum, in any
    order.  Computed in float64 from integers: exact while below 2^53 (all
    terms are non-negative), and far above any limit it is compared with
    otherwise.
    """
    M = np.maximum.reduceat(np.abs(GC), first, axis=0).astype(np.float64)  # (B, 2, m): max |G_j|, max |C_j|
    bound = M @ absW.transpose(0, 2, 1)  # (B, 2, out)
    bound[:, 1, :] += absb * Den[:, None].astype(np.float64)
    return float(bound.max())


def count_batch(layers, lo, hi, max_pieces: int, max_cells: int | None = None):
    """Piece and region counts of a batch of one-input nets of one architecture.

    Parameters
    ----------
    layers : list of (W, b, D)
        int64 arrays: ``W`` (B, out, in), ``b`` (B, out), ``D`` (B,) > 0, the
        layer being ``W / D``, ``b / D`` for each net.  ReLU after every layer
        but the last.  ``|W|, |b|, D`` are below 2^52.
    lo, hi : Fraction or None
        The domain (None marks an infinite end); ``lo < hi``.
    max_pieces : int
        Budget on the segments of any net after any layer.
    max_cells : int, optional
        Budget on the entries of the batch's largest array (segments x 2 x
        width, padded); a batch of several nets that would exceed it stops
        and reports ``over_budget = (-1, layer, cells)`` so that the caller
        splits it.  A single net is bounded by ``max_pieces`` only.

    Returns
    -------
    (pieces, regions, layer_regions, evicted, over_budget)
        ``pieces`` (B, out), ``regions`` (B,) and ``layer_regions`` (B, L)
        int64 arrays (activation regions of layers 1..l in column l-1;
        entries of evicted nets are -1), ``evicted`` the sorted indices of nets whose
        integers outgrew the int64 bound, ``over_budget`` None or
        ``(net index, layer, required)`` of the first net that exceeded ``max_pieces``.
    """
    W1, b1, D1 = layers[0]
    B = W1.shape[0]
    out_dim = layers[-1][0].shape[1]
    pieces = np.full((B, out_dim), -1, dtype=np.int64)
    regions = np.full(B, -1, dtype=np.int64)
    layer_regions = np.full((B, max(0, len(layers) - 1)), -1, dtype=np.int64)
    none = np.zeros(0, dtype=np.int64)
    hidden = len(layers) - 1
    if B == 0:
        return pieces, regions, layer_regions, none, None
    if hidden == 0:
        pieces[:] = 1
        regions[:] = 1
        return pieces, regions, layer_regions, none, None
    loX, low = (-1, 0) if lo is None else (lo.numerator, lo.denominator)
    hiX, hiw = (1, 0) if hi is None else (hi.numerator, hi.denominator)
    if max(abs(loX), low, abs(hiX), hiw) >= (1 << 40):
        return pieces, regions, layer_regions, np.arange(B), None  # huge domain ends: all to the Python-int path
    ids = np.arange(B)  # original index of every live net
    evicted: list[np.ndarray] = []
    Ws = [W for W, _, _ in layers]
    bs = [b for _, b, _ in layers]
    Ds = [D for _, _, D in layers]
    # |W| and |b| of every layer as floats, for the bounds on the products
    absWs = [np.abs(W, dtype=np.float64) for W in Ws]
    absbs = [np.abs(b, dtype=np.float64) for b in bs]
    # one segment per net, the whole domain; GC[s, 0] = G, GC[s, 1] = C of every unit
    net = np.arange(B)
    first = np.arange(B)
    n = np.ones(B, dtype=np.int64)
    XL = np.full(B, loX, dtype=np.int64)
    wL = np.full(B, low, dtype=np.int64)
    # bounds on |XL| and wL over every segment end, the domain's right end included (kept as the
    # segments are cut: the new ends are the crossings)
    xmax, wmax = float(max(abs(loX), abs(hiX))), float(max(low, hiw))
    GC = np.stack([W1[:, :, 0], b1], axis=1).astype(np.int64)
    Den = D1.astype(np.int64)
    U: np.ndarray | None = None

    for index in range(1, hidden + 1):
        is_output = index == hidden
        # ---- bounds, proved before any product: evaluation G X + C w, next layer's product, Den.
        # Row i of the next product on a segment is sum_j W_ij on_j G_j (and ... C_j + b_i Den), so
        # sum_j |W_ij| max|G_j| (and sum_j |W_ij| max|C_j| + |b_i| Den) bounds every partial sum, in
        # any order: here with the maxima over the whole batch, per net where it matters.
        # U (2, m) bounds max |G_j|, max |C_j| over every segment of the batch: the previous product's
        # own bound at first, the maxima themselves when that bound is too weak to use floats
        nxt = index  # layers[index] is the next affine layer
        flat_absW = absWs[nxt].reshape(-1, absWs[nxt].shape[2])  # one product for the whole batch
        exact_U = U is None
        out_w = absWs[nxt].shape[1]
        while True:
            if U is None:
                U = _unit_max(GC)
            gmax, cmax = U.max(axis=1).tolist()
            # bnd[0][k, i] bounds |G'_i| on net k, bnd[1][k, i] bounds |C'_i| (with the bias); both
            # non-negative sums, exact below 2^53, and the factor 1 + 1e-9 covers the rounding above
            bnd = np.empty((2, B, out_w))
            bnd[0] = (flat_absW @ U[0]).reshape(B, out_w)
            if is_output:
                prod, den_max = float(bnd[0].max()) * (1 + 1e-9), 0.0
            else:
                np.add((flat_absW @ U[1]).reshape(B, out_w), absbs[nxt] * Den[:, None], out=bnd[1])
                prod, den_max = float(bnd.max()) * (1 + 1e-9), float(Den.max()) * float(Ds[nxt].max()) * 1.000001
            if exact_U or (prod < (FLOAT_LIMIT if is_output else FLOAT32_LIMIT)
                           and gmax * xmax + cmax * wmax < FLOAT_LIMIT and den_max < INT_LIMIT):
                break
            U, exact_U = None, True
        if gmax * xmax + cmax * wmax >= INT_LIMIT or prod >= INT_LIMIT or den_max >= INT_LIMIT:
            p_n = (bnd[0] if is_output else bnd.max(axis=0)).max(axis=1) * (1 + 1e-9)
            d_n = np.zeros(B) if is_output else Den.astype(np.float64) * Ds[nxt] * 1.000001
            g_n, c_n = _net_max(GC[:, 0], first), _net_max(GC[:, 1], first)
            x_n = np.maximum(_net_max(XL, first), abs(hiX))
            w_n = np.maximum(_net_max(wL, first), hiw)
            rowsum = absWs[nxt].sum(axis=2).max(axis=1) * (1 + 1e-9)
            if is_output:
                p_n = np.minimum(p_n, rowsum * g_n)
            else:
                p_n = np.minimum(p_n, rowsum * np.maximum(g_n, c_n) + absbs[nxt].max(axis=1) * Den * 1.000001)
            bad = (g_n * x_n + c_n * w_n >= INT_LIMIT) | (p_n >= INT_LIMIT) | (d_n >= INT_LIMIT)
            keep = ~bad
            evicted.append(ids[bad])
            keep_seg = keep[net]
            ids, n, Den = ids[keep], n[keep], Den[keep]
            XL, wL, GC = XL[keep_seg], wL[keep_seg], GC[keep_seg]
            net = (np.cumsum(keep) - 1)[net[keep_seg]]
            Ws, bs, Ds = [W[keep] for W in Ws], [b[keep] for b in bs], [D[keep] for D in Ds]
            absWs, absbs = [a[keep] for a in absWs], [a[keep] for a in absbs]
            bnd = bnd[:, keep]
            B = ids.size
            if B == 0:
                break
            first = np.cumsum(n) - n
            prod = float(p_n[keep].max())
        use_float = prod < FLOAT_LIMIT
        small = prod < FLOAT32_LIMIT
        if not is_output and use_float and not small:
            small = _product_bound(GC, first, absWs[nxt], absbs[nxt], Den) < FLOAT32_LIMIT
        # GC holds exact integers as floats after a float product; evaluate in float64 only under the bound
        if GC.dtype != np.int64 and gmax * xmax + cmax * wmax >= FLOAT_LIMIT:
            GC = GC.astype(np.int64)
        # ---- signs at the segment ends (z is continuous: a segment's right end is the next one's left)
        G, C = GC[:, 0], GC[:, 1]
        last = first + n - 1
        Zl: np.ndarray
        if GC.dtype != np.int64:  # exact: every product and sum is an integer below 2^52
            XLw = np.empty((XL.size, 1, 2))
            XLw[:, 0, 0], XLw[:, 0, 1] = XL, wL
            Zl = (XLw @ GC)[:, 0]
        else:
            Zl = G * XL[:, None]
            Zl += C * wL[:, None]
        if lo is None:  # at -inf the sign is that of -G, or of C where G = 0
            g0, c0 = G[first], C[first]
            Zl[first] = np.where(g0 == 0, c0, -g0)
        gl, cl = G[last].astype(np.float64), C[last].astype(np.float64)  # not float32 times hiX
        if GC.dtype == np.int64:
            gl, cl = G[last], C[last]
        Zend = np.where(gl == 0, cl, gl) if hi is None else gl * hiX + cl * hiw
        posL, negL = Zl > 0, Zl < 0
        posR, negR = np.empty_like(posL), np.empty_like(negL)
        posR[:-1], negR[:-1] = posL[1:], negL[1:]
        posR[last], negR[last] = Zend > 0, Zend < 0
        cross = (posL | posR) & (negL | negR)  # strict sign change inside the segment
        first_on = posL | (posR & ~negL)  # on at the segment's left end, just inside it
        flat, m = cross.reshape(-1).nonzero()[0], cross.shape[1]
        si, ji = (flat >> (m.bit_length() - 1), flat & (m - 1)) if m & (m - 1) == 0 else np.divmod(flat, m)
        S = XL.size
        if si.size:
            flatGC = GC.reshape(-1)  # GC is always C-contiguous
            Gc = flatGC.take(si * (2 * m) + ji)
            Cc = flatGC.take(si * (2 * m) + m + ji)
            if Gc.dtype != np.int64:
                Gc, Cc = Gc.astype(np.int64), Cc.astype(np.int64)
            Xc = np.where(Gc > 0, -Cc, Cc)  # the crossing -C/G as X/w with w = |G| > 0
            wc = np.abs(Gc)
            order, distinct = _order_crossings(si, Xc, wc)
            si, ji, Gs, Cs, wc = si[order], ji[order], Gc[order], Cc[order], wc[order]
            new_group = np.empty(si.size, dtype=bool)
            new_group[0] = True
            new_group[1:] = si[1:] != si[:-1]
            if not is_output:  # where the pieces start, and their ends as small as they can be written
                cs = np.cumsum(distinct) - 1
                rank = cs - cs[np.flatnonzero(new_group)][np.cumsum(new_group) - 1]
                cnt = np.bincount(si[distinct], minlength=S)
                DX, Dw = Xc[order[distinct]], wc[distinct]
                _strip_twos(DX, Dw)
        else:
            rank = si
            cnt = np.zeros(S, dtype=np.int64)
            DX = Dw = wc = np.zeros(0, dtype=np.int64)
            distinct = new_group = np.zeros(0, dtype=bool)
        # ---- budget, before any new array is built
        n_new = n + np.bincount(net[si[distinct]], minlength=B) if si.size else n
        if int(n_new.max()) > max_pieces:
            k = int(np.flatnonzero(n_new > max_pieces)[0])
            ev = np.concatenate(evicted) if evicted else none
            return pieces, regions, layer_regions, np.sort(ev), (int(ids[k]), index, int(n_new[k]))
        if is_output:
            layer_regions[ids, index - 1] = regions[ids] = n_new
            pieces[ids] = _output_pieces(G, first_on, net, first, Ws[nxt], si, ji, wc, distinct, new_group, use_float)
            break
        width = max(G.shape[1], Ws[nxt].shape[1])
        cells = B * int(n_new.max()) * 2 * width
        if max_cells is not None and B > 1 and cells > max_cells:
            ev = np.concatenate(evicted) if evicted else none
            return pieces, regions, layer_regions, np.sort(ev), (-1, index, cells)
        # ---- cut the segments at the crossings; each crossing flips its unit on the pieces after it
        reps = 1 + cnt
        start_T = np.cumsum(reps) - reps
        parent = np.repeat(np.arange(S), reps)
        T = parent.size
        is_cut = np.ones(T, dtype=bool)
        is_cut[start_T] = False
        cut_at = np.flatnonzero(is_cut)
        XL_new, wL_new = np.empty(T, dtype=np.int64), np.empty(T, dtype=np.int64)
        XL_new[start_T], wL_new[start_T] = XL, wL  # the first piece starts where its segment did
        XL_new[cut_at], wL_new[cut_at] = DX, Dw
        XL, wL = XL_new, wL_new
        if DX.size:
            xmax, wmax = max(xmax, _abs_max(DX)), max(wmax, _abs_max(Dw))
        net = net[parent]
        n = n_new
        layer_regions[ids, index - 1] = n  # every interior column is a sign change of some unit
        first = np.cumsum(n) - n
        Nmax = int(n.max())
        # the next product works on a (nets, Nmax) padding of the segments: pad row of every segment
        rows = net * Nmax + (np.arange(T) - first[net])
        src = np.full(B * Nmax, S, dtype=np.int64)  # parent segment of every pad row, S for padding
        src[rows] = parent
        # ---- the next layer: one batched product for the whole batch
        # float32 when a bound on every partial sum is below 2^24 (every integer below it is a float32)
        dtype = (np.float32 if small else np.float64) if use_float else np.int64
        m, out = GC.shape[2], Ws[nxt].shape[1]
        # every segment's (G, C) masked by the units on at its left end, and a column of (0, 1) that
        # carries the bias; row S is the padding (zeros)
        if S == B:  # one segment per net (the first layer): every piece's activations by broadcasting
            after = np.full((S, m), Nmax, dtype=np.int64)  # unit j is flipped on pieces after[s, j], ...
            after[si, ji] = rank + 1
            on = first_on[:, None, :] ^ (after[:, None, :] <= np.arange(Nmax)[None, :, None])
            pad = np.empty((B, Nmax, 2, m + 1), dtype=dtype)  # the padding rows are never read back
            np.multiply(GC.astype(dtype)[:, None], on[:, :, None], out=pad[..., :m])
            pad[..., 0, m], pad[..., 1, m] = 0, 1
            pad = pad.reshape(B * Nmax, 2, m + 1)
        else:
            masked = np.zeros((S + 1, 2, m + 1), dtype=dtype)
            np.multiply(GC, first_on[:, None, :], out=masked[:S, :, :m], casting="unsafe")
            masked[:S, 1, m] = 1
            pad = masked.take(src, axis=0)
        if si.size and S != B:
            # a unit crossing inside its segment is on after the crossing iff its gradient is positive
            lens = cnt[si] - rank
            flips = np.repeat(start_T[si] + rank + 1 - np.cumsum(lens) + lens, lens) + np.arange(int(lens.sum()))
            at = rows[flips] * (2 * (m + 1)) + np.repeat(ji, lens)
            up = Gs > 0
            flat_pad = pad.reshape(-1)
            flat_pad[at] = np.repeat(np.where(up, Gs, 0), lens)
            flat_pad[at + (m + 1)] = np.repeat(np.where(up, Cs, 0), lens)
        Wb = np.empty((B, out, m + 1), dtype=dtype)  # [W | b Den], multiplied transposed (no copy)
        Wb[:, :, :m] = Ws[nxt]
        Wb[:, :, m] = bs[nxt] * Den[:, None]
        res = pad.reshape(B, 2 * Nmax, m + 1) @ Wb.transpose(0, 2, 1)
        GC = res.reshape(B * Nmax, 2, out).take(rows, axis=0)
        Den = Den * Ds[nxt]
        U = bnd.max(axis=1) * (1 + 1e-9)  # bounds |G'_i|, |C'_i| on every new segment of the batch
    ev = np.concatenate(evicted) if evicted else none
    return pieces, regions, layer_regions, np.sort(ev), None
