"""Result types of :mod:`exactrelu.theorems.milkert`: derivation steps and their rendering (no sympy at import)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

__all__ = ["Step", "SymbolicResult", "Derivation", "PeakJump", "untex", "tex", "tex_method",
           "mk", "tex_of", "PREAMBLE", "latex_document"]


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
        """Plain-text rendering (the ``$...$`` markup of the texts removed, see :func:`untex`)."""
        import sympy as sp

        lines = [f"{self.name}: {untex(self.statement)}  [{'holds' if self.holds else 'FAILS'}; "
                 f"{self.method}]", f"  source: {self.source}"]
        for step in self.steps:
            lines.append(f"  - {untex(step.label)} ({step.method}):")
            lines.append(f"      {sp.sstr(step.expr)}")
        if self.detail:
            lines.append(f"  note: {untex(self.detail)}")
        return "\n".join(lines)

    def latex(self) -> str:
        r"""LaTeX rendering: a ``\subsection*`` with the statement and an ``itemize`` of the steps.

        Text is text and maths is in maths mode (the ``$...$`` of the markup; each
        step's sympy object in a display).  Needs ``amsmath`` (see :func:`latex_document`).
        """
        import sympy as sp

        mark = "holds" if self.holds else "fails"
        lines = [f"\\subsection*{{{tex(self.name)}}}",
                 f"{tex(self.statement)} ({mark}; {tex_method(self.method)}).",
                 f"Source: {tex(self.source)}.",
                 "\\begin{itemize}"]
        for step in self.steps:
            lines.append(f"  \\item {tex(step.label)} ({tex_method(step.method)}):")
            lines.append(f"  \\[ {sp.latex(step.expr)} \\]")
        lines.append("\\end{itemize}")
        if self.detail:
            lines.append(f"Note: {tex(self.detail)}")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        import sympy as sp

        return {"name": self.name, "source": self.source, "statement": untex(self.statement),
                "statement_latex": tex(self.statement),
                "holds": self.holds, "method": self.method, "lhs": sp.sstr(self.lhs),
                "rhs": sp.sstr(self.rhs), "detail": untex(self.detail),
                "steps": [{"label": untex(s.label), "method": s.method, "expr": sp.sstr(s.expr),
                           "latex": sp.latex(s.expr)} for s in self.steps]}


# --------------------------------------------------------------------------- markup

#: macros of the markup and their plain-text spelling
_PLAIN = {"prod": "prod", "sum": "sum", "sigma": "sigma", "le": "<=", "ge": ">=", "ne": "!=",
          "to": "->", "pm": "+-", "mp": "-+", "infty": "oo", "cdot": "*", "ldots": "...",
          "in": " in ", "kappa": "kappa", "Pi": "Pi", "quad": " ", "lim": "lim",
          "circ": "o", "mathrm": "", "text": "", "S": "section "}
_SPECIAL = {"&": r"\&", "%": r"\%", "#": r"\#", "~": r"\textasciitilde{}"}


def _split_markup(text: str) -> list[tuple[bool, str]]:
    """``[(is_math, chunk), ...]``; raises ValueError on an unpaired ``$``."""
    parts = text.split("$")
    if len(parts) % 2 == 0:
        raise ValueError(f"unpaired $ in {text!r}")
    return [(k % 2 == 1, chunk) for k, chunk in enumerate(parts)]


def untex(text: str) -> str:
    r"""Plain text of a markup string: ``$...$`` removed, a few macros spelled out.

    >>> untex(r"$s_{i+1} = s_i (1 - a_{i+1}) a_{i+2}$ for $i \ge 0$")
    's_{i+1} = s_i (1 - a_{i+1}) a_{i+2} for i >= 0'
    """
    import re

    out = []
    for is_math, chunk in _split_markup(text):
        if is_math:
            chunk = re.sub(r"\\(?:mathrm|text)\{([^{}]*)\}", r"\1", chunk)
            chunk = re.sub(r"\\([A-Za-z]+)", lambda m: _PLAIN.get(m.group(1), m.group(1)), chunk)
            chunk = chunk.replace(r"\,", "").replace(r"\{", "{").replace(r"\}", "}")
            chunk = re.sub(r"([_^])\{([A-Za-z0-9])\}", r"\1\2", chunk)  # W_{0} -> W_0
        else:
            chunk = chunk.replace("§", "section ")
        out.append(chunk)
    return "".join(out)


def tex(text: str) -> str:
    r"""LaTeX of a markup string: maths stays in ``$...$``, text has its special characters escaped.

    Text outside ``$`` must not contain ``_``, ``^``, ``\``, braces, ``<`` or ``>``
    (they are maths): a ValueError says where, so no maths is ever printed
    as escaped text.

    >>> tex("Eq. (5): $s_{i+1} = s_i (1 - a_{i+1}) a_{i+2}$, docs/theory.md §4")
    'Eq. (5): $s_{i+1} = s_i (1 - a_{i+1}) a_{i+2}$, docs/theory.md \\S{}4'
    """
    out = []
    for is_math, chunk in _split_markup(text):
        if is_math:
            out.append(f"${chunk}$")
            continue
        bad = [c for c in "_^\\{}<>" if c in chunk]
        if bad:
            raise ValueError(f"maths outside $...$ in {text!r}: {bad}")
        for c, r in _SPECIAL.items():
            chunk = chunk.replace(c, r)
        out.append(chunk.replace("§", r"\S{}"))
    return "".join(out)


def tex_method(method: str) -> str:
    r"""The method tag in LaTeX (``"symbolic, n <= 6"`` -> ``symbolic, $n \le 6$``)."""
    head, sep, bound = method.partition(", n <= ")
    return tex(head) + (f", $n \\le {int(bound)}$" if sep else "")


PREAMBLE = "\n".join([
    r"\documentclass[a4paper,10pt]{article}",
    r"\usepackage[margin=2cm]{geometry}",
    r"\usepackage{amsmath,amssymb}",
    r"\allowdisplaybreaks",
    r"\begin{document}",
])


#: plain text -> markup of the strings made by :func:`mk` (bounded; newest kept)
_MARKUP: dict[str, str] = {}
_MARKUP_LIMIT = 4096


def mk(markup: str) -> str:
    """The plain text of ``markup``, remembered so :func:`tex_of` can give its LaTeX back.

    The exact checks build their names, values and details with it: the report
    tables stay plain text and ``exactrelu eq5 --latex`` typesets the same strings.
    """
    plain = untex(markup)
    if plain != markup:
        _MARKUP.pop(plain, None)
        _MARKUP[plain] = markup
        while len(_MARKUP) > _MARKUP_LIMIT:
            del _MARKUP[next(iter(_MARKUP))]
    return plain


def tex_of(plain: str) -> str:
    r"""LaTeX of a string made by :func:`mk` (any other string: typewriter text, verbatim).

    >>> tex_of(mk("$x - F_n$ is convex"))
    '$x - F_n$ is convex'
    >>> tex_of("f_1 {x}")
    '\\texttt{\\detokenize{f_1 {x}}}'
    """
    markup = _MARKUP.get(plain, plain)
    try:
        return tex(markup)
    except ValueError:
        if "{" in plain.replace("}", "") and plain.count("{") != plain.count("}"):
            plain = plain.replace("{", "(").replace("}", ")")
        return f"\\texttt{{\\detokenize{{{plain}}}}}"


def latex_document(body: str, title: str) -> str:
    """``body`` wrapped in a compilable article (amsmath, amssymb, geometry)."""
    return "\n".join([PREAMBLE, f"\\section*{{{tex(title)}}}", body, r"\end{document}", ""])


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
