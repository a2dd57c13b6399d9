"""Method keys, effective settings, and hostile text from the service."""

import json

import pytest
import yaml

from apigw_stage.model import methods
from tests.conftest import EXAMPLE
from tests.docs import wire_stage

from tests.docs import HOSTILE, UNSAFE_CHARS, WIDE, hostile_stage


@pytest.mark.parametrize("key,label", [
    ("~1pets~1{petId}/GET", "GET /pets/{petId}"),
    ("~1/GET", "GET /"),
    ("~1a~0b/POST", "POST /a~b"),
    ("~1a~01/PUT", "PUT /a~1"),
    ("~1pets/*", "* /pets"),
    ("*/*", "* *"),
])
def test_keys_decode(key, label):
    assert methods.parse_key(key).label == label


@pytest.mark.parametrize("key", ["pets/GET", "~1pets/extra/GET", "GET", "~1pets/", "", "//"])
def test_odd_keys_stay_as_written(key):
    parsed = methods.parse_key(key)
    assert parsed.path is None and parsed.label == key


def test_encode_is_the_inverse_of_decode():
    for path in ("/", "/pets", "/pets/{petId}", "/a~b/c"):
        key = methods.encode_key(path, "GET")
        assert methods.parse_key(key).path == path


def test_effective_sources():
    settings = {
        "*/*": {"loggingLevel": "INFO", "throttlingRateLimit": 100.0},
        "~1pets/GET": {"loggingLevel": "INFO", "throttlingRateLimit": 5.0, "cachingEnabled": False},
    }
    eff = methods.effective(settings, "~1pets/GET")
    # The method has an entry, so every setting comes from it (its INFO happens to equal */*'s);
    # a field the entry lacks is the service default, not */*'s (awscli update-stage.rst).
    assert eff["loggingLevel"] == ("INFO", "method")
    assert eff["throttlingRateLimit"] == (5.0, "method")
    assert eff["cachingEnabled"] == (False, "method")
    assert eff["cacheTtlInSeconds"] == (300, "service")  # absent from the entry


def test_minus_one_and_absent_throttling_are_the_same_account_limit():
    settings = {"*/*": {}, "~1/GET": {"throttlingRateLimit": -1.0, "throttlingBurstLimit": -1}}
    assert methods.overrides(settings, "~1/GET") == {}
    assert methods.describe("throttlingRateLimit", -1.0) == "account limit"


def test_settings_effective_json_schema(invoke, tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(wire_stage()))
    data = json.loads(invoke("settings", "-f", path, "--effective", "-o", "json").stdout)
    assert data["stageDefaults"]["loggingLevel"] == {"value": "ERROR", "source": "stage"}
    pets = next(m for m in data["methods"] if m["key"] == "~1pets/GET")
    assert pets["resourcePath"] == "/pets" and pets["httpMethod"] == "GET"
    assert pets["settings"]["cacheTtlInSeconds"] == {"value": 60, "source": "method"}
    assert pets["settings"]["loggingLevel"] == {"value": "ERROR", "source": "method"}  # the entry's own


def test_settings_tree_marks_overrides_and_odd_keys(invoke, tmp_path):
    doc = wire_stage()
    doc["methodSettings"]["weird/key/GET"] = {"loggingLevel": "OFF"}
    doc["methodSettings"]["~1a~0b/POST"] = {"metricsEnabled": False}
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    out = invoke("settings", "-f", path).stdout
    assert "/pets/{petId}/photos" in out and "/a~b" in out
    assert "weird/key/GET" in out
    assert "Cache TTL  60 s  stage default: 300 s" in out
    assert "same as stage defaults" in out
    effective = invoke("settings", "-f", path, "--effective").stdout
    assert "service default" in effective or "stage default" in effective


def test_no_method_settings(invoke, tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"stageName": "bare", "deploymentId": "d1"}))
    result = invoke("settings", "-f", path)
    assert result.exit_code == 0 and "No method settings" in result.stdout
    assert json.loads(invoke("settings", "-f", path, "-o", "json").stdout) == {}
    assert "bare" in invoke("show", "-f", path).stdout


