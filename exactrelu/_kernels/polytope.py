"""Integer-column kernels of the n-D region complex (private).

A vertex of the complex is an integer homogeneous column ``(X_1..X_n, w, Z_1..Z_m)``:
the point ``x = X / w`` (``w > 0``) and the current layer's pre-activations
``z = Z / (D w)``, the n-D version of :mod:`exactrelu._kernels.lines`.  A layer
is one integer matrix product; the crossing of a unit's zero set with the
segment from P to Q is the column ``|Z_Q| P + |Z_P| Q`` reduced by its gcd:
no division, no rounding, and every sign read off a column is exact.

Arrays are int64 while a bound computed beforehand proves that no
intermediate overflows, and dtype=object (Python ints) otherwise.

:class:`ColumnStore` also keeps, for every vertex, the exact *tight set*: the
domain constraints and the processed units whose value is zero there.  A
constraint tight at an interior point of an edge is tight on the whole edge
(it has a constant weak sign on the edge), so a crossing inherits the AND of
its endpoints' tight sets plus the unit that created it.

:class:`CellComplex` is the general-dimension splitter (see its docstring).
"""

from __future__ import annotations

from itertools import repeat
from typing import Any

import numpy as np

from ..errors import BudgetExceededError
from .lines import INT64_LIMIT, max_abs, sign

__all__: list[str] = []


def _reduce(cols: np.ndarray) -> np.ndarray:
    """Divide every column by the gcd of its entries (columns are never all zero)."""
    if cols.shape[1] == 0:
        return cols
    g = np.gcd.reduce(cols, axis=0)
    if cols.dtype == object:
        if all(v == 1 for v in g):
            return cols
    elif (g == 1).all():
        return cols
    return cols // g[None, :]


