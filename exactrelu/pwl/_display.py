"""Notebook and formula views of a PiecewiseLinear (private mixin; the heavy modules load on first use)."""

from __future__ import annotations

from typing import Any

__all__: list[str] = []

#: ``_repr_latex_`` gives a formula up to this many pieces (None above).
LATEX_LIMIT = 50


class DisplayMixin:
    """Jupyter renderers and sympy / LaTeX conversions, delegating to exactrelu.plot and exactrelu.formulas."""

    __slots__ = ()

    def _repr_png_(self) -> bytes | None:
        from ..plot.notebook import function_png

        return function_png(self)

    def _repr_svg_(self) -> str | None:
        from ..plot.notebook import function_svg

        return function_svg(self)

    def _repr_latex_(self) -> str | None:
        if getattr(self, "pieces") > LATEX_LIMIT:
            return None
        from ..formulas import pwl_to_latex

        return f"${pwl_to_latex(self)}$"  # type: ignore[arg-type]

    def to_sympy(self, x: Any = None) -> Any:
        """A sympy ``Piecewise`` in the symbol ``x`` (default ``x``), exact rationals (needs sympy)."""
        from ..formulas import pwl_to_sympy

        return pwl_to_sympy(self, x)  # type: ignore[arg-type]

    def to_latex(self, x: Any = None) -> str:
        """The function as a LaTeX ``cases`` formula (needs sympy)."""
        from ..formulas import pwl_to_latex

        return pwl_to_latex(self, x)  # type: ignore[arg-type]

    @classmethod
    def from_sympy(cls, expr: Any, x: Any = None, *, domain: Any = None) -> Any:
        """The PiecewiseLinear of a sympy expression built from +, *, constants, Max/Min/Abs, Piecewise."""
        from ..formulas import pwl_from_sympy

        return pwl_from_sympy(expr, x, domain=domain)
