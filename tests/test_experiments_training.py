"""Exact counts at training checkpoints (torch extra): the counts are those of the checkpoint's
exact network, checked against the PWL-algebra oracle and an exact restriction by hand."""

from __future__ import annotations

from fractions import Fraction

import pytest

from _extras import require
from conftest import count_network, oracle_regions
from exactrelu.errors import ShapeError


def test_regression_checkpoints_count_exactly():
    require("torch")
    from exactrelu.experiments.training import train_and_count

    rows = train_and_count("regression_1d", (6, 5), steps=30, checkpoint_every=10, seed=3, return_networks=True)
    assert [r["step"] for r in rows] == [0, 10, 20, 30]
    for r in rows:
        net = r["network"]
        assert all(isinstance(v, Fraction) for row in net.layers[0][0] for v in row)
        assert r["regions"] == len(oracle_regions(net, (Fraction(-1), Fraction(1))))
        assert isinstance(r["regions"], int) and r["pieces"] <= r["regions"]
        assert Fraction(r["regions_per_neuron"]) == Fraction(r["regions"], 11)
        assert isinstance(r["loss"], float)
        count_network()
    assert rows[0]["network"] != rows[-1]["network"]  # training moved the weights
    assert rows[-1]["loss"] < rows[0]["loss"]


def test_classification_counts_along_lines():
    require("torch")
    from exactrelu.experiments.training import _restrict, train_and_count

    rows = train_and_count("classification_2d", (5,), steps=10, checkpoint_every=10, seed=1, lines=3,
                           return_networks=True, plane=False)
    for r in rows:
        total = 0
        for p, q in r["lines_used"]:
            line = _restrict(r["network"], p, q)
            for t in (Fraction(0), Fraction(1, 3), Fraction(1)):
                x = [a + t * (b - a) for a, b in zip(p, q)]
                assert line(t) == r["network"](x)
            total += len(oracle_regions(line, (Fraction(0), Fraction(1))))
        assert r["regions"] == total and r["lines"] == 3


@pytest.mark.parametrize("kwargs", [{"task": "cifar"}, {"widths": ()}, {"steps": 0}, {"checkpoint_every": 1.5}])
def test_training_rejects_bad_arguments(kwargs):
    require("torch")
    from exactrelu.experiments.training import train_and_count

    args = {"task": "regression_1d", "widths": (3,), **kwargs}
    with pytest.raises(ShapeError):
        train_and_count(args.pop("task"), args.pop("widths"), **args)
