"""The literal n-D column store: ``(X_1..X_n, w, Z_1..Z_m)`` per vertex (a reference path).

``regions(..., store="columns")`` uses it; the default :class:`exactrelu._kernels.mapstore.MapStore`
keeps only ``(X, w)`` per vertex and integer maps per region.  The tests check that both agree.
"""

from __future__ import annotations

import numpy as np

from .._kernels.lines import INT64_LIMIT, max_abs, sign
from .._kernels.polytope import exact_matmul, reduce_columns

__all__ = ["ColumnStore"]


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
        cols = reduce_columns(cols)
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

    def unit_lines(self, row: int, regs: np.ndarray) -> np.ndarray:
        """Line ids for the planar splitter (this store computes every crossing exactly: none needed)."""
        return np.zeros(regs.size, dtype=np.int64)

    def add_crossings(self, P: np.ndarray, Q: np.ndarray, row: int, regs: np.ndarray | None = None,
                      lines: np.ndarray | None = None, unit_lines: np.ndarray | None = None) -> np.ndarray:
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
        cols = reduce_columns(cols)
        self.bound = max(self.bound, need)
        self._grow(c)
        self.block[:, first : first + c] = cols
        self.tight[:, first : first + c] = self.tight[:, P] & self.tight[:, Q]
        self.N += c
        return np.arange(first, first + c, dtype=np.int64)

    def mark_zero(self, unit_global: int, row: int, zeros: np.ndarray | None = None) -> None:
        """Record which vertices lie on the zero set of a processed unit."""
        z = self.block[self.n + 1 + row, : self.N]
        self.tight[self.K + unit_global, : self.N] = z == 0
