"""The one result type for "a measured value against what the theory says, and whether it holds".

:class:`CheckResult` is a line of the theorem report (``exactrelu verify``),
a bound compared with a count (:class:`exactrelu.bounds.BoundCheck`), a lemma
or theorem checked on one instance (:mod:`exactrelu.theorems`), and a claim
measured on one witness (:class:`exactrelu.search.Evaluation`).  Subclasses
add typed evidence fields; every member of the family has ``name``,
``source``, ``holds``, ``value`` (the exact measured value, as text),
``expected`` (the value or bound predicted), ``detail`` and an optional
``witness`` (the object that shows it, e.g. a failing input).
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from typing import Any, Callable

__all__ = ["CheckResult", "compare", "REPORT_FIELDS"]

#: The fields every report line has, in table order.
REPORT_FIELDS = ("name", "source", "holds", "value", "expected", "detail")

_RELATIONS: dict[str, Callable[[Any, Any], bool]] = {
    "<=": operator.le, ">=": operator.ge, "==": operator.eq, "<": operator.lt, ">": operator.gt,
}


@dataclass(frozen=True)
class CheckResult:
    """One exact check: what was measured, what was expected, whether it holds, where it comes from.

    Examples
    --------
    >>> c = CheckResult("pieces of D^3", "Telgarsky (2016)", True, "8", "2^3")
    >>> c.holds, c.to_dict()["expected"]
    (True, '2^3')
    """

    name: str
    source: str
    holds: bool
    value: str
    expected: str
    detail: str = ""
    witness: Any = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict:
        """The report fields as JSON-ready values (subclasses' extra evidence is left out)."""
        return {name: getattr(self, name) for name in REPORT_FIELDS}


def compare(name: str, source: str, measured: Any, relation: str, bound: Any, *, detail: str = "",
            witness: Any = None) -> CheckResult:
    """A :class:`CheckResult` for ``measured <relation> bound``, decided exactly.

    ``relation`` is one of ``<=``, ``>=``, ``==``, ``<``, ``>``; ``measured``
    and ``bound`` are exact numbers (int, Fraction) or anything comparable.

    >>> compare("pieces", "B1", 16, "<=", 16).holds
    True
    >>> compare("pieces", "B1", 17, "<=", 16).expected
    '<= 16'
    """
    try:
        op = _RELATIONS[relation]
    except KeyError:
        raise ValueError(f"relation={relation!r} must be one of {sorted(_RELATIONS)}") from None
    return CheckResult(name, source, bool(op(measured, bound)), str(measured), f"{relation} {bound}",
                       detail, witness)
