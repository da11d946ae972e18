"""npz / safetensors / JSON files, load_network dispatch, export_network and exact rounding reports."""

from __future__ import annotations

import pickle
from fractions import Fraction

import numpy as np
import pytest
from _extras import require
from hypothesis import given, settings
from hypothesis import strategies as st

from exactrelu import ReLUNetwork
from exactrelu.errors import DomainError, ExactReluError, NetworkFormatError, ShapeError
from exactrelu.io import (
    NotRepresentableError,
    export_network,
    load_network,
    load_npz,
    load_safetensors,
    read_network,
    representable,
    round_network,
    save_npz,
    save_safetensors,
    select_output,
    split_outputs,
    sup_distance,
)
from exactrelu.strategies import networks

DYADIC = ReLUNetwork([([[1], ["-3/8"], [5]], ["1/4", 0, -2]), ([[1, "1/2", "-1/1024"], [0, 1, 1]], ["7/2", 0])])
THIRDS = ReLUNetwork([([[1], [-1]], ["1/3", "2/3"]), ([[1, "1/3"]], [0])])


def _float_arrays(net, dtype=np.float32):
    return [(np.array([[float(v) for v in row] for row in W], dtype=dtype), np.array([float(v) for v in b], dtype=dtype))
            for W, b in net.layers]


# ----------------------------------------------------------------------- npz
def test_npz_written_by_numpy_in_both_key_styles(tmp_path):
    arrays = _float_arrays(DYADIC)
    np.savez(tmp_path / "torch_style.npz", **{f"{2 * i}.{k}": a for i, (W, b) in enumerate(arrays) for k, a in (("weight", W), ("bias", b))})
    np.savez(tmp_path / "plain.npz", **{f"{k}{i}": a for i, (W, b) in enumerate(arrays) for k, a in (("W", W), ("b", b))})
    for name in ("torch_style.npz", "plain.npz"):
        net, report = read_network(tmp_path / name)
        assert net == DYADIC and report.source_format == "npz" and report.dtypes == ("float32",)
        assert "exact dyadic conversion of float32 weights" in report.conversion


def test_npz_rational_strings_are_exact_for_any_rational(tmp_path):
    save_npz(THIRDS, tmp_path / "r.npz", dtype="rational")
    net, report = read_network(tmp_path / "r.npz")
    assert net == THIRDS and report.dtypes == ("rational strings",)
    assert type(net.layers[0][1][0]) is Fraction
    with pytest.raises(NotRepresentableError):
        save_npz(THIRDS, tmp_path / "f.npz")


def test_npz_round_trip_float64_and_float32(tmp_path):
    for dtype in ("float64", "float32"):
        save_npz(DYADIC, tmp_path / f"{dtype}.npz", dtype=dtype)
        net, report = read_network(tmp_path / f"{dtype}.npz")
        assert net == DYADIC and report.dtypes == (dtype,)