def hostile_doc():
    doc = wire_stage(description=HOSTILE, tags={HOSTILE: HOSTILE}, variables={"v": HOSTILE, "[b]k[/b]": "x"})
    doc["methodSettings"][HOSTILE + "/GET"] = {"loggingLevel": HOSTILE}
    doc["canarySettings"]["stageVariableOverrides"] = {"v": HOSTILE + "!"}
    doc["accessLogSettings"]["format"] = HOSTILE
    return doc


@pytest.mark.parametrize("command", [("show",), ("settings",), ("settings", "--effective"), ("canary",), ("vars", "--canary")])
def test_hostile_text_is_inert_in_tables(invoke, tmp_path, command):
    path = tmp_path / "h.json"
    path.write_text(json.dumps(hostile_doc()))
    result = invoke(*command, "-f", path, env={"FORCE_COLOR": None})
    assert result.exit_code == 0, result.stderr
    for ch in UNSAFE_CHARS:
        assert ch not in result.stdout, repr(ch)
    assert "[bold red]x[/]" in result.stdout
    assert "\\e[31mred" in result.stdout


@pytest.mark.parametrize("command", ["show", "settings", "canary", "vars"])
def test_hostile_text_is_exact_in_json_and_yaml(invoke, tmp_path, command):
    doc = hostile_doc()
    path = tmp_path / "h.json"
    path.write_text(json.dumps(doc))
    as_json = invoke(command, "-f", path, "-o", "json").stdout
    as_yaml = invoke(command, "-f", path, "-o", "yaml").stdout
    for ch in UNSAFE_CHARS:
        assert ch not in as_json and ch not in as_yaml
    expected = {"show": doc, "settings": doc["methodSettings"], "canary": doc["canarySettings"], "vars": doc["variables"]}[command]
    parsed = json.loads(as_json)
    if command == "show":
        for key in ("createdDate", "lastUpdatedDate"):
            parsed.pop(key), expected.pop(key)
        assert yaml.safe_load(as_yaml).pop("createdDate")
    assert parsed == expected


def test_hostile_error_text_is_inert(invoke, wire):
    from tests.wire import error

    wire.script = [error(403, "AccessDeniedException", "denied \x1b]0;pwned\x07 \u202eevil")]
    result = invoke("show", "a1b2c3d4e5", "prod", "--endpoint-url", wire.url)
    assert result.exit_code == 4
    for ch in UNSAFE_CHARS:
        assert ch not in result.stderr


@pytest.fixture
def hostile_file(tmp_path):
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(hostile_stage()))
    return str(path)


@pytest.mark.parametrize("command", [("check", "-f"), ("diff", EXAMPLE)])
def test_hostile_text_is_inert_in_check_and_diff(invoke, hostile_file, command):
    result = invoke(*command, hostile_file, env={"FORCE_COLOR": None})
    assert result.exit_code == 1, result.stderr
    for ch in UNSAFE_CHARS:
        assert ch not in result.stdout, repr(ch)
    assert "[bold red]x[/]" in result.stdout
    assert "\\e[31mred" in result.stdout


def test_hostile_text_is_exact_in_diff_and_check_json(invoke, hostile_file):
    doc = hostile_stage()
    changes = json.loads(invoke("diff", EXAMPLE, hostile_file, "-o", "json").stdout)
    by_path = {tuple(c["path"]): c for c in changes}
    assert by_path[("variables", "v")]["right"] == doc["variables"]["v"]
    assert by_path[("tags", HOSTILE)]["right"] == doc["tags"][HOSTILE]
    assert by_path[("methodSettings", HOSTILE + "/GET", "loggingLevel")]["right"] == HOSTILE
    assert by_path[("futureField", "nested")]["right"] == [HOSTILE, 1, None]
    assert yaml.safe_load(invoke("diff", EXAMPLE, hostile_file, "-o", "yaml").stdout) == changes
    check = json.loads(invoke("check", "-f", hostile_file, "-o", "json").stdout)
    logging = next(c for c in check["checks"] if c["id"] == "APIGateway.1")
    assert {f["where"] for f in logging["findings"]} == {HOSTILE + "/GET", "POST /" + WIDE}
