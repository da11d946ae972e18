"""ONNX import/export with the real libraries; issue 12's done-criterion.

A tiny torch model is trained for a few steps (CPU, fixed seed), exported to
ONNX by torch itself in both shapes (batched input -> Gemm, unbatched ->
MatMul + Add) and by both exporters, and imported through both paths (torch
and ONNX) to the same exact network, whose exact piece count on a segment
equals that of the network rebuilt by hand from the weights.
"""

from __future__ import annotations

import warnings
from fractions import Fraction

import numpy as np
import pytest
from _extras import require
from conftest import oracle_layers

from exactrelu import ReLUNetwork
from exactrelu.errors import ExactReluError, NetworkFormatError, ShapeError
from exactrelu.io import (
    NotRepresentableError,
    from_torch,
    load_network,
    load_onnx,
    read_network,
    round_network,
    to_onnx,
)
from exactrelu.propagate import propagate

SEGMENT = (Fraction(-2), Fraction(2))


@pytest.fixture(scope="module")
def trained():
    """A 1-8-8-1 ReLU net fitted to |x| - 1/2 for 30 Adam steps (float32, seed 0)."""
    torch = require("torch")
    torch.manual_seed(0)
    nn = torch.nn
    model = nn.Sequential(nn.Linear(1, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 1))
    opt = torch.optim.Adam(model.parameters(), lr=0.05)
    x = torch.linspace(-2, 2, 64).reshape(-1, 1)
    y = x.abs() - 0.5
    for _ in range(30):
        opt.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        opt.step()
    return model.eval()


def _export(torch, model, path, example, dynamo):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (example,), str(path), dynamo=dynamo)


def _hand_built(model):
    linears = [m for m in model if type(m).__name__ == "Linear"]
    return ReLUNetwork(
        [
            ([[Fraction(v) for v in row] for row in m.weight.detach().double().tolist()],
             [Fraction(v) for v in m.bias.detach().double().tolist()])
            for m in linears
        ]
    )


def _op_types(path):
    onnx = require("onnx")
    return [n.op_type for n in onnx.load(str(path)).graph.node]


@pytest.mark.parametrize("dynamo", [False, True], ids=["torchscript", "dynamo"])
def test_done_criterion_torch_and_onnx_agree_exactly(trained, tmp_path, dynamo):
    torch = require("torch")
    require("onnx")
    if dynamo:
        require("onnxscript")  # the dynamo exporter (torch's default) needs it
    by_hand = _hand_built(trained)
    via_torch = from_torch(trained)
    assert via_torch == by_hand
    batched, unbatched = tmp_path / "batched.onnx", tmp_path / "unbatched.onnx"
    _export(torch, trained, batched, torch.zeros(4, 1), dynamo)
    _export(torch, trained, unbatched, torch.zeros(1), dynamo)
    assert set(_op_types(batched)) == {"Gemm", "Relu"}
    assert {"MatMul", "Add", "Relu"} <= set(_op_types(unbatched)) and "Gemm" not in _op_types(unbatched)
    for path in (batched, unbatched):
        net, report = read_network(path)
        assert net == via_torch
        assert report.source_format == "onnx" and report.dtypes == ("float32",)
        assert "exact dyadic conversion of float32 weights" in report.conversion
    pieces = propagate(via_torch, SEGMENT).pieces
    _, (oracle_out,) = oracle_layers(by_hand, SEGMENT)
    assert type(pieces) is int and pieces == propagate(by_hand, SEGMENT).pieces == oracle_out.pieces
    assert pieces >= 2  # training bent the function: the check is not vacuous


