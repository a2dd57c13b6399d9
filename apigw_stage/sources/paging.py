"""REST list calls paged by `position` (GetDomainNames, GetDeployments, GetUsagePlans, ...): every
item, each page checked, a position seen twice or a run past MAX_PAGES an error (exit 5)."""

from apigw_stage.core.errors import ServiceError

MAX_PAGES = 1000
PAGE = 500  # `limit`: "the maximum value is 500" (botocore's apigateway model)


def rest_pages(client, operation: str, what: str, **params) -> list[dict]:
    """Every item of a REST list call paged by `position` (a position seen twice: exit 5)."""
    items, seen = [], set()
    params = {"limit": PAGE, **params}
    for _ in range(MAX_PAGES):
        page = client.call(operation, **params)
        found = page.get("items") or []
        if not isinstance(found, list) or not all(isinstance(i, dict) for i in found):
            raise ServiceError(f"{what} answered with items that are not a list of objects")
        items.extend(found)
        position = page.get("position")
        if not position or not found:
            return items
        if not isinstance(position, str) or position in seen:
            raise ServiceError(f"{what} is paging in a loop (it sent the same position twice)",
                               f"stopped after {len(seen) + 1} pages; try again later")
        seen.add(position)
        params["position"] = position
    raise ServiceError(f"{what} still had more after {MAX_PAGES} pages", "the service is paging in a loop; try again later")
