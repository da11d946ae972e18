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
    def start_layer(self, W: list[list[int]], b: list[int], first: bool) -> None:
        """Z = W H + b w for every vertex (H = X for the first layer)."""
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
            Z = Wm @ H.astype(object) + bm[:, None] * w.astype(object)[None, :]
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

    def add_crossings(self, P: np.ndarray, Q: np.ndarray, row: int) -> np.ndarray:
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

    def __init__(self, store: ColumnStore, verts: np.ndarray, edges: list[tuple[int, int]], units: int,
                 max_regions: int):
        self.store = store
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
        allc = np.unique(np.concatenate(cross), axis=0) if cross else np.zeros((0, 2), np.int64)
        ids = store.add_crossings(allc[:, 0], allc[:, 1], row)
        key = {(int(a), int(b)): int(v) for (a, b), v in zip(allc, ids)}
        store.mark_zero(unit_global, row)
        s = store.signs(row)
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
        rows = self.pattern[np.array(new_pattern)]
        rows[:, unit_global] = False
        self.pattern = np.vstack([self.pattern, rows])