def _float32_error_bound(net: ReLUNetwork, x: list[Fraction]) -> Fraction:
    """A rigorous bound on |float32 evaluation - exact value| at the float32 input x.

    Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed. (2002), Section 3.1:
    a float dot product of length n (any order, with or without FMA) satisfies
    |fl(w.h) - w.h| <= gamma_n |w|.|h|, gamma_n = n u / (1 - n u), u = 2^-24.
    Adding the bias makes n + 1 terms.  With the input exact (x is a float32),
    e_l <= |W| e_{l-1} + gamma_{n+1} (|W| (|h_{l-1}| + e_{l-1}) + |b|), and ReLU
    is 1-Lipschitz so it does not increase e.  Evaluated exactly in Fractions.
    """
    u = Fraction(1, 2**24)
    h = list(x)
    err = [Fraction(0)] * len(x)
    for index, (W, b) in enumerate(net.layers):
        n = len(W[0]) + 1
        gamma = n * u / (1 - n * u)
        z = [sum((w * v for w, v in zip(row, h)), bias) for row, bias in zip(W, b)]
        new_err = []
        for row, bias in zip(W, b):
            prop = sum((abs(w) * e for w, e in zip(row, err)), Fraction(0))
            mag = sum((abs(w) * (abs(v) + e) for w, v, e in zip(row, h, err)), abs(bias))
            new_err.append(prop + gamma * mag)
        err = new_err
        h = z if index == len(net.layers) - 1 else [max(v, Fraction(0)) for v in z]
    return max(err)


def test_onnxruntime_agrees_with_the_exact_network(trained, tmp_path):
    torch = require("torch")
    ort = require("onnxruntime")
    path = tmp_path / "m.onnx"
    xs = np.linspace(-2, 2, 33, dtype=np.float32).reshape(-1, 1)
    _export(torch, trained, path, torch.zeros(33, 1), False)
    net = load_onnx(path)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    (ys,) = session.run(None, {session.get_inputs()[0].name: xs})
    for x, y in zip(xs[:, 0].tolist(), ys[:, 0].tolist()):
        exact = net(Fraction(x))
        bound = _float32_error_bound(net, [Fraction(x)])
        assert abs(Fraction(y) - exact) <= bound, (x, y, exact, bound)
        assert bound < Fraction(1, 10**4)


def test_error_bound_fails_on_a_wrong_network(trained, tmp_path):
    """The tolerance is tight enough to catch a network off by one ulp in a bias."""
    torch = require("torch")
    ort = require("onnxruntime")
    path = tmp_path / "m.onnx"
    _export(torch, trained, path, torch.zeros(1, 1), False)
    net = load_onnx(path)
    *hidden, (W, b) = net.layers
    wrong = ReLUNetwork([*hidden, (W, [b[0] + Fraction(1, 2**10)])])
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    (ys,) = session.run(None, {session.get_inputs()[0].name: np.array([[0.5]], dtype=np.float32)})
    assert abs(Fraction(float(ys[0, 0])) - wrong(Fraction(1, 2))) > _float32_error_bound(wrong, [Fraction(1, 2)])


# ------------------------------------------------------------ hand-made graphs
def _model(nodes, inits, in_shape, out_shape=None):
    onnx = require("onnx")
    h = onnx.helper
    graph = h.make_graph(
        nodes, "g", [h.make_tensor_value_info("x", onnx.TensorProto.FLOAT, in_shape)],
        [h.make_tensor_value_info("y", onnx.TensorProto.FLOAT, out_shape)],
        initializer=[onnx.numpy_helper.from_array(np.asarray(v, dtype=np.float32), k) for k, v in inits.items()],
    )
    return h.make_model(graph, opset_imports=[h.make_opsetid("", 17)])


def test_gemm_alpha_beta_trans_and_transpose_of_an_initializer():
    onnx = require("onnx")
    h = onnx.helper
    W = [[1.0, -2.0], [0.5, 3.0]]  # (in=2, out=2) used with transB=0
    model = _model(
        [
            h.make_node("Transpose", ["Wt"], ["W"], perm=[1, 0]),
            h.make_node("Gemm", ["x", "W", "c"], ["z"], alpha=0.5, beta=2.0, transB=0),
            h.make_node("Relu", ["z"], ["r"]),
            h.make_node("Gemm", ["r", "V", "d"], ["y"], transB=1),
        ],
        {"Wt": np.array(W).T, "c": [0.25, -1.0], "V": [[1.0, 1.0]], "d": [0.0]},
        ["N", 2], ["N", 1],
    )
    net = load_onnx(model)
    x = (Fraction(1), Fraction(1, 2))
    z = [Fraction(1, 2) * (x[0] * Fraction(W[0][j]) + x[1] * Fraction(W[1][j])) + 2 * c
         for j, c in enumerate((Fraction(1, 4), Fraction(-1)))]
    assert net(x) == sum(max(v, Fraction(0)) for v in z)
    # and onnxruntime agrees
    ort = require("onnxruntime")
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    (y,) = session.run(None, {"x": np.array([[1.0, 0.5]], dtype=np.float32)})
    assert Fraction(float(y[0, 0])) == net(x)


