"""`stage check` over the fleet: every stage in scope against its family's checks (REST:
checks.CHECKS; HTTP and WebSocket: v2/checks.py).

Contract, for the `check` command when it is given no API and no --file:

    result = fleet.check.check_fleet(common, ignore, params, methods=False, details=False)
    emit(common, result.data, result.table, result.documents)
    code = result.finish()   # raises run.Incomplete (one stderr line, exit 8) for a partial scan
    if code: raise typer.Exit(code)

- common: options.Common of a command declared with_common(formats=CHECK_FORMATS, scope=True)
  (its profiles, regions, --all-regions, --rate make the scope).
- ignore: check ids or aliases as the user gave them (already validated against every family's
  ids); each stage skips those its family knows. params: checks.parse_params.
- methods: --methods, fetch each stage's deployed methods (one GetExport per deployment, DESIGN.md);
  without it checks that need them say not_evaluated, and the scan costs one GetRestApis page per
  500 APIs plus one GetStages per API.
- details: the table adds each failing stage's findings and fixes under the summary.
Returns FleetCheck(data, table, documents, code):
- data (json/yaml): {"stages": [{account, profile, region, restApiId, apiName, apiType, stage,
  checks: <checks.run result>}], "errors": [...], "skipped": [...]} (views.py).
- table(on_terminal): a renderable: stage × failing checks, counts per check, Not read.
- documents: {Output.sarif: () -> str, Output.junit: () -> str} for emit.
- code: 0 all pass; 1 (errors.DIFFERENT) a stage fails; run.INCOMPLETE (8) part of the scope was
  not read, whatever the rest says (a gate must not pass on a partial scan). A one-cell scope that
  failed whole raises its own error (exit 4/5/6) before any output.
"""

from typing import Callable, NamedTuple

from apigw_stage.errors import DIFFERENT, OK


class FleetCheck(NamedTuple):
    data: dict
    table: Callable
    documents: dict
    code: int
    scan: object

    def finish(self) -> int:
        """After the output: raise run.Incomplete for a partial scan, else return the exit code."""
        from apigw_stage.fleet import run

        run.finish(self.scan)
        return self.code


def check_fleet(common, ignore: set, params: dict, methods: bool = False, details: bool = False) -> FleetCheck:
    from apigw_stage import checks, deployed, secrets
    from apigw_stage.fleet import run, views
    from apigw_stage.formats import junit, sarif
    from apigw_stage.options import Output

    result = run.scan(common, common.scope(methods=methods))
    unknown = deployed.unknown("not fetched in a fleet check (add --methods: one GetExport per deployment)")
    outcomes = []
    for stage in result.stages:
        registry = stage.family.checks
        own = checks.ids(registry)
        skipped = {own[item.lower()] for item in ignore if item.lower() in own}
        methods_of = (stage.deployed or unknown) if stage.family.has_methods else None
        context = checks.Context(stage.doc, methods_of, params, stage.api_id, stage.region, stage.protocol)
        outcomes.append(checks.run(context, skipped, registry))
    data = views.listing(result)
    for entry, stage, outcome in zip(data["stages"], result.stages, outcomes):
        # Check results promise never to print a secret: the stage goes out with such values hidden.
        entry["stage"] = secrets.redacted(entry["stage"], stage.family.variables_field)
        entry["checks"] = outcome
    targets = [sarif.Target(str(s.doc.get("stageName") or "STAGE"), s.api_id, s.region, s.account.account_id,
                            partition=s.account.partition, family=s.family) for s in result.stages]
    checked = list(zip(targets, outcomes))
    not_read = [(_scope(f), f.reason) for f in result.failures]

    def table(on_terminal):
        from apigw_stage.render.fleet import fleet_check

        return fleet_check(result, outcomes, on_terminal, details)

    documents = {Output.sarif: lambda: sarif.dumps(checked, not_read),
                 Output.junit: lambda: junit.dumps(checked, not_read)}
    if result.failures:
        code = run.INCOMPLETE
    elif any(not o["passed"] for o in outcomes):
        code = DIFFERENT
    else:
        code = OK
    return FleetCheck(data, table, documents, code, result)


def _scope(failure) -> str:
    parts = [failure.account.label, failure.region]
    if failure.api_id:
        parts.append(f"{failure.api_name or ''} ({failure.api_id})".strip())
    return " ".join(parts)


def stage_documents(doc_target, outcome) -> dict:
    """sarif/junit for a single-stage check: `doc_target` a formats.sarif.Target, `outcome`
    checks.run's result; for emit(common, outcome, table, stage_documents(...))."""
    from apigw_stage.formats import junit, sarif
    from apigw_stage.options import Output

    return {Output.sarif: lambda: sarif.dumps([(doc_target, outcome)]),
            Output.junit: lambda: junit.dumps([(doc_target, outcome)])}
