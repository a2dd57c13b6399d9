"""Evidence and stand-ins for the fidelity tests: the AWS CLI's real example answers, stage
exports in the shape GetExport gives, a wire server that serves them, and awscli's own parser."""

import json
import os
import re
import shlex

from tests.docs import wire_stage
from tests.wire import WireServer, error

API = "a1b2c3d4e5"
_EXPORT = re.compile(r"^/restapis/([^/]+)/stages/([^/]+)/exports/([^/?]+)$")
_DEPLOYMENT = re.compile(r"^/restapis/([^/]+)/deployments/([^/?]+)$")


def cli_examples(name: str) -> list[dict]:
    """Every JSON answer ("Output::" block) in awscli/examples/apigateway/NAME.rst of the
    installed AWS CLI v1: real answers of the service, with the origin named by the file."""
    import awscli

    path = os.path.join(os.path.dirname(awscli.__file__), "examples", "apigateway", f"{name}.rst")
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    answers = []
    for block in text.split("Output::")[1:]:
        lines = block.splitlines()[1:]
        body = []
        for line in lines:
            if line.strip() and not line.startswith(" "):
                break
            body.append(line)
        answers.append(json.loads("\n".join(body)))
    return answers


def _scheme(kind: str) -> dict:
    if kind == "api_key":
        return {"type": "apiKey", "name": "x-api-key", "in": "header"}
    if kind == "sigv4":
        return {"type": "apiKey", "name": "Authorization", "in": "header", "x-amazon-apigateway-authtype": "awsSigv4"}
    if kind == "cognito":
        return {"type": "apiKey", "name": "Authorization", "in": "header",
                "x-amazon-apigateway-authtype": "cognito_user_pools",
                "x-amazon-apigateway-authorizer": {
                    "type": "cognito_user_pools",
                    "providerARNs": ["arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf123"]}}
    return {"type": "apiKey", "name": "Authorization", "in": "header", "x-amazon-apigateway-authtype": "custom",
            "x-amazon-apigateway-authorizer": {"type": "token", "authorizerResultTtlInSeconds": 300,
                                               "authorizerUri": "arn:aws:apigateway:eu-west-1:lambda:path/auth"}}


def export(methods: list[tuple]) -> dict:
    """An `oas30` export with extensions integrations,authorizers, as GetExport shapes it (API
    Gateway developer guide, "OpenAPI extensions"): [(path, verb, security names, integration)]."""
    paths, schemes = {}, {}
    for path, verb, security, integration in methods:
        operation = {"responses": {"200": {"description": "200 response"}}}
        if security:
            operation["security"] = [{name: []} for name in security]
            for name in security:
                schemes[name] = _scheme(name)
        operation["x-amazon-apigateway-integration"] = {
            "type": integration.lower(), "httpMethod": "POST", "passthroughBehavior": "when_no_match",
            "uri": "https://pets.internal.example.com" if integration.startswith("HTTP")
            else "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/pets/invocations"}
        key = "x-amazon-apigateway-any-method" if verb == "ANY" else verb.lower()
        paths.setdefault(path, {})[key] = operation
    return {"openapi": "3.0.1", "info": {"title": "petstore", "version": "2024-11-27T09:33:20Z"},
            "servers": [{"url": "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/{basePath}",
                         "variables": {"basePath": {"default": "prod"}}}],
            "paths": paths, "components": {"securitySchemes": schemes}}


# The realistic stage: the bundled example, deployed with these methods.
PETSTORE = [
    ("/", "GET", [], "MOCK"),
    ("/health", "GET", [], "MOCK"),
    ("/pets", "GET", ["api_key"], "HTTP_PROXY"),
    ("/pets", "POST", ["cognito"], "AWS_PROXY"),
    ("/pets", "OPTIONS", [], "MOCK"),
    ("/pets/{petId}", "GET", [], "HTTP"),
    ("/pets/{petId}", "DELETE", ["sigv4"], "AWS_PROXY"),
    ("/pets/{petId}/photos", "PUT", ["authorizer"], "AWS"),
]


class ExportServer(WireServer):
    """The wire fixture plus GetExport and GetDeployment: `exports[(api, stage)]` is an export
    document or an (status, headers, body) error; `deployments[(api, id)]` a GetDeployment answer."""

    def __init__(self):
        super().__init__()
        self.exports: dict = {}
        self.deployments: dict = {}

    def answer(self, path):
        if not self.script:
            bare = path.partition("?")[0]
            if match := _EXPORT.match(bare):
                found = self.exports.get(match.groups()[:2])
                if found is None:
                    return error(404, "NotFoundException", "Invalid stage identifier specified")
                return found if isinstance(found, tuple) else (200, {}, json.dumps(found).encode())
            if match := _DEPLOYMENT.match(bare):
                found = self.deployments.get(match.groups())
                if found is None:
                    return error(404, "NotFoundException", "Invalid Deployment identifier specified")
                return 200, {}, json.dumps(found).encode()
        return super().answer(path)


def serve_petstore(server: ExportServer, stage: str = "prod", **changes) -> dict:
    doc = wire_stage(stageName=stage, **changes)
    server.stages[(API, stage)] = doc
    server.exports[(API, stage)] = export(PETSTORE)
    return doc


def aws_cli_parses(command: str) -> dict:
    """The parameters the AWS CLI v1 would send for `command` (one shell command line, as
    printed), parsed by its own driver and argument parsers; nothing is sent."""
    from awscli.clidriver import create_clidriver

    words = shlex.split(command)
    assert words[0] == "aws", command
    driver = create_clidriver()
    captured = {}

    def capture(call_parameters, **_):
        captured.update(call_parameters)
        return 0  # awscli's own override hook: the command "succeeds" without a call

    driver.session.register("calling-command", capture)
    assert driver.main(words[1:]) == 0, command
    return captured


def joined(printed: str) -> list[str]:
    """The commands of a printed fix section: continuations (` \\` newline indent) joined."""
    return [line for line in re.sub(r" \\\n +", " ", printed).splitlines() if line.startswith("aws ")]
