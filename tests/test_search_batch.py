"""Batched measurement in the searches (issue 11, item 2): same answers as one witness at a time.

The counterexample search's random strategy measures blocks of witnesses with a
claim's ``measure_many`` (one :func:`exactrelu.batch.propagate_mixed` per
block) and the tightness search's exhaustive unit scores blocks of grid nets
with :func:`exactrelu.batch.propagate_many`; these tests compare both against
the unbatched paths (differential), and show the comparison failing on a
deliberately wrong batched measure.  Also the ``gd-global-optimum`` claim of
the catalogue (issue 13, item 5).
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import random
from fractions import Fraction

import pytest

from exactrelu import ReLUNetwork
from exactrelu.cli import main
from exactrelu.errors import BudgetExceededError
from exactrelu.search import Counterexample, SearchReport, engine, search, tightness
from exactrelu.search.catalogue import CATALOGUE, get_claim
from exactrelu.search.spaces import NetworkSpace

BATCHED = [c.name for c in CATALOGUE.values() if c.measure_many is not None]


def _summary(result):
    """Everything a search reports except the time it took."""
    report = result.report if isinstance(result, Counterexample) else result
    out = (result.found, report.evaluations, report.by_strategy, report.best_violation, report.best_witness,
           report.errors)
    if isinstance(result, Counterexample):
        out += (result.witness, result.evaluation, result.strategy, result.unit_seed)
    return out


def _plain(claim):
    return dataclasses.replace(claim, measure_many=None)


def test_every_network_claim_is_batched():
    assert set(BATCHED) == {c.name for c in CATALOGUE.values()
                            if isinstance(c.space, NetworkSpace) and c.name != "gd-global-optimum"}


@pytest.mark.parametrize("name", BATCHED)
def test_measure_many_equals_evaluate(name):
    claim = get_claim(name)
    rng = random.Random(name)
    nets = [claim.space.draw(rng) for _ in range(40)]
    nets.append(ReLUNetwork([([[1]] * claim.space.widths[0], [0] * claim.space.widths[0])]
                            + [([[1] * a] * b, [0] * b) for a, b in zip(claim.space.widths, claim.space.widths[1:])]
                            + [([[1] * claim.space.widths[-1]], [0])]))  # duplicated units
    values = claim.measure_many(nets)
    assert len(values) == len(nets)
    for net, v in zip(nets, values):
        assert type(v) is Fraction and v == claim.evaluate(net).violation


@pytest.mark.parametrize("name", BATCHED)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_batched_random_search_reports_what_the_unbatched_one_reports(name, seed):
    claim = get_claim(name)
    batched = search(claim, seed=seed, budget=700, strategies=("random",))
    plain = search(_plain(claim), seed=seed, budget=700, strategies=("random",))
    assert _summary(batched) == _summary(plain)
    assert batched.found == (claim.expected is False)


@pytest.mark.parametrize("name", ["regions-equal-pieces", "pieces-at-most-units-plus-one"])
def test_batched_random_and_local_search_reports_what_the_unbatched_one_reports(name):
    claim = get_claim(name)
    both = ("random", "local")
    assert _summary(search(claim, seed=4, budget=600, strategies=both)) == \
        _summary(search(_plain(claim), seed=4, budget=600, strategies=both))


# batched measures that are wrong on purpose (module level: a Claim's functions must pickle)
def _says_everything_violates(nets):
    return [Fraction(1)] * len(nets)


def _says_nothing_violates(nets):
    return [Fraction(-1)] * len(nets)


def _wrong_length(nets):
    return [Fraction(-1)]


def _refuses(nets):
    raise BudgetExceededError(budget=1, layer=1, required=2)


@pytest.mark.parametrize("measure", [_says_everything_violates, _wrong_length, _refuses])
def test_the_exact_measure_decides_every_reported_violation(measure):
    """False positives of the batched measure, a wrong length, or a refusal change nothing."""
    claim = get_claim("regions-equal-pieces")
    wrong = dataclasses.replace(claim, measure_many=measure)
    for seed in (0, 3):
        assert _summary(search(wrong, seed=seed, budget=500, strategies=("random",))) == \
            _summary(search(_plain(claim), seed=seed, budget=500, strategies=("random",)))


def test_the_differential_check_fails_on_a_batched_measure_that_misses_violations():
    claim = get_claim("regions-equal-pieces")
    wrong = dataclasses.replace(claim, measure_many=_says_nothing_violates)
    blind = search(wrong, seed=0, budget=500, strategies=("random",))
    assert isinstance(blind, SearchReport) and _summary(blind) != _summary(search(claim, seed=0, budget=500,
                                                                                   strategies=("random",)))


def test_blocks_do_not_change_the_draws(monkeypatch):
    claim = get_claim("pieces-at-most-width-product")
    reference = _summary(search(claim, seed=5, budget=900, strategies=("random",)))
    for block in (1, 7, 1000):
        monkeypatch.setattr(engine, "BLOCK", block)
        assert _summary(search(claim, seed=5, budget=900, strategies=("random",))) == reference


# ------------------------------------------------------------- tightness search
def _exhaustive_one_by_one(ws, bound):
    """The exhaustive unit as it was: every grid net built and scored by :func:`tightness._score`."""
    dims = (1, *ws, 1)
    shapes = [(o, i) for i, o in zip(dims[:-1], dims[1:])]
    count = sum(o * i + o for o, i in shapes)
    best, best_score, used = None, (0, 0), 0
    for values in itertools.product((0, 1, -1), repeat=count):
        it = iter(values)
        net = ReLUNetwork([([[next(it) for _ in range(i)] for _ in range(o)], [next(it) for _ in range(o)])
                           for o, i in shapes])
        s = tightness._score(net)
        used += 1
        if s is not None and s > best_score:
            best, best_score = net, s
            if s[0] >= bound:
                break
    return best, best_score, used


@pytest.mark.parametrize("ws", [(1,), (2,), (1, 1), pytest.param((2, 1), marks=pytest.mark.slow)])
def test_batched_exhaustive_unit_equals_one_by_one(ws):
    bound = tightness.refined_region_bound(ws)
    assert tightness._exhaustive(ws, bound, block=500) == _exhaustive_one_by_one(ws, bound)


def test_batched_exhaustive_unit_scans_the_whole_grid_when_the_bound_is_not_reached():
    # (1, 2) reaches 3 pieces on the grid, below its bound 4: all 3^9 nets are scored
    best, score, used = tightness._exhaustive((1, 2), tightness.refined_region_bound((1, 2)))
    assert (score, used) == ((3, 3), 3 ** 9)
    assert tightness._score(best) == score and isinstance(score[0], int)


@pytest.mark.slow
def test_batched_exhaustive_whole_grid_equals_one_by_one():
    assert tightness._exhaustive((1, 2), 4) == _exhaustive_one_by_one((1, 2), 4)


def test_batched_exhaustive_scores_fall_back_on_a_budget(monkeypatch):
    import numpy as np

    rows = np.array(list(itertools.product((0, 1, -1), repeat=7))[:300], dtype=np.int64)
    expected = tightness._grid_scores((2,), rows)
    monkeypatch.setattr(tightness, "_MAX_PIECES", 1)  # every propagation is over budget
    assert tightness._grid_scores((2,), rows) == [None] * len(rows)
    monkeypatch.undo()
    assert expected == [tightness._score(tightness._grid_net((2,), r)) for r in rows]


# ------------------------------------------------------------ gd-global-optimum
GD = "gd-global-optimum"


def test_gd_claim_known_answers():
    claim = get_claim(GD)
    assert claim.expected is False and claim.space == NetworkSpace((2,)) and claim.measure_many is None
    exact_abs = ReLUNetwork([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])  # |x|: already the optimum (loss 0)
    v = claim.evaluate(exact_abs).violation
    assert v == Fraction(-1, 1000) and type(v) is Fraction
    zero = ReLUNetwork([([[0], [0]], [0, 0]), ([[0, 0]], [0])])  # both units dead: GD fits the mean 2/3 only
    v = claim.evaluate(zero).violation
    assert type(v) is Fraction and v > 0
    assert abs(v - (Fraction(2, 3) - Fraction(1, 1000))) < Fraction(1, 10 ** 9)  # loss sum (1/3)^2 + (2/3)^2 + (1/3)^2


def test_gd_claim_refuted_by_the_cli_with_an_exact_witness(tmp_path, capsys):
    out = tmp_path / "gd.json"
    assert main(["search", GD, "--out", str(out)]) == 1
    assert "COUNTEREXAMPLE" in capsys.readouterr().out
    data = json.loads(out.read_text())
    assert data["claim"] == GD and Fraction(data["violation"]) > 0
    assert main(["check", str(out)]) == 0


def test_batched_claims_pickle_and_give_the_same_witness_on_a_process_pool():
    from exactrelu.search import make_executor

    claim = get_claim("regions-equal-pieces")
    executor, close = make_executor(workers=2)
    try:
        pooled = search(claim, seed=2, budget=400, strategies=("random", "local"), executor=executor)
    finally:
        close()
    alone = search(_plain(claim), seed=2, budget=400, strategies=("random", "local"))
    assert isinstance(pooled, Counterexample) and isinstance(alone, Counterexample)
    assert (pooled.witness, pooled.evaluation, pooled.strategy, pooled.unit_seed) == \
        (alone.witness, alone.evaluation, alone.strategy, alone.unit_seed)


# ------------------------------------------------ the search's report lines can fail
def test_search_report_lines_fail_on_wrong_inputs():
    from exactrelu.constructions import random_network
    from exactrelu.search import checks
    from exactrelu.search.catalogue import CATALOGUE

    true_claim = next(c for c in CATALOGUE.values() if c.expected is True)
    assert not checks.check_refutes(true_claim, budget=60).holds  # a true claim is never refuted
    assert checks.check_zigzag_reaches().holds
    assert not checks.check_zigzag_reaches(construction=lambda w: random_network(w, seed=0)).holds
