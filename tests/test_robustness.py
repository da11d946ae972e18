"""Issue 9, case by case: every input of the reliability campaign, with what it gets now.

Bad input gets a typed exactrelu error (CLI: exactly one stderr line, exit 2);
blow-ups run in a child under an address-space limit and a timeout, so a
regression fails the test instead of the machine.  The Dask cases (the last
worker dies; Hypothesis's deprecation warning in workers) are in
tests/test_robustness_cluster.py.
"""

from __future__ import annotations

import json
import os
import sys
import time
from fractions import Fraction

import numpy as np
import pytest

from _robust import assert_clean_failure, cli, limited
from exactrelu import PiecewiseLinear, ReLUNetwork
from exactrelu.errors import (
    BudgetExceededError,
    DomainError,
    ExactReluError,
    InvalidRationalError,
    NetworkFormatError,
    ShapeError,
)
from exactrelu.rationals import MAX_RATIONAL_CHARS, format_rational, int_to_str, rational_repr, str_to_int, to_rational

ABS = ReLUNetwork([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])  # |x|: 2 pieces on R, 1 on a half-line


@pytest.fixture
def net_file(tmp_path):
    path = tmp_path / "abs.json"
    ABS.save(str(path))
    return str(path)


def _witness_data() -> dict:
    """A real witness of 'pieces-at-most-units-plus-one' (the tent map composed: 6 pieces, 4 units)."""
    from exactrelu.search import Counterexample, NetworkSpace, get_claim

    claim = get_claim("pieces-at-most-units-plus-one")
    net = ReLUNetwork([([[-1], [-1]], [0, 2]), ([[1, 1], [2, -1]], [-1, "1/2"]), ([[1, 1]], [0])])
    space = NetworkSpace((2, 2))
    evaluation = claim.evaluate(net)
    assert evaluation.violated
    return Counterexample(claim, space, net, evaluation, "random", 7).to_dict()


@pytest.fixture
def witness_file(tmp_path):
    path = tmp_path / "w.json"
    path.write_text(json.dumps(_witness_data()))
    return str(path)


# ------------------------------------------------------------------ domains
@pytest.mark.parametrize("ends", [("0", "-inf"), ("+inf", "-inf"), ("inf", "-inf"), ("+inf", "inf"),
                                  ("-inf", "-inf"), ("+inf", "0"), ("1", "0"), ("1/2", "1/2")])
def test_reversed_or_empty_domain_is_an_error_whatever_its_ends(net_file, ends):
    status, out, err = cli(["pieces", net_file, "--domain", *ends])
    assert_clean_failure(status, err, "pieces")
    assert out == ""


@pytest.mark.parametrize("ends, pieces, shown", [(("-inf", "inf"), 2, "[-inf, +inf]"), (("0", "+inf"), 1, "[0, +inf]"),
                                                 (("-inf", "0"), 1, "[-inf, 0]"), (("none", "none"), 2, "[-inf, +inf]"),
                                                 (("inf", "0"), 1, "[-inf, 0]"), (("inf", "inf"), 2, "[-inf, +inf]"),
                                                 (("-1", "1/2"), 2, "[-1, 1/2]")])
def test_valid_domains_analyse_what_was_asked(net_file, ends, pieces, shown):
    status, out, err = cli(["pieces", net_file, "--domain", *ends, "--json"])
    assert status == 0, err
    data = json.loads(out)
    assert data["output_pieces"][-1] == pieces
    status, out, _ = cli(["pieces", net_file, "--domain", *ends])
    assert f"domain {shown}" in out


def test_domain_of_one_end_is_a_one_line_usage_error(net_file):
    status, _, err = cli(["pieces", net_file, "--domain", "0"])
    assert status == 2 and len(err.splitlines()) == 1 and "--domain" in err


# ------------------------------------------------------------------ budgets
@pytest.mark.parametrize("value", ["0", "-1"])
def test_max_pieces_zero_or_negative_is_an_error(net_file, value):
    status, out, err = cli(["pieces", net_file, "--max-pieces", value])
    assert_clean_failure(status, err, "pieces", contains="--max-pieces")
    assert out == ""


def test_max_pieces_one_fires_and_names_the_flag(net_file):
    status, _, err = cli(["pieces", net_file, "--max-pieces", "1"])
    assert_clean_failure(status, err, "pieces", contains="--max-pieces")