def test_npz_bad_files(tmp_path):
    np.savez(tmp_path / "obj.npz", **{"0.weight": np.array([[object()]], dtype=object), "0.bias": np.zeros(1)})
    with pytest.raises(NetworkFormatError, match="pickle"):
        load_npz(tmp_path / "obj.npz")
    np.savez(tmp_path / "keys.npz", **{"conv.kernel": np.zeros((1, 1))})
    with pytest.raises(NetworkFormatError, match="unexpected key 'conv.kernel'"):
        load_npz(tmp_path / "keys.npz")
    np.savez(tmp_path / "gap.npz", W0=np.ones((1, 1)), b0=np.zeros(1), W2=np.ones((1, 1)), b2=np.zeros(1))
    with pytest.raises(NetworkFormatError, match="0, 1"):
        load_npz(tmp_path / "gap.npz")
    np.savez(tmp_path / "shape.npz", W0=np.ones((2, 1)), b0=np.zeros(3))
    with pytest.raises(ShapeError):
        load_npz(tmp_path / "shape.npz")
    np.savez(tmp_path / "inf.npz", W0=np.array([[np.inf]]), b0=np.zeros(1))
    with pytest.raises(NetworkFormatError, match="NaN and infinities"):
        load_npz(tmp_path / "inf.npz")
    np.savez(tmp_path / "cplx.npz", W0=np.ones((1, 1), dtype=complex), b0=np.zeros(1))
    with pytest.raises(NetworkFormatError, match="complex128"):
        load_npz(tmp_path / "cplx.npz")
    np.savez(tmp_path / "bool.npz", W0=np.ones((1, 1), dtype=bool), b0=np.zeros(1))
    with pytest.raises(NetworkFormatError, match="bool"):
        load_npz(tmp_path / "bool.npz")
    np.save(tmp_path / "single.npy", np.ones((1, 1)))
    (tmp_path / "single.npz").write_bytes((tmp_path / "single.npy").read_bytes())
    with pytest.raises(NetworkFormatError, match="single .npy"):
        load_npz(tmp_path / "single.npz")
    save_npz(DYADIC, tmp_path / "good.npz")
    data = (tmp_path / "good.npz").read_bytes()
    (tmp_path / "cut.npz").write_bytes(data[: len(data) // 2])
    with pytest.raises(NetworkFormatError):
        load_npz(tmp_path / "cut.npz")
    (tmp_path / "pickle.npz").write_bytes(pickle.dumps({"W0": [[1.0]]}))
    with pytest.raises(NetworkFormatError):
        load_npz(tmp_path / "pickle.npz")
    with pytest.raises(NetworkFormatError, match="no such file"):
        load_npz(tmp_path / "absent.npz")


# --------------------------------------------------------------- safetensors
def test_safetensors_written_by_the_library(tmp_path):
    st = require("safetensors.numpy")
    arrays = _float_arrays(DYADIC)
    # natural order of prefixes: "2" before "10", whatever order the file keeps
    st.save_file({"10.weight": arrays[1][0], "10.bias": arrays[1][1], "2.weight": arrays[0][0], "2.bias": arrays[0][1]},
                 str(tmp_path / "m.safetensors"))
    net, report = read_network(tmp_path / "m.safetensors")
    assert net == DYADIC and report.source_format == "safetensors" and report.dtypes == ("float32",)
    save_safetensors(DYADIC, tmp_path / "mine.safetensors", dtype="float64")
    assert load_safetensors(tmp_path / "mine.safetensors") == DYADIC


def test_safetensors_bad_files(tmp_path):
    st = require("safetensors.numpy")
    save_safetensors(DYADIC, tmp_path / "good.safetensors")
    data = (tmp_path / "good.safetensors").read_bytes()
    (tmp_path / "cut.safetensors").write_bytes(data[: len(data) - 7])
    with pytest.raises(NetworkFormatError, match="not a readable safetensors"):
        load_safetensors(tmp_path / "cut.safetensors")
    (tmp_path / "junk.safetensors").write_bytes(b"\x00" * 3)
    with pytest.raises(NetworkFormatError):
        load_network(tmp_path / "junk.safetensors")
    st.save_file({"0.weight": np.ones((2, 1), dtype=np.int8), "0.bias": np.zeros(2, dtype=np.int8)},
                 str(tmp_path / "int.safetensors"))
    assert load_safetensors(tmp_path / "int.safetensors")(3) == (3, 3)  # integers are exact
    with pytest.raises(NetworkFormatError, match="rational"):
        save_safetensors(DYADIC, tmp_path / "x.safetensors", dtype="rational")


# ------------------------------------------------------------- load_network
def test_load_network_dispatch_and_json(tmp_path):
    DYADIC.save(str(tmp_path / "n.json"))
    net, report = read_network(tmp_path / "n.json")
    assert net == DYADIC and report.source_format == "exactrelu json"
    assert load_network(tmp_path / "n.json", output=0) == select_output(DYADIC, 0)
    with pytest.raises(NetworkFormatError, match="unknown network file suffix '.h5'"):
        load_network(tmp_path / "n.h5")
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(NetworkFormatError):
        load_network(tmp_path / "bad.json")
    with pytest.raises(NetworkFormatError):
        read_network(object())
    assert read_network(DYADIC).network is DYADIC


def test_outputs_choose_and_split():
    a, b = split_outputs(DYADIC)
    for x in ("-1", "1/3", "5"):
        assert (a(x), b(x)) == DYADIC(x)
    for bad in (2, -1, True, "0"):
        with pytest.raises(ShapeError):
            select_output(DYADIC, bad)


# ------------------------------------------------------------------ rounding
def test_representable_exactly():
    assert representable(Fraction(1, 2**149)) and not representable(Fraction(1, 2**150))
    assert representable(Fraction(2**24)) and not representable(Fraction(2**24 + 1))
    assert representable(Fraction(2**24 + 1), "float64") and not representable(Fraction(1, 3), "float64")
    assert not representable(Fraction(2**128)) and representable(Fraction(2**127))
    with pytest.raises(ShapeError):
        representable(Fraction(1), "float16")


def test_rounding_report_is_exact_and_matches_a_slow_recount():
    report = round_network(THIRDS, "float32", domain=(-2, 2))
    changes = [abs(a - c) for (W1, b1), (W2, b2) in zip(THIRDS.layers, report.rounded.layers)
               for a, c in [*(p for r1, r2 in zip(W1, W2) for p in zip(r1, r2)), *zip(b1, b2)] if a != c]
    assert report.changed == len(changes) == 3 and report.max_weight_change == max(changes)
    assert all(representable(v) for W, b in report.rounded.layers for row in W for v in (*row, *b))
    # the sup distance, recomputed on a fine grid of exact points, is never exceeded and is attained
    grid = [Fraction(k, 64) for k in range(-128, 129)]
    values = [abs(THIRDS(x) - report.rounded(x)) for x in grid]
    assert max(values) <= report.sup_distance and type(report.sup_distance) is Fraction
    assert report.sup_distance in {abs(THIRDS(x) - report.rounded(x)) for x in (-2, 2, Fraction(-1, 3), Fraction(2, 3))}
    assert not report.exact and round_network(DYADIC, domain=(0, 1)).exact
    assert round_network(DYADIC, domain=(0, 1)).sup_distance == 0


def test_sup_distance_fails_on_a_wrong_answer():
    """The exact sup really measures: shift by 1/8 and it says 1/8, not 0."""
    assert sup_distance(THIRDS, THIRDS.shift("1/8"), (-5, 5)) == Fraction(1, 8)
    assert sup_distance(THIRDS, THIRDS, (-5, 5)) == 0


def test_export_network_reports(tmp_path):
    with pytest.raises(NotRepresentableError):
        export_network(THIRDS, tmp_path / "t.npz")
    report = export_network(THIRDS, tmp_path / "t.npz", dtype="float32", round="nearest", domain=(-2, 2))
    assert not report.exact and report.rounding is not None and report.rounding.changed == 3
    assert load_network(tmp_path / "t.npz") == report.rounding.rounded
    assert report.to_dict()["rounding"]["sup_distance"] == str(report.rounding.sup_distance)
    exact = export_network(DYADIC, tmp_path / "d.npz", dtype="float32")
    assert exact.exact and exact.rounding is None and load_network(tmp_path / "d.npz") == DYADIC
    assert export_network(THIRDS, tmp_path / "t.json").exact and load_network(tmp_path / "t.json") == THIRDS
    assert export_network(THIRDS, tmp_path / "r.npz", dtype="rational").exact
    with pytest.raises(NetworkFormatError):
        export_network(THIRDS, tmp_path / "t.h5")


@pytest.mark.parametrize("suffix", [".onnx", ".pt", ".safetensors"])
def test_export_network_through_the_extras(tmp_path, suffix):
    require({".onnx": "onnx", ".pt": "torch", ".safetensors": "safetensors"}[suffix])
    path = tmp_path / f"n{suffix}"
    assert export_network(DYADIC, path).exact
    assert load_network(path) == DYADIC
    report = export_network(THIRDS, path, round="nearest")
    assert load_network(path) == report.rounding.rounded


def test_errors_are_exactrelu_errors(tmp_path):
    (tmp_path / "x.pt").write_bytes(b"junk")
    for path in ("x.pt", "x.onnx", "x.npz", "x.safetensors", "x.json"):
        with pytest.raises(ExactReluError):
            try:
                load_network(tmp_path / path)
            except ImportError:
                pytest.skip("extra missing")


_DYADIC_WEIGHTS = st.builds(Fraction, st.integers(-(2**23), 2**23), st.sampled_from([2**k for k in range(0, 30, 3)]))


@settings(max_examples=25, deadline=None)
@given(net=networks(input_dim=2, output_dim=2, weights=_DYADIC_WEIGHTS))
def test_round_trips_are_the_identity_on_dyadic_nets(tmp_path_factory, net):
    """Every format, written and read back: the same exact network (24-bit significands fit float32)."""
    folder = tmp_path_factory.mktemp("rt")
    for suffix, dtype in ((".npz", "float32"), (".npz", "float64"), (".npz", "rational"), (".json", "rational")):
        path = folder / f"n{suffix}"
        assert export_network(net, path, dtype=dtype).exact
        assert load_network(path) == net
    for suffix, module in ((".safetensors", "safetensors"), (".onnx", "onnx"), (".pt", "torch")):
        try:
            __import__(module)
        except ImportError:
            require(module)  # skips here, fails in CI's extras stage
        path = folder / f"n{suffix}"
        export_network(net, path, dtype="float32")
        assert load_network(path) == net


def test_sup_distance_in_two_dimensions_against_a_grid():
    """n-D: the sup over region vertices bounds every grid value; a known shift is measured exactly."""
    net = ReLUNetwork([([[1, "1/3"], ["-1/5", 1]], ["1/7", 0]), ([[1, -1]], ["1/3"])])
    report = round_network(net, "float32", domain=[(-1, 1), (0, 2)])
    assert report.domain == ((-1, 1), (0, 2)) and type(report.sup_distance) is Fraction
    grid = [(Fraction(i, 8), Fraction(j, 8)) for i in range(-8, 9) for j in range(0, 17)]
    worst = max(abs(net(p) - report.rounded(p)) for p in grid)
    assert 0 < worst <= report.sup_distance
    assert sup_distance(net, net.shift("1/16"), [(-1, 1), (0, 2)]) == Fraction(1, 16)
    with pytest.raises(DomainError):
        sup_distance(net, net, [(-1, 1)])
    with pytest.raises(DomainError):
        sup_distance(net, net, [(-1, 1), (0, None)])
