"""Integer kernels of the n-D region complex (private).

A vertex of the complex is an integer homogeneous column ``(X_1..X_n, w)``
(``x = X / w``, ``w > 0``).  On every region of the complex of layers
1..l-1, layer l's pre-activations are one exact integer affine map of the
column; :class:`MapStore` keeps those maps for all regions as base-2^16 digit
arrays (:class:`Digits`), obtains them from the previous layer's by one exact
float64 BLAS digit product (:func:`matmul_partial`), reads vertex signs
through a certified float filter with an exact fallback, and creates the
crossing ``|Z_Q| P + |Z_P| Q`` of a unit's zero set with an edge P -> Q,
reduced by its gcd: no division, and every sign is exact.

The store also keeps, for every vertex, the exact *tight set*: the domain
constraints and the processed units whose value is zero there.  A constraint
tight at an interior point of an edge is tight on the whole edge (it has a
constant weak sign on the edge), so a crossing inherits the AND of its
endpoints' tight sets plus the unit that created it.

The literal column store ``(X, w, Z_1..Z_m)`` per vertex and the
general-dimension splitter live in :mod:`exactrelu.polyhedral`.
"""

from __future__ import annotations

from itertools import repeat
from typing import Any

import numpy as np

from ..errors import BudgetExceededError
from .lines import max_abs, sign

__all__ = ["reduce_columns", "exact_matmul"]


def reduce_columns(cols: np.ndarray) -> np.ndarray:
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
        cols = reduce_columns(alpha[None, :] * self.XW[:, P] + beta[None, :] * self.XW[:, Q])
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
