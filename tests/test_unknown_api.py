"""Issue 19, item 12: an unknown API id costs at most 2 calls before the not-found answer (was 7,
GetRestApis twice). The stub answers in the service's words: a missing API is "Invalid API
identifier specified ACCOUNT:ID" from both apigateway and apigatewayv2 (as quoted in
aws/aws-sam-cli#7030), a missing stage "Invalid stage identifier specified"."""

import json

import pytest

from tests.docs import wire_stage
from tests.test_stage_names import _Unquoting
from tests.test_v2_wire import HTTP_ID, HTTP_PROD, REST_ID
from tests.wire import error

UNKNOWN = "zz9plural9"


class RealWords(_Unquoting):
    """REST answers that tell a missing API from a missing stage, as the service does."""

    def answer(self, path):
        route = path.partition("?")[0]
        if route.startswith("/restapis/") and not self.script:
            api = route.split("/")[2]
            if not any(a == api for a, _ in self.stages):
                return error(404, "NotFoundException", f"Invalid API identifier specified 123456789012:{api}")
        if route.startswith("/v2/apis/") and not self.script:
            api = route.split("/")[3]
            if not any(a["apiId"] == api for a in self.v2apis):
                return error(404, "NotFoundException", f"Invalid API identifier specified 123456789012:{api}")
        return super().answer(path)


@pytest.fixture
def stub(monkeypatch):
    server = RealWords()
    server.v2apis = [{"apiId": HTTP_ID, "name": "pets", "protocolType": "HTTP"}]
    server.v2stages = {(HTTP_ID, "prod"): HTTP_PROD}
    server.stages[(REST_ID, "prod")] = wire_stage()
    server.apis = [{"id": REST_ID, "name": "orders"}]
    server.start()
    monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)
    yield server
    server.stop()


@pytest.mark.parametrize("command", ["show", "settings", "vars", "canary", "check"])
def test_unknown_id_is_exit_3_after_two_calls(invoke, stub, command):
    result = invoke(command, UNKNOWN, "prod")
    assert result.exit_code == 3 and result.stdout == "" and result.stderr.count("\n") == 1, result.stderr
    assert UNKNOWN in result.stderr and "--region" in result.stderr
    assert len(stub.requests) <= 2, stub.requests
    assert not any(r.startswith("/restapis?") or r == "/restapis" or r.startswith("/v2/apis?") or r == "/v2/apis"
                   for r in stub.requests), stub.requests


def test_unknown_id_for_default_is_one_call(invoke, stub):
    result = invoke("show", UNKNOWN, "$default")
    assert result.exit_code == 3 and len(stub.requests) == 1, stub.requests


def test_swapped_words_still_get_the_hint_without_a_call_more(invoke, stub):
    result = invoke("show", "prod", REST_ID)
    assert result.exit_code == 3
    assert f"did you mean `{REST_ID} prod`?" in result.stderr


def test_a_missing_stage_of_a_known_api_still_names_its_stages(invoke, stub):
    result = invoke("show", REST_ID, "prdo")
    assert result.exit_code == 3 and "stages: prod" in result.stderr
    result = invoke("show", HTTP_ID, "prdo")
    assert result.exit_code == 3 and "stages: prod" in result.stderr


def test_known_stages_cost_what_they_did(invoke, stub):
    assert invoke("show", REST_ID, "prod", "-o", "json").exit_code == 0
    assert stub.requests == [f"/restapis/{REST_ID}/stages/prod"]
    stub.requests.clear()
    result = invoke("show", HTTP_ID, "prod", "-o", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["stageName"] == "prod"
    # REST said the API is not there: no REST GetStages before the v2 GetStage and GetApi.
    assert stub.requests == [f"/restapis/{HTTP_ID}/stages/prod", f"/v2/apis/{HTTP_ID}/stages/prod", f"/v2/apis/{HTTP_ID}"]


def test_names_still_resolve(invoke, stub):
    assert invoke("show", "orders", "prod", "-o", "json").exit_code == 0
    assert invoke("show", "pets", "prod", "-o", "json").exit_code == 0
