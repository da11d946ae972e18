"""Rich display for Jupyter: PNG / SVG renderings of functions and region complexes.

The value classes delegate their ``_repr_png_`` / ``_repr_svg_`` here, so
matplotlib is imported only when a notebook asks for a picture.  Without
matplotlib they return None, which Jupyter reads as "no such representation".
"""

from __future__ import annotations

import io
from typing import Any

__all__ = ["render", "function_png", "function_svg", "regions_png", "regions_svg", "MAX_DRAWN_PIECES"]

#: Above this many pieces a notebook shows the text summary instead of drawing.
MAX_DRAWN_PIECES = 200_000


def render(ax: Any, fmt: str) -> bytes:
    """The Figure holding ``ax`` as PNG or SVG bytes (Agg canvas, no pyplot state)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = ax.figure
    if fig.canvas is None or not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=100 if fmt == "png" else None)
    return buffer.getvalue()


def _matplotlib() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def function_png(f: Any) -> bytes | None:
    """PNG of a PiecewiseLinear (None without matplotlib or above :data:`MAX_DRAWN_PIECES`)."""
    if not _matplotlib() or f.pieces > MAX_DRAWN_PIECES:
        return None
    from .functions import plot_function

    return render(plot_function(f), "png")


def function_svg(f: Any) -> str | None:
    """SVG text of a PiecewiseLinear (None without matplotlib or above :data:`MAX_DRAWN_PIECES`)."""
    if not _matplotlib() or f.pieces > MAX_DRAWN_PIECES:
        return None
    from .functions import plot_function

    return render(plot_function(f), "svg").decode()


def regions_png(complex_: Any) -> bytes | None:
    """PNG of a 2-D region complex (None without matplotlib or for other dimensions)."""
    if not _matplotlib() or complex_.dim != 2:
        return None
    from .regions import plot_regions

    return render(plot_regions(complex_), "png")


def regions_svg(complex_: Any) -> str | None:
    """SVG text of a 2-D region complex (None without matplotlib or for other dimensions)."""
    if not _matplotlib() or complex_.dim != 2:
        return None
    from .regions import plot_regions

    return render(plot_regions(complex_), "svg").decode()