@pytest.mark.slow
def test_zigzag_16x6_budget_fires_before_memory_is_spent():
    code = ("from exactrelu.constructions import zigzag_network\nfrom exactrelu.propagate import propagate\n"
            "from exactrelu.errors import BudgetExceededError\n"
            "try:\n    propagate(zigzag_network((16,) * 6))\nexcept BudgetExceededError as e:\n    print('BUDGET', e.layer)\n")
    proc = limited([], code=code, timeout=120)
    assert proc.returncode == 0 and "BUDGET 6" in proc.stdout, proc.stderr[-2000:]


def test_width_5000_network_is_refused_from_its_shape_before_conversion():
    W = np.zeros((5000, 5000), dtype=np.int64)
    start = time.perf_counter()
    with pytest.raises(BudgetExceededError) as info:
        ReLUNetwork([(np.ones((5000, 1), dtype=np.int64), np.zeros(5000, dtype=np.int64)), (W, np.zeros(5000)),
                     (np.ones((1, 5000), dtype=np.int64), [0])])
    assert time.perf_counter() - start < 2
    assert info.value.name == "max_weights" and info.value.required > 25_000_000
    assert isinstance(info.value, ExactReluError) and isinstance(info.value, RuntimeError)
    small = ReLUNetwork([([[1], [2]], [0, 0]), ([[1, 1]], [0])], max_weights=7)
    assert small.widths == (2,)
    with pytest.raises(BudgetExceededError):
        ReLUNetwork([([[1], [2]], [0, 0]), ([[1, 1]], [0])], max_weights=6)


@pytest.mark.parametrize("L", ["4", "1000"])
def test_telgarsky_large_L_exits_cleanly_under_a_memory_limit(L):
    proc = limited(["telgarsky", "--L", L], timeout=120)
    assert "Traceback" not in proc.stderr and "MemoryError" not in proc.stderr, proc.stderr[-2000:]
    if proc.returncode == 2:
        assert len(proc.stderr.splitlines()) == 1
    else:
        assert proc.returncode in (0, 1), proc.stderr[-2000:]


# ------------------------------------------------------------------ numerals
NON_ASCII = ["\u0661", "\uff11/\uff12", "\u0663.\u0665", "1_000", "\u00bd", "1\u00a0", "\u0661e\u0662"]


@pytest.mark.parametrize("text", NON_ASCII)
def test_non_ascii_digits_are_not_weights(text, tmp_path):
    with pytest.raises(InvalidRationalError):
        to_rational(text)
    with pytest.raises(InvalidRationalError):
        ReLUNetwork([([[text]], [0]), ([[1]], [0])])
    path = tmp_path / "n.json"
    path.write_text(json.dumps({"version": 1, "layers": [{"W": [[text]], "b": ["0"]}, {"W": [["1"]], "b": ["0"]}]}),
                    encoding="utf-8")
    with pytest.raises(NetworkFormatError):
        ReLUNetwork.load(str(path))
    status, _, err = cli(["pieces", str(path)])
    assert_clean_failure(status, err, "pieces", contains="ASCII")


@pytest.mark.parametrize("text, value", [(" 3 ", 3), ("+1", 1), ("-2/7", Fraction(-2, 7)), (".5", Fraction(1, 2)),
                                         ("5.", 5), ("1e-3", Fraction(1, 1000)), ("-0.25E2", -25), ("0/5", 0),
                                         ("007", 7)])
def test_ascii_numerals_still_read_exactly(text, value):
    result = to_rational(text)
    assert type(result) is Fraction and result == value


@pytest.mark.parametrize("text", ["1e100001", "1e-100001", "1/0", "", ".", "e5", "1e", "--1", "0x10", "nan", "inf"])
def test_malformed_or_explosive_numerals_are_refused(text):
    start = time.perf_counter()
    with pytest.raises(InvalidRationalError):
        to_rational(text)
    assert time.perf_counter() - start < 1


def test_float_error_says_what_works():
    for value in (0.5, np.float64(0.5), np.float32(0.1)):
        with pytest.raises(InvalidRationalError) as info:
            to_rational(value, where="W[0][0][0]")
        text = str(info.value)
        assert "as a string" in text and "Fraction(" in text and "ReLUNetwork.from_numpy" in text
        assert "np.float" not in text.split("floats are not exact")[1]  # no "give a string such as 'np.float64(..)'"
    # and what it says works
    assert to_rational("0.5") == Fraction(1, 2) and to_rational(Fraction(0.5)) == Fraction(1, 2)
    net = ReLUNetwork.from_numpy([(np.array([[0.5]]), np.array([0.25])), (np.array([[1.0]]), np.array([0.0]))])
    assert net.layers[0][0][0][0] == Fraction(1, 2)


