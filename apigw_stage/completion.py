"""Candidates for API ids and stage names, from the cache or one API call.

Used by the fast completion path (fastcomplete.py, driven by the scripts in completions/) and by
Typer's own protocol (`stage --install-completion`). Never prints, never raises: a failing
completion offers nothing.
"""

import os

from apigw_stage import cache
from apigw_stage.target import Target

COMPLETION_TIMEOUT = 2.0  # seconds; TAB gives up quickly when AWS does not answer


def context(profile=None, region=None, endpoint=None) -> list:
    """The cache key prefix: the same account the command itself would ask."""
    return [
        Target(profile).profile_name(),
        region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "",
        endpoint or os.environ.get("AWS_ENDPOINT_URL") or "",
    ]


def _client(ctx):
    from apigw_stage.aws import Client

    profile, region, endpoint = ctx
    # "default" stays implicit: naming it to boto3 fails when no config file defines it.
    return Client(Target(None if profile == "default" else profile, region or None, endpoint or None,
                         COMPLETION_TIMEOUT), attempts=1)


def _cached(key, fetch):
    items = cache.read(key)
    if items is None:
        try:
            items = fetch()
        except Exception:
            return []
        cache.write(key, items)
    return items


def apis(ctx: list) -> list[list[str]]:
    """[[id, name], ...] for the account/region: GetRestApis, all pages."""
    def fetch():
        found = _client(ctx).get_rest_apis()
        return sorted([[str(a.get("id", "")), str(a.get("name", ""))] for a in found if a.get("id")])

    return _cached([*ctx, "apis"], fetch)


def stages(ctx: list, api_id: str) -> list[list[str]]:
    """[[stage name, description], ...] of one API: one GetStages call."""
    def fetch():
        found = _client(ctx).get_stages(api_id)
        return sorted([[str(s.get("stageName", "")), str(s.get("description") or "")] for s in found if s.get("stageName")])

    return _cached([*ctx, "stages", api_id], fetch)


def matching(items, incomplete: str) -> list[list[str]]:
    return [i for i in items if i[0].startswith(incomplete)]


def _typer_ctx(ctx) -> list:
    params = getattr(ctx, "params", {}) or {}
    return context(params.get("profile"), params.get("region"), params.get("endpoint_url"))


def complete_api_id(ctx, incomplete: str):
    """Typer autocompletion callback for API_ID."""
    return [tuple(i) for i in matching(apis(_typer_ctx(ctx)), incomplete)]


def complete_stage(ctx, incomplete: str):
    """Typer autocompletion callback for STAGE."""
    api_id = (getattr(ctx, "params", {}) or {}).get("api_id")
    if not api_id:
        return []
    return [tuple(i) for i in matching(stages(_typer_ctx(ctx), api_id), incomplete)]
