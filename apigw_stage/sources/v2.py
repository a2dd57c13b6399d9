"""The apigatewayv2 calls a command makes, over aws.Client (which retries, bounds time and turns
botocore errors into ours). boto3 answers in PascalCase (botocore's model: GetStagesResponse
`Items`/`NextToken`, Api `ApiId`/`Name`/`ProtocolType`); the stage documents are normalised by
v2.document.

GetStages and GetApis page by NextToken (their MaxResults is a string in the model; it is left
to the service's default page size, since the model states no maximum); sources/paging.py reads
the pages and stops a service that loops.
"""

from apigw_stage.sources.paging import v2_pages as _pages


def get_stage(client, api_id: str, stage: str) -> dict:
    return client.call("get_stage", ApiId=api_id, StageName=stage)


def get_api(client, api_id: str) -> dict:
    return client.call("get_api", ApiId=api_id)


def get_stages(client, api_id: str) -> list[dict]:
    return _pages(client, "get_stages", "GetStages", ApiId=api_id)


def get_apis(client) -> list[dict]:
    return _pages(client, "get_apis", "GetApis")


def get_routes(client, api_id: str) -> list[dict]:
    """Every route of the API (GetRoutes, paged by NextToken like GetStages)."""
    return _pages(client, "get_routes", "GetRoutes", ApiId=api_id)


def get_integrations(client, api_id: str) -> list[dict]:
    """Every integration of the API (GetIntegrations, paged by NextToken)."""
    return _pages(client, "get_integrations", "GetIntegrations", ApiId=api_id)


def api_parts(client, api_id: str):
    """The routes and integrations of an API (model/v2_parts.ApiParts): two calls when each
    answers in one page, paced and retried by the client like every other call."""
    from apigw_stage.model import v2_parts

    return v2_parts.from_service(get_routes(client, api_id), get_integrations(client, api_id))
