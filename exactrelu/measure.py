"""Exact measures of one-variable piecewise-linear functions.

:func:`l1_distance` is the one L1 distance of exactrelu: ``int_a^b |f - g|``
split at every breakpoint of either function and at every crossing of
``f - g``, computed on the functions' integer columns.  It is the distance of
Telgarsky (2016), "Benefits of depth in neural networks", Theorem 1.1 (there
between a deep network and a shallow one on ``[0, 1]``).
"""

from __future__ import annotations

from fractions import Fraction

from ._kernels import graphs as G
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

    Both functions are cut to ``[a, b]`` on their integer columns, put on the
    union of their vertices, and ``|f - g|`` is integrated by the trapezoid
    rule after every crossing of ``f - g`` is inserted; no Fraction is made
    until the final sum.

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
    for name, h in (("f", f), ("g", g)):
        dlo, dhi = h.domain
        if (dlo is not None and lo < dlo) or (dhi is not None and hi > dhi):
            raise DomainError(f"[{lo}, {hi}] is not inside the domain of {name}")
    return G.l1_columns(G.restrict_columns(*f.columns, lo, hi), G.restrict_columns(*g.columns, lo, hi))
