"""The search's lines of the theorem report (``exactrelu verify``)."""

from __future__ import annotations

from ..bounds import serra_bound
from ..constructions import zigzag_network
from ..propagate import propagate
from ..report import CheckResult
from .catalogue import CATALOGUE
from .engine import search
from .witness import Counterexample

__all__ = ["verify_checks", "check_refutes", "check_zigzag_reaches"]


def check_refutes(claim, *, budget: int = 600, seed: int = 0) -> CheckResult:
    """The search finds (and re-checks) a counterexample to ``claim``; fails on a true claim."""
    found = search(claim, seed=seed, budget=budget, strategies=("random", "local"))  # no shrinking: fast
    if isinstance(found, Counterexample):
        ok = found.recheck().violated
        value = f"violation {found.violation}: " + ", ".join(f"{k}={v}" for k, v in found.measured.items())
    else:
        ok, value = False, f"none in {found.evaluations} evaluations"
    return CheckResult(f"search refutes '{claim.statement}'", claim.source, ok, value, "a re-checked counterexample",
                       "" if ok else "the search found no witness for a claim known to be false")


def check_zigzag_reaches(widths: tuple[int, ...] = (3, 3), *, construction=zigzag_network) -> CheckResult:
    """``construction(widths)`` reaches B3 = prod(m_l + 1) pieces on R (Serra et al.'s tightness claim)."""
    pieces = propagate(construction(widths)).pieces
    bound = serra_bound(widths)
    return CheckResult(
        f"widths {tuple(widths)} reach prod(m_l + 1) = {bound} pieces on R (zigzag construction)",
        "Serra, Tjandraatmadja, Ramalingam 2018 (tightness claim); docs/theory.md §1", pieces == bound,
        str(pieces), f"{bound} = B3")


def verify_checks() -> list[CheckResult]:
    """Theorem-report lines for ``exactrelu verify``: the catalogue's false claims fall, (3,3) reaches 16."""
    results = [check_refutes(claim) for claim in CATALOGUE.values() if claim.expected is False]
    results.append(check_zigzag_reaches())
    return results
