"""Sweeps (exactrelu.experiments): grid, initialisations, exact slices and measures, resumable records.

Known answers and differential tests against independent slow paths: PyTorch's
own draws, Fraction dot products, exact forward passes at points of a line,
the PWL-algebra region oracle of conftest.py, brute-force nearest distances.
"""

from __future__ import annotations

import json
import random
from fractions import Fraction

import numpy as np
import pytest

from conftest import count_network, oracle_regions
from exactrelu.errors import ExactReluError, NetworkFormatError, ShapeError
from exactrelu.experiments import SweepConfig, network_specs, plan_units, run_sweep
from exactrelu.experiments import measures as M
from exactrelu.experiments import runner as R
from exactrelu.experiments.grid import NetSpec
from exactrelu.experiments.init import draw_layers, float_layers, grid_layers
from exactrelu.experiments.records import RecordStore, load_records
from exactrelu.experiments.slices import data_points, exact_matvec, restrict_to_line, restrict_to_plane
from exactrelu.experiments.summary import markdown_table, summarize
from exactrelu.network import ReLUNetwork

SMALL = dict(widths=(3, 5), depths=(1, 2), networks=4, unit_size=3, distance_points=3)


# ------------------------------------------------------------------ config
@pytest.mark.parametrize("kwargs", [
    {"widths": ()}, {"widths": (0,)}, {"widths": "8"}, {"depths": (1.5,)}, {"inits": ("xavier",)},
    {"networks": 0}, {"slice": "cube"}, {"bias_std": "-1"}, {"half_width": 0}, {"unit_size": True},
    {"bias_std": "abc"},
])
def test_config_rejects_bad_values(kwargs):
    with pytest.raises(ExactReluError) as info:
        SweepConfig(**kwargs)
    assert isinstance(info.value, ValueError)


def test_config_round_trip_and_total():
    from exactrelu.experiments.grid import config_from_dict

    cfg = SweepConfig(**SMALL, inits=("grid_uniform", "he_normal_numpy"))
    assert config_from_dict(json.loads(json.dumps(cfg.to_dict()))) == cfg
    assert cfg.total == 2 * 2 * 2 * 4 == len(network_specs(cfg))
    with pytest.raises(ShapeError):
        config_from_dict({**cfg.to_dict(), "colour": 1})


def test_units_are_one_architecture_and_skip_done():
    cfg = SweepConfig(**SMALL)
    units = plan_units(cfg)
    assert sum(len(u.specs) for u in units) == cfg.total
    for u in units:
        assert len({(s.width, s.depth, s.init, s.input_dim) for s in u.specs}) == 1
        assert len(u.specs) <= cfg.unit_size
    done = {s.key for s in network_specs(cfg)[:5]}
    rest = plan_units(cfg, done)
    assert {s.key for u in rest for s in u.specs} == {s.key for s in network_specs(cfg)} - done
    # seeds depend on the coordinates only, not on the planning
    assert [s.seed for u in rest for s in u.specs] == [s.seed for s in network_specs(cfg)[5:]]


# ---------------------------------------------------------- initialisations
def test_torch_he_normal_is_exactly_torchs_draw():
    from _extras import require

    torch = require("torch")
    g = torch.Generator().manual_seed(123)
    w1 = torch.empty(4, 1)
    torch.nn.init.kaiming_normal_(w1, mode="fan_in", nonlinearity="relu", generator=g)
    b1 = torch.empty(4)
    torch.nn.init.normal_(b1, 0.0, 0.001, generator=g)
    w2 = torch.empty(1, 4)
    torch.nn.init.kaiming_normal_(w2, mode="fan_in", nonlinearity="relu", generator=g)
    layers = float_layers((4,), 1, "he_normal", 123)
    assert layers[0][0].dtype == np.float32
    assert (layers[0][0] == w1.numpy()).all() and (layers[0][1] == b1.numpy()).all()
    assert (layers[1][0] == w2.numpy()).all()
    net = ReLUNetwork(layers, allow_float=True)
    (W, b), _ = net.layers
    assert all(isinstance(v, Fraction) for row in W for v in row)
    assert W[2][0] == Fraction(float(w1[2, 0])) and b[3] == Fraction(float(b1[3]))  # exact, no rounding
    assert all(v.denominator & (v.denominator - 1) == 0 for row in W for v in row)  # dyadic


