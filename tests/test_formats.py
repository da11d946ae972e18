"""exactrelu.formats: one envelope for every file, schemas checked against real files, files that travel.

Every file kind (network, pwl, witness, tightness) is written by the library
and validated against the JSON Schema shipped in ``exactrelu/schemas/`` (with
the small validator of ``tests/_schema.py``); the examples in
``docs/formats.md`` are real files too.  Files travel: every command that
takes a network accepts any exactrelu file holding one, ``check`` re-checks
witnesses and tightness results, and a user's own claim is found again from
the witness as ``module:function``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from _schema import errors, validate
from hypothesis import given, settings

from exactrelu import PiecewiseLinear, ReLUNetwork, formats, tent_map
from exactrelu.cli import main
from exactrelu.errors import NetworkFormatError
from exactrelu.search import Claim, NetworkSpace, load_witness, search, tightness_search
from exactrelu.strategies import networks, piecewise_linear

DOCS = Path(__file__).resolve().parent.parent / "docs" / "formats.md"


# --------------------------------------------------------------------- envelope
def test_envelope_and_kinds():
    data = formats.envelope("network", {"layers": []})
    assert data == {"format": "exactrelu.network", "version": 1, "layers": []}
    assert formats.kind_of(data) == "network" and formats.kind_of({"format": "pickle"}) is None
    assert formats.open_envelope(data, "network") is data
    with pytest.raises(NetworkFormatError, match="version=2"):
        formats.open_envelope({**data, "version": 2}, "network")
    with pytest.raises(NetworkFormatError, match="not an exactrelu witness"):
        formats.open_envelope(data, "witness")
    with pytest.raises(ValueError):
        formats.envelope("tree", {})
    assert set(formats.KINDS) == {"network", "pwl", "witness", "tightness"}


def test_every_object_writes_the_envelope():
    net = tent_map(2)
    f = PiecewiseLinear([(0, 0), (1, 1)])
    for obj, kind in ((net, "network"), (f, "pwl"), (tightness_search((2,), budget=20), "tightness"),
                      (search("regions-equal-pieces", budget=300, seed=1), "witness")):
        data = obj.to_dict()
        assert formats.kind_of(data) == kind and data["version"] == formats.VERSIONS[kind]


def test_floats_and_deep_nesting_are_refused():
    with pytest.raises(NetworkFormatError, match="float"):
        formats.reject_floats({"a": [1, [0.5]]}, "x")
    deep = "[" * 100_000 + "]" * 100_000
    with pytest.raises(NetworkFormatError):
        formats.loads(deep)
    with pytest.raises(NetworkFormatError, match="nested deeper"):
        formats.reject_floats(json.loads("[" * 70 + "]" * 70), "x")


# ---------------------------------------------------------------------- schemas
@settings(max_examples=40, deadline=None)
@given(networks())
def test_network_files_match_the_schema(net):
    validate(net.to_dict(), "network")


@settings(max_examples=40, deadline=None)
@given(piecewise_linear(domain=None))
def test_pwl_files_match_the_schema(f):
    validate(f.to_dict(), "pwl")


@pytest.mark.parametrize("claim", ["regions-equal-pieces", "relu-at-most-doubles", "sum-pieces"])
def test_witness_files_match_the_schema(claim, tmp_path):
    from exactrelu.search.catalogue import get_claim

    result = search(claim, budget=200, seed=0, strategies=("random",))
    if not result.found:  # a true claim: make a witness file by hand from the closest candidate
        c = get_claim(claim)
        space = c.space
        witness = space.decode(result.best_witness)
        from exactrelu.search import Counterexample

        result = Counterexample(c, space, witness, c.evaluate(witness), "random", 0)
    path = tmp_path / "w.json"
    result.save(str(path))
    validate(json.loads(path.read_text()), "witness")


def test_tightness_files_match_the_schema(tmp_path):
    path = tmp_path / "t.json"
    tightness_search((3, 3), budget=50).save(str(path))
    validate(json.loads(path.read_text()), "tightness")


def test_the_schema_check_can_fail():
    good = tent_map(1).to_dict()
    assert not errors(good, formats.schema("network"))
    bad_cases = [
        {**good, "version": 2},
        {**good, "layers": [{"W": [[0.5]], "b": ["0"]}]},   # a JSON float
        {**good, "layers": [{"W": [["x"]], "b": ["0"]}]},   # not a rational
        {**good, "layers": [{"W": [["1"]]}]},               # no b
        {k: v for k, v in good.items() if k != "layers"},
    ]
    for bad in bad_cases:
        assert errors(bad, formats.schema("network")), bad
    witness = search("regions-equal-pieces", budget=300, seed=1).to_dict()
    assert errors({**witness, "space": {"kind": "tree"}}, formats.schema("witness"))
    assert errors({**witness, "claim_ref": "no colon"}, formats.schema("witness"))


def test_every_kind_has_a_schema_and_a_section_in_the_docs():
    text = DOCS.read_text(encoding="utf-8")
    for kind in formats.KINDS:
        schema = formats.schema(kind)
        assert schema["properties"]["format"]["const"] == f"exactrelu.{kind}"
        assert f"exactrelu.{kind}" in text and f"schemas/{kind}.json" in text


def doc_examples() -> list[dict]:
    blocks = re.findall(r"```json\n(.*?)```", DOCS.read_text(encoding="utf-8"), flags=re.S)
    return [json.loads(b) for b in blocks]


@pytest.mark.parametrize("index", range(len(doc_examples())))
def test_docs_examples_are_real_files(index, tmp_path):
    data = doc_examples()[index]
    kind = formats.kind_of(data)
    assert kind is not None
    validate(data, kind)
    if kind == "network":
        ReLUNetwork.from_dict(data)
    elif kind == "pwl":
        PiecewiseLinear.from_dict(data)
    elif kind == "witness":
        assert load_witness(data).recheck().violated
    else:
        from exactrelu.search import recheck_tightness

        assert recheck_tightness(data).holds


# ----------------------------------------------------------------- files travel
def _files(tmp_path):
    net_path = tmp_path / "net.json"
    tent_map(2).save(str(net_path))
    witness = search("regions-equal-pieces", budget=300, seed=1)
    w_path = tmp_path / "w.json"
    witness.save(str(w_path))
    t_path = tmp_path / "t.json"
    tight = tightness_search((3, 3), budget=50)
    tight.save(str(t_path))
    return {"network": (net_path, tent_map(2)), "witness": (w_path, witness.witness),
            "tightness": (t_path, tight.network)}


def test_find_network_in_every_file(tmp_path):
    for kind, (path, net) in _files(tmp_path).items():
        assert ReLUNetwork.load(str(path)) == net, kind
    pwl_path = tmp_path / "f.json"
    pwl_path.write_text(PiecewiseLinear([(0, 0), (1, 1)]).to_json())
    with pytest.raises(NetworkFormatError, match="holds no network"):
        ReLUNetwork.load(str(pwl_path))
    two = {"network": tent_map(1).to_dict(), "witness": tent_map(2).to_dict()}
    with pytest.raises(NetworkFormatError, match="different networks"):
        formats.find_network(two)


def test_commands_take_a_network_from_any_file(tmp_path, capsys):
    files = _files(tmp_path)
    for kind, (path, net) in files.items():
        assert main(["pieces", str(path), "--json"]) in (0, 1), kind
        data = json.loads(capsys.readouterr().out)
        assert data["widths"] == list(net.widths), kind
    # telgarsky --g takes the network of a witness file (outside the class for L = 1: exit 2, but read)
    assert main(["telgarsky", "--L", "2", "--g", str(files["tightness"][0]), "--json"]) in (0, 1, 2)
    assert json.loads(capsys.readouterr().out)["widths"] == [3, 3]


def test_search_json_output_holds_its_network(tmp_path, capsys):
    assert main(["search", "--tightness", "--widths", "3,3", "--budget", "50", "--json"]) == 0
    out = tmp_path / "out.json"
    out.write_text(capsys.readouterr().out)
    assert ReLUNetwork.load(str(out)).widths == (3, 3)


def test_tightness_out_is_accepted_by_check(tmp_path, capsys):
    path = tmp_path / "tw.json"
    assert main(["search", "--tightness", "--widths", "3,3", "--budget", "50", "--out", str(path)]) == 0
    capsys.readouterr()
    assert main(["check", str(path)]) == 0
    assert "still reaches" in capsys.readouterr().out
    assert main(["check", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["holds"] is True
    data = json.loads(path.read_text())
    data["pieces"] = data["pieces"] + 1  # claims one piece more than the network has
    path.write_text(json.dumps(data))
    assert main(["check", str(path)]) == 1
    net_only = tmp_path / "net.json"
    tent_map(1).save(str(net_only))
    assert main(["check", str(net_only)]) == 2
    assert "not a witness or tightness file" in capsys.readouterr().err


USER_MODULE = '''
from exactrelu import propagate
from exactrelu.search import Claim, NetworkSpace

def pieces_at_most_units(net):
    return propagate(net).pieces - net.size

CLAIM = Claim("pieces-at-most-units", "pieces on R <= hidden units", pieces_at_most_units,
              NetworkSpace(widths=(2, 2)))
'''


def _run(args, cwd):
    return subprocess.run([sys.executable, "-m", "exactrelu", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def test_a_users_claim_is_found_again_from_the_witness(tmp_path, monkeypatch):
    (tmp_path / "myclaims.py").write_text(USER_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    import myclaims

    result = search(myclaims.CLAIM, budget=600, seed=0)
    assert result.found
    path = tmp_path / "w.json"
    result.save(str(path))
    sys.modules.pop("myclaims", None)
    assert json.loads(path.read_text())["claim_ref"] == "myclaims:pieces_at_most_units"
    done = _run(["check", "w.json"], tmp_path)  # a fresh process, the module next to the file
    assert done.returncode == 0, done.stderr
    assert "still a counterexample" in done.stdout


SCRIPT = USER_MODULE + '''
from exactrelu.search import search
result = search(CLAIM, budget=600, seed=0)
result.save("w.json")
'''


def test_a_claim_from_a_script_needs_claim_option(tmp_path, monkeypatch, capsys):
    """A script's claim is not importable by name: the file says so (claim_ref null), --claim supplies it."""
    (tmp_path / "script.py").write_text(SCRIPT)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["script.py"])
    import runpy

    runpy.run_path("script.py", run_name="__main__")
    assert json.loads((tmp_path / "w.json").read_text())["claim_ref"] is None
    assert main(["check", "w.json"]) == 2
    err = capsys.readouterr().err
    assert "--claim" in err and len(err.splitlines()) == 1
    (tmp_path / "myclaims.py").write_text(USER_MODULE)
    assert main(["check", "w.json", "--claim", "myclaims:pieces_at_most_units"]) == 0
    assert main(["check", "w.json", "--claim", "myclaims:CLAIM"]) == 0
    assert main(["check", "w.json", "--claim", "nosuchmodule:f"]) == 2
    assert "cannot import" in capsys.readouterr().err
    sys.modules.pop("myclaims", None)


