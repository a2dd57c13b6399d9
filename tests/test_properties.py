"""Property tests: Stage documents generated from botocore's own service model (the Stage shape),
hostile strings included, through every command and format.

For each document: exit 0 (check: 0 or 1), json parses to exactly the input (timestamps as RFC
3339 UTC), yaml safe-loads to the same data, and no table carries a control, bidi or zero-width
character from the input.
"""

import json
import unicodedata
from datetime import datetime, timezone

import botocore.session
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from apigw_stage.cli import app
from apigw_stage.render.data import rfc3339
from tests.docs import HOSTILE, WIDE

SHAPE = botocore.session.get_session().get_service_model("apigateway").shape_for("Stage")
TIMESTAMPS = ("createdDate", "lastUpdatedDate")
METHOD_KEYS = st.sampled_from(["*/*", "~1/GET", "~1pets/GET", "~1pets~1{petId}/DELETE", "~1a~0b/POST", "~1pets/*", "odd", "x/y/z"])

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
    if kind in ("integer", "long"):
        return st.integers(-(2**31), 2**31 - 1)
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


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=6,
)
FIELDS = sorted(SHAPE.members)
METHOD_FIELDS = sorted(SHAPE.members["methodSettings"].value.members)
CANARY_FIELDS = sorted(SHAPE.members["canarySettings"].members)


@settings()
@given(doc=stages, where=st.sampled_from(["stage", "method", "canary"]), data=st.data())
def test_wrong_types_anywhere_are_shown_or_rejected_never_a_crash(doc, where, data):
    """Any JSON value in any field: a table, or exit 2 with one line; never exit 70."""
    doc = json.loads(json.dumps(doc))
    value = data.draw(json_values)
    if where == "stage":
        doc[data.draw(st.sampled_from(FIELDS))] = value
    elif where == "method":
        entry = doc.setdefault("methodSettings", {}) if isinstance(doc.get("methodSettings"), dict) else {}
        entry.setdefault("*/*", {})[data.draw(st.sampled_from(METHOD_FIELDS))] = value
    else:
        doc["canarySettings"] = {data.draw(st.sampled_from(CANARY_FIELDS)): value}
    stdin = json.dumps(doc)
    for args in (("show",), ("settings",), ("settings", "-e"), ("canary",), ("vars", "-c"), ("check",)):
        for fmt in ("table", "json"):
            result = run(*args, "-f", "-", "-o", fmt, stdin=stdin)
            assert result.exit_code in (0, 1, 2), (args, result.stderr)
            if result.exit_code == 2:
                assert result.stdout == "" and len(result.stderr.splitlines()) == 1
            assert _unsafe(result.stdout) == []
