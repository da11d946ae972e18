"""exactrelu.network: validation, exact forward passes, combinators, JSON."""

from __future__ import annotations

import json
import random
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import count_network
from exactrelu import (
    ExactReluError,
    InvalidRationalError,
    NetworkFormatError,
    ReLUNetwork,
    ShapeError,
    compose,
)
from exactrelu.network import FORMAT_VERSION
from exactrelu.strategies import networks, rationals, widths

F = Fraction
ABS = ReLUNetwork([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])


def random_points(n_in: int, seed: int, count: int = 8):
    rng = random.Random(seed)
    return [tuple(F(rng.randint(-30, 30), rng.randint(1, 7)) for _ in range(n_in)) for _ in range(count)]


def naive_forward(layers, x):
    """A second, deliberately plain forward pass (lists of Fractions)."""
    h = list(x)
    for i, (W, b) in enumerate(layers):
        z = [sum((F(W[r][c]) * h[c] for c in range(len(h))), F(0)) + F(b[r]) for r in range(len(W))]
        h = z if i == len(layers) - 1 else [max(v, F(0)) for v in z]
    return tuple(h)


# ------------------------------------------------------------- construction
def test_shape_properties_and_types():
    net = ReLUNetwork([([[1, 2], [3, 4], [5, 6]], [0, 0, 0]), ([[1, 1, 1]], ["1/2"])])
    assert (net.input_dim, net.output_dim, net.widths, net.depth, net.size) == (2, 1, (3,), 1, 3)
    assert type(net.widths) is tuple
    for weight, bias in net.layers:
        assert all(type(v) is Fraction for row in weight for v in row)
        assert all(type(v) is Fraction for v in bias)
    y = net((1, "-1/2"))
    assert type(y) is Fraction
    assert y == F(7, 2)


def test_scalar_and_vector_outputs():
    assert ABS("-3/2") == F(3, 2) and type(ABS(-2)) is Fraction
    two = ReLUNetwork([([[1]], [0]), ([[1], [-1]], [0, 5])])
    out = two(3)
    assert out == (F(3), F(2)) and type(out) is tuple and all(type(v) is Fraction for v in out)
    assert two.forward(3) == (F(3), F(2))


def test_activations_are_pre_activations():
    net = ReLUNetwork([([[1], [-1]], [0, 1]), ([[2, 3]], [-1])])
    acts = net.activations(2)
    assert acts == [(F(2), F(-1)), (F(3),)]
    assert all(type(v) is Fraction for layer in acts for v in layer)


SHAPE_ERRORS = [
    ([], "at least one"),
    ([([], [])], "zero rows"),
    ([([[]], [0])], "zero columns"),
    ([([[1, 2], [3]], [0, 0])], "ragged"),
    ([([[1], [2]], [0])], "b\\[0\\] has 1 entries"),
    ([([[1]], [0]), ([[1, 1]], [0])], "W\\[1\\] takes 2 inputs"),
    ([([[1]], [0], [1])], "pair"),
    ([5], "pair"),
    ([([1, 2], [0, 0])], "W\\[0\\]\\[0\\] must be a sequence"),
    ([("ab", [0])], "W\\[0\\] must be a sequence"),
    ([([[1]], 0)], "b\\[0\\] must be a sequence"),
]


@pytest.mark.parametrize("layers, message", SHAPE_ERRORS)
def test_shape_errors(layers, message):
    with pytest.raises(ShapeError, match=message) as info:
        ReLUNetwork(layers)
    assert isinstance(info.value, ExactReluError) and isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    "layers, where",
    [
        ([([[1]], [0]), ([[float("nan")]], [0])], "W[1][0][0]"),
        ([([[1, float("inf")]], [0])], "W[0][0][1]"),
        ([([[1]], [True])], "b[0][0]"),
        ([([[0.5]], [0])], "W[0][0][0]"),
        ([([[1], [2]], [0, "x"])], "b[0][1]"),
        ([([[1], [2]], [0, None])], "b[0][1]"),
        ([([[1]], [0]), ([[1], [2]], [0, "1/0"])], "b[1][1]"),
    ],
)
def test_bad_entries_are_named(layers, where):
    with pytest.raises(InvalidRationalError) as info:
        ReLUNetwork(layers)
    assert info.value.where == where
    assert where in str(info.value)


