"""Every command and format on saved GetStage documents (no AWS)."""

import json

import pytest
import yaml

from tests.conftest import EXAMPLE
from tests.docs import wire_stage


def test_show_table_tells_the_story(invoke):
    result = invoke("show", "--file", EXAMPLE)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for expected in ("Stage prod", "Production stage of the Pet Store API", "k2xq9d", "enabled · 0.5 GB · AVAILABLE",
                     "h7n2pq", "2.4.0", "API-Gateway-Access-Logs_petstore/prod", "cost-center = cc-4410",
                     "stage defaults: logging ERROR", "5 of 6 method entries override them",
                     "10% of traffic → deployment p8r3vz · 3 variable overrides", "lambdaAlias = live",
                     "2025-03-04T08:12:45Z"):
        assert expected in out, expected
    assert result.stderr == ""


def test_show_json_is_the_document_with_utc_timestamps(invoke):
    result = invoke("show", "--file", EXAMPLE, "-o", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    original = json.load(open(EXAMPLE))
    assert data["createdDate"] == "2025-03-04T08:12:45Z"
    assert data["lastUpdatedDate"] == "2026-11-24T15:40:03Z"
    for key in ("createdDate", "lastUpdatedDate"):
        del data[key], original[key]
    assert data == original


def test_show_yaml_is_the_same_data(invoke):
    as_json = json.loads(invoke("show", "--file", EXAMPLE, "-o", "json").stdout)
    result = invoke("show", "--file", EXAMPLE, "-o", "yaml")
    assert result.exit_code == 0
    assert yaml.safe_load(result.stdout) == as_json


def test_epoch_timestamps_v1_and_iso_v2_read_the_same(invoke, tmp_path):
    v1 = tmp_path / "v1.json"
    v1.write_text(json.dumps(wire_stage()))
    v2 = tmp_path / "v2.json"
    v2.write_text(json.dumps(wire_stage(createdDate="2023-11-15T07:13:20+09:00", lastUpdatedDate="2024-11-27T09:33:20Z")))
    one = json.loads(invoke("show", "-f", v1, "-o", "json").stdout)
    two = json.loads(invoke("show", "-f", v2, "-o", "json").stdout)
    assert one["createdDate"] == two["createdDate"] == "2023-11-14T22:13:20Z"
    assert one == two


def test_own_json_output_reads_back(invoke, tmp_path):
    saved = tmp_path / "saved.json"
    saved.write_text(invoke("show", "-f", EXAMPLE, "-o", "json").stdout)
    assert invoke("show", "-f", saved, "-o", "json").stdout == invoke("show", "-f", EXAMPLE, "-o", "json").stdout


def test_yaml_file_and_stdin(invoke, tmp_path):
    yml = tmp_path / "stage.yaml"
    yml.write_text(invoke("show", "-f", EXAMPLE, "-o", "yaml").stdout)
    from_yaml = invoke("vars", "-f", yml, "-o", "json")
    from_stdin = invoke("vars", "-f", "-", "-o", "json", input=open(EXAMPLE).read())
    assert from_yaml.exit_code == from_stdin.exit_code == 0
    assert json.loads(from_yaml.stdout) == json.loads(from_stdin.stdout)
    assert json.loads(from_yaml.stdout)["lambdaAlias"] == "live"


def test_settings_json_is_method_settings(invoke):
    data = json.loads(invoke("settings", "-f", EXAMPLE, "-o", "json").stdout)
    assert data == json.load(open(EXAMPLE))["methodSettings"]


def test_canary_json_and_yaml(invoke):
    data = json.loads(invoke("canary", "-f", EXAMPLE, "-o", "json").stdout)
    assert data == json.load(open(EXAMPLE))["canarySettings"]
    assert yaml.safe_load(invoke("canary", "-f", EXAMPLE, "-o", "yaml").stdout) == data


def test_vars_json_and_canary_form(invoke):
    assert json.loads(invoke("vars", "-f", EXAMPLE, "-o", "json").stdout) == json.load(open(EXAMPLE))["variables"]
    both = json.loads(invoke("vars", "-f", EXAMPLE, "-o", "json", "--canary").stdout)
    assert both["stageVariableOverrides"]["searchIndex"] == "pets-v2"
    assert both["variables"]["lambdaAlias"] == "live"


def test_stage_output_env_sets_the_default(invoke):
    result = invoke("vars", "-f", EXAMPLE, env={"STAGE_OUTPUT": "yaml"})
    assert yaml.safe_load(result.stdout)["lambdaAlias"] == "live"
    assert invoke("vars", "-f", EXAMPLE, "-o", "json", env={"STAGE_OUTPUT": "yaml"}).stdout.lstrip().startswith("{")


def test_bad_stage_output_env_is_a_usage_error(invoke):
    result = invoke("vars", "-f", EXAMPLE, env={"STAGE_OUTPUT": "xml"})
    assert result.exit_code == 2
    assert result.stdout == ""


def test_query_picks_a_value(invoke):
    result = invoke("show", "-f", EXAMPLE, "-o", "json", "--query", "variables.lambdaAlias")
    assert result.stdout.strip() == '"live"'
    assert invoke("show", "-f", EXAMPLE, "--query", "canarySettings.percentTraffic").stdout.strip() == "10.0"


def test_bad_query_is_exit_2(invoke):
    result = invoke("show", "-f", EXAMPLE, "-o", "json", "--query", "variables.[")
    assert result.exit_code == 2
    assert "invalid --query" in result.stderr
    assert result.stdout == ""


def test_missing_file_is_exit_2(invoke, tmp_path):
    result = invoke("show", "-f", tmp_path / "nope.json")
    assert result.exit_code == 2
    assert "nope.json" in result.stderr and "no such file" in result.stderr
    assert result.stdout == ""


def test_malformed_file_is_exit_2_naming_the_problem(invoke, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"stageName": "prod", ')
    result = invoke("show", "-f", bad)
    assert result.exit_code == 2
    assert "bad.json" in result.stderr and "not valid JSON or YAML" in result.stderr
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1


def test_file_that_is_not_a_stage_is_exit_2(invoke, tmp_path):
    for content in ("[1, 2]", '{"hello": "world"}', '{"stageName": "p", "methodSettings": [1]}', "plain words"):
        bad = tmp_path / "bad.json"
        bad.write_text(content)
        result = invoke("settings", "-f", bad)
        assert result.exit_code == 2, content
        assert "not a GetStage document" in result.stderr
        assert result.stdout == ""


def test_empty_and_binary_files_are_exit_2(invoke, tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_text("")
    assert invoke("show", "-f", empty).exit_code == 2
    binary = tmp_path / "bin.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    result = invoke("show", "-f", binary)
    assert result.exit_code == 2 and "not UTF-8" in result.stderr


def test_file_and_api_together_is_exit_2(invoke):
    result = invoke("show", "abc123", "prod", "-f", EXAMPLE)
    assert result.exit_code == 2
    assert "not both" in result.stderr


def test_nothing_given_is_exit_2(invoke):
    result = invoke("show")
    assert result.exit_code == 2
    assert "missing API and STAGE" in result.stderr


def test_unknown_future_fields_are_kept_and_shown(invoke, tmp_path):
    doc = wire_stage(brandNewField={"x": 1})
    path = tmp_path / "future.json"
    path.write_text(json.dumps(doc))
    assert json.loads(invoke("show", "-f", path, "-o", "json").stdout)["brandNewField"] == {"x": 1}
    assert "brandNewField" in invoke("show", "-f", path).stdout


def test_unknown_future_fields_are_kept_and_shown_under_other(invoke, tmp_path):
    doc = json.loads(open(EXAMPLE).read())
    doc["futureSetting"] = {"mode": "strict"}
    doc["newFlag"] = True
    path = tmp_path / "future.json"
    path.write_text(json.dumps(doc))
    lines = invoke("show", "-f", path).stdout.splitlines()
    heading = next(i for i, line in enumerate(lines) if line.startswith("Other fields"))
    assert lines[heading + 1:heading + 3] == ['  futureSetting     {"mode": "strict"}', "  newFlag           yes"]
    data = json.loads(invoke("show", "-f", path, "-o", "json").stdout)
    assert data["futureSetting"] == {"mode": "strict"} and data["newFlag"] is True
    assert "Other fields" not in invoke("show", "-f", EXAMPLE).stdout


@pytest.mark.parametrize("query, says", [
    ("[[", "Incomplete expression at character 3"),
    ('foo."bar', 'Unclosed " delimiter at character 5'),
    ("a b", 'Parse error at column 2, token "b" (UNQUOTED_IDENTIFIER)'),
])
def test_a_bad_query_is_one_line_without_jmespath_s_caret(invoke, query, says):
    result = invoke("vars", "-f", EXAMPLE, "--query", query)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"stage: error: invalid --query expression {query!r}: ")
    assert result.stderr.rstrip("\n").endswith(says) and result.stderr.count("\n") == 1 and "^" not in result.stderr


def test_a_query_type_error_cuts_the_value_it_quotes_not_the_type_expected(invoke):
    result = invoke("show", "-f", EXAMPLE, "--query", "sort_by(@, &x)")
    assert result.exit_code == 2 and result.stdout == ""
    line = result.stderr.rstrip("\n")
    assert line.endswith("…, expected one of: ['array'], received: \"object\"") and len(line) < 300
