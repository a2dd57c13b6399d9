"""`stage list`, and APIs named by name wherever an id is accepted (moto and the wire fixture)."""

import json

import pytest
import yaml

from tests.docs import wire_stage

WEST = ("--region", "us-west-2")


def moto(fleet, *args):
    return (*args, "--endpoint-url", fleet["endpoint"], *WEST)


def test_list_by_id_is_one_table_row_per_stage(invoke, fleet):
    result = invoke("list", *moto(fleet, fleet["inventory"]), env={"COLUMNS": "160"})  # every column
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"Stages of {fleet['inventory']}  3 stages"
    assert lines[1].split("┃")[3:] == [" Canary ", " Cache ", " X-Ray ", " WAF ", " Logging ", " Overrides"]
    rows = {cells[0]: cells for cells in ([c.strip() for c in line.split("│")] for line in lines[3:])}
    assert sorted(rows) == ["dev", "prod", "staging"]
    # prod: X-Ray on, logging ERROR, its one method entry overrides the defaults (data trace).
    assert rows["prod"][1:] == [rows["dev"][1], "—", "—", "off", "on", "no", "ERROR", "1 of 1"]
    assert rows["dev"][3:] == ["—", "off", "off", "no", "OFF", "—"]
    assert result.stderr == ""


def test_list_json_and_yaml_are_the_stage_documents(invoke, fleet):
    data = json.loads(invoke("list", *moto(fleet, fleet["inventory"]), "-o", "json").stdout)
    assert [d["stageName"] for d in data] == ["dev", "prod", "staging"]
    assert data[2]["variables"] == {"table": "items-staging", "tier": "gold"}
    assert "ResponseMetadata" not in data[0]
    assert yaml.safe_load(invoke("list", *moto(fleet, "inventory"), "-o", "yaml").stdout) == data
    query = invoke("list", *moto(fleet, "inventory"), "--query", "[?tracingEnabled].stageName")
    assert json.loads(query.stdout) == ["prod"]


