"""`check`: a stage, or every stage in scope, against AWS's controls for API Gateway stages and
our own (checks/); the report formats get the stages checked and the rules (model/report.py).

With no API and no --file, check_fleet runs over the fleet: every stage in scope against its
family's checks. It returns FleetCheck(data, table, checked, code, scan):
- data (json/yaml): {"stages": [{account, profile, region, restApiId, apiName, apiType, stage,
  checks: <checks.run result>}], "errors": [...], "skipped": [...]} (views/fleet.py).
- table(on_terminal): a renderable: stage × failing checks, counts per check, Not read.
- checked: model/report.Checked for the report formats.
- code: 0 all pass; 1 (errors.DIFFERENT) a stage fails; INCOMPLETE (8) part of the scope was
  not read, whatever the rest says (a gate must not pass on a partial scan). A one-cell scope that
  failed whole raises its own error (exit 4/5/6) before any output.
--methods fetches each stage's deployed methods (one GetExport per deployment, DESIGN.md); without
it checks that need them say not_evaluated, and the scan costs one GetRestApis page per 500 APIs
plus one GetStages per API.
"""

from typing import Annotated, Callable, NamedTuple, Optional

import typer

from apigw_stage.checks import engine as checks
from apigw_stage.checks import registry as checks_registry
from apigw_stage.commands import steps
from apigw_stage.commands.options import CHECK_FORMATS, ApiId, Common, FamilyOpt, FileOpt, StageName, WideOpt, family_of, with_common
from apigw_stage.core import families
from apigw_stage.core.errors import DIFFERENT, INCOMPLETE, OK, UsageError
from apigw_stage.model.report import Checked, StageRef
from apigw_stage.output.emit import emit

NAME = "check"
EPILOG = ("Examples:  stage check a1b2c3d4e5 prod  ·  stage check a1b2c3d4e5 prod --param loggingLevel=ERROR "
          "--ignore APIGateway.4 -o json  ·  stage check h77p4p1abc prod --param APIGateway.8:authorizationType=JWT  ·  "
          "stage check --list-controls  ·  stage check --all-regions -o sarif > stage.sarif  ·  "
          "stage check --org-role OrganizationAccountAccessRole --all-regions -o html > org.html")


def rules() -> dict:
    """Every family's checks, for the report formats' rule descriptions."""
    return {key: checks_registry.registry(family) for key, family in families.FAMILIES.items()}