def test_floats_only_with_allow_float_and_converted_exactly():
    with pytest.raises(InvalidRationalError):
        ReLUNetwork([([[0.1]], [0])])
    net = ReLUNetwork([([[0.1]], [0.5])], allow_float=True)
    assert net.layers[0][0][0][0] == F(0.1) != F(1, 10)
    with pytest.raises(InvalidRationalError):
        ReLUNetwork([([[float("nan")]], [0])], allow_float=True)


def test_numpy_arrays():
    w = np.array([[1], [-2]], dtype=np.int64)
    b = np.array([0, 3])
    net = ReLUNetwork([(w, b), (np.array([[1, 1]]), np.array([0]))])
    assert net(1) == 2 and type(net(1)) is Fraction
    wf = np.array([[0.1], [-0.25]], dtype=np.float64)
    with pytest.raises(InvalidRationalError) as info:
        ReLUNetwork([(wf, b), (np.array([[1, 1]]), np.array([0]))])
    assert info.value.where == "W[0][0][0]"
    exact = ReLUNetwork.from_numpy([(wf, np.zeros(2)), (np.array([[1.0, 1.0]], dtype=np.float32), np.zeros(1))])
    assert exact.layers[0][0][0][0] == F(0.1)
    assert exact.layers[0][0][1][0] == F(-1, 4)
    assert all(type(v) is Fraction for row in exact.layers[0][0] for v in row)
    assert exact == ReLUNetwork([([[F(0.1)], ["-1/4"]], [0, 0]), ([[1, 1]], [0])])
    with pytest.raises(InvalidRationalError):
        ReLUNetwork.from_numpy([(np.array([[np.nan]]), np.zeros(1))])
    with pytest.raises(ShapeError, match="zero"):
        ReLUNetwork.from_numpy([(np.zeros((0, 1)), np.zeros(0))])


def test_input_validation():
    with pytest.raises(InvalidRationalError):
        ABS(0.5)
    with pytest.raises(ShapeError, match="dimension 2"):
        ABS((1, 2))
    with pytest.raises(InvalidRationalError) as info:
        ReLUNetwork([([[1, 1]], [0])])((1, "x"))
    assert info.value.where == "x[1]"


def test_inputs_are_not_mutated():
    W = [[1], [2]]
    b = [0, 0]
    ReLUNetwork([(W, b), ([[1, 1]], [0])])
    assert W == [[1], [2]] and b == [0, 0]


def test_network_is_immutable_hashable_and_repr_pastes_back():
    net = ReLUNetwork([([[1], ["-1/3"]], ["1/2", 0]), ([[1, 1]], [0])])
    again = ReLUNetwork(net)
    assert again == net and hash(again) == hash(net)
    assert {net: 1}[again] == 1
    assert eval(repr(net), {"ReLUNetwork": ReLUNetwork}) == net
    assert net != ABS
    with pytest.raises(AttributeError):
        net.foo = 1


@settings(max_examples=150)
@given(st.integers(1, 3).flatmap(lambda n: networks(input_dim=n, output_dim=2)))
def test_forward_pass_matches_plain_oracle_and_repr_round_trip(net):
    for x in random_points(net.input_dim, seed=1):
        assert net.forward(x) == naive_forward(net.layers, x)
    assert eval(repr(net), {"ReLUNetwork": ReLUNetwork}) == net
    count_network()


