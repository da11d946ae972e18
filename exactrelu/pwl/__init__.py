"""Exact continuous piecewise-linear functions of one variable.

:class:`PiecewiseLinear` is immutable and canonical: its stored vertices are
exactly the finite ends of its domain and its kinks (points where the slope
really changes), so equal functions compare and hash equal, and
``pieces == len(kinks) + 1`` (collinear neighbours are one piece).  Domains
are closed intervals, closed half-lines or R; an unbounded side is given by
its slope.

The representation is a set of exact integer columns (the propagator's
convention, :attr:`PiecewiseLinear.columns`); Fractions are made only when a
scalar or a tuple of scalars is asked for, so the functions that
:func:`exactrelu.propagate` returns cost no more than the propagation.
"""

from __future__ import annotations

from typing import Any

from ._function import PiecewiseLinear

__all__ = ["PiecewiseLinear"]


def __getattr__(name: str) -> Any:
    """``exactrelu.pwl.l1_distance`` stays importable: it is :func:`exactrelu.measure.l1_distance`."""
    if name == "l1_distance":
        from .. import measure

        return measure.l1_distance
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