@with_common(formats=CHECK_FORMATS, scope=True)
def check(
    common: Common,
    api_id: ApiId = None,
    stage: StageName = None,
    file: FileOpt = None,
    ignore: Annotated[Optional[list[str]], typer.Option(
        "--ignore", "-i", metavar="ID", help="Skip a check by its id, e.g. APIGateway.4 (repeatable).",
    )] = None,
    param: Annotated[Optional[list[str]], typer.Option(
        "--param", "-p", metavar="NAME=VALUES",
        help="A rule parameter as [ID:]NAME=VALUES, comma-separated (repeatable), recorded in the output: AWS "
             "Config's loggingLevel=ERROR|INFO (APIGateway.1), CertificateIDs=ID,... (APIGateway.2), "
             "WebAclArns=ARN,... (APIGateway.4), authorizationType=CUSTOM|AWS_IAM|JWT (APIGateway.8); stage's "
             "own APIGateway.2:integrationTypes=HTTP,HTTP_PROXY,... (which integrations make .2 apply). "
             "An unknown name is exit 2 with the valid ones.",
    )] = None,
    family: FamilyOpt = None,
    methods: Annotated[bool, typer.Option(
        "--methods", help="With no API: also read each stage's deployed methods (one GetExport per deployment) "
                          "and each region's account throttle and usage plans (GetAccount, GetUsagePlans), "
                          "so that the checks needing them are evaluated.",
    )] = False,
    details: Annotated[bool, typer.Option(
        "--details", help="With no API: each failing stage's findings and fixes under the summary table.",
    )] = False,
    wide: WideOpt = False,
    list_controls: Annotated[bool, typer.Option(
        "--list-controls", help="Print every control stage knows (id, title, severity, resource types, AWS "
                                "Config rule, parameters, source page) and AWS's controls it does not "
                                "implement, then exit; no call is made.",
    )] = False,
):
    """Check the stage against AWS's API Gateway controls and our own. Exit 1 on a failure.

    APIGateway.1 execution logging of the method entries (as AWS Config reads them), .2 client
    certificate (not applicable without an HTTP backend; --param APIGateway.2:integrationTypes
    switches the reading), .3 X-Ray, .4 WAF web ACL, .5 cache encryption where caching is on
    (Security Hub); Config.AccessLogs access logging configured (AWS Config's
    apigateway-stage-access-logs-enabled; --ignore also takes its former id APIGateway.9),
    Config.Caching (api-gw-cache-enabled-and-encrypted, informational); STAGE.1 no data trace, .2
    cache invalidation needs authorisation, .3 no canary left at 0% or 100%, .4 throttling set
    somewhere, .5 no secrets in stage variables, .6 methods open to anyone (informational), .7
    methods without an entry log (a */* entry), .8 access logs have a destination.
    HTTP and WebSocket stages: APIGateway.1 execution logging of WebSocket stages (not
    applicable to HTTP APIs), APIGateway.8 routes specify an authorization type (WebSocket: judged
    by $connect), APIGateway.9 access logging, APIGateway.10 private integrations use HTTPS
    (GetRoutes and GetIntegrations: two more calls), STAGE.1 data trace (WebSocket), .4
    throttling, .5 secrets in stageVariables, .8 access log destination; the checks of settings
    v2 stages lack are not applicable, each saying why. --list-controls prints every control with
    its AWS Config rule, resource types and source page.
    The deployed methods come from the stage's export (one more call; with --file they are
    unknown, and the checks that need them are not evaluated, which fails unless the check is
    informational). A failure says where and
    why, and the AWS CLI commands that fix it.
    json/yaml: {stageName, passed, deployedMethods, parameters, checks: [{id, severity, status,
    note, findings, fix, fixCommands, patchOperations}]} (README). -o sarif (SARIF 2.1.0, for
    GitHub code scanning) and -o junit (a testcase per check) for pipelines.
    With no API and no --file: every stage in scope, REST, HTTP and WebSocket (--profile,
    --region repeatable, --all-regions), each against its family's checks, a summary of stages
    by failing checks; exit 8 when part of the scope could not be read. --org-role ROLE: every
    ACTIVE account of the organization (or --accounts), through its assumed role.
    -o html: one self-contained page: summary counts, stages × controls matrix, findings with
    their fix commands; filters and sorting, readable without JavaScript.
    """
    from apigw_stage.sources.stage import fetch_stage

    if list_controls:
        return _list_controls(common, api_id, stage, file)
    # Every family's ids are valid words before any call; each family maps them after the fetch.
    # REST's ids first (FAMILIES' order), so the usage message lists them in the README's order.
    known: dict = {}
    for each in families.FAMILIES.values():
        known.update({k: v for k, v in checks_registry.ids(checks_registry.registry(each)).items() if k not in known})
    for item in ignore or []:
        if item.lower() not in known:
            raise UsageError(f"no check {item!r}", "checks: " + ", ".join(dict.fromkeys(known.values())))
    params = checks_registry.parse_params(param or [])
    if api_id is None and file is None:
        return _fleet(common, set(ignore or []), params, methods, details, wide)
    if len(common.regions) > 1 or len(common.profiles) > 1 or common.all_regions or common.org_role:
        raise UsageError("one stage is in one account and region", "leave out API and STAGE to check every stage in scope")
    where = steps.check_where(api_id, stage, file)
    clients: dict = {}
    stage_found = fetch_stage(where, common.target(), clients, family_of(family))
    doc, resolved = stage_found.doc, stage_found.api_id
    registry = checks_registry.registry(stage_found.family)
    own = checks_registry.ids(registry)
    skipped = {own[item.lower()] for item in ignore or [] if item.lower() in own}
    label = steps.where_label(where, resolved)
    found, region = steps.deployed_and_region(common, where, stage_found, clients)
    limits = steps.limits_of(common, where, stage_found, clients)  # STAGE.20-23 (checks/limits.py)
    context = checks.Context(doc, found, params, resolved or "API_ID", region, stage_found.protocol, limits,
                             steps.api_parts(common, where, stage_found, clients))
    result = checks.run(context, skipped, registry)

    def table(on_terminal):
        from apigw_stage.render.findings import report

        return report(result, label)

    target = StageRef(str(doc.get("stageName") or "STAGE"), resolved, region,
                      file=None if where.file is None else where.file, family=stage_found.family)
    emit(common, result, table, Checked([(target, result)], [], rules()))
    if not result["passed"]:
        raise typer.Exit(DIFFERENT)


