"""The ``exactrelu`` command line: in-process through ``exactrelu.cli.main``, and once as a process."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from exactrelu import ReLUNetwork, sawtooth, tent_map
from exactrelu.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def tent_file(tmp_path):
    path = tmp_path / "tent5.json"
    tent_map(5).save(str(path))
    return str(path)


def test_verify_json_parses_and_passes(capsys):
    code, out, err = run(capsys, "verify", "--json")
    data = json.loads(out)
    assert code == 0, [c for c in data["checks"] if not c["holds"]]
    assert data["failed"] == 0 and data["passed"] == len(data["checks"]) > 0
    assert all(set(c) >= {"name", "source", "holds", "value", "expected"} for c in data["checks"])
    assert any("tent map" in c["name"] for c in data["checks"])


def test_pieces_on_a_saved_tent_map(capsys, tent_file):
    code, out, err = run(capsys, "pieces", tent_file, "--domain", "0", "1", "--json")
    data = json.loads(out)
    assert code == 0 and err == ""
    assert data["output_pieces"] == [32] and data["activation_regions"] == 32
    assert data["domain"] == ["0", "1"] and data["widths"] == [2] * 5
    assert data["bounds_hold"] is True


def test_pieces_on_R_and_half_lines(capsys, tmp_path):
    path = tmp_path / "saw.json"
    sawtooth(4).save(str(path))
    code, out, _ = run(capsys, "pieces", str(path), "--json")
    assert code == 0 and json.loads(out)["output_pieces"] == [16]
    assert json.loads(out)["domain"] == [None, None]
    code, out, _ = run(capsys, "pieces", str(path), "--domain", "inf", "0", "--json")  # lower end inf is -inf
    assert code == 0 and json.loads(out)["domain"] == [None, "0"]
    code, out, _ = run(capsys, "pieces", str(path), "--domain", "-1", "0.5", "--json")
    assert code == 0 and json.loads(out)["domain"] == ["-1", "1/2"]
    code, out, _ = run(capsys, "pieces", str(path), "--domain", "1/3", "inf", "--json")
    assert code == 0 and json.loads(out)["domain"] == ["1/3", None]


def test_bound_widths_333(capsys):
    code, out, err = run(capsys, "bound", "--widths", "3,3,3", "--json")
    assert err == ""
    data = json.loads(out)
    assert data["telgarsky_B1"] == 144 and data["serra_B3"] == 64 and data["arora_B4"] == 216 and data["arora_B4_exact"] == "216"
    assert data["format"] == "exactrelu-bound" and data["version"] == 1
    assert [l["B3_regions"] for l in data["layers"]] == [4, 16, 64]
    assert [l["B1_sum"] for l in data["layers"]] == [4, 24, 144]


def test_bound_with_a_bottleneck_and_input_dim(capsys):
    code, out, _ = run(capsys, "bound", "--widths", "1,5", "--json")
    assert code == 0 and json.loads(out)["serra_B3"] == 7
    code, out, _ = run(capsys, "bound", "--widths", "4", "--input-dim", "2", "--json")
    assert code == 0 and json.loads(out)["serra_B3"] == 11


def bad_inputs(tmp_path):
    malformed = tmp_path / "malformed.json"
    malformed.write_text("{not json")
    float_net = tmp_path / "float.json"
    float_net.write_text(json.dumps({"format": "exactrelu.network", "version": 1, "layers": [{"W": [[0.5]], "b": ["0"]}]}))
    version = tmp_path / "version.json"
    data = tent_map(1).to_dict()
    data["version"] = 99
    version.write_text(json.dumps(data))
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)))
    two_inputs = tmp_path / "two.json"
    ReLUNetwork([([[1, 1]], [0]), ([[1]], [0])]).save(str(two_inputs))
    good = tmp_path / "good.json"
    tent_map(2).save(str(good))
    return {
        "missing file": ["pieces", str(tmp_path / "missing.json")],
        "malformed JSON": ["pieces", str(malformed)],
        "float in JSON": ["pieces", str(float_net)],
        "bad version": ["pieces", str(version)],
        "binary junk": ["pieces", str(junk)],
        "a directory": ["pieces", str(tmp_path)],
        "two inputs": ["pieces", str(two_inputs)],
        "reversed domain": ["pieces", str(good), "--domain", "1", "0"],
        "empty domain": ["pieces", str(good), "--domain", "1/2", "0.5"],
        "junk domain": ["pieces", str(good), "--domain", "a", "1"],
        "budget": ["pieces", str(good), "--domain", "0", "1", "--max-pieces", "2"],
        "negative budget": ["pieces", str(good), "--max-pieces", "-5"],
        "zero width": ["bound", "--widths", "0,3"],
        "negative width": ["bound", "--widths", "3,-1"],
        "letters": ["bound", "--widths", "a,b"],
        "empty widths": ["bound", "--widths", ""],
        "float width": ["bound", "--widths", "1.5"],
        "zero input dim": ["bound", "--widths", "3", "--input-dim", "0"],
        "empty width entry": ["bound", "--widths", "3,,3"],
    }


@pytest.mark.parametrize(
    "case",
    ["missing file", "malformed JSON", "float in JSON", "bad version", "binary junk", "a directory", "two inputs",
     "reversed domain", "empty domain", "junk domain", "budget", "negative budget", "zero width", "negative width",
     "letters", "empty widths", "float width", "zero input dim", "empty width entry"],
)
def test_bad_inputs_exit_2_with_one_line(capsys, tmp_path, case):
    argv = bad_inputs(tmp_path)[case]
    code, out, err = run(capsys, *argv)
    assert code == 2, (case, out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"exactrelu {argv[0]}: error: ")
    assert "Traceback" not in err


def test_no_command_prints_help_and_exits_2(capsys):
    code, out, _ = run(capsys)
    assert code == 2 and "verify" in out and "pieces" in out and "bound" in out


def test_argparse_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["bound"])  # --widths is required
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["no-such-command"])
    assert info.value.code == 2


def test_console_script_in_a_subprocess(tmp_path):
    exe = shutil.which("exactrelu")
    argv = [exe] if exe else [sys.executable, "-c", "import sys; from exactrelu.cli import main; sys.exit(main())"]
    done = subprocess.run([*argv, "bound", "--widths", "3,3,3", "--json"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["telgarsky_B1"] == 144
    done = subprocess.run([*argv, "bound", "--widths", "3,3,3"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "B1 (Telgarsky" in done.stdout and ": 144" in done.stdout
    assert ": 64" in done.stdout
    path = tmp_path / "tent.json"
    tent_map(3).save(str(path))
    done = subprocess.run([*argv, "pieces", str(path), "--domain", "0", "1", "--json"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and json.loads(done.stdout)["output_pieces"] == [8]
    done = subprocess.run([*argv, "pieces", str(tmp_path / "missing.json")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1



def test_python_dash_m_exactrelu_cli():
    done = subprocess.run([sys.executable, "-m", "exactrelu.cli", "bound", "--widths", "2"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("lower", ["-1/2", "-inf"])
def test_domain_accepts_negative_fractions_and_minus_inf(capsys, tent_file, lower):
    try:
        code = main(["pieces", tent_file, "--domain", lower, "1", "--json"])
    except SystemExit as exc:
        code = exc.code
    assert code == 0


def test_text_output_follows_sys_stdout(capsys):
    import contextlib
    import io

    try:
        main(["bound", "--widths", "2"])  # make sure the subcommand modules are imported
    except ValueError:
        pass
    capsys.readouterr()
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(["bound", "--widths", "3,3,3"])
    assert code == 0
    assert "B3 regions" in buffer.getvalue() and "144" in buffer.getvalue()


def test_tables_fit_an_80_column_terminal(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["search", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines and max(len(line) for line in lines) <= 80
    assert all(line == line.rstrip() for line in lines)
    assert "pieces-at-most-units-plus-one" in "\n".join(lines)  # names are never split
    assert main(["verify"]) == 0  # long exact values wrap too
    lines = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in lines) <= 80


def test_every_json_output_names_its_format(capsys, tmp_path):
    net = tmp_path / "net.json"
    tent_map(2).save(str(net))
    for argv, fmt in ((["bound", "--widths", "2,2", "--json"], "exactrelu-bound"),
                      (["pieces", str(net), "--json"], "exactrelu-pieces"),
                      (["search", "--list", "--json"], "exactrelu-claims"),
                      (["search", "regions-equal-pieces", "--budget", "300", "--seed", "1", "--json"], "exactrelu-search")):
        main(argv)
        data = json.loads(capsys.readouterr().out)
        assert data["format"] == fmt and data["version"] == 1, argv


def test_budget_error_names_the_option(capsys, tmp_path):
    net = tmp_path / "net.json"
    tent_map(6).save(str(net))
    assert main(["pieces", str(net), "--max-pieces", "4"]) == 2
    err = capsys.readouterr().err
    assert "--max-pieces" in err and len(err.splitlines()) == 1
