"""The search strategies and the one hill climber (see :mod:`exactrelu.search`).

:func:`search` cuts its budget into :class:`~exactrelu.search.parallel.Unit`
work items (:func:`~exactrelu.search.parallel.plan`), runs them with
:func:`run_unit` on any executor and returns the witness of the
lowest-numbered successful unit.  :func:`hill_climb` is the local search of
both this engine and the tightness search.

Batched measurement: a claim with ``measure_many`` (see
:class:`~exactrelu.search.claim.Claim`) is measured by the ``random`` strategy in
blocks of up to :data:`BLOCK` witnesses, one call per block (for the catalogue's
network claims, one :func:`exactrelu.batch.propagate_mixed`).  The draws are
the same as one at a time (a block draws its witnesses from the unit's
generator in order, the witnesses after a find are dropped), the block is
scanned in draw order, every witness the batched measure shows violating is
measured again by the exact ``claim.evaluate`` (its value is the one used),
and only witnesses up to the find count as evaluations: the unit reports the
same witness, evaluations and best violation as without batching.
``hypothesis`` and ``local`` measure one witness at a time (each step depends
on the last).
"""

from __future__ import annotations

import random
import time
from concurrent.futures import Executor
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Union

from .._validate import check_int
from ..errors import ExactReluError, ShapeError
from .claim import Claim
from .parallel import Unit, execute, plan
from .spaces import NetworkSpace, PairSpace, PiecewiseLinearSpace
from .witness import Counterexample, SearchReport, resolve_claim

__all__ = ["STRATEGIES", "SIMPLIFY_BUDGET", "BLOCK", "UnitResult", "hill_climb", "run_unit", "search"]

#: The strategies a search combines, in the order their units interleave.
STRATEGIES = ("hypothesis", "random", "local")
#: Evaluations a found witness may spend on greedy simplification (at most the claim's own budget).
SIMPLIFY_BUDGET = 300
#: Most witnesses the random strategy measures per call of a claim's ``measure_many`` (blocks of 8, 16, ... up to it).
BLOCK = 64
_UNKNOWN = object()

Space = Union[NetworkSpace, PiecewiseLinearSpace, PairSpace]


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


def hill_climb(start: Any, start_score: Any, *, mutate: Callable[[Any], Any], score: Callable[[Any], Any],
               restart: Callable[[Any], Any], budget: int, patience: int,
               done: Callable[[Any], bool]) -> tuple[Any, Any, int]:
    """Hill climbing on an exact score: sideways moves accepted, a restart after ``patience`` stale steps.

    ``score`` returns a comparable value, or None for a candidate that cannot
    be judged (rejected); ``restart(best)`` gives the point to continue from
    after ``patience`` steps without improvement; ``done(best_score)`` stops
    early.  Every call of ``score`` counts against ``budget``.

    Returns
    -------
    (best, best_score, evaluations used)

    Notes
    -----
    The one climber of the counterexample and tightness searches.  Telgarsky's
    closest-network search (:func:`exactrelu.theorems.telgarsky.search.pattern_search`)
    is a different algorithm, kept apart on purpose: a coordinate pattern
    search with a shrinking dyadic mesh that minimises the exact L1 distance
    (strict improvements only, no restarts), where this one climbs a discrete
    score with random grid mutations, sideways moves and restarts (the
    reasons are in that function's docstring).
    """
    best, best_score = start, start_score
    current, current_score, stale, used = start, start_score, 0, 0
    while used < budget and not (best_score is not None and done(best_score)):
        if stale >= patience:
            current = restart(best)
            current_score, stale = score(current), 0
            used += 1
        else:
            candidate = mutate(current)
            s = score(candidate)
            used += 1
            if s is not None and (current_score is None or s >= current_score):
                stale = 0 if (current_score is None or s > current_score) else stale + 1
                current, current_score = candidate, s
            else:
                stale += 1
                continue
        if current_score is not None and (best_score is None or current_score > best_score):
            best, best_score = current, current_score
    return best, best_score, used


