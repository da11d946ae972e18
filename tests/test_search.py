"""Tests of exactrelu.search: claims, spaces, work units, witnesses, executors, tightness, CLI."""

from __future__ import annotations

import json
import time
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactrelu import ReLUNetwork, propagate
from exactrelu.search import engine, parallel
from exactrelu.bounds import serra_bound
from exactrelu.cli import main
from exactrelu.errors import NetworkFormatError, ShapeError
from exactrelu.search import (
    Claim,
    Counterexample,
    Evaluation,
    NetworkSpace,
    PairSpace,
    PiecewiseLinearSpace,
    SearchReport,
    load_witness,
    make_executor,
    refined_region_bound,
    search,
    tightness_search,
    verify_checks,
    zigzag_network,
)
from exactrelu.strategies import networks, widths


# module level: claims must pickle for process and Dask executors
def output_at_zero_small(net):
    """False claim: |net(0)| <= 5 (a predicate)."""
    return abs(net(0)) <= 5


def output_at_zero_amount(net):
    """The same claim as an amount of violation."""
    return abs(net(0)) - 5


def returns_junk(net):
    return "yes"


SMALL = Claim("small-at-zero", "|net(0)| <= 5", output_at_zero_small, NetworkSpace((1,)), "test", False, 600)
AMOUNT = Claim("small-at-zero-amount", "|net(0)| <= 5", output_at_zero_amount, NetworkSpace((2,)), "test", False, 600)


# ------------------------------------------------------------------- claims
def test_claim_normalises_bool_number_and_evaluation():
    net = ReLUNetwork([([[1]], [7]), ([[1]], [0])])  # net(0) = 7
    ev = SMALL.evaluate(net)
    assert ev == Evaluation(Fraction(1), {"holds": 0}) and ev.violated
    ev = AMOUNT.evaluate(ReLUNetwork([([[1], [0]], [7, 0]), ([[1, 0]], [0])]))
    assert ev.violation == 2 and type(ev.violation) is Fraction and ev.violated
    ok = SMALL.evaluate(ReLUNetwork([([[1]], [0]), ([[1]], [0])]))
    assert ok.violation == 0 and not ok.violated


def test_claim_rejects_other_return_types():
    bad = Claim("junk", "junk", returns_junk, NetworkSpace((1,)))
    with pytest.raises(TypeError, match="junk"):
        bad.evaluate(ReLUNetwork([([[1]], [0]), ([[1]], [0])]))


# ------------------------------------------------------------------- planning
@pytest.mark.parametrize("budget", [1, 2, 3, 250, 751, 2000])
def test_plan_covers_the_budget_and_depends_only_on_seed_and_budget(budget):
    units = parallel.plan(5, budget, engine.STRATEGIES)
    assert sum(u.budget for u in units) == budget
    assert [u.index for u in units] == list(range(len(units)))
    assert all(0 < u.budget <= parallel.UNIT_BUDGET for u in units)
    assert units == parallel.plan(5, budget, engine.STRATEGIES)
    assert [u.seed for u in units] != [u.seed for u in parallel.plan(6, budget, engine.STRATEGIES)]


def test_derive_seed_is_stable():
    # a fixed value: seeds must not depend on PYTHONHASHSEED or the platform
    assert parallel.derive_seed(0, "random", 0) == parallel.derive_seed(0, "random", 0)
    assert parallel.derive_seed(0, "random", 0) != parallel.derive_seed(0, "local", 0)
    assert 0 <= parallel.derive_seed(123, "x") < 2 ** 63


# --------------------------------------------------------------------- spaces
@pytest.mark.parametrize("space", [NetworkSpace((2, 3)), PiecewiseLinearSpace(), PairSpace()])
def test_spaces_draw_mutate_encode(space):
    import random

    rng = random.Random(0)
    for _ in range(30):
        w = space.draw(rng)
        w2 = space.mutate(w, rng)
        for item in (w, w2):
            data = json.loads(json.dumps(space.encode(item)))
            assert space.decode(data) == item
        assert next(iter(space.simplifications(w)), None) is None or True
    if isinstance(space, NetworkSpace):
        assert w.widths == (2, 3)
        vals = [v for W, b in w.layers for row in W for v in (*row,)] + [v for _, b in w.layers for v in b]
        assert all(type(v) is Fraction for v in vals)


