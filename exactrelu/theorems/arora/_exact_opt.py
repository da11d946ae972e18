"""Exact rational solvers behind :mod:`exactrelu.theorems.arora.erm`.

* :func:`nnls` - min ||V lam - y||^2 over lam >= 0 (the projection of y onto a finitely
  generated cone), by the Lawson-Hanson active-set method in exact arithmetic, with a
  KKT certificate checked exactly (:func:`nnls_certificate_holds`).
* :func:`linprog` - min c^T z s.t. A z <= b, z >= 0, by a two-phase tableau simplex with
  Bland's rule over Fractions; returns a dual vector so that optimality is certified by
  strong duality (:func:`lp_certificate_holds`).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

__all__ = ["NNLSResult", "nnls", "nnls_certificate_holds", "LPResult", "linprog", "lp_certificate_holds", "solve"]

_ZERO = Fraction(0)
Vec = list[Fraction]


def _dot(a: Sequence[Fraction], b: Sequence[Fraction]) -> Fraction:
    return sum((x * y for x, y in zip(a, b)), _ZERO)


def solve(matrix: list[Vec], rhs: Vec) -> Vec:
    """Solve a square nonsingular system exactly (Gauss-Jordan); ValueError if singular."""
    n = len(matrix)
    aug = [list(row) + [r] for row, r in zip(matrix, rhs)]
    for col in range(n):
        pivot = next((i for i in range(col, n) if aug[i][col] != 0), None)
        if pivot is None:
            raise ValueError("singular system")
        aug[col], aug[pivot] = aug[pivot], aug[col]
        p = aug[col][col]
        aug[col] = [v / p for v in aug[col]]
        for i in range(n):
            if i != col and aug[i][col] != 0:
                f = aug[i][col]
                aug[i] = [a - f * b for a, b in zip(aug[i], aug[col])]
    return [aug[i][n] for i in range(n)]


@dataclass(frozen=True)
class NNLSResult:
    lam: tuple[Fraction, ...]
    residual: tuple[Fraction, ...]
    value: Fraction  # ||y - V lam||^2


def _least_squares(cols: list[Vec], idx: list[int], y: Vec) -> Vec:
    gram = [[_dot(cols[i], cols[j]) for j in idx] for i in idx]
    return solve(gram, [_dot(cols[i], y) for i in idx])


def nnls(cols: Sequence[Sequence[Fraction]], y: Sequence[Fraction], *, max_iter: int = 10_000) -> NNLSResult:
    """Lawson-Hanson NNLS, exact.  ``cols`` are the columns of V (each of len(y))."""
    V = [list(c) for c in cols]
    yv = list(y)
    k = len(V)
    lam = [_ZERO] * k
    passive: list[int] = []

    def residual() -> Vec:
        r = list(yv)
        for j in range(k):
            if lam[j]:
                r = [a - lam[j] * b for a, b in zip(r, V[j])]
        return r

    r = residual()
    for _ in range(max_iter):
        w = [_dot(V[j], r) for j in range(k)]
        candidates = [j for j in range(k) if j not in passive and w[j] > 0]
        if not candidates:
            break
        best = max(w[j] for j in candidates)
        passive.append(min(j for j in candidates if w[j] == best))
        while True:
            s = _least_squares(V, passive, yv)
            if all(v > 0 for v in s):
                for j, v in zip(passive, s):
                    lam[j] = v
                break
            alpha = min(lam[j] / (lam[j] - v) for j, v in zip(passive, s) if v <= 0)
            for j, v in zip(passive, s):
                lam[j] = lam[j] + alpha * (v - lam[j])
            passive = [j for j in passive if lam[j] > 0]
            for j in range(k):
                if j not in passive:
                    lam[j] = _ZERO
            if not passive:
                break
        r = residual()
    else:  # pragma: no cover - Lawson-Hanson terminates in exact arithmetic
        raise RuntimeError("NNLS did not terminate")
    return NNLSResult(tuple(lam), tuple(r), _dot(r, r))


def nnls_certificate_holds(cols: Sequence[Sequence[Fraction]], y: Sequence[Fraction], res: NNLSResult) -> bool:
    """KKT for min ||V lam - y||^2, lam >= 0: lam >= 0, V^T r <= 0, (V^T r)_j = 0 where lam_j > 0."""
    r = list(y)
    for c, l in zip(cols, res.lam):
        r = [a - l * b for a, b in zip(r, c)]
    if tuple(r) != res.residual or _dot(r, r) != res.value:
        return False
    for c, l in zip(cols, res.lam):
        g = _dot(c, r)
        if l < 0 or g > 0 or (l > 0 and g != 0):
            return False
    return True


@dataclass(frozen=True)
class LPResult:
    z: tuple[Fraction, ...]
    dual: tuple[Fraction, ...]  # pi <= 0 with A^T pi <= c and b^T pi = c^T z
    value: Fraction


def linprog(c: Sequence[Fraction], A: Sequence[Sequence[Fraction]], b: Sequence[Fraction]) -> LPResult:
    """min c^T z s.t. A z <= b, z >= 0 (assumed feasible and bounded), exact two-phase simplex."""
    m, n = len(A), len(c)
    # equality form [A | I] (z, s) = b; rows with b < 0 are negated and get an artificial
    rows = [[Fraction(v) for v in A[i]] + [Fraction(int(i == j)) for j in range(m)] for i in range(m)]
    rhs = [Fraction(v) for v in b]
    sign = [1] * m
    for i in range(m):
        if rhs[i] < 0:
            rows[i] = [-v for v in rows[i]]
            rhs[i] = -rhs[i]
            sign[i] = -1
    art = [i for i in range(m) if sign[i] < 0]
    total = n + m + len(art)
    for i in range(m):
        rows[i] += [Fraction(int(art[k] == i)) for k in range(len(art))]
    basis = [n + i if sign[i] > 0 else n + m + art.index(i) for i in range(m)]

    def pivot(r: int, col: int) -> None:
        p = rows[r][col]
        rows[r] = [v / p for v in rows[r]]
        rhs[r] = rhs[r] / p
        for i in range(m):
            if i != r and rows[i][col] != 0:
                f = rows[i][col]
                rows[i] = [a - f * bb for a, bb in zip(rows[i], rows[r])]
                rhs[i] = rhs[i] - f * rhs[r]
        basis[r] = col

    def run(cost: list[Fraction], allowed: int) -> None:
        while True:
            cb = [cost[j] for j in basis]
            entering = None
            for j in range(allowed):
                if j in basis:
                    continue
                reduced = cost[j] - sum((cb[i] * rows[i][j] for i in range(m)), _ZERO)
                if reduced < 0:
                    entering = j  # Bland: smallest index
                    break
            if entering is None:
                return
            ratios = [(rhs[i] / rows[i][entering], basis[i], i) for i in range(m) if rows[i][entering] > 0]
            if not ratios:
                raise ValueError("the linear program is unbounded")
            _, _, leave = min(ratios)
            pivot(leave, entering)

    if art:
        phase1 = [_ZERO] * (n + m) + [Fraction(1)] * len(art)
        run(phase1, total)
        if sum((rhs[i] for i in range(m) if basis[i] >= n + m), _ZERO) != 0:
            raise ValueError("the linear program is infeasible")
        for i in range(m):  # drive zero-level artificials out of the basis
            if basis[i] >= n + m:
                col = next((j for j in range(n + m) if rows[i][j] != 0 and j not in basis), None)
                if col is not None:
                    pivot(i, col)
    cost = [Fraction(v) for v in c] + [_ZERO] * (m + len(art))
    run(cost, n + m)
    x = [_ZERO] * total
    for i in range(m):
        x[basis[i]] = rhs[i]
    z = tuple(x[:n])
    # duals of the original rows from the final basis: B^T pi = c_B over columns of [A | I]
    full = [[Fraction(v) for v in A[i]] + [Fraction(int(i == j)) for j in range(m)] for i in range(m)]
    cols = [[full[i][j] for i in range(m)] if j < n + m else None for j in basis]
    if all(col is not None for col in cols):
        bt = [list(col) for col in cols if col is not None]
        pi = solve(bt, [cost[j] for j in basis])
    else:  # a redundant row kept an artificial basic at zero: its dual is 0
        pi = _duals_with_redundant_rows(full, basis, cost, n + m)
    return LPResult(z, tuple(pi), _dot(c, z))


def _duals_with_redundant_rows(full: list[Vec], basis: list[int], cost: list[Fraction], real: int) -> Vec:
    m = len(full)
    keep = [i for i in range(m) if basis[i] < real]
    # solve sum_i pi_i full[i][j] = cost[j] for the real basic columns, over all rows, least-norm style:
    # choose pi_i = 0 for rows whose artificial stayed basic
    free_rows = [i for i in range(m) if basis[i] >= real]
    rows_used = [i for i in range(m) if i not in free_rows]
    mat = [[full[i][basis[r]] for i in rows_used] for r in keep]
    sol = solve(mat, [cost[basis[r]] for r in keep])
    pi = [_ZERO] * m
    for i, v in zip(rows_used, sol):
        pi[i] = v
    return pi


def lp_certificate_holds(c: Sequence[Fraction], A: Sequence[Sequence[Fraction]], b: Sequence[Fraction],
                         res: LPResult) -> bool:
    """Primal feasible, dual feasible (pi <= 0, A^T pi <= c) and equal objectives: optimal, exactly."""
    if any(v < 0 for v in res.z) or any(_dot(row, res.z) > bi for row, bi in zip(A, b)):
        return False
    if any(p > 0 for p in res.dual):
        return False
    for j in range(len(c)):
        if sum((res.dual[i] * A[i][j] for i in range(len(A))), _ZERO) > c[j]:
            return False
    return _dot(b, res.dual) == _dot(c, res.z) == res.value
