"""Work units and their scheduling for :mod:`exactrelu.search` (private).

A search is cut into *work units* ``(index, strategy, seed, budget)`` that
depend only on the search's seed and budget, never on the number of workers.
Each unit is a call of the module-level :func:`run_unit` (picklable: the claim
and space are frozen dataclasses of plain values and module-level functions),
so units run in-process, on a process pool, or on a Dask cluster alike.

The answer is the counterexample of the *lowest-indexed* unit that found
one.  Units with a higher index are cancelled once a lower one succeeds, but
every lower unit is still awaited, so the witness is the same for one worker
or fifty.  (How many evaluations were spent may differ: units that were
already running when the answer was settled also report their work.)
"""

from __future__ import annotations

import hashlib
import random
from concurrent.futures import CancelledError, Executor, as_completed
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable

from .errors import ExactReluError

__all__: list[str] = []

#: The strategies a search combines, in the order their units interleave.
STRATEGIES = ("hypothesis", "random", "local")
#: Evaluations per work unit (the last unit of a strategy may get fewer).
UNIT_BUDGET = 250
#: Evaluations a found witness may spend on greedy simplification.
SIMPLIFY_BUDGET = 300


@dataclass(frozen=True)
class Unit:
    index: int
    strategy: str
    seed: int
    budget: int


@dataclass(frozen=True)
class UnitResult:
    """What one unit reports (witnesses JSON-encoded, so any executor can ship them)."""

    index: int
    strategy: str
    seed: int
    evaluations: int
    best_violation: Fraction | None
    best_witness: Any
    found: Any = None
    errors: int = 0


def derive_seed(seed: int, *parts: object) -> int:
    """A 63-bit seed from the search seed and a unit's name (stable across runs and platforms)."""
    text = ":".join(str(p) for p in (seed, *parts))
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") >> 1


def plan(seed: int, budget: int, strategies: tuple[str, ...], unit_budget: int = UNIT_BUDGET) -> list[Unit]:
    """Cut ``budget`` evaluations into units, strategies interleaved (round robin)."""
    per_strategy = []
    for k, name in enumerate(strategies):
        share = budget // len(strategies) + (1 if k < budget % len(strategies) else 0)
        chunks = []
        while share > 0:
            chunks.append(min(unit_budget, share))
            share -= chunks[-1]
        per_strategy.append((name, chunks))
    units: list[Unit] = []
    depth = max((len(c) for _, c in per_strategy), default=0)
    for j in range(depth):
        for name, chunks in per_strategy:
            if j < len(chunks):
                units.append(Unit(len(units), name, derive_seed(seed, name, j), chunks[j]))
    return units


class _Tracker:
    """Counts evaluations and remembers the witness closest to a violation."""

    def __init__(self, claim, space):
        self.claim = claim
        self.space = space
        self.evaluations = 0
        self.errors = 0
        self.best: Fraction | None = None
        self.best_witness = None

    def violation(self, witness) -> Fraction | None:
        self.evaluations += 1
        try:
            v = self.claim.evaluate(witness).violation
        except ExactReluError:  # e.g. a propagation budget: this witness cannot be judged
            self.errors += 1
            return None
        if self.best is None or v > self.best:
            self.best, self.best_witness = v, witness
        return v


def _simplify(tracker: _Tracker, witness, budget: int):
    """Greedy: accept any simpler variant that still violates the claim, until none does."""
    spent = 0
    improved = True
    while improved and spent < budget:
        improved = False
        for candidate in tracker.space.simplifications(witness):
            if spent >= budget:
                break
            spent += 1
            v = tracker.violation(candidate)
            if v is not None and v > 0:
                witness, improved = candidate, True
                break
    return witness


