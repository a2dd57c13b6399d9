"""`stage diff`: forms, groups, the json change list, --ignore, exit 0/1 and errors."""

import json
from datetime import datetime

import pytest
import yaml

from tests.conftest import EXAMPLE
from tests.docs import wire_stage

WEST = ("--region", "us-west-2")


@pytest.fixture
def changed(tmp_path):
    doc = wire_stage()
    # The same moments as the example's ISO dates, written as the service does (epoch seconds).
    with open(EXAMPLE) as handle:
        example = json.load(handle)
    for field in ("createdDate", "lastUpdatedDate"):
        doc[field] = datetime.fromisoformat(example[field].replace("Z", "+00:00")).timestamp()
    doc["variables"]["logLevel"] = "debug"
    doc["variables"]["extra"] = "new"
    doc["methodSettings"]["~1pets/GET"]["cachingEnabled"] = False
    del doc["methodSettings"]["~1pets~1{petId}/DELETE"]
    doc["tracingEnabled"] = False
    doc["canarySettings"]["percentTraffic"] = 0
    del doc["tags"]["team"]
    doc["futureField"] = {"a": 1}
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(doc))
    return str(path)


def test_identical_documents_exit_0(invoke):
    result = invoke("diff", EXAMPLE, EXAMPLE, env={"COLUMNS": "300"})  # the long paths on one line
    assert result.exit_code == 0
    assert result.stdout.strip() == f"No differences between {EXAMPLE} and {EXAMPLE}."
    empty = invoke("diff", EXAMPLE, EXAMPLE, "-o", "json")
    assert (empty.exit_code, json.loads(empty.stdout)) == (0, [])


def test_table_groups_changes_old_to_new(invoke, changed):
    result = invoke("diff", EXAMPLE, changed, "--ignore", "createdDate", "--ignore", "lastUpdatedDate")
    assert result.exit_code == 1
    assert result.stderr == ""
    lines = [line.strip() for line in result.stdout.splitlines()]
    headings = [line for line in lines if line in ("Settings", "Method settings", "Variables", "Canary", "Tags", "Everything else")]
    assert headings == ["Settings", "Method settings", "Variables", "Canary", "Tags", "Everything else"]
    assert any(line.split() == ["tracingEnabled", "true", "→", "false"] for line in lines)
    assert any(line.split() == ["GET", "/pets", "Caching", "on", "→", "off"] for line in lines)
    # A method entry on one side only: every setting, decoded path, absent on the right.
    assert any(line.split() == ["DELETE", "/pets/{petId}", "Logging", "INFO", "→", "(absent)"] for line in lines)
    assert any(line.split() == ["logLevel", "warn", "→", "debug"] for line in lines)
    assert any(line.split() == ["extra", "(absent)", "→", "new"] for line in lines)
    assert any(line.split() == ["team", "pets", "→", "(absent)"] for line in lines)
    assert any(line.split() == ["futureField.a", "(absent)", "→", "1"] for line in lines)


def test_json_change_list_is_documented_schema(invoke, changed):
    result = invoke("diff", EXAMPLE, changed, "-o", "json")
    assert result.exit_code == 1
    changes = json.loads(result.stdout)
    assert all(set(c) == {"group", "path", "change", "left", "right"} for c in changes)
    by_path = {tuple(c["path"]): c for c in changes}
    assert by_path[("methodSettings", "~1pets/GET", "cachingEnabled")] == {
        "group": "methodSettings", "path": ["methodSettings", "~1pets/GET", "cachingEnabled"],
        "change": "changed", "left": True, "right": False,
    }
    assert by_path[("variables", "extra")]["change"] == "added"
    assert by_path[("variables", "extra")]["left"] is None
    assert by_path[("tags", "team")] == {"group": "tags", "path": ["tags", "team"], "change": "removed", "left": "pets", "right": None}
    assert by_path[("canarySettings", "percentTraffic")]["group"] == "canary"
    assert ("createdDate",) not in by_path  # same dates: the file holds ISO, the copy epoch seconds
    assert yaml.safe_load(invoke("diff", EXAMPLE, changed, "-o", "yaml").stdout) == changes
    query = invoke("diff", EXAMPLE, changed, "--query", "[?group=='variables'].path[1]")
    assert (query.exit_code, json.loads(query.stdout)) == (1, ["extra", "logLevel"])


def test_ignore_by_name_at_any_depth_and_by_dotted_glob(invoke, changed):
    def paths(*ignore):
        args = [a for i in ignore for a in ("--ignore", i)]
        return {tuple(c["path"]) for c in json.loads(invoke("diff", EXAMPLE, changed, "-o", "json", *args).stdout)}

    everything = paths()
    assert ("canarySettings", "percentTraffic") in everything
    assert not any("percentTraffic" in p for p in paths("percentTraffic"))
    no_methods = paths("methodSettings.*.cachingEnabled", "methodSettings.~1pets~1{petId}/DELETE")
    assert not any(p[0] == "methodSettings" for p in no_methods)
    assert everything - no_methods == {p for p in everything if p[0] == "methodSettings"}
    ignored_all = [a for f in ("variables", "methodSettings", "tracingEnabled", "canarySettings", "tags", "futureField") for a in ("-i", f)]
    result = invoke("diff", EXAMPLE, changed, *ignored_all)
    assert result.exit_code == 0
    assert result.stdout.startswith("No differences")


