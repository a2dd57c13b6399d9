"""Tables at 60, 80, 100 and 160 columns (issue 12.3, 12.4, 12.6): no line wider than the
terminal, no identifier split across lines, with the bundled example and the AWS CLI's own example
answers (awscli/examples/apigateway/get-stage.rst and get-stages.rst, real service output).
`settings` and `check` are engineer E's tables and get their own width tests."""

import json
import os
import re

import pytest
from rich.cells import cell_len

from tests.conftest import EXAMPLE
from tests.docs import wire_stage

WIDTHS = [60, 80, 100, 160]


def aws_cli_example(name: str) -> dict:
    import awscli

    rst = os.path.join(os.path.dirname(awscli.__file__), "examples", "apigateway", name)
    return json.loads(open(rst).read().split("Output::", 1)[1])


@pytest.fixture
def documents(tmp_path):
    """The bundled example, get-stage.rst's dev and get-stages.rst's dev, as files."""
    paths = {}
    for name, doc in (("prod-stage", json.load(open(EXAMPLE))),
                      ("aws-cli-example-get-stage-dev", aws_cli_example("get-stage.rst")),
                      ("aws-cli-example-get-stages-dev", aws_cli_example("get-stages.rst")["item"][0])):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(doc))
        paths[name] = str(path)
    return paths


def identifiers(doc: dict, command: tuple) -> list[str]:
    """What a reader copies and greps for in each table: names, ids, ARN tokens."""
    canary = doc.get("canarySettings") or {}
    variables = list(doc.get("variables") or {})
    overrides = list(canary.get("stageVariableOverrides") or {})
    if command == ("show",):
        arns = (doc.get("webAclArn"), (doc.get("accessLogSettings") or {}).get("destinationArn"))
        tokens = [token for arn in arns for token in re.split("[:/]", arn or "") if token]
        return [doc["stageName"], doc["deploymentId"], *variables[:12], *tokens, *([canary["deploymentId"]] if canary else [])]
    if command == ("canary",):
        return [doc["stageName"], *([doc["deploymentId"], canary["deploymentId"], *variables, *overrides] if canary else [])]
    return [doc["stageName"], *variables, *(overrides if "--canary" in command else [])]


def assert_fits_and_whole(out: str, width: int, words: list[str]) -> None:
    lines = out.splitlines()
    assert lines
    # Issue 19 item 9: a word too long for any line (an ARN, a path) has a line of its own, whole
    # (before, it was broken after its `/` and `:`); every other line fits.
    assert all(cell_len(line) <= width or len(line.split()) <= 2 for line in lines)
    for word in words:
        assert any(word in line for line in lines), f"{word!r} split across lines at {width} columns"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("command", [("show",), ("canary",), ("vars",), ("vars", "--canary")])