def _hypothesis_unit(tracker: _Tracker, seed: int, budget: int):
    """Hypothesis's own engine (generation, targeting, shrinking); the shrunk witness or None."""
    from hypothesis import HealthCheck, find, settings, target
    from hypothesis.errors import NoSuchExample

    def condition(witness) -> bool:
        v = tracker.violation(witness)
        if v is None:
            return False
        target(max(min(float(v), 1e300), -1e300), label="violation")
        return v > 0

    config = settings(max_examples=budget, database=None, deadline=None,
                      suppress_health_check=list(HealthCheck), derandomize=False)
    try:
        return find(tracker.space.strategy(), condition, settings=config, random=random.Random(seed))
    except NoSuchExample:
        return None


def _random_unit(tracker: _Tracker, seed: int, budget: int):
    rng = random.Random(seed)
    for _ in range(budget):
        witness = tracker.space.draw(rng)
        v = tracker.violation(witness)
        if v is not None and v > 0:
            return witness
    return None


def _local_unit(tracker: _Tracker, seed: int, budget: int, patience: int = 60):
    """Hill climbing on the exact violation (sideways moves allowed), restarts after ``patience`` stale steps."""
    rng = random.Random(seed)
    current, value, stale = None, None, 0
    while tracker.evaluations < budget:
        if current is None or stale >= patience:
            current = tracker.space.draw(rng)
            value, stale = tracker.violation(current), 0
        else:
            candidate = tracker.space.mutate(current, rng)
            v = tracker.violation(candidate)
            if v is not None and (value is None or v >= value):
                stale = 0 if (value is None or v > value) else stale + 1
                current, value = candidate, v
            else:
                stale += 1
        if value is not None and value > 0:
            return current
    return None


_UNITS: dict[str, Callable] = {"hypothesis": _hypothesis_unit, "random": _random_unit, "local": _local_unit}


def run_unit(claim, space, unit: Unit) -> UnitResult:
    """Run one work unit (module level, so every executor can pickle it)."""
    tracker = _Tracker(claim, space)
    witness = _UNITS[unit.strategy](tracker, unit.seed, unit.budget)
    found = None
    if witness is not None:
        if unit.strategy != "hypothesis":  # hypothesis has shrunk it already
            witness = _simplify(tracker, witness, SIMPLIFY_BUDGET)
        found = space.encode(witness)
    best = None if tracker.best_witness is None else space.encode(tracker.best_witness)
    return UnitResult(unit.index, unit.strategy, unit.seed, tracker.evaluations, tracker.best,
                      best, found, tracker.errors)


def execute(function: Callable, args: tuple, units: list[Unit], executor: Executor | None,
            progress: Callable[[int, int], None] | None = None, stop_early: bool = True) -> list[UnitResult]:
    """Run ``function(*args, unit)`` for every unit; results in index order.

    ``progress(done, total)`` is called after every finished unit.

    With ``stop_early``, stop after the lowest-indexed unit whose result has a
    ``found`` witness, once every unit before it has finished (the same unit
    for any executor and any number of workers).
    """
    results: dict[int, Any] = {}
    if executor is None:
        for unit in units:
            r = function(*args, unit)
            results[unit.index] = r
            if progress:
                progress(len(results), len(units))
            if stop_early and getattr(r, "found", None) is not None:
                break
        return [results[i] for i in sorted(results)]
    futures = {executor.submit(function, *args, unit): unit.index for unit in units}
    first_found = None
    try:
        for future in as_completed(futures):
            if future.cancelled():
                continue
            try:
                r = future.result()
            except CancelledError:
                continue
            index = futures[future]
            results[index] = r
            if progress:
                progress(len(results), len(units))
            if stop_early and getattr(r, "found", None) is not None and (first_found is None or index < first_found):
                first_found = index
                for other, i in futures.items():
                    if i > first_found:
                        other.cancel()
            if first_found is not None and all(i in results for i in range(first_found)):
                break
    finally:
        for other in futures:
            other.cancel()
    if first_found is not None:
        return [results[i] for i in sorted(results) if i <= first_found]
    return [results[i] for i in sorted(results)]