class Digits:
    """Exact integers as base-2^16 digit arrays in two's complement (vectorised big integers).

    ``value = sum_{s < S-1} d[s] 2^(16 s) + d[S-1] 2^(16 (S-1))`` with
    ``0 <= d[s] < 2^16`` below the top and a signed top digit
    ``-2^15 <= d[S-1] < 2^15``.  Products of two digits are below 2^32 in
    magnitude, so a float64 BLAS product of digit matrices with inner
    dimension below 2^20 is exact; this is how integer maps of thousands of
    regions are multiplied without one Python operation per term.  Entries
    become Python ints only where needed (:meth:`ints`).
    """

    __slots__ = ("d",)

    def __init__(self, d: np.ndarray):
        self.d = d

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.d.shape[1:])

    @property
    def S(self) -> int:
        return int(self.d.shape[0])

    @classmethod
    def of(cls, A: np.ndarray) -> "Digits":
        """Digits of an integer array (int64 or object)."""
        shape = A.shape
        flat = A.ravel()
        if flat.dtype != object and (flat.size == 0 or max_abs(flat) < (1 << 62)):
            a = flat.astype(np.int64)
            bits = max(max_abs(a).bit_length(), 1)
            S = -(-(bits + 1) // 16)
            rows = [(a >> (16 * i)) & 0xFFFF for i in range(S - 1)] + [a >> (16 * (S - 1))]
            return cls(np.stack(rows).reshape((S,) + shape))
        vals = flat.astype(object).tolist()
        n = len(vals)
        bits = max((int(v).bit_length() for v in vals), default=0)
        S = max(1, -(-(bits + 1) // 16))
        buf = b"".join([int(v).to_bytes(2 * S, "little", signed=True) for v in vals])
        d = np.frombuffer(buf, dtype="<u2").reshape(n, S).T.astype(np.int64)
        d[S - 1] = np.where(d[S - 1] >= 1 << 15, d[S - 1] - (1 << 16), d[S - 1])
        return cls(np.ascontiguousarray(d).reshape((S,) + shape))

    def signed(self) -> np.ndarray:
        """Digits as float64 (|digit| <= 2^16), shape (S, *shape)."""
        return self.d.astype(np.float64)

    def to_float(self) -> np.ndarray:
        """float64 values, relative error below (S + 1) 2^-53 (inf if too large).

        Horner's rule from the top digit: partial values are exact below 2^53
        and grow by 2^16 per step beyond, so each rounding is relative to the
        final magnitude.
        """
        if self.S * 16 > 1000:
            return np.full(self.shape, np.inf)
        v = self.d[self.S - 1].astype(np.float64)
        for s in range(self.S - 2, -1, -1):
            v = v * 65536.0 + self.d[s]
        return v

    def ints(self, index: Any) -> np.ndarray:
        """The entries ``self[index]`` as an object array of Python ints."""
        d = self.d[(slice(None),) + (index if isinstance(index, tuple) else (index,))]
        S = d.shape[0]
        shape = d.shape[1:]
        raw = np.ascontiguousarray(d.reshape(S, -1).T).astype("<i8").astype("<u2").tobytes()
        nb = 2 * S
        fb = int.from_bytes
        vals = [fb(raw[i:i + nb], "little", signed=True) for i in range(0, len(raw), nb)]
        out = np.empty(len(vals), dtype=object)
        out[:] = vals
        return out.reshape(shape)

    @classmethod
    def normalize(cls, R: np.ndarray) -> "Digits":
        """Digits of ``sum_s R[s] 2^(16 s)`` (R: int64 partial sums, |R| < 2^62; R is overwritten).

        With three zero rows on top (as :func:`matmul_partial` leaves) the
        carries end inside R, and no copy is made.
        """
        S = R.shape[0]
        shape = R.shape[1:]
        R = R.reshape(S, -1)
        carry = np.zeros(R.shape[1], dtype=np.int64)
        for s in range(S - 1):
            R[s] += carry
            np.right_shift(R[s], 16, out=carry)
            R[s] &= 0xFFFF
        R[S - 1] += carry
        d = R
        last = d[S - 1]
        if ((last < -(1 << 15)) | (last >= (1 << 15))).any():  # callers leave spare rows; rarely needed
            carry = last.copy()
            d[S - 1] = carry & 0xFFFF
            carry >>= 16
            rows = [d]
            while ((carry < -(1 << 15)) | (carry >= (1 << 15))).any():
                rows.append((carry & 0xFFFF)[None])
                carry = carry >> 16
            rows.append(carry[None])
            d = np.concatenate(rows)
        d = _trim(d)
        top = d.shape[0]
        return cls(d.reshape((top,) + shape))


def _extend(d: np.ndarray, S: int) -> np.ndarray:
    """Two's complement digits ``d`` (S_c rows, signed top) widened to S rows."""
    Sc = d.shape[0]
    if Sc == S:
        return d
    top = d[Sc - 1].astype(np.int64)
    out = np.empty((S,) + d.shape[1:], dtype=d.dtype)
    out[: Sc - 1] = d[: Sc - 1]
    out[Sc - 1] = top & 0xFFFF
    neg = top < 0
    for s in range(Sc, S - 1):
        out[s] = np.where(neg, 0xFFFF, 0)
    out[S - 1] = np.where(neg, -1, 0)
    return out


def _trim(d: np.ndarray) -> np.ndarray:
    """Drop top digit rows that only carry the sign."""
    top = d.shape[0]
    while top > 1:
        t, nx = d[top - 1], d[top - 2]
        if not (((t == 0) & (nx < (1 << 15))) | ((t == -1) & (nx >= (1 << 15)))).all():
            break
        d[top - 2] = np.where(t == -1, nx - (1 << 16), nx)
        top -= 1
    return d[:top]


def matmul_partial(dw: np.ndarray, dh: np.ndarray) -> np.ndarray:
    """Partial sums ``R[t] = sum_{a+b=t} dw[a] @ dh[b]`` (int64) of signed float digit matrices.

    All digit pairs go through ONE float64 BLAS product ``(kw m x k) @ (k x kh c)``;
    each entry is a sum of k products below 2^32, exact while k < 2^20.
    """
    kw, m, inner = dw.shape
    kh, _, c = dh.shape
    if inner >= (1 << 20):  # pragma: no cover - far beyond any layer here
        raise ValueError("inner dimension too large for exact float64 digit products")
    P = dw.reshape(kw * m, inner) @ dh.transpose(1, 0, 2).reshape(inner, kh * c)
    P = P.astype(np.int64).reshape(kw, m, kh, c)
    R = np.zeros((kw + kh - 1 + 3, m, c), dtype=np.int64)  # 3 spare rows: the carries fit (see normalize)
    for a in range(kw):
        for b in range(kh):
            R[a + b] += P[a, :, b, :]
    return R


def _binary_matmul(P: np.ndarray, dT: np.ndarray) -> np.ndarray:
    """Partial sums ``R[t] = P @ dT[t]`` (int64, 3 spare rows) for a 0/1 matrix P.

    Entries are sums of at most k digits below 2^16 in magnitude: exact in
    float32 while k < 2^7, in float64 otherwise.
    """
    S, k, c = dT.shape
    dtype = np.float32 if k < (1 << 7) else np.float64
    prod = P.astype(dtype) @ dT.transpose(1, 0, 2).reshape(k, S * c).astype(dtype)
    R = np.zeros((S + 3, P.shape[0], c), dtype=np.int64)
    R[:S] = prod.reshape(P.shape[0], S, c).transpose(1, 0, 2)
    return R


def exact_matmul(W: np.ndarray, H: np.ndarray) -> np.ndarray:
    """``W @ H`` exactly for integer arrays of any size, as an object array (via :class:`Digits`).

    >>> import numpy as np
    >>> W = np.array([[2**70, -3], [1, 1]], dtype=object)
    >>> bool((exact_matmul(W, W) == W @ W).all())
    True
    """
    R = matmul_partial(Digits.of(W).signed(), Digits.of(H).signed())
    D = Digits.normalize(R)
    return D.ints(tuple(slice(None) for _ in D.shape))


class ColumnStore:
    """Exact columns of every vertex, with capacity doubling and the tight sets.

    Rows of :attr:`block`: ``0..n-1`` = X, ``n`` = w, ``n+1..`` = the current
    layer's Z (or the previous layer's post-activations H between layers).
    :attr:`tight` is a boolean matrix (K domain constraints + U units) x vertices.
    """

    def __init__(self, X: np.ndarray, w: np.ndarray, tight_domain: np.ndarray, units: int):
        n, N = X.shape
        self.n = n
        self.N = N
        self.K = tight_domain.shape[0]
        cap = max(16, 2 * N)
        block = np.vstack([X.astype(object), w.astype(object)[None, :]])
        self.block = np.zeros((n + 1, cap), dtype=object)
        self.block[:, :N] = block
        self.bound = max_abs(block)
        self.tight = np.zeros((self.K + units, cap), dtype=bool)
        self.tight[: self.K, :N] = tight_domain
        self._fit()

    # ------------------------------------------------------------ storage
    def _fit(self) -> None:
        """int64 if every entry provably fits, else object."""
        want = np.int64 if self.bound < (1 << 60) else object
        if self.block.dtype != want:
            if want is object:
                self.block = self.block.astype(object)
            else:
                self.block = self.block.astype(np.int64)

    def _grow(self, extra: int) -> None:
        need = self.N + extra
        cap = self.block.shape[1]
        if need <= cap:
            return
        cap = max(need, 2 * cap)
        nb = np.zeros((self.block.shape[0], cap), dtype=self.block.dtype)
        nb[:, : self.N] = self.block[:, : self.N]
        self.block = nb
        nt = np.zeros((self.tight.shape[0], cap), dtype=bool)
        nt[:, : self.N] = self.tight[:, : self.N]
        self.tight = nt

    @property
    def X(self) -> np.ndarray:
        return self.block[: self.n, : self.N]

    @property
    def w(self) -> np.ndarray:
        return self.block[self.n, : self.N]

    def rows(self) -> np.ndarray:
        """Rows after (X, w): Z within a layer, H between layers."""
        return self.block[self.n + 1 :, : self.N]

    # ------------------------------------------------------------- layers
    def start_layer(self, W: list[list[int]], b: list[int], D: int, first: bool,
                    patterns: np.ndarray | None, anc: np.ndarray | None, vertex_region: np.ndarray) -> None:
        """Z = W H + b w for every vertex (H = X for the first layer); the region data is not needed."""
        n, N = self.n, self.N
        H = self.block[:n, :N] if first else self.block[n + 1 :, :N]
        w = self.block[n, :N]
        Wm = np.array(W, dtype=object)
        bm = np.array(b, dtype=object)
        hb = max_abs(H) if H.size else 0
        bound = max_abs(Wm) * hb * max(1, Wm.shape[1]) + max_abs(bm) * max_abs(w) + 1
        if bound < INT64_LIMIT and self.block.dtype == np.int64:
            Z = Wm.astype(np.int64) @ H + bm.astype(np.int64)[:, None] * w[None, :]
        else:
            Z = exact_matmul(np.hstack([Wm, bm[:, None]]), np.vstack([H, w[None, :]]))
        m = Z.shape[0]
        cap = self.block.shape[1]
        dtype = np.int64 if (bound < INT64_LIMIT and self.block.dtype == np.int64) else object
        nb = np.zeros((n + 1 + m, cap), dtype=dtype)
        nb[: n + 1, :N] = self.block[: n + 1, :N]
        nb[n + 1 :, :N] = Z
        self.block = nb
        self.bound = max(self.bound, bound)

    def end_layer(self, D: int) -> None:
        """Columns for the next layer: X, w scaled by D, H = relu(Z); reduced."""
        n, N = self.n, self.N
        Z = self.block[n + 1 :, :N]
        XW = self.block[: n + 1, :N]
        if D != 1:
            if XW.dtype == np.int64 and self.bound * D >= (1 << 60):
                XW = XW.astype(object)
            XW = XW * D
        H = Z * (Z > 0)
        cols = np.vstack([XW.astype(object) if XW.dtype != H.dtype else XW, H.astype(XW.dtype) if XW.dtype == object else H])
        cols = _reduce(cols)
        self.bound = max_abs(cols)
        cap = self.block.shape[1]
        dtype = np.int64 if self.bound < (1 << 60) else object
        nb = np.zeros((cols.shape[0], cap), dtype=dtype)
        nb[:, :N] = cols
        self.block = nb

    # ------------------------------------------------------------ columns
    def signs(self, row: int) -> np.ndarray:
        """Exact signs (int8) of Z row ``row`` (0-based unit of the layer) at every vertex."""
        return sign(self.block[self.n + 1 + row, : self.N])

    def add_crossings(self, P: np.ndarray, Q: np.ndarray, row: int, regs: np.ndarray | None = None) -> np.ndarray:
        """New vertices ``|Z_Q| P + |Z_P| Q`` (reduced) for the pairs (P[i], Q[i]); returns their ids."""
        c = P.size
        first = self.N
        if c == 0:
            return np.zeros(0, dtype=np.int64)
        r = self.n + 1 + row
        z = self.block[r]
        alpha = np.abs(z[Q])
        beta = np.abs(z[P])
        zb = max(max_abs(alpha), max_abs(beta))
        need = 2 * zb * self.bound + 1
        if self.block.dtype == np.int64 and need >= INT64_LIMIT:
            self.bound = max_abs(self.block[:, : self.N])
            need = 2 * zb * self.bound + 1
            if need >= INT64_LIMIT:
                self.block = self.block.astype(object)
                alpha, beta = alpha.astype(object), beta.astype(object)
        cols = alpha[None, :] * self.block[:, P] + beta[None, :] * self.block[:, Q]
        cols = _reduce(cols)
        self.bound = max(self.bound, need)
        self._grow(c)
        self.block[:, first : first + c] = cols
        self.tight[:, first : first + c] = self.tight[:, P] & self.tight[:, Q]
        self.N += c
        return np.arange(first, first + c, dtype=np.int64)

    def mark_zero(self, unit_global: int, row: int) -> None:
        """Record which vertices lie on the zero set of a processed unit."""
        z = self.block[self.n + 1 + row, : self.N]
        self.tight[self.K + unit_global, : self.N] = z == 0


#: Relative error factor of the float filter (16 u; the worst case is (n + 4) u for n <= 12 inputs).
_FILTER_EPS = 16 * 2.0 ** -53


class MapStore:
    """Exact vertices ``(X, w)`` and exact integer affine maps per region (the fast store).

    Within layer l, unit j's pre-activation on a region R of the layer l-1
    complex is ``z_j = M[R, j] . (X, w) / (S w)`` with an integer map
    ``M[R]`` (m_l x (n+1)) and one scale S per layer.  The maps of layer l
    come from those of layer l-1 by ONE integer matrix product over all
    regions (``M_l = W_l diag(p_R) M_{l-1} + S_{l-1} [0 | b_l]``), so each
    vertex needs only its n+1 integers, and a crossing
    ``|Z_Q| P + |Z_P| Q`` costs n+1 products instead of n+1+m.

    Signs at vertices are decided by a float64 filter with a rigorous error
    bound (the evaluation error of a dot product of length n+1 in binary64 is
    below (n+4) u sum |a_i x_i|; we allow 16 u); every vertex inside the bound
    is evaluated exactly, so every sign is exact.  ``filter=False`` evaluates
    every sign exactly (the tests check that the two agree).
    """

    def __init__(self, X: np.ndarray, w: np.ndarray, tight_domain: np.ndarray, units: int,
                 use_filter: bool = True, max_cells: int = 1 << 28):
        n, N = X.shape
        self.max_cells = max_cells
        self.layer = 1
        self.n = n
        self.N = N
        self.K = tight_domain.shape[0]
        cap = max(16, 2 * N)
        self.XW = np.zeros((n + 1, cap), dtype=object)
        self.XW[:n, :N] = X
        self.XW[n, :N] = w
        self.xf = np.zeros((cap, n), dtype=np.float64)
        self.xf[:N] = (X / w[None, :]).T.astype(np.float64) if N else 0
        self.vreg = np.zeros(cap, dtype=np.int64)
        self.tight = np.zeros((self.K + units, cap), dtype=bool)
        self.tight[: self.K, :N] = tight_domain
        self.use_filter = use_filter
        self.Md = Digits(np.zeros((1, 1, 0, n + 1), np.int64))
        self.Mf: np.ndarray = np.zeros((0, 1, n + 1))
        self._eps = _FILTER_EPS
        self.S = 1
        self._s: np.ndarray | None = None
        self.exact_evaluations = 0

    @property
    def X(self) -> np.ndarray:
        return self.XW[: self.n, : self.N]

    @property
    def w(self) -> np.ndarray:
        return self.XW[self.n, : self.N]

    def _grow(self, extra: int) -> None:
        need = self.N + extra
        cap = self.XW.shape[1]
        if need <= cap:
            return
        cap = max(need, 2 * cap)
        for name in ("XW", "tight"):
            old = getattr(self, name)
            new = np.zeros((old.shape[0], cap), dtype=old.dtype)
            new[:, : self.N] = old[:, : self.N]
            setattr(self, name, new)
        xf = np.zeros((cap, self.n))
        xf[: self.N] = self.xf[: self.N]
        self.xf = xf
        vreg = np.zeros(cap, dtype=np.int64)
        vreg[: self.N] = self.vreg[: self.N]
        self.vreg = vreg

    # ------------------------------------------------------------- layers
    def start_layer(self, W: list[list[int]], b: list[int], D: int, first: bool,
                    patterns: np.ndarray | None, anc: np.ndarray | None, vertex_region: np.ndarray) -> None:
        """Maps of layer l on every region of the complex so far (regions = map ids from now on).

        ``patterns`` (R x m_{l-1}, bool) and ``anc`` (R, each region's map id in
        layer l-1) describe the regions; ``vertex_region`` gives one region
        holding each vertex.
        """
        n = self.n
        Wm = np.array(W, dtype=object).reshape(len(W), -1)
        bm = np.array(b, dtype=object)
        m, k = Wm.shape
        if first:
            M = np.zeros((1, m, n + 1), dtype=object)
            M[0, :, :n] = Wm
            M[0, :, n] = bm
            self.Md = Digits.of(M)
            self.S = D
        else:
            assert patterns is not None and anc is not None
            self.Md = self._next_maps(Wm, bm, patterns, anc)
            self.S = self.S * D
        self.Mf = np.ascontiguousarray(self.Md.to_float().transpose(1, 0, 2))  # units x regions x (n+1)
        self._eps = 2 * (self.Md.S + n + 8) * 2.0 ** -53
        self.vreg[: self.N] = vertex_region

    def _next_maps(self, Wm: np.ndarray, bm: np.ndarray, patterns: np.ndarray, anc: np.ndarray) -> "Digits":
        """Digits of ``W diag(p_R) M_prev[anc_R] + S_prev [0 | b]`` for every region R, in chunks.

        The storage (regions x units x (n+1) x digits) is counted against
        ``max_cells`` BEFORE it is allocated; temporaries are bounded by the
        chunk size.
        """
        n = self.n
        m, k = Wm.shape
        R = patterns.shape[0]
        S_prev = self.S
        bias = bm * S_prev
        bd = Digits.of(bias).d
        w_bits = max(max_abs(Wm).bit_length(), 1)
        top = self.Md.d[self.Md.S - 1]
        m_bits = 16 * (self.Md.S - 1) + (int(np.abs(top).max()) + 1).bit_length() if top.size else 1
        b_bits = max(max_abs(bias).bit_length(), 1)
        bits = max(w_bits + m_bits + max(k, 1).bit_length(), b_bits) + 2
        S_out = -(-(bits + 1) // 16)
        cells = R * m * (n + 1) * S_out
        if cells > self.max_cells:
            raise BudgetExceededError(budget=self.max_cells, layer=self.layer, required=cells, name="max_cells",
                                      unit="integers of region-map storage (regions x units x (n+1) x digits)")
        out = np.zeros((S_out, R, m, n + 1), dtype=np.int32)
        groups = np.unique(anc)
        few = groups.size * m * 4 <= R
        per_region = m * (n + 1) * (S_out + 4)
        chunk = max(1, (1 << 22) // per_region)

        def finish(Rp: np.ndarray, rows: np.ndarray) -> None:
            nonlocal out
            if bd.shape[0] > Rp.shape[0]:
                Rp = np.concatenate([Rp, np.zeros((bd.shape[0] - Rp.shape[0],) + Rp.shape[1:], np.int64)])
            Rp = np.ascontiguousarray(Rp)
            Rp[: bd.shape[0], :, :, n] += bd[:, None, :]
            d = Digits.normalize(Rp).d
            if d.shape[0] > out.shape[0]:  # pragma: no cover - the bound above holds
                out = _extend(out, d.shape[0])
            out[:, rows] = _extend(d, out.shape[0])

        if few:
            # few ancestors: M[R] = sum_k p_Rk W[:, k] (x) M_prev[a, k] = P @ T_a, with P in {0, 1}
            for a in groups.tolist():
                rows_a = np.flatnonzero(anc == a)
                Ma = self.Md.ints((a,))  # k x (n+1)
                dT = Digits.of((Wm.T[:, :, None] * Ma[:, None, :]).reshape(k, m * (n + 1))).d
                for start in range(0, rows_a.size, chunk):
                    rows = rows_a[start:start + chunk]
                    Rp = _binary_matmul(patterns[rows], dT).reshape(-1, rows.size, m, n + 1)
                    finish(Rp, rows)
        else:
            dWf = Digits.of(Wm).d.astype(np.float64)
            for start in range(0, R, chunk):
                rows = np.arange(start, min(R, start + chunk))
                dA = self.Md.d[:, anc[rows]].astype(np.float64)  # S x c x k x (n+1)
                dA *= patterns[rows][None, :, :, None]
                S0 = dA.shape[0]
                dA = dA.transpose(0, 2, 1, 3).reshape(S0, k, rows.size * (n + 1))
                Rp = matmul_partial(dWf, dA)  # St x m x c(n+1)
                Rp = Rp.reshape(Rp.shape[0], m, rows.size, n + 1).transpose(0, 2, 1, 3)
                finish(Rp, rows)
        return Digits(_trim(out))

    def end_layer(self, D: int) -> None:
        """Nothing to do: the next layer's maps are built from the regions' patterns."""

    def output_maps(self, W: list[list[int]], b: list[int], D: int, patterns: np.ndarray | None,
                    anc: np.ndarray | None, vertex_region: np.ndarray) -> tuple[np.ndarray, int]:
        """Integer output maps (R x out x (n+1), object) of every final region, and their scale."""
        if patterns is None:
            self.start_layer(W, b, D, True, None, None, vertex_region)
        else:
            self.start_layer(W, b, D, False, patterns, anc, vertex_region)
        return self.Md.ints(tuple(slice(None) for _ in self.Md.shape)), self.S

    # ------------------------------------------------------------ columns
    def _exact(self, idx: np.ndarray, row: int) -> np.ndarray:
        """Exact integer Z (scale S w) of unit ``row`` at vertices ``idx`` (object array)."""
        self.exact_evaluations += idx.size
        if idx.size == 0:
            return np.zeros(0, dtype=object)
        coef = self.Md.ints((self.vreg[idx], row))  # k x (n+1)
        cols = self.XW[:, idx]  # (n+1) x k
        return (coef.T * cols).sum(axis=0)

    def signs(self, row: int) -> np.ndarray:
        """Exact signs (int8) of unit ``row`` of the layer at every vertex."""
        N, n = self.N, self.n
        if not self.use_filter:
            s = sign(self._exact(np.arange(N), row))
            self._s = s
            return s
        a = self.Mf[row][self.vreg[:N]]
        x = self.xf[:N]
        with np.errstate(invalid="ignore", over="ignore"):  # inf maps (huge entries) leave every sign to the exact path
            prod = a[:, :n] * x
            z = prod.sum(axis=1) + a[:, n]
            mag = np.abs(prod).sum(axis=1) + np.abs(a[:, n])
            sure = np.abs(z) > mag * self._eps + 1e-300
        s = ((z > 0).astype(np.int8) - (z < 0).astype(np.int8)) * sure
        doubt = np.flatnonzero(~sure)
        if doubt.size:
            s[doubt] = sign(self._exact(doubt, row))
        self._s = s
        return s

    def add_crossings(self, P: np.ndarray, Q: np.ndarray, row: int, regs: np.ndarray | None = None) -> np.ndarray:
        """New vertices ``|Z_Q| P + |Z_P| Q`` (reduced) on the edges (P[i], Q[i]); ``regs`` their map ids."""
        c = P.size
        first = self.N
        if c == 0:
            return np.zeros(0, dtype=np.int64)
        assert regs is not None
        z = np.abs(self._exact(np.concatenate([Q, P]), row))
        alpha, beta = z[:c], z[c:]
        cols = _reduce(alpha[None, :] * self.XW[:, P] + beta[None, :] * self.XW[:, Q])
        self._grow(c)
        sl = slice(first, first + c)
        self.XW[:, sl] = cols
        self.xf[sl] = (cols[: self.n] / cols[self.n][None, :]).T.astype(np.float64)
        self.vreg[sl] = regs
        self.tight[:, sl] = self.tight[:, P] & self.tight[:, Q]
        self.N += c
        assert self._s is not None
        self._s = np.concatenate([self._s, np.zeros(c, dtype=np.int8)])
        return np.arange(first, first + c, dtype=np.int64)

    def mark_zero(self, unit_global: int, row: int) -> None:
        """Record which vertices lie on the zero set of a processed unit (from the exact signs)."""
        assert self._s is not None and self._s.size == self.N
        self.tight[self.K + unit_global, : self.N] = self._s == 0


# ---------------------------------------------------------------------------------------------
def _cut_edges(verts: np.ndarray, tight: np.ndarray) -> list[tuple[int, int]]:
    """Edges among the vertices of a polytope, decided combinatorially from exact tight sets.

    Two vertices u, v are adjacent iff no third vertex is tight on every
    constraint tight at both (the smallest face containing u and v then has
    only u and v as vertices).  Valid for any polytope given by any (possibly
    redundant) constraint system, so it needs no genericity.
    """
    k = verts.size
    if k < 2:
        return []
    M = tight[:, verts].T  # k x bits
    S = M[:, None, :] & M[None, :, :]  # k x k x bits
    # contained[i, j, l] = S_ij subset of M_l
    notM = ~M
    bad = np.einsum("ijb,lb->ijl", S.astype(np.int32), notM.astype(np.int32)) == 0
    count = bad.sum(axis=2)  # includes i and j themselves
    iu, ju = np.triu_indices(k, 1)
    ok = count[iu, ju] == 2
    return [(int(verts[i]), int(verts[j])) for i, j in zip(iu[ok], ju[ok])]


class CellComplex:
    """Incremental splitting of convex polytopes by exact vertex signs, any dimension.

    Every region keeps its vertex ids and its edges.  A unit splits a region
    iff some vertex is strictly positive and some strictly negative.  The
    pieces are read off exactly: the positive part has the vertices with sign
    >= 0, the crossings of the strictly crossing edges, the old edges whose
    ends are >= 0 (split edges are shortened), and the edges of the cut face
    ``P cap {z = 0}``; the cut face's edges are found by the combinatorial
    adjacency test on the exact tight sets (:func:`_cut_edges`).  Nothing
    assumes general position: zeros at vertices, hyperplanes through edges or
    faces, duplicated units all follow from the exact signs.
    """

    def __init__(self, store: "ColumnStore | MapStore", verts: np.ndarray, edges: list[tuple[int, int]],
                 units: int, max_regions: int):
        self.store = store
        self.anc = np.zeros(1, dtype=np.int64)
        self.regions: list[np.ndarray] = [verts.astype(np.int64)]
        self.edges: list[np.ndarray] = [np.array(edges, dtype=np.int64).reshape(-1, 2)]
        self.pattern = np.zeros((1, units), dtype=bool)
        self.max_regions = max_regions

    def split(self, row: int, unit_global: int, layer: int) -> None:
        store = self.store
        s = store.signs(row)
        R = len(self.regions)
        sizes = np.fromiter((v.size for v in self.regions), dtype=np.int64, count=R)
        flat = np.concatenate(self.regions)
        owner = np.repeat(np.arange(R), sizes)
        sf = s[flat]
        pos = np.zeros(R, dtype=bool)
        neg = np.zeros(R, dtype=bool)
        pos[owner[sf > 0]] = True
        neg[owner[sf < 0]] = True
        split = np.flatnonzero(pos & neg)
        if R + split.size > self.max_regions:
            raise BudgetExceededError(budget=self.max_regions, layer=layer, required=R + split.size,
                                      name="max_regions", unit="activation regions")
        self.pattern[:, unit_global] = pos
        if split.size == 0:
            store.mark_zero(unit_global, row)
            return
        # every strictly crossing edge of a split region, once
        cross: list[np.ndarray] = []
        for r in split:
            e = self.edges[r]
            c = e[(s[e[:, 0]] * s[e[:, 1]]) < 0]
            cross.append(np.sort(c, axis=1))
        cat = np.concatenate(cross)
        owners = np.repeat(self.anc[split], [c.shape[0] for c in cross])
        allc, first = np.unique(cat, axis=0, return_index=True)
        ids = store.add_crossings(allc[:, 0], allc[:, 1], row, owners[first])
        key = {(int(a), int(b)): int(v) for (a, b), v in zip(allc, ids)}
        store.mark_zero(unit_global, row)
        s = np.concatenate([s, np.zeros(ids.size, dtype=s.dtype)])
        tight = store.tight
        new_pattern = []
        for r, c in zip(split, cross):
            verts = self.regions[r]
            e = self.edges[r]
            sv = s[verts]
            newv = np.array([key[(int(a), int(b))] for a, b in c], dtype=np.int64)
            zero = np.concatenate([verts[sv == 0], newv])
            cut = _cut_edges(zero, tight)
            se0, se1 = s[e[:, 0]], s[e[:, 1]]
            halves_p, halves_n = [], []
            for (a, b), v in zip(c, newv):
                if s[a] > 0:
                    halves_p.append((a, v))
                    halves_n.append((b, v))
                else:
                    halves_p.append((b, v))
                    halves_n.append((a, v))
            both0 = (se0 == 0) & (se1 == 0)
            keep_p = (se0 >= 0) & (se1 >= 0) & ~both0
            keep_n = (se0 <= 0) & (se1 <= 0) & ~both0
            parts = []
            for keep, halves, side in ((keep_p, halves_p, sv >= 0), (keep_n, halves_n, sv <= 0)):
                pv = np.concatenate([verts[side], newv])
                pe = np.concatenate([e[keep], np.array(halves, dtype=np.int64).reshape(-1, 2),
                                     np.array(cut, dtype=np.int64).reshape(-1, 2)])
                parts.append((pv, pe))
            self.regions[r], self.edges[r] = parts[0]
            self.regions.append(parts[1][0])
            self.edges.append(parts[1][1])
            new_pattern.append(r)
        parents = np.array(new_pattern)
        rows = self.pattern[parents]
        rows[:, unit_global] = False
        self.pattern = np.vstack([self.pattern, rows])
        self.anc = np.concatenate([self.anc, self.anc[parents]])

    def vertex_region(self, N: int) -> np.ndarray:
        """One region holding each vertex."""
        out = np.zeros(N, dtype=np.int64)
        for r, v in enumerate(self.regions):
            out[v] = r
        return out
