"""Compromise and median on the shared KTAB and Decide inputs, against values computed
independently from the raw files (plain csv parsing and arithmetic, no winset reader)."""

from __future__ import annotations

import csv
import re

import pytest

import winset
from conftest import shared_path
from test_models import brute_median

KTAB = [
    "SOE-Policy.csv",
    "SOE-Competitive.csv",
    "SOE-Pol-Comp.csv",
    "dummyData_3Dim.csv",
    "dummyData_6Dim.csv",
    "dummyData-a040.csv",
    "dummyData-a080.csv",
    "dummyData-a160.csv",
]
DECIDE = ["cop21.csv", "CoP21.2016.csv", "copenhagen.csv", "verkiezing_2012.csv", "sample_data.txt"]


def raw_ktab(name):
    rows = list(csv.reader(shared_path("data", "ktab", name).read_text().splitlines()))
    dims = int(rows[0][3])
    table = {}  # dimension -> list of (position, weight)
    for row in rows[2:]:
        if not row or not row[0].strip():
            continue
        power = float(row[2])
        for d in range(dims):
            x, s = float(row[3 + 2 * d]), float(row[4 + 2 * d])
            table.setdefault(d, []).append((x, power * s))
    return [table[d] for d in range(dims)]


def raw_decide(name):
    table = {}
    for line in shared_path("data", "decide", name).read_text(encoding="utf-8").splitlines():
        fields = [f.strip().strip("'") for f in re.split(r"[\t;]", line)]
        if fields[0] == "#D":
            issue, x, s, p = fields[2], float(fields[3]), float(fields[4]), float(fields[5])
            table.setdefault(issue, []).append((x, p * s))
    return table


def check(result_mean, result_median, pairs):
    xs, ws = [x for x, _ in pairs], [w for _, w in pairs]
    assert result_mean == pytest.approx(sum(x * w for x, w in pairs) / sum(ws), rel=1e-12)
    assert result_median == pytest.approx(brute_median(xs, ws), abs=1e-9)


@pytest.mark.shared
@pytest.mark.parametrize("name", KTAB)
def test_ktab_baselines(name):
    scenario = winset.load(shared_path("data", "ktab", name))
    mean = winset.forecast(scenario, "compromise").forecast[0]
    med = winset.forecast(scenario, "median").forecast[0]
    for d, pairs in enumerate(raw_ktab(name)):
        check(mean[d], med[d], pairs)


@pytest.mark.shared
@pytest.mark.parametrize("name", DECIDE)
def test_decide_baselines(name):
    scenario = winset.load(shared_path("data", "decide", name))
    mean = winset.forecast(scenario, "compromise").forecast[0]
    med = winset.forecast(scenario, "median").forecast[0]
    raw = raw_decide(name)
    assert set(raw) == {i.id for i in scenario.issues}
    for k, issue in enumerate(scenario.issues):
        check(mean[k], med[k], raw[issue.id])


@pytest.mark.shared
def test_soe_policy_by_hand():
    """SOE-Policy, worked by hand from its first rows: the weights are power × salience."""
    scenario = winset.load(shared_path("data", "ktab", "SOE-Policy.csv"))
    xi = scenario.actor("XJ")
    assert (
        xi.capability.nominal,
        xi.stances["Policy"].position.nominal,
        xi.stances["Policy"].salience.nominal,
    ) == (100, 30, 30)
    pairs = raw_ktab("SOE-Policy.csv")[0]
    assert pairs[:3] == [(30.0, 3000.0), (45.0, 65 * 65.0), (30.0, 35 * 40.0)]