@pytest.mark.parametrize("init", ["he_uniform", "torch_default"])
def test_torch_uniform_inits_within_their_bounds(init):
    from _extras import require

    require("torch")
    layers = float_layers((64, 64), 1, init, 5)
    bound = np.sqrt(6 / 64) if init == "he_uniform" else np.sqrt(6 / 64) / np.sqrt(6)  # a=sqrt(5): 1/sqrt(fan_in)
    assert np.abs(layers[1][0]).max() <= bound * (1 + 1e-6)
    assert np.abs(layers[1][0]).max() > 0.9 * bound


def test_numpy_reproduction_same_law_other_stream():
    a = float_layers((256,), 64, "he_normal_numpy", 1)[0][0]
    assert a.dtype == np.float32
    assert abs(float(a.std()) - np.sqrt(2 / 64)) < 0.01 and abs(float(a.mean())) < 0.01
    u = float_layers((256,), 64, "he_uniform_numpy", 1)[0][0]
    assert np.abs(u).max() <= np.sqrt(6 / 64) + 1e-6
    assert not np.array_equal(a, float_layers((256,), 64, "he_normal_numpy", 2)[0][0])


def test_grid_uniform_is_exact_on_its_grid():
    layers = grid_layers((9, 9), 1, 3, denominator=8)
    (W1, b1), (W2, b2), _ = layers
    assert all(isinstance(v, Fraction) and (v * 8).denominator == 1 for row in W1 + W2 for v in row)
    assert all((v * 64).denominator == 1 and abs(v) <= Fraction(1, 8) for v in b1 + b2)
    K = 6  # floor(8 sqrt(6/9)) = floor(6.53)
    assert max(abs(v) for row in W2 for v in row) * 8 <= K
    assert grid_layers((9, 9), 1, 3, denominator=8) == layers


def test_torch_missing_gives_typed_error(monkeypatch):
    import builtins

    real = builtins.__import__

    def fake(name, *args, **kwargs):
        if name == "torch":
            raise ImportError("no torch")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake)
    with pytest.raises(ShapeError, match="needs torch"):
        float_layers((2,), 1, "he_normal", 0)


# ------------------------------------------------------------------ slices
def test_exact_matvec_matches_fractions():
    rng = np.random.default_rng(0)
    for scale in (1.0, 1e-30, 1e20):
        W = (rng.standard_normal((5, 7)) * scale).astype(np.float32)
        W[0, 0] = 0
        v = [int(x) for x in rng.integers(-300, 300, 7)]
        ref = [sum((Fraction(float(W[i, j])) * v[j] for j in range(7)), Fraction(0)) / 255 for i in range(5)]
        assert exact_matvec(W, v, 255) == ref
    assert exact_matvec(np.zeros((2, 3), dtype=np.float32), [1, 2, 3]) == [0, 0]


def test_restricted_line_and_plane_agree_with_the_network_exactly():
    rng = random.Random(4)
    layers = float_layers((6, 5), 16, "he_normal_numpy", 9)
    full = ReLUNetwork(layers, allow_float=True)
    p, q, r = data_points(16, 3, rng)
    line = restrict_to_line(layers, p, q)
    plane = restrict_to_plane(layers, p, q, r)
    for _ in range(6):
        t = Fraction(rng.randint(-50, 150), 100)
        s = Fraction(rng.randint(-50, 150), 100)
        x = [Fraction(a, 255) + t * Fraction(b - a, 255) for a, b in zip(p, q)]
        assert line(t) == full(x)
        y = [Fraction(a, 255) + s * Fraction(b - a, 255) + t * Fraction(c - a, 255) for a, b, c in zip(p, q, r)]
        assert plane((s, t)) == full(y)
    assert line.input_dim == 1 and plane.input_dim == 2


def test_data_points_are_images_on_8_bit_levels():
    pts = data_points(64, 5, random.Random(1))
    assert all(len(p) == 64 and all(0 <= v <= 255 for v in p) and any(p) for p in pts)
    assert data_points(64, 5, random.Random(1)) == pts
    assert all(any(p) for p in data_points(10, 3, random.Random(2)))  # non-square: signals


