"""Exact formulas: sympy expressions and LaTeX for functions and networks.

* :func:`pwl_to_sympy` writes a :class:`~exactrelu.pwl.PiecewiseLinear` as a
  ``sympy.Piecewise`` with one ``(a*x + c, lo <= x <= hi)`` clause per piece
  (half-lines ``x <= hi`` / ``x >= lo``; an affine function on R is the plain
  expression ``a*x + c``); every number is a ``sympy.Rational``.
* :func:`pwl_from_sympy` reads back any continuous piecewise-linear sympy
  expression of one variable: ``Piecewise`` (clauses in sympy's first-match
  order, conditions built from linear inequalities with ``&``/``|``), ``Max``,
  ``Min``, ``Abs`` and linear polynomials, with rational coefficients.
  ``pwl_from_sympy(pwl_to_sympy(f)) == f`` exactly.
* :func:`network_to_sympy` writes a ReLU network as nested ``Max(0, ...)``
  (every hidden unit is ``max(0, w . h + b)``), :func:`network_to_latex` and
  :func:`pwl_to_latex` the LaTeX of both (``sympy.latex``).

sympy is imported inside the functions (``import exactrelu`` stays fast).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

from .errors import BudgetExceededError, DomainError, ExactReluError, ShapeError
from .network import ReLUNetwork
from .pwl import PiecewiseLinear

__all__ = [
    "pwl_to_sympy",
    "pwl_from_sympy",
    "pwl_to_latex",
    "network_to_sympy",
    "network_to_latex",
    "network_symbols",
    "FormulaError",
]


class FormulaError(ExactReluError, ValueError):
    """A sympy expression that is not a continuous piecewise-linear function with rational data."""


def _sympy() -> Any:
    import sympy

    return sympy


def _default_symbol(name: str = "x") -> Any:
    return _sympy().Symbol(name, real=True)


def _rat(value: Fraction) -> Any:
    return _sympy().Rational(value.numerator, value.denominator)


# ----------------------------------------------------------------- to sympy
def pwl_to_sympy(f: PiecewiseLinear, x: Any = None, *, max_pieces: int = 10_000) -> Any:
    """``f`` as a ``sympy.Piecewise`` in the symbol ``x`` (default: real ``x``).

    Outside the domain of ``f`` the Piecewise is undefined (sympy's ``nan``).
    ``max_pieces`` bounds the clauses built (:class:`BudgetExceededError`
    beyond it, raised before any is built).

    Examples
    --------
    >>> tent = PiecewiseLinear([(0, 0), ("1/2", 1), (1, 0)])
    >>> pwl_to_sympy(tent)
    Piecewise((2*x, (x >= 0) & (x <= 1/2)), (2 - 2*x, (x >= 1/2) & (x <= 1)))
    >>> pwl_to_sympy(PiecewiseLinear([(0, 0)], left_slope=0, right_slope=1))
    Piecewise((0, x <= 0), (x, x >= 0))
    """
    if f.pieces > max_pieces:
        raise BudgetExceededError(budget=max_pieces, layer=0, required=f.pieces, name="max_pieces",
                                  unit="pieces (one sympy clause each)")
    sp = _sympy()
    x = _default_symbol() if x is None else x
    lo, hi = f.domain
    kinks = list(f.kinks)
    slopes = f.slopes
    if not kinks and lo is None and hi is None:
        return _rat(slopes[0]) * x + _rat(f(0))
    ends = [lo, *kinks, hi]
    clauses = []
    for i, slope in enumerate(slopes):
        a, b = ends[i], ends[i + 1]
        anchor = a if a is not None else b
        assert anchor is not None
        intercept = f(anchor) - slope * anchor
        expr = _rat(slope) * x + _rat(intercept)
        conds = []
        if a is not None:
            conds.append(x >= _rat(a))
        if b is not None:
            conds.append(x <= _rat(b))
        clauses.append((expr, sp.And(*conds)))
    return sp.Piecewise(*clauses)


def pwl_to_latex(f: PiecewiseLinear, x: Any = None, *, max_pieces: int = 10_000) -> str:
    r"""LaTeX of :func:`pwl_to_sympy` (a ``cases`` environment; maths mode not included).

    >>> print(pwl_to_latex(PiecewiseLinear([(0, 0), (1, "1/2")])))
    \frac{x}{2} \quad \text{for}\: x \geq 0 \wedge x \leq 1
    """
    sp = _sympy()
    expr = pwl_to_sympy(f, x, max_pieces=max_pieces)
    if isinstance(expr, sp.Piecewise) and len(expr.args) == 1:
        (e, c), = expr.args
        return rf"{sp.latex(e)} \quad \text{{for}}\: {sp.latex(c)}"
    return str(sp.latex(expr))


# --------------------------------------------------------------- from sympy
_Interval = tuple[Fraction | None, Fraction | None]  # closed; None = infinite end


def _fraction(value: Any, where: str) -> Fraction:
    sp = _sympy()
    if isinstance(value, sp.Rational):
        return Fraction(int(value.p), int(value.q))
    if isinstance(value, sp.Float):
        raise FormulaError(f"{where}={value} is a sympy Float (inexact); use sympy.Rational")
    raise FormulaError(f"{where}={value} is not a rational number")


def _linear(expr: Any, x: Any, where: str) -> tuple[Fraction, Fraction]:
    """``expr = a*x + c`` with rational a, c."""
    sp = _sympy()
    expr = sp.sympify(expr)
    other = expr.free_symbols - {x}
    if other:
        raise FormulaError(f"{where} {expr} depends on {sorted(map(str, other))}, not only on {x}")
    try:
        poly = sp.Poly(sp.expand(expr), x)
    except sp.PolynomialError:
        raise FormulaError(f"{where} {expr} is not a polynomial in {x}") from None
    if poly.degree() > 1:
        raise FormulaError(f"{where} {expr} is not linear in {x}")
    a = poly.coeff_monomial(x)
    c = poly.coeff_monomial(1)
    return _fraction(a, f"coefficient of {x} in {where}"), _fraction(c, f"constant term of {where}")


def _intersect(p: _Interval, q: _Interval) -> _Interval | None:
    lo = p[0] if q[0] is None else q[0] if p[0] is None else max(p[0], q[0])
    hi = p[1] if q[1] is None else q[1] if p[1] is None else min(p[1], q[1])
    if lo is not None and hi is not None and lo > hi:
        return None
    return lo, hi


def _condition(cond: Any, x: Any) -> list[_Interval]:
    """A condition in x as a union of closed intervals (closures of strict inequalities)."""
    sp = _sympy()
    if cond is sp.true or cond is True:
        return [(None, None)]
    if cond is sp.false or cond is False:
        return []
    if isinstance(cond, sp.And):
        result: list[_Interval] = [(None, None)]
        for arg in cond.args:
            parts = _condition(arg, x)
            result = [i for r in result for p in parts if (i := _intersect(r, p)) is not None]
        return result
    if isinstance(cond, sp.Or):
        return [i for arg in cond.args for i in _condition(arg, x)]
    if isinstance(cond, (sp.Le, sp.Lt, sp.Ge, sp.Gt, sp.Eq)):
        a, c = _linear(cond.lhs - cond.rhs, x, f"condition {cond}")
        if a == 0:
            holds = {sp.Le: c <= 0, sp.Lt: c < 0, sp.Ge: c >= 0, sp.Gt: c > 0, sp.Eq: c == 0}[type(cond)]
            return [(None, None)] if holds else []
        point = -c / a
        if isinstance(cond, sp.Eq):
            return [(point, point)]
        below = isinstance(cond, (sp.Le, sp.Lt)) == (a > 0)  # a x + c <= 0  <=>  x <= point when a > 0
        return [(None, point)] if below else [(point, None)]
    raise FormulaError(f"condition {cond} is not built from linear inequalities in {x} with & and |")


def _contains(intervals: list[_Interval], t: Fraction) -> bool:
    return any((lo is None or lo <= t) and (hi is None or t <= hi) for lo, hi in intervals)


def pwl_from_sympy(expr: Any, x: Any = None, *, domain: Any = None) -> PiecewiseLinear:
    """The :class:`~exactrelu.pwl.PiecewiseLinear` that a sympy expression in ``x`` describes.

    Parameters
    ----------
    expr : sympy expression
        ``Piecewise`` (first matching clause wins, as in sympy), ``Max``,
        ``Min``, ``Abs``, sums and rational multiples of these, or a linear
        polynomial; rational coefficients only.
    x : sympy Symbol, optional
        The variable (default: the expression's only free symbol).
    domain : (lo, hi), optional
        Restrict to this interval (needed when ``expr`` is defined on R but you
        want a bounded function).

    Raises
    ------
    FormulaError
        Non-linear pieces, float or irrational coefficients, other symbols,
        conditions that are not linear inequalities.
    DomainError
        A discontinuous function, or a domain that is not one interval.

    Examples
    --------
    >>> import sympy
    >>> x = sympy.Symbol("x", real=True)
    >>> pwl_from_sympy(sympy.Max(0, x - 1) + sympy.Max(0, -x))
    PiecewiseLinear([(0, 0), (1, 0)], left_slope=-1, right_slope=1)
    """
    sp = _sympy()
    expr = sp.sympify(expr)
    if x is None:
        symbols = sorted(expr.free_symbols, key=str)
        if len(symbols) > 1:
            raise FormulaError(f"{expr} has several symbols {symbols}; pass x=")
        x = symbols[0] if symbols else _default_symbol()
    box = None
    if domain is not None:
        from ._validate import parse_domain as _parse_domain

        box = _parse_domain(domain)
    return _evaluate(expr, x, box)


def _evaluate(expr: Any, x: Any, box: _Interval | None) -> PiecewiseLinear:
    """Exact PWL algebra over the expression tree (sums, rational multiples, Max, Min, Abs, Piecewise)."""
    sp = _sympy()
    if not expr.has(sp.Piecewise, sp.Max, sp.Min, sp.Abs):
        a, c = _linear(expr, x, "expression")
        return PiecewiseLinear.affine(a, c, box)
    if isinstance(expr, sp.Piecewise):
        clauses = [(_linear(e, x, f"piece {e}"), _condition(c, x)) for e, c in expr.args]
        if box is not None:
            clauses = [(lin, [i for c in conds if (i := _intersect(c, box)) is not None]) for lin, conds in clauses]
        return _assemble(clauses)
    if isinstance(expr, sp.Add):
        parts = [_evaluate(arg, x, box) for arg in expr.args]
        total = parts[0]
        for part in parts[1:]:
            total = total + part
        return total
    if isinstance(expr, sp.Mul):
        constants = [arg for arg in expr.args if not arg.has(x)]
        others = [arg for arg in expr.args if arg.has(x)]
        if len(others) != 1:
            raise FormulaError(f"{expr} is a product of several factors depending on {x}: not piecewise linear")
        factor = _fraction(sp.Mul(*constants), f"factor of {expr}")
        return _evaluate(others[0], x, box) * factor
    if isinstance(expr, (sp.Max, sp.Min)):
        parts = [_evaluate(arg, x, box) for arg in expr.args]
        result = parts[0]
        for part in parts[1:]:
            result = result.maximum(part) if isinstance(expr, sp.Max) else result.minimum(part)
        return result
    if isinstance(expr, sp.Abs):
        return _evaluate(expr.args[0], x, box).abs()
    raise FormulaError(f"{expr} is not built from sums, rational multiples, Max, Min, Abs and Piecewise")


def _assemble(clauses: list[tuple[tuple[Fraction, Fraction], list[_Interval]]]) -> PiecewiseLinear:
    """Resolve first-match clauses into one continuous function on one interval."""
    cuts = sorted({e for _, conds in clauses for iv in conds for e in iv if e is not None})

    def piece_at(t: Fraction) -> tuple[Fraction, Fraction] | None:
        for lin, conds in clauses:
            if _contains(conds, t):
                return lin
        return None

    # elementary open intervals: (-inf, c0), (c0, c1), ..., (ck, inf), probed at interior points
    probes: list[Fraction] = []
    if cuts:
        probes.append(cuts[0] - 1)
        probes += [(a + b) / 2 for a, b in zip(cuts, cuts[1:])]
        probes.append(cuts[-1] + 1)
    else:
        probes.append(Fraction(0))
    pieces = [piece_at(t) for t in probes]
    covered = [i for i, p in enumerate(pieces) if p is not None]
    if not covered:
        raise DomainError("the expression is defined nowhere (or only at isolated points)")
    first, last = covered[0], covered[-1]
    if covered != list(range(first, last + 1)):
        raise DomainError("the expression's domain is not one interval")
    if not cuts:
        a, c = pieces[0]  # type: ignore[misc]
        return PiecewiseLinear.affine(a, c)
    # elementary interval i spans (cuts[i-1], cuts[i]) with cuts[-1] = -inf, cuts[len] = +inf
    points: list[tuple[Fraction, Fraction]] = []
    left_slope = right_slope = None
    for i in range(first, last + 1):
        a, c = pieces[i]  # type: ignore[misc]
        left_end = cuts[i - 1] if i >= 1 else None
        right_end = cuts[i] if i < len(cuts) else None
        if left_end is None:
            left_slope = a
        else:
            y = a * left_end + c
            if points and points[-1][0] == left_end:
                if points[-1][1] != y:
                    raise DomainError(f"the expression jumps at x={left_end}: {points[-1][1]} vs {y}")
            else:
                points.append((left_end, y))
        if right_end is None:
            right_slope = a
        else:
            points.append((right_end, a * right_end + c))
    return PiecewiseLinear(points, left_slope=left_slope, right_slope=right_slope)


# ---------------------------------------------------------------- networks
def network_symbols(net: ReLUNetwork, name: str = "x") -> tuple[Any, ...]:
    """The input symbols: ``(x,)`` for one input, else ``(x_1, ..., x_n)`` (real)."""
    sp = _sympy()
    if net.input_dim == 1:
        return (sp.Symbol(name, real=True),)
    return tuple(sp.Symbol(f"{name}_{i}", real=True) for i in range(1, net.input_dim + 1))


def network_to_sympy(net: ReLUNetwork, symbols: Sequence[Any] | None = None, *, max_units: int = 200) -> Any:
    """The network as a sympy expression with ``Max(0, ...)`` for every hidden unit.

    Parameters
    ----------
    net : ReLUNetwork
    symbols : sequence of sympy Symbols, optional
        One per input (default :func:`network_symbols`).
    max_units : int
        Budget on hidden units (the printed expression grows with the product
        of the widths; raise it knowingly).

    Returns
    -------
    sympy expression, or a tuple of them for several outputs

    Examples
    --------
    >>> net = ReLUNetwork([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])
    >>> network_to_sympy(net)
    Max(0, -x) + Max(0, x)
    >>> pwl_from_sympy(network_to_sympy(net))
    PiecewiseLinear([(0, 0)], left_slope=-1, right_slope=1)
    """
    sp = _sympy()
    if net.size > max_units:
        raise BudgetExceededError(budget=max_units, layer=net.depth, required=net.size, name="max_units",
                                  unit="hidden units")
    inputs = tuple(network_symbols(net)) if symbols is None else tuple(symbols)
    if len(inputs) != net.input_dim:
        raise ShapeError(f"got {len(inputs)} symbols for a network with {net.input_dim} inputs")
    h: list[Any] = list(inputs)
    for index, (weight, bias) in enumerate(net.layers):
        z = [sp.Add(*(_rat(w) * v for w, v in zip(row, h) if w != 0), _rat(b)) for row, b in zip(weight, bias)]
        h = z if index == len(net.layers) - 1 else [sp.Max(0, v) for v in z]
    return h[0] if len(h) == 1 else tuple(h)


def network_to_latex(net: ReLUNetwork, symbols: Sequence[Any] | None = None, *, max_units: int = 200) -> str:
    r"""LaTeX of :func:`network_to_sympy` (a column vector for several outputs).

    >>> net = ReLUNetwork([([[1], [-1]], [0, 0]), ([[1, 1]], ["1/2"])])
    >>> network_to_latex(net)
    '\\max\\left(0, - x\\right) + \\max\\left(0, x\\right) + \\frac{1}{2}'
    """
    sp = _sympy()
    expr = network_to_sympy(net, symbols, max_units=max_units)
    if isinstance(expr, tuple):
        return str(sp.latex(sp.Matrix(expr)))
    return str(sp.latex(expr))