# ------------------------------------------------------------ big numbers
def test_fifty_megabyte_digit_string_gives_a_bounded_error(tmp_path):
    digits = "9" * 50_000_000
    start = time.perf_counter()
    with pytest.raises(InvalidRationalError) as info:
        to_rational(digits, where="W[0][0][0]")
    assert len(str(info.value)) < 300 and "50000000 characters" in str(info.value)
    path = tmp_path / "big.json"
    path.write_text('{"version": 1, "layers": [{"W": [["' + digits + '"]], "b": ["0"]}, {"W": [["1"]], "b": ["0"]}]}')
    del digits
    status, out, err = cli(["pieces", str(path)])
    line = assert_clean_failure(status, err, "pieces", contains="characters")
    assert len(line) < 400
    assert time.perf_counter() - start < 30


def test_json_integer_beyond_4300_digits_loads(tmp_path):
    path = tmp_path / "bigint.json"
    path.write_text('{"version": 1, "layers": [{"W": [[' + "9" * 5000 + ']], "b": [0]}, {"W": [[1]], "b": [0]}]}')
    net = ReLUNetwork.load(str(path))
    assert net.layers[0][0][0][0] == 10**5000 - 1
    status, out, err = cli(["pieces", str(path), "--json"])
    assert status == 0, err
    path.write_text('{"version": 1, "layers": [{"W": [[' + "9" * (MAX_RATIONAL_CHARS + 1) + ']], "b": [0]}]}')
    status, _, err = cli(["pieces", str(path)])
    assert_clean_failure(status, err, "pieces", contains="digits")


def test_weight_ten_to_the_5000_saves_loads_and_pastes_back(tmp_path):
    big = 10**5000
    net = ReLUNetwork([([[big], [1]], [0, "-1/3"]), ([[1, -big]], [Fraction(1, big)])])
    text = net.to_json()
    assert ReLUNetwork.from_json(text) == net
    path = str(tmp_path / "big.json")
    net.save(path)
    assert ReLUNetwork.load(path) == net
    assert eval(repr(net), {"ReLUNetwork": ReLUNetwork}) == net
    assert format_rational(Fraction(-big, 3)) == "-1" + "0" * 5000 + "/3"
    assert rational_repr(Fraction(big)).startswith("'1000")  # a string: a bare literal this long does not parse
    assert rational_repr(Fraction(12)) == "12"
    assert str_to_int(int_to_str(-(7**9000))) == -(7**9000)
    status, out, err = cli(["pieces", path, "--json"])
    assert status == 0, err


# ------------------------------------------------------------ shapes
@pytest.mark.parametrize("layers", [
    [(np.array(1), [0])],
    [(np.array([[1]]), np.array(0))],
    [([np.array(1)], [0])],
    [({"W": 1}, [0])],
    [(np.zeros((0, 1)), [])],
    "layers",
    5,
])
def test_bad_shapes_are_typed_errors(layers):
    with pytest.raises(ShapeError):
        ReLUNetwork(layers)


# ------------------------------------------------------------ deep JSON
@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000, '{"layers":' * 100_000 + "1" + "}" * 100_000,
                                  "[" * 100_000])
@pytest.mark.parametrize("command", ["pieces", "check"])
def test_deeply_nested_json_is_one_line_exit_2(tmp_path, text, command):
    path = tmp_path / "deep.json"
    path.write_text(text)
    status, _, err = cli([command, str(path)])
    assert_clean_failure(status, err, command)
    with pytest.raises(NetworkFormatError):
        ReLUNetwork.load(str(path))


