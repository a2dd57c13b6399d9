"""Documents no stage can be: from --file exit 2, from the service exit 5, one line, never 70
(issue 13, items 7, 9, 16; issue 12, items 9, 15)."""

import gzip
import json
import math
import os
import subprocess
import time

import pytest
import yaml

from apigw_stage.sources import files as document
from apigw_stage.output.data import to_json, to_yaml
from tests.conftest import EXAMPLE
from tests.docs import wire_stage

API = "a1b2c3d4e5"
STAGE = '{"stageName": "prod", '
# The "billion laughs" of the red-team run, 358 bytes: 9 lists of 9 aliases, 9^9 strings expanded.
BOMB = "\n".join(
    [f'a: &a [{", ".join(["lol"] * 9)}]']
    + [f"{n}: &{n} [{', '.join(['*' + p] * 9)}]" for p, n in zip("abcdefgh", "bcdefghi")]
    + ["stageName: prod", ""]
)

# (name, file content, what the error line says)
BAD_FILES = [
    ("epoch-1e12", STAGE + '"createdDate": 1e12}', "createdDate: 1000000000000.0 is not a time in years 1 to 9999"),
    ("epoch-minus-1e12", STAGE + '"createdDate": -1e12}', "is not a time in years 1 to 9999"),
    ("epoch-nan", STAGE + '"lastUpdatedDate": NaN}', "NaN is not a number JSON allows"),
    ("epoch-text-nan", STAGE + '"lastUpdatedDate": "nan"}', "lastUpdatedDate: nan is not a time"),
    ("epoch-garbage", STAGE + '"createdDate": "garbage"}', "unreadable timestamp 'garbage'"),
    ("yaml-on-key", "stageName: prod\nvariables:\n  on: x\n", "variables: key True (bool) is not a string"),
    ("yaml-int-key", "stageName: prod\nmethodSettings:\n  1: {}\n", "methodSettings: key 1 (int) is not a string"),
    ("yaml-binary", "stageName: prod\ndescription: !!binary aGVsbG8=\n", "description: a value of type bytes"),
    ("yaml-set", "stageName: prod\ntags: !!set {a, b}\n", "tags: a value of type set"),
    ("yaml-explicit-date", "stageName: prod\ndescription: !!timestamp 2024-01-01\n", "a value of type date"),
    ("int-5000-digits", STAGE + '"cacheClusterSize": ' + "9" * 5000 + "}", "an integer of 5000 digits"),
    ("int-5000-digits-yaml", "stageName: prod\nx: " + "9" * 5000 + "\n", "an integer of 5000 digits"),
    ("int-65-bits", STAGE + '"x": ' + str(2**65) + "}", "x: an integer of 66 bits"),
    ("lone-surrogate", STAGE + '"description": "\\ud800"}', "description: a lone surrogate '\\ud800' is not text"),
    ("lone-surrogate-key", STAGE + '"variables": {"\\udfff": "x"}}', "a lone surrogate '\\udfff'"),
    ("nested-900", STAGE + '"x": ' + "[" * 900 + "]" * 900 + "}", "nested more than 64 levels deep at x.0.0"),
    ("nested-100000", STAGE + '"x": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested more than 64 levels deep"),
    ("nested-100000-yaml", "stageName: prod\nx: " + "[" * 100_000 + "]" * 100_000 + "\n",
     "nest"),  # libyaml stops at its own limit, PyYAML's pure loader at ours
    ("map-as-list", STAGE + '"variables": ["a"]}', "variables is not an object"),
    ("map-as-string", STAGE + '"methodSettings": "*/*"}', "methodSettings is not an object"),
    ("nan-canary", STAGE + '"canarySettings": {"percentTraffic": NaN}}', "NaN is not a number JSON allows"),
    ("infinity", STAGE + '"methodSettings": {"*/*": {"throttlingRateLimit": Infinity}}}', "Infinity is not a number"),
    ("minus-infinity", STAGE + '"x": -Infinity}', "-Infinity is not a number JSON allows"),
    ("yaml-nan", "stageName: prod\ncanarySettings:\n  percentTraffic: .nan\n", "canarySettings.percentTraffic: nan is not"),
    ("float-overflow", STAGE + '"x": 1e400}', "x: inf is not a number JSON allows"),
    ("alias-bomb", BOMB, "YAML aliases expand it to over 10,000 more values than written"),
    ("recursive-alias", "stageName: prod\nx: &a [*a]\n", "a YAML alias refers to a block that holds it"),
]


@pytest.mark.parametrize("name,content,says", BAD_FILES, ids=[case[0] for case in BAD_FILES])
def test_bad_file_is_exit_2_in_one_line(invoke, tmp_path, name, content, says):
    path = tmp_path / "stage.json"
    path.write_text(content, encoding="utf-8", errors="surrogatepass")
    for args in (("show",), ("show", "-o", "json"), ("settings", "-e"), ("canary", "-o", "yaml"), ("check",)):
        result = invoke(*args, "-f", path)
        assert result.exit_code == 2, (args, result.stderr)
        assert result.stdout == ""
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("stage: error: cannot use "), result.stderr
        assert says in result.stderr, result.stderr


def test_nan_canary_is_not_shown_as_a_full_canary(invoke, tmp_path):
    """It used to be a 100% canary in the table and a bare NaN in -o json (issue 13.16)."""
    path = tmp_path / "nan.json"
    path.write_text(json.dumps(wire_stage(canarySettings={"percentTraffic": math.nan, "deploymentId": "p8r3vz"})))
    for fmt in ("table", "json"):
        result = invoke("canary", "-f", path, "-o", fmt)
        assert (result.exit_code, result.stdout) == (2, "")
        assert "NaN is not a number JSON allows" in result.stderr


def test_json_writer_never_prints_nan():
    with pytest.raises(ValueError):
        to_json({"percentTraffic": math.inf})


def test_yaml_dates_stay_the_text_written(invoke, tmp_path):
    """PyYAML would read `2024-01-01` as a date, which json cannot hold; the text is what was meant."""
    path = tmp_path / "stage.yaml"
    path.write_text("stageName: prod\ndescription: 2024-01-01\ncreatedDate: 2023-11-14T22:13:20Z\n"
                    "variables:\n  release: 2024-01-01 10:00:00\n")
    data = json.loads(invoke("show", "-f", path, "-o", "json").stdout)
    assert data["description"] == "2024-01-01"
    assert data["createdDate"] == "2023-11-14T22:13:20Z"
    assert data["variables"] == {"release": "2024-01-01 10:00:00"}


def test_small_yaml_aliases_are_read(invoke, tmp_path):
    """Anchors that share a block of method settings are fine; only an explosion is refused."""
    path = tmp_path / "stage.yaml"
    path.write_text("stageName: prod\nmethodSettings:\n  '*/*': &same {metricsEnabled: true, loggingLevel: INFO}\n"
                    "  ~1pets/GET: *same\n  ~1pets/POST: *same\n")
    result = invoke("settings", "-f", path, "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["~1pets/POST"] == {"metricsEnabled": True, "loggingLevel": "INFO"}


def test_gzip_file_says_so(invoke, tmp_path):
    path = tmp_path / "stage.json.gz"
    path.write_bytes(gzip.compress(json.dumps(wire_stage()).encode()))
    result = invoke("show", "-f", path)
    assert (result.exit_code, result.stdout) == (2, "")
    assert "it is gzip-compressed (decompress it first: gunzip -c FILE | stage ... -f -)" in result.stderr


def test_dev_zero_is_refused_after_the_size_limit(invoke):
    result = invoke("show", "-f", "/dev/zero")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "stage: error: cannot read /dev/zero: larger than 50 MB, far more than any stage document\n"


def test_size_limit_on_standard_input(invoke, monkeypatch):
    monkeypatch.setattr(document, "SIZE_LIMIT", 1000)
    big = json.dumps(wire_stage(description="x" * 1000))
    result = invoke("show", "-f", "-", input=big)
    assert result.exit_code == 2 and "standard input: larger than" in result.stderr
    small = invoke("show", "-f", "-", input=json.dumps({"stageName": "prod"}))
    assert small.exit_code == 0, small.stderr


def test_bomb_and_dev_zero_are_quick_in_a_process(stage_exe, tmp_path):
    """Before: 87 s and 2.9 GB for the bomb; /dev/zero read until memory ran out."""
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BOMB)
    for path in (bomb, "/dev/zero"):
        started = time.monotonic()
        proc = subprocess.run([stage_exe, "show", "-f", str(path)], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.count("\n") == 1
        assert time.monotonic() - started < 30  # a hang guard, not a benchmark


def test_closed_standard_input_is_exit_2(stage_exe):
    proc = subprocess.run(["sh", "-c", 'exec "$0" show -f - <&-', stage_exe], capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == "stage: error: cannot read standard input: it is closed\n"


@pytest.mark.parametrize("query,says", [
    ("keys(@)[::0]", "slice step cannot be zero"),
    ("(" * 3000 + "stageName" + ")" * 3000, "nested too deeply"),
])
def test_query_that_raises_inside_jmespath_is_exit_2(invoke, query, says):
    result = invoke("show", "-f", EXAMPLE, "--query", query)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("stage: error: invalid --query expression") and says in result.stderr
    assert result.stderr.count("\n") == 1


def test_yaml_scalar_query_is_the_bare_value(invoke):
    """PyYAML ends a top-level plain scalar with `...`; yq prints just the value."""
    assert invoke("vars", "-f", EXAMPLE, "-o", "yaml", "--query", "lambdaAlias").stdout == "live\n"
    assert invoke("canary", "-f", EXAMPLE, "-o", "yaml", "--query", "percentTraffic").stdout == "10.0\n"
    assert invoke("canary", "-f", EXAMPLE, "-o", "yaml", "--query", "nothing").stdout == "null\n"


@pytest.mark.parametrize("value", ["live", "a\nb", "line\n", "...", "--- x", "a: b", "#c", "yes", "", " x ",
                                   "x" * 300, "é\u202e", 1.5, None, True, 7])
def test_yaml_scalars_stay_valid_yaml(value):
    text = to_yaml(value)
    assert not text.endswith("...\n") or value == "..."
    assert yaml.safe_load(text) == value


# A v2 stage document (issue 12.9 named it; issue 11 makes every command read it).
V2_CLI = {"CreatedDate": "2020-04-08T00:36:05Z", "DefaultRouteSettings": {"DetailedMetricsEnabled": False},
          "DeploymentId": "x1zwyv", "LastUpdatedDate": "2020-04-08T00:36:13Z", "RouteSettings": {},
          "StageName": "prod", "StageVariables": {"function": "my-prod-function"}, "Tags": {}}
V2_WIRE = {"stageName": "$default", "autoDeploy": True, "deploymentId": "x1zwyv", "routeSettings": {},
           "defaultRouteSettings": {"detailedMetricsEnabled": False}, "stageVariables": {}}


def test_v2_example_is_the_awscli_one():
    """V2_CLI is the answer in awscli/examples/apigatewayv2/get-stage.rst."""
    import awscli

    rst = os.path.join(os.path.dirname(awscli.__file__), "examples", "apigatewayv2", "get-stage.rst")
    text = open(rst).read()
    body = text[text.index("Output::") + len("Output::"):text.index("For more information")]
    assert json.loads(body) == V2_CLI


@pytest.mark.parametrize("doc", [V2_CLI, V2_WIRE], ids=["aws-cli", "wire"])
def test_v2_stage_document_is_read(invoke, tmp_path, doc):
    path = tmp_path / "v2.json"
    path.write_text(json.dumps(doc))
    for command in ("show", "settings"):
        result = invoke(command, "-f", path)
        assert (result.exit_code, result.stderr) == (0, "")
        assert "Route settings" in result.stdout


def test_get_stages_answer_is_named(invoke, tmp_path):
    path = tmp_path / "stages.json"
    path.write_text(json.dumps({"item": [wire_stage(stageName="staging"), wire_stage()]}))
    result = invoke("show", "-f", path)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"stage: error: cannot use {path}: a GetStages answer with 2 stages: use `stage list "
                             "--file` or pick one with `jq '.item[] | select(.stageName==\"staging\")'`\n")


def test_stage_list_output_is_named(invoke, tmp_path):
    path = tmp_path / "stages.json"
    path.write_text(json.dumps([wire_stage()]))
    result = invoke("show", "-f", path)
    assert result.exit_code == 2
    assert "a list of 1 stage (as `stage list -o json` prints): use `stage list --file`" in result.stderr
    assert "jq '.[] | select(.stageName==\"prod\")'" in result.stderr


def test_stages_from_file_reads_every_shape(tmp_path):
    one, two = wire_stage(stageName="staging"), wire_stage()
    shapes = {"get-stages.json": {"item": [one, two]}, "list.json": [one, two],
              "boto3.json": {"item": [one, two], "ResponseMetadata": {"HTTPStatusCode": 200}}}
    for name, data in shapes.items():
        path = tmp_path / name
        path.write_text(json.dumps(data))
        stages = document.stages_from_file(str(path))
        assert [s["stageName"] for s in stages] == ["prod", "staging"], name
        assert stages[0]["createdDate"].isoformat() == "2023-11-14T22:13:20+00:00"
    single = tmp_path / "single.yaml"
    single.write_text(yaml.safe_dump(two))
    assert [s["stageName"] for s in document.stages_from_file(str(single))] == ["prod"]
    empty = tmp_path / "empty.json"
    empty.write_text('{"item": []}')
    assert document.stages_from_file(str(empty)) == []


@pytest.mark.parametrize("data,says", [
    ({"item": [wire_stage(), 1]}, "item 2 is not a stage: expected an object, got int"),
    ({"item": ["prod"]}, "item 1 is not a stage: expected an object, got str"),
    ([wire_stage(), {"stageName": "x", "variables": []}], "item 2 is not a stage: variables is not an object"),
    ({"hello": "world"}, "not a GetStage document: no stageName or deploymentId"),
    ({"item": [V2_WIRE, {"autoDeploy": True}]}, "item 2 is not a stage: no stageName (StageName)"),
])
def test_stages_from_file_rejects_what_is_not_stages(tmp_path, data, says):
    from apigw_stage.core.errors import UsageError

    path = tmp_path / "stages.json"
    path.write_text(json.dumps(data))
    with pytest.raises(UsageError) as raised:
        document.stages_from_file(str(path))
    assert raised.value.message == f"cannot use {path}: {says}"


# The same documents from the service: exit 5 (a wire-format answer through botocore).
BAD_ANSWERS = [
    ("nan-canary", b'{"stageName": "prod", "canarySettings": {"percentTraffic": NaN}}', "percentTraffic: nan"),
    ("infinity", b'{"stageName": "prod", "methodSettings": {"*/*": {"throttlingRateLimit": Infinity}}}', "inf"),
    ("epoch-1e12", b'{"stageName": "prod", "createdDate": 1e12}', "is not a time in years 1 to 9999"),
    ("surrogate", b'{"stageName": "prod", "description": "\\ud800"}', "a lone surrogate"),
    # botocore passes a list where its model says string through as it is
    ("nested", b'{"stageName": "prod", "variables": {"a": ' + b"[" * 900 + b"]" * 900 + b"}}",
     "nested more than 64 levels deep at variables.a.0"),
    ("float-overflow", b'{"stageName": "prod", "variables": {"a": 1e999}}', "variables.a: inf is not a number"),
    # a 200 whose body is JSON but no object: botocore's parser fails inside itself
    ("list", b"[1, 2, 3]", "the answer to GetStage is not in the shape the service model gives"),
    ("string", b'"prod"', "the answer to GetStage is not in the shape the service model gives"),
]


@pytest.mark.parametrize("name,body,says", BAD_ANSWERS, ids=[case[0] for case in BAD_ANSWERS])
def test_bad_service_answer_is_exit_5(invoke, wire, name, body, says):
    wire.script = [(200, {}, body)]
    result = invoke("show", API, "prod", "--endpoint-url", wire.url, "-o", "json")
    assert (result.exit_code, result.stdout) == (5, ""), result.stderr
    assert result.stderr.count("\n") == 1 and says in result.stderr, result.stderr


def test_get_stages_items_that_are_not_objects_are_exit_5(invoke, wire):
    wire.script = [(200, {}, b'{"item": [1, "prod"]}')]
    result = invoke("list", API, "--endpoint-url", wire.url)
    assert (result.exit_code, result.stdout) == (5, ""), result.stderr
    assert result.stderr.count("\n") == 1
