"""Tests of the claims catalogue: known answers for each claim, and the search's verdict at the default budget."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from exactrelu import PiecewiseLinear, ReLUNetwork, tent_map
from exactrelu.search.catalogue import CATALOGUE, get_claim
from exactrelu.search import Counterexample, SearchReport, load_witness, search

FALSE = [c.name for c in CATALOGUE.values() if c.expected is False]
TRUE = [c.name for c in CATALOGUE.values() if c.expected is True]


def test_catalogue_entries():
    assert len(CATALOGUE) == len({c.name for c in CATALOGUE.values()}) >= 10
    assert set(FALSE) == {"pieces-at-most-units-plus-one", "regions-equal-pieces", "pieces-at-most-width-product",
                          "gd-global-optimum"}
    for claim in CATALOGUE.values():
        assert claim.source and claim.statement and claim.budget > 0
        assert claim.expected in (True, False)
    with pytest.raises(KeyError, match="known: relu-at-most-doubles"):
        get_claim("nope")


# ---------------------------------------------------------------- known answers
ABS = PiecewiseLinear([(0, 0)], left_slope=-1, right_slope=1)
DEAD = ReLUNetwork([([[1], [0]], [0, -1]), ([[1, 5]], [0])])  # second unit dead: relu(x), 2 pieces
CANCEL = ReLUNetwork([([[1], [1]], [0, 0]), ([[1, -1]], [0])])  # relu(x) - relu(x) = 0


@pytest.mark.parametrize("name, witness, measured, violation", [
    ("relu-at-most-doubles", ABS - 1, {"pieces_f": 2, "pieces_relu_f": 3, "bound": 4}, -1),
    ("relu-sign-changes", ABS - 1, {"pieces_f": 2, "sign_changes": 2, "pieces_relu_f": 3, "bound": 4}, -1),
    ("sum-pieces", (ABS, -ABS), {"pieces_f": 2, "pieces_g": 2, "pieces_sum": 1, "bound": 3}, -2),
    ("telgarsky-B1", tent_map(2), {"pieces": 6, "bound": 12}, -6),
    ("serra-B3", tent_map(2), {"regions": 6, "pieces": 6, "bound": 9}, -3),
    ("pieces-at-most-regions", CANCEL, {"pieces": 1, "regions": 2}, -1),
    ("arora-B4", tent_map(2), {"pieces": 6, "bound": 16}, -10),
    ("pieces-at-most-units-plus-one", tent_map(2), {"pieces": 6, "bound": 5, "units": 4}, 1),
    ("regions-equal-pieces", DEAD, {"regions": 2, "pieces": 2}, 0),
    ("regions-equal-pieces", CANCEL, {"regions": 2, "pieces": 1}, 1),
    ("pieces-at-most-width-product", tent_map(2), {"pieces": 6, "bound": 4}, 2),
])
def test_known_answers(name, witness, measured, violation):
    ev = get_claim(name).evaluate(witness)
    assert ev.measured == measured
    assert ev.violation == violation and type(ev.violation) is Fraction


# ------------------------------------------------- the search at the default budget
@pytest.mark.parametrize("name", FALSE)
def test_search_refutes_every_false_claim(name, tmp_path):
    result = search(name, seed=0)
    assert isinstance(result, Counterexample), f"no witness for the false claim {name}"
    fresh = result.recheck()
    assert fresh.violated and fresh == result.evaluation
    path = tmp_path / "w.json"
    result.save(str(path))
    assert json.loads(path.read_text())["claim"] == name
    assert load_witness(str(path)).recheck().violated


@pytest.mark.parametrize("name", TRUE)
def test_search_finds_nothing_against_true_claims(name):
    claim = get_claim(name)
    result = search(claim, seed=0)
    assert isinstance(result, SearchReport), f"'{claim.statement}' refuted by {result!r}"
    assert result.evaluations == claim.budget
    assert result.best_violation is not None and result.best_violation <= 0


@pytest.mark.slow
@pytest.mark.parametrize("name", TRUE)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_true_claims_survive_bigger_searches(name, seed):
    claim = get_claim(name)
    assert not search(claim, seed=seed, budget=6 * claim.budget).found