def test_flatten_reshape_identity_constant():
    onnx = require("onnx")
    h = onnx.helper
    shape = onnx.numpy_helper.from_array(np.array([0, -1], dtype=np.int64), "s")
    model = _model(
        [
            h.make_node("Flatten", ["x"], ["f"], axis=1),
            h.make_node("Constant", [], ["bias"], value=onnx.numpy_helper.from_array(np.array([1.0, 2.0], dtype=np.float32))),
            h.make_node("MatMul", ["f", "M"], ["m"]),
            h.make_node("Add", ["bias", "m"], ["a"]),
            h.make_node("Identity", ["a"], ["i"]),
            h.make_node("Relu", ["i"], ["r"]),
            h.make_node("Constant", [], ["s2"], value=shape),
            h.make_node("Reshape", ["r", "s2"], ["q"]),
            h.make_node("MatMul", ["q", "V"], ["y"]),
        ],
        {"M": [[1.0, 0.0], [0.0, -1.0], [2.0, 0.0], [0.0, 0.0]], "V": [[1.0], [1.0]]},
        ["N", 2, 2], ["N", 1],
    )
    net = load_onnx(model)
    assert net.input_dim == 4 and net.widths == (2,)
    assert net([1, 1, 1, 1]) == max(Fraction(1 + 2 + 1), 0) + max(Fraction(-1 + 2), 0)


def test_unsupported_nodes_are_named():
    onnx = require("onnx")
    h = onnx.helper
    for op in ("Sigmoid", "LeakyRelu"):
        model = _model([h.make_node(op, ["x"], ["y"])], {}, ["N", 1], ["N", 1])
        with pytest.raises(NetworkFormatError, match=rf"node 0 \({op}\) is not supported"):
            load_onnx(model)
    skip = _model([h.make_node("Relu", ["x"], ["r"]), h.make_node("Add", ["x", "r"], ["y"])], {}, ["N", 1], ["N", 1])
    with pytest.raises(NetworkFormatError, match="skip connection"):
        load_onnx(skip)


def test_bad_shapes_and_values():
    onnx = require("onnx")
    h = onnx.helper
    wrong = _model([h.make_node("Gemm", ["x", "W"], ["y"], transB=1)], {"W": [[1.0, 2.0, 3.0]]}, ["N", 2], ["N", 1])
    with pytest.raises(ShapeError, match="does not take 2 features"):
        load_onnx(wrong)
    nan = _model([h.make_node("Gemm", ["x", "W"], ["y"], transB=1)], {"W": [[1.0, float("nan")]]}, ["N", 2], ["N", 1])
    with pytest.raises(NetworkFormatError, match=r"'W'.*NaN"):
        load_onnx(nan)
    ints = onnx.helper.make_graph(
        [h.make_node("MatMul", ["x", "W"], ["y"])], "g",
        [h.make_tensor_value_info("x", onnx.TensorProto.FLOAT, ["N", 1])],
        [h.make_tensor_value_info("y", onnx.TensorProto.FLOAT, ["N", 1])],
        initializer=[onnx.numpy_helper.from_array(np.array([[True]]), "W")],
    )
    with pytest.raises(NetworkFormatError, match="bool"):
        load_onnx(h.make_model(ints))