def test_space_validation():
    with pytest.raises(ShapeError, match="widths"):
        NetworkSpace(())
    with pytest.raises(ShapeError, match="max_denominator=0"):
        NetworkSpace((2,), max_denominator=0)


# --------------------------------------------------------------------- search
def test_search_finds_a_false_predicate_and_witness_rechecks():
    result = search(SMALL, seed=1)
    assert isinstance(result, Counterexample) and result.found
    assert abs(result.witness(0)) > 5
    assert result.recheck() == result.evaluation
    assert result.report.evaluations <= SMALL.budget + engine.SIMPLIFY_BUDGET * len(parallel.plan(1, 600, engine.STRATEGIES))


@pytest.mark.parametrize("strategy", ["hypothesis", "random", "local"])
def test_every_strategy_alone_finds_it(strategy):
    result = search(AMOUNT, seed=2, strategies=(strategy,))
    assert result.found and result.strategy == strategy
    assert result.violation > 0 and result.recheck().violated


def test_hypothesis_witness_is_shrunk():
    result = search(SMALL, seed=0, strategies=("hypothesis",))
    net = result.witness
    nonzero = [v for W, b in net.layers for row in W for v in row if v != 0] + \
              [v for _, b in net.layers for v in b if v != 0]
    assert len(nonzero) <= 3, net  # e.g. relu(6) * 1 or an output bias of 6


def test_true_claim_gives_a_report():
    from exactrelu.search.catalogue import get_claim

    report = search(get_claim("telgarsky-B1"), budget=90, seed=0)
    assert isinstance(report, SearchReport) and not report.found
    assert report.evaluations == 90 and sum(report.by_strategy.values()) == 90
    assert report.best_violation <= 0 and type(report.best_violation) is Fraction
    assert json.loads(json.dumps(report.to_dict()))["evaluations"] == 90


def test_search_arguments_are_validated():
    with pytest.raises(ShapeError, match="budget=0"):
        search(SMALL, budget=0)
    with pytest.raises(ShapeError, match="strategies"):
        search(SMALL, strategies=("annealing",))
    with pytest.raises(ShapeError, match="not about networks"):
        search("sum-pieces", widths=(2,))
    with pytest.raises(KeyError, match="unknown claim"):
        search("no-such-claim")


def test_widths_override():
    result = search(SMALL, widths=(3, 1), seed=0)
    assert result.found and result.witness.widths == (3, 1)


def test_same_seed_same_witness_different_seed_may_differ():
    a = search(AMOUNT, seed=7)
    b = search(AMOUNT, seed=7)
    assert a.witness == b.witness and a.report.evaluations == b.report.evaluations


def test_process_pool_gives_the_same_witness():
    serial = search(AMOUNT, seed=11)
    executor, close = make_executor(workers=2)
    try:
        parallel = search(AMOUNT, seed=11, executor=executor)
    finally:
        close()
    assert parallel.witness == serial.witness
    assert parallel.strategy == serial.strategy and parallel.unit_seed == serial.unit_seed
    assert parallel.report.evaluations == serial.report.evaluations


