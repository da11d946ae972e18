"""The affine maps of a layer on every region of the n-D complex (private): float64 by BLAS, exact on demand.

On a region R of the complex of layers 1..l-1, layer l's pre-activations are
the integer affine map ``M_l[R] . (X, w)`` of a vertex column (true value
``/ (S_l w)``), with ``M_1 = [W_1 | b_1]`` and
``M_l[R] = W_l diag(p_R) M_{l-1}[anc_R] + S_{l-1} [0 | b_l]``, where p_R is
R's activation pattern of layer l-1 and anc_R its region in the layer-(l-1)
complex.

* :func:`float_maps` gives float64 maps ``Mf_l`` and magnitudes
  ``Ma_l = |W_l| diag(p) Ma_{l-1} + |S b|`` of every region from the previous
  layer's float maps, by one BLAS product.  With ``|Mf_{l-1} - M_{l-1}| <=
  e_{l-1} Ma_{l-1}`` entrywise, ``|Mf_l - M_l| <= e_l Ma_l`` for
  ``e_l = (e_{l-1} + (k + 4) u) (1 + 2 (k + 4) u)`` (k the fan-in, u = 2^-53:
  the rounding of W, of the k products and of their sum), and ``e_1 = 2u``;
  :func:`next_error` computes it.
* :class:`LayerMaps` keeps the exact *recipe* (the previous layer, W, b, the
  patterns and ancestors) and computes exact rows ``M_l[R, j]`` on demand by
  one small exact digit product, or the whole array (:meth:`LayerMaps.maps`,
  counted against a cell budget before it is allocated) when the next layer
  or the output needs it.
"""

from __future__ import annotations

import functools
from typing import Callable

import numpy as np

from .polytope import Digits, binary_matmul, extend_digits, matmul_partial, trim_digits

__all__ = ["LayerMaps", "float_maps", "next_error", "output_maps", "to_floats", "UNIT_ROUNDOFF"]

#: Unit roundoff of binary64.
UNIT_ROUNDOFF = 2.0 ** -53
_U = UNIT_ROUNDOFF


def to_floats(a: np.ndarray) -> np.ndarray:
    """float64 of an integer array (correctly rounded); entries beyond the float range become +-inf."""
    try:
        return a.astype(np.float64)
    except OverflowError:
        flat = [float(v) if abs(v) < (1 << 1023) else (np.inf if v > 0 else -np.inf) for v in a.ravel().tolist()]
        return np.array(flat, dtype=np.float64).reshape(a.shape)


def next_error(e_prev: float, k: int) -> float:
    """Relative error factor of layer l's float maps from layer l-1's (see the module docstring)."""
    return (e_prev + (k + 4) * _U) * (1 + 2 * (k + 4) * _U)