def test_api_given_by_unique_name(invoke, fleet):
    result = invoke("show", *moto(fleet, "inventory", "staging"), "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["variables"]["table"] == "items-staging"
    table = invoke("vars", *moto(fleet, "inventory", "staging")).stdout
    assert f"API inventory ({fleet['inventory']})" in table.splitlines()[0]


def test_ambiguous_name_is_usage_error_listing_ids(invoke, fleet):
    result = invoke("show", *moto(fleet, "orders", "prod"))
    assert result.exit_code == 2
    assert result.stdout == ""
    line = result.stderr.strip()
    assert "\n" not in line
    assert "2 REST APIs are named 'orders' in us-west-2" in line
    for api_id in fleet["orders"]:
        assert f"orders ({api_id})" in line


def test_unknown_name_is_not_found_with_close_matches(invoke, fleet):
    result = invoke("list", *moto(fleet, "invetnory"))
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.startswith("stage: error: no REST API 'invetnory' in us-west-2 (closest: inventory (")


def test_name_in_another_region_resolves_there(invoke, fleet):
    result = invoke("show", "inventory", "prod", "--endpoint-url", fleet["endpoint"], "--region", "eu-west-1", "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["variables"]["tier"] == "silver"


@pytest.fixture
def named(wire):
    wire.stages[("k2xq9dabcd", "prod")] = wire_stage()
    wire.stages[("k2xq9dabcd", "dev")] = wire_stage(stageName="dev")
    wire.apis = [{"id": f"zz{n:08d}", "name": f"api-{n}"} for n in range(7)]
    wire.apis.insert(3, {"id": "k2xq9dabcd", "name": "petstore"})
    wire.page_size = 3
    return wire


def test_an_id_costs_no_lookup(invoke, named):
    assert invoke("show", "k2xq9dabcd", "prod", "--endpoint-url", named.url).exit_code == 0
    assert invoke("list", "k2xq9dabcd", "--endpoint-url", named.url).exit_code == 0
    # show's table adds GetDomainNames for the stage's custom-domain URLs (issue 24); no name lookup.
    assert named.requests == ["/restapis/k2xq9dabcd/stages/prod", "/domainnames?limit=500", "/restapis/k2xq9dabcd/stages"]


def test_a_name_reads_every_page_then_one_call(invoke, named):
    named.apis.append({"id": "yy00000000", "name": "last-page-api"})
    named.stages[("yy00000000", "prod")] = wire_stage(description="from the last page")
    result = invoke("show", "last-page-api", "prod", "--endpoint-url", named.url, "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["description"] == "from the last page"
    assert named.requests == [
        "/restapis?limit=500", "/restapis?limit=500&position=3", "/restapis?limit=500&position=6",
        "/v2/apis",  # a name is looked up in both families: one shared across them is ambiguous
        "/restapis/yy00000000/stages/prod",
    ]


def test_an_id_like_name_is_tried_as_id_then_as_name(invoke, named):
    named.apis.append({"id": "qq00000000", "name": "inventory1"})
    named.stages[("qq00000000", "prod")] = wire_stage(description="found by name")
    result = invoke("show", "inventory1", "prod", "--endpoint-url", named.url, "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["description"] == "found by name"
    assert named.requests[:2] == ["/restapis/inventory1/stages/prod", "/restapis/inventory1/stages"]
    assert named.requests[-1] == "/restapis/qq00000000/stages/prod"


def test_missing_id_like_api_is_not_found(invoke, named):
    result = invoke("list", "nosuchapi9", "--endpoint-url", named.url)
    assert result.exit_code == 3
    assert result.stderr.startswith("stage: error: no REST API 'nosuchapi9' in us-east-1 (")


def test_list_of_an_api_without_stages(invoke, wire):
    wire.apis = [{"id": "e0e0e0e0e0", "name": "empty"}]
    wire.script = [(200, {}, b'{"item": []}')]
    result = invoke("list", "e0e0e0e0e0", "--endpoint-url", wire.url)
    assert result.exit_code == 0
    assert result.stdout.strip() == "No stages in API e0e0e0e0e0."
    wire.script = [(200, {}, b'{"item": []}')]
    assert json.loads(invoke("list", "e0e0e0e0e0", "--endpoint-url", wire.url, "-o", "json").stdout) == []


@pytest.mark.parametrize("bad", ["", "  ", "bad\x1bname"])
def test_list_rejects_unusable_api_words(invoke, bad):
    result = invoke("list", bad)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "is neither a REST API id nor a name" in result.stderr


def test_swapped_api_and_stage_get_a_hint(invoke, fleet):
    """`stage show prod inventory`: prod is a stage of the API inventory, so say so (exit 3)."""
    result = invoke("show", *moto(fleet, "prod", "inventory"))
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.startswith("stage: error: no REST API 'prod'")
    assert result.stderr.rstrip().endswith("API comes first, then STAGE: did you mean `inventory prod`?)")


def test_swapped_with_an_api_id_second_gets_a_hint(invoke, fleet):
    result = invoke("vars", *moto(fleet, "prod", fleet["inventory"]))
    assert result.exit_code == 3
    assert f"did you mean `{fleet['inventory']} prod`?" in result.stderr


def test_no_swap_hint_when_the_second_word_is_no_api_with_that_stage(invoke, fleet):
    result = invoke("show", *moto(fleet, "prod", "nosuchapi"))
    assert result.exit_code == 3
    assert "did you mean" not in result.stderr
    result = invoke("show", *moto(fleet, "qa", "inventory"))  # inventory has no stage qa
    assert result.exit_code == 3 and "did you mean" not in result.stderr


def _deny_v2(wire):
    """A caller allowed apigateway:GET on /restapis but not on /apis (IAM answers 403)."""
    from tests.wire import error

    plain = wire.answer

    def answer(path):
        if path.startswith("/v2/"):
            return error(403, "AccessDeniedException", "User is not authorized to perform: apigateway:GET")
        return plain(path)

    wire.answer = answer


def test_no_v2_rights_still_resolve_rest_names(invoke, named):
    _deny_v2(named)
    result = invoke("show", "petstore", "prod", "--endpoint-url", named.url, "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["stageName"] == "prod"


def test_no_v2_rights_a_mistyped_id_is_still_not_found(invoke, named):
    _deny_v2(named)
    result = invoke("show", "k2xq9dabce", "prod", "--endpoint-url", named.url)
    assert result.exit_code == 3, result.stderr
    assert result.stderr.startswith("stage: error: no ") and result.stdout == ""


def test_no_v2_rights_with_family_v2_is_an_auth_error(invoke, named):
    _deny_v2(named)
    result = invoke("show", "petstore", "prod", "--family", "v2", "--endpoint-url", named.url)
    assert result.exit_code == 4


def test_list_of_a_file_is_titled_from_the_file(invoke):
    from tests.conftest import EXAMPLE

    result = invoke("list", "--file", EXAMPLE)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"Stages from {EXAMPLE}  1 stage"
