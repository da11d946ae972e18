"""Exact geometry behind exact ERM in input dimension n (Arora et al. 2018, Algorithm 1).

* :func:`hyperplane_partitions` - every set P+ = {j : <a, x_j> + b >= 0} over (a, b): the
  sign vectors of the chambers of the central arrangement {(a, b) : <(x_j, 1), (a, b)> = 0}
  in R^{n+1} (a face's P+ is that of the chamber reached by increasing b), found by a
  breadth-first walk over chambers, flipping one hyperplane at a time and testing each
  open cone for non-emptiness with the exact simplex (:func:`._exact_opt.linprog`).
* :func:`cone_generators` - generators of the polyhedral cone {z : G z <= 0}: a basis of its
  lineality space (both signs) and its extreme rays (one-dimensional solutions of rank - 1
  tight rows inside the lineality's orthogonal complement).
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations
from typing import Sequence

from ._common import budget_error
from ...linalg import nullspace, rank
from ._exact_opt import linprog

__all__ = ["hyperplane_partitions", "cone_generators"]

_ZERO = Fraction(0)
Vec = tuple[Fraction, ...]


def _open_cone_nonempty(normals: Sequence[Vec], signs: Sequence[int]) -> bool:
    """Is {z : s_j <n_j, z> > 0 for all j} non-empty?  Exactly: is {s_j <n_j, z> >= 1} feasible?"""
    d = len(normals[0])
    # z = u - v with u, v >= 0:  -s_j <n_j, u - v> <= -1
    A = [[-s * v for v in n] + [s * v for v in n] for n, s in zip(normals, signs)]
    try:
        linprog([_ZERO] * (2 * d), A, [Fraction(-1)] * len(normals))
    except ValueError:
        return False
    return True


def hyperplane_partitions(points: Sequence[Sequence[Fraction]], *, max_chambers: int = 100_000) -> list[frozenset[int]]:
    """All sets {j : <a, x_j> + b >= 0} over (a, b) in R^{n+1}, for points x_j in R^n."""
    pts = [tuple(p) for p in points]
    uniq = sorted(set(pts))
    groups = [frozenset(j for j, p in enumerate(pts) if p == u) for u in uniq]
    normals = [tuple(list(u) + [Fraction(1)]) for u in uniq]
    start = tuple([1] * len(uniq))  # (a, b) = (0, 1)
    seen = {start}
    queue = [start]
    while queue:
        signs = queue.pop()
        for j in range(len(uniq)):
            flipped = signs[:j] + (-signs[j],) + signs[j + 1:]
            if flipped in seen:
                continue
            if _open_cone_nonempty(normals, flipped):
                seen.add(flipped)
                if len(seen) > max_chambers:
                    raise budget_error("max_chambers", max_chambers, len(seen), "chambers")
                queue.append(flipped)
    out = set()
    for signs in seen:
        out.add(frozenset().union(*[g for g, s in zip(groups, signs) if s > 0]))
    return sorted(out, key=lambda s: (len(s), sorted(s)))


def cone_generators(G: Sequence[Sequence[Fraction]], d: int) -> list[Vec]:
    """Generators of {z in R^d : G z <= 0} (lineality basis with both signs, then extreme rays)."""
    rows = [tuple(r) for r in G]
    if not rows:
        basis = [tuple(Fraction(int(i == j)) for j in range(d)) for i in range(d)]
        return sorted(set(basis + [tuple(-v for v in b) for b in basis]))
    lineality = nullspace(rows, d)
    gens = set(lineality) | {tuple(-v for v in b) for b in lineality}
    r = rank(rows, d)
    for subset in combinations(range(len(rows)), r - 1):
        tight = [rows[i] for i in subset] + list(lineality)
        sol = nullspace(tight, d)
        if len(sol) != 1:
            continue
        first = next(abs(v) for v in sol[0] if v != 0)
        for sign in (1, -1):
            z = tuple(sign * v / first for v in sol[0])
            if all(sum((a * b for a, b in zip(row, z)), _ZERO) <= 0 for row in rows):
                gens.add(z)
    return sorted(gens)