# ---------------------------------------------------------------- measures
def test_nearest_distances_against_brute_force():
    rng = random.Random(0)
    for _ in range(50):
        bps = sorted({Fraction(rng.randint(-40, 40), rng.randint(1, 9)) for _ in range(rng.randint(0, 6))})
        pts = [Fraction(rng.randint(-50, 50), rng.randint(1, 7)) for _ in range(5)]
        got = M.nearest_distances(bps, pts)
        want = [min((abs(x - b) for b in bps), default=None) for x in pts]
        assert got == want


def test_line_measures_against_the_oracle():
    rng = random.Random(11)
    for seed in range(25):
        widths = (rng.randint(1, 4),) * rng.randint(1, 3)
        layers = grid_layers(widths, 1, seed, denominator=4)  # a coarse grid: ties and dead units happen
        net = ReLUNetwork(layers)
        domain = (Fraction(-2), Fraction(2))
        m = M.measure_line(net, domain, neurons=sum(widths), rng=random.Random(seed), distance_points=4)
        oracle = oracle_regions(net, domain)
        assert m["regions"] == len(oracle) and isinstance(m["regions"], int)
        assert m["breakpoints"] == len(oracle) - 1
        cuts = [hi for _, hi, _ in oracle[:-1]]
        assert Fraction(m["density_per_neuron"]) == Fraction(len(cuts)) / (4 * sum(widths))
        pts = M._random_points(domain[0], domain[1], 4, random.Random(seed))
        assert m["distances"] == [None if d is None else str(d) for d in M.nearest_distances(cuts, pts)]
        assert m["bounds_hold"] and m["pieces"] <= m["regions"]
        count_network()


def test_bounds_hold_can_fail(monkeypatch):
    net = ReLUNetwork(grid_layers((4, 4), 1, 1, denominator=8))
    assert M.measure_line(net, (-1, 1), neurons=8, rng=random.Random(0))["bounds_hold"]
    monkeypatch.setattr(M, "serra_layer_bounds", lambda widths, n0: (1,) * len(widths))
    assert M.measure_line(net, (-1, 1), neurons=8, rng=random.Random(0))["bounds_hold"] is False


def test_one_layer_he_record_counts_every_unit():
    """One hidden layer of float32 He-normal units: a unit's breakpoint -b/w lies in [-1, 1]
    unless |b| > |w|; the record counts exactly those (an independent Fraction count)."""
    cfg = SweepConfig(widths=(8,), depths=(1,), networks=6, inits=("he_normal_numpy",), bias_std="1/2")
    for spec in network_specs(cfg):
        rec = M.measure_spec(spec, cfg)
        (W, b), _ = ReLUNetwork(draw_layers((8,), 1, "he_normal_numpy", spec.seed, bias_std=Fraction(1, 2)),
                                allow_float=True).layers
        cuts = {-bj / wj[0] for wj, bj in zip(W, b) if wj[0] != 0 and -1 < -bj / wj[0] < 1}
        assert rec["breakpoints"] == len(cuts) and rec["regions"] == len(cuts) + 1
        assert rec["layer_regions"] == [rec["regions"]] and rec["serra_layer_bounds"] == [9]


def test_budget_gives_a_budget_record():
    cfg = SweepConfig(widths=(16,), depths=(3,), networks=1, max_pieces=3, inits=("he_normal_numpy",))
    rec = M.measure_spec(network_specs(cfg)[0], cfg)
    assert rec["status"] == "budget" and "max_pieces" in rec["error"]


def test_plane_slice_needs_regions_or_counts():
    cfg = SweepConfig(widths=(4,), depths=(1,), input_dims=(2,), networks=1, slice="plane",
                      inits=("grid_uniform",))
    spec = network_specs(cfg)[0]
    try:
        import exactrelu.polyhedral  # noqa: F401
    except ImportError:
        with pytest.raises(ShapeError, match="exactrelu.regions"):
            M.measure_spec(spec, cfg)
        return
    rec = M.measure_spec(spec, cfg)
    assert isinstance(rec["regions_2d"], int) and rec["regions_2d"] <= 11  # Zaslavsky: 4 lines, <= 11 regions
    with pytest.raises(ShapeError):
        M.build_slice(NetSpec(1, 4, 1, "grid_uniform", 0, 0), cfg)