@settings(max_examples=150)
@given(st.integers(1, 2).flatmap(lambda n: networks(input_dim=n)))
def test_integer_layers(net):
    for (W, b), (Wi, bi, D) in zip(net.layers, net.integer_layers()):
        assert type(D) is int and D >= 1
        assert all(type(v) is int for row in Wi for v in row) and all(type(v) is int for v in bi)
        assert [[F(v, D) for v in row] for row in Wi] == [list(row) for row in W]
        assert [F(v, D) for v in bi] == list(b)
        denominators = [v.denominator for row in W for v in row] + [v.denominator for v in b]
        assert all(D % d == 0 for d in denominators)


# -------------------------------------------------------------- combinators
@settings(max_examples=150)
@given(
    st.integers(1, 2).flatmap(
        lambda n: st.tuples(networks(input_dim=n), networks(input_dim=n), networks(input_dim=1, widths=widths(max_depth=2)))
    ),
    rationals(),
)
def test_combinators_agree_with_forward_passes(nets, c):
    f, g, outer = nets
    count_network(3)
    for x in random_points(f.input_dim, seed=2):
        fx, gx = f(x), g(x)
        assert (f + g)(x) == fx + gx
        assert (f - g)(x) == fx - gx
        assert (-f)(x) == -fx
        assert (f * c)(x) == c * fx == (c * f)(x) == f.scale(c)(x)
        assert f.shift(c)(x) == fx + c
        assert outer.compose(f)(x) == outer(fx) == compose(outer, f)(x)
        assert f.padded(f.depth + 2)(x) == fx
    assert (f + g).depth == max(f.depth, g.depth)
    assert outer.compose(f).depth == outer.depth + f.depth
    assert f.padded(f.depth + 2).depth == f.depth + 2
    assert (f + g).widths == tuple(a + b for a, b in zip(f.padded(max(f.depth, g.depth)).widths, g.padded(max(f.depth, g.depth)).widths))


def test_combinator_errors():
    two_in = ReLUNetwork([([[1, 1]], [0]), ([[1]], [0])])
    with pytest.raises(ShapeError, match="cannot add"):
        ABS + two_in
    with pytest.raises(ShapeError, match="cannot compose"):
        two_in.compose(ReLUNetwork([([[1]], [0]), ([[1], [1], [1]], [0, 0, 0])]))
    with pytest.raises(ShapeError, match="depth=0"):
        ABS.padded(0)
    with pytest.raises(InvalidRationalError):
        ABS * 0.5
    with pytest.raises(TypeError):
        ABS * ABS
    with pytest.raises(TypeError):
        ABS + 1


def test_adding_an_affine_network_pads_it():
    affine = ReLUNetwork([([[2]], [1])])
    total = ABS + affine
    assert total.depth == 1
    assert [total(x) for x in (-2, 0, 3)] == [F(-1), F(1), F(10)]
    assert (affine + affine)(5) == 22


# --------------------------------------------------------------------- JSON
@settings(max_examples=100)
@given(st.integers(1, 2).flatmap(lambda n: networks(input_dim=n, output_dim=n)))
def test_json_round_trip(net):
    text = net.to_json()
    data = json.loads(text)
    assert data["format"] == "exactrelu.network" and data["version"] == FORMAT_VERSION
    assert all(isinstance(v, str) for layer in data["layers"] for row in layer["W"] for v in row)
    back = ReLUNetwork.from_json(text)
    assert back == net and hash(back) == hash(net)
    assert ReLUNetwork.from_dict(net.to_dict()) == net


def test_save_and_load(tmp_path):
    net = ReLUNetwork([([[1], ["-1/3"]], ["1/2", 0]), ([[1, 1]], [0])])
    path = tmp_path / "net.json"
    net.save(str(path))
    assert ReLUNetwork.load(str(path)) == net
    assert json.loads(path.read_text())["layers"][0]["W"] == [["1"], ["-1/3"]]


