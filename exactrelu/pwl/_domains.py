"""Domain checks and rational formatting shared by :mod:`exactrelu.pwl` (private)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ..errors import DomainError
from ..rationals import to_rational

__all__: list[str] = []

Domain = tuple[Fraction | None, Fraction | None]


def fmt(v: Fraction) -> str:
    """An int as itself, a non-integer rational as a quoted string (paste-back form)."""
    return str(v.numerator) if v.denominator == 1 else repr(str(v))


def domain_str(domain: Domain) -> str:
    lo, hi = domain
    left = "(-inf" if lo is None else f"[{lo}"
    right = "+inf)" if hi is None else f"{hi}]"
    return f"{left}, {right}"


def parse_domain(domain: Any, names: tuple[str, str] = ("domain lower end", "domain upper end")) -> Domain:
    """Validate ``(lo, hi)`` (None ends allowed) or None (R); ``names`` label the ends in errors."""
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


def intersect(d1: Domain, d2: Domain) -> Domain:
    """The intersection of two domains (DomainError unless it is an interval of positive length)."""
    lo1, hi1 = d1
    lo2, hi2 = d2
    lo = lo2 if lo1 is None else lo1 if lo2 is None else max(lo1, lo2)
    hi = hi2 if hi1 is None else hi1 if hi2 is None else min(hi1, hi2)
    if lo is not None and hi is not None and lo >= hi:
        raise DomainError(f"domains {domain_str(d1)} and {domain_str(d2)} do not overlap in an interval")
    return lo, hi
