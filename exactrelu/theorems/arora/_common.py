"""Shared names of the Arora et al. (2018) checks: the report type and the citation."""

from __future__ import annotations

from ...report import CheckResult

__all__ = ["CheckResult", "SOURCE", "budget_error"]

#: Citation used by every check of this package.
SOURCE = "Arora, Basu, Mianjy, Mukherjee (ICLR 2018)"


def budget_error(name: str, budget: int, required: int, unit: str) -> Exception:
    """A :class:`~exactrelu.errors.BudgetExceededError` for a budget of this package."""
    from ...errors import BudgetExceededError

    return BudgetExceededError(budget=budget, layer=0, required=required, name=name, unit=unit)
