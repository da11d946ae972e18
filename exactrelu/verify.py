"""The built-in theorem report behind ``exactrelu verify``: an explicit registry of check providers.

Each provider returns a list of :class:`~exactrelu.report.CheckResult`: an
exact measured value, the value or bound the theory predicts, the source, and
whether it holds.  Providers live beside their theorems
(``exactrelu.theorems.telgarsky.verify_checks``, ...) and are listed in
:data:`PROVIDERS`, in report order; this module imports them (downwards),
never the other way round.
"""

from __future__ import annotations

from typing import Callable

from .report import CheckResult

__all__ = ["CheckResult", "run_checks", "foundation_checks", "PROVIDERS", "providers"]


def _telgarsky() -> list[CheckResult]:
    from .theorems import telgarsky

    return telgarsky.verify_checks()


def _milkert() -> list[CheckResult]:
    from .theorems import milkert

    return milkert.verify_checks()


def _regions() -> list[CheckResult]:
    from .theorems import regions

    return regions.verify_checks()


def _arora() -> list[CheckResult]:
    from .theorems import arora

    return arora.verify_checks()


def _batch() -> list[CheckResult]:
    from . import batch

    return batch.verify_checks()


def _search() -> list[CheckResult]:
    from .search import checks

    return checks.verify_checks()


def providers() -> list[tuple[str, Callable[[], list[CheckResult]]]]:
    """``(name, provider)`` pairs in report order (the theorem modules are imported when run)."""
    return [("foundations", foundation_checks), *PROVIDERS]


#: The theorem families' providers, in report order; each is a module's ``verify_checks``.
PROVIDERS: tuple[tuple[str, Callable[[], list[CheckResult]]], ...] = (
    ("telgarsky", _telgarsky),
    ("milkert", _milkert),
    ("batch", _batch),
    ("regions", _regions),
    ("arora", _arora),
    ("search", _search),
)


def run_checks(progress: bool = False) -> list[CheckResult]:
    """Run every provider's checks and return the results in order."""
    found = providers()
    results: list[CheckResult] = []
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(found), desc="verify", unit="family", leave=False)
    for _, provider in found:
        results.extend(provider())
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    return results


def foundation_checks() -> list[CheckResult]:
    """Known exact answers of docs/theory.md §1-§2 (:mod:`exactrelu.theorems.foundations`)."""
    from .theorems import foundations

    return foundations.verify_checks()


