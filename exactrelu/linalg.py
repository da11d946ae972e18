"""Small exact linear algebra over Fractions: one copy for the whole package.

Row reduction, rank, solving, kernels, affine fits, determinants and simplex
volumes, all in exact rational arithmetic (no pivoting by size is needed:
every nonzero pivot is exact).  Used by the region complex
(:mod:`exactrelu.polyhedral`), its theorems and exact ERM
(:mod:`exactrelu.theorems.arora.erm`).
"""

from __future__ import annotations

from fractions import Fraction
from math import factorial
from typing import Sequence

__all__ = ["rref", "solve", "rank", "affine_fit", "simplex_volume", "kernel_vector", "nullspace", "determinant", "clip_segment"]

Vec = Sequence[Fraction]


def rref(rows: Sequence[Sequence[Fraction]], ncols: int | None = None) -> tuple[list[list[Fraction]], list[int]]:
    """Reduced row echelon form and the pivot columns (``ncols`` for an empty matrix's width).

    >>> rref([[Fraction(2), Fraction(4)], [Fraction(1), Fraction(3)]])[1]
    [0, 1]
    """
    m = [list(r) for r in rows]
    pivots: list[int] = []
    if not m:
        return m, pivots
    ncols = len(m[0]) if ncols is None else ncols
    r = 0
    for c in range(ncols):
        p = next((i for i in range(r, len(m)) if m[i][c] != 0), None)
        if p is None:
            continue
        m[r], m[p] = m[p], m[r]
        piv = m[r][c]
        m[r] = [v / piv for v in m[r]]
        for i in range(len(m)):
            if i != r and m[i][c] != 0:
                f = m[i][c]
                m[i] = [a - f * b for a, b in zip(m[i], m[r])]
        pivots.append(c)
        r += 1
        if r == len(m):
            break
    return m, pivots


def rank(rows: Sequence[Sequence[Fraction]], ncols: int | None = None) -> int:
    """The rank of a matrix given by its rows."""
    return len(rref(rows, ncols)[1])


def nullspace(rows: Sequence[Sequence[Fraction]], ncols: int) -> list[tuple[Fraction, ...]]:
    """A basis of ``{z : rows z = 0}`` in R^ncols (exact)."""
    red, pivots = rref(rows, ncols)
    basis = []
    for f in (c for c in range(ncols) if c not in pivots):
        z = [Fraction(0)] * ncols
        z[f] = Fraction(1)
        for row, p in zip(red, pivots):
            z[p] = -row[f]
        basis.append(tuple(z))
    return basis


def solve(A: list[list[Fraction]], b: list[Fraction]) -> list[Fraction] | None:
    """The unique solution of the square system ``A x = b``, or None if A is singular."""
    n = len(A)
    m, piv = rref([list(A[i]) + [b[i]] for i in range(n)])
    if piv[:n] != list(range(n)) or len(piv) > n:
        return None
    return [m[i][n] for i in range(n)]


def kernel_vector(A: list[list[Fraction]], n: int) -> list[Fraction] | None:
    """A nonzero vector spanning ker(A) when it is one-dimensional, else None."""
    m, piv = rref(A) if A else ([], [])
    free = [c for c in range(n) if c not in piv]
    if len(free) != 1:
        return None
    f = free[0]
    x = [Fraction(0)] * n
    x[f] = Fraction(1)
    for row, c in zip(m, piv):
        x[c] = -row[f]
    return x


def affine_fit(points: Sequence[Vec], values: Sequence[Fraction]) -> tuple[tuple[Fraction, ...], Fraction]:
    """The affine map ``g . x + c`` through ``(points[i], values[i])`` (points span R^d affinely)."""
    d = len(points[0])
    rows = [list(p) + [Fraction(1), v] for p, v in zip(points, values)]
    m, piv = rref(rows)
    if piv[: d + 1] != list(range(d + 1)):
        raise ValueError("points do not span the space affinely")
    sol = [m[i][d + 1] for i in range(d + 1)]
    return tuple(sol[:d]), sol[d]


def determinant(M: Sequence[Sequence[Fraction]]) -> Fraction:
    """The determinant of a square matrix, by exact elimination."""
    m = [list(r) for r in M]
    n = len(m)
    det = Fraction(1)
    for c in range(n):
        p = next((i for i in range(c, n) if m[i][c] != 0), None)
        if p is None:
            return Fraction(0)
        if p != c:
            m[c], m[p] = m[p], m[c]
            det = -det
        det *= m[c][c]
        for i in range(c + 1, n):
            if m[i][c] != 0:
                f = m[i][c] / m[c][c]
                m[i] = [a - f * b for a, b in zip(m[i], m[c])]
    return det


def simplex_volume(points: Sequence[Vec]) -> Fraction:
    """Volume of the d-simplex with d+1 vertices in R^d."""
    p0 = points[0]
    d = len(p0)
    M = [[p[i] - p0[i] for i in range(d)] for p in points[1:]]
    return abs(determinant(M)) / factorial(d)


def clip_segment(polygon: Sequence[Sequence[Fraction]], p: Sequence[Fraction],
                 q: Sequence[Fraction]) -> tuple[Fraction, Fraction] | None:
    """The parameter interval ``(t0, t1)``, ``t0 < t1``, of the segment ``p + t (q - p)``, t in [0, 1],
    inside a convex polygon given by its vertices in counter-clockwise order; None if it meets it
    in at most a point.

    >>> F = Fraction
    >>> square = [(F(0), F(0)), (F(1), F(0)), (F(1), F(1)), (F(0), F(1))]
    >>> clip_segment(square, (F(-1), F(1, 2)), (F(3), F(1, 2)))
    (Fraction(1, 4), Fraction(1, 2))
    """
    lo, hi = Fraction(0), Fraction(1)
    for a, b in zip(polygon, list(polygon[1:]) + [polygon[0]]):
        ex, ey = b[0] - a[0], b[1] - a[1]
        c0 = ex * (p[1] - a[1]) - ey * (p[0] - a[0])  # need c0 + t c1 >= 0 (left of edge a -> b)
        c1 = ex * (q[1] - p[1]) - ey * (q[0] - p[0])
        if c1 == 0:
            if c0 < 0:
                return None
        elif c1 > 0:
            lo = max(lo, -c0 / c1)
        else:
            hi = min(hi, -c0 / c1)
    return (lo, hi) if lo < hi else None