def test_python_dash_m_exactrelu(tmp_path):
    done = _run(["bound", "--widths", "2,2"], tmp_path)
    assert done.returncode == 0 and "B1" in done.stdout, done.stderr


def test_witness_of_the_readme_kind_round_trips(tmp_path):
    """Counterexample.to_dict -> file -> load_witness keeps every field the schema names."""
    result = search("regions-equal-pieces", budget=300, seed=1)
    data = result.to_dict()
    back = load_witness(json.loads(json.dumps(data)))
    assert back.witness == result.witness and back.violation == result.violation
    assert isinstance(back.violation, Fraction)
    assert "claim_ref" not in data  # a catalogue claim is named, not referenced


def test_pieces_reads_model_files_through_io(tmp_path, capsys):
    from exactrelu.io import export_network

    net = tent_map(3)
    path = tmp_path / "net.npz"
    export_network(net, str(path), dtype="float64")  # tent-map weights are exact in float64
    assert main(["pieces", str(path), "--domain", "0", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["output_pieces"] == [8]


def test_claim_refs_only_for_importable_functions():
    from exactrelu.search.claim import function_ref

    namespace: dict = {"__name__": "made_up_module"}
    exec("def f(net):\n    return 0\n", namespace)
    assert function_ref(namespace["f"]) is None
    assert function_ref(tent_map) == "exactrelu.constructions.waves:tent_map"

    def nested(net):
        return 0

    assert function_ref(nested) is None


def test_claim_references_that_cannot_work_are_one_line_errors(tmp_path, monkeypatch, capsys):
    (tmp_path / "myclaims2.py").write_text(USER_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    path = tmp_path / "w.json"
    search("regions-equal-pieces", budget=300, seed=1).save(str(path))
    assert main(["check", str(path), "--claim", "no-such-claim"]) == 2
    assert "unknown claim" in capsys.readouterr().err
    # a bare function has no search space: searching it needs a Claim object
    assert main(["search", "myclaims2:pieces_at_most_units", "--budget", "10"]) == 2
    assert "no search space" in capsys.readouterr().err
    assert main(["search", "myclaims2:no_such", "--budget", "10"]) == 2
    assert "no attribute" in capsys.readouterr().err
    sys.modules.pop("myclaims2", None)
