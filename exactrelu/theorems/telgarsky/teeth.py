"""``int_a^b |D^K - g|`` exactly for any depth K, without materialising D^K.

On [0, 1] the tent map composed K times is a comb of ``2^{K-1}`` congruent
teeth of width ``h = 2^{1-K}``: tooth i rises from ``(i h, 0)`` to
``(i h + h/2, 1)`` and falls back to ``((i + 1) h, 0)`` (docs/theory.md §2).
Let g be affine on an interval holding the teeth ``i = m .. n``.  Write
``a(i) = g(i h)``, ``b(i) = g(i h + h/2) - 1``; both are affine in i.  While
the signs of ``a(i)``, ``b(i)`` and ``a(i + 1)`` stay fixed, g crosses the same
edges of every tooth, each crossing point solves a linear equation whose
right-hand side is affine in i and whose coefficient does not depend on i, so
every vertex of the region between the tooth and g moves affinely with i and
the tooth's integral ``P(i) = int |D^K - g|`` over the tooth is a polynomial of
degree at most 2 in i.  A run of N such teeth therefore sums exactly by
Newton's forward differences,

    sum_{j=0}^{N-1} P(m + j) = N P(m) + C(N, 2) dP(m) + C(N, 3) d^2P(m),

from three teeth computed exactly.  Each affine sign changes at most once
along a piece of g, so a piece of g splits into at most seven runs (teeth
where a sign is exactly 0 are computed one by one), plus the two partial
teeth at its ends.  The cost is O(pieces of g) exact tooth integrals,
whatever K is: K = 34 (Telgarsky's L = 4) and K = 52 (L = 5) take
milliseconds, where enumerating D^K would need 2^K breakpoints.

Every run of four or more teeth also evaluates a fourth tooth and checks it
against the quadratic (a cheap guard on the argument above); the tests compare
the result with the enumerating :func:`exactrelu.measure.l1_distance` for every
K where both run, on random g.
"""

from __future__ import annotations

from fractions import Fraction
from math import ceil, comb, floor

from ..._validate import check_int
from ...errors import DomainError, ExactReluError, ShapeError
from ...measure import l1_distance
from ...pwl import PiecewiseLinear
from ...rationals import RationalLike, to_rational

__all__ = ["tent_l1_distance"]


def _sign(v: Fraction) -> int:
    return (v > 0) - (v < 0)


class _Comb:
    """The teeth of D^K on [0, 1] and exact integrals of |D^K - g| over parts of them."""

    def __init__(self, K: int):
        self.h = Fraction(1, 1 << (K - 1))

    def tooth(self, i: int) -> PiecewiseLinear:
        t0 = i * self.h
        return PiecewiseLinear([(t0, 0), (t0 + self.h / 2, 1), (t0 + self.h, 0)])

    def part(self, i: int, g: PiecewiseLinear, lo: Fraction, hi: Fraction) -> Fraction:
        """``int_lo^hi |tooth_i - g|`` for ``[lo, hi]`` inside tooth i."""
        if lo >= hi:
            return Fraction(0)
        return l1_distance(self.tooth(i), g, lo, hi)

    def whole(self, i: int, g: PiecewiseLinear) -> Fraction:
        t0 = i * self.h
        return self.part(i, g, t0, t0 + self.h)


def _run_sum(comb_: _Comb, g: PiecewiseLinear, m: int, n: int) -> Fraction:
    """``sum_{i=m}^{n} P(i)`` for a run of teeth of constant crossing pattern."""
    count = n - m + 1
    if count <= 0:
        return Fraction(0)
    if count <= 3:
        return sum((comb_.whole(i, g) for i in range(m, n + 1)), Fraction(0))
    p0, p1, p2 = (comb_.whole(m + j, g) for j in range(3))
    d1, d2 = p1 - p0, p2 - 2 * p1 + p0
    p3 = comb_.whole(m + 3, g)
    if p3 != p0 + 3 * d1 + 3 * d2:  # P(m + 3) by the same differences
        raise ExactReluError(f"internal: tooth integrals of a constant-pattern run are not quadratic (teeth {m}..{n})")
    return count * p0 + comb(count, 2) * d1 + comb(count, 3) * d2


