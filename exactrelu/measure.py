"""Exact measures of one-variable piecewise-linear functions.

:func:`l1_distance` is the one L1 distance of exactrelu: ``int_a^b |f - g|``
split at every breakpoint of either function and at every crossing of
``f - g``, computed on the functions' integer columns.  It is the distance of
Telgarsky (2016), "Benefits of depth in neural networks", Theorem 1.1 (there
between a deep network and a shallow one on ``[0, 1]``).
"""

from __future__ import annotations

from fractions import Fraction

from .errors import DomainError
from .pwl import PiecewiseLinear
from .rationals import RationalLike, to_rational

__all__ = ["l1_distance"]


def _check(f: object, name: str) -> PiecewiseLinear:
    if not isinstance(f, PiecewiseLinear):
        raise TypeError(
            f"{name} must be a PiecewiseLinear (propagate a network first: "
            f"propagate(net, (a, b)).output), got {type(f).__name__}"
        )
    return f


def l1_distance(f: PiecewiseLinear, g: PiecewiseLinear, a: RationalLike, b: RationalLike) -> Fraction:
    """Exact ``int_a^b |f - g|`` for two piecewise-linear functions.

    Parameters
    ----------
    f, g : PiecewiseLinear
        Both domains must contain ``[a, b]``.
    a, b : rational
        The interval, ``a < b``.

    Returns
    -------
    Fraction

    Raises
    ------
    DomainError
        ``a >= b``, or ``[a, b]`` not inside a domain.
    TypeError
        An argument that is not a PiecewiseLinear.

    Examples
    --------
    >>> tent = PiecewiseLinear([(0, 0), ("1/2", 1), (1, 0)])
    >>> l1_distance(tent, PiecewiseLinear.affine(0, "1/2", (0, 1)), 0, 1)
    Fraction(1, 4)
    """
    _check(f, "f")
    _check(g, "g")
    lo = to_rational(a, where="a")
    hi = to_rational(b, where="b")
    if lo >= hi:
        raise DomainError(f"l1_distance needs a < b, got a={lo}, b={hi}")
    return (f - g).abs().integral(lo, hi)
