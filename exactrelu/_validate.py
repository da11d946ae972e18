"""One copy of every argument check: integers, widths, domains and intervals.

Every check raises a typed exactrelu error naming the argument and its value
(``widths[1]=0: ...``).  The error class can be chosen, so a caller with its
own error type (e.g. :class:`exactrelu.strategies.InvalidArgument`) reuses the
same check.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from .errors import DomainError, ShapeError
from .rationals import to_rational

__all__ = ["check_int", "check_widths", "parse_domain", "check_interval", "Domain"]

#: A domain as the library stores it: ``(lo, hi)``, None marking an infinite end.
Domain = tuple[Fraction | None, Fraction | None]


def check_int(name: str, value: Any, minimum: int | None = None, *,
              error: type[Exception] = ShapeError) -> int:
    """``value`` if it is an int (not a bool) and at least ``minimum``; else ``error``.

    >>> check_int("k", 3, 1)
    3
    >>> check_int("k", True, 1)
    Traceback (most recent call last):
    ...
    exactrelu.errors.ShapeError: k=True must be an int >= 1
    """
    if isinstance(value, bool) or not isinstance(value, int) or (minimum is not None and value < minimum):
        bound = "" if minimum is None else f" >= {minimum}"
        raise error(f"{name}={value!r} must be an int{bound}")
    return value


def check_widths(widths: Any, *, name: str = "widths", allow_empty: bool = False,
                 error: type[Exception] = ShapeError) -> tuple[int, ...]:
    """Hidden widths as a tuple of positive ints.

    >>> check_widths([3, 2])
    (3, 2)
    >>> check_widths((3, 0))
    Traceback (most recent call last):
    ...
    exactrelu.errors.ShapeError: widths=(3, 0): widths[1]=0: hidden widths must be positive ints
    """
    if isinstance(widths, (str, bytes)):
        raise error(f"{name}={widths!r} must be a sequence of positive ints")
    try:
        result = tuple(widths)
    except TypeError:
        raise error(f"{name}={widths!r} must be a sequence of positive ints") from None
    for i, m in enumerate(result):
        if isinstance(m, bool) or not isinstance(m, int) or m < 1:
            raise error(f"{name}={widths!r}: {name}[{i}]={m!r}: hidden widths must be positive ints")
    if not result and not allow_empty:
        raise error(f"{name}=() : at least one hidden layer is needed")
    return result


def parse_domain(domain: Any, names: tuple[str, str] = ("domain lower end", "domain upper end")) -> Domain:
    """Validate ``(lo, hi)`` (None ends allowed) or None (all of R).

    ``names`` label the two ends in error messages.

    >>> parse_domain((0, "1/2"))
    (Fraction(0, 1), Fraction(1, 2))
    >>> parse_domain((1, 0))
    Traceback (most recent call last):
    ...
    exactrelu.errors.DomainError: domain=(1, 0) is reversed
    """
    if domain is None:
        return None, None
    if isinstance(domain, (str, bytes)):
        raise DomainError(f"domain={domain!r} must be a pair (lo, hi) or None for R")
    try:
        lo, hi = domain
    except (TypeError, ValueError):
        raise DomainError(f"domain={domain!r} must be a pair (lo, hi) or None for R") from None
    a = None if lo is None else to_rational(lo, where=names[0])
    b = None if hi is None else to_rational(hi, where=names[1])
    if a is not None and b is not None:
        if a > b:
            raise DomainError(f"domain=({a}, {b}) is reversed")
        if a == b:
            raise DomainError(f"domain=({a}, {b}) is empty (zero length)")
    return a, b


def check_interval(a: Any, b: Any, names: tuple[str, str] = ("a", "b")) -> tuple[Fraction, Fraction]:
    """A bounded interval ``[a, b]`` with ``a < b``, as Fractions.

    >>> check_interval(0, 1)
    (Fraction(0, 1), Fraction(1, 1))
    >>> check_interval(1, 1)
    Traceback (most recent call last):
    ...
    exactrelu.errors.DomainError: the interval [a, b] = [1, 1] must have a < b
    """
    lo, hi = to_rational(a, where=names[0]), to_rational(b, where=names[1])
    if lo >= hi:
        raise DomainError(f"the interval [{names[0]}, {names[1]}] = [{lo}, {hi}] must have {names[0]} < {names[1]}")
    return lo, hi
