"""Exact Fraction geometry for the region reference: small linear algebra, convex
polygons (Sutherland and Hodgman (1974), "Reentrant polygon clipping") and convex
polytopes as inequalities plus vertices with tight sets (the double description
method's adjacency test, Fukuda and Prodon (1996), Proposition 7).

No float anywhere; nothing imports exactrelu.
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable, Sequence

__all__ = [
    "Vec",
    "Polytope",
    "box_polytope",
    "clip_polygon",
    "order_ccw",
    "polygon_area",
    "dot",
    "affine_dim",
    "line_key",
    "plane_key",
]

F = Fraction
Vec = tuple[Fraction, ...]


# ------------------------------------------------------------------ linear algebra
def dot(a: Sequence[Fraction], b: Sequence[Fraction]) -> Fraction:
    return sum((x * y for x, y in zip(a, b)), F(0))


def _sub(a: Sequence[Fraction], b: Sequence[Fraction]) -> Vec:
    return tuple(x - y for x, y in zip(a, b))


def _rank(vectors: Iterable[Sequence[Fraction]]) -> int:
    """Rank of a list of Fraction vectors, by Gaussian elimination."""
    rows = [list(v) for v in vectors]
    rank = 0
    if not rows:
        return 0
    ncols = len(rows[0])
    for col in range(ncols):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        p = rows[rank]
        for i in range(rank + 1, len(rows)):
            if rows[i][col] != 0:
                factor = rows[i][col] / p[col]
                rows[i] = [x - factor * y for x, y in zip(rows[i], p)]
        rank += 1
    return rank


def affine_dim(points: Sequence[Vec]) -> int:
    """Dimension of the affine hull of a non-empty point list."""
    p0 = points[0]
    return _rank(_sub(p, p0) for p in points[1:])


def _det(rows: Sequence[Sequence[Fraction]]) -> Fraction:
    """Determinant by Gaussian elimination (exact)."""
    m = [list(r) for r in rows]
    n = len(m)
    det = F(1)
    for col in range(n):
        pivot = next((i for i in range(col, n) if m[i][col] != 0), None)
        if pivot is None:
            return F(0)
        if pivot != col:
            m[col], m[pivot] = m[pivot], m[col]
            det = -det
        det *= m[col][col]
        for i in range(col + 1, n):
            if m[i][col] != 0:
                factor = m[i][col] / m[col][col]
                m[i] = [x - factor * y for x, y in zip(m[i], m[col])]
    return det


def line_key(p: Vec, q: Vec) -> tuple[Vec, Vec, int]:
    """Canonical key of the line through p != q: (direction, base point, axis).

    The direction is scaled to have first non-zero entry 1; the base point is the
    line's point whose ``axis`` coordinate (that entry's index) is 0.
    """
    d = _sub(q, p)
    axis = next(i for i, v in enumerate(d) if v != 0)
    d = tuple(v / d[axis] for v in d)
    t = p[axis]
    base = tuple(pi - t * di for pi, di in zip(p, d))
    return d, base, axis


def plane_key(a: Vec, c: Fraction) -> tuple[Vec, Fraction]:
    """Canonical key of the hyperplane a.x + c = 0 (first non-zero of a scaled to 1)."""
    s = next(v for v in a if v != 0)
    return tuple(v / s for v in a), c / s


# ------------------------------------------------------------------ 2-D polygons
def _cross2(o: Vec, a: Vec, b: Vec) -> Fraction:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def _clean_polygon(points: list[Vec]) -> list[Vec]:
    """Drop repeated and collinear points of a cyclic point list (convex, ccw), one at a time."""
    pts = list(points)
    while len(pts) >= 3:
        n = len(pts)
        bad = next(
            (i for i in range(n)
             if pts[i] == pts[i - 1] or _cross2(pts[i - 1], pts[i], pts[(i + 1) % n]) == 0),
            None,
        )
        if bad is None:
            return pts
        del pts[bad]
    return []


def polygon_area(poly: Sequence[Vec]) -> Fraction:
    """Signed shoelace area (positive for counter-clockwise order)."""
    n = len(poly)
    twice = sum(
        (poly[i][0] * poly[(i + 1) % n][1] - poly[(i + 1) % n][0] * poly[i][1] for i in range(n)),
        F(0),
    )
    return twice / 2


def clip_polygon(poly: Sequence[Vec], g: Sequence[Fraction], h: Fraction) -> list[Vec]:
    """``poly`` intersected with the closed half-plane ``g.x + h >= 0`` (Sutherland-Hodgman)."""
    out: list[Vec] = []
    n = len(poly)
    for i in range(n):
        p, q = poly[i], poly[(i + 1) % n]
        zp, zq = dot(g, p) + h, dot(g, q) + h
        if zp >= 0:
            out.append(p)
        if (zp > 0 > zq) or (zp < 0 < zq):
            t = zp / (zp - zq)
            out.append(tuple(a + t * (b - a) for a, b in zip(p, q)))
    return _clean_polygon(out)


def order_ccw(points: Sequence[Vec]) -> list[Vec]:
    """Points in convex position, sorted counter-clockwise around their centroid."""
    pts = list(dict.fromkeys(points))
    cx = sum((p[0] for p in pts), F(0)) / len(pts)
    cy = sum((p[1] for p in pts), F(0)) / len(pts)

    def half(p: Vec) -> int:
        dx, dy = p[0] - cx, p[1] - cy
        return 0 if (dy > 0 or (dy == 0 and dx > 0)) else 1

    def cmp(a: Vec, b: Vec) -> int:
        ha, hb = half(a), half(b)
        if ha != hb:
            return ha - hb
        c = (a[0] - cx) * (b[1] - cy) - (a[1] - cy) * (b[0] - cx)
        return -1 if c > 0 else (1 if c < 0 else 0)

    return sorted(pts, key=functools.cmp_to_key(cmp))


# ------------------------------------------------------------------ n-D polytopes
@dataclass
class Polytope:
    """Inequalities ``a.x + c >= 0`` and vertices with their tight inequality sets."""

    constraints: list[tuple[Vec, Fraction]]
    vertices: list[Vec]
    tight: list[frozenset[int]]

    @property
    def dim(self) -> int:
        return len(self.vertices[0])

    def edges(self) -> list[tuple[int, int]]:
        n = self.dim
        result = []
        for i, j in itertools.combinations(range(len(self.vertices)), 2):
            common = self.tight[i] & self.tight[j]
            if len(common) >= n - 1 and _rank(self.constraints[k][0] for k in common) == n - 1:
                result.append((i, j))
        return result

    def cut(self, g: Vec, h: Fraction) -> "Polytope":
        """The part where ``g.x + h >= 0`` (assumed to have positive volume)."""
        k = len(self.constraints)
        z = [dot(g, v) + h for v in self.vertices]
        verts: list[Vec] = []
        tight: list[frozenset[int]] = []
        for v, t, zv in zip(self.vertices, self.tight, z):
            if zv >= 0:
                verts.append(v)
                tight.append(t | {k} if zv == 0 else t)
        for i, j in self.edges():
            zi, zj = z[i], z[j]
            if (zi > 0 > zj) or (zi < 0 < zj):
                u, v = self.vertices[i], self.vertices[j]
                s = zi / (zi - zj)
                verts.append(tuple(a + s * (b - a) for a, b in zip(u, v)))
                tight.append((self.tight[i] & self.tight[j]) | {k})
        return Polytope(self.constraints + [(g, h)], verts, tight)

    def facets(self) -> list[tuple[int, frozenset[int]]]:
        """(constraint index, vertex index set) of each facet, one per distinct facet."""
        n = self.dim
        seen: set[frozenset[int]] = set()
        result = []
        for j in range(len(self.constraints)):
            vs = frozenset(i for i, t in enumerate(self.tight) if j in t)
            if len(vs) >= n and vs not in seen:
                if affine_dim([self.vertices[i] for i in sorted(vs)]) == n - 1:
                    seen.add(vs)
                    result.append((j, vs))
        return result

    def volume(self) -> Fraction:
        n = self.dim
        total = F(0)
        for simplex in self._triangulate(frozenset(range(len(self.vertices))), n):
            p0 = self.vertices[simplex[0]]
            total += abs(_det([_sub(self.vertices[i], p0) for i in simplex[1:]]))
        return total / math.factorial(n)

    def _triangulate(self, face: frozenset[int], d: int) -> list[list[int]]:
        """Pulling triangulation of a face (vertex index set of affine dimension d)."""
        if d == 0:
            return [[min(face)]]
        v0 = min(face)
        result: list[list[int]] = []
        seen: set[frozenset[int]] = set()
        for j in range(len(self.constraints)):
            sub = frozenset(i for i in face if j in self.tight[i])
            if v0 in sub or len(sub) < d or sub in seen:
                continue
            if affine_dim([self.vertices[i] for i in sorted(sub)]) == d - 1:
                seen.add(sub)
                for simplex in self._triangulate(sub, d - 1):
                    result.append([v0, *simplex])
        return result


def box_polytope(box: Sequence[tuple[Fraction, Fraction]]) -> Polytope:
    n = len(box)
    constraints: list[tuple[Vec, Fraction]] = []
    for i, (lo, hi) in enumerate(box):
        e = tuple(F(1) if k == i else F(0) for k in range(n))
        constraints.append((e, -lo))  # x_i - lo >= 0   (index 2i)
        constraints.append((tuple(-v for v in e), hi))  # hi - x_i >= 0  (index 2i+1)
    verts, tight = [], []
    for choice in itertools.product((0, 1), repeat=n):
        verts.append(tuple(box[i][c] for i, c in enumerate(choice)))
        tight.append(frozenset(2 * i + c for i, c in enumerate(choice)))
    return Polytope(constraints, verts, tight)