class _Tracker:
    """Counts evaluations and remembers the witness closest to a violation."""

    def __init__(self, claim, space):
        self.claim = claim
        self.space = space
        self.evaluations = 0
        self.errors = 0
        self.best: Fraction | None = None
        self.best_witness = None

    def _exact(self, witness) -> Fraction | None:
        try:
            return self.claim.evaluate(witness).violation
        except ExactReluError:  # e.g. a propagation budget: this witness cannot be judged
            return None

    def record(self, witness, v: Fraction | None) -> Fraction | None:
        """Count one evaluation of ``witness`` with exact violation ``v`` (None: not judged)."""
        self.evaluations += 1
        if v is None:
            self.errors += 1
            return None
        if self.best is None or v > self.best:
            self.best, self.best_witness = v, witness
        return v

    def violation(self, witness) -> Fraction | None:
        return self.record(witness, self._exact(witness))

    def measure_block(self, witnesses: list) -> list:
        """The claim's ``measure_many`` on a block (not counted); ``_UNKNOWN`` entries if it refuses."""
        measure = self.claim.measure_many
        if measure is not None:
            try:
                values = list(measure(witnesses))
            except ExactReluError:  # the block cannot be counted together: one at a time
                values = []
            if len(values) == len(witnesses):
                return values
        return [_UNKNOWN] * len(witnesses)


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


#: Hypothesis's check that a strategy leaves the global ``random`` state alone.
_RANDOM_IN_STRATEGY = "Do not use the `random` module inside strategies"


def _quiet_in_dask_worker() -> None:
    """In a Dask worker, ignore Hypothesis's "random module inside strategies" warning (a false positive there).

    Hypothesis compares the global ``random`` state before and after a draw;
    a Dask worker's event-loop thread moves that state (retry jitter,
    heartbeats) while our strategy draws in another thread, so the warning
    fires although :mod:`exactrelu.strategies` never touches ``random`` (the
    test suite checks that in-process with the warning as an error).  Only in
    a Dask worker, only that message.
    """
    import sys
    import warnings

    distributed = sys.modules.get("distributed")
    if distributed is None:
        return
    try:
        distributed.get_worker()
    except ValueError:  # not running in a worker
        return
    from hypothesis.errors import HypothesisDeprecationWarning

    warnings.filterwarnings("ignore", message=_RANDOM_IN_STRATEGY, category=HypothesisDeprecationWarning)


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
    _quiet_in_dask_worker()
    try:
        return find(tracker.space.strategy(), condition, settings=config, random=random.Random(seed))
    except NoSuchExample:
        return None


def _random_unit(tracker: _Tracker, seed: int, budget: int):
    rng = random.Random(seed)
    if tracker.claim.measure_many is not None:
        return _random_blocks(tracker, rng, budget)
    for _ in range(budget):
        witness = tracker.space.draw(rng)
        v = tracker.violation(witness)
        if v is not None and v > 0:
            return witness
    return None


def _random_blocks(tracker: _Tracker, rng: random.Random, budget: int):
    """:func:`_random_unit` with the claim's batched measure (same result; see the module docstring)."""
    drawn, size = 0, min(8, BLOCK)  # small first blocks: a quick find draws little in vain
    while drawn < budget:
        block = [tracker.space.draw(rng) for _ in range(min(size, budget - drawn))]
        drawn += len(block)
        size = min(2 * size, BLOCK)
        for witness, v in zip(block, tracker.measure_block(block)):
            if v is _UNKNOWN or (v is not None and v > 0):
                v = tracker._exact(witness)  # the exact measure decides every reported violation
            v = tracker.record(witness, v)
            if v is not None and v > 0:
                return witness
    return None


def _local_unit(tracker: _Tracker, seed: int, budget: int, patience: int = 60):
    """Hill climbing on the exact violation (:func:`hill_climb`), restarting from a fresh draw."""
    rng = random.Random(seed)
    space = tracker.space
    start = space.draw(rng)
    best, value, _ = hill_climb(
        start, tracker.violation(start), mutate=lambda w: space.mutate(w, rng), score=tracker.violation,
        restart=lambda best: space.draw(rng), budget=budget - 1, patience=patience, done=lambda v: v > 0)
    return best if value is not None and value > 0 else None


