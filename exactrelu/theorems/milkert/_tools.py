"""sympy tools shared by the Milkert derivations: symbols, branches of T_a, induction on products.

Private to :mod:`exactrelu.theorems.milkert`; imports sympy at import time.
Conventions: docs/theory.md §2 and §4 (Milkert, Hyde, Laine, arXiv:2311.18022v2):
``T_a(x) = x/a`` on ``[0, a]`` and ``(1 - x)/(1 - a)`` on ``[a, 1]``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterable

import sympy as sp
from sympy.simplify.simplify import product_simplify, sum_simplify

from .results import Step

__all__ = [
    "SOURCE", "X", "I", "J", "K", "N", "A", "S",
    "sym", "idx", "in_unit_interval", "open_cube", "is_zero", "is_positive_on_open_cube",
    "normal_products", "same",
    "triangle", "UndecidedBranch", "select_branch", "branch_at", "chain_factors", "one_sided_slopes_at_peak",
    "peel_product", "peel_sum", "product_positive", "truth",
]

SOURCE = "Milkert, Hyde, Laine (2023), arXiv:2311.18022v2"

X = sp.Symbol("x", real=True)
#: general indices: layer of the peak i, later layers j, product index k, truncation n
I, J, K, N = sp.symbols("i j k n", integer=True, nonnegative=True)
#: peaks a_k in (0, 1) (positive; ``a < 1`` is imposed by :func:`in_unit_interval`)
A = sp.IndexedBase("a", positive=True)
#: coefficients s_k of the waves
S = sp.IndexedBase("s", real=True)


def sym(base: str, index: str | int) -> sp.Symbol:
    """``a_{i+1}``-style positive symbol (peaks and coefficients of a fixed layer)."""
    return sp.Symbol(f"{base}_{{{index}}}" if isinstance(index, str) else f"{base}_{index}",
                     positive=True)


def idx(offset: int) -> str:
    return "i" if offset == 0 else f"i+{offset}"


def in_unit_interval(a: Any) -> sp.Expr:
    """``a = 1/(1 + t)`` with ``t > 0``: a parametrisation of the open interval (0, 1).

    sympy cannot assume ``a < 1`` for a symbol; substituting this expression lets its
    assumption system decide signs and order relations that hold on (0, 1).
    """
    t = sp.Symbol(f"t[{a.name}]", positive=True)
    return 1 / (1 + t)


def open_cube(expr: Any, peaks: Iterable[Any]) -> sp.Expr:
    return sp.sympify(expr).subs({a: in_unit_interval(a) for a in peaks})


def is_zero(expr: Any) -> bool:
    """True only if ``cancel`` reduces ``expr`` to 0 (an identity of rational functions)."""
    return bool(sp.cancel(sp.together(expr)) == 0)


def is_positive_on_open_cube(expr: Any, peaks: Iterable[Any]) -> bool:
    """True only if sympy proves ``expr > 0`` for all the given peaks in (0, 1)."""
    return sp.factor(sp.cancel(sp.together(open_cube(expr, peaks)))).is_positive is True


def normal_products(expr: Any) -> sp.Expr:
    """Every Product body factored, so products with equal bodies compare equal."""
    return sp.sympify(expr).replace(
        lambda e: isinstance(e, sp.Product),
        lambda e: sp.Product(sp.factor(e.function), *e.limits))


def same(left: Any, right: Any) -> bool:
    """sympy proves ``left == right`` (sums and products with symbolic bounds allowed)."""
    diff = normal_products(left) - normal_products(right)
    return bool(is_zero(diff) or sp.simplify(diff) == 0)


def truth(ok: bool) -> sp.Basic:
    return sp.true if ok else sp.false


# --------------------------------------------------------------------------- branches


def triangle(a: Any) -> sp.Piecewise:
    """``T_a`` as a sympy Piecewise (docs/theory.md §2)."""
    return sp.Piecewise((X / a, X <= a), ((1 - X) / (1 - a), True))


class UndecidedBranch(ArithmeticError):
    """sympy cannot decide which branch of the triangle is met (a wrong triangle or value)."""


def select_branch(a: Any, value: Any, tri: Any = None) -> tuple[sp.Expr, str]:
    """The piece of ``T_a`` (or of ``tri``, a Piecewise in ``X``) whose condition holds at ``value``.

    The Piecewise condition is evaluated at ``value`` with ``a`` in (0, 1)
    (:func:`in_unit_interval`).  Returns (expression, "left" or "right").
    """
    piecewise = triangle(a) if tri is None else tri
    assumed = in_unit_interval(a)
    for number, (expr, cond) in enumerate(piecewise.args):
        decided = sp.sympify(cond).subs(X, value).subs(a, assumed)
        if decided is sp.true:
            return expr, "left" if number == 0 else "right"
        if decided is not sp.false:
            raise UndecidedBranch(f"branch of T_{a} at {value} not decided: {decided}")
    raise UndecidedBranch(f"no branch of T_{a} selected at {value}")


def branch_at(a: Any, value: Any, tri: Any = None) -> tuple[sp.Expr, sp.Expr, str]:
    """The branch of ``T_a`` active near ``value``: (slope, T_a(value), "left" or "right").

    At the values used here (0, 1, ``a -+ e`` with a small ``e > 0``, interior
    points) the branch selected at ``value`` (:func:`select_branch`) is active on
    a one-sided neighbourhood.
    """
    expr, name = select_branch(a, value, tri)
    return sp.diff(expr, X), sp.cancel(expr.subs(X, value)), name


def chain_factors(peaks: list, start_value: Any = sp.Integer(1)) -> list[tuple[sp.Expr, str]]:
    """Slope factors of the later waves at a point where the current wave equals ``start_value``.

    ``peaks`` are the peaks of the layers after the one with the peak, in order.
    Returns ``(factor, branch name)`` per layer: the slope of ``W_{i+m}`` at the
    point divided by the slope of ``W_i`` there (the same on both sides).
    """
    factors = []
    value, total = start_value, sp.Integer(1)
    for a in peaks:
        slope, value, name = branch_at(a, value)
        total = total * slope
        factors.append((total, name))
    return factors


def one_sided_slopes_at_peak(a: Any, sigma: Any, tri: Any = None) -> dict[str, tuple[Any, Any]]:
    """``(sigma-, sigma+)`` of ``W_i = T_{a_i} o W_{i-1}`` at a peak p, from the branches.

    ``W_{i-1}(p) = a_i`` and ``W_{i-1}`` has slope ``+sigma`` or ``-sigma``
    (``sigma > 0``) near p.  Left of p, ``W_{i-1}`` takes the values ``a -+ e``
    (increasing / decreasing case), right of p ``a +- e``; the branch of ``T_a`` met
    there is read off the Piecewise and differentiated (chain rule).
    """
    e = sp.Symbol("e", positive=True)
    below = branch_at(a, a - e * a, tri)[0]          # slope of T_a just below a
    above = branch_at(a, a + e * (1 - a), tri)[0]    # just above a (e < 1 keeps it in (a, 1))
    return {"increasing": (sigma * below, sigma * above),
            "decreasing": (-sigma * above, -sigma * below)}


# --------------------------------------------------------------------------- induction


@lru_cache(maxsize=None)
def _peel_holds(kind: str, index: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> bool:
    """sympy merges ``[lo, hi-1]`` and ``[hi, hi]`` back into ``[lo, hi]`` for a generic sequence g.

    The identity is proved once for an undefined function ``g`` (so for every
    sequence), then used with any body.
    """
    g = sp.Function("g")
    if kind == "product":
        merged = product_simplify(sp.Product(g(index), (index, lo, hi - 1))
                                  * sp.Product(g(index), (index, hi, hi)))
        whole: sp.Expr = sp.Product(g(index), (index, lo, hi))
        single = sp.Product(g(index), (index, hi, hi)).doit()
    else:
        merged = sum_simplify(sp.Sum(g(index), (index, lo, hi - 1)) + sp.Sum(g(index), (index, hi, hi)))
        whole = sp.Sum(g(index), (index, lo, hi))
        single = sp.Sum(g(index), (index, hi, hi)).doit()
    return bool(merged == whole and single == g(hi))


def peel_product(body: Any, k: Any, lo: Any, hi: Any) -> tuple[sp.Expr, sp.Expr, bool]:
    """``prod_{k=lo}^{hi} body = (prod_{k=lo}^{hi-1} body) * body(hi)``, confirmed by sympy.

    Returns (shorter product, last factor, confirmed): sympy's ``product_simplify``
    must merge the two adjacent products of a generic sequence back into one,
    and ``doit`` must evaluate the one-term product to its factor
    (:func:`_peel_holds`).
    """
    shorter = sp.Product(body, (k, lo, hi - 1))
    return shorter, sp.sympify(body).subs(k, hi), _peel_holds("product", k, sp.sympify(lo),
                                                              sp.sympify(hi))


def peel_sum(body: Any, j: Any, lo: Any, hi: Any) -> tuple[sp.Expr, sp.Expr, bool]:
    """``sum_{j=lo}^{hi} body = sum_{j=lo}^{hi-1} body + body(hi)``, confirmed by sympy (generic sequence)."""
    shorter = sp.Sum(body, (j, lo, hi - 1))
    return shorter, sp.sympify(body).subs(j, hi), _peel_holds("sum", j, sp.sympify(lo),
                                                              sp.sympify(hi))


def product_positive(body: Any, k: Any, lo: Any, hi: Any, label: str) -> tuple[bool, list[Step]]:
    """``prod_{k=lo}^{hi} body > 0`` for every ``hi >= lo - 1``, by induction on hi.

    Base: the empty product is 1.  Step: peel the last factor
    (:func:`peel_product`); it is positive when every peak ``A[...]`` in it lies
    in (0, 1).  Fails (returns False) if sympy cannot prove the factor positive.
    """
    base = sp.Product(body, (k, lo, lo - 1)).doit()
    _, last, peeled = peel_product(body, k, lo, hi + 1)
    peaks = sorted(last.atoms(sp.Indexed), key=str)
    positive = is_positive_on_open_cube(last, peaks)
    steps = [Step(f"{label}: base, empty product", sp.Eq(sp.Symbol("P"), base), "symbolic"),
             Step(f"{label}: step, last factor (peeled) is positive on (0,1)",
                  sp.StrictGreaterThan(last, 0) if positive else sp.false, "symbolic step")]
    return bool(base == 1 and peeled and positive), steps
