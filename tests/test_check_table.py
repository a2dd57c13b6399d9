"""Issue 19, item 11: check's table uses the json status words, a severity column of its own,
and rows by severity (most severe first) then id; at 80 columns, where a Details column would
fold an identifier, each check's details go under its line, whole."""

import json

import pytest

from apigw_stage.render.findings import SEVERITY_ORDER, row_order
from tests.conftest import EXAMPLE

STATUS_WORDS = {"pass", "fail", "not_applicable", "not_evaluated", "info", "ignored"}


def _rows(stdout: str, ids: set) -> list[list[str]]:
    return [p for p in (line.replace("│", " ").split() for line in stdout.splitlines()) if p and p[0] in ids]


@pytest.mark.parametrize("columns", [80, 120, 160])
def test_table_rows_are_the_json_words_by_severity_then_id(invoke, columns):
    data = json.loads(invoke("check", "-f", EXAMPLE, "-o", "json").stdout)
    by_id = {c["id"]: c for c in data["checks"]}
    result = invoke("check", "-f", EXAMPLE, "--no-color", env={"COLUMNS": str(columns)})
    rows = _rows(result.stdout, set(by_id))
    assert [r[0] for r in rows] == [c["id"] for c in sorted(data["checks"], key=row_order)]
    for check_id, status, severity, *_ in rows:
        assert status == by_id[check_id]["status"] and status in STATUS_WORDS
        assert severity == by_id[check_id]["severity"]  # a column of its own, not glued to the title
    ranks = [SEVERITY_ORDER.index(r[2]) for r in rows]
    assert ranks == sorted(ranks)
    assert "UNKNOWN" not in result.stdout and "N/A" not in result.stdout
    assert "Severity" in result.stdout.splitlines()[3] or any("Severity" in line for line in result.stdout.splitlines()[:6])


def test_ids_sort_as_numbers():
    checks = [{"id": f"APIGateway.{n}", "severity": "medium"} for n in (10, 2, 1)]
    assert [c["id"] for c in sorted(checks, key=row_order)] == ["APIGateway.1", "APIGateway.2", "APIGateway.10"]


@pytest.mark.parametrize("columns", [80, 120])
def test_no_identifier_of_a_check_is_split(invoke, columns):
    result = invoke("check", "-f", EXAMPLE, "--no-color", env={"COLUMNS": str(columns)})
    for word in ("apigateway-stage-access-logs-enabled", "/pets/{petId}", "Config.AccessLogs"):
        assert word in result.stdout, (columns, result.stdout)
    # Only a word wider than the terminal (a fix's JSON patch) may pass it, whole on its own line.
    assert all(len(line) <= columns or " " not in line.strip() for line in result.stdout.splitlines())
