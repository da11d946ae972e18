"""Vertices and region maps of the n-D region complex (private): exact signs, lazily exact vertices.

A vertex of the complex is an integer homogeneous column ``(X_1..X_n, w)``
(``x = X / w``, ``w > 0``).  Within layer l, unit j's pre-activation on a
region R of the layer l-1 complex is ``z_j = M[R, j] . (X, w) / (S w)`` with
an integer map ``M[R]`` (m_l x (n+1)) and one scale S per layer, where
``M_l[R] = W_l diag(p_R) M_{l-1}[anc_R] + S_{l-1} [0 | b_l]``.  The crossing
of unit j's zero set with an edge P -> Q is ``|Z_Q| P + |Z_P| Q`` (no
division; reduced by its gcd).

What is exact, and how it stays fast:

* **Signs are exact.**  Every sign comes from a float64 value with a
  rigorous error bound (a *certified filter*); a vertex whose value is
  within its bound is settled by exact integer arithmetic.
* **Maps are exact on demand.**  Each layer's float64 maps ``Mf`` and
  magnitudes ``Ma`` of every region come from the previous layer's by one
  BLAS product, with a proven relative error factor ``e_l``; the exact maps
  (:class:`~exactrelu._kernels.regionmaps.LayerMaps`) give exact rows
  ``M_l[R, j]`` where a sign is doubtful or a point is made exact, and the
  whole array only when the output (or an exact row of the next layer)
  needs it.
* **Vertices are exact on demand (2-D).**  Every edge of the planar
  subdivision lies on a *line* of a table: a domain constraint, or a unit's
  zero set on a region (float coefficients with error bounds; exact integer
  coefficients on demand).  A crossing is the intersection of two lines, so
  its float coordinates come from their homogeneous cross product
  ``(X, Y, W) = l1 x l2`` with a rigorous radius ``r`` (``|x - x*|_inf <= r``,
  from the coefficients' error bounds and the rounding; no error is inherited
  from the crossing's parents), and its exact column, the cross product of the
  two exact lines reduced by its gcd, is computed the first time anything
  needs it: a doubtful sign, the vertices, the output.  A count of regions
  thus does only the exact work its doubtful signs need.  Crossings that are
  not well conditioned (``|W|`` not clear of its error bound, or a large
  radius) are made exact at once, and so is every crossing in n-D and with
  ``use_filter=False`` (the tests check that all agree).

The error bound of a value: with ``e = 2 (e_l + (n + 4) u)`` (e_l the maps'
error factor, u = 2^-53), ``|fl(Mf . (x, 1)) - M . (x*, 1)| <= e Ma . (|x|, 1)
+ (1 + 4e) r sum_{i<n} (|Mf_i| + e Ma_i)``: the maps' error, the rounding of x
(u) and the dot product of length n+1 (gamma_{n+1}) with a factor 2 to
spare, and the radius r of a pending vertex (``|M_i| <= |Mf_i| + e Ma_i``
bounds the exact gradient).

The store also keeps, for every vertex, the exact *tight set*: the domain
constraints and the processed units whose value is zero there.  A constraint
tight at an interior point of an edge is tight on the whole edge (it has a
constant weak sign on the edge), so a crossing inherits the AND of its
endpoints' tight sets plus the unit that created it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import BudgetExceededError, ExactReluError
from .lines import sign
from .polytope import reduce_columns
from .regionmaps import LayerMaps, UNIT_ROUNDOFF, float_maps, next_error, to_floats

__all__ = ["MapStore"]

_U = UNIT_ROUNDOFF

#: A crossing stays lazy (float coordinates) while its radius is below this, relative to 1 + |x|_inf.
MAX_RADIUS = 1e-9


class MapStore:
    """Vertices (exact tight sets, float coordinates with radii, exact columns on demand) and region maps.

    See the module docstring for what is exact and how.  The interface used
    by the splitters: :meth:`start_layer`, :meth:`signs`, :meth:`add_crossings`,
    :meth:`mark_zero`, :meth:`end_layer`, :attr:`X`,
    :attr:`w`, :attr:`tight`, :attr:`N`, :attr:`K`.
    """

    def __init__(self, X: np.ndarray, w: np.ndarray, tight_domain: np.ndarray, units: int,
                 use_filter: bool = True, max_cells: int = 1 << 28, lines: np.ndarray | None = None):
        n, N = X.shape
        self.max_cells = max_cells
        self.layer = 1
        self.n = n
        self.N = N
        self.K = tight_domain.shape[0]
        cap = max(256, 2 * N)
        self.XW = np.zeros((n + 1, cap), dtype=object)
        self.XW[:n, :N] = X
        self.XW[n, :N] = w
        self.known = np.zeros(cap, dtype=bool)
        self.known[:N] = True
        self.xh = np.ones((n + 1, cap), dtype=np.float64)  # (x, 1); x correctly rounded where known
        self.xh[:n, :N] = (X / w[None, :]).astype(np.float64) if N else 0
        self.rad = np.zeros(cap)  # |x - x*|_inf <= rad beyond the rounding of x
        self.vreg = np.zeros(cap, dtype=np.int64)  # a region of the current layer holding the vertex
        # a pending (lazy) vertex is the intersection of two lines (ids into the line table)
        self.vl1, self.vl2 = np.zeros(cap, dtype=np.int64), np.zeros(cap, dtype=np.int64)
        self._init_lines(lines, n)
        self._tight = np.zeros((cap, self.K + units), dtype=bool)  # vertex-major: rows gather fast
        self._tight[:N, : self.K] = tight_domain.T
        self.use_filter = use_filter
        self.layers: list[LayerMaps] = []
        self._em = 0.0  # relative error factor of the current layer's float maps
        self.Mf = np.zeros((n + 1, 0, 0))  # (n+1) x regions x units
        self.Ma = np.zeros((n + 1, 0, 0))
        self.MB = np.zeros((0, n + 3, 0))  # regions x (Mf_0..Mf_n, sum Ma, G) x units
        self.zf = np.zeros((0, cap))  # units x vertices: float values ...
        self.zb = np.zeros((0, cap))  # ... and their error bounds
        self._eps = 0.0
        self._scratch = np.empty(cap)
        self.S = 1
        self._s: np.ndarray | None = None
        self.exact_evaluations = 0

    # ------------------------------------------------------------ storage
    @property
    def X(self) -> np.ndarray:
        """Exact numerators (n x N, Python ints); computes every pending vertex."""
        self.materialize(np.arange(self.N))
        return self.XW[: self.n, : self.N]

    @property
    def w(self) -> np.ndarray:
        """Exact denominators (N, Python ints); computes every pending vertex."""
        self.materialize(np.arange(self.N))
        return self.XW[self.n, : self.N]

    @property
    def tight(self) -> np.ndarray:
        """(K domain constraints + units) x vertices (capacity), True where the constraint is tight."""
        return self._tight.T

    def _check_layer(self, cells: int, what: str, layer: int) -> None:
        if cells > self.max_cells:
            raise BudgetExceededError(budget=self.max_cells, layer=layer, required=cells, name="max_cells",
                                      unit=what)

    def _check_cells(self, cells: int, what: str) -> None:
        self._check_layer(cells, what, self.layer)

    def _grow(self, extra: int) -> None:
        need = self.N + extra
        cap = self.XW.shape[1]
        if need <= cap:
            return
        cap = max(need, 4 * cap)
        self._check_cells(2 * cap * self.zf.shape[0], "floats of vertex values (vertices x units x 2)")
        N = self.N
        for name in ("XW", "xh", "zf", "zb"):
            old = getattr(self, name)
            new = np.ones((old.shape[0], cap), dtype=old.dtype) if name == "xh" else \
                np.zeros((old.shape[0], cap), dtype=old.dtype)
            new[:, :N] = old[:, :N]
            setattr(self, name, new)
        for name in ("known", "rad", "vreg", "vl1", "vl2", "_tight"):
            old = getattr(self, name)
            new = np.zeros((cap,) + old.shape[1:], dtype=old.dtype)
            new[:N] = old[:N]
            setattr(self, name, new)

    # ------------------------------------------------------------- layers
    def start_layer(self, W: list[list[int]], b: list[int], D: int, first: bool,
                    patterns: np.ndarray | None, anc: np.ndarray | None, vertex_region: np.ndarray) -> None:
        """Float maps and vertex values of layer l on every region of the complex so far.

        ``patterns`` (R x m_{l-1}, bool) and ``anc`` (R, each region's map id in
        layer l-1) describe the regions; ``vertex_region`` gives one region
        holding each vertex.  From now on the regions are the map ids.
        """
        n = self.n
        Wm = np.array(W, dtype=object).reshape(len(W), -1)
        bm = np.array(b, dtype=object)
        m, k = Wm.shape
        if first:
            M = np.zeros((m, n + 1), dtype=object)
            M[:, :n] = Wm
            M[:, n] = bm
            layer = LayerMaps(n, self.layer, self._check_layer, first=M)
            self.S = D
            Mf = to_floats(M).T[:, None, :]  # (n+1) x 1 x m, correctly rounded
            Ma = np.abs(Mf)
            self._em = 2 * _U
        else:
            assert patterns is not None and anc is not None
            bias = bm * self.S
            patterns, anc = np.array(patterns, dtype=bool), np.array(anc, dtype=np.int64)  # callers reuse theirs
            layer = LayerMaps(n, self.layer, self._check_layer, prev=self.layers[-1], W=Wm, bias=bias,
                              patterns=patterns, anc=anc)
            R = patterns.shape[0]
            self._check_cells(2 * R * max(m, k) * (n + 1), "floats of region maps (regions x units x (n+1) x 2)")
            Mf, Ma = float_maps(self.Mf, self.Ma, Wm, bias, patterns, anc)
            self._em = next_error(self._em, k)
            self.S = self.S * D
        eps = 2 * (self._em + (n + 4) * _U)
        self.layers.append(layer)
        self.Mf, self.Ma, self._eps = Mf, Ma, eps
        with np.errstate(invalid="ignore", over="ignore"):
            G = (np.abs(Mf[:n]) + eps * Ma[:n]).sum(axis=0)
            self.MB = np.concatenate([Mf, Ma.sum(axis=0)[None], G[None]]).transpose(1, 0, 2).copy()
        N = self.N
        self.vreg[:N] = vertex_region
        cap = self.XW.shape[1]
        self._check_cells(2 * cap * m, "floats of vertex values (vertices x units x 2)")
        self.zf = np.zeros((m, cap))
        self.zb = np.zeros((m, cap))
        self._values(slice(0, N))

    def _values(self, sl: slice | np.ndarray) -> None:
        """Float values and error bounds of every unit of the layer at the vertices ``sl``.

        One gather of the per-region rows ``(Mf_0..Mf_n, sum_i Ma_i, G)``, with
        ``G = sum_{i<n} |Mf_i| + e Ma_i`` (a bound on the exact gradient's
        1-norm): the bound is ``e max(1, |x|_inf) sum_i Ma_i + (1 + 4e) r G``
        (at least the one of the module docstring).
        """
        n, eps = self.n, self._eps
        rows = self.MB[self.vreg[sl]]  # c x (n+3) x m
        xh = self.xh[:, sl]
        wt = np.zeros((xh.shape[1], 2, n + 3))  # per vertex: (x, 1, 0, 0) for the value, (0, .., scale, r) its bound
        wt[:, 0, : n + 1] = xh.T
        with np.errstate(invalid="ignore", over="ignore"):  # inf maps leave every sign to the exact path
            wt[:, 1, n + 1] = eps * np.maximum(np.abs(xh[:n]).max(axis=0), 1.0)
            wt[:, 1, n + 2] = self.rad[sl] * (1 + 4 * eps)
            zz = np.matmul(wt, rows)  # c x 2 x m (huge maps give inf or 0 * inf = nan: caught below)
            z, mag = zz[:, 0], zz[:, 1]
            mag += 1e-300
            if not np.isfinite(zz).all():
                mag[~np.isfinite(mag) | ~np.isfinite(z)] = np.inf
        self.zf[:, sl] = z.T
        self.zb[:, sl] = mag.T

    def end_layer(self, D: int) -> None:
        """Nothing to do: the next layer's maps are built from the regions' patterns."""

    # -------------------------------------------------------------- lines
    def _init_lines(self, lines: np.ndarray | None, n: int) -> None:
        """The line table: domain constraints first (ids 0..K-1), then units' zero sets on regions."""
        K = 0 if lines is None else lines.shape[0]
        cap = max(64, 2 * K)
        self.lt = np.zeros((cap, n + 2))  # float coefficients, and a bound on each one's error
        self.lex = np.zeros((cap, n + 1), dtype=object)  # exact coefficients where known
        self.lknown = np.zeros(cap, dtype=bool)
        self.llayer, self.lrow, self.lreg = (np.zeros(cap, dtype=np.int64) for _ in range(3))
        if K:
            assert lines is not None
            self.lex[:K] = lines
            self.lknown[:K] = True
            self.lt[:K, : n + 1] = to_floats(lines)
            self.lt[:K, n + 1] = np.abs(self.lt[:K, : n + 1]).max(axis=1) * _U
        self.L = K

    def unit_lines(self, row: int, regs: np.ndarray) -> np.ndarray:
        """Register the zero sets of unit ``row`` of this layer on the regions ``regs``; returns their ids."""
        c = regs.size
        L = self.L
        if L + c > self.lt.shape[0]:
            cap = max(L + c, 4 * self.lt.shape[0])
            for name in ("lt", "lex", "lknown", "llayer", "lrow", "lreg"):
                old = getattr(self, name)
                new = np.zeros((cap,) + old.shape[1:], dtype=old.dtype)
                new[:L] = old[:L]
                setattr(self, name, new)
        sl = slice(L, L + c)
        n = self.n
        v = self.MB[regs, : n + 2, row]  # Mf_0..Mf_n and sum_i Ma_i: e sum_i Ma_i bounds every coefficient's error
        v[:, n + 1] *= self._eps
        self.lt[sl] = v
        self.llayer[sl], self.lrow[sl], self.lreg[sl] = len(self.layers) - 1, row, regs
        self.lknown[sl] = False
        self.L = L + c
        return np.arange(L, L + c, dtype=np.int64)

    def _exact_lines(self, ids: np.ndarray) -> np.ndarray:
        """Exact integer coefficients (object, len(ids) x (n+1)) of the lines ``ids``."""
        todo = np.unique(ids[~self.lknown[ids]])
        if todo.size:
            key = self.llayer[todo] * (1 << 32) + self.lrow[todo]
            order = np.argsort(key, kind="stable")
            todo, key = todo[order], key[order]
            for g in np.split(todo, np.flatnonzero(np.diff(key)) + 1):
                self.lex[g] = self.layers[int(self.llayer[g[0]])].rows(self.lreg[g], int(self.lrow[g[0]]))
            self.lknown[todo] = True
        return self.lex[ids]

    # ------------------------------------------------------------ columns
    def materialize(self, idx: np.ndarray) -> np.ndarray:
        """Exact columns of the pending vertices among ``idx``: cross products of their two exact lines.

        Returns the ids computed.
        """
        idx = np.unique(idx[~self.known[idx]])
        if idx.size == 0:
            return idx
        a = self._exact_lines(self.vl1[idx]).T
        b = self._exact_lines(self.vl2[idx]).T
        cols = np.array([a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]],
                        dtype=object)
        cols *= np.where(cols[2] < 0, -1, 1)[None, :].astype(object)
        if (cols[2] == 0).any():  # pragma: no cover - the two lines of a crossing are never parallel
            raise ExactReluError("internal error: a crossing of parallel lines")
        self.exact_evaluations += idx.size
        self._set_columns(idx, reduce_columns(cols))
        return idx

    def _set_columns(self, ids: np.ndarray, cols: np.ndarray) -> None:
        self.XW[:, ids] = cols
        self.xh[: self.n, ids] = (cols[: self.n] / cols[self.n][None, :]).astype(np.float64)
        self.rad[ids] = 0.0
        self.known[ids] = True

    def _exact(self, idx: np.ndarray, row: int) -> np.ndarray:
        """Exact integer Z (scale S w) of unit ``row`` of the current layer at vertices ``idx`` (object)."""
        self.exact_evaluations += idx.size
        if idx.size == 0:
            return np.zeros(0, dtype=object)
        done = self.materialize(idx)
        if done.size:
            self._values(done)  # their exact coordinates tighten the bounds for the next units
        coef = self.layers[-1].rows(self.vreg[idx], row)  # len(idx) x (n+1)
        return (coef.T * self.XW[:, idx]).sum(axis=0)

    def signs(self, row: int) -> np.ndarray:
        """Exact signs (int8) of unit ``row`` of the layer at every vertex."""
        N = self.N
        if not self.use_filter:
            s = sign(self._exact(np.arange(N), row))
            self._s = s
            return s
        z = self.zf[row, :N]
        if self._scratch.shape[0] < N:  # persistent: no vertex-sized float array is allocated per unit
            self._scratch = np.empty(self.XW.shape[1])
        sure = np.abs(z, out=self._scratch[:N]) > self.zb[row, :N]
        s = ((z > 0).astype(np.int8) - (z < 0).astype(np.int8)) * sure
        doubt = np.flatnonzero(~sure)
        if doubt.size:
            s[doubt] = sign(self._exact(doubt, row))
        self._s = s
        return s

    def add_crossings(self, P: np.ndarray, Q: np.ndarray, row: int, regs: np.ndarray | None = None,
                      lines: np.ndarray | None = None, unit_lines: np.ndarray | None = None) -> np.ndarray:
        """New vertices ``|Z_Q| P + |Z_P| Q`` on the edges (P[i], Q[i]) (exact signs of opposite sign at the ends).

        ``regs``: the map id of a region holding each edge.  ``lines`` (2-D):
        the line id of each edge, and ``unit_lines`` the id of the unit's zero
        set on each edge (from :meth:`unit_lines`; registered here if not
        given); a crossing is then the intersection of the
        edge's line with the unit's, and one whose float intersection is well
        conditioned waits for its exact column (see the module docstring).
        Without ``lines`` every crossing is computed exactly now.
        """
        c = P.size
        first = self.N
        if c == 0:
            return np.zeros(0, dtype=np.int64)
        assert regs is not None
        self._grow(c)
        ids = np.arange(first, first + c, dtype=np.int64)
        self._tight[ids] = self._tight[P] & self._tight[Q]
        self.vreg[ids] = regs
        self.N += c
        if lines is None or not self.use_filter:
            z = np.abs(self._exact(np.concatenate([Q, P]), row))  # makes pending ends exact first
            self._set_columns(ids, reduce_columns(z[None, :c] * self.XW[:, P] + z[None, c:] * self.XW[:, Q]))
        else:
            l1 = self.unit_lines(row, regs) if unit_lines is None else unit_lines
            self.vl1[ids], self.vl2[ids] = l1, lines
            self.known[ids] = False
            ok = self._float_crossings(ids, l1, lines)
            if not ok.all():
                self.materialize(ids[~ok])
        self._values(slice(first, first + c))
        return ids

    def _float_crossings(self, ids: np.ndarray, l1: np.ndarray, l2: np.ndarray) -> np.ndarray:
        """Float coordinates and radii of the pending 2-D vertices ``ids`` = lines ``l1`` x ``l2``.

        ``p = a x b = (X, Y, W)`` (homogeneous) for float coefficients with
        entrywise error bounds ``ea``, ``eb``: every component of p is a
        difference of two products, so its error is at most
        ``d = 2 ((|a| + ea) eb + ea |b|) + 4 u |a| |b|`` (max norms: the
        first-order terms, the product of the errors and the rounding of the
        products and of the difference); then ``|X*/W* - X/W| <= d (1 + |x|) /
        (|W| - d)`` plus the rounding of the quotient.  A vertex stays pending
        only if ``|W| > 4 d`` and its radius is below ``MAX_RADIUS (1 + |x|)``;
        returns False for the others.
        """
        La, Lb = self.lt[l1], self.lt[l2]  # c x 4: coefficients, error bound
        a, b = La[:, :3].T, Lb[:, :3].T
        I, J = [1, 2, 0], [2, 0, 1]  # p = a[I] b[J] - a[J] b[I] = (X, Y, W)
        with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
            na, nb = np.abs(a).max(axis=0), np.abs(b).max(axis=0)
            ea, eb = La[:, 3], Lb[:, 3]
            d = 2 * ((na + ea) * eb + ea * nb) + 4 * _U * na * nb
            X, Y, W = a[I] * b[J] - a[J] * b[I]
            aW = np.abs(W)
            x, y = X / W, Y / W
            big = np.maximum(np.abs(x), np.abs(y))
            r = (d * (1 + big) / (aW - d) + 2 * _U * big) * (1 + 1e-6) + 1e-300
            ok = (aW > 4 * d) & (r <= MAX_RADIUS * (1 + big))  # False for nan and inf
        keep = ids[ok]
        self.xh[0, keep], self.xh[1, keep] = x[ok], y[ok]
        self.rad[keep] = r[ok]
        return ok

    def mark_zero(self, unit_global: int, row: int, zeros: np.ndarray | None = None) -> None:
        """Record which vertices lie on the zero set of a processed unit (from the exact signs).

        ``zeros``: the caller knows they are exactly these vertices (the new
        crossings, when no old vertex had sign 0); the column is False elsewhere already.
        """
        if zeros is not None:
            self._tight[zeros, self.K + unit_global] = True
            return
        assert self._s is not None  # the signs of the vertices before the unit's crossings (which are zeros)
        zero = np.ones(self.N, dtype=bool)
        zero[: self._s.size] = self._s == 0
        self._tight[: self.N, self.K + unit_global] = zero