def test_deeply_nested_json_in_a_subprocess(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    for command in ("pieces", "check"):
        proc = limited([command, str(path)], timeout=60)
        assert_clean_failure(proc.returncode, proc.stderr, command, contains="nested")


# ------------------------------------------------------------ witness files
WITNESS_EDITS = {
    "float-measured": (lambda d: d["measured"].__setitem__("pieces", 6.0), "float"),
    "float-violation": (lambda d: d.__setitem__("violation", 1.0), "float"),
    "negative-violation": (lambda d: d.__setitem__("violation", "-5"), "positive"),
    "zero-violation": (lambda d: d.__setitem__("violation", "0"), "positive"),
    "widths-3-3": (lambda d: d["space"].__setitem__("widths", [3, 3]), "(3, 3)"),
    "widths-2": (lambda d: d["space"].__setitem__("widths", [2]), "(2,)"),
    "pwl-claim": (lambda d: d.__setitem__("claim", "relu-at-most-doubles"), "pwl"),
    "unit-seed-x": (lambda d: d["found_by"].__setitem__("unit_seed", "x"), "unit_seed"),
    "unit-seed-bool": (lambda d: d["found_by"].__setitem__("unit_seed", True), "unit_seed"),
    "found-by-list": (lambda d: d.__setitem__("found_by", [1]), "found_by"),
    "pwl-space-with-widths": (lambda d: d.__setitem__("space", {"kind": "pwl", "widths": [2, 2]}), "widths"),
    "pwl-space": (lambda d: d.__setitem__("space", {"kind": "pwl"}), "pwl"),
    "space-widths-string": (lambda d: d["space"].__setitem__("widths", "2,2"), "widths"),
    "measured-list": (lambda d: d.__setitem__("measured", [1, 2]), "measured"),
    "measured-junk": (lambda d: d["measured"].__setitem__("pieces", "six"), "measured.pieces"),
    "claim-int": (lambda d: d.__setitem__("claim", 5), "claim"),
    "unknown-claim": (lambda d: d.__setitem__("claim", "no-such-claim"), "unknown claim"),
    "bad-claim-ref": (lambda d: d.__setitem__("claim_ref", "no_such_module_xyz:f"), "cannot import"),
    "witness-floats": (lambda d: d["witness"]["layers"][0]["W"][0].__setitem__(0, -1.0), "float"),
    "version-2": (lambda d: d.__setitem__("version", 2), "version"),
    "no-measured": (lambda d: d.pop("measured"), "measured"),
}


@pytest.mark.parametrize("name", list(WITNESS_EDITS))
def test_edited_witness_files_are_refused_in_one_line(tmp_path, name):
    edit, message = WITNESS_EDITS[name]
    data = _witness_data()
    edit(data)
    path = tmp_path / "w.json"
    path.write_text(json.dumps(data))
    status, out, err = cli(["check", str(path)])
    assert_clean_failure(status, err, "check", contains=message)
    from exactrelu.search import load_witness

    with pytest.raises(NetworkFormatError):
        load_witness(str(path))


def test_unedited_witness_still_checks(witness_file):
    status, out, err = cli(["check", witness_file, "--json"])
    assert status == 0, err
    data = json.loads(out)
    assert data["format"] == "exactrelu-check" and data["violates"] and data["matches_stored"]


def test_edited_measurement_is_noted_not_refused(tmp_path):
    data = _witness_data()
    data["measured"]["pieces"] = "7"
    path = tmp_path / "w.json"
    path.write_text(json.dumps(data))
    status, out, err = cli(["check", str(path)])
    assert status == 0 and "differ from the stored" in out


def test_a_claim_function_that_fails_on_the_witness_is_one_line(tmp_path, monkeypatch):
    module = tmp_path / "broken_claim_mod.py"
    module.write_text("def measure(net):\n    return net.no_such_attribute\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    data = _witness_data()
    data["claim"] = "broken"
    data["claim_ref"] = "broken_claim_mod:measure"
    path = tmp_path / "w.json"
    path.write_text(json.dumps(data))
    status, _, err = cli(["check", str(path)])
    assert_clean_failure(status, err, "check", contains="AttributeError")


# ------------------------------------------------------------ search --out
def test_search_out_is_checked_before_the_search_runs(tmp_path):
    start = time.perf_counter()
    status, out, err = cli(["search", "serra-B3", "--budget", "1000000", "--out", "/nonexistent/dir/w.json"])
    assert_clean_failure(status, err, "search", contains="/nonexistent/dir")
    assert time.perf_counter() - start < 5 and out == ""
    status, _, err = cli(["search", "--tightness", "--widths", "3", "--budget", "1000000", "--out", str(tmp_path)])
    assert_clean_failure(status, err, "search", contains="directory")


@pytest.mark.slow
def test_search_out_writes_a_file_check_accepts(tmp_path):
    path = str(tmp_path / "w.json")
    status, out, err = cli(["search", "regions-equal-pieces", "--budget", "300", "--seed", "1", "--out", path])
    assert status == 1, err
    status, out, err = cli(["check", path])
    assert status == 0, err


# ------------------------------------------------------------ the error line
def test_cli_error_lines_are_bounded_and_single(tmp_path):
    path = tmp_path / "n.json"
    path.write_text(json.dumps({"version": 1, "layers": [{"W": [["1\n2" + "x" * 10_000]], "b": ["0"]}]}))
    status, _, err = cli(["pieces", str(path)])
    assert_clean_failure(status, err, "pieces")


def test_unreadable_and_missing_files_are_one_line(tmp_path):
    status, _, err = cli(["pieces", str(tmp_path / "missing.json")])
    assert_clean_failure(status, err, "pieces")
    binary = tmp_path / "bin.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    status, _, err = cli(["pieces", str(binary)])
    assert_clean_failure(status, err, "pieces")
    status, _, err = cli(["pieces", str(tmp_path)])
    assert_clean_failure(status, err, "pieces")


def test_pwl_loader_refuses_what_the_network_loader_refuses():
    for text in ['{"format": "exactrelu.pwl", "version": 1, "points": [["\u0661", "0"]], "left_slope": "0", '
                 '"right_slope": "0"}', '{"format": "exactrelu.pwl", "version": 1, "points": [[0.5, 1]]}']:
        with pytest.raises(ExactReluError):
            PiecewiseLinear.from_json(text)


def test_pwl_loader_deep_json_is_a_typed_error():
    with pytest.raises(NetworkFormatError):
        PiecewiseLinear.from_json("[" * 100_000)


def test_pwl_with_a_huge_value_saves():
    f = PiecewiseLinear([(0, 10**5000), (1, 0)], left_slope=0, right_slope=0)
    assert PiecewiseLinear.from_json(f.to_json()) == f


def test_reversed_domain_in_the_python_api():
    from exactrelu.propagate import propagate

    for domain in [(1, 0), (0, 0)]:
        with pytest.raises(DomainError):
            propagate(ABS, domain)


def test_python_minus_m_exactrelu_works():
    proc = limited(["--version"], timeout=60)
    assert proc.returncode == 0 and proc.stdout.startswith("exactrelu ")
    assert sys.executable
    assert os.path.isdir(os.path.join(os.path.dirname(__file__), "..", "exactrelu"))


@pytest.mark.parametrize("build", [
    lambda: __import__("exactrelu.constructions", fromlist=["x"]).tent_map(10**9),
    lambda: __import__("exactrelu.constructions", fromlist=["x"]).sawtooth(10**7),
    lambda: __import__("exactrelu.constructions", fromlist=["x"]).zigzag_block(10**7),
    lambda: __import__("exactrelu.constructions", fromlist=["x"]).zigzag_network((3000, 3000)),
    lambda: __import__("exactrelu.constructions", fromlist=["x"]).random_network((5000, 5000)),
    lambda: __import__("exactrelu.constructions", fromlist=["x"]).random_network((3,), input_dim=10**7),
    lambda: __import__("exactrelu.constructions", fromlist=["x"]).triangle_wave(["1/2"] * 10**6),
], ids=["tent_map", "sawtooth", "zigzag_block", "zigzag_network", "random_network", "random_input_dim",
        "triangle_wave"])
def test_constructions_check_their_size_before_building(build):
    """These took 10-65 s and ended in MemoryError (1.5 GB limit); now refused at once."""
    start = time.perf_counter()
    with pytest.raises(BudgetExceededError) as info:
        build()
    assert time.perf_counter() - start < 2 and info.value.name == "max_weights"


def test_building_a_large_network_is_fast_and_exact():
    """1M small-int weights in well under a second (was 1.4 s; 25M took 58 s), the same Fractions as to_rational."""
    rng = np.random.default_rng(0)
    W = rng.integers(-300, 301, size=(1000, 1000))
    start = time.perf_counter()
    net = ReLUNetwork([(rng.integers(-5, 6, size=(1000, 1)), np.zeros(1000, dtype=np.int64)), (W, np.arange(1000)),
                       (np.ones((1, 1000), dtype=np.int64), [0])])
    assert time.perf_counter() - start < 1.5
    assert all(type(v) is Fraction for row in net.layers[1][0] for v in row)
    assert [list(row) for row in net.layers[1][0][:5]] == [[to_rational(int(v)) for v in row] for row in W[:5]]
    assert list(net.layers[1][1]) == [Fraction(i) for i in range(1000)]
    floats = rng.standard_normal((50, 50)).astype(np.float32)
    fnet = ReLUNetwork.from_numpy([(floats[:, :1], floats[0]), (floats, floats[1]), (floats[:1], floats[2, :1])])
    assert [list(r) for r in fnet.layers[1][0]] == [[to_rational(v, allow_float=True) for v in r] for r in floats]
