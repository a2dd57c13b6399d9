"""API families: REST APIs (the `apigateway` service) and HTTP/WebSocket APIs (`apigatewayv2`).

What differs between them is data here, not an `if` in every command (DESIGN.md, "Growing
without losing the one hop"): the service a client talks to, where a stage keeps its settings
and variables, whether it can have a canary. Detection from a document lives here too, because
`--file` has nothing else to go on.
"""

from typing import NamedTuple


class Family(NamedTuple):
    key: str  # what --family takes and the completion cache stores
    service: str  # botocore's service name
    title: str  # how a message names an API of this family
    settings_field: str  # the stage's per-method or per-route settings
    variables_field: str  # the stage variables
    has_canary: bool
    has_methods: bool  # a stage has deployed methods, read from its export (REST); v2 has routes
    a_title: str  # the title with its article, for a sentence ("a REST API", "an HTTP or WebSocket API")
    arn_collection: str  # the path segment of its APIs in an API Gateway ARN (.../restapis/ID or .../apis/ID)

REST = Family("rest", "apigateway", "REST API", "methodSettings", "variables", True, True, "a REST API", "restapis")
V2 = Family("v2", "apigatewayv2", "HTTP or WebSocket API", "routeSettings", "stageVariables", False, False,
            "an HTTP or WebSocket API", "apis")
FAMILIES = {family.key: family for family in (REST, V2)}

# Keys that only a v2 Stage has (botocore's apigatewayv2 model, Stage shape: camelCase on the
# wire, PascalCase from boto3 and the AWS CLI). A REST stage document is camelCase throughout.
V2_ONLY = ("routeSettings", "defaultRouteSettings", "autoDeploy", "apiGatewayManaged", "stageVariables",
           "lastDeploymentStatusMessage")


def of_document(raw) -> Family:
    """The family a saved stage document belongs to: v2 when it has a field only v2 stages have
    or any PascalCase field (the AWS CLI prints v2 answers so, REST answers in camelCase)."""
    if isinstance(raw, dict) and any(
        isinstance(key, str) and (key in V2_ONLY or key[:1].isupper()) and key != "ResponseMetadata"
        for key in raw
    ):
        return V2
    return REST
