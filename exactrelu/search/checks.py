"""The search's lines of the theorem report (``exactrelu verify``)."""

from __future__ import annotations

from ..bounds import serra_bound
from ..constructions import zigzag_network
from ..propagate import propagate
from ..report import CheckResult
from .catalogue import CATALOGUE
from .engine import search
from .witness import Counterexample

__all__ = ["verify_checks"]


def verify_checks() -> list[CheckResult]:
    """Theorem-report lines for ``exactrelu verify``: the catalogue's false claims fall, (3,3) reaches 16."""
    results: list[CheckResult] = []
    for claim in CATALOGUE.values():
        if claim.expected is not False:
            continue
        found = search(claim, seed=0, budget=600, strategies=("random", "local"))  # no shrinking: fast
        if isinstance(found, Counterexample):
            ok = found.recheck().violated
            value = f"violation {found.violation}: " + ", ".join(f"{k}={v}" for k, v in found.measured.items())
        else:
            ok, value = False, f"none in {found.evaluations} evaluations"
        results.append(CheckResult(
            f"search refutes '{claim.statement}'", claim.source, ok, value, "a re-checked counterexample",
            "" if ok else "the search found no witness for a claim known to be false"))
    net = zigzag_network((3, 3))
    pieces = propagate(net).pieces
    results.append(CheckResult(
        "widths (3,3) reach prod(m_l + 1) = 16 pieces on R (zigzag construction)",
        "Serra, Tjandraatmadja, Ramalingam 2018 (tightness claim); docs/theory.md §1", pieces == serra_bound((3, 3)) == 16,
        str(pieces), "16 = B3"))
    return results
