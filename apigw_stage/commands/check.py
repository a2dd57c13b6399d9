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

from apigw_stage.commands import steps
from apigw_stage.commands.options import CHECK_FORMATS, ApiId, Common, FamilyOpt, FileOpt, StageName, WideOpt, family_of, with_common
from apigw_stage.core import families
from apigw_stage.core.errors import DIFFERENT, INCOMPLETE, OK, UsageError
from apigw_stage.model import tree
from apigw_stage.model.report import Checked, StageRef, relative_to
from apigw_stage.output.emit import emit

NAME = "check"
EPILOG = ("Examples:  stage check a1b2c3d4e5 prod  ·  stage check a1b2c3d4e5 prod --param loggingLevel=ERROR "
          "--ignore APIGateway.4 -o json  ·  stage check h77p4p1abc prod --param APIGateway.8:authorizationType=JWT  ·  "
          "stage check --list-controls  ·  stage check --all-regions -o sarif > stage.sarif  ·  "
          "stage check --org-role OrganizationAccountAccessRole --all-regions -o html > org.html  ·  "
          "stage check snapshot/ -o sarif > stage.sarif  (offline: a directory `stage snapshot` wrote)  ·  "
          "stage check --file stages.json -o junit > stage.xml  (GetStages, a list, or `stage list -o json`)  ·  "
          "stage check snapshot/ -o github  (annotations in a GitHub Actions log)  ·  "
          "stage check snapshot/ -o gitlab > gl-code-quality-report.json  ·  "
          "stage check --file prod.json --strict  (not evaluated fails too)")


def rules() -> dict:
    """Every family's checks, for the report formats' rule descriptions."""
    from apigw_stage.checks import registry as checks_registry

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
    strict: Annotated[bool, typer.Option(
        "--strict", help="A check that could not be judged (not evaluated) fails too, unless it is informational: "
                         "exit 1, and a failure in every report format.",
    )] = False,
    root: Annotated[Optional[str], typer.Option(
        "--sarif-root", metavar="DIR",
        help="The repository root the report formats' file locations are relative to (default: the current "
             "directory). A file outside it is located at the path `stage snapshot` would write.",
    )] = None,
):
    """Check the stage against AWS's API Gateway controls and our own. Exit 1 when a check fails.

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
    unknown, and the checks that need them are not evaluated). A failure says where and
    why, and the AWS CLI commands that fix it.
    Exit status: 1 only when a check fails; not evaluated alone is 0 and reported as skipped;
    --strict makes a non-informational not evaluated fail (exit 1, a failure in every format).
    Offline, with no credentials and no call: `stage check DIR` checks every stage of a snapshot
    directory, `--file` a saved GetStage, GetStages, list of stages or fleet listing (stage list
    -o json); several stages get the fleet's formats and exit 0/1.
    json/yaml: {stageName, passed, deployedMethods, parameters, checks: [{id, severity, status,
    note, findings, fix, fixCommands, patchOperations}]} (README). For pipelines: -o sarif
    (GitHub code scanning), -o junit (Jenkins, GitLab), -o github (Actions annotations), -o
    gitlab (Code Quality). Each points at a file in the repository: the saved or snapshot file at
    the offending key's line (relative to --sarif-root), or for a live stage the path `stage
    snapshot` would write, its ARN as a logical location.
    With no API and no --file: every stage in scope, REST, HTTP and WebSocket (--profile,
    --region repeatable, --all-regions), each against its family's checks, a summary of stages
    by failing checks; exit 8 when part of the scope could not be read. --org-role ROLE: every
    ACTIVE account of the organization (or --accounts), through its assumed role.
    -o html: one self-contained page: summary counts, stages × controls matrix, findings with
    their fix commands; filters and sorting, readable without JavaScript.
    """
    from apigw_stage.checks import engine as checks
    from apigw_stage.checks import registry as checks_registry
    from apigw_stage.sources import offline
    from apigw_stage.sources.stage import Stage, fetch_stage

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
    judge = Judge(set(ignore or []), params, strict, root)
    if api_id is None and file is None:
        return _fleet(common, judge, methods, details, wide)
    if len(common.regions) > 1 or len(common.profiles) > 1 or common.all_regions or common.org_role:
        raise UsageError("one stage is in one account and region", "leave out API and STAGE to check every stage in scope")
    if stage is None and file is None and api_id is not None and "/" in api_id and not offline.is_snapshot(api_id):
        raise UsageError(f"cannot read {api_id}: no such directory", "stage check DIR takes a snapshot directory")
    if stage is None and file is None and api_id is not None and offline.is_snapshot(api_id):
        return _offline(common, judge, offline.from_snapshot(api_id), details, f"snapshot {api_id}", wide)
    where = steps.check_where(api_id, stage, file)
    clients: dict = {}
    if where.file is not None:
        stage_found = offline.from_file(where.file, family_of(family))
        if not isinstance(stage_found, Stage):
            return _offline(common, judge, stage_found, details, f"file {where.file}", wide)
    else:
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
    paths, timings = {}, {}
    result = checks.run(context, skipped, registry, strict, paths, timings)

    def table(on_terminal):
        from apigw_stage.render.findings import report

        return report(result, label)

    name = str(doc.get("stageName") or "STAGE")
    if where.file is None:
        # Given by name, the API's name is known: the snapshot path `stage snapshot` would write.
        api_name = where.api_id if where.api_id != resolved else None
        target = StageRef(name, resolved, region, family=stage_found.family, paths=paths, timings=timings,
                          account_dir=common.target().profile_name(), api_name=api_name)
        scope = f"{common.target().profile_name()}/{region}/{resolved}/{name}"
    else:
        target = judge.ref(name, where.file, doc.get("stageName"), stage_found.family, paths, timings)
        scope = f"file {where.file}"
    emit(common, result, table, Checked([(target, result)], [], rules(), scope, strict))
    if not result["passed"]:
        raise typer.Exit(DIFFERENT)


