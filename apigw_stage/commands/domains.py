"""`domains`: which public URLs reach which stage. Every custom domain name of the regions in
scope (REST and HTTP/WebSocket), its mappings as URLs, its TLS policy and certificate, and the
domain checks (checks/domains.py)."""

from typing import Annotated, Optional

import typer

from apigw_stage.commands.options import Common, with_common
from apigw_stage.completion.live import complete_domain
from apigw_stage.core.errors import DIFFERENT, INCOMPLETE, NotFound, StageError, UsageError
from apigw_stage.output.emit import emit

NAME = "domains"
EPILOG = ("Examples:  stage domains  ·  stage domains api.example.com -o json  ·  "
          "stage domains --region us-east-1 --region eu-west-1 --check  ·  "
          "stage domains -o json --query 'domains[].mappings[].url'")

DomainArg = Annotated[Optional[str], typer.Argument(
    metavar="DOMAIN", show_default=False, autocompletion=complete_domain,
    help="Only this custom domain name (e.g. api.example.com). TAB lists the region's domains.",
)]


@with_common(scope=True)
def domains(
    common: Common,
    domain: DomainArg = None,
    check: Annotated[bool, typer.Option(
        "--check", help="Exit 1 when a domain check fails (DOMAIN.1 TLS 1.0, DOMAIN.3 a mapping to a missing "
                        "API or stage); DOMAIN.2, a certificate expiring within 30 days, only warns.",
    )] = False,
):
    """Every custom domain name and the public URLs that reach each stage.

    Per region (--region, repeatable, or --all-regions; --profile repeatable): REST domains
    (GetDomainNames, one GetBasePathMappings per domain) and HTTP/WebSocket domains (apigatewayv2
    GetDomainNames, one GetApiMappings per domain; a domain both list is one domain), then
    GetRestApis and GetApis for the mapped APIs' names and protocols, one GetStages per mapped
    API, and one ACM DescribeCertificate per certificate (in the certificate's region) for the
    days until it expires. Each URL (https://DOMAIN/BASE-PATH) with its API (name, id,
    protocol) and stage; endpoint type, TLS security policy, certificate ARN, mutual TLS
    truststore. Checks: DOMAIN.1 the security policy allows TLS 1.0 (fail), DOMAIN.2 the
    certificate expires within 30 days (warn, with the days), DOMAIN.3 a mapping to an API or
    stage that no longer exists (fail), each with the AWS CLI command that fixes it.
    json/yaml: {domains: [{domainName, region, listedBy, endpointType, securityPolicy,
    certificateArn, certificateNotAfter, certificateDaysLeft, certificateNote, status,
    mutualTls, mappings: [{url, basePath, apiId, apiName, protocol, stage, apiMappingId,
    mappedBy, problem, checked}]}], findings: [{id, title, severity, status, domainName,
    region, where, reason, fixCommand}], notRead: [{what, reason}]}. Exit 3 when DOMAIN is
    given and no region has it; 8 when part of the scope could not be read; with --check, 1
    when a check fails.
    """
    from apigw_stage.sources.fleet.scope import cells

    if domain is not None and (not domain.strip() or any(c.isspace() or ord(c) < 32 for c in domain) or len(domain) > 512):
        raise UsageError(f"{domain!r} is not a domain name", "e.g. api.example.com")
    found = cells(common.scope())
    entries, not_read = [], []
    for cell in found:
        try:
            entries += _region(common, cell, domain, not_read)
        except StageError as error:
            if len(found) == 1:
                raise
            not_read.append({"what": f"{cell.account.label} {cell.region}", "reason": error.message})
    if domain is not None and not entries and not not_read:
        where = ", ".join(c.region for c in found)
        raise NotFound(f"no custom domain {domain!r} in {where}", "`stage domains` lists them")
    findings = _run_checks(entries)
    data = {"domains": entries, "findings": findings, "notRead": not_read}

    def table(on_terminal):
        from apigw_stage.render.domains import domains_report

        return domains_report(data, on_terminal)

    emit(common, data, table)
    if domain is None:
        _remember(common, found, entries)
    if not_read:
        raise typer.Exit(INCOMPLETE)
    if check and any(f["status"] == "fail" for f in findings):
        raise typer.Exit(DIFFERENT)


def _run_checks(entries: list) -> list:
    from apigw_stage.checks import domains as domain_checks
    from apigw_stage.checks import registry as checks_registry

    return domain_checks.run(entries, checks_registry.DOMAIN_CHECKS)


def _region(common: Common, cell, domain: str | None, not_read: list) -> list:
    """The domains of one account and region, as views/domains.py gives them."""
    from apigw_stage.core import families
    from apigw_stage.core.target import Target
    from apigw_stage.sources import domains as source
    from apigw_stage.sources.stage import client_for
    from apigw_stage.views import domains as view

    target = Target(cell.account.profile, cell.region, common.endpoint_url, common.timeout, common.debug)
    clients: dict = {}
    read = source.read_region(client_for(target, clients), client_for(target, clients, families.V2), domain)
    api_ids = {m["apiId"] for found in read["mappings"].values() for m in found if isinstance(m["apiId"], str)}
    apis, stages, missed = source.apis_and_stages(target, api_ids, clients)
    arns = {d.get("regionalCertificateArn") or d.get("certificateArn") for d in read["rest"]}
    arns |= {c.get("CertificateArn") for d in read["v2"] for c in (d.get("DomainNameConfigurations") or [])
             if isinstance(c, dict)}
    certificates = {arn: source.certificate(target, arn, clients) for arn in sorted(a for a in arns if isinstance(a, str))}
    prefix = f"{cell.account.label} {cell.region}: "
    not_read += [{"what": prefix + what, "reason": reason} for what, reason in read["notRead"] + missed]
    return view.domains(read, apis, stages, certificates, cell.region)


def _remember(common: Common, found, entries: list) -> None:
    """The domain names for TAB (core/cache.py), per region read."""
    from apigw_stage.core import cache

    for cell in found:
        names = sorted({e["domainName"] for e in entries if e.get("region") == cell.region})
        ctx = cache.context(cell.account.profile, cell.region, common.endpoint_url)
        cache.write([*ctx, "domains"], [[n, ""] for n in names])


COMMAND = domains
