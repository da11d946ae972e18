"""Domain checks and rational formatting shared by :mod:`exactrelu.pwl` (private)."""

from __future__ import annotations

from fractions import Fraction
from ..errors import DomainError

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


def intersect(d1: Domain, d2: Domain) -> Domain:
    """The intersection of two domains (DomainError unless it is an interval of positive length)."""
    lo1, hi1 = d1
    lo2, hi2 = d2
    lo = lo2 if lo1 is None else lo1 if lo2 is None else max(lo1, lo2)
    hi = hi2 if hi1 is None else hi1 if hi2 is None else min(hi1, hi2)
    if lo is not None and hi is not None and lo >= hi:
        raise DomainError(f"domains {domain_str(d1)} and {domain_str(d2)} do not overlap in an interval")
    return lo, hi
