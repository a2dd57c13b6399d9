"""List calls paged by a token, for both services: REST lists page by `position` (GetDomainNames,
GetDeployments, GetUsagePlans, ...), apigatewayv2 lists by `NextToken` (GetStages, GetApis,
GetRoutes, ...). Every item, each page checked; a token seen twice, or a run past MAX_PAGES, is the
service looping: exit 5, not forever."""

from apigw_stage.core.errors import ServiceError

MAX_PAGES = 1000
PAGE = 500  # REST `limit`: "the maximum value is 500" (botocore's apigateway model)


def pages(client, operation: str, what: str, items_key: str, token_key: str, params: dict,
          stop_on_empty: bool = False) -> list[dict]:
    """Every item of a paged list call: `items_key` holds a page's items, `token_key` the token
    that is both the answer's and the next request's parameter."""
    items, seen = [], set()
    for _ in range(MAX_PAGES):
        page = client.call(operation, **params)
        found = page.get(items_key) or []
        if not isinstance(found, list) or not all(isinstance(i, dict) for i in found):
            raise ServiceError(f"{what} answered with {items_key} that are not a list of objects")
        items.extend(found)
        token = page.get(token_key)
        if not token or (stop_on_empty and not found):
            return items
        if not isinstance(token, str) or token in seen:
            raise ServiceError(f"{what} is paging in a loop (it sent the same {token_key} twice)",
                               f"stopped after {len(seen) + 1} pages; try again later")
        seen.add(token)
        params = {**params, token_key: token}
    raise ServiceError(f"{what} still had more after {MAX_PAGES} pages", "the service is paging in a loop; try again later")


def rest_pages(client, operation: str, what: str, **params) -> list[dict]:
    """Every item of a REST list call paged by `position` (an empty page ends it too)."""
    return pages(client, operation, what, "items", "position", {"limit": PAGE, **params}, stop_on_empty=True)


def v2_pages(client, operation: str, what: str, **params) -> list[dict]:
    """Every item of an apigatewayv2 list call paged by `NextToken` (MaxResults is left to the
    service's default page size: the model states no maximum)."""
    return pages(client, operation, what, "Items", "NextToken", params)
