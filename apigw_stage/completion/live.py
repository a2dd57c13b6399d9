"""Candidates for API ids and stage names, from the cache or one API call.

Used by the fast completion path (fast.py, driven by the scripts in completions/) and by
Typer's own protocol (`stage --install-completion`). Never prints, never raises: a failing
completion offers nothing.

TAB promises an answer (or silence) within COMPLETION_TIMEOUT seconds in total, whatever the
server does: a trickled answer defeats per-read socket timeouts and a server can page forever, so
the calls run in a daemon thread that is abandoned at the deadline (the process ends right after).
"""

import threading
import time

from apigw_stage.core.cache import context, family_of  # noqa: F401  (TAB and commands name them here)
from apigw_stage.core.target import Target

COMPLETION_TIMEOUT = 2.0  # seconds for the whole TAB; it gives up quickly when AWS does not answer


def _client(ctx, service: str = "apigateway"):
    from apigw_stage.sources.aws import Client

    profile, region, endpoint = ctx
    # "default" stays implicit: naming it to boto3 fails when no config file defines it.
    target = Target(None if profile == "default" else profile, region or None, endpoint or None, COMPLETION_TIMEOUT)
    if service == "apigateway":
        return Client(target, attempts=1)
    return Client(target, attempts=1, service=service)


def deadline() -> float:
    """The moment (time.monotonic) a TAB starting now must have answered by."""
    return time.monotonic() + COMPLETION_TIMEOUT


def _within(fetch, until: float):
    """fetch()'s result, or None when it fails or is not done by `until`."""
    result = []

    def run():
        try:
            result.append(fetch())
        except BaseException:
            pass

    worker = threading.Thread(target=run, name="stage-completion-fetch", daemon=True)
    worker.start()
    worker.join(max(0.0, until - time.monotonic()))
    return result[0] if result else None


def _cached(key, fetch, until: float | None):
    from apigw_stage.core import cache

    items = cache.read(key)
    if items is None:
        items = _within(fetch, deadline() if until is None else until)
        if items is None:
            return []
        cache.write(key, items)
    return items


def apis(ctx: list, until: float | None = None) -> list[list[str]]:
    """[[id, name], ...] for the account/region: GetRestApis, all pages (by `until`, see deadline)."""
    def fetch():
        found = _client(ctx).get_rest_apis()
        return sorted([[str(a.get("id", "")), str(a.get("name", ""))] for a in found if a.get("id")])

    return _cached([*ctx, "apis"], fetch, until)


def v2_apis(ctx: list, until: float | None = None) -> list[list[str]]:
    """[[id, name, protocol], ...] of the HTTP and WebSocket APIs: GetApis, all pages."""
    def fetch():
        from apigw_stage.sources.v2 import get_apis

        found = get_apis(_client(ctx, "apigatewayv2"))
        return sorted([[str(a.get("ApiId")), str(a.get("Name") or ""), str(a.get("ProtocolType") or "")]
                       for a in found if a.get("ApiId")])

    return _cached([*ctx, "v2apis"], fetch, until)


def resolve(ctx: list, token: str, until: float | None = None) -> str:
    """The id of an API typed by id or by a unique name (from the cached list; no extra call
    when the token looks like an id)."""
    from apigw_stage.core.names import looks_like_id

    if looks_like_id(token):
        return token
    ids = [i for i, name in _both(ctx, until) if name == token]
    return ids[0] if len(ids) == 1 else token


def _both(ctx: list, until: float | None) -> list[list[str]]:
    """[[id, name], ...] of both families, REST first."""
    return apis(ctx, until) + [[i, name] for i, name, _ in v2_apis(ctx, until)]


def api_matches(ctx: list, incomplete: str, until: float | None = None) -> list[list[str]]:
    """API ids, then API names, that start with what is typed; each described by the other."""
    found = _both(ctx, until)
    by_id = [[i, name] for i, name in found if i.startswith(incomplete)]
    by_name = [[name, i] for i, name in found if name and name.startswith(incomplete)]
    return by_id + sorted(by_name)


def side_matches(ctx: list, incomplete: str, until: float | None = None) -> list[list[str]]:
    """A diff side: API:STAGE once a colon is typed, else the APIs."""
    if ":" not in incomplete:
        return api_matches(ctx, incomplete, until)
    api, _, prefix = incomplete.rpartition(":")
    return [[f"{api}:{name}", desc] for name, desc in stages(ctx, api, until) if name.startswith(prefix)]


def stages(ctx: list, api: str, until: float | None = None) -> list[list[str]]:
    """[[stage name, description], ...] of one API: one GetStages call, REST first (the common
    case costs what it did before v2); the v2 GetStages only when REST says NotFound or the
    cache (no call) has seen the id among the v2 APIs only."""
    api_id = resolve(ctx, api, until)

    def fetch():
        from apigw_stage.core import families
        from apigw_stage.core.errors import NotFound

        found = None
        if family_of(ctx, api_id) is not families.V2:
            try:
                found = _client(ctx).get_stages(api_id)
            except NotFound:
                pass
        if found is None:
            from apigw_stage.sources.v2 import get_stages

            found = [{"stageName": s.get("StageName"), "description": s.get("Description")}
                     for s in get_stages(_client(ctx, "apigatewayv2"), api_id)]
        return sorted([[str(s.get("stageName", "")), str(s.get("description") or "")] for s in found if s.get("stageName")])

    return _cached([*ctx, "stages", api_id], fetch, until)


