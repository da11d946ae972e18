"""PyTorch import/export with real torch: nn.Sequential, state_dict, .pt files, bad inputs."""

from __future__ import annotations

import pickle
from fractions import Fraction

import numpy as np
import pytest
from _extras import require

from exactrelu import ReLUNetwork
from exactrelu.errors import ExactReluError, NetworkFormatError, ShapeError
from exactrelu.io import (
    NotRepresentableError,
    from_state_dict,
    from_torch,
    load_network,
    load_torch,
    read_network,
    round_network,
    to_torch,
)


@pytest.fixture
def torch():
    return require("torch")


def _hand_built(torch, linears):
    """The network rebuilt by hand from the float32 tensors: Fraction(float) of every entry."""
    return ReLUNetwork(
        [
            ([[Fraction(float(v)) for v in row] for row in m.weight.detach().tolist()],
             [Fraction(float(v)) for v in m.bias.detach().tolist()])
            for m in linears
        ]
    )


def _model(torch, *extra, seed=0):
    torch.manual_seed(seed)
    nn = torch.nn
    return nn.Sequential(nn.Linear(2, 5), nn.ReLU(), *extra, nn.Linear(5, 3), nn.ReLU(), nn.Linear(3, 1)).eval()


def test_sequential_imports_exactly_and_says_so(torch):
    model = _model(torch)
    net, report = read_network(model)
    assert net == _hand_built(torch, [model[0], model[2], model[4]])
    assert all(type(v) is Fraction for W, b in net.layers for row in W for v in row)
    assert all(v.denominator & (v.denominator - 1) == 0 for W, b in net.layers for row in W for v in row)
    assert report.source_format == "torch.nn.Sequential" and report.dtypes == ("float32",)
    assert "exact dyadic conversion of float32 weights" in report.conversion
    assert report.exact and report.widths == (5, 3) and report.input_dim == 2
    # the exact network agrees with torch's float64 forward pass on a dyadic point, to float64 rounding
    x = [Fraction(1, 4), Fraction(-3, 8)]
    with torch.no_grad():
        y = model.double()(torch.tensor([[float(v) for v in x]], dtype=torch.float64)).item()
    assert abs(float(net(x)) - y) < 1e-12


def test_identity_flatten_dropout_eval_and_float64(torch):
    nn = torch.nn
    torch.manual_seed(1)
    model = nn.Sequential(nn.Flatten(), nn.Linear(2, 3), nn.Identity(), nn.ReLU(), nn.Dropout(0.5),
                          nn.Sequential(nn.Linear(3, 2))).eval().double()
    net, report = read_network(model)
    assert net == _hand_built(torch, [model[1], model[5][0]])
    assert report.dtypes == ("float64",)
    assert any("Dropout" in n for n in report.notes)


def test_dropout_in_training_mode_is_named(torch):
    model = _model(torch, torch.nn.Dropout(0.2)).train()
    with pytest.raises(NetworkFormatError, match=r"Dropout.*training mode"):
        from_torch(model)


@pytest.mark.parametrize("layer", ["LeakyReLU", "Tanh", "BatchNorm1d", "Conv1d"])
def test_unsupported_layer_is_named(torch, layer):
    nn = torch.nn
    extra = {"LeakyReLU": nn.LeakyReLU(), "Tanh": nn.Tanh(), "BatchNorm1d": nn.BatchNorm1d(5),
             "Conv1d": nn.Conv1d(1, 1, 1)}[layer]
    with pytest.raises(NetworkFormatError, match=rf"layer '2' \({layer}\) is not supported"):
        from_torch(_model(torch, extra))


def test_not_a_sequential(torch):
    class Custom(torch.nn.Module):
        def forward(self, x):
            return x

    with pytest.raises(NetworkFormatError, match="Custom"):
        from_torch(Custom())
    with pytest.raises(NetworkFormatError, match="no Linear"):
        from_torch(torch.nn.Sequential(torch.nn.ReLU()))


def test_consecutive_linears_merge_and_trailing_relu(torch):
    nn = torch.nn
    torch.manual_seed(2)
    a, b = nn.Linear(1, 2), nn.Linear(2, 2)
    model = nn.Sequential(a, b, nn.ReLU()).eval()
    net, report = read_network(model)
    assert net.widths == (2,) and any("merged" in n for n in report.notes)
    assert any("identity output layer" in n for n in report.notes)
    with torch.no_grad():
        for x in (-1.5, 0.25, 2.0):
            expected = model.double()(torch.tensor([[x]], dtype=torch.float64))[0].tolist()
            got = net.forward(Fraction(x))
            assert max(abs(float(g) - e) for g, e in zip(got, expected)) < 1e-12


def test_relu_first_layer(torch):
    nn = torch.nn
    model = nn.Sequential(nn.ReLU(), nn.Linear(2, 1)).eval()
    with torch.no_grad():
        model[1].weight.copy_(torch.tensor([[1.0, -2.0]]))
        model[1].bias.copy_(torch.tensor([0.5]))
    net = from_torch(model)
    assert net([-1, 3]) == Fraction(1, 2) - 6 and net.widths == (2,)


def test_bias_free_linear(torch):
    nn = torch.nn
    model = nn.Sequential(nn.Linear(1, 2, bias=False), nn.ReLU(), nn.Linear(2, 1, bias=False)).eval()
    net = from_torch(model)
    assert net.layers[0][1] == (0, 0)