def _list_controls(common: Common, api_id, stage, file):
    from apigw_stage.output.formats import FORMATS

    if api_id is not None or stage is not None or file is not None:
        raise UsageError("--list-controls takes no API, STAGE or --file", "stage check --list-controls")
    if FORMATS[common.env.output].checks_only:
        raise UsageError(f"--list-controls writes table, json or yaml, not {common.env.output}")
    data = checks_registry.controls()

    def table(on_terminal):
        from apigw_stage.render.controls import report

        return report(data)

    emit(common, data, table)


def _fleet(common: Common, ignore: set, params: dict, methods: bool, details: bool, wide: bool = False):
    result = check_fleet(common, ignore, params, methods=methods, details=details, wide=wide)
    emit(common, result.data, result.table, result.checked)
    code = result.finish()
    if code:
        raise typer.Exit(code)


class FleetCheck(NamedTuple):
    data: dict
    table: Callable
    checked: Checked
    code: int
    scan: object

    def finish(self) -> int:
        """After the output: raise steps.Incomplete for a partial scan, else return the exit code."""
        steps.finish(self.scan)
        return self.code


def check_fleet(common, ignore: set, params: dict, methods: bool = False, details: bool = False,
                wide: bool = False) -> FleetCheck:
    from apigw_stage.model import deployed
    from apigw_stage.views import fleet as views
    from apigw_stage.views import secrets

    from dataclasses import replace

    # Routes and integrations (APIGateway.8, .10): GetRoutes + GetIntegrations per v2 API, always.
    result = steps.scan(common, replace(common.scope(methods=methods), parts=True))
    unknown = deployed.unknown("not fetched in a fleet check (add --methods: one GetExport per deployment)")
    limits_of = _fleet_limits(common, result) if methods else (lambda stage: None)  # STAGE.20-23
    outcomes = []
    for stage in result.stages:
        registry = checks_registry.registry(stage.family)
        own = checks_registry.ids(registry)
        skipped = {own[item.lower()] for item in ignore if item.lower() in own}
        methods_of = (stage.deployed or unknown) if stage.family.has_methods else None
        context = checks.Context(stage.doc, methods_of, params, stage.api_id, stage.region, stage.protocol,
                                 limits_of(stage), stage.parts)
        outcomes.append(checks.run(context, skipped, registry))
    data = views.listing(result)
    for entry, stage, outcome in zip(data["stages"], result.stages, outcomes):
        # Check results promise never to print a secret: the stage goes out with such values hidden.
        entry["stage"] = secrets.redacted(entry["stage"], stage.family.variables_field)
        entry["checks"] = outcome
    targets = [StageRef(str(s.doc.get("stageName") or "STAGE"), s.api_id, s.region, s.account.account_id,
                        partition=s.account.partition, family=s.family, account_name=s.account.name,
                        api_name=s.api_name)
               for s in result.stages]
    checked = list(zip(targets, outcomes))
    not_read = [(_scope(f), f.reason) for f in result.failures]

    def table(on_terminal):
        from apigw_stage.render.fleet import fleet_check

        return fleet_check(result, outcomes, on_terminal, details, wide)

    if result.failures:
        code = INCOMPLETE
    elif any(not o["passed"] for o in outcomes):
        code = DIFFERENT
    else:
        code = OK
    return FleetCheck(data, table, Checked(checked, not_read, rules()), code, result)


def _fleet_limits(common, result) -> Callable:
    """With --methods: each region's account throttle and usage plans, read once per region
    (sources/limits.fleet), as a function of a stage; a region not read gives None (the limits
    checks then say not applicable)."""
    from apigw_stage.sources import limits as calls
    from apigw_stage.sources.fleet.scope import Cell

    cells = {(s.account.label, s.region): Cell(s.account, s.region) for s in result.stages}
    per_region, _ = calls.fleet(common.scope(), list(cells.values()))

    def of(stage):
        record = per_region.get((stage.account.label, stage.region))
        if not record or "error" in record:
            return None
        name = stage.doc.get("stageName")
        plans = [p for p in record.get("plans") or [] if calls.covers(p, stage.api_id, name)]
        return {"account": record.get("account"), "plans": plans if stage.family.has_methods else [], "key": None}

    return of


def _scope(failure) -> str:
    parts = [failure.account.label, failure.region]
    if failure.api_id:
        parts.append(f"{failure.api_name or ''} ({failure.api_id})".strip())
    return " ".join(parts)


COMMAND = check
