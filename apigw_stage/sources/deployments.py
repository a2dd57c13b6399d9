"""An API's deployments, over aws.Client (retries, time bounds, typed errors).

REST (apigateway): GetDeployments, paged by `position` with `limit` ≤ 500 (botocore's model:
GetDeploymentsRequest; items `{id, description, createdDate}`, epoch seconds on the wire as in
awscli/examples/apigateway/get-deployments.rst); GetDeployment with `embed=apisummary` for
`apiSummary` {path: {METHOD: {authorizationType, apiKeyRequired}}} (MethodSnapshot).
HTTP and WebSocket (apigatewayv2): GetDeployments, paged by NextToken (items `DeploymentId`,
`CreatedDate` ISO 8601, `DeploymentStatus` PENDING|FAILED|DEPLOYED, `AutoDeployed`,
`Description`: awscli/examples/apigatewayv2/get-deployments.rst).
"""

from apigw_stage.core.errors import ServiceError


def rest_deployments(client, api_id: str) -> list[dict]:
    from apigw_stage.sources.paging import rest_pages as _rest_pages

    return _rest_pages(client, "get_deployments", "GetDeployments", restApiId=api_id)


def api_summary(client, api_id: str, deployment_id: str) -> dict:
    """The deployment's apiSummary ({} when the API had no methods)."""
    answer = client.call("get_deployment", restApiId=api_id, deploymentId=deployment_id, embed=["apisummary"])
    summary = answer.get("apiSummary") or {}
    if not isinstance(summary, dict):
        raise ServiceError("GetDeployment answered with an apiSummary that is not an object")
    return summary


def v2_deployments(client, api_id: str) -> list[dict]:
    """The v2 deployments in the REST family's field names (id, description, createdDate), with
    deploymentStatus, deploymentStatusMessage and autoDeployed."""
    from apigw_stage.sources.paging import v2_pages as _pages

    names = {"DeploymentId": "id", "Description": "description", "CreatedDate": "createdDate",
             "DeploymentStatus": "deploymentStatus", "DeploymentStatusMessage": "deploymentStatusMessage",
             "AutoDeployed": "autoDeployed"}
    return [{names.get(k, k): v for k, v in d.items()}
            for d in _pages(client, "get_deployments", "GetDeployments (apigatewayv2)", ApiId=api_id)]


def completion_items(found: list[dict]) -> list[list[str]]:
    """[[id, description], ...] newest first, for TAB."""
    from apigw_stage.model.shape import ShapeError, _timestamp

    def when(d):
        try:
            return _timestamp(d.get("createdDate")).timestamp()
        except (ShapeError, TypeError, AttributeError):
            return 0.0

    ordered = sorted((d for d in found if isinstance(d.get("id"), str)), key=when, reverse=True)
    return [[d["id"], str(d.get("description") or "")] for d in ordered]
