"""Custom domains as the documented data of `stage domains` (README, "Custom domains"): pure, no
I/O. From what sources/domains.py read (the domain documents of both families, their mappings,
the mapped APIs and their stages, the ACM certificates) to one entry per domain with its public
URLs.

A domain's fields, each from the family that lists it (REST's first: botocore's apigateway
DomainName; else apigatewayv2's first DomainNameConfiguration):
  endpointType     endpointConfiguration.types[0] | EndpointType (EDGE, REGIONAL, PRIVATE)
  securityPolicy   securityPolicy | SecurityPolicy (TLS_1_0, TLS_1_2, SecurityPolicy_TLS13_...)
  certificateArn   regionalCertificateArn, else certificateArn (edge, private) | CertificateArn
  mutualTls        mutualTlsAuthentication | MutualTlsAuthentication, camelCase, null when unset
A mapping's `problem` is "missing API" (neither GetRestApis nor GetApis lists it), "missing
stage" (the API's GetStages does not), or null; unknown when those could not be read (null,
with `checked` false).
"""

from datetime import datetime, timezone

from apigw_stage.core.plain import rfc3339

MISSING_API, MISSING_STAGE = "missing API", "missing stage"


def url(domain: str, base_path: str) -> str:
    return f"https://{domain}/{base_path}"


def _first(value) -> dict:
    return value[0] if isinstance(value, list) and value and isinstance(value[0], dict) else {}


def _mtls(raw) -> dict | None:
    if not isinstance(raw, dict) or not raw:
        return None
    camel = {"TruststoreUri": "truststoreUri", "TruststoreVersion": "truststoreVersion",
             "TruststoreWarnings": "truststoreWarnings"}
    return {camel.get(k, k): v for k, v in raw.items()}


def _fields(rest: dict | None, v2: dict | None) -> dict:
    if rest is not None:
        types = (rest.get("endpointConfiguration") or {}).get("types") if isinstance(rest.get("endpointConfiguration"), dict) else None
        return {
            "endpointType": types[0] if isinstance(types, list) and types else None,
            "securityPolicy": rest.get("securityPolicy"),
            "certificateArn": rest.get("regionalCertificateArn") or rest.get("certificateArn"),
            "status": rest.get("domainNameStatus"),
            "mutualTls": _mtls(rest.get("mutualTlsAuthentication")),
        }
    config = _first((v2 or {}).get("DomainNameConfigurations"))
    return {
        "endpointType": config.get("EndpointType"),
        "securityPolicy": config.get("SecurityPolicy"),
        "certificateArn": config.get("CertificateArn"),
        "status": config.get("DomainNameStatus"),
        "mutualTls": _mtls((v2 or {}).get("MutualTlsAuthentication")),
    }


def _as_time(value) -> datetime | None:
    from apigw_stage.model.shape import ShapeError, _timestamp

    if value is None:
        return None
    try:
        return _timestamp(value)
    except ShapeError:
        return None


def domains(read: dict, apis: dict | None, stages: dict | None, certificates: dict, region: str | None,
            now: datetime | None = None) -> list[dict]:
    """One entry per domain (sorted by name). `read`: sources/domains.read_region's answer;
    `apis`/`stages`: apis_and_stages' (None: not read); `certificates`: {arn: (detail, note)}."""
    now = now or datetime.now(timezone.utc)
    rest = {d["domainName"]: d for d in read["rest"]}
    v2 = {d["DomainName"]: d for d in read["v2"]}
    out = []
    for name in sorted(set(rest) | set(v2)):
        entry = {"domainName": name, "region": region,
                 "listedBy": [s for s, seen in (("apigateway", name in rest), ("apigatewayv2", name in v2)) if seen]}
        entry.update(_fields(rest.get(name), v2.get(name)))
        detail, note = certificates.get(entry["certificateArn"], (None, None)) if entry["certificateArn"] else (None, None)
        expires = _as_time((detail or {}).get("NotAfter"))
        entry["certificateNotAfter"] = rfc3339(expires) if expires else None
        entry["certificateDaysLeft"] = (expires - now).days if expires else None
        entry["certificateNote"] = note if expires is None and entry["certificateArn"] else None
        entry["mappings"] = [_mapping(name, m, apis, stages) for m in
                             sorted(read["mappings"].get(name, []), key=lambda m: (str(m["basePath"]), str(m["apiId"])))]
        out.append(entry)
    return out


def _mapping(domain: str, m: dict, apis: dict | None, stages: dict | None) -> dict:
    api = (apis or {}).get(m["apiId"])
    problem, checked = None, apis is not None
    if apis is not None and api is None:
        problem = MISSING_API
    elif api is not None and stages is not None and m["apiId"] in stages:
        if m["stage"] not in stages[m["apiId"]]:
            problem = MISSING_STAGE
    elif api is not None:
        checked = False
    return {"url": url(domain, str(m["basePath"])), "basePath": m["basePath"], "apiId": m["apiId"],
            "apiName": (api or {}).get("name"), "protocol": (api or {}).get("protocol"), "stage": m["stage"],
            "apiMappingId": m.get("apiMappingId"), "mappedBy": m["family"], "problem": problem, "checked": checked}


def reaching(read: dict, api_id: str, stage: str) -> list[str]:
    """The public URLs of `read` (sources/domains.read_region) that end at API `api_id`, stage `stage`."""
    return sorted(url(name, str(m["basePath"])) for name, found in read["mappings"].items()
                  for m in found if m["apiId"] == api_id and m["stage"] == stage)


def invoke_url(api_id: str, region: str | None, stage: str, protocol: str | None) -> str | None:
    """The stage's default endpoint (execute-api): REST and HTTP `https://ID.execute-api.REGION
    .amazonaws.com/STAGE` (an HTTP `$default` stage at the root), WebSocket `wss://`."""
    if not region:
        return None
    scheme = "wss" if protocol == "WEBSOCKET" else "https"
    path = "" if stage == "$default" else stage
    suffix = ".amazonaws.com.cn" if region.startswith("cn-") else ".amazonaws.com"
    return f"{scheme}://{api_id}.execute-api.{region}{suffix}/{path}"
