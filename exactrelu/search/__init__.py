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
executor and any number of workers (see :mod:`exactrelu.search.parallel`).

Witnesses are saved as JSON (rationals as strings, a format version, never
pickle) and re-checked by ``exactrelu check WITNESS.json`` or
:meth:`Counterexample.recheck`.  The catalogue of named claims is
:mod:`exactrelu.search.catalogue`; the tightness search (most pieces an
architecture reaches on R) is :func:`tightness_search`.

Modules, bottom up: ``spaces`` (what a witness is), ``claim`` (Claim,
Evaluation), ``catalogue`` (the named claims), ``witness`` (Counterexample,
SearchReport, witness files), ``parallel`` (work units and executors),
``engine`` (strategies, the hill climber, :func:`search`), ``tightness``,
``checks`` (the report lines of ``exactrelu verify``).
"""

from __future__ import annotations

from .catalogue import CATALOGUE, get_claim
from .checks import verify_checks
from .claim import Claim, Evaluation
from .engine import STRATEGIES, hill_climb, search
from .parallel import Unit, make_executor
from .spaces import NetworkSpace, PairSpace, PiecewiseLinearSpace
from .tightness import (
    TightnessResult,
    load_tightness,
    recheck_tightness,
    refined_region_bound,
    tightness_search,
    tightness_table,
    zigzag_network,
)
from .witness import WITNESS_FORMAT_VERSION, Counterexample, SearchReport, import_claim, load_witness

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
    "CATALOGUE",
    "get_claim",
    "search",
    "hill_climb",
    "Unit",
    "load_witness",
    "import_claim",
    "make_executor",
    "tightness_search",
    "tightness_table",
    "TightnessResult",
    "load_tightness",
    "recheck_tightness",
    "refined_region_bound",
    "zigzag_network",
    "verify_checks",
]
