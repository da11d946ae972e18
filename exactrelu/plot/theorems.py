"""Pictures of the theorem families: Telgarsky's separation and Milkert et al.'s waves.

The highlighted triangles and every drawn vertex are decided in exact
arithmetic; floats only place the ink.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

from ..network import ReLUNetwork
from ..propagate import propagate
from ..pwl import PiecewiseLinear
from ..rationals import RationalLike
from ._style import new_axes, piece_colours

__all__ = ["plot_telgarsky", "plot_milkert", "wrong_side_intervals"]

HALF = Fraction(1, 2)


def _on_unit_interval(g: PiecewiseLinear | ReLUNetwork) -> PiecewiseLinear:
    if isinstance(g, ReLUNetwork):
        return propagate(g, (0, 1)).output
    if isinstance(g, PiecewiseLinear):
        return g.restrict(0, 1)
    from ..errors import ShapeError

    raise ShapeError(f"g must be a ReLUNetwork or a PiecewiseLinear, got {type(g).__name__}")


def _extremes(g: PiecewiseLinear, lo: Fraction, hi: Fraction) -> tuple[Fraction, Fraction]:
    """Exact min and max of g on [lo, hi] (attained at the ends or at breakpoints inside)."""
    values = [g(lo), g(hi)] + [y for x, y in zip(g.breakpoints, g.values) if lo < x < hi]
    return min(values), max(values)


def wrong_side_intervals(K: int, g: PiecewiseLinear | ReLUNetwork) -> list[tuple[Fraction, Fraction, bool]]:
    """The intervals of constant side of D^K that lie wholly on the wrong side of g, exactly.

    Same convention as :mod:`exactrelu.theorems.telgarsky`: an interval where
    f >= 1/2 is wrong when g <= 1/2 on all of it, one where f < 1/2 when
    g >= 1/2 on all of it (end half-triangles included).  Returns
    ``(lo, hi, above)`` triples.
    """
    from ..theorems.telgarsky import tent_side_intervals

    h = _on_unit_interval(g)
    wrong = []
    for side in tent_side_intervals(K):
        low, high = _extremes(h, side.lo, side.hi)
        if (side.above and high <= HALF) or (not side.above and low >= HALF):
            wrong.append((side.lo, side.hi, side.above))
    return wrong


def plot_telgarsky(K: int, g: PiecewiseLinear | ReLUNetwork, ax: Any = None) -> Any:
    """f = D^K, g, the area |f - g| shaded, and f's wrong-side triangles filled in red.

    The red patches are exactly :func:`wrong_side_intervals` (one patch per
    interval); the grey fill is the region between f and g, whose area is
    ``int_0^1 |f - g|``.

    Returns
    -------
    The Axes.  Patches labelled ``"wrong-side triangle"`` are one per wrong interval.
    """
    from matplotlib.patches import Polygon

    from ..constructions import tent_map
    from ..measure import l1_distance

    f = propagate(tent_map(K), (0, 1)).output
    h = _on_unit_interval(g)
    xs = sorted(set(f.breakpoints) | set(h.breakpoints) | set((f - h).level_crossings(0)))
    ax = new_axes(ax)
    fx = [float(x) for x in xs]
    ax.fill_between(fx, [float(f(x)) for x in xs], [float(h(x)) for x in xs], color="0.85", label="|f - g|", lw=0)
    for lo, hi, above in wrong_side_intervals(K, h):
        mid = (lo + hi) / 2
        apex = f(mid)
        ax.add_patch(Polygon([(float(lo), 0.5), (float(mid), float(apex)), (float(hi), 0.5)], closed=True,
                             facecolor="#d6604d", edgecolor="none", alpha=0.75, label="wrong-side triangle"))
    ax.plot([float(x) for x in f.breakpoints], [float(y) for y in f.values], color="black", lw=1.0, label=f"f = D^{K}")
    ax.plot([float(x) for x in h.breakpoints], [float(y) for y in h.values], color="#2166ac", lw=1.8, label="g")
    ax.axhline(0.5, color="0.4", lw=0.8, ls="--")
    distance = l1_distance(f, h, 0, 1)
    count = len(wrong_side_intervals(K, h))
    ax.set_title(f"int |f - g| = {distance} ~ {float(distance):.5f}; {count} wrong-side intervals", fontsize=9)
    ax.set_xlim(0, 1)
    return ax


def plot_milkert(peaks: Sequence[RationalLike], s0: RationalLike = "1/4", *, fig: Any = None) -> Any:
    """The triangle waves W_i and the sum F_n = x - sum s_i W_i with Eq. (5)'s coefficients.

    Milkert, Hyde, Laine (2023), Eq. (5): ``s_{i+1} = s_i (1 - a_{i+1}) a_{i+2}``.
    ``s0 = 1/4`` is Yarotsky's choice (with every a_i = 1/2, F_n interpolates x^2).
    The top Axes holds one line per wave (W_0 .. W_{n}), the bottom one F_n
    (labelled ``"F_n"``) beside the line y = x.

    Returns
    -------
    The Figure with its two Axes.
    """
    from ..theorems.milkert import eq5_coefficients, wave_sum, waves

    s = eq5_coefficients(peaks, s0)
    ws = waves(list(peaks)[: len(s)])
    if fig is None:
        from matplotlib.figure import Figure

        fig = Figure(figsize=(7.0, 5.6), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True)
    for i, (w, colour) in enumerate(zip(ws, piece_colours(len(ws)))):
        top.plot([float(x) for x in w.breakpoints], [float(y) for y in w.values], color=colour, lw=1.2, label=f"W_{i}")
    top.set_title("triangle waves W_i = T_{a_i} o ... o T_{a_0}", fontsize=9)
    top.legend(fontsize=7, ncol=min(len(ws), 6), loc="upper right")
    F = wave_sum(peaks, s)
    bottom.plot([0.0, 1.0], [0.0, 1.0], color="0.6", lw=0.8, ls="--", label="y = x")
    bottom.plot([float(x) for x in F.breakpoints], [float(y) for y in F.values], color="black", lw=1.6, label="F_n")
    bottom.set_title(f"F_n = x - sum s_i W_i with Eq. (5): {F.pieces} pieces", fontsize=9)
    bottom.legend(fontsize=7)
    return fig
