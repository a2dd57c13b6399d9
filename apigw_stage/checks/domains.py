"""The checks of a custom domain (`stage domains`), in the Check shape of checks/engine.py; each
evaluate takes one domain entry of views/domains.py and returns its findings. Pure: no I/O.

- DOMAIN.1 TLS 1.0 allowed: securityPolicy TLS_1_0 (botocore's SecurityPolicy enum; AWS's
  "Choose a security policy for your custom domain" page: TLS_1_0 accepts TLS 1.0 to 1.2). Fail.
- DOMAIN.2 certificate expiring: ACM's NotAfter within 30 days. A warning, with the days left
  (ACM renews the certificates it issued and can validate; an imported one it never renews).
- DOMAIN.3 mapping to a missing API or stage: the public URL answers 403/404 for everyone. Fail.

Fixes: apigateway's update-domain-name takes patch operations (/securityPolicy,
/regionalCertificateArn or /certificateArn); apigatewayv2's takes the whole
DomainNameConfigurations; a stale mapping is deleted (delete-base-path-mapping, base path
`(none)` for the root; apigatewayv2 delete-api-mapping by its id).
"""

from typing import NamedTuple

from apigw_stage.checks.engine import OURS, Check

FAIL, WARN = "fail", "warn"
EXPIRY_DAYS = 30
_RESOURCES = ("AWS::ApiGateway::DomainName", "AWS::ApiGatewayV2::DomainName")


class DomainFinding(NamedTuple):
    where: str
    reason: str
    status: str  # fail or warn
    fix: list  # the AWS CLI command that fixes it, a list of words


def _region(entry: dict) -> list:
    return ["--region", entry["region"]] if entry.get("region") else []


def _v2_config(entry: dict, **changes) -> str:
    fields = {"CertificateArn": entry.get("certificateArn") or "CERTIFICATE_ARN",
              "EndpointType": entry.get("endpointType") or "REGIONAL",
              "SecurityPolicy": entry.get("securityPolicy") or "TLS_1_2", **changes}
    return ",".join(f"{k}={v}" for k, v in fields.items())


def _update(entry: dict, path: str, value: str, **v2_changes) -> list:
    if "apigateway" in entry.get("listedBy", ()):
        return ["aws", "apigateway", "update-domain-name", "--domain-name", entry["domainName"], *_region(entry),
                "--patch-operations", f"op=replace,path={path},value={value}"]
    return ["aws", "apigatewayv2", "update-domain-name", "--domain-name", entry["domainName"], *_region(entry),
            "--domain-name-configurations", _v2_config(entry, **v2_changes)]


def _tls(entry: dict) -> list:
    if entry.get("securityPolicy") != "TLS_1_0":
        return []
    return [DomainFinding("domain", "security policy TLS_1_0 accepts TLS 1.0 and 1.1 clients", FAIL,
                          _update(entry, "/securityPolicy", "TLS_1_2", SecurityPolicy="TLS_1_2"))]


def _expiry(entry: dict) -> list:
    days = entry.get("certificateDaysLeft")
    if days is None or days > EXPIRY_DAYS:
        return []
    when = "expired" if days < 0 else f"expires in {days} day{'s' if days != 1 else ''}"
    path = "/certificateArn" if entry.get("endpointType") == "EDGE" else "/regionalCertificateArn"
    return [DomainFinding("certificate", f"certificate {when} ({str(entry.get('certificateNotAfter'))[:10]})", WARN,
                          _update(entry, path, "NEW_CERTIFICATE_ARN", CertificateArn="NEW_CERTIFICATE_ARN"))]


def _stale(entry: dict) -> list:
    out = []
    for m in entry.get("mappings", ()):
        if not m.get("problem"):
            continue
        if m.get("mappedBy") == "v2" and m.get("apiMappingId"):
            fix = ["aws", "apigatewayv2", "delete-api-mapping", "--domain-name", entry["domainName"],
                   "--api-mapping-id", m["apiMappingId"], *_region(entry)]
        else:
            fix = ["aws", "apigateway", "delete-base-path-mapping", "--domain-name", entry["domainName"],
                   "--base-path", m.get("basePath") or "(none)", *_region(entry)]
        target = f"API {m.get('apiId')}" + (f" stage {m.get('stage')}" if m["problem"] == "missing stage" else "")
        out.append(DomainFinding(m["url"], f"maps to {target}, which does not exist ({m['problem']})", FAIL, fix))
    return out


CHECKS = (
    Check("DOMAIN.1", OURS, "Custom domain security policy does not allow TLS 1.0",
          "TLS 1.0 and 1.1 have known weaknesses and are deprecated by RFC 8996; TLS_1_2 keeps every current client.",
          "medium", _tls, resource_types=_RESOURCES),
    Check("DOMAIN.2", OURS, f"Custom domain certificate valid for more than {EXPIRY_DAYS} days",
          "An expired certificate makes every client refuse the domain; an imported one is never renewed by ACM.",
          "low", _expiry, resource_types=_RESOURCES),
    Check("DOMAIN.3", OURS, "Every mapping of a custom domain reaches an existing API and stage",
          "A mapping to a deleted API or stage makes its public URL fail for every caller.",
          "medium", _stale, resource_types=_RESOURCES),
)


def run(entries: list[dict], checks: tuple = CHECKS) -> list[dict]:
    """Every check on every domain: [{id, title, severity, status, domainName, region, where, reason,
    fixCommand}]."""
    out = []
    for entry in entries:
        for check in checks:
            for f in check.evaluate(entry):
                out.append({"id": check.id, "title": check.title, "severity": check.severity, "status": f.status,
                            "domainName": entry["domainName"], "region": entry.get("region"), "where": f.where,
                            "reason": f.reason, "fixCommand": f.fix})
    return out
