"""The planar subdivision split unit by unit (private): the 2-D fast path.

This is regioncam's algorithm (a planar subdivision refined by one unit's zero
set at a time, layer by layer) on exact integer columns
(:class:`exactrelu._kernels.mapstore.MapStore`, or the column store of :mod:`exactrelu.polyhedral`), vectorised over every
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

from typing import Any

import numpy as np

from ..errors import BudgetExceededError, ExactReluError

__all__: list[str] = []


class PlanarSubdivision:
    """A convex polygon subdivided into convex faces; see the module docstring."""

    def __init__(self, store: Any, cycle: list[int], units: int, max_regions: int):
        k = len(cycle)
        self.store = store
        cap = 64
        self._ev0 = np.zeros(cap, dtype=np.int64)
        self._ev1 = np.zeros(cap, dtype=np.int64)
        self._cv = np.zeros(cap, dtype=np.int64)
        self._cf = np.zeros(cap, dtype=np.int64)
        self._cnext = np.zeros(cap, dtype=np.int64)
        self._ce = np.zeros(cap, dtype=np.int64)
        self._eline = np.zeros(cap, dtype=np.int64)  # the store's line id of each edge
        self._eline[:k] = self._boundary_lines(store, cycle)
        self._ev0[:k] = cycle
        self._ev1[:k] = np.roll(np.array(cycle, dtype=np.int64), -1)
        self._cv[:k] = cycle
        self._cnext[:k] = np.roll(np.arange(k, dtype=np.int64), -1)
        self._ce[:k] = np.arange(k)
        self.C = self.E = k
        self.F = 1
        self._anc = np.zeros(cap, dtype=np.int64)
        self._fcorner = np.zeros(cap, dtype=np.int64)  # a corner of each face
        self._where = np.full(cap, -1, dtype=np.int64)  # scratch buffers of split (see there)
        self._cross = np.zeros(cap, dtype=bool)
        self._pat = np.zeros((cap, units), dtype=bool)
        self.max_regions = max_regions

    @staticmethod
    def _boundary_lines(store: Any, cycle: list[int]) -> np.ndarray:
        """For each boundary edge, a domain constraint tight at both ends (its line in the store)."""
        T = store.tight[: store.K]
        P = np.array(cycle, dtype=np.int64)
        both = T[:, P] & T[:, np.roll(P, -1)]
        if not both.any(axis=0).all():  # pragma: no cover - a polygon's edge lies on a constraint
            raise ExactReluError("internal error: a boundary edge on no constraint")
        return np.argmax(both, axis=0)

    # capacity-managed arrays; the public names are views of the used part
    @property
    def cv(self) -> np.ndarray:
        return self._cv[: self.C]

    @property
    def cf(self) -> np.ndarray:
        return self._cf[: self.C]

    @property
    def cnext(self) -> np.ndarray:
        return self._cnext[: self.C]

    @property
    def ce(self) -> np.ndarray:
        return self._ce[: self.C]

    @property
    def ev0(self) -> np.ndarray:
        return self._ev0[: self.E]

    @property
    def ev1(self) -> np.ndarray:
        return self._ev1[: self.E]

    @property
    def pattern(self) -> np.ndarray:
        return self._pat[: self.F]

    @property
    def anc(self) -> np.ndarray:
        return self._anc[: self.F]

    @anc.setter
    def anc(self, value: np.ndarray) -> None:
        self._anc[: self.F] = value

    def _ensure(self, C: int, E: int, F: int) -> None:
        if C <= self._cv.shape[0] and E <= self._ev0.shape[0] and F <= self._anc.shape[0]:
            return

        def grown(a: np.ndarray, need: int) -> np.ndarray:
            if need <= a.shape[0]:
                return a
            out = np.zeros((max(need, 2 * a.shape[0]),) + a.shape[1:], dtype=a.dtype)
            out[: a.shape[0]] = a
            return out

        self._cv, self._cf = grown(self._cv, C), grown(self._cf, C)
        self._cnext, self._ce = grown(self._cnext, C), grown(self._ce, C)
        self._ev0, self._ev1, self._eline = grown(self._ev0, E), grown(self._ev1, E), grown(self._eline, E)
        self._anc, self._pat, self._fcorner = grown(self._anc, F), grown(self._pat, F), grown(self._fcorner, F)

    def split(self, row: int, unit_global: int, layer: int) -> None:
        store = self.store
        s = store.signs(row)
        F, C, E = self.F, self.C, self.E
        cv, cf, ce = self._cv[:C], self._cf[:C], self._ce[:C]
        ev0, ev1 = self._ev0[:E], self._ev1[:E]
        ex = np.flatnonzero((s[ev0] * s[ev1]) < 0)
        c = ex.size
        zero = not s.all()  # a vertex on the unit's zero set: the general path
        if zero:
            sc = s[cv]
            pos = np.zeros(F, dtype=bool)
            neg = np.zeros(F, dtype=bool)
            pos[cf[sc > 0]] = True
            neg[cf[sc < 0]] = True
            split = pos & neg
        else:
            # no zeros: a face is split iff it has a crossing edge; the others have one sign throughout
            pos = s[cv[self._fcorner[:F]]] > 0
            split = np.zeros(F, dtype=bool)
        # the crossing of each crossing edge (-1 elsewhere): a persistent buffer, reset after use, so that
        # no edge-sized array is allocated per unit (freeing and re-mapping large blocks costs page faults)
        if self._where.shape[0] < E:
            self._where = np.full(max(E, 2 * self._where.shape[0]), -1, dtype=np.int64)
            self._cross = np.zeros(self._where.shape[0], dtype=bool)
        where, cross = self._where, self._cross
        where[ex] = np.arange(c)
        cross[ex] = True
        k = np.flatnonzero(cross[ce]) if c else np.zeros(0, dtype=np.int64)
        if not zero:
            split[cf[k]] = True
            pos |= split
        sf = np.flatnonzero(split)
        nsplit = sf.size
        if F + nsplit > self.max_regions:
            raise BudgetExceededError(budget=self.max_regions, layer=layer, required=F + nsplit,
                                      name="max_regions", unit="activation regions")
        self._pat[:F, unit_global] = pos
        if nsplit == 0:
            where[ex] = -1
            cross[ex] = False
            store.mark_zero(unit_global, row, None if zero else np.zeros(0, dtype=np.int64))
            return
        idx = where[ce[k]]
        where[ex] = -1
        cross[ex] = False
        fk = cf[k]
        regs = np.empty(c, dtype=np.int64)  # every crossing edge has a corner in k
        regs[idx] = self._anc[fk]
        face_line = np.empty(F, dtype=np.int64)  # the unit's zero set on each split face: its cut edge's line
        face_line[sf] = store.unit_lines(row, self._anc[sf])
        l1 = np.empty(c, dtype=np.int64)
        l1[idx] = face_line[fk]
        P, Q = ev0[ex], ev1[ex]
        newv = store.add_crossings(P, Q, row, regs, self._eline[ex], l1)
        store.mark_zero(unit_global, row, None if zero else newv)
        s = np.concatenate([s, np.zeros(c, dtype=s.dtype)])
        C0 = C
        self._ensure(C + k.size + 2 * nsplit, E + c + nsplit, F + nsplit)
        if c:
            # edges: e keeps (P, new), e' = (new, Q)
            self._ev0[E:E + c] = newv
            self._ev1[E:E + c] = Q
            self._eline[E:E + c] = self._eline[ex]
            self._ev1[ex] = newv
            ce_k = self._ce[k]
            forward = self._cv[k] == self._ev0[ce_k]
            e_new = E + idx
            kk = C + np.arange(k.size, dtype=np.int64)
            sl = slice(C, C + k.size)
            self._cv[sl] = newv[idx]
            self._cf[sl] = self._cf[k]
            self._cnext[sl] = self._cnext[k]
            self._ce[sl] = np.where(forward, e_new, ce_k)
            self._ce[k] = np.where(forward, ce_k, e_new)
            self._cnext[k] = kk
            C += k.size
            E += c
        cv, cf, cnext, ce = self._cv[:C], self._cf[:C], self._cnext[:C], self._ce[:C]
        sc = s[cv]
        insplit = split[cf]
        # the cut points: with no zeros before this unit, exactly the new corners
        zc = np.flatnonzero((sc == 0) & insplit) if zero else np.arange(C0, C, dtype=np.int64)
        nxt = sc[cnext[zc]]
        za_all, zb_all = zc[nxt < 0], zc[nxt > 0]
        if za_all.size != nsplit or zb_all.size != nsplit:
            raise ExactReluError("internal error: a split face does not have exactly two cut points")
        za = za_all[np.argsort(cf[za_all])]  # aligned with sf (ascending, one cut point of each kind per face)
        zb = zb_all[np.argsort(cf[zb_all])]
        nf = F + np.arange(nsplit, dtype=np.int64)
        newface = np.full(F, -1, dtype=np.int64)
        newface[sf] = nf
        m = np.flatnonzero((sc < 0) & insplit)
        cf[m] = newface[cf[m]]
        zbA = C + np.arange(nsplit, dtype=np.int64)
        zaB = C + nsplit + np.arange(nsplit, dtype=np.int64)
        cut = E + np.arange(nsplit, dtype=np.int64)
        self._cv[C:C + nsplit], self._cv[C + nsplit:C + 2 * nsplit] = cv[zb], cv[za]
        self._cf[C:C + nsplit], self._cf[C + nsplit:C + 2 * nsplit] = sf, nf
        self._cnext[C:C + nsplit], self._cnext[C + nsplit:C + 2 * nsplit] = cnext[zb], cnext[za]
        self._ce[C:C + nsplit], self._ce[C + nsplit:C + 2 * nsplit] = ce[zb], ce[za]
        self._ev0[E:E + nsplit] = cv[za]
        self._ev1[E:E + nsplit] = cv[zb]
        self._eline[E:E + nsplit] = face_line[sf]
        cnext[za] = zbA
        ce[za] = cut
        cnext[zb] = zaB
        ce[zb] = cut
        cf[zb] = nf
        self._pat[F:F + nsplit] = self._pat[sf]
        self._pat[F:F + nsplit, unit_global] = False
        self._anc[F:F + nsplit] = self._anc[sf]
        self._fcorner[sf] = zbA
        self._fcorner[F:F + nsplit] = zaB
        self.C = C + 2 * nsplit
        self.E = E + nsplit
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