def test_dask_local_cluster_gives_the_same_witness():
    distributed = pytest.importorskip(
        "distributed", reason="dask.distributed is not installed (pip install 'exactrelu[dask]')")
    serial = search(AMOUNT, seed=11)
    report_serial = search("telgarsky-B1", budget=300, seed=4)
    with distributed.LocalCluster(processes=False, n_workers=1, threads_per_worker=2,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        executor = client.get_executor()
        on_dask = search(AMOUNT, seed=11, executor=executor)
        report = search("telgarsky-B1", budget=300, seed=4, executor=executor)
        tight = tightness_search((2, 2), budget=100, executor=executor)
    assert on_dask.witness == serial.witness and on_dask.recheck().violated
    assert report.evaluations == report_serial.evaluations == 300
    assert report.best_violation == report_serial.best_violation
    assert tight.pieces == 7


def test_progress_callback_counts_units():
    calls = []
    search("telgarsky-B1", budget=600, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (len(parallel.plan(0, 600, engine.STRATEGIES)),) * 2


# ------------------------------------------------------------------- witnesses
@pytest.fixture(scope="module")
def width_product_witness():
    # random + local only: hypothesis's shrinking costs seconds, and is tested above
    return search("pieces-at-most-width-product", seed=0, strategies=("random", "local"))


def test_witness_file_round_trip(tmp_path, width_product_witness):
    result = width_product_witness
    path = tmp_path / "w.json"
    result.save(str(path))
    text = path.read_text()
    data = json.loads(text)
    assert data["format"] == "exactrelu.witness" and data["version"] == 1
    assert all(isinstance(v, str) for v in data["measured"].values()) and isinstance(data["violation"], str)
    assert "." not in "".join(data["measured"].values())  # rationals, never floats
    loaded = load_witness(str(path))
    assert loaded.witness == result.witness and loaded.evaluation == result.evaluation
    assert loaded.recheck() == result.recheck()


def test_custom_claim_witness_references_its_function(tmp_path):
    result = search(SMALL, seed=1)
    path = tmp_path / "w.json"
    result.save(str(path))
    data = json.loads(path.read_text())
    assert data["claim_ref"] == f"{__name__}:output_at_zero_small"
    loaded = load_witness(str(path))  # found through claim_ref, not the catalogue
    assert loaded.claim.function is output_at_zero_small and loaded.recheck().violated
    del data["claim_ref"]
    with pytest.raises(NetworkFormatError, match="unknown claim"):
        load_witness(data)
    assert load_witness(data, claim=SMALL).recheck().violated
    assert load_witness(data, claim=f"{__name__}:SMALL").recheck().violated
    data["claim_ref"] = f"{__name__}:no_such_function"
    with pytest.raises(NetworkFormatError, match="no attribute"):
        load_witness(data)
    with pytest.raises(NetworkFormatError, match="not for"):
        load_witness(str(path), claim=AMOUNT)


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d.update(version=2), "version=2"),
    (lambda d: d.update(format="pickle"), "not an exactrelu witness"),
    (lambda d: d.pop("witness"), "lacks the key 'witness'"),
    (lambda d: d.update(violation="1/0"), "malformed"),
    (lambda d: d["space"].update(kind="tree"), "kind"),
    (lambda d: d["witness"]["layers"][0]["W"][0].__setitem__(0, 0.5), "float"),
])
def test_malformed_witnesses(tmp_path, mutate, message, width_product_witness):
    data = width_product_witness.to_dict()
    mutate(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(NetworkFormatError, match=message):
        load_witness(str(path))


def test_unreadable_witness(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{not json")
    with pytest.raises(NetworkFormatError, match="not valid JSON"):
        load_witness(str(path))
    with pytest.raises(NetworkFormatError, match="cannot read"):
        load_witness(str(tmp_path / "missing.json"))


# ------------------------------------------------------------------ tightness
@pytest.mark.parametrize("ws, bound", [
    ((1,), 2), ((2,), 3), ((3,), 4), ((1, 1), 3), ((2, 2), 7), ((2, 3), 9), ((3, 2), 12), ((3, 3), 16),
    ((4, 4), 25), ((3, 3, 3), 64), ((2, 2, 2), 21), ((1, 5), 7),
])
def test_refined_region_bound_table(ws, bound):
    assert refined_region_bound(ws) == bound
    assert refined_region_bound(ws) <= serra_bound(ws)


@settings(max_examples=25)
@given(widths(min_depth=1, max_depth=3, min_width=3, max_width=4))
def test_zigzag_reaches_B3_when_every_width_is_at_least_3(ws):
    trace = propagate(zigzag_network(ws))
    assert trace.pieces == trace.activation_regions == serra_bound(ws)


@pytest.mark.parametrize("ws", [(2, 2), (2, 3), (2, 4), (3, 2), (4, 2)])
def test_zigzag_reaches_the_refined_bound_with_a_width_2_layer(ws):
    assert propagate(zigzag_network(ws)).pieces == refined_region_bound(ws)


@settings(max_examples=60)
@given(networks(widths=st.sampled_from([(1, 1), (2, 2), (2, 3), (1, 3), (2, 1, 2), (2, 2, 2)])))
def test_refined_bound_holds_on_random_networks(net):
    trace = propagate(net)
    assert trace.pieces <= trace.activation_regions <= refined_region_bound(net.widths)


@pytest.mark.parametrize("ws, best", [((1, 1), 3), ((2, 2), 7), ((3, 3), 16), ((3, 3, 3), 64)])
def test_tightness_search_reaches_known_optima(ws, best):
    r = tightness_search(ws, budget=400)
    assert r.pieces == best and r.proven_optimal
    assert propagate(r.network).pieces == best and r.network.widths == ws
    assert json.loads(json.dumps(r.to_dict()))["pieces"] == best


def test_tightness_search_lower_bound_only_and_deterministic():
    a = tightness_search((2, 2, 2), budget=500, seed=3)
    b = tightness_search((2, 2, 2), budget=500, seed=3)
    assert a.network == b.network and a.pieces == b.pieces
    assert 14 <= a.pieces < a.upper_bound == 21 and not a.proven_optimal


def test_naive_search_without_structured_starts_is_only_a_baseline():
    naive = tightness_search((3, 3), budget=400, structured=False)
    assert naive.strategy == "local" and naive.pieces <= 16


# ------------------------------------------------------------------ verify/CLI
def test_verify_checks_hold_quickly():
    start = time.perf_counter()
    results = verify_checks()
    assert time.perf_counter() - start < 15
    from exactrelu.search.catalogue import CATALOGUE

    false_claims = [c for c in CATALOGUE.values() if c.expected is False]
    assert len(results) == len(false_claims) + 1 and all(r.holds for r in results)


def test_cli_search_and_check(tmp_path, capsys):
    out = tmp_path / "w.json"
    assert main(["search", "regions-equal-pieces", "--out", str(out), "--seed", "2"]) == 1
    assert "COUNTEREXAMPLE" in capsys.readouterr().out
    assert main(["check", str(out)]) == 0
    assert "still a counterexample" in capsys.readouterr().out
    # tamper: a witness of the same widths (2, 2) whose units all switch at 0, so regions = pieces = 2:
    # no longer a counterexample (a witness of other widths than its space is refused: exit 2)
    data = json.loads(out.read_text())
    data["witness"] = ReLUNetwork([([[1], [1]], [0, 0]), ([[1, 1], [1, 1]], [0, 0]), ([[1, 1]], [0])]).to_dict()
    out.write_text(json.dumps(data))
    assert main(["check", str(out)]) == 1
    assert "NOT a counterexample" in capsys.readouterr().out
    out.write_text("[]")
    assert main(["check", str(out)]) == 2


def test_cli_search_json_list_and_errors(capsys):
    assert main(["search", "telgarsky-B1", "--budget", "60", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["found"] is False and data["report"]["evaluations"] == 60
    assert main(["search", "--list"]) == 0
    listing = capsys.readouterr().out
    assert "pieces-at-most-units-plus-one" in listing and "FALSE" in listing
    assert main(["search", "no-such-claim"]) == 2
    assert "unknown claim" in capsys.readouterr().err
    assert main(["search"]) == 2
    assert main(["search", "--tightness", "--widths", "3,3", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["pieces"] == 16
