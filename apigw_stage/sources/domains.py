"""Custom domain names and what they map, over aws.Client (retries, time bounds, typed errors).

REST (apigateway): GetDomainNames and GetBasePathMappings, both paged by `position` with `limit`
≤ 500 (botocore's model: GetDomainNamesRequest, GetBasePathMappingsRequest); basePath `(none)`
is the empty path (awscli/examples/apigateway/get-base-path-mappings.rst).
HTTP and WebSocket (apigatewayv2): GetDomainNames and GetApiMappings, paged by NextToken
(sources/paging.v2_pages); ApiMappingKey "" is the root. apigatewayv2's GetDomainNames lists the
REST-mapped domains too (DESIGN.md): a domain in both lists is one domain, its mappings the
union of both calls' (deduplicated by path, API and stage).
ACM: DescribeCertificate, in the certificate's own region (the ARN's: an edge domain's is in
us-east-1), for NotAfter; a certificate ACM does not describe to us has no expiry, never an error.

`region_mappings` reads one family's domains of a region (show asks it once per run: a cache beside
the process would outlive the run where commands run in-process, as under CliRunner).
"""

from apigw_stage.core.errors import NotFound, StageError
from apigw_stage.core.target import Target
from apigw_stage.sources.paging import rest_pages as _rest_pages

NONE_PATH = "(none)"


def rest_domains(client) -> list[dict]:
    return _rest_pages(client, "get_domain_names", "GetDomainNames")


def base_path_mappings(client, domain: str, domain_id: str | None = None) -> list[dict]:
    """A private custom domain is named by its name and domainNameId (botocore's model: "Supported
    only for private custom domain names")."""
    extra = {"domainNameId": domain_id} if isinstance(domain_id, str) and domain_id else {}
    return _rest_pages(client, "get_base_path_mappings", "GetBasePathMappings", domainName=domain, **extra)


def v2_domains(client) -> list[dict]:
    from apigw_stage.sources.paging import v2_pages as _pages

    return _pages(client, "get_domain_names", "GetDomainNames (apigatewayv2)")


def api_mappings(client, domain: str) -> list[dict]:
    from apigw_stage.sources.paging import v2_pages as _pages

    return _pages(client, "get_api_mappings", "GetApiMappings", DomainName=domain)


def certificate(target: Target, arn: str, clients: dict) -> tuple[dict | None, str | None]:
    """(ACM's CertificateDetail, None) or (None, why it is unknown). One DescribeCertificate per
    certificate, in the ARN's region."""
    from apigw_stage.sources.aws import Client

    parts = arn.split(":")
    region = parts[3] if len(parts) > 5 and parts[2] == "acm" and parts[3] else target.region
    key = ("acm", region)
    try:
        if key not in clients:
            clients[key] = Client(target._replace(region=region), service="acm")
        answer = clients[key].call("describe_certificate", CertificateArn=arn)
    except StageError as error:
        return None, error.message
    detail = answer.get("Certificate")
    return (detail, None) if isinstance(detail, dict) else (None, "DescribeCertificate gave no Certificate")


