"""Incremental splitting of convex polytopes by exact vertex signs, any dimension."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from ..errors import BudgetExceededError

__all__ = ["CellComplex", "cut_edges"]


@functools.lru_cache(maxsize=256)
def _pairs(k: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.triu_indices(k, 1)``, cached (cut faces have few vertices, and the same sizes recur)."""
    iu, ju = np.triu_indices(k, 1)
    iu.flags.writeable = ju.flags.writeable = False
    return iu, ju


def cut_edges(verts: np.ndarray, tight: np.ndarray) -> list[tuple[int, int]]:
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
    iu, ju = _pairs(k)
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
    adjacency test on the exact tight sets (:func:`cut_edges`).  Nothing
    assumes general position: zeros at vertices, hyperplanes through edges or
    faces, duplicated units all follow from the exact signs.
    """

    def __init__(self, store: Any, verts: np.ndarray, edges: list[tuple[int, int]],
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
            cut = cut_edges(zero, tight)
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
