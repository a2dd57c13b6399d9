"""`snapshot`: every stage document in scope written to a directory tree, for git."""

from typing import Annotated, Optional

import typer

from apigw_stage.commands import steps
from apigw_stage.commands.options import Common, with_common
from apigw_stage.output.emit import emit


NAME = "snapshot"
EPILOG = (
    "Examples:  stage snapshot fleet/ --all-regions --ignore lastUpdatedDate  ·  "
    "stage snapshot fleet/ --profile prod --profile dev --region eu-west-1 && git -C fleet diff  ·  "
    "stage snapshot org/ --org-role audit --all-regions (org/ACCOUNT-ID--NAME/REGION/...)"
)


@with_common(scope=True)
def snapshot(
    common: Common,
    directory: Annotated[str, typer.Argument(metavar="DIR", show_default=False, help="The snapshot tree to write (what the scope covers is replaced).")],
    ignore: Annotated[Optional[list[str]], typer.Option(
        "--ignore", "-i", metavar="FIELD",
        help="Leave out a field (repeatable), as in diff: a name at any depth (lastUpdatedDate) or a dotted path.",
    )] = None,
):
    """Write every stage in scope as DIR/ACCOUNT/REGION/API-NAME--API-ID/STAGE.json.

    Each file is the GetStage document of the API's family (REST, or apigatewayv2's for HTTP
    and WebSocket APIs) with keys sorted and timestamps RFC 3339 UTC, so that
    `git diff` shows drift and `stage show --file` reads it. The tree is replaced atomically: it
    is written beside DIR and swapped in, so a crash or Ctrl-C leaves the previous tree; stages
    that no longer exist are gone from it. What could not be read keeps its previous files, and
    the exit status is then 8; regions and accounts outside this run's scope keep theirs too.
    `stage diff OLD_DIR NEW_DIR` compares two snapshots. Each region folder also gets
    .limits.json: the account's throttle and the usage plans covering its stages (GetAccount and
    GetUsagePlans once per region), which `stage limits --file` reads back.
    json/yaml: {written, directory, errors, skipped}.
    """
    from apigw_stage.sources.fleet import snapshot as tree
    from apigw_stage.views import fleet as views

    tree.check_target(directory)  # before any call: a directory we must not replace is exit 2
    recorded = tree.accounts(directory)  # profile -> account dir of the previous snapshot
    result = views.with_recorded_accounts(steps.scan(common, common.scope()), recorded)
    partial = any(f.family is not None for f in [*result.failures, *result.skipped])
    previous = tree.families(directory) if partial else None  # which old API dirs to keep
    files, keep = views.snapshot_files(result, list(ignore or []), recorded, previous)
    keep += views.out_of_scope(result, tree.cells(directory))  # a narrower scope replaces only its part
    files.update(_limits_files(common, result))  # issue 23: DIR/ACCOUNT/REGION/.limits.json
    tree.write(directory, files, keep, views.account_dirs(result, recorded))
    data = {"directory": directory, "written": len(files), **{k: v for k, v in views.listing(result).items() if k != "stages"}}

    def table(on_terminal):
        from apigw_stage.render.fleet import snapshot_summary

        return snapshot_summary(result, directory, len(files))

    emit(common, data, table)
    steps.finish(result)


def _limits_files(common, result) -> dict:
    """The account throttle and the usage plans covering the stages of each region written, one
    sidecar per account and region (sources/limits_files.py): GetAccount and GetUsagePlans once
    per region, paced like the scan; a region whose limits cannot be read gets none."""
    import os

    from apigw_stage.model.tree import account_dir, safe_name
    from apigw_stage.sources import limits as calls
    from apigw_stage.sources.fleet.scope import Cell
    from apigw_stage.sources.limits_files import sidecar_files

    folders, stages, cells = {}, {}, {}
    for stage in result.stages:
        key = (stage.account.label, stage.region)
        folders[key] = os.path.join(account_dir(stage.account), safe_name(stage.region))
        stages.setdefault(key, set()).add((stage.api_id, stage.doc.get("stageName")))
        cells.setdefault(key, Cell(stage.account, stage.region))
    if not cells:
        return {}
    per_region, _calls = calls.fleet(common.scope(), list(cells.values()))
    return sidecar_files(per_region, folders, stages)


COMMAND = snapshot
