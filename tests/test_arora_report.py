"""verify_checks() and the ``exactrelu arora`` CLI of the Arora et al. (2018) package."""

import json
import time
from fractions import Fraction

import pytest

from exactrelu import PiecewiseLinear, ReLUNetwork
from exactrelu.cli import main
from exactrelu.errors import ExactReluError
from exactrelu.report import CheckResult
from exactrelu.theorems.arora import SECTIONS, section_checks, verify_checks


def test_verify_checks_pass_fast_and_typed():
    start = time.perf_counter()
    results = verify_checks()
    elapsed = time.perf_counter() - start
    assert results and all(isinstance(r, CheckResult) for r in results)
    assert all(r.holds for r in results), [r for r in results if not r.holds]
    assert elapsed < 4  # < 2 s on an idle machine; the machine is shared
    assert len({r.name for r in results}) >= 25
    assert sum(len(section_checks(s)) for s in SECTIONS) == len(results)
    with pytest.raises(ExactReluError):
        section_checks("nope")


def test_each_kind_of_line_fails_on_wrong_input():
    """Every check function used by verify_checks fails on a deliberately wrong input."""
    from exactrelu.theorems.arora import depth, erm, hard, pwl_networks as pw, zonotopes as zo

    f = PiecewiseLinear([(0, 0), (1, 2), (3, 1)], left_slope=1, right_slope=5)
    relu = ReLUNetwork([([[1]], [0]), ([[1]], [0])])
    assert not pw.check_round_trip(f, relu).holds
    assert not pw.check_size_bounds(f, relu).holds
    assert not pw.check_size_bounds(PiecewiseLinear.affine(1, 0), relu).holds  # p = 1 edge case
    assert not pw.check_lower_bound(f, relu).holds
    rep = depth.MaxRepresentation([(1, [((1, 0), 0), ((0, 1), 0)])])
    assert not depth.check_representation(rep, depth.max_affine_network([((1, 0), 0), ((0, 1), 1)])).holds
    assert not hard.check_figure2((3, 2, 5)).holds
    assert not hard.check_theorem_3_1([["1/2"]], 1, hard.composition_network([["1/3", "2/3"]])).holds
    assert not hard.check_lemma_b1([["1/2"]], 1, hard.composition_network([["1/3", "2/3"]])).holds
    bad_row = hard.Corollary34Row(2, 4, 8, 15, "propagated", 4, Fraction(3))
    assert not hard.check_corollary_3_4([bad_row]).holds
    assert not hard.check_theorem_3_2([["1/3", "2/3"]] * 3, 1, size=12).holds
    gens = zo.FIGURE1[1][2]
    assert not zo.check_lemma_3_7(gens, zo.support_function_network(gens[:2])).holds
    assert not zo.check_theorem_3_6([(1, 0), (2, 0), (0, 1)], expect_equality=True).holds
    a, g = zo.FIGURE1[0][1], zo.FIGURE1[0][2]
    assert not zo.check_theorem_3_9(a, g, net=zo.zonotope_function_network(a[:1], g)).holds
    assert not zo.check_figure1_formula((8, 16, 32)).holds
    assert not erm.check_erm_known([-1, 0, 1], [1, 0, 1], 2, Fraction(1, 3)).holds
    good = ReLUNetwork([([["1"], ["-1"]], ["0.1", "0.1"]), ([["0.9", "0.9"]], ["0"])])
    assert not erm.check_gd_refuted(good).holds


def test_cli_json_and_text(capsys):
    for section in ("pwl", "hard", "zonotopes", "erm"):
        assert main(["arora", section, "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["format"] == "exactrelu-arora" and data["version"] == 1 and data["failed"] == 0
        assert data["section"] == section and data["checks"]
    assert main(["arora", "hard", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["pieces_on_[0,M]"] for r in data["corollary_3_4"]] == [16, 19683, 4 ** 16]
    assert main(["arora", "zonotopes"]) == 0
    out = capsys.readouterr().out
    assert "17" in out and "Fig. 1" in out and "passed, 0 failed" in out
    with pytest.raises(SystemExit) as exc:
        main(["arora", "bogus"])
    assert exc.value.code == 2


def test_cli_erm_on_user_data(capsys, tmp_path):
    out_file = tmp_path / "net.json"
    assert main(["arora", "erm", "--x=-1,0,1", "--y", "1,0,1", "--width", "1", "--save", str(out_file)]) == 0
    assert "2/3" in capsys.readouterr().out
    net = ReLUNetwork.load(str(out_file))
    from exactrelu.theorems.arora.erm import exact_loss

    assert exact_loss(net, [-1, 0, 1], [1, 0, 1]) == Fraction(2, 3)
    assert main(["arora", "erm", "--x", "0 0;1 0;0 1;1 1", "--y", "0,1,1,0", "--bias", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "exactrelu-arora" and data["optimum"] == "0" and data["certified"]
    assert main(["arora", "erm", "--x", "0,1", "--y", "1"]) == 2
    assert "error" in capsys.readouterr().err
    assert main(["arora", "hard", "--x", "0,1", "--y", "1,2"]) == 2


@pytest.mark.parametrize("func, args", [
    ("pwl_networks.pwl_to_network", (3,)), ("pwl_networks.min_units", ("x",)),
    ("pwl_networks.network_to_pwl", ("net",)), ("pwl_networks.extend_to_r", (None,)),
    ("depth.max_affine_network", ([],)), ("depth.max_affine_network", (5,)),
    ("depth.max_affine_network", ([(("a",), 0)],)), ("depth.MaxRepresentation", ("x",)),
    ("depth.hidden_layers_needed", (0,)), ("depth.max_of_inputs_network", (True,)),
    ("hard.hard_function", (["1/2", "x"],)), ("hard.hard_function", (None,)), ("hard.composition_network", ([],)),
    ("hard.corollary_3_4_table", ([1],)), ("hard.figure2", (["2"],)),
    ("zonotopes.vertex_count", ("ab",)), ("zonotopes.vertex_count", (7,)), ("zonotopes.vertex_count", ([[]],)),
    ("zonotopes.support_function_network", ([(1, "q")],)), ("zonotopes.vertex_count_hull_2d", ([(1, 0, 0)],)),
    ("zonotopes.zonotope_pieces_formula", ([["1/2"]], [(1, 0)])),
    ("erm.erm", ([0, 1], [0, 1], 0)), ("erm.erm", ([], [], 1)), ("erm.erm", ([0, None], [0, 1], 1)),
    ("erm.erm", ([[0, 1], [1]], [0, 1], 1)), ("erm.erm", (None, [0], 1)), ("erm.exact_loss", (None, [0], [0])),
    ("erm.dead_at_init_probability", ([],)),
])
def test_bad_arguments_raise_typed_errors(func, args):
    import importlib

    module, name = func.split(".")
    target = getattr(importlib.import_module(f"exactrelu.theorems.arora.{module}"), name)
    with pytest.raises(ExactReluError):
        target(*args)