def test_multi_output_choice(torch):
    nn = torch.nn
    torch.manual_seed(3)
    model = nn.Sequential(nn.Linear(1, 4), nn.ReLU(), nn.Linear(4, 3)).eval()
    full = from_torch(model)
    for i in range(3):
        single = from_torch(model, output=i)
        assert single.output_dim == 1 and single(Fraction(1, 3)) == full.forward(Fraction(1, 3))[i]
    with pytest.raises(ShapeError, match="out of range"):
        from_torch(model, output=3)


def test_nan_and_integer_weights_rejected(torch):
    model = _model(torch)
    with torch.no_grad():
        model[2].weight[1, 1] = float("nan")
    with pytest.raises(NetworkFormatError, match=r"weight\[1\]\[1\].*NaN"):
        from_torch(model)
    sd = {"0.weight": torch.ones(2, 1, dtype=torch.int64), "0.bias": torch.zeros(2)}
    with pytest.raises(NetworkFormatError, match="int64"):
        from_state_dict(sd)


def test_state_dict_and_pt_file(torch, tmp_path):
    model = _model(torch)
    expected = from_torch(model)
    assert from_state_dict(model.state_dict()) == expected
    path = tmp_path / "model.pt"
    torch.save(model.state_dict(), path)
    net, report = read_network(path)
    assert net == expected and report.source_format == "torch .pt" and report.source == str(path)
    assert load_torch(path) == expected and load_network(str(path)) == expected
    # a training checkpoint dict holding the state_dict
    torch.save({"epoch": 3, "model_state_dict": model.state_dict()}, tmp_path / "ckpt.pth")
    assert load_network(tmp_path / "ckpt.pth") == expected


def test_state_dict_with_other_layers_is_refused(torch):
    nn = torch.nn
    model = nn.Sequential(nn.Linear(1, 2), nn.BatchNorm1d(2), nn.ReLU(), nn.Linear(2, 1))
    with pytest.raises(NetworkFormatError, match="running_mean"):
        from_state_dict(model.state_dict())


def test_state_dict_wrong_shapes(torch):
    sd = {"0.weight": torch.ones(3, 1), "0.bias": torch.zeros(3), "1.weight": torch.ones(1, 2), "1.bias": torch.zeros(1)}
    with pytest.raises(ShapeError, match="1.weight"):
        from_state_dict(sd)
    with pytest.raises(ShapeError, match="2-D"):
        from_state_dict({"0.weight": torch.ones(3), "0.bias": torch.zeros(3)})


class _Evil:
    def __reduce__(self):
        return (print, ("this must never run",))


def test_pt_files_with_objects_are_refused_without_running_them(torch, tmp_path, capsys):
    whole = tmp_path / "whole.pt"
    torch.save(_model(torch), whole)  # a pickled nn.Module, not a state_dict
    with pytest.raises(NetworkFormatError, match="weights-only"):
        load_torch(whole)
    evil = tmp_path / "evil.pt"
    torch.save({"0.weight": _Evil()}, evil)
    with pytest.raises(NetworkFormatError):
        load_torch(evil)
    raw = tmp_path / "raw.pth"
    raw.write_bytes(pickle.dumps(_Evil()))
    with pytest.raises(NetworkFormatError):
        load_network(raw)
    assert "must never run" not in capsys.readouterr().out


def test_truncated_and_missing_pt(torch, tmp_path):
    path = tmp_path / "m.pt"
    torch.save(_model(torch).state_dict(), path)
    data = path.read_bytes()
    (tmp_path / "cut.pt").write_bytes(data[: len(data) // 2])
    with pytest.raises(NetworkFormatError):
        load_torch(tmp_path / "cut.pt")
    with pytest.raises(NetworkFormatError, match="no such file"):
        load_torch(tmp_path / "absent.pt")
    (tmp_path / "list.pt").write_bytes(b"")
    torch.save([torch.ones(1)], tmp_path / "list.pt")
    with pytest.raises(NetworkFormatError, match="list"):
        load_torch(tmp_path / "list.pt")


def test_every_error_is_typed(torch, tmp_path):
    for bad in (3, "junk", {"0.weight": "x"}):
        with pytest.raises(ExactReluError):
            read_network(bad)


# -------------------------------------------------------------------- export
def test_round_trip_is_identity_on_dyadic_nets(torch):
    net = ReLUNetwork([([[1], ["-3/8"], [5]], ["1/4", 0, -2]), ([[1, "1/2", "-1/1024"]], ["7/2"])])
    for dtype in ("float32", "float64"):
        model = to_torch(net, dtype=dtype)
        assert from_torch(model) == net
        assert str(model[0].weight.dtype) == f"torch.{dtype}"


def test_non_representable_export_needs_rounding(torch):
    net = ReLUNetwork([([[1], [-1]], ["1/3", 0]), ([[1, 1]], [0])])
    with pytest.raises(NotRepresentableError, match=r"b\[0\]\[0\]=1/3") as info:
        to_torch(net)
    assert info.value.value == Fraction(1, 3) and info.value.dtype == "float32"
    big = ReLUNetwork([([[2**24 + 1]], [0]), ([[1]], [0])])
    to_torch(big, dtype="float64")  # fits float64 exactly
    with pytest.raises(NotRepresentableError):
        to_torch(big, dtype="float32")
    model = to_torch(net, round="nearest")
    report = round_network(net, "float32", domain=(-1, 1))
    assert from_torch(model) == report.rounded
    assert report.changed == 1 and report.max_weight_change == abs(Fraction(1, 3) - Fraction(float(np.float32(1 / 3))))
    assert type(report.sup_distance) is Fraction and report.sup_distance == report.max_weight_change


def test_read_network_names_a_custom_module(torch):
    class MyNet(torch.nn.Module):
        def forward(self, x):
            return x

    with pytest.raises(NetworkFormatError, match="MyNet.*state_dict"):
        read_network(MyNet())