def matching(items, incomplete: str) -> list[list[str]]:
    return [i for i in items if i[0].startswith(incomplete)]


def _typer_ctx(ctx) -> list:
    params = getattr(ctx, "params", {}) or {}
    return context(params.get("profile"), params.get("region"), params.get("endpoint_url"))


def complete_api_id(ctx, incomplete: str):
    """Typer autocompletion callback for API."""
    return [tuple(i) for i in api_matches(_typer_ctx(ctx), incomplete, deadline())]


def complete_side(ctx, incomplete: str):
    """Typer autocompletion callback for diff's arguments."""
    typed = (getattr(ctx, "params", {}) or {}).get("sides") or []
    return [tuple(i) for i in positional("diff", _typer_ctx(ctx), list(typed), incomplete)]


def positional(command: str, ctx: list, typed: list[str], incomplete: str) -> list[list[str]]:
    """Candidates for the next positional argument of `command`, given those already typed,
    within one COMPLETION_TIMEOUT in total."""
    until = deadline()
    if command == "list":
        return api_matches(ctx, incomplete, until) if not typed else []
    if command == "domains":
        return matching(domains(ctx, until), incomplete) if not typed else []
    if command == "diff":
        if len(typed) >= 3 or (len(typed) == 2 and ":" in typed[0]):
            return []
        if not typed or ":" in incomplete or ":" in typed[0]:
            return side_matches(ctx, incomplete, until)
        return matching(stages(ctx, typed[0], until), incomplete)
    if not typed:
        return api_matches(ctx, incomplete, until)
    if len(typed) == 1:
        return matching(stages(ctx, typed[0], until), incomplete)
    return []


def complete_stage(ctx, incomplete: str):
    """Typer autocompletion callback for STAGE."""
    api_id = (getattr(ctx, "params", {}) or {}).get("api_id")
    if not api_id:
        return []
    return [tuple(i) for i in matching(stages(_typer_ctx(ctx), api_id, deadline()), incomplete)]


def domains(ctx: list, until: float | None = None) -> list[list[str]]:
    """[[domain name, ""], ...] of the region: the cache `stage domains` writes, else REST and
    apigatewayv2 GetDomainNames (all pages)."""
    def fetch():
        from apigw_stage.sources import domains as source

        names = {d.get("domainName") for d in source.rest_domains(_client(ctx))}
        names |= {d.get("DomainName") for d in source.v2_domains(_client(ctx, "apigatewayv2"))}
        return sorted([n, ""] for n in names if isinstance(n, str) and n)

    return _cached([*ctx, "domains"], fetch, until)


def deployments(ctx: list, api: str, until: float | None = None) -> list[list[str]]:
    """[[deployment id, description], ...] of one API, newest first: the cache `stage history`
    writes, else GetDeployments (REST, then apigatewayv2 when REST says NotFound)."""
    api_id = resolve(ctx, api, until)

    def fetch():
        from apigw_stage.core import families
        from apigw_stage.core.errors import NotFound
        from apigw_stage.sources import deployments as source

        if family_of(ctx, api_id) is not families.V2:
            try:
                return source.completion_items(source.rest_deployments(_client(ctx), api_id))
            except NotFound:
                pass
        return source.completion_items(source.v2_deployments(_client(ctx, "apigatewayv2"), api_id))

    return _cached([*ctx, "deployments", api_id], fetch, until)


def complete_domain(ctx, incomplete: str):
    """Typer autocompletion callback for domains' DOMAIN."""
    return [tuple(i) for i in matching(domains(_typer_ctx(ctx), deadline()), incomplete)]


def complete_deployment(ctx, incomplete: str):
    """Typer autocompletion callback for history's --diff."""
    api_id = (getattr(ctx, "params", {}) or {}).get("api_id")
    if not api_id:
        return []
    return [tuple(i) for i in matching(deployments(_typer_ctx(ctx), api_id, deadline()), incomplete)]


def option_values(command: str, dest: str, ctx: list, typed: list[str], incomplete: str) -> list[list[str]]:
    """Candidates for an option's value that come from the account: history's --diff takes
    the API's deployment ids (the API is the first positional typed)."""
    if command == "history" and dest == "diff" and typed:
        return matching(deployments(ctx, typed[0], deadline()), incomplete)
    return []


def complete_region(ctx, incomplete: str):
    """Typer autocompletion callback for --region: botocore's region names (aws_names.py)."""
    from apigw_stage.completion.aws_names import regions

    return [tuple(i) for i in regions() if i[0].startswith(incomplete)]


def complete_profile(ctx, incomplete: str):
    """Typer autocompletion callback for --profile: the profiles of the config files."""
    from apigw_stage.completion.aws_names import profiles

    return [tuple(i) for i in profiles() if i[0].startswith(incomplete)]