def test_truncated_and_foreign_files(tmp_path):
    require("onnx")
    net = ReLUNetwork([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])
    path = tmp_path / "abs.onnx"
    to_onnx(net, path)
    data = path.read_bytes()
    (tmp_path / "cut.onnx").write_bytes(data[: len(data) // 2])
    with pytest.raises(ExactReluError):
        load_network(tmp_path / "cut.onnx")
    (tmp_path / "text.onnx").write_text("not a model")
    with pytest.raises(NetworkFormatError):
        load_network(tmp_path / "text.onnx")
    with pytest.raises(NetworkFormatError, match="no such file"):
        load_network(tmp_path / "absent.onnx")


@pytest.mark.parametrize("batched", [True, False])
def test_export_round_trip_and_onnxruntime(tmp_path, batched):
    require("onnx")
    ort = require("onnxruntime")
    net = ReLUNetwork([([[1], ["-3/8"], [5]], ["1/4", 0, -2]), ([[1, "1/2", "-1/1024"], [0, 1, 1]], ["7/2", 0])])
    model = to_onnx(net, tmp_path / "n.onnx", batched=batched)
    assert load_onnx(model) == net == load_network(tmp_path / "n.onnx")
    assert load_network(tmp_path / "n.onnx", output=1) == ReLUNetwork([*net.layers[:-1], ([net.layers[-1][0][1]], [0])])
    session = ort.InferenceSession(str(tmp_path / "n.onnx"), providers=["CPUExecutionProvider"])
    x = np.array([[0.75]] if batched else [0.75], dtype=np.float32)
    (y,) = session.run(None, {"input": x})
    assert [Fraction(float(v)) for v in np.ravel(y)] == list(net.forward(Fraction(3, 4)))  # small dyadics: exact


def test_export_rounding_is_reported_exactly(tmp_path):
    require("onnx")
    net = ReLUNetwork([([[1], [-1]], ["1/3", "1/5"]), ([[1, "1/7"]], [0])])
    with pytest.raises(NotRepresentableError):
        to_onnx(net)
    model = to_onnx(net, round="nearest", dtype="float64")
    report = round_network(net, "float64", domain=(-1, 1))
    assert load_onnx(model) == report.rounded and report.changed == 3
    assert 0 < report.sup_distance <= report.max_weight_change * 3


@pytest.mark.parametrize("dynamo", [False, True], ids=["torchscript", "dynamo"])
@pytest.mark.parametrize("dynamic_batch", [False, True], ids=["fixed", "dynamic"])
def test_image_input_flatten_or_reshape(tmp_path, dynamo, dynamic_batch):
    """nn.Flatten on (N, 1, 2, 2) inputs: TorchScript writes Flatten, dynamo writes Reshape."""
    torch = require("torch")
    require("onnx")
    if dynamo:
        require("onnxscript")
    nn = torch.nn
    torch.manual_seed(4)
    model = nn.Sequential(nn.Flatten(), nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2), nn.ReLU()).eval()
    path = tmp_path / "img.onnx"
    kwargs: dict = {}
    if dynamic_batch:
        kwargs = ({"dynamic_shapes": ({0: torch.export.Dim("N")},)} if dynamo
                  else {"input_names": ["inp"], "dynamic_axes": {"inp": {0: "N"}}})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (torch.zeros(5, 1, 2, 2),), str(path), dynamo=dynamo, **kwargs)
    assert ("Reshape" if dynamo else "Flatten") in _op_types(path)
    net, report = read_network(path)
    assert net == from_torch(model) and net.input_dim == 4 and net.widths == (3, 2)
    assert any("identity output layer" in n for n in report.notes)


def test_torch_exported_unsupported_activation_is_named(tmp_path):
    torch = require("torch")
    require("onnx")
    nn = torch.nn
    model = nn.Sequential(nn.Linear(1, 2), nn.LeakyReLU(), nn.Linear(2, 1)).eval()
    _export(torch, model, tmp_path / "leaky.onnx", torch.zeros(3, 1), False)
    with pytest.raises(NetworkFormatError, match=r"LeakyRelu.*is not supported"):
        load_network(tmp_path / "leaky.onnx")
