"""Pictures of exact objects (matplotlib, the ``plot`` extra; imported only when drawing).

Every function takes ``ax=`` (or ``fig=`` for multi-panel figures) and returns
it, so plots compose.  What is drawn (pieces, kinks, regions, edges, wrong-side
triangles) is decided exactly; floats only place the ink.

- :func:`plot_function`: a PWL function with its pieces coloured and kinks marked.
- :func:`plot_layers`: every unit's pre- and post-activation, layer by layer.
- :func:`plot_regions`: a 2-D region complex coloured by activation pattern, edges by layer.
- :func:`plot_telgarsky`: f = D^K, g, |f - g| and the wrong-side triangles.
- :func:`plot_milkert`: the triangle waves and F_n with Eq. (5)'s coefficients.
- :func:`save`: write the Figure of an Axes to png / svg / pdf.
"""

from __future__ import annotations

from typing import Any

from ..errors import ExactReluError
from .functions import plot_function, plot_layers
from .regions import plot_regions
from .theorems import plot_milkert, plot_telgarsky, wrong_side_intervals

__all__ = ["plot_function", "plot_layers", "plot_regions", "plot_telgarsky", "plot_milkert",
           "wrong_side_intervals", "save", "PlotFormatError"]


class PlotFormatError(ExactReluError, ValueError):
    """A plot file name whose suffix is not png, svg or pdf."""


def save(obj: Any, path: str) -> None:
    """Write the Figure of ``obj`` (an Axes or a Figure) to ``path``; the suffix picks png, svg or pdf."""
    suffix = str(path).rsplit(".", 1)[-1].lower()
    if suffix not in ("png", "svg", "pdf"):
        raise PlotFormatError(f"plot file {str(path)!r}: the name must end in .png, .svg or .pdf")
    fig = getattr(obj, "figure", obj)
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    fig.savefig(path, format=suffix, dpi=150)