def test_two_stages_of_one_api_on_moto(invoke, fleet):
    result = invoke("diff", "inventory", "prod", "staging", "--endpoint-url", fleet["endpoint"], *WEST, "-o", "json")
    assert result.exit_code == 1, result.stderr
    by_path = {tuple(c["path"]): c for c in json.loads(result.stdout)}
    assert by_path[("variables", "table")]["left"] == "items"
    assert by_path[("variables", "table")]["right"] == "items-staging"
    assert by_path[("tags", "env")]["change"] == "added"
    assert ("stageName",) not in by_path  # the names are what is compared


def test_same_stage_in_two_regions(invoke, fleet):
    args = ["diff", "inventory:prod", "inventory:prod", "--endpoint-url", fleet["endpoint"], *WEST,
            "--right-region", "eu-west-1", "--ignore", "deploymentId"]
    result = invoke(*args)
    assert result.exit_code == 1, result.stderr
    assert result.stdout.splitlines()[0] == "Differences inventory:prod (us-west-2) → inventory:prod (eu-west-1)  2 changes"
    data = json.loads(invoke(*args, "-o", "json").stdout)
    assert [(c["path"], c["left"], c["right"]) for c in data] == [
        (["tracingEnabled"], True, False), (["variables", "tier"], "gold", "silver"),
    ]


def test_live_stage_against_saved_snapshot(invoke, fleet, tmp_path):
    live = ["--endpoint-url", fleet["endpoint"], *WEST]
    snapshot = tmp_path / "prod.json"
    snapshot.write_text(invoke("show", "inventory", "prod", *live, "-o", "json").stdout)
    same = invoke("diff", f"{fleet['inventory']}:prod", str(snapshot), *live)
    assert same.exit_code == 0, same.stderr
    from_stdin = invoke("diff", "inventory:staging", "-", *live, "-o", "json", input=snapshot.read_text())
    assert from_stdin.exit_code == 1
    assert {"variables", "tags"} <= {c["group"] for c in json.loads(from_stdin.stdout)}


@pytest.mark.parametrize("args, message", [
    (["only-one"], "diff takes 2 or 3 arguments, not 1"),
    ([], "diff takes 2 or 3 arguments, not 0"),
    (["a", "b", "c", "d"], "diff takes 2 or 3 arguments, not 4"),
    (["prod", "staging"], "'prod' is neither API:STAGE nor a saved document"),
    (["api:bad stage", EXAMPLE], "'bad stage' cannot be a stage name"),
    (["api", "prod", "st;ge"], "'st;ge' cannot be a stage name"),
    (["-", "-"], "only one side can be read from standard input"),
    (["missing.json", EXAMPLE], "missing.json"),
])
def test_bad_arguments_are_exit_2(invoke, args, message):
    result = invoke("diff", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_side_is_not_found(invoke, fleet):
    result = invoke("diff", "inventory", "prod", "prdo", "--endpoint-url", fleet["endpoint"], *WEST)
    assert result.exit_code == 3
    assert result.stdout == ""
    assert "no stage 'prdo'" in result.stderr and "stages: prod," in result.stderr


def test_method_rows_name_stage_defaults_align_and_follow_reading_order(invoke, tmp_path):
    doc = wire_stage()
    doc["methodSettings"]["*/*"]["loggingLevel"] = "INFO"
    doc["methodSettings"]["~1pets~1{petId}/GET"]["cacheTtlInSeconds"] = 10
    doc["methodSettings"]["~1pets~1{petId}/GET"]["loggingLevel"] = "OFF"
    path = tmp_path / "info.json"
    path.write_text(json.dumps(doc))
    out = invoke("diff", EXAMPLE, path, "-i", "createdDate", "-i", "lastUpdatedDate",
                 env={"COLUMNS": "300"}).stdout.splitlines()
    assert out[:2] == [f"Differences {EXAMPLE} → {path}  3 changes", "Method settings"]
    assert [line.split() for line in out[2:]] == [
        ["Stage", "defaults", "Logging", "ERROR", "→", "INFO"],
        ["GET", "/pets/{petId}", "Logging", "ERROR", "→", "OFF"],
        ["GET", "/pets/{petId}", "Cache", "TTL", "3600", "s", "→", "10", "s"],
    ]
    assert len({line.index(" Logging") if " Logging" in line else line.index(" Cache TTL") for line in out[2:]}) == 1
