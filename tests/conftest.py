"""Shared fixtures: fake credentials, a moto server and a wire-format fixture, all on 127.0.0.1."""

import os
import shutil
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from tests.wire import WireServer

HERE = os.path.dirname(__file__)
ROOT = os.path.dirname(HERE)
EXAMPLE = os.path.join(ROOT, "examples", "prod-stage.json")
CLEAN_VARS = (
    "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_API_GATEWAY",
    "STAGE_OUTPUT", "NO_COLOR", "FORCE_COLOR", "COLUMNS", "STAGE_COMPLETE_CACHE_TTL",
    "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
)

# Property tests: the README's test command runs a fixed, bounded, derandomized profile so that it
# passes or fails the same way on every machine; `HYPOTHESIS_PROFILE=fuzz python -m pytest
# tests/test_properties.py` explores with random seeds and many more examples (README, Development).
settings.register_profile("ci", derandomize=True, max_examples=40, deadline=None, database=None,
                          print_blob=True, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", derandomize=False, max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Set by .ci/run: there a test that needs zsh, fish or groff fails when the program is missing,
# instead of skipping as it does on a contributor's machine.
REQUIRE_PROGRAMS = os.environ.get("STAGE_REQUIRE_PROGRAMS") == "1"


def need_program(name: str) -> str:
    """The path of `name`; without it, skip (fail under STAGE_REQUIRE_PROGRAMS=1, as in CI)."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (.ci/run installs it)"
        if REQUIRE_PROGRAMS:
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(autouse=True)
def fake_aws(tmp_path, monkeypatch):
    """Never real AWS: fake keys, empty config files, no instance metadata, a private cache."""
    for name in CLEAN_VARS:
        monkeypatch.delenv(name, raising=False)
    config = tmp_path / "aws-config"
    creds = tmp_path / "aws-credentials"
    config.write_text("")
    creds.write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(creds))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAFAKEFAKEFAKE1234")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "fake-secret-never-printed")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def invoke(runner):
    """Run `stage ARGS` in-process; stdout and stderr are kept apart."""
    from apigw_stage.cli import app

    def run(*args, input=None, env=None):
        return runner.invoke(app, [str(a) for a in args], input=input, env=env, catch_exceptions=False)

    return run


@pytest.fixture(scope="session")
def moto_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def _client(endpoint, region="us-east-1"):
    import boto3

    return boto3.client(
        "apigateway", endpoint_url=endpoint, region_name=region,
        aws_access_key_id="AKIAFAKEFAKEFAKE1234", aws_secret_access_key="fake-secret-never-printed",
    )


@pytest.fixture(scope="session")
def petstore(moto_server):
    """A REST API with a resource tree, a deployment and two stages, seeded in moto."""
    client = _client(moto_server)
    api = client.create_rest_api(name="petstore", description="Pet Store")
    api_id = api["id"]
    root = client.get_resources(restApiId=api_id)["items"][0]["id"]
    pets = client.create_resource(restApiId=api_id, parentId=root, pathPart="pets")["id"]
    pet = client.create_resource(restApiId=api_id, parentId=pets, pathPart="{petId}")["id"]
    for resource in (root, pets, pet):
        client.put_method(restApiId=api_id, resourceId=resource, httpMethod="GET", authorizationType="NONE")
        client.put_integration(restApiId=api_id, resourceId=resource, httpMethod="GET", type="MOCK")
    deployment = client.create_deployment(restApiId=api_id, stageName="prod", description="first")["id"]
    client.update_stage(restApiId=api_id, stageName="prod", patchOperations=[
        {"op": "replace", "path": "/description", "value": "Production <b>[bold]stage[/bold]"},
        {"op": "replace", "path": "/tracingEnabled", "value": "true"},
        {"op": "replace", "path": "/variables/lambdaAlias", "value": "live"},
        {"op": "replace", "path": "/variables/region", "value": "us-east-1"},
        {"op": "replace", "path": "/*/*/logging/loglevel", "value": "INFO"},
        {"op": "replace", "path": "/*/*/metrics/enabled", "value": "true"},
        {"op": "replace", "path": "/~1pets/GET/caching/enabled", "value": "true"},
        {"op": "replace", "path": "/~1pets/GET/logging/loglevel", "value": "INFO"},
        {"op": "replace", "path": "/~1pets/GET/metrics/enabled", "value": "true"},
        {"op": "replace", "path": "/~1pets~1{petId}/GET/logging/loglevel", "value": "ERROR"},
        {"op": "replace", "path": "/~1pets~1{petId}/GET/metrics/enabled", "value": "true"},
        {"op": "replace", "path": "/~1/GET/logging/loglevel", "value": "INFO"},
        {"op": "replace", "path": "/~1/GET/metrics/enabled", "value": "true"},
    ])
    client.create_stage(restApiId=api_id, stageName="staging", deploymentId=deployment,
                        variables={"lambdaAlias": "beta"}, tags={"env": "staging"})
    client.create_stage(restApiId=api_id, stageName="preprod", deploymentId=deployment)
    return {"endpoint": moto_server, "api_id": api_id, "deployment": deployment}


@pytest.fixture
def wire():
    """A loopback API Gateway speaking the wire format, for what moto lacks and for faults."""
    server = WireServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def stage_exe():
    """The installed console script, for subprocess tests of exit codes, pipes and signals."""
    exe = shutil.which("stage", path=os.path.dirname(sys.executable)) or shutil.which("stage")
    if exe is None:
        pytest.fail("the `stage` console script is not installed (pip install -e '.[test]')")
    return exe


def run_stage(exe, *args, env=None, timeout=60, input=None):
    full_env = dict(os.environ)
    full_env.update(env or {})
    started = time.monotonic()
    proc = subprocess.run([exe, *map(str, args)], capture_output=True, text=True, env=full_env,
                          timeout=timeout, input=input)
    proc.elapsed = time.monotonic() - started
    return proc


def _seed_inventory(client, variables: dict, tracing: str) -> dict:
    api_id = client.create_rest_api(name="inventory", description="Inventory")["id"]
    root = client.get_resources(restApiId=api_id)["items"][0]["id"]
    items = client.create_resource(restApiId=api_id, parentId=root, pathPart="items")["id"]
    client.put_method(restApiId=api_id, resourceId=items, httpMethod="GET", authorizationType="NONE")
    client.put_integration(restApiId=api_id, resourceId=items, httpMethod="GET", type="MOCK")
    deployment = client.create_deployment(restApiId=api_id, stageName="prod", variables=variables)["id"]
    client.update_stage(restApiId=api_id, stageName="prod", patchOperations=[
        {"op": "replace", "path": "/tracingEnabled", "value": tracing},
        {"op": "replace", "path": "/*/*/logging/loglevel", "value": "ERROR"},
        {"op": "replace", "path": "/*/*/throttling/rateLimit", "value": "100"},
        {"op": "replace", "path": "/~1items/GET/logging/dataTrace", "value": "true"},
    ])
    return {"id": api_id, "deployment": deployment}


@pytest.fixture(scope="session")
def fleet(moto_server):
    """Several APIs for names, lists and diffs, in regions the petstore fixture does not use:
    us-west-2 has two APIs named "orders" and one "inventory" (stages prod, staging, dev);
    eu-west-1 has another "inventory" whose prod differs in one variable and X-Ray."""
    west = _client(moto_server, "us-west-2")
    orders = [west.create_rest_api(name="orders")["id"] for _ in range(2)]
    inventory = _seed_inventory(west, {"table": "items", "tier": "gold"}, "true")
    west.create_stage(restApiId=inventory["id"], stageName="staging", deploymentId=inventory["deployment"],
                      variables={"table": "items-staging", "tier": "gold"}, tags={"env": "staging"})
    west.create_stage(restApiId=inventory["id"], stageName="dev", deploymentId=inventory["deployment"])
    europe = _seed_inventory(_client(moto_server, "eu-west-1"), {"table": "items", "tier": "silver"}, "false")
    return {"endpoint": moto_server, "orders": orders, "inventory": inventory["id"], "europe": europe["id"]}