@pytest.mark.parametrize("name", ["prod-stage", "aws-cli-example-get-stage-dev", "aws-cli-example-get-stages-dev"])
def test_tables_fit_and_keep_identifiers_whole(invoke, documents, name, command, width):
    doc = json.load(open(documents[name]))
    result = invoke(*command, "-f", documents[name], env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.stderr
    assert_fits_and_whole(result.stdout, width, identifiers(doc, command))


@pytest.mark.parametrize("width", WIDTHS)
def test_list_fits_and_keeps_names_and_deployments_whole(invoke, wire, width):
    """Before: `canarie|d`, `kgffwjl|7qi` and `Overr…` at 80 columns."""
    stages = {"prod": "k2xq9d", "canaried": "kgffwjl7qi", "staging-eu-west-1": "x9f3kq2m7p", "dev": "rbh1fj"}
    for stage, deployment in stages.items():
        wire.stages[("a1b2c3d4e5", stage)] = wire_stage(stageName=stage, deploymentId=deployment)
    result = invoke("list", "a1b2c3d4e5", "--endpoint-url", wire.url, env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.stderr
    assert_fits_and_whole(result.stdout, width, [*stages, *stages.values()])
    assert "…" not in result.stdout  # no header or cell cut short
    lines = result.stdout.splitlines()
    header = next((line for line in lines if "┃" in line), None)
    if width >= 160:  # everything fits
        assert [h.strip() for h in header.split("┃")] == [
            "Stage", "Deployment", "Last updated", "Canary", "Cache", "X-Ray", "WAF", "Logging", "Overrides"]
    elif width == 80:  # the switches go first, and the table says so
        assert [h.strip() for h in header.split("┃")] == [
            "Stage", "Deployment", "Canary", "Logging", "Overrides"]
        assert lines[-1] == "not shown at this width: Last updated, Cache, X-Ray, WAF (-o json has all)"
    for stage, deployment in stages.items():
        row = next(line for line in lines if line.split("│")[0].strip() == stage) if header else None
        assert row is None or deployment in row


def test_list_stacks_below_the_width_of_its_identifiers(invoke, wire):
    wire.stages[("a1b2c3d4e5", "prod")] = wire_stage(stageName="prod", deploymentId="k2xq9d")
    lines = invoke("list", "a1b2c3d4e5", "--endpoint-url", wire.url, env={"COLUMNS": "40"}).stdout.splitlines()
    assert lines[1:4] == ["prod", "  Deployment    k2xq9d", "  Last updated  2024-11-27T09:33:20Z"]
    assert "  Overrides     5 of 6" in lines


@pytest.mark.parametrize("width", WIDTHS)
def test_diff_of_the_aws_cli_examples(invoke, documents, width):
    """Before, at 80-100 columns setting names wrapped to column 0 ("rate", "burst") and the file
    names in the header split mid-word. Now names never split and each row stays readable."""
    left, right = documents["aws-cli-example-get-stage-dev"], documents["aws-cli-example-get-stages-dev"]
    result = invoke("diff", left, right, env={"COLUMNS": str(width)})
    assert result.exit_code == 1, result.stderr
    names = ["Stage defaults", "GET /resource", "POST /resource/subresource", "Throttling rate",
             "Throttling burst", "Cache invalidation", "Unauthorised invalidation", "cacheClusterStatus",
             "deploymentId", "rbh1fj", "123h64"]
    assert_fits_and_whole(result.stdout, width, [*names, os.path.basename(left), os.path.basename(right)])
    lines = result.stdout.splitlines()
    groups = {"Settings", "Method settings", "Cache"}
    # Only the heading and the group labels start at column 0: nothing reads like a heading.
    assert [line for line in lines[1:] if not line.startswith(" ")] == [g for g in ("Settings", "Method settings", "Cache") if g in groups]
    assert lines.count("Method settings") == 1
    if width >= 100:
        assert any(line.split() == ["GET", "/resource", "Throttling", "rate", "500", "requests/s", "→", "(absent)"] for line in lines)
    else:
        # Stacked: the name on its line, `old → new` indented under it.
        at = lines.index("  GET /resource  Throttling rate")
        assert lines[at + 1] == "    500 requests/s → (absent)"


def test_diff_header_names_both_files_on_one_line_when_they_fit(invoke, documents):
    left, right = documents["aws-cli-example-get-stage-dev"], documents["aws-cli-example-get-stages-dev"]
    first = invoke("diff", left, right, env={"COLUMNS": "300"}).stdout.splitlines()[0]
    assert first == f"Differences {left} → {right}  33 changes"
    narrow = invoke("diff", left, right, env={"COLUMNS": "80"}).stdout.splitlines()
    assert narrow[:3] == ["Differences  33 changes", f"  from {left}", f"  to   {right}"] or len(left) > 70


def test_one_change_is_singular(invoke, tmp_path):
    left, right = tmp_path / "a.json", tmp_path / "b.json"
    left.write_text(json.dumps(wire_stage()))
    right.write_text(json.dumps(wire_stage(description="other")))
    assert invoke("diff", left, right, env={"COLUMNS": "300"}).stdout.splitlines()[0].endswith("  1 change")


@pytest.mark.parametrize("settings, line", [
    ({"*/*": {"loggingLevel": "ERROR"}, "~1a/GET": {"loggingLevel": "ERROR"}}, "the 1 method entry does not override them"),
    ({"*/*": {"loggingLevel": "ERROR"}, "~1a/GET": {"loggingLevel": "INFO"}}, "the 1 method entry overrides them"),
    ({"*/*": {"loggingLevel": "ERROR"}, "~1a/GET": {"loggingLevel": "ERROR"}, "~1b/GET": {"loggingLevel": "ERROR"}},
     "none of the 2 method entries override them"),
    ({"*/*": {"loggingLevel": "ERROR"}, "~1a/GET": {"loggingLevel": "INFO"}, "~1b/GET": {"loggingLevel": "ERROR"}},
     "1 of 2 method entries overrides them"),
])
def test_method_entry_counts_are_grammatical(invoke, tmp_path, settings, line):
    """Before: "0 of 1 method entry override them" (issue 12.13)."""
    path = tmp_path / "s.json"
    path.write_text(json.dumps(wire_stage(methodSettings=settings)))
    out = invoke("show", "-f", path, env={"COLUMNS": "160"}).stdout
    assert any(row.strip() == line for row in out.splitlines()), out


def test_one_variable_override_is_singular(invoke, tmp_path):
    doc = wire_stage()
    doc["canarySettings"]["stageVariableOverrides"] = {"lambdaAlias": "canary"}
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    assert "· 1 variable override\n" in invoke("show", "-f", path, env={"COLUMNS": "160"}).stdout


def test_unknown_canary_and_access_log_fields_are_shown(invoke, tmp_path):
    """Fields the botocore model does not have (issue 12.14) show under Other fields, like
    top-level ones; before, they were dropped from show and canary."""
    doc = wire_stage()
    doc["canarySettings"]["futureCanaryField"] = {"mode": "shadow"}
    doc["accessLogSettings"]["futureLogField"] = True
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    show = invoke("show", "-f", path, env={"COLUMNS": "160"}).stdout.splitlines()
    assert '  accessLogSettings.futureLogField  yes' in show
    assert '  canarySettings.futureCanaryField  {"mode": "shadow"}' in show
    canary = invoke("canary", "-f", path, env={"COLUMNS": "160"}).stdout.splitlines()
    assert '  futureCanaryField  {"mode": "shadow"}' in canary


def test_known_nested_fields_are_the_service_models():
    from apigw_stage.render.tables import ACCESS_LOG_FIELDS, CANARY_FIELDS
    from botocore.loaders import Loader

    shapes = Loader().load_service_model("apigateway", "service-2")["shapes"]
    assert set(CANARY_FIELDS) == set(shapes["CanarySettings"]["members"])
    assert set(ACCESS_LOG_FIELDS) == set(shapes["AccessLogSettings"]["members"])


def test_long_values_are_cut_with_a_marker_and_json_keeps_them(invoke, tmp_path):
    """A 2 MB description: the table shows the start and how much more (issue 13.10); json has it all."""
    description = "lorem ipsum " * (2 * 2**20 // 12)
    path = tmp_path / "big.json"
    path.write_text(json.dumps(wire_stage(description=description)))
    out = invoke("show", "-f", path, env={"COLUMNS": "80"}).stdout
    assert "… 2.0 MB more, see -o json" in out
    assert len(out.splitlines()) < 60
    assert json.loads(invoke("show", "-f", path, "-o", "json").stdout)["description"] == description