def _critical(alpha: Fraction, beta: Fraction, h: Fraction, shift: Fraction, level: int) -> Fraction | None:
    """The real i where ``alpha (i h + shift) + beta - level`` is 0, or None if it never changes sign."""
    if alpha == 0:
        return None
    return (Fraction(level) - beta - alpha * shift) / (alpha * h)


def _affine_piece_sum(comb_: _Comb, alpha: Fraction, beta: Fraction, p: Fraction, q: Fraction) -> Fraction:
    """``int_p^q |D^K - g|`` where ``g(x) = alpha x + beta`` on [p, q] inside [0, 1]."""
    h = comb_.h
    g = PiecewiseLinear.affine(alpha, beta, (p, q))
    first = ceil(p / h)  # first whole tooth starts at first * h >= p
    last = floor(q / h) - 1  # last whole tooth ends at (last + 1) * h <= q
    if first > last:  # [p, q] inside at most two partial teeth
        i = floor(p / h)
        mid = min(q, (i + 1) * h)
        total = comb_.part(i, g, p, mid)
        if mid < q:
            total += comb_.part(i + 1, g, mid, q)
        return total
    total = comb_.part(first - 1, g, p, first * h) + comb_.part(last + 1, g, (last + 1) * h, q)
    # split [first, last] where a(i) = g(ih), b(i) = g(ih + h/2) - 1 or a(i + 1) changes sign
    cuts: set[int] = set()
    for shift, level in ((Fraction(0), 0), (h / 2, 1), (h, 0)):
        root = _critical(alpha, beta, h, shift, level)
        if root is not None and first <= root <= last + 1:
            lo_i, hi_i = floor(root), ceil(root)
            cuts.update(i for i in (lo_i, hi_i) if first <= i <= last)
    singles = sorted(cuts)
    cursor = first
    for i in singles:
        total += _run_sum(comb_, g, cursor, i - 1)
        total += comb_.whole(i, g)
        cursor = i + 1
    total += _run_sum(comb_, g, cursor, last)
    return total


def tent_l1_distance(K: int, g: PiecewiseLinear, a: RationalLike = 0, b: RationalLike = 1) -> Fraction:
    """Exact ``int_a^b |D^K - g|`` on ``[a, b]`` inside [0, 1], in time independent of K.

    Parameters
    ----------
    K : int
        Depth of the tent map, K >= 1 (any size: K = 52 is as fast as K = 5).
    g : PiecewiseLinear
        Its domain must contain [a, b]; a network is propagated first by the caller
        (``propagate(net, (0, 1)).output``).
    a, b : rational
        ``0 <= a < b <= 1``.

    Returns
    -------
    Fraction

    Raises
    ------
    ShapeError
        K is not an int >= 1.
    DomainError
        [a, b] is not inside [0, 1] or not inside g's domain.

    Examples
    --------
    >>> tent_l1_distance(40, PiecewiseLinear.affine(0, "1/2", (0, 1)))   # 1/4 for every K
    Fraction(1, 4)
    >>> from exactrelu import propagate, tent_map
    >>> from exactrelu.measure import l1_distance
    >>> g = PiecewiseLinear([(0, "1/3"), ("2/7", 1), (1, 0)])
    >>> tent_l1_distance(9, g) == l1_distance(propagate(tent_map(9), (0, 1)).output, g, 0, 1)
    True
    """
    check_int("K", K, 1)
    if not isinstance(g, PiecewiseLinear):
        raise ShapeError(f"g must be a PiecewiseLinear, got {type(g).__name__}")
    lo, hi = to_rational(a, where="a"), to_rational(b, where="b")
    if not 0 <= lo < hi <= 1:
        raise DomainError(f"need 0 <= a < b <= 1, got a={lo}, b={hi}")
    g_lo, g_hi = g.domain
    if (g_lo is not None and g_lo > lo) or (g_hi is not None and g_hi < hi):
        raise DomainError(f"g's domain {g.domain} does not contain [{lo}, {hi}]")
    comb_ = _Comb(K)
    nodes = [lo] + [x for x in g.kinks if lo < x < hi] + [hi]
    total = Fraction(0)
    for p, q in zip(nodes, nodes[1:]):
        gp, gq = g(p), g(q)
        alpha = (gq - gp) / (q - p)
        total += _affine_piece_sum(comb_, alpha, gp - alpha * p, p, q)
    return total
