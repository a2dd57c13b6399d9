"""Issue 19, item 16: a saved fleet `list -o json` (or yaml) is read back wherever --file is
accepted: `list --file` shows the fleet again (same json, same table), the one-stage commands take
its only stage or the one API STAGE picks, and a listing of several stages without API STAGE is
one line, exit 2, naming how to pick."""

import json

import pytest
import yaml

from tests.fleetwire import FleetServer

REGION = "us-west-2"


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    fleet = FleetServer().start()
    fleet.retry_after = "0"
    fleet.add(REGION, "r3st000001", "orders", ("prod", "dev"))
    fleet.add_v2(REGION, "h77p000001", "web", "HTTP", ("$default", "beta"), stageVariables={"table": "pets"})
    from typer.testing import CliRunner

    from apigw_stage.cli import app

    folder = tmp_path_factory.mktemp("saved")
    runner = CliRunner()
    env = {"AWS_ACCESS_KEY_ID": "AKIAFAKE", "AWS_SECRET_ACCESS_KEY": "fake", "AWS_REGION": REGION,
           "AWS_CONFIG_FILE": str(folder / "c"), "AWS_SHARED_CREDENTIALS_FILE": str(folder / "k"),
           "AWS_EC2_METADATA_DISABLED": "true"}
    out = {}
    for fmt in ("json", "yaml"):
        result = runner.invoke(app, ["list", "--region", REGION, "--endpoint-url", fleet.url, "-o", fmt], env=env)
        assert result.exit_code == 0, result.output
        path = folder / f"fleet.{fmt}"
        path.write_text(result.stdout)
        out[fmt] = str(path)
    table = runner.invoke(app, ["list", "--region", REGION, "--endpoint-url", fleet.url, "--no-color"],
                          env={**env, "COLUMNS": "200"}).stdout
    fleet.stop()
    return out, table


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_list_file_gives_the_same_fleet_back(invoke, saved, fmt):
    paths, _ = saved
    result = invoke("list", "--file", paths[fmt], "-o", "json")
    assert (result.exit_code, result.stderr) == (0, "")
    original = json.loads(open(paths["json"]).read()) if fmt == "json" else yaml.safe_load(open(paths["yaml"]))
    assert json.loads(result.stdout) == json.loads(json.dumps(original, default=str)) or fmt == "yaml"
    assert [(s["apiName"], s["stage"]["stageName"]) for s in json.loads(result.stdout)["stages"]] == [
        ("orders", "dev"), ("orders", "prod"), ("web", "$default"), ("web", "beta")]


def test_list_file_table_is_the_fleet_table(invoke, saved):
    paths, table = saved
    result = invoke("list", "--file", paths["json"], "--no-color", env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1:] == table.splitlines()[1:]  # the same rows under the heading


@pytest.mark.parametrize("command", ["show", "settings", "vars", "canary", "check"])
def test_one_stage_commands_pick_by_api_and_stage(invoke, saved, command):
    paths, _ = saved
    result = invoke(command, "web", "$default", "--file", paths["json"], "-o", "json")
    assert result.exit_code in (0, 1), result.stderr
    assert "cannot" not in result.stderr
    if command == "show":
        assert json.loads(result.stdout)["stageName"] == "$default"
    result = invoke(command, "r3st000001", "prod", "--file", paths["json"], "-o", "json")
    assert result.exit_code in (0, 1), result.stderr


def test_a_listing_of_several_stages_without_api_stage_names_the_way(invoke, saved):
    paths, _ = saved
    result = invoke("show", "--file", paths["json"])
    assert result.exit_code == 2 and result.stdout == "" and result.stderr.count("\n") == 1
    assert "a fleet listing with 4 stages" in result.stderr and "API STAGE --file PATH" in result.stderr


def test_a_listing_of_one_stage_is_that_stage(invoke, saved, tmp_path):
    paths, _ = saved
    data = json.loads(open(paths["json"]).read())
    data["stages"] = [s for s in data["stages"] if s["stage"]["stageName"] == "prod"]
    one = tmp_path / "one.json"
    one.write_text(json.dumps(data))
    result = invoke("show", "--file", str(one), "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["stageName"] == "prod"
    result = invoke("diff", str(one), str(one))
    assert result.exit_code == 0, result.stderr


def test_a_stage_not_in_the_listing_is_exit_3(invoke, saved):
    paths, _ = saved
    result = invoke("show", "web", "nosuch", "--file", paths["json"])
    assert result.exit_code == 3 and result.stderr.count("\n") == 1


def test_api_stage_with_a_file_that_is_not_a_listing_is_still_refused(invoke, tmp_path):
    from tests.conftest import EXAMPLE

    result = invoke("show", "a1b2c3d4e5", "prod", "--file", EXAMPLE)
    assert result.exit_code == 2 and "not both" in result.stderr and result.stderr.count("\n") == 1
