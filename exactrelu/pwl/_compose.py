"""Composition of two :class:`~exactrelu.pwl.PiecewiseLinear` functions (private)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from .._kernels import graph_compose as GC
from .._kernels import lines as K
from ..errors import DomainError
from ._domains import domain_str

if TYPE_CHECKING:
    from ._function import PiecewiseLinear

__all__: list[str] = []

_ZERO = Fraction(0)


def compose_columns(outer: "PiecewiseLinear", inner: "PiecewiseLinear") -> tuple[np.ndarray, ...]:
    """Columns of ``outer o inner`` on inner's domain (see :func:`_kernels.graph_compose.compose_columns`)."""
    lo, hi = outer.domain
    Xi, Yi, wi = inner.columns
    fin = wi != 0
    S = K.sign(Yi[~fin])  # direction of y along each ray of inner
    unbounded_below, unbounded_above = bool((S < 0).any()), bool((S > 0).any())
    below = lo is not None and (unbounded_below or _any_below(Yi[fin], wi[fin], lo))
    above = hi is not None and (unbounded_above or _any_below(-Yi[fin], wi[fin], -hi))
    if below or above:
        raise DomainError(
            f"cannot compose: the inner function's range leaves the outer domain {domain_str(outer.domain)}"
        )
    return GC.compose_columns(outer.columns, inner.columns)


def _any_below(Y: np.ndarray, w: np.ndarray, c: Fraction) -> bool:
    """Whether some value Y / w is < c (exact: ``q Y - p w < 0``)."""
    p, q = c.numerator, c.denominator
    bound = (abs(p) + q) * max(K.max_abs(Y), K.max_abs(w), 1) + 1
    Y, w = K.choose(bound, Y, w)
    return bool(((Y * q - w * p) < 0).any())


def compose_fractions(outer: "PiecewiseLinear", inner: "PiecewiseLinear") -> tuple:
    """The same composition with Fractions, vertex by vertex (the slow reference the tests compare with).

    Returns ``(xs, ys, left_slope, right_slope)`` of the composed function (vertices not merged).
    """
    lo, hi = outer.domain
    ixs, iys = inner._xs, inner._ys
    il, ir = inner._left, inner._right
    ymin, ymax = min(iys), max(iys)
    unbounded_below = (il is not None and il > 0) or (ir is not None and ir < 0)
    unbounded_above = (il is not None and il < 0) or (ir is not None and ir > 0)
    if (lo is not None and (unbounded_below or ymin < lo)) or (hi is not None and (unbounded_above or ymax > hi)):
        raise DomainError(
            f"cannot compose: the inner function's range leaves the outer domain {domain_str(outer.domain)}"
        )
    knots = outer.kinks
    new_x: list[Fraction] = []

    def preimages(x0: Fraction, y0: Fraction, slope: Fraction, y_lo, y_hi) -> list[Fraction]:
        """x = x0 + (k - y0)/slope for the kinks k strictly inside (y_lo, y_hi), sorted by x."""
        i = 0 if y_lo is None else bisect_right(knots, y_lo)
        j = len(knots) if y_hi is None else bisect_left(knots, y_hi)
        return sorted(x0 + (k - y0) / slope for k in knots[i:j])

    if il is not None and il != 0:
        # moving left from the first vertex, y runs from y0 towards -inf (slope > 0) or +inf
        y0 = iys[0]
        span = (None, y0) if il > 0 else (y0, None)
        new_x.extend(preimages(ixs[0], y0, il, *span))
    for i in range(len(ixs)):
        if i > 0 and iys[i] != iys[i - 1]:
            slope = (iys[i] - iys[i - 1]) / (ixs[i] - ixs[i - 1])
            lo_y, hi_y = sorted((iys[i - 1], iys[i]))
            new_x.extend(preimages(ixs[i - 1], iys[i - 1], slope, lo_y, hi_y))
        new_x.append(ixs[i])
    if ir is not None and ir != 0:
        y0 = iys[-1]
        span = (y0, None) if ir > 0 else (None, y0)
        new_x.extend(preimages(ixs[-1], y0, ir, *span))
    new_y = [outer._value(inner._value(x)) for x in new_x]

    def far_slope(slope: Fraction | None, towards_minus: bool) -> Fraction | None:
        if slope is None:
            return None
        if slope == 0:
            return _ZERO
        goes_down = (slope > 0) == towards_minus  # direction in y as x moves outward
        far = outer._left if goes_down else outer._right
        assert far is not None
        return far * slope

    return new_x, new_y, far_slope(il, True), far_slope(ir, False)