def _arrangement_regions(W, b, box):
    """Regions of lines a x + c y + d = 0 in an open box, by Euler: 1 + lines crossing it + crossings inside
    (valid when no three lines meet and no crossing lies on the boundary; asserted)."""
    (lo, hi) = box
    corners = [(x, y) for x in (lo, hi) for y in (lo, hi)]
    lines = [(row[0], row[1], d) for row, d in zip(W, b)]
    crossing = [ln for ln in lines if len({(ln[0] * x + ln[1] * y + ln[2] > 0) for x, y in corners}) == 2]
    points = []
    for i in range(len(crossing)):
        for j in range(i + 1, len(crossing)):
            (a1, c1, d1), (a2, c2, d2) = crossing[i], crossing[j]
            det = a1 * c2 - a2 * c1
            if det == 0:
                continue
            x, y = (c1 * d2 - c2 * d1) / det, (a2 * d1 - a1 * d2) / det
            assert x not in (lo, hi) and y not in (lo, hi)
            if lo < x < hi and lo < y < hi:
                points.append((x, y))
    assert len(set(points)) == len(points)  # no three lines through one point
    return 1 + len(crossing) + len(points)


def test_plane_records_match_the_line_arrangement_count():
    pytest.importorskip("exactrelu.polyhedral")
    cfg = SweepConfig(widths=(7,), depths=(1,), input_dims=(2,), networks=6, slice="plane",
                      inits=("he_normal_numpy",), bias_std="1/4")
    for spec in network_specs(cfg):
        rec = M.measure_spec(spec, cfg)
        (W, b), _ = ReLUNetwork(draw_layers((7,), 2, "he_normal_numpy", spec.seed, bias_std=Fraction(1, 4)),
                                allow_float=True).layers
        assert rec["regions_2d"] == _arrangement_regions(W, b, (Fraction(-1), Fraction(1)))
        assert Fraction(rec["regions_per_neuron2"]) == Fraction(rec["regions_2d"], 49)
        count_network()