def float_maps(Mf_prev: np.ndarray, Ma_prev: np.ndarray, Wm: np.ndarray, bias: np.ndarray, patterns: np.ndarray,
               anc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """float64 maps and magnitudes ((n+1) x R x m) of ``W diag(p_R) M_prev[anc_R] + [0 | bias]``.

    ``Mf_prev``, ``Ma_prev``: the previous layer's ((n+1) x R_prev x k).  Few
    ancestors: one product ``P_a @ (W^T (x) M_prev[a])`` per ancestor a; else
    one product ``(p (x) M_prev[anc]) @ W^T`` for all regions.
    """
    n1 = Mf_prev.shape[0]
    m, k = Wm.shape
    R = patterns.shape[0]
    with np.errstate(invalid="ignore", over="ignore"):
        Wf = to_floats(Wm)
        Wa = np.abs(Wf)
        pat = patterns.astype(np.float64)
        groups = np.unique(anc)
        if groups.size * m * 4 <= R:
            Mf = np.empty((n1, R, m))
            Ma = np.empty((n1, R, m))
            for a in groups.tolist():
                rows = np.flatnonzero(anc == a) if groups.size > 1 else slice(None)
                T = (Wf.T[:, :, None] * Mf_prev[:, a, :].T[:, None, :]).reshape(k, m * n1)
                Ta = (Wa.T[:, :, None] * Ma_prev[:, a, :].T[:, None, :]).reshape(k, m * n1)
                Mf[:, rows] = (pat[rows] @ T).reshape(-1, m, n1).transpose(2, 0, 1)
                Ma[:, rows] = (pat[rows] @ Ta).reshape(-1, m, n1).transpose(2, 0, 1)
        else:
            Mf = (Mf_prev[:, anc, :] * pat[None]) @ Wf.T
            Ma = (Ma_prev[:, anc, :] * pat[None]) @ Wa.T
        bf = to_floats(bias)
        Mf[n1 - 1] += bf[None, :]
        Ma[n1 - 1] += np.abs(bf)[None, :]
    return Mf, Ma


def _products(Mprev: Digits, Wd: Digits, n: int) -> list[Digits]:
    """Exact digits of ``T_a[k, j] = W[j, k] M_prev[a, k]`` (k x m x (n+1)) for every ancestor a."""
    Sw, m, k = Wd.d.shape
    Sp = Mprev.S
    out = []
    for a in range(Mprev.shape[0]):
        Ma = Mprev.d[:, a]  # Sp x k x (n+1)
        R = np.zeros((Sw + Sp - 1 + 3, k, m, n + 1), dtype=np.int64)
        for s in range(Sw):
            for t in range(Sp):
                R[s + t] += Wd.d[s].T[:, :, None].astype(np.int64) * Ma[t][:, None, :]
        out.append(Digits.normalize(R))
    return out


class LayerMaps:
    """Exact maps of one layer: rows ``M_l[R, j]`` on demand, the whole array when needed.

    ``check(cells, what, layer)`` is called with the size of the array before
    it is allocated (the caller's budget).
    """

    def __init__(self, n: int, number: int, check: Callable[[int, str, int], None], *,
                 first: np.ndarray | None = None, prev: "LayerMaps | None" = None, W: np.ndarray | None = None,
                 bias: np.ndarray | None = None, patterns: np.ndarray | None = None,
                 anc: np.ndarray | None = None):
        self.n = n
        self.number = number
        self.check = check
        self.first = first  # layer 1: m x (n+1) Python ints
        self.prev = prev
        self.M: Digits | None = Digits.of(first[None]) if first is not None else None
        if first is None:
            assert prev is not None and W is not None and bias is not None
            assert patterns is not None and anc is not None
            self._W, self._bias = W, bias  # as digits only when an exact row is asked for (Wd, bd)
            self.patterns, self.anc = patterns, anc
            self.few = prev.regions * W.shape[0] * 4 <= patterns.shape[0]
        self._products: list[Digits] | None = None

    @functools.cached_property
    def Wd(self) -> Digits:
        return Digits.of(self._W)

    @functools.cached_property
    def bd(self) -> np.ndarray:
        return Digits.of(self._bias).d

    @property
    def regions(self) -> int:
        return 1 if self.first is not None else int(self.patterns.shape[0])

    def rows(self, regs: np.ndarray, row: int) -> np.ndarray:
        """Exact integer maps ``M_l[R, row]`` (an object array, len(regs) x (n+1)) of the regions ``regs``."""
        n = self.n
        c = regs.size
        if self.first is not None:
            out = np.empty((c, n + 1), dtype=object)
            out[:] = self.first[row]
            return out
        if self.M is not None:
            return self.M.ints((regs, row))
        assert self.prev is not None
        Md = self.prev.maps()
        patterns, anc, bd = self.patterns, self.anc, self.bd
        if self.few:
            if self._products is None:
                self._products = _products(Md, self.Wd, n)
            T = self._products
            a = anc[regs]
            out = np.empty((c, n + 1), dtype=object)
            for g in (np.unique(a).tolist() if len(T) > 1 else [0]):
                sel = np.flatnonzero(a == g) if len(T) > 1 else np.arange(c)
                dT = T[g].d[:, :, row, :]  # S x k x (n+1)
                S, k = dT.shape[0], dT.shape[1]
                Rp = np.zeros((S + 3, sel.size, n + 1), dtype=np.int64)
                prod = patterns[regs[sel]].astype(np.float64) @ dT.transpose(1, 0, 2).reshape(k, S * (n + 1))
                Rp[:S] = prod.reshape(-1, S, n + 1).transpose(1, 0, 2)
                Rp[: bd.shape[0], :, n] += bd[:, row:row + 1]
                out[sel] = Digits.normalize(Rp).ints((slice(None), slice(None)))
            return out
        A = Md.d[:, anc[regs]].astype(np.float64)  # Sp x c x k x (n+1)
        A *= patterns[regs][None, :, :, None]
        Sp, _, k, _ = A.shape
        dh = A.transpose(0, 2, 1, 3).reshape(Sp, k, c * (n + 1))
        Rp = matmul_partial(self.Wd.d[:, row:row + 1, :].astype(np.float64), dh).reshape(-1, c, n + 1)
        if bd.shape[0] > Rp.shape[0]:  # pragma: no cover - the bias has fewer digits than the product
            Rp = np.concatenate([Rp, np.zeros((bd.shape[0] - Rp.shape[0], c, n + 1), np.int64)])
        Rp[: bd.shape[0], :, n] += bd[:, row:row + 1]
        return Digits.normalize(Rp).ints((slice(None), slice(None)))

    def maps(self) -> Digits:
        """Digits of ``W diag(p_R) M_prev[anc_R] + [0 | bias]`` for every region R, in chunks (cached).

        The storage (regions x units x (n+1) x digits) is passed to ``check``
        BEFORE it is allocated; temporaries are bounded by the chunk size.
        """
        if self.M is not None:
            return self.M
        assert self.prev is not None
        Mprev = self.prev.maps()
        Wd, bd, patterns, anc = self.Wd, self.bd, self.patterns, self.anc
        n = self.n
        _, m, k = Wd.d.shape
        R = patterns.shape[0]
        bits = max(16 * Wd.S + 16 * Mprev.S + max(k, 1).bit_length(), 16 * bd.shape[0]) + 2
        S_out = -(-(bits + 1) // 16)
        self.check(R * m * (n + 1) * S_out, "integers of region-map storage (regions x units x (n+1) x digits)",
                   self.number)
        out = np.zeros((S_out, R, m, n + 1), dtype=np.int32)
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
                out = extend_digits(out, d.shape[0])
            out[:, rows] = extend_digits(d, out.shape[0])

        if self.few:
            # few ancestors: M[R] = sum_k p_Rk W[:, k] (x) M_prev[a, k] = P @ T_a, with P in {0, 1}
            if self._products is None:
                self._products = _products(Mprev, Wd, n)
            for a, T in enumerate(self._products):
                rows_a = np.flatnonzero(anc == a)
                dT = T.d.reshape(T.S, k, m * (n + 1))
                for start in range(0, rows_a.size, chunk):
                    rows = rows_a[start:start + chunk]
                    Rp = binary_matmul(patterns[rows], dT).reshape(-1, rows.size, m, n + 1)
                    finish(Rp, rows)
        else:
            dWf = Wd.d.astype(np.float64)
            for start in range(0, R, chunk):
                rows = np.arange(start, min(R, start + chunk))
                dA = Mprev.d[:, anc[rows]].astype(np.float64)  # S x c x k x (n+1)
                dA *= patterns[rows][None, :, :, None]
                S0 = dA.shape[0]
                dA = dA.transpose(0, 2, 1, 3).reshape(S0, k, rows.size * (n + 1))
                Rp = matmul_partial(dWf, dA)  # St x m x c(n+1)
                Rp = Rp.reshape(Rp.shape[0], m, rows.size, n + 1).transpose(0, 2, 1, 3)
                finish(Rp, rows)
        self.M = Digits(trim_digits(out))
        return self.M


def _add(a: Digits, b: Digits) -> Digits:
    """Exact sum of two digit arrays of one shape."""
    S = max(a.S, b.S) + 1
    R = np.zeros((S + 3,) + a.shape, dtype=np.int64)
    R[:S] = extend_digits(a.d.astype(np.int64), S)
    R[:S] += extend_digits(b.d.astype(np.int64), S)
    return Digits.normalize(R)


def _product(A: Digits, B: Digits) -> Digits:
    """Exact ``A @ B`` of digit arrays (A: r x k, B: k x c)."""
    return Digits.normalize(matmul_partial(A.d.astype(np.float64), B.d.astype(np.float64)))


def output_maps(layers: list[tuple[list[list[int]], list[int], int]], patterns: np.ndarray,
                n: int) -> tuple[np.ndarray, int]:
    """Exact output maps (R x out x (n+1), Python ints) of the final regions, from their patterns; and the scale.

    Backwards from the output (a vector-Jacobian product per region): with
    ``v = W_out``, ``beta = S_L b_out`` and for l = L..2 ``v <- v diag(p_l)``,
    ``beta <- beta + S_{l-1} v b_l``, ``v <- v W_l``, the map is
    ``v diag(p_1) [W_1 | b_1] + [0 | beta]``, which equals the forward recursion
    ``M_l = W_l diag(p) M_{l-1} + S_{l-1} [0 | b_l]`` and costs R x out x
    (width) integers per layer instead of R x width x (n+1).  ``layers``:
    integer layers ``(W, b, D)``; ``patterns``: R x (hidden units), bool.
    """
    *hidden, (Wo, bo, Do) = layers
    R = patterns.shape[0]
    o = len(Wo)
    scales = [1]
    for _, _, D in hidden:
        scales.append(scales[-1] * D)
    if not hidden:
        only = np.zeros((1, o, n + 1), dtype=object)
        only[0, :, :n] = np.array(Wo, dtype=object).reshape(o, n)
        only[0, :, n] = bo
        return only, Do
    offsets = np.cumsum([0] + [len(W) for W, _, _ in hidden])
    W1, b1, _ = hidden[0]
    M1 = np.zeros((len(W1), n + 1), dtype=object)
    M1[:, :n] = np.array(W1, dtype=object).reshape(len(W1), n)
    M1[:, n] = b1
    L = len(hidden)
    # the first step is one 0/1 product: (W_out diag(p_L)) X = p_L @ (W_out^T (x) X) per output, with
    # X = W_L (and the bias column W_out b_L S_{L-1}), or X = M_1 when there is one hidden layer
    Wo_arr = np.array(Wo, dtype=object).reshape(o, -1)
    X = M1 if L == 1 else np.array(hidden[-1][0], dtype=object)
    cols = X.shape[1]
    T = (Wo_arr.T[:, :, None] * X[:, None, :]).reshape(-1, o * cols)  # m_L x (o cols)
    if L > 1:
        T = np.hstack([T, Wo_arr.T * (np.array(hidden[-1][1], dtype=object) * scales[L - 1])[:, None]])
    first = Digits.normalize(binary_matmul(patterns[:, offsets[L - 1]:offsets[L]], Digits.of(T).d))
    v = Digits(np.ascontiguousarray(first.d[:, :, : o * cols]).reshape(first.S, R * o, cols))
    beta = Digits.of(np.broadcast_to(np.array(bo, dtype=object) * scales[-1], (R, o)).reshape(R * o, 1).copy())
    if L > 1:
        beta = _add(beta, Digits(np.ascontiguousarray(first.d[:, :, o * cols:]).reshape(first.S, R * o, 1)))
    for l in range(L - 2, 0, -1):
        W, b, _ = hidden[l]
        p = np.repeat(patterns[:, offsets[l]:offsets[l + 1]], o, axis=0)  # (R o) x m_l
        v = Digits(v.d * p[None])
        bias = np.array(b, dtype=object).reshape(-1, 1) * scales[l]
        beta = _add(beta, _product(v, Digits.of(bias)))
        v = _product(v, Digits.of(np.array(W, dtype=object)))
    if L > 1:
        p = np.repeat(patterns[:, offsets[0]:offsets[1]], o, axis=0)
        v = Digits(v.d * p[None])
        M = _product(v, Digits.of(M1))  # (R o) x (n+1)
    else:
        M = v
    out = M.ints((slice(None), slice(None))).reshape(R, o, n + 1)
    out[:, :, n] += beta.ints((slice(None), slice(None))).reshape(R, o)
    return out, scales[-1] * Do
