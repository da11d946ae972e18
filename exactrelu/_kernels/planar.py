"""The planar subdivision split unit by unit (private): the 2-D fast path.

This is regioncam's algorithm (a planar subdivision refined by one unit's zero
set at a time, layer by layer) on exact integer columns
(:class:`exactrelu._kernels.polytope.ColumnStore`), vectorised over every
face and edge at once.

Data: global edges ``(ev0, ev1)``; *corners* (one per face and boundary
vertex, in the face's counter-clockwise order) with vertex ``cv``, face
``cf``, next corner ``cnext`` and the edge ``ce`` from ``cv[k]`` to
``cv[cnext[k]]``.  Faces are convex; collinear boundary vertices are kept.

One unit, with exact vertex signs ``s``:

1. every edge with ``s[P] * s[Q] < 0`` gets the crossing ``|Z_Q| P + |Z_P| Q``,
   shared by the two faces of the edge; the corner is split in two;
2. a face is split iff it has a vertex with s > 0 and one with s < 0; then
   its cycle has exactly two zero corners (a line meets the boundary of a
   convex polygon it crosses in two points) ``za`` (followed by a negative
   vertex) and ``zb`` (followed by a positive one); the cut edge
   ``za -> zb`` closes the positive face (which keeps the face id) and
   ``zb -> za`` the negative face.  No corner is re-sorted.

Zeros at existing vertices (a line through a vertex or a corner of the box,
or along an edge) need no special case: such vertices simply become the cut's
end points or the face is not split.
"""

from __future__ import annotations

import numpy as np

from ..errors import BudgetExceededError, ExactReluError
from .polytope import ColumnStore, MapStore

__all__: list[str] = []