_UNITS: dict[str, Callable] = {"hypothesis": _hypothesis_unit, "random": _random_unit, "local": _local_unit}


def run_unit(claim, space, unit: Unit) -> UnitResult:
    """Run one work unit (module level, so every executor can pickle it)."""
    tracker = _Tracker(claim, space)
    witness = _UNITS[unit.strategy](tracker, unit.seed, unit.budget)
    found = None
    if witness is not None:
        if unit.strategy != "hypothesis":  # hypothesis has shrunk it already
            witness = _simplify(tracker, witness, min(SIMPLIFY_BUDGET, claim.budget))
        found = space.encode(witness)
    best = None if tracker.best_witness is None else space.encode(tracker.best_witness)
    return UnitResult(unit.index, unit.strategy, unit.seed, tracker.evaluations, tracker.best,
                      best, found, tracker.errors)


def search(
    claim: Claim | str,
    *,
    space: Space | None = None,
    widths: tuple[int, ...] | None = None,
    budget: int | None = None,
    seed: int = 0,
    strategies: tuple[str, ...] = STRATEGIES,
    executor: Executor | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Counterexample | SearchReport:
    """Search for a counterexample to ``claim``.

    Parameters
    ----------
    claim : Claim or str
        A claim, the name of one in :mod:`exactrelu.search.catalogue`, or an
        importable ``"module:function"``.
    space : optional
        Search space; default the claim's.
    widths : tuple of int, optional
        Hidden widths, replacing those of a network space.
    budget : int, optional
        Evaluations (default the claim's); simplification of a found witness is extra.
    seed : int
        Every unit's seed derives from it: the same seed gives the same answer.
    strategies : tuple of str
        A subset of ``("hypothesis", "random", "local")``.
    executor : concurrent.futures.Executor, optional
        Where units run (see :func:`make_executor`); default in-process.
    progress : callable, optional
        Called as ``progress(done, total)`` after every unit.

    Returns
    -------
    Counterexample or SearchReport
        ``result.found`` tells which.

    Examples
    --------
    >>> result = search("regions-equal-pieces", budget=300, seed=1)
    >>> result.found, result.recheck().violated
    (True, True)
    """
    claim = resolve_claim(claim)
    space = claim.space if space is None else space
    if space is None:
        raise ShapeError(f"claim {claim.name!r} has no search space: give space=, or reference a Claim "
                         "object (module:CLAIM) rather than its function")
    if widths is not None:
        if not isinstance(space, NetworkSpace):
            raise ShapeError(f"widths={widths!r} given, but claim {claim.name!r} is not about networks")
        space = NetworkSpace(tuple(widths), space.max_numerator, space.max_denominator)
    budget = claim.budget if budget is None else budget
    check_int("budget", budget, 1)
    bad = [s for s in strategies if s not in STRATEGIES]
    if bad or not strategies:
        raise ShapeError(f"strategies={strategies!r}: choose from {STRATEGIES}")
    units = plan(seed, budget, tuple(strategies))
    start = time.perf_counter()
    results = execute(run_unit, (claim, space), units, executor, progress)
    seconds = time.perf_counter() - start
    by_strategy: dict[str, int] = {}
    for r in results:
        by_strategy[r.strategy] = by_strategy.get(r.strategy, 0) + r.evaluations
    best = None
    for r in results:
        if r.best_violation is not None and (best is None or r.best_violation > best.best_violation):
            best = r
    report = SearchReport(
        claim.name, space.describe(), seed, budget, sum(by_strategy.values()), by_strategy, len(results),
        None if best is None else best.best_violation, None if best is None else best.best_witness,
        sum(r.errors for r in results), seconds,
    )
    last = results[-1] if results else None
    if last is None or last.found is None:
        return report
    witness = space.decode(last.found)
    return Counterexample(claim, space, witness, claim.evaluate(witness), last.strategy, last.seed, report)
