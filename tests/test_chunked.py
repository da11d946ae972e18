"""exactrelu.chunked: chunked counts equal propagate's, whatever the chunks.

Known answers (the tent map D^k has 2^k pieces and regions on [0, 1], k <= 16,
with chunk counts whose borders fall exactly on kinks and others whose borders
do not), differential tests against :func:`exactrelu.propagate` on random nets
(borders placed on breakpoints on purpose), the one-sided slopes and patterns
against propagate on one-sided intervals, budget splitting, a local process
pool and a Dask ``LocalCluster`` with two worker processes.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _extras import require
from conftest import count_network
from exactrelu import DomainError, ReLUNetwork, ShapeError, propagate, tent_map
from exactrelu.chunked import ChunkedCount, chunk_borders, count_chunk, count_pieces_chunked, one_sided
from exactrelu.constructions import random_network
from exactrelu.strategies import degenerate_networks

F = Fraction


def assert_chunked_equals_propagate(net, domain, **kwargs):
    trace = propagate(net, domain)
    result = count_pieces_chunked(net, domain, **kwargs)
    assert isinstance(result, ChunkedCount)
    assert type(result.pieces) is int and type(result.activation_regions) is int
    assert (result.pieces, result.activation_regions) == (trace.pieces, trace.activation_regions), kwargs
    count_network()
    return result


# ------------------------------------------------------------ known answers
@pytest.mark.parametrize("k", range(1, 17))
def test_tent_map_pieces_with_many_chunk_counts(k):
    # chunks = 2^j put every border on a kink of D^k (j <= k); 3, 5, 7, 12 put some off the kinks
    for chunks in (1, 2, 3, 4, 5, 7, 8, 12, 16, 32):
        r = count_pieces_chunked(tent_map(k), (0, 1), chunks=chunks)
        assert (r.pieces, r.activation_regions) == (2**k, 2**k), (k, chunks)
        assert r.chunks == chunks and r.splits == 0
        if chunks & (chunks - 1) == 0 and chunks <= 2**k:
            assert r.kinks_at_borders == chunks - 1  # every border is a kink, counted once


def test_tent_map_on_a_sub_interval_and_odd_domain():
    for domain in ((F(1, 3), F(7, 9)), (F(-1, 2), F(3, 2))):
        for chunks in (1, 2, 6, 9):
            assert_chunked_equals_propagate(tent_map(7), domain, chunks=chunks)


def test_the_border_correction_is_needed():
    # without the border correction the chunks' counts would add up to too many pieces
    borders = chunk_borders(F(0), F(1), 3)
    parts = [count_chunk(tent_map(3), x, y, 1 << 20, 1 << 24) for x, y in zip(borders[:-1], borders[1:])]
    raw = sum(p[1] for p in parts)
    assert raw == 10 and count_pieces_chunked(tent_map(3), (0, 1), chunks=3).pieces == 8


# ------------------------------------------------------------ differential: random nets
@pytest.mark.parametrize("widths", [(3,), (4, 4), (6, 5, 4), (3,) * 6])
def test_random_nets_many_chunk_counts(widths):
    for seed in range(8):
        net = random_network(widths, seed=100 + seed)
        for domain in ((-2, 3), (F(-1, 3), F(1, 2))):
            for chunks in (1, 2, 3, 7, 16):
                assert_chunked_equals_propagate(net, domain, chunks=chunks)


def test_borders_exactly_at_breakpoints():
    checked = 0
    for seed in range(20):
        net = random_network((4, 4), seed=200 + seed)
        trace = propagate(net, (-3, 3))
        for p in trace.breakpoints[:4]:
            # a domain whose chunk borders (chunks = 2 and 4) include the breakpoint p
            for domain in ((p - 1, p + 1), (p - 2, p + 2), (p - F(1, 3), p + 1)):
                assert_chunked_equals_propagate(net, domain, chunks=2)
                assert_chunked_equals_propagate(net, domain, chunks=4)
                checked += 1
    assert checked > 30


@settings(max_examples=40)
@given(net=degenerate_networks(max_depth=3, max_width=4).filter(lambda n: n.output_dim == 1),
       chunks=st.integers(1, 9), lo=st.fractions(-3, 0, max_denominator=4), width=st.integers(1, 5))
def test_property_degenerate_nets(net, chunks, lo, width):
    assert_chunked_equals_propagate(net, (lo, lo + width), chunks=chunks)


def test_one_sided_slopes_and_patterns_against_propagate():
    for seed in range(25):
        net = random_network((3, 4), seed=300 + seed)
        points = list(propagate(net, (-2, 2)).breakpoints[:3]) + [F(seed, 7) - 1]
        for p in points:
            right = propagate(net, (p, p + F(1, 1000)))
            left = propagate(net, (p - F(1, 1000), p))
            slope_r, pattern_r = one_sided(net, p, +1)
            slope_l, pattern_l = one_sided(net, p, -1)
            assert slope_r == right.output.slopes[0] and slope_l == left.output.slopes[-1]
            assert pattern_r == right.activation_patterns()[0][2]
            assert pattern_l == left.activation_patterns()[-1][2]
            assert type(slope_r) is Fraction


def test_one_sided_on_a_unit_that_is_zero_with_zero_slope():
    # z = relu(x) - relu(x) is 0 with slope 0: the unit on it is off on both sides
    net = ReLUNetwork([([[1], [1]], [0, 0]), ([[1, -1]], [0]), ([[1]], [0])])
    assert one_sided(net, 0, 1) == (0, ((True, True), (False,)))
    assert one_sided(net, 0, -1) == (0, ((False, False), (False,)))


# ------------------------------------------------------------ budget splitting
def test_chunks_over_budget_are_split_and_still_exact():
    r = count_pieces_chunked(tent_map(12), (0, 1), chunks=3, max_pieces=300)
    assert (r.pieces, r.activation_regions) == (4096, 4096)
    assert r.splits > 0 and r.chunks > 3
    net = random_network((5, 5, 5), seed=9)
    r = assert_chunked_equals_propagate(net, (-3, 3), chunks=1, max_pieces=8)
    assert r.splits > 0


def test_memory_budget_sets_the_cells():
    r = count_pieces_chunked(tent_map(10), (0, 1), chunks=1, memory=200_000)
    assert r.pieces == 1024 and r.splits > 0
    assert all(type(v) is int and v > 0 for v in r.peak_rss.values())


# ------------------------------------------------------------ executors
def test_any_executor_and_a_process_pool():
    net = tent_map(9)
    with ThreadPoolExecutor(2) as pool:
        r = count_pieces_chunked(net, (0, 1), chunks=5, executor=pool)
    assert r.pieces == 512
    r = count_pieces_chunked(net, (0, 1), chunks=6, workers=2)
    assert (r.pieces, r.activation_regions) == (512, 512)
    assert len(r.peak_rss) >= 1 and all(v > 0 for v in r.peak_rss.values())


def test_dask_local_cluster_with_two_worker_processes():
    distributed = require("distributed")
    net = random_network((4, 4, 4), seed=5)
    expected = propagate(net, (-2, 2))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            r = count_pieces_chunked(net, (-2, 2), chunks=8, scheduler=client)
            assert (r.pieces, r.activation_regions) == (expected.pieces, expected.activation_regions)
            r = count_pieces_chunked(tent_map(10), (0, 1), chunks=4, scheduler=cluster.scheduler_address)
            assert r.pieces == 1024
            assert all(":" in worker for worker in r.peak_rss)


def test_progress_is_reported():
    seen = []
    count_pieces_chunked(tent_map(5), (0, 1), chunks=4, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (4, 4) and [d for d, _ in seen] == [1, 2, 3, 4]


# ------------------------------------------------------------ errors
def test_bad_arguments_raise_typed_errors():
    net = tent_map(3)
    for domain in (None, (0, None), (None, 1), (1, 0), (1, 1)):
        with pytest.raises(DomainError):
            count_pieces_chunked(net, domain)
    with pytest.raises(ShapeError):
        count_pieces_chunked(random_network((2,), seed=1, output_dim=2), (0, 1))
    with pytest.raises(ShapeError):
        count_pieces_chunked(random_network((2,), seed=1, input_dim=2), (0, 1))
    with pytest.raises(ShapeError):
        count_pieces_chunked("net", (0, 1))  # type: ignore[arg-type]
    for bad in (0, -1, True, 1.5):
        with pytest.raises(ShapeError):
            count_pieces_chunked(net, (0, 1), chunks=bad)
        with pytest.raises(ShapeError):
            count_pieces_chunked(net, (0, 1), max_pieces=bad)
        with pytest.raises(ShapeError):
            count_pieces_chunked(net, (0, 1), workers=bad)
    with pytest.raises(ShapeError):
        with ThreadPoolExecutor(1) as pool:
            count_pieces_chunked(net, (0, 1), executor=pool, scheduler="tcp://127.0.0.1:1")
    with pytest.raises(ShapeError):
        one_sided(net, 0, 0)


# ------------------------------------------------------------ command line
def test_cli_count(tmp_path, capsys):
    import json

    from exactrelu.cli import main

    path = tmp_path / "net.json"
    tent_map(8).save(str(path))
    assert main(["count", str(path), "--domain", "0", "1", "--chunks", "3", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "exactrelu-count" and data["version"] == 1
    assert data["pieces"] == 256 == data["activation_regions"] and data["chunks"] == 3
    assert main(["count", str(path), "--domain", "-1/2", "1", "--max-pieces", "50"]) == 0
    out = capsys.readouterr().out
    expected = propagate(tent_map(8), (F(-1, 2), 1))
    assert f"pieces: {expected.pieces}" in out and f"activation regions: {expected.activation_regions}" in out
    # errors: one line, exit 2
    assert main(["count", str(path), "--domain", "0", "inf"]) == 2
    assert main(["count", str(path), "--domain", "0", "1", "--chunks", "0"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 2 and "error" in err
