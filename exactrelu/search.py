"""Counterexample search: exact, re-checkable witnesses against claims about ReLU networks.

A :class:`Claim` is a statement about a network, a piecewise-linear function
or a pair of them, with a function that measures it exactly and returns an
:class:`Evaluation`: the measured quantities and the *violation*, an exact
rational that is positive exactly when the claim fails for that witness (a
predicate returning ``bool`` or a function returning a number are accepted
too).  :func:`search` looks for a witness with positive violation within a
budget of evaluations and returns either a :class:`Counterexample` or a
:class:`SearchReport` saying how much was searched and how close it came.

Strategies (combined; each gets a share of the budget, cut into work units):

``hypothesis``
    Hypothesis's own engine (``hypothesis.find`` on the strategies of
    :mod:`exactrelu.strategies`, guided by ``target(violation)``), so found
    witnesses are *shrunk* to small, readable ones.  Imported lazily.
``random``
    Independent draws from the space's small rational grid.
``local``
    Hill climbing on the exact violation (one to three parameters changed per
    step, sideways moves accepted, restarts), which climbs towards a
    violation that random draws rarely hit.

Witnesses found by ``random``/``local`` are then simplified greedily (0,
integers, halves) while they still violate the claim.  Every unit has a seed
derived from the search seed, so a run is reproducible, and the witness
returned is that of the lowest-numbered successful unit, the same for any
executor and any number of workers (see :mod:`exactrelu._search_engine`).

Witnesses are saved as JSON (rationals as strings, a format version, never
pickle) and re-checked by ``exactrelu check WITNESS.json`` or
:meth:`Counterexample.recheck`.  The catalogue of named claims is
:mod:`exactrelu.claims`; the tightness search (most pieces an architecture
reaches on R) is :func:`tightness_search`.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import Executor
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, Union

from . import _search_engine as E
from ._search_spaces import NetworkSpace, PairSpace, PiecewiseLinearSpace, space_from_dict
from ._search_tightness import (
    TightnessResult,
    refined_region_bound,
    tightness_search,
    tightness_table,
    zigzag_network,
)
from .errors import ExactReluError, NetworkFormatError, ShapeError

__all__ = [
    "Claim",
    "Evaluation",
    "Counterexample",
    "SearchReport",
    "NetworkSpace",
    "PiecewiseLinearSpace",
    "PairSpace",
    "STRATEGIES",
    "WITNESS_FORMAT_VERSION",
    "search",
    "load_witness",
    "make_executor",
    "tightness_search",
    "tightness_table",
    "TightnessResult",
    "refined_region_bound",
    "zigzag_network",
    "verify_checks",
]

STRATEGIES = E.STRATEGIES
#: Version of the witness JSON format written by :meth:`Counterexample.to_json`.
WITNESS_FORMAT_VERSION = 1

Space = Union[NetworkSpace, PiecewiseLinearSpace, PairSpace]


@dataclass(frozen=True)
class Evaluation:
    """The exact measurement of a claim on one witness.

    Attributes
    ----------
    violation : Fraction
        Positive exactly when the claim fails (e.g. ``measured - bound``).
    measured : dict
        Named exact quantities (int or Fraction), e.g. ``{"pieces": 16, "bound": 13}``.
    """

    violation: Fraction
    measured: dict = field(default_factory=dict)

    @property
    def violated(self) -> bool:
        return self.violation > 0

    def to_dict(self) -> dict:
        return {"violation": str(self.violation), "measured": {k: str(v) for k, v in self.measured.items()}}


@dataclass(frozen=True)
class Claim:
    """A claim the search can test.

    Parameters
    ----------
    name : str
        Short identifier (the catalogue's key, quoted in witness files).
    statement : str
        The claim in words.
    function : callable
        ``function(witness)`` returns an :class:`Evaluation`, a number (the
        violation) or a bool (True: the claim holds for this witness).  Must be
        a module-level function for process or Dask executors (pickling).
    space : NetworkSpace, PiecewiseLinearSpace or PairSpace
        The default search space (what a witness is).
    source : str
        Where the claim comes from.
    expected : bool or None
        True if the claim is a theorem, False if it is known to be false, None if open.
    budget : int
        Default number of evaluations.
    """

    name: str
    statement: str
    function: Callable[[Any], Any]
    space: Any
    source: str = ""
    expected: bool | None = None
    budget: int = 1500

    def evaluate(self, witness) -> Evaluation:
        """Measure the claim on ``witness`` exactly."""
        out = self.function(witness)
        if isinstance(out, Evaluation):
            return out
        if isinstance(out, bool):
            return Evaluation(Fraction(0) if out else Fraction(1), {"holds": int(out)})
        if isinstance(out, (int, Fraction)):
            return Evaluation(Fraction(out), {})
        raise TypeError(
            f"claim {self.name!r}: function returned {type(out).__name__}; "
            "expected an Evaluation, a bool (holds) or an exact number (violation)"
        )


@dataclass(frozen=True)
class SearchReport:
    """What a search did when it found no counterexample (or on the way to one).

    ``best_violation`` is the largest violation seen (<= 0 when nothing was
    found: how close the search came) and ``best_witness`` the witness with it.
    """

    claim: str
    space: dict
    seed: int
    budget: int
    evaluations: int
    by_strategy: dict
    units: int
    best_violation: Fraction | None
    best_witness: Any
    errors: int
    seconds: float

    found = False

    def to_dict(self) -> dict:
        return {
            "claim": self.claim, "space": self.space, "seed": self.seed, "budget": self.budget,
            "evaluations": self.evaluations, "by_strategy": self.by_strategy, "units": self.units,
            "best_violation": None if self.best_violation is None else str(self.best_violation),
            "best_witness": self.best_witness, "errors": self.errors, "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class Counterexample:
    """An exact witness that violates a claim, with what was measured and how it was found."""

    claim: Claim
    space: Any
    witness: Any
    evaluation: Evaluation
    strategy: str
    unit_seed: int
    report: SearchReport | None = None

    found = True

    @property
    def measured(self) -> dict:
        return self.evaluation.measured

    @property
    def violation(self) -> Fraction:
        return self.evaluation.violation

    def recheck(self) -> Evaluation:
        """Recompute every measured quantity from scratch (from the witness's JSON form)."""
        fresh = self.space.decode(json.loads(json.dumps(self.space.encode(self.witness))))
        return self.claim.evaluate(fresh)

    def to_dict(self) -> dict:
        from . import __version__

        data = {
            "format": "exactrelu.witness",
            "version": WITNESS_FORMAT_VERSION,
            "claim": self.claim.name,
            "statement": self.claim.statement,
            "source": self.claim.source,
            "space": self.space.describe(),
            "witness": self.space.encode(self.witness),
            **self.evaluation.to_dict(),
            "found_by": {"strategy": self.strategy, "unit_seed": self.unit_seed},
            "exactrelu_version": __version__,
        }
        if self.report is not None:
            data["found_by"].update(seed=self.report.seed, budget=self.report.budget,
                                    evaluations=self.report.evaluations)
        return data

    def to_json(self, *, indent: int | None = 1) -> str:
        return json.dumps(self.to_dict(), indent=indent)

    def save(self, path: str) -> None:
        """Write the witness file (JSON, rationals as strings)."""
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(self.to_json())
            handle.write("\n")

    def __repr__(self) -> str:
        return (f"<Counterexample to {self.claim.name!r}: violation {self.violation}, "
                f"measured {{{', '.join(f'{k}: {v}' for k, v in self.measured.items())}}}, "
                f"witness {self.witness!r}>")


def load_witness(path_or_data: Any, *, claim: Claim | None = None) -> Counterexample:
    """Read a witness file (or its parsed dict) back into a :class:`Counterexample`.

    The claim is looked up by name in :mod:`exactrelu.claims` unless ``claim``
    is given (for claims of your own).  The stored measurements are kept in
    :attr:`Counterexample.evaluation`; call :meth:`~Counterexample.recheck` to
    recompute them.

    Raises
    ------
    NetworkFormatError
        Unreadable or malformed file, wrong format or version, unknown claim.
    """
    if isinstance(path_or_data, dict):
        data = path_or_data
    else:
        try:
            with open(path_or_data, encoding="utf-8") as handle:
                data = json.load(handle)
        except OSError as exc:
            raise NetworkFormatError(f"cannot read {path_or_data}: {exc.strerror}") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise NetworkFormatError(f"{path_or_data} is not a JSON witness file: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != "exactrelu.witness":
        raise NetworkFormatError("not an exactrelu witness file (format must be 'exactrelu.witness')")
    if data.get("version") != WITNESS_FORMAT_VERSION:
        raise NetworkFormatError(
            f"version={data.get('version')!r}: this exactrelu reads witness format version {WITNESS_FORMAT_VERSION}")
    for key in ("claim", "space", "witness", "violation", "measured"):
        if key not in data:
            raise NetworkFormatError(f"witness file lacks the key {key!r}")
    if claim is None:
        from .claims import get_claim

        try:
            claim = get_claim(data["claim"])
        except KeyError as exc:
            raise NetworkFormatError(str(exc.args[0])) from None
    elif claim.name != data["claim"]:
        raise NetworkFormatError(f"the file is a witness for {data['claim']!r}, not for {claim.name!r}")
    space = space_from_dict(data["space"])
    try:
        witness = space.decode(data["witness"])
        measured = {str(k): Fraction(str(v)) for k, v in dict(data["measured"]).items()}
        violation = Fraction(str(data["violation"]))
    except (ValueError, TypeError, ZeroDivisionError) as exc:
        raise NetworkFormatError(f"malformed witness: {exc}") from None
    found_by = data.get("found_by") or {}
    return Counterexample(claim, space, witness, Evaluation(violation, measured),
                          str(found_by.get("strategy", "?")), int(found_by.get("unit_seed", 0) or 0))


def make_executor(*, workers: int | None = None, scheduler: str | None = None):
    """An executor and a closer: a Dask cluster's for ``scheduler``, else local processes.

    ``workers`` in (None, 0, 1) without a scheduler means in-process (``None``
    executor).  Needs the ``exactrelu[dask]`` extra for a scheduler address.
    Returns ``(executor, close)``; call ``close()`` when done.
    """
    if scheduler:
        try:
            from distributed import Client
        except ImportError:
            raise ShapeError("--scheduler needs dask.distributed: pip install 'exactrelu[dask]'") from None
        client = Client(scheduler)
        return client.get_executor(), client.close
    if workers is None or workers <= 1:
        return None, lambda: None
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=workers)
    return pool, lambda: pool.shutdown(wait=True, cancel_futures=True)


def _resolve(claim: Claim | str) -> Claim:
    if isinstance(claim, Claim):
        return claim
    if isinstance(claim, str):
        from .claims import get_claim

        return get_claim(claim)
    raise TypeError(f"claim={claim!r} must be a Claim or a catalogue name")


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
        A claim, or the name of one in :mod:`exactrelu.claims`.
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
    claim = _resolve(claim)
    space = claim.space if space is None else space
    if widths is not None:
        if not isinstance(space, NetworkSpace):
            raise ShapeError(f"widths={widths!r} given, but claim {claim.name!r} is not about networks")
        space = NetworkSpace(tuple(widths), space.max_numerator, space.max_denominator)
    budget = claim.budget if budget is None else budget
    if isinstance(budget, bool) or not isinstance(budget, int) or budget < 1:
        raise ShapeError(f"budget={budget!r} must be a positive int")
    bad = [s for s in strategies if s not in STRATEGIES]
    if bad or not strategies:
        raise ShapeError(f"strategies={strategies!r}: choose from {STRATEGIES}")
    units = E.plan(seed, budget, tuple(strategies))
    start = time.perf_counter()
    results = E.execute(E.run_unit, (claim, space), units, executor, progress)
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


def verify_checks() -> list:
    """Theorem-report lines for ``exactrelu verify``: the catalogue's false claims fall, (3,3) reaches 16."""
    from .bounds import serra_bound
    from .claims import CATALOGUE
    from .verify import CheckResult

    results = []
    for claim in CATALOGUE.values():
        if claim.expected is not False:
            continue
        found = search(claim, seed=0, budget=600, strategies=("random", "local"))  # no shrinking: fast
        ok = found.found and found.recheck().violated
        value = (f"violation {found.violation}: " + ", ".join(f"{k}={v}" for k, v in found.measured.items())
                 if found.found else f"none in {found.evaluations} evaluations")
        results.append(CheckResult(
            f"search refutes '{claim.statement}'", claim.source, ok, value, "a re-checked counterexample",
            "" if ok else "the search found no witness for a claim known to be false"))
    net = zigzag_network((3, 3))
    from .propagate import propagate

    pieces = propagate(net).pieces
    results.append(CheckResult(
        "widths (3,3) reach prod(m_l + 1) = 16 pieces on R (zigzag construction)",
        "Serra, Tjandraatmadja, Ramalingam 2018 (tightness claim); THEORY.md 1", pieces == serra_bound((3, 3)) == 16,
        str(pieces), "16 = B3"))
    return results
