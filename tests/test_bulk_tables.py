"""Large tables are drawn by render/bulk.py in linear time (issue 20.9): the lines must be exactly
Rich's. Each case renders the same table twice, through bulk and through Rich alone, and
compares; timings and memory are in bench/tables.py, never here."""

import json
import random

import pytest

from apigw_stage.render import bulk
from tests.docs import HOSTILE, WIDE, wire_stage


def _doc(count: int, seed: int, canary: bool) -> dict:
    rng = random.Random(seed)
    pieces = ["a", "live", "https://backend.example.com/v1/", "arn:aws:lambda:eu-west-1:123456789012:function:f",
              WIDE, HOSTILE, " spaced out ", "x" * 90, "/", ":", "é", "\t"]
    variables = {}
    for i in range(count):
        value = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 4)))
        variables[f"v{i:05d}" + ("_" * rng.randint(0, 30) if rng.random() < 0.05 else "")] = value
    doc = wire_stage(variables=variables)
    if canary:
        doc["canarySettings"]["stageVariableOverrides"] = {k: v[::-1] for k, v in list(variables.items())[::7]}
    else:
        doc.pop("canarySettings")
    return doc


def _both(invoke, monkeypatch, doc, *args, columns: int):
    text = json.dumps(doc)
    fast = invoke(*args, "-f", "-", input=text, env={"COLUMNS": str(columns)})
    monkeypatch.setattr(bulk, "FAST_ROWS", 10**9)  # Rich alone
    slow = invoke(*args, "-f", "-", input=text, env={"COLUMNS": str(columns)})
    monkeypatch.setattr(bulk, "FAST_ROWS", 200)
    assert fast.exit_code == slow.exit_code == 0, fast.stderr + slow.stderr
    return fast.stdout, slow.stdout


@pytest.mark.parametrize("columns", [40, 80, 132])
@pytest.mark.parametrize("seed", range(4))
def test_vars_table_is_rich_s_own_lines(invoke, monkeypatch, seed, columns):
    fast, slow = _both(invoke, monkeypatch, _doc(600, seed, canary=False), "vars", columns=columns)
    assert fast == slow


@pytest.mark.parametrize("columns", [60, 100])
def test_canary_table_is_rich_s_own_lines(invoke, monkeypatch, columns):
    fast, slow = _both(invoke, monkeypatch, _doc(700, 9, canary=True), "canary", columns=columns)
    assert fast == slow


def test_the_bulk_path_is_the_one_taken(invoke, monkeypatch):
    """The comparison above means something only when bulk draws: count its calls."""
    calls = []
    real = bulk._segments
    monkeypatch.setattr(bulk, "_segments", lambda *a: calls.append(1) or real(*a))
    doc = _doc(300, 1, canary=False)
    # Wide enough for every value's longest word: narrower, issue 19's layout gives each variable a
    # block of whole words instead of a table (merged after this test was written).
    assert invoke("vars", "-f", "-", input=json.dumps(doc), env={"COLUMNS": "600"}).exit_code == 0
    assert calls == [1]


def test_small_tables_and_colour_stay_with_rich(invoke, monkeypatch):
    calls = []
    monkeypatch.setattr(bulk, "_segments", lambda *a: calls.append(1) or iter(()))
    assert invoke("vars", "-f", "-", input=json.dumps(_doc(50, 2, canary=False))).exit_code == 0
    assert invoke("vars", "-f", "-", input=json.dumps(_doc(300, 2, canary=False)),
                  env={"FORCE_COLOR": "1", "TERM": "xterm-256color"}).exit_code == 0
    assert calls == []


def test_no_identifier_is_split_at_80_columns(invoke):
    doc = _doc(400, 3, canary=False)
    out = invoke("vars", "-f", "-", input=json.dumps(doc), env={"COLUMNS": "80"}).stdout
    names = [line.split("│")[0].strip() for line in out.splitlines()[3:] if "│" in line]
    assert {n for n in names if n} <= set(doc["variables"])
    # Issue 19's rule, merged after this test was written: a line wider than 80 holds one whole word.
    assert all(len(line) <= 80 or len(line.split()) == 1 for line in out.splitlines())
