"""STAGE.5's secret shapes (issue 20.13), from well-kept scanners' rules (views/secrets.py names
them): every shape is flagged, every look-alike is not, and a fleet `check` prints no flagged
value in any format. Stage variable values may hold letters, digits and -._~:/?#&=, (the
service's rule); file and v2 values may hold more, so spaces appear in a few shapes."""

import base64
import json
import re

import pytest

from apigw_stage.views.secrets import NOT_PRINTED, looks_like
from tests.fleetwire import FleetServer

BASIC = base64.b64encode(b"admin:Sup3rS3cret").decode()

# (variable name, value): each must be flagged. Values are made up for the test.
SHAPES = [
    ("backendUrl", "https://api.example.com/v1?user=admin&password=Tr0ub4dor3"),
    ("backendUrl", "https://api.example.com/v1?pwd=hunter22"),
    ("backendUrl", "https://db.example.com/q?db_password=pa55w0rd&x=1"),
    ("callback", "https://hooks.example.com/in?api_key=9a8b7c6d5e4f"),
    ("callback", "https://hooks.example.com/in?access_token=ya29a0AfH6SMBx"),
    ("callback", "https://hooks.example.com/in;client_secret=Zx81kQ0p"),
    ("blobUrl", "https://acct.blob.core.windows.net/c/f?sv=2021-08-06&sig=Q2h1bmsK0XyZ%3D"),
    ("presigned", "https://b.s3.amazonaws.com/k?X-Amz-Credential=AKID%2F2024&X-Amz-Signature=4f2c9a1b7e"),
    ("pwd", "hunter2hunter2"),
    ("DB_PWD", "s3cr3tPassw0rd"),
    ("dbPwd", "s3cr3tPassw0rd"),
    ("MYSQL_PASS", "s3cr3tPassw0rd"),
    ("db_pw", "s3cr3tPassw0rd"),
    ("CLIENT_KEY", "k3y-v4lu3-1234"),
    ("signingKey", "k3y-v4lu3-1234"),
    ("authHeader", f"Basic {BASIC}"),
    ("authHeader", f"Basic%20{BASIC}"),
    ("upstreamAuth", "Bearer 4f9a2c7e1b3d5a6c8e0f"),
    ("upstreamAuth", "bearer:mF_9.B5f-4.1JqM"),
    ("gitlab", "glpat-AbCdEfGhIjKlMnOpQrSt"),
    ("npm", "npm_" + "a1B2c3D4e5" * 3 + "f6G7h8"),
    ("sendgrid", "SG." + "a" * 22 + "." + "b" * 43),
    ("alerts", "https://hooks.slack.com/services/T0000AAAA/B0000BBBB/XXXXXXXXXXXXXXXXXXXXXXXX"),
    ("llm", "sk-proj-" + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z"),
]

# Each must not be flagged: what these rules would wrongly catch if written loosely.
LOOKALIKES = [
    ("backendUrl", "https://api.example.com/v1?page=2&sort=asc"),
    ("backendUrl", "https://api.example.com/v1?nextToken=eyJvZmZzZXQiOjEwfQ&limit=10"),
    ("backendUrl", "https://api.example.com/v1?passwordless=true"),
    ("backendUrl", "https://api.example.com/login?password="),
    ("backendUrl", "https://api.example.com/login?password=${stageVariables.pw}"),
    ("backendUrl", "https://api.example.com/login?token=REDACTED"),
    ("form", "https://app.example.com/f?csrf_token=1f2e3d4c5b6a"),
    ("compassWidth", "1234567890"),
    ("bypassMode", "enabled-always"),
    ("ACCESS_KEY_ID", "see-the-secret-store"),
    ("cacheKey", "orders-by-customer"),
    ("primaryKeyName", "customer_identifier"),
    ("pwd", "${stageVariables.dbPwd}"),
    ("pwd", "********"),
    ("DB_PWD", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db"),
    ("authMode", "Bearer"),
    ("authMode", "Bearer token required"),
    ("authMode", "Basic auth"),
    ("authHeader", "Basic dGhpcyBpcyB0ZXh0"),  # base64 of "this is text": no user:password
    ("doc", "https://example.com/docs/basic-usage"),
    ("region", "eu-west-1"),
    ("lambdaAlias", "live"),
    ("skuPrefix", "sk-1234"),
]


@pytest.mark.parametrize("name,value", SHAPES)
def test_each_shape_is_flagged(name, value):
    assert looks_like(name, value), (name, value)


@pytest.mark.parametrize("name,value", LOOKALIKES)
def test_each_lookalike_is_not_flagged(name, value):
    assert looks_like(name, value) is None, (name, value, looks_like(name, value))


def test_the_reasons_name_the_shape_never_the_value():
    for name, value in SHAPES:
        reason = looks_like(name, value)
        assert value not in reason and "Sup3r" not in reason


def test_a_fleet_check_prints_no_flagged_value_in_any_format(invoke):
    fleet = FleetServer().start()
    try:
        values = {f"v{i}_{name}": value for i, (name, value) in enumerate(SHAPES)}
        fleet.add("us-west-2", "s3cr000001", "vault", ("prod",), variables={**values, "region": "eu-west-1"})
        scope = ("--region", "us-west-2", "--endpoint-url", fleet.url)
        for fmt in ("json", "yaml", "sarif", "junit", "table"):
            result = invoke("check", *scope, "-o", fmt, env={"COLUMNS": "200"})
            assert result.exit_code == 1, (fmt, result.stderr)
            for value in values.values():
                # The value, and each piece of it (a query's password, a header's credential).
                pieces = {value, BASIC, *re.findall(r"=([^&;#]{4,})", value),
                          *re.findall(r"(?i)(?:basic|bearer)(?:%20|\s|:)(\S+)", value)}
                for piece in pieces:
                    assert piece not in result.stdout + result.stderr, (fmt, value, piece)
        stage = json.loads(invoke("check", *scope, "-o", "json").stdout)["stages"][0]["stage"]
        assert stage["variables"] == {**{k: NOT_PRINTED for k in values}, "region": "eu-west-1"}
    finally:
        fleet.stop()