class PlanarSubdivision:
    """A convex polygon subdivided into convex faces; see the module docstring."""

    def __init__(self, store: ColumnStore | MapStore, cycle: list[int], units: int, max_regions: int):
        k = len(cycle)
        self.store = store
        self.ev0 = np.array(cycle, dtype=np.int64)
        self.ev1 = np.roll(self.ev0, -1)
        self.cv = self.ev0.copy()
        self.cf = np.zeros(k, dtype=np.int64)
        self.cnext = np.roll(np.arange(k, dtype=np.int64), -1)
        self.ce = np.arange(k, dtype=np.int64)
        self.F = 1
        self.anc = np.zeros(1, dtype=np.int64)
        self.pattern = np.zeros((1, units), dtype=bool)
        self.max_regions = max_regions

    def split(self, row: int, unit_global: int, layer: int) -> None:
        store = self.store
        s = store.signs(row)
        F = self.F
        cv, cf = self.cv, self.cf
        sc = s[cv]
        pos = np.zeros(F, dtype=bool)
        neg = np.zeros(F, dtype=bool)
        pos[cf[sc > 0]] = True
        neg[cf[sc < 0]] = True
        split = pos & neg
        sf = np.flatnonzero(split)
        nsplit = sf.size
        if F + nsplit > self.max_regions:
            raise BudgetExceededError(budget=self.max_regions, layer=layer, required=F + nsplit,
                                      name="max_regions", unit="activation regions")
        self.pattern[:, unit_global] = pos
        if nsplit == 0:
            store.mark_zero(unit_global, row)
            return
        ev0, ev1 = self.ev0, self.ev1
        E = ev0.size
        ex = np.flatnonzero((s[ev0] * s[ev1]) < 0)
        c = ex.size
        cnext, ce = self.cnext, self.ce
        where = np.full(E, -1, dtype=np.int64)
        where[ex] = np.arange(c)
        k = np.flatnonzero(where[ce] >= 0)
        idx = where[ce[k]]
        regs = np.zeros(c, dtype=np.int64)
        regs[idx] = self.anc[cf[k]]
        newv = store.add_crossings(ev0[ex], ev1[ex], row, regs)
        store.mark_zero(unit_global, row)
        s = np.concatenate([s, np.zeros(c, dtype=s.dtype)])
        C = cv.size
        if c:
            # edges: e keeps (P, new), e' = (new, Q)
            ev0 = np.concatenate([ev0, newv])
            ev1 = np.concatenate([ev1, ev1[ex]])
            ev1[ex] = newv
            forward = cv[k] == ev0[ce[k]]
            e_new = E + idx
            kk = C + np.arange(k.size, dtype=np.int64)
            cv = np.concatenate([cv, newv[idx]])
            cf = np.concatenate([cf, cf[k]])
            cnext = np.concatenate([cnext, cnext[k]])
            ce = np.concatenate([ce, np.where(forward, e_new, ce[k])])
            ce[k] = np.where(forward, ce[k], e_new)
            cnext[k] = kk
            C = cv.size
        E2 = ev0.size
        sc = s[cv]
        insplit = split[cf]
        zc = np.flatnonzero((sc == 0) & insplit)
        nxt = sc[cnext[zc]]
        za_all, zb_all = zc[nxt < 0], zc[nxt > 0]
        if za_all.size != nsplit or zb_all.size != nsplit:
            raise ExactReluError("internal error: a split face does not have exactly two cut points")
        za_of = np.empty(F, dtype=np.int64)
        zb_of = np.empty(F, dtype=np.int64)
        za_of[cf[za_all]] = za_all
        zb_of[cf[zb_all]] = zb_all
        za, zb = za_of[sf], zb_of[sf]
        nf = F + np.arange(nsplit, dtype=np.int64)
        newface = np.full(F, -1, dtype=np.int64)
        newface[sf] = nf
        m = np.flatnonzero((sc < 0) & insplit)
        cf[m] = newface[cf[m]]
        zbA = C + np.arange(nsplit, dtype=np.int64)
        zaB = C + nsplit + np.arange(nsplit, dtype=np.int64)
        cut = E2 + np.arange(nsplit, dtype=np.int64)
        cv = np.concatenate([cv, cv[zb], cv[za]])
        cf = np.concatenate([cf, sf, nf])
        cnext = np.concatenate([cnext, cnext[zb], cnext[za]])
        ce = np.concatenate([ce, ce[zb], ce[za]])
        ev0 = np.concatenate([ev0, cv[za]])
        ev1 = np.concatenate([ev1, cv[zb]])
        cnext[za] = zbA
        ce[za] = cut
        cnext[zb] = zaB
        ce[zb] = cut
        cf[zb] = nf
        self.cv, self.cf, self.cnext, self.ce = cv, cf, cnext, ce
        self.ev0, self.ev1 = ev0, ev1
        rows = self.pattern[sf]
        rows[:, unit_global] = False
        self.pattern = np.vstack([self.pattern, rows])
        self.anc = np.concatenate([self.anc, self.anc[sf]])
        self.F = F + nsplit

    def vertex_region(self, N: int) -> np.ndarray:
        """One face holding each vertex."""
        out = np.zeros(N, dtype=np.int64)
        out[self.cv] = self.cf
        return out

    # --------------------------------------------------------------- output
    def face_cycles(self) -> list[list[int]]:
        """Every face's vertex ids in counter-clockwise order."""
        cv, cf, cnext = self.cv, self.cf, self.cnext
        start = np.full(self.F, -1, dtype=np.int64)
        start[cf[::-1]] = np.arange(cf.size - 1, -1, -1)
        nxt = cnext.tolist()
        verts = cv.tolist()
        cycles = []
        for f in range(self.F):
            k0 = int(start[f])
            cyc = [verts[k0]]
            k = nxt[k0]
            while k != k0:
                cyc.append(verts[k])
                k = nxt[k]
            cycles.append(cyc)
        return cycles

    def adjacency(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(face_a, face_b, edge) for every interior edge (an edge with two corners)."""
        order = np.argsort(self.ce, kind="stable")
        e = self.ce[order]
        f = self.cf[order]
        same = np.flatnonzero(e[1:] == e[:-1])
        return f[same], f[same + 1], e[same]
