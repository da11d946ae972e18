"""``exactrelu regions`` on the command line."""

from __future__ import annotations

import json

from exactrelu.cli import main
from exactrelu.constructions import max_network, random_network


def test_regions_cli_text_json_plane_and_errors(tmp_path, capsys):
    path = tmp_path / "max.json"
    max_network().save(str(path))
    assert main(["regions", str(path), "--box", "-1", "1", "-1", "1"]) == 0
    text = capsys.readouterr().out
    assert "activation regions: 4" in text and "pieces: 2" in text and "Serra" in text
    assert main(["regions", str(path), "--box", "-1", "1", "-1/2", "1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "exactrelu-regions" and data["version"] == 1
    assert (data["activation_regions"], data["pieces"], data["bounds_hold"]) == (4, 2, True)
    net3 = tmp_path / "r3.json"
    random_network((4, 4), input_dim=3, seed=2).save(str(net3))
    assert main(["regions", str(net3), "--plane", "0,0,0", "1,0,0", "0,1,1", "--box", "-1", "1", "-1", "1",
                 "--json", "--regions"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["dim"] == 2 and len(data["regions"]) == data["activation_regions"]
    assert all(isinstance(v, str) for r in data["regions"] for v in r["interior_point"])
    assert main(["regions", str(net3), "--box", "-1", "1", "-1", "1", "-1", "1", "--max-regions", "3"]) == 2
    err = capsys.readouterr().err
    assert "max_regions=3" in err and len(err.strip().splitlines()) == 1
    assert main(["regions", str(net3), "--box", "-1", "1"]) == 2
    assert main(["regions", str(net3), "--box", "-1", "1", "0"]) == 2
    assert main(["regions", str(net3)]) == 2
    assert main(["regions", str(tmp_path / "missing.json"), "--box", "0", "1"]) == 2


def test_regions_cli_plot(tmp_path, capsys):
    from _extras import require

    require("matplotlib")
    path = tmp_path / "max.json"
    max_network().save(str(path))
    out = tmp_path / "regions.png"
    assert main(["regions", str(path), "--box", "-1", "1", "-1", "1", "--plot", str(out)]) == 0
    assert out.stat().st_size > 1000
    net3 = tmp_path / "r3.json"
    random_network((3,), input_dim=3, seed=1).save(str(net3))
    assert main(["regions", str(net3), "--box", "-1", "1", "-1", "1", "-1", "1", "--plot", str(out)]) == 2


def test_max_regions_zero_and_bad_plot_name_are_errors(tmp_path, capsys):
    from exactrelu import ReLUNetwork
    from exactrelu.cli import main

    path = tmp_path / "n.json"
    ReLUNetwork([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])]).save(str(path))
    assert main(["regions", str(path), "--box", "-1", "1", "-1", "1", "--max-regions", "0"]) == 2
    assert "--max-regions=0" in capsys.readouterr().err
    assert main(["regions", str(path), "--box", "-1", "1", "-1", "1", "--plot", str(tmp_path / "x.jpg")]) == 2
    assert main(["regions", str(path), "--box", "-1", "1", "-1", "1", "--max-regions", "3"]) == 2  # 4 regions
    assert "max_regions" in capsys.readouterr().err
