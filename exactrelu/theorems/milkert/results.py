"""Result types of :mod:`exactrelu.theorems.milkert`: derivation steps and their rendering (no sympy at import)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

__all__ = ["Step", "SymbolicResult", "Derivation", "PeakJump"]


@dataclass(frozen=True)
class Step:
    """One step of a derivation: a label, a sympy object, how it is established."""

    label: str
    expr: Any
    method: str


@dataclass(frozen=True)
class SymbolicResult:
    """A statement of the paper with its sympy derivation.

    ``method`` says how it is established: ``"symbolic"`` (an identity in free
    symbols), ``"symbolic step"`` (induction with products as opaque symbols),
    ``"symbolic, n <= N"`` (expanded for every index up to N).
    """

    name: str
    source: str
    statement: str
    lhs: Any
    rhs: Any
    holds: bool
    method: str
    steps: tuple[Step, ...]
    detail: str = ""

    def plain(self) -> str:
        """Plain-text rendering."""
        import sympy as sp

        lines = [f"{self.name}: {self.statement}  [{'holds' if self.holds else 'FAILS'}; "
                 f"{self.method}]", f"  source: {self.source}"]
        for step in self.steps:
            lines.append(f"  - {step.label} ({step.method}):")
            lines.append(f"      {sp.sstr(step.expr)}")
        if self.detail:
            lines.append(f"  note: {self.detail}")
        return "\n".join(lines)

    def latex(self) -> str:
        """LaTeX rendering (an ``itemize`` of the steps)."""
        import sympy as sp

        lines = [f"\\paragraph{{{self.name}}} {_tex_text(self.statement)} "
                 f"({'holds' if self.holds else 'fails'}, {self.method}).",
                 "\\begin{itemize}"]
        for step in self.steps:
            lines.append(f"  \\item {_tex_text(step.label)} ({step.method}): "
                         f"${sp.latex(step.expr)}$")
        lines.append("\\end{itemize}")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        import sympy as sp

        return {"name": self.name, "source": self.source, "statement": self.statement,
                "holds": self.holds, "method": self.method, "lhs": sp.sstr(self.lhs),
                "rhs": sp.sstr(self.rhs), "detail": self.detail,
                "steps": [{"label": s.label, "method": s.method, "expr": sp.sstr(s.expr),
                           "latex": sp.latex(s.expr)} for s in self.steps]}


def _tex_text(text: str) -> str:
    return text.replace("_", r"\_").replace("^", r"\^{}")


@dataclass(frozen=True)
class Derivation:
    """Every symbolic result (:func:`derive`)."""

    depth: int
    results: tuple[SymbolicResult, ...]

    @property
    def holds(self) -> bool:
        return all(r.holds for r in self.results)

    def __getitem__(self, name: str) -> SymbolicResult:
        for result in self.results:
            if result.name == name:
                return result
        raise KeyError(name)

    def plain(self) -> str:
        return "\n\n".join(r.plain() for r in self.results)

    def latex(self) -> str:
        return "\n\n".join(r.latex() for r in self.results)


@dataclass(frozen=True)
class PeakJump:
    """Eq. (8) at one peak: jump of F_n' over the jump of s_i W_i, and the prediction."""

    layer: int
    peak: Fraction
    jump: Fraction
    own_jump: Fraction
    ratio: Fraction
    expected: Fraction

    @property
    def holds(self) -> bool:
        return self.ratio == self.expected