def read_region(rest, v2, domain: str | None = None) -> dict:
    """{"rest": [REST DomainName...], "v2": [v2 DomainName...], "mappings": {name: [mapping]},
    "notRead": [(what, reason)]}: every domain of the region (or only `domain`) and its
    mappings as {"family", "basePath", "apiId", "stage", "apiMappingId"}. `rest`/`v2`: clients,
    either None to skip that family. A family the caller may not read is noted, not fatal,
    unless neither family could be read."""
    out = {"rest": [], "v2": [], "mappings": {}, "notRead": []}
    failures = []
    if rest is not None:
        try:
            out["rest"] = [d for d in rest_domains(rest) if isinstance(d.get("domainName"), str)]
        except StageError as error:
            failures.append(error)
            out["notRead"].append(("REST custom domains (GetDomainNames)", error.message))
    if v2 is not None:
        try:
            out["v2"] = [d for d in v2_domains(v2) if isinstance(d.get("DomainName"), str)]
        except StageError as error:
            failures.append(error)
            out["notRead"].append(("HTTP and WebSocket custom domains (apigatewayv2 GetDomainNames)", error.message))
    asked = (rest is not None) + (v2 is not None)
    if failures and len(failures) == asked:
        raise failures[0]
    if domain is not None:
        out["rest"] = [d for d in out["rest"] if d["domainName"].lower() == domain.lower()]
        out["v2"] = [d for d in out["v2"] if d["DomainName"].lower() == domain.lower()]
    for d in out["rest"]:
        _add(out, d["domainName"], "REST base path mappings", lambda n=d["domainName"], i=d.get("domainNameId"): [
            {"family": "rest", "basePath": "" if m.get("basePath") in (None, NONE_PATH) else m.get("basePath"),
             "apiId": m.get("restApiId"), "stage": m.get("stage"), "apiMappingId": None}
            for m in base_path_mappings(rest, n, i)])
    for d in out["v2"]:
        _add(out, d["DomainName"], "API mappings", lambda n=d["DomainName"]: [
            {"family": "v2", "basePath": m.get("ApiMappingKey") or "", "apiId": m.get("ApiId"),
             "stage": m.get("Stage"), "apiMappingId": m.get("ApiMappingId")}
            for m in api_mappings(v2, n)])
    return out


def _add(out: dict, name: str, what: str, fetch) -> None:
    try:
        found = fetch()
    except NotFound:  # deleted between the two calls
        found = []
    except StageError as error:
        out["notRead"].append((f"{what} of {name}", error.message))
        return
    have = out["mappings"].setdefault(name, [])
    seen = {(m["basePath"], m["apiId"], m["stage"]) for m in have}
    for m in found:
        if (m["basePath"], m["apiId"], m["stage"]) not in seen:
            seen.add((m["basePath"], m["apiId"], m["stage"]))
            have.append(m)


def region_mappings(target: Target, family_key: str, clients: dict | None = None) -> dict:
    """read_region for one family ("rest" or "v2") of `target`'s region."""
    from apigw_stage.core import families
    from apigw_stage.sources.stage import client_for

    client = client_for(target, clients, families.FAMILIES[family_key])
    return read_region(client if family_key == "rest" else None, client if family_key == "v2" else None)


def apis_and_stages(target: Target, api_ids: set, clients: dict) -> tuple[dict, dict, list]:
    """({api id: {"name", "protocol"}}, {api id: set of stage names}, notRead) for the mapped
    APIs: GetRestApis and GetApis (all pages) once, then one GetStages per mapped API that
    exists. An API neither list has is missing; its stages are not asked."""
    from apigw_stage.core import families
    from apigw_stage.sources import v2 as calls
    from apigw_stage.sources.stage import client_for

    apis, stages, not_read = {}, {}, []
    if not api_ids:
        return apis, stages, not_read
    rest = client_for(target, clients)
    v2 = client_for(target, clients, families.V2)
    try:
        for a in rest.get_rest_apis():
            if a.get("id") in api_ids:
                apis[a["id"]] = {"name": a.get("name"), "protocol": "REST"}
        for a in calls.get_apis(v2):
            if a.get("ApiId") in api_ids:
                apis[a["ApiId"]] = {"name": a.get("Name"), "protocol": a.get("ProtocolType")}
    except StageError as error:
        not_read.append(("the mapped APIs (GetRestApis, GetApis)", error.message))
        return None, None, not_read
    for api_id, info in sorted(apis.items()):
        try:
            if info["protocol"] == "REST":
                found = [s.get("stageName") for s in rest.get_stages(api_id)]
            else:
                found = [s.get("StageName") for s in calls.get_stages(v2, api_id)]
            stages[api_id] = {s for s in found if isinstance(s, str)}
        except NotFound:
            stages[api_id] = set()
        except StageError as error:
            not_read.append((f"the stages of API {api_id}", error.message))
    return apis, stages, not_read


def region_of(target: Target, family) -> str | None:
    """The region the family's client for `target` calls (the profile's when none is given)."""
    from apigw_stage.sources.stage import client_for

    try:
        return client_for(target, None, family).region
    except StageError:
        return target.region
