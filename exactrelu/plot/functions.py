"""Plots of functions R -> R: one function by pieces, and a network layer by layer.

Every coordinate handed to matplotlib is an exact value converted to float at
the last moment; the pieces, kinks and counts drawn are decided exactly.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ..network import ReLUNetwork
from ..propagate import Trace, propagate
from ..pwl import PiecewiseLinear
from ._style import new_axes, piece_colours, window_of

__all__ = ["plot_function", "plot_layers", "function_polyline"]


def _as_function(f: Any, domain: Any) -> PiecewiseLinear:
    if isinstance(f, PiecewiseLinear):
        return f if domain is None else f.restrict(*domain)
    if isinstance(f, ReLUNetwork):
        return propagate(f, domain).output
    if isinstance(f, Trace):
        return f.output
    from ..errors import ShapeError

    raise ShapeError(f"expected a PiecewiseLinear, a ReLUNetwork or a Trace, got {type(f).__name__}")


def function_polyline(f: PiecewiseLinear, window: tuple[Fraction, Fraction]) -> tuple[list[Fraction], list[Fraction]]:
    """The exact vertices of f's graph over ``window``: its ends and every breakpoint inside."""
    lo, hi = window
    xs: list[Fraction] = [lo]
    ys: list[Fraction] = [f(lo)]
    for x, y in zip(f.breakpoints, f.values):
        if lo < x < hi:
            xs.append(x)
            ys.append(y)
    xs.append(hi)
    ys.append(f(hi))
    return xs, ys


def plot_function(
    f: PiecewiseLinear | ReLUNetwork | Trace,
    ax: Any = None,
    *,
    domain: Any = None,
    window: tuple[Any, Any] | None = None,
    kinks: bool = True,
    max_markers: int = 5000,
    cmap: str = "tab10",
    linewidth: float = 1.8,
    label: str | None = None,
) -> Any:
    """Draw a PWL function with each piece in its own colour and its kinks marked.

    Parameters
    ----------
    f : PiecewiseLinear, ReLUNetwork (R -> R) or Trace
        A network is propagated exactly on ``domain`` first.
    ax : matplotlib Axes, optional
        Where to draw; a new Figure's Axes when omitted.
    domain : optional
        For a network: the domain passed to :func:`exactrelu.propagate`; for a
        function: restrict to it first.
    window : (lo, hi), optional
        The x-range drawn; by default the function's domain, with unbounded
        ends placed past the outermost kink.
    kinks : bool
        Mark the kinks inside the window (skipped above ``max_markers``).

    Returns
    -------
    The Axes.  The pieces are one ``LineCollection`` (label ``"pieces"``) with
    exactly one segment per piece inside the window, the kinks one scatter
    (label ``"kinks"``) with one point per kink.

    Examples
    --------
    >>> import pytest; _ = pytest.importorskip("matplotlib")  # the plot extra
    >>> from exactrelu import tent_map
    >>> ax = plot_function(tent_map(3), domain=(0, 1))
    >>> [len(c.get_segments()) for c in ax.collections if c.get_label() == "pieces"]
    [8]
    """
    from matplotlib.collections import LineCollection

    g = _as_function(f, domain)
    lo, hi = window_of(g.domain, g.kinks) if window is None else (Fraction(window[0]), Fraction(window[1]))
    xs, ys = function_polyline(g, (lo, hi))
    fx = [float(x) for x in xs]
    fy = [float(y) for y in ys]
    segments = [[(fx[i], fy[i]), (fx[i + 1], fy[i + 1])] for i in range(len(fx) - 1)]
    ax = new_axes(ax)
    coll = LineCollection(segments, colors=piece_colours(len(segments), cmap), linewidths=linewidth, label="pieces")
    ax.add_collection(coll)
    inner = [i for i in range(1, len(xs) - 1)]
    if kinks and 0 < len(inner) <= max_markers:
        ax.scatter([fx[i] for i in inner], [fy[i] for i in inner], s=14, color="black", zorder=3, label="kinks")
    ax.autoscale_view()
    ax.set_xlabel("x")
    ax.set_title(label or f"{g.pieces} pieces on {_domain_text(g.domain)}")
    return ax


def _domain_text(domain: tuple[Fraction | None, Fraction | None]) -> str:
    lo, hi = domain
    left = "(-inf" if lo is None else f"[{lo}"
    right = "inf)" if hi is None else f"{hi}]"
    return f"{left}, {right}"


def plot_layers(net: ReLUNetwork, domain: Any = None, *, fig: Any = None, window: tuple[Any, Any] | None = None) -> Any:
    """Every unit's pre- and post-activation, layer by layer, and the output (Arora et al. Fig. 4 style).

    One row per hidden layer (left: pre-activations, right: after ReLU) and a
    last row with the output.  Each unit is one line in its own colour,
    through its exact breakpoints.

    Returns
    -------
    The Figure; ``fig.axes`` holds ``2 * depth + 1`` Axes in row order, and the
    Axes of a layer holds one line per unit.
    """
    trace = propagate(net, domain)
    funcs = [trace.layers[l].pre(u) for l in range(net.depth) for u in range(net.widths[l])]
    funcs.append(trace.output)
    points = sorted({k for h in funcs for k in h.kinks})
    lo, hi = window_of(trace.output.domain, points) if window is None else (Fraction(window[0]), Fraction(window[1]))
    if fig is None:
        from matplotlib.figure import Figure

        fig = Figure(figsize=(8.0, 2.2 * (net.depth + 1)), layout="constrained")
    grid = fig.add_gridspec(net.depth + 1, 2)
    for l in range(net.depth):
        width = net.widths[l]
        colours = piece_colours(width)
        for col, which in enumerate(("pre", "post")):
            ax = fig.add_subplot(grid[l, col])
            for u in range(width):
                h = trace.layers[l].pre(u) if which == "pre" else trace.layers[l].post(u)
                xs, ys = function_polyline(h, (lo, hi))
                ax.plot([float(x) for x in xs], [float(y) for y in ys], color=colours[u], lw=1.4, label=f"unit {u}")
            ax.set_title(f"layer {l + 1}: {'pre-activations' if which == 'pre' else 'after ReLU'}", fontsize=9)
    ax = fig.add_subplot(grid[net.depth, :])
    xs, ys = function_polyline(trace.output, (lo, hi))
    ax.plot([float(x) for x in xs], [float(y) for y in ys], color="black", lw=1.6, label="output")
    ax.set_title(f"output: {trace.pieces} pieces, {trace.activation_regions} activation regions", fontsize=9)
    return fig
