"""Property tests: Stage documents generated from botocore's own service model (the Stage shape),
hostile strings included, through every command and format.

For each document: exit 0 (check: 0 or 1), json parses to exactly the input (timestamps as RFC
3339 UTC), yaml safe-loads to the same data, and no table carries a control, bidi or zero-width
character from the input.
"""

import json
import math
import unicodedata
from datetime import datetime, timezone

import botocore.session
import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from apigw_stage.cli import app
from apigw_stage.core.plain import rfc3339
from tests.conftest import EXAMPLE
from tests.docs import HOSTILE, WIDE

SHAPE = botocore.session.get_session().get_service_model("apigateway").shape_for("Stage")
TIMESTAMPS = ("createdDate", "lastUpdatedDate")
# Every shape of methodSettings key (DESIGN: split on the last `/`; odd keys shown as written):
# stage defaults, root, encoded paths, `~0`, a method wildcard, raw slashes, no method, empty parts.
KEY_SHAPES = ["*/*", "~1/GET", "~1pets/GET", "~1pets~1{petId}/DELETE", "~1a~0b/POST", "~1pets/*", "*/GET",
              "pets/GET", "/pets/GET", "x/y/z", "~1pets", "odd", "~1pets/", "/GET", "/", "", "~", "~1", "*"]
METHOD_KEYS = st.sampled_from(KEY_SHAPES) | st.builds(
    lambda path, method: path + method,
    st.lists(st.sampled_from(["~1", "~0", "/", "pets", "{id}", "*", "", "\x1b[2J", "\u202e"]), max_size=4).map("".join),
    st.sampled_from(["/GET", "/*", "/get", "/ANY", "", "/\x1b]0;x\x07GET"]),
)

texts = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=24),  # any Unicode but lone surrogates
    st.sampled_from([HOSTILE, WIDE, "", " ", "null", "1.5", "yes", "~", "*/*", "[/]", "\\", "\x00", "\x85", "\u2028"]),
    st.text(st.sampled_from("\x1b\x07\r\n\t\u202e\u2066\u200b\x9b[]/~ab表"), max_size=12),
)


def from_shape(shape, name: str = ""):
    """A strategy for values of a botocore shape, as the service sends them (epoch timestamps)."""
    kind = shape.type_name
    if kind == "structure":
        return st.fixed_dictionaries({}, optional={n: from_shape(m, n) for n, m in shape.members.items()})
    if kind == "map":
        keys = METHOD_KEYS | texts if name == "methodSettings" else texts
        return st.dictionaries(keys, from_shape(shape.value), max_size=4)
    if kind == "list":
        return st.lists(from_shape(shape.member), max_size=3)
    if kind == "string":
        return st.sampled_from(shape.enum) | texts if shape.enum else texts
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(-(2**31), 2**31 - 1)
    if kind == "long":
        return st.integers(-(2**63), 2**63 - 1)
    if kind in ("double", "float"):
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "timestamp":
        return st.integers(0, 4_102_444_800)  # 1970 .. 2100, epoch seconds as on the wire
    raise AssertionError(f"unhandled shape type {kind}")


stages = from_shape(SHAPE).map(lambda doc: {"stageName": "prod", **doc} if not isinstance(doc.get("stageName"), str) else doc)


def expected(doc: dict) -> dict:
    out = dict(doc)
    for field in TIMESTAMPS:
        if field in out:
            out[field] = rfc3339(datetime.fromtimestamp(out[field], tz=timezone.utc))
    return out


