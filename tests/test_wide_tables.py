"""Issue 19, item 10: one long API name no longer turns the fleet list/check into blocks of lines
at a width where the table fits: the name (free text) is cut short, never the id; --wide keeps
every column in full whatever the width."""

import json

import pytest

from tests.fleetwire import FleetServer

REGION = "us-west-2"
LONG = "customer-facing-order-management-and-fulfilment-platform-public-api"


@pytest.fixture
def server():
    fleet = FleetServer().start()
    fleet.retry_after = "0"
    fleet.add(REGION, "r3st000001", "orders", ("prod", "dev"))
    fleet.add(REGION, "r3st000002", LONG, ("prod",))
    yield fleet
    fleet.stop()


def _run(invoke, server, command, *extra, columns=160):
    return invoke(command, "--region", REGION, "--endpoint-url", server.url, "--no-color", *extra,
                  env={"COLUMNS": str(columns)})


@pytest.mark.parametrize("command", ["list", "check"])
def test_a_long_name_keeps_the_table_at_160_columns(invoke, server, command):
    result = _run(invoke, server, command)
    assert result.exit_code in (0, 1), result.stderr
    rows = [line for line in result.stdout.splitlines() if "r3st000002" in line]
    assert rows and "│" in rows[0], result.stdout  # a table row, not a block
    assert "r3st000002" in rows[0] and "customer-facing" in rows[0] and "…" in rows[0]
    assert all(len(line) <= 160 for line in result.stdout.splitlines())


@pytest.mark.parametrize("command", ["list", "check"])
def test_wide_keeps_every_column_and_the_whole_name(invoke, server, command):
    result = _run(invoke, server, command, "--wide", columns=80)
    assert result.exit_code in (0, 1), result.stderr
    rows = [line for line in result.stdout.splitlines() if "r3st000002" in line]
    assert rows and "│" in rows[0] and LONG in rows[0]
    assert "not shown" not in result.stdout


def test_json_keeps_the_full_name(invoke, server):
    result = invoke("list", "--region", REGION, "--endpoint-url", server.url, "-o", "json")
    assert LONG in [s["apiName"] for s in json.loads(result.stdout)["stages"]]


def test_one_api_list_takes_wide_too(invoke, server):
    result = invoke("list", "r3st000001", "--region", REGION, "--endpoint-url", server.url, "--wide", "--no-color",
                    env={"COLUMNS": "40"})
    assert result.exit_code == 0, result.stderr
    header = next(line for line in result.stdout.splitlines() if "Stage" in line and "Deployment" in line)
    assert "Overrides" in header
