"""The real boto3 HTTP path against moto in server mode on 127.0.0.1."""

import json

import yaml


def test_show_json_matches_get_stage(invoke, petstore):
    import boto3

    result = invoke("show", petstore["api_id"], "prod", "-o", "json", "--endpoint-url", petstore["endpoint"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    expected = boto3.client("apigateway", endpoint_url=petstore["endpoint"]).get_stage(
        restApiId=petstore["api_id"], stageName="prod")
    expected.pop("ResponseMetadata")
    assert data == json.loads(json.dumps(expected, default=str))
    assert data["description"] == "Production <b>[bold]stage[/bold]"


def test_show_table_shows_markup_literally(invoke, petstore):
    result = invoke("show", petstore["api_id"], "prod", "--endpoint-url", petstore["endpoint"])
    assert result.exit_code == 0, result.stderr
    assert "Production <b>[bold]stage[/bold]" in result.stdout
    assert "lambdaAlias = live" in result.stdout
    # moto's entries: ~1pets/GET caches and ~1pets~1{petId}/GET logs at ERROR; ~1/GET equals */*.
    assert "2 of 3 method entries override them" in result.stdout


def test_endpoint_from_environment(invoke, petstore):
    result = invoke("vars", petstore["api_id"], "staging", "-o", "yaml", env={"AWS_ENDPOINT_URL": petstore["endpoint"]})
    assert result.exit_code == 0, result.stderr
    assert yaml.safe_load(result.stdout) == {"lambdaAlias": "beta"}


def test_settings_tree_decodes_paths(invoke, petstore):
    result = invoke("settings", petstore["api_id"], "prod", "--endpoint-url", petstore["endpoint"])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Stage defaults  */*" in out
    assert "/pets/{petId}" in out and "~1" not in out
    assert out.index("Stage defaults") < out.index("/pets")


def test_settings_json_is_method_settings(invoke, petstore):
    result = invoke("settings", petstore["api_id"], "prod", "-o", "json", "--endpoint-url", petstore["endpoint"])
    data = json.loads(result.stdout)
    assert set(data) == {"*/*", "~1pets/GET", "~1pets~1{petId}/GET", "~1/GET"}


def test_vars_and_canary_of_a_stage_without_canary(invoke, petstore):
    args = (petstore["api_id"], "staging", "--endpoint-url", petstore["endpoint"])
    canary = invoke("canary", *args)
    assert canary.exit_code == 0
    assert "Stage staging has no canary release." in canary.stdout
    assert invoke("canary", *args, "-o", "json").stdout.strip() == "null"
    assert yaml.safe_load(invoke("canary", *args, "-o", "yaml").stdout) is None
    variables = invoke("vars", *args)
    assert "lambdaAlias" in variables.stdout and "beta" in variables.stdout


def test_stage_without_variables(invoke, petstore):
    args = (petstore["api_id"], "preprod", "--endpoint-url", petstore["endpoint"])
    assert "has no stage variables" in invoke("vars", *args).stdout
    assert json.loads(invoke("vars", *args, "-o", "json").stdout) == {}


def test_missing_stage_is_exit_3_with_closest_first(invoke, petstore):
    result = invoke("show", petstore["api_id"], "prd", "--endpoint-url", petstore["endpoint"])
    assert result.exit_code == 3
    assert result.stdout == ""
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1
    assert "no stage 'prd'" in line
    assert line.index("prod") < line.index("preprod") < line.index("staging")


def test_missing_api_is_exit_3(invoke, petstore):
    result = invoke("show", "nosuchapi1", "prod", "--endpoint-url", petstore["endpoint"])
    assert result.exit_code == 3
    assert "no REST API 'nosuchapi1'" in result.stderr
    assert result.stdout == ""


def test_invalid_stage_name_is_exit_2(invoke, petstore):
    for name in ("has space", "x" * 129, "semi;colon", "émoji"):
        result = invoke("show", petstore["api_id"], name, "--endpoint-url", petstore["endpoint"])
        assert result.exit_code == 2, name
        assert "cannot be a stage name" in result.stderr


def test_options_work_after_the_subcommand(invoke, petstore):
    result = invoke("show", petstore["api_id"], "prod", "-o", "json", "--region", "us-east-1",
                    "--endpoint-url", petstore["endpoint"], "--no-color", "--timeout", "3")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["stageName"] == "prod"


def test_other_region_has_no_such_api(invoke, petstore):
    result = invoke("show", petstore["api_id"], "prod", "--region", "eu-west-3", "--endpoint-url", petstore["endpoint"])
    assert result.exit_code == 3
    assert "eu-west-3" in result.stderr