def _unsafe(text: str) -> list[str]:
    allowed = {"\n"}
    return [ch for ch in text if ch not in allowed and (
        unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"))]


COMMANDS = {
    "show": lambda d: d,
    "settings": lambda d: d.get("methodSettings") or {},
    "canary": lambda d: d.get("canarySettings"),
    "vars": lambda d: d.get("variables") or {},
}
runner = CliRunner()


def run(*args, stdin: str):
    return runner.invoke(app, list(args), input=stdin, catch_exceptions=False, env={"COLUMNS": "100"})


PROPERTY = settings()  # the profile loaded in conftest (ci: bounded and derandomized; fuzz: many more)


@pytest.mark.parametrize("command", sorted(COMMANDS))
@PROPERTY
@given(doc=stages)
def test_every_command_and_format(command, doc):
    stdin = json.dumps(doc)
    want = COMMANDS[command](expected(doc))
    as_json = run(command, "-f", "-", "-o", "json", stdin=stdin)
    assert as_json.exit_code == 0, as_json.stderr
    assert json.loads(as_json.stdout) == want
    as_yaml = run(command, "-f", "-", "-o", "yaml", stdin=stdin)
    assert as_yaml.exit_code == 0, as_yaml.stderr
    assert yaml.safe_load(as_yaml.stdout) == want
    table = run(command, "-f", "-", stdin=stdin)
    assert table.exit_code == 0, table.stderr
    assert _unsafe(table.stdout) == []


@PROPERTY
@given(doc=stages)
def test_check_and_settings_effective(doc):
    stdin = json.dumps(doc)
    for fmt in ("json", "yaml", "table"):
        result = run("check", "-f", "-", "-o", fmt, stdin=stdin)
        assert result.exit_code in (0, 1), result.stderr
        if fmt == "json":
            data = json.loads(result.stdout)
            assert (result.exit_code == 0) is data["passed"]
        assert _unsafe(result.stdout) == []
        effective = run("settings", "--effective", "-f", "-", "-o", fmt, stdin=stdin)
        assert effective.exit_code == 0, effective.stderr
        assert _unsafe(effective.stdout) == []


@PROPERTY
@given(left=stages, right=stages)
def test_diff_is_empty_against_itself_and_lists_every_difference(left, right, tmp_path_factory):
    folder = tmp_path_factory.mktemp("diff")
    paths = []
    for name, doc in (("left", left), ("right", right)):
        path = folder / f"{name}.json"
        path.write_text(json.dumps(doc))
        paths.append(str(path))
    same = run("diff", paths[0], paths[0], "-o", "json", stdin="")
    assert (same.exit_code, json.loads(same.stdout)) == (0, [])
    result = run("diff", paths[0], paths[1], "-o", "json", stdin="")
    changes = json.loads(result.stdout)
    assert result.exit_code == (1 if changes else 0)
    # Applying the changes to the left document gives the right one (the stage name aside).
    patched = expected(left)
    for change in changes:
        _set(patched, change["path"], change["right"], change["change"] == "removed")
    target = expected(right)
    patched.pop("stageName", None), target.pop("stageName", None)
    assert _pruned(patched) == _pruned(target)
    table = run("diff", paths[0], paths[1], stdin="")
    assert table.exit_code == result.exit_code
    assert _unsafe(table.stdout) == []


def _set(doc: dict, path: list, value, remove: bool) -> None:
    for key in path[:-1]:
        doc = doc.setdefault(key, {})
    if remove:
        doc.pop(path[-1], None)
    else:
        doc[path[-1]] = value


def _pruned(value):
    """Empty objects dropped: the change list speaks of leaves, not of the maps that hold them."""
    if isinstance(value, dict):
        pruned = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v != {}}
    return value


# Values no stage should hold, where a stage holds something else: NaN and infinities, integers
# past 64 bits (and past Python's 4,300-digit limit), lists and objects where scalars go.
# HUGE stands for an integer of 5,000 digits, which Python refuses to write; _as_input puts it in.
HUGE = "<an integer of 5000 digits>"
wild_scalars = (st.none() | st.booleans() | st.integers() | st.integers(2**63, 2**300) | st.floats() | texts
                | st.sampled_from([math.nan, math.inf, -math.inf, 1e12, -1e12, 2**64, -(2**63) - 1, 0.1, -1, HUGE]))
wild_keys = texts | METHOD_KEYS | st.integers(-3, 3) | st.booleans() | st.none()
wild_values = st.recursive(
    wild_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(wild_keys, inner, max_size=3),
    max_leaves=6,
)
FIELDS = sorted(SHAPE.members)
METHOD_FIELDS = sorted(SHAPE.members["methodSettings"].value.members)
CANARY_FIELDS = sorted(SHAPE.members["canarySettings"].members)
LOG_FIELDS = sorted(SHAPE.members["accessLogSettings"].members)


@st.composite
def any_documents(draw):
    """A stage document from the model, then something wrong put somewhere: a wild value in a
    stage, method-entry (under any key shape), canary, access-log field or map, or a key that
    is not a string (YAML only: JSON keys are always strings)."""
    doc = json.loads(json.dumps(draw(stages)))
    value = draw(wild_values)
    where = draw(st.sampled_from(["stage", "method", "canary", "logs", "map", "key"]))
    if where == "stage":
        doc[draw(st.sampled_from(FIELDS + ["brandNewField"]))] = value
    elif where == "method":
        if not isinstance(doc.get("methodSettings"), dict):
            doc["methodSettings"] = {}
        entry = doc["methodSettings"].setdefault(draw(METHOD_KEYS), {})
        entry[draw(st.sampled_from(METHOD_FIELDS + ["brandNewField"]))] = value
    elif where == "canary":
        doc["canarySettings"] = {draw(st.sampled_from(CANARY_FIELDS + ["brandNewField"])): value}
    elif where == "logs":
        doc["accessLogSettings"] = {draw(st.sampled_from(LOG_FIELDS)): value}
    elif where == "map":
        field = draw(st.sampled_from(["variables", "tags", "methodSettings"]))
        doc[field] = value if draw(st.booleans()) else {draw(texts): value}
    else:
        field = draw(st.sampled_from(["variables", "tags", "methodSettings", "canarySettings"]))
        doc[field] = {draw(wild_keys): value if field != "methodSettings" else {}}
    return doc


def _as_input(doc, fmt: str) -> str:
    """JSON (NaN and Infinity as Python writes them) or YAML (non-string keys as YAML writes them)."""
    if fmt == "yaml":
        text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
        return text.replace(f"'{HUGE}'", "9" * 5000)
    return json.dumps(doc).replace(json.dumps(HUGE), "9" * 5000)


# The crash of issue 12.2 (`unhashable type: 'list'` in methods.describe), and a map where a
# string goes, under every key shape.
SEEDS = [{"stageName": "prod", "methodSettings": {"*/*": {"unauthorizedCacheControlHeaderStrategy": []}}},
         {"stageName": "prod", "methodSettings": {"*/*": {"unauthorizedCacheControlHeaderStrategy": {}}}}]
SEEDS += [{"stageName": "prod", "methodSettings": {"*/*": {"loggingLevel": "INFO"}, key: {
    "unauthorizedCacheControlHeaderStrategy": [], "loggingLevel": {}, "cacheTtlInSeconds": [1],
    "throttlingRateLimit": {}, "metricsEnabled": []}}} for key in KEY_SHAPES if key != "*/*"]
SEEDS += [{"stageName": "prod", "canarySettings": {"percentTraffic": math.nan}},
          {"stageName": "prod", "createdDate": 1e12, "variables": {"on": "x"}},
          {"stageName": "prod", "variables": {1: "x", False: "y"}},
          {"stageName": "prod", "methodSettings": {"*/*": {"throttlingBurstLimit": HUGE}}}]
ARGS = (("show",), ("settings",), ("settings", "-e"), ("canary",), ("vars", "-c"), ("check",))


def _given_seeds(test):
    for seed in reversed(SEEDS):
        for fmt in ("json", "yaml"):
            test = example(doc=seed, fmt=fmt)(test)
    return test


@settings()
@_given_seeds
@given(doc=any_documents(), fmt=st.sampled_from(["json", "yaml"]))
def test_any_document_is_shown_or_rejected_never_a_crash(doc, fmt, tmp_path_factory):
    """Any document, JSON or YAML: a table, json or yaml (exit 0, or 1 for check), or exit 2 with
    one line on stderr and nothing on stdout; never exit 70, never a traceback."""
    stdin = _as_input(doc, fmt)
    codes = set()
    for args in ARGS:
        for out in ("table", "json", "yaml"):
            result = run(*args, "-f", "-", "-o", out, stdin=stdin)
            assert result.exit_code in ((0, 1) if args == ("check",) else (0,)) + (2,), (args, out, result.stderr)
            assert "Traceback" not in result.stderr
            if result.exit_code == 2:
                assert result.stdout == "" and result.stderr.count("\n") == 1, (args, out, result.stderr)
                assert result.stderr.startswith("stage: error: ")
            elif out == "json":
                json.loads(result.stdout)  # valid JSON: no bare NaN
            assert _unsafe(result.stdout) == []
            codes.add(result.exit_code == 2)
    assert len(codes) == 1, "a document is rejected by every command or by none"
    path = tmp_path_factory.mktemp("any") / f"doc.{fmt}"
    path.write_text(stdin)
    for other in (str(path), EXAMPLE):
        result = run("diff", str(path), other, "-o", "json", stdin="")
        assert result.exit_code in (0, 1, 2), result.stderr
        if result.exit_code == 2:
            assert result.stdout == "" and result.stderr.count("\n") == 1
        table = run("diff", str(path), other, stdin="")
        assert table.exit_code == result.exit_code, table.stderr
        assert _unsafe(table.stdout) == []