def good_dict():
    return {"format": "exactrelu.network", "version": 1, "layers": [{"W": [["1"], ["-1"]], "b": ["0", "0"]}, {"W": [["1", "1"]], "b": ["0"]}]}


def mutate(fn):
    data = good_dict()
    fn(data)
    return json.dumps(data)


MALFORMED = {
    "not json": "{not json",
    "empty file": "",
    "a list": "[1, 2]",
    "a string": '"net"',
    "bad version": mutate(lambda d: d.update(version=2)),
    "missing version": mutate(lambda d: d.pop("version")),
    "version as string": mutate(lambda d: d.update(version="1")),
    "other format": mutate(lambda d: d.update(format="exactrelu.pwl")),
    "missing layers": mutate(lambda d: d.pop("layers")),
    "layers not a list": mutate(lambda d: d.update(layers={"W": 1})),
    "no layers": mutate(lambda d: d.update(layers=[])),
    "missing b": mutate(lambda d: d["layers"][0].pop("b")),
    "missing W": mutate(lambda d: d["layers"][1].pop("W")),
    "layer not an object": mutate(lambda d: d["layers"].__setitem__(0, [1, 2])),
    "float in W": mutate(lambda d: d["layers"][0]["W"][0].__setitem__(0, 0.5)),
    "float in b": mutate(lambda d: d["layers"][1]["b"].__setitem__(0, 1.0)),
    "bool in W": mutate(lambda d: d["layers"][0]["W"][0].__setitem__(0, True)),
    "junk rational": mutate(lambda d: d["layers"][0]["b"].__setitem__(0, "1/0")),
    "null entry": mutate(lambda d: d["layers"][0]["b"].__setitem__(0, None)),
    "ragged W": mutate(lambda d: d["layers"][1]["W"][0].pop()),
    "W a string": mutate(lambda d: d["layers"][0].update(W="11")),
    "shapes do not chain": mutate(lambda d: d["layers"][1].update(W=[["1"]])),
    "NaN literal": json.dumps(good_dict()).replace('"-1"', "NaN"),
}


@pytest.mark.parametrize("text", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_json(text, tmp_path):
    with pytest.raises(NetworkFormatError) as info:
        ReLUNetwork.from_json(text)
    assert isinstance(info.value, ValueError)
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(NetworkFormatError):
        ReLUNetwork.load(str(path))


def test_json_ints_are_accepted():
    data = good_dict()
    data["layers"][0]["W"] = [[1], [-1]]
    assert ReLUNetwork.from_dict(data) == ReLUNetwork.from_dict(good_dict())


def test_unreadable_files(tmp_path):
    with pytest.raises(NetworkFormatError, match="cannot read"):
        ReLUNetwork.load(str(tmp_path / "missing.json"))
    with pytest.raises(NetworkFormatError):
        ReLUNetwork.load(str(tmp_path))  # a directory
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(NetworkFormatError):
        ReLUNetwork.load(str(junk))
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"format": "\xe9"}')
    with pytest.raises(NetworkFormatError):
        ReLUNetwork.load(str(latin))


def test_conversion_delegations_agree_with_their_modules(tmp_path):
    """ReLUNetwork.to_sympy/to_latex/to_networkx/from_torch/to_torch/from_onnx/to_onnx call the one implementation."""
    from _extras import require

    from exactrelu.formulas import network_to_latex, network_to_sympy
    from exactrelu.netgraph import network_to_networkx

    net = ReLUNetwork([([[1], [-1]], [0, "1/2"]), ([[1, 1]], [0])])
    assert net.to_sympy() == network_to_sympy(net) and net.to_latex() == network_to_latex(net)
    g = net.to_networkx()
    assert sorted(g.edges) == sorted(network_to_networkx(net).edges)
    require("torch")
    assert ReLUNetwork.from_torch(net.to_torch()) == net
    require("onnx")
    path = str(tmp_path / "n.onnx")
    net.to_onnx(path)
    assert ReLUNetwork.from_onnx(path) == net