def _list_controls(common: Common, api_id, stage, file):
    from apigw_stage.checks import registry as checks_registry
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


class Judge(NamedTuple):
    """How a check judges and locates: --ignore, --param, --strict, --sarif-root."""

    ignore: set
    params: dict
    strict: bool = False
    root: str | None = None

    def ref(self, name, file, stage_name, family, paths, timings, **where) -> StageRef:
        """The StageRef of a stage read from `file`: located in it when inside the root."""
        from apigw_stage.sources.locate import locator

        path = relative_to(file, self.root)
        locate = locator(file, stage_name if isinstance(stage_name, str) else None) if path else None
        return StageRef(name, file=file, family=family, path=path, locate=locate, paths=paths, timings=timings, **where)


def _fleet(common: Common, judge: Judge, methods: bool, details: bool, wide: bool = False):
    result = check_fleet(common, judge.ignore, judge.params, methods=methods, details=details, wide=wide,
                         judge=judge)
    emit(common, result.data, result.table, result.checked)
    code = result.finish()
    if code:
        raise typer.Exit(code)


def _offline(common: Common, judge: Judge, read: tuple, details: bool, scope: str, wide: bool = False):
    """A snapshot DIR or a file of several stages, judged as a fleet (its formats, exit 0/1)."""
    scan, files, names = read
    result = judge_scan(scan, judge, details, files=files, names=names, scope=scope, wide=wide)
    emit(common, result.data, result.table, result.checked)
    if result.code:
        raise typer.Exit(result.code)


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
                wide: bool = False, judge: "Judge | None" = None) -> FleetCheck:
    from dataclasses import replace

    judge = judge or Judge(ignore, params)
    # Routes and integrations (APIGateway.8, .10): GetRoutes + GetIntegrations per v2 API, always.
    result = steps.scan(common, replace(common.scope(methods=methods), parts=True))
    limits_of = _fleet_limits(common, result) if methods else None  # STAGE.20-23
    return judge_scan(result, judge, details, scope=_fleet_scope(common, result), wide=wide, limits_of=limits_of)


def _fleet_scope(common, result) -> str:
    accounts = sorted({s.account.label for s in [*result.stages, *result.failures]}) or list(common.profiles) or ["default"]
    regions = "all-regions" if common.all_regions else "+".join(common.regions) or (common.region or "default-region")
    return f"fleet {'+'.join(accounts)} {regions}"


def judge_scan(result, judge: Judge, details: bool, files: list | None = None, names: list | None = None,
               scope: str = "fleet", wide: bool = False, limits_of: Callable | None = None) -> FleetCheck:
    """Every stage of a scan (live, or read offline with `files` the file of each) against its
    family's checks; `limits_of(stage)` the inputs of the limits checks (None: not applicable),
    read beside each file offline (a snapshot's sidecar, as `check --file` reads it)."""
    from apigw_stage.checks import engine as checks
    from apigw_stage.checks import registry as checks_registry
    from apigw_stage.model import deployed
    from apigw_stage.views import fleet as views
    from apigw_stage.views import secrets

    ignore, params = judge.ignore, judge.params
    unknown = deployed.unknown("not fetched in a fleet check (add --methods: one GetExport per deployment)"
                               if files is None else "read from a file; they come from the stage's export")
    if limits_of is None and files is not None:
        from apigw_stage.sources.limits_files import beside

        where_of = {id(s): f for s, f in zip(result.stages, files)}

        def limits_of(stage):
            record = beside(where_of[id(stage)], stage.doc, stage.api_id)
            if record is not None and not stage.family.has_methods:
                record = {**record, "plans": []}
            return record
    limits_of = limits_of or (lambda stage: None)
    outcomes, found = [], []
    for stage in result.stages:
        registry = checks_registry.registry(stage.family)
        own = checks_registry.ids(registry)
        skipped = {own[item.lower()] for item in ignore if item.lower() in own}
        methods_of = (stage.deployed or unknown) if stage.family.has_methods else None
        context = checks.Context(stage.doc, methods_of, params, stage.api_id or "API_ID", stage.region or None,
                                 stage.protocol, limits_of(stage), getattr(stage, "parts", None))
        paths, timings = {}, {}
        outcomes.append(checks.run(context, skipped, registry, judge.strict, paths, timings))
        found.append((paths, timings))
    data = views.listing(result)
    for entry, stage, outcome in zip(data["stages"], result.stages, outcomes):
        # Check results promise never to print a secret: the stage goes out with such values hidden.
        entry["stage"] = secrets.redacted(entry["stage"], stage.family.variables_field)
        entry["checks"] = outcome
    targets = []
    for i, (s, (paths, timings)) in enumerate(zip(result.stages, found)):
        name = str(s.doc.get("stageName") or "STAGE")
        where = dict(api_id=s.api_id, region=s.region or None, account=s.account.account_id,
                     partition=s.account.partition, api_name=s.api_name,
                     account_name=s.account.name)
        if files is None:
            targets.append(StageRef(name, family=s.family, paths=paths, timings=timings,
                                    account_dir=tree.account_label(s.account), **where))
        else:
            targets.append(judge.ref(name, files[i], names[i], s.family, paths, timings, **where))
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
    return FleetCheck(data, table, Checked(checked, not_read, rules(), scope, judge.strict), code, result)


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