# ----------------------------------------------------------------- records
def _file(path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    cfg = SweepConfig(**SMALL, inits=("he_normal_numpy", "grid_uniform"))
    path = str(tmp_path_factory.mktemp("ref") / "ref.jsonl")
    result = run_sweep(cfg, path)
    assert result.computed == cfg.total
    return cfg, path, _file(path), result.records


def test_records_are_tidy_and_exact(reference):
    cfg, path, data, records = reference
    lines = data.decode().splitlines()
    assert json.loads(lines[0])["format"] == "exactrelu-sweep" and len(lines) == cfg.total + 1
    for r in records:
        assert set(M.RECORD_FIELDS) <= set(r)
        assert isinstance(r["regions"], int) and isinstance(r["density_per_neuron"], str)
        assert isinstance(Fraction(r["density_per_neuron"]), Fraction)
    assert load_records(path) == (cfg, records)


def test_interrupt_and_resume_gives_the_same_file(reference, tmp_path):
    cfg, _, data, _ = reference
    path = str(tmp_path / "part.jsonl")

    def stop_after(done, total):
        if done >= 7:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_sweep(cfg, path, progress=stop_after)
    kept = len(_file(path).decode().splitlines()) - 1
    assert 7 <= kept < cfg.total
    with open(path, "ab") as handle:  # a crash in the middle of a line
        handle.write(b'{"key": "n1/w3/d1/he_nor')
    result = run_sweep(cfg, path)
    assert result.reused == kept and result.computed == cfg.total - kept
    assert _file(path) == data


def test_finished_file_reloads_without_recomputing(reference, tmp_path, monkeypatch):
    cfg, _, data, records = reference
    path = tmp_path / "done.jsonl"
    path.write_bytes(data)

    def boom(unit):
        raise AssertionError("recomputed")

    monkeypatch.setattr(R, "run_unit", boom)
    result = run_sweep(cfg, str(path))
    assert result.computed == 0 and result.reused == cfg.total and result.records == records
    assert path.read_bytes() == data


def test_other_configuration_or_junk_file_is_refused(reference, tmp_path):
    cfg, path, _, _ = reference
    with pytest.raises(ShapeError, match="different sweep"):
        RecordStore(path, SweepConfig(**{**SMALL, "networks": 5}))
    junk = tmp_path / "junk.jsonl"
    junk.write_text('{"format": "something-else"}\n')
    with pytest.raises(NetworkFormatError):
        RecordStore(str(junk), cfg)
    junk.write_text("not json\n")
    with pytest.raises(NetworkFormatError):
        load_records(str(junk))


def test_process_pool_gives_the_same_file(reference, tmp_path):
    cfg, _, data, _ = reference
    path = str(tmp_path / "pool.jsonl")
    result = run_sweep(cfg, path, workers=2)
    assert result.engine == "processes" and _file(path) == data


_DIED = {"flag": None}


def _dying_unit(unit):
    """Kills its worker process the first time it runs unit 2 (marker file), then behaves."""
    import os

    marker = _DIED["flag"]
    if unit.index == 2 and marker and not os.path.exists(marker):
        open(marker, "w").close()
        os._exit(9)
    return M.run_unit(unit)


def test_process_pool_survives_a_killed_worker(reference, tmp_path, monkeypatch):
    cfg, _, data, _ = reference
    _DIED["flag"] = str(tmp_path / "died")
    monkeypatch.setattr(R, "run_unit", _dying_unit)
    path = str(tmp_path / "pool.jsonl")
    result = run_sweep(cfg, path, workers=2)
    assert (tmp_path / "died").exists() and _file(path) == data and result.computed == cfg.total


# ----------------------------------------------------------------- summary
def test_summary_means_are_exact(reference):
    _, _, _, records = reference
    rows = summarize(records)
    assert len(rows) == 2 * 2 * 2
    for row in rows:
        group = [r for r in records if (r["width"], r["depth"], r["init"]) == (row["width"], row["depth"], row["init"])]
        assert row["regions_mean"] == Fraction(sum(r["regions"] for r in group), len(group))
        assert isinstance(row["regions_per_neuron_mean"], Fraction)
        assert row["networks"] == len(group) == 4
    table = markdown_table(rows)
    assert table.count("\n") == len(rows) + 1


# --------------------------------------------------------------------- CLI
def test_cli_sweep_json_and_resume(tmp_path, capsys):
    from exactrelu.cli import main

    out = str(tmp_path / "cli.jsonl")
    argv = ["sweep", "--widths", "3", "--depths", "1,2", "--networks", "3", "--inits", "grid_uniform",
            "--out", out, "--json"]
    assert main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["format"] == "exactrelu-sweep-summary" and doc["version"] == 1 and doc["computed"] == 6
    assert main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["computed"] == 0 and doc["reused"] == 6
    assert Fraction(doc["summary"][0]["regions_mean"]) >= 1
    assert main(["sweep", "--widths", "3", "--depths", "1", "--networks", "2", "--inits", "grid_uniform"]) == 0
    out = capsys.readouterr().out
    assert "reg/N" in out and max(len(line) for line in out.splitlines()) <= 80


@pytest.mark.parametrize("argv", [
    ["sweep", "--widths", "0"], ["sweep", "--inits", "xavier"], ["sweep", "--depths", "a"],
    ["sweep", "--bias-std", "x"],
])
def test_cli_sweep_bad_input_exits_2(argv, capsys):
    from exactrelu.cli import main

    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("exactrelu sweep: error:") and err.count("\n") == 1


def test_cli_sweep_plot_writes_a_png(tmp_path, capsys):
    from _extras import require

    require("matplotlib")
    from exactrelu.cli import main

    png = tmp_path / "fig.png"
    assert main(["sweep", "--widths", "3,4", "--depths", "1,2", "--networks", "2", "--inits", "grid_uniform",
                 "--plot", str(png)]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "figure:" in capsys.readouterr().out


def test_sigkilled_cli_sweep_resumes_to_the_same_file(tmp_path):
    """A real interruption: the CLI process is killed with SIGKILL once records are on disk."""
    import os
    import signal
    import subprocess
    import sys
    import time

    argv = ["--widths", "6,10", "--depths", "1,2,3", "--networks", "40", "--unit-size", "4",
            "--inits", "grid_uniform", "--distance-points", "2", "--json"]
    reference = tmp_path / "ref.jsonl"
    from exactrelu.cli import main

    assert main(["sweep", *argv, "--out", str(reference)]) == 0
    path = tmp_path / "killed.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "exactrelu.cli", "sweep", *argv, "--out", str(path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if path.exists() and path.read_bytes().count(b"\n") > 20:
                break
            time.sleep(0.005)
        killed = proc.poll() is None
        if killed:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:  # pragma: no cover
            proc.kill()
    kept = path.read_bytes().count(b"\n") - 1
    assert main(["sweep", *argv, "--out", str(path)]) == 0
    assert path.read_bytes() == reference.read_bytes()
    if killed:
        assert 20 <= kept < 240
