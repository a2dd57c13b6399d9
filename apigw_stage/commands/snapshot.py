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
    "stage snapshot org/ --org-role audit --all-regions (org/ACCOUNT-ID--NAME/REGION/...)  ·  "
    "exit 73: a read-only or linked folder in DIR, 74: an I/O error, 75: DIR busy (another snapshot)"
)


@with_common(scope=True)
def snapshot(
    common: Common,
    directory: Annotated[str, typer.Argument(metavar="DIR", show_default=False, help="The snapshot tree to write into (what the scope covers is updated; your own files stay).")],
    ignore: Annotated[Optional[list[str]], typer.Option(
        "--ignore", "-i", metavar="FIELD",
        help="Leave out a field (repeatable), as in diff: a name at any depth (lastUpdatedDate) or a dotted path.",
    )] = None,
):
    """Write every stage in scope as DIR/ACCOUNT/REGION/API-NAME--API-ID/STAGE.json.

    Each file is the GetStage document of the API's family (REST, or apigatewayv2's for HTTP
    and WebSocket APIs) with keys sorted and timestamps RFC 3339 UTC, so that
    `git diff` shows drift and `stage show --file` reads it. DIR is written in place, file by
    file (each whole or not at all), and locked while it is (a second run is exit 75); the files
    of stages that no longer exist are removed, and only those: your own files in DIR stay.
    What could not be read keeps its previous files, and the exit status is then 8; regions and
    accounts outside this run's scope keep theirs too. A read-only or linked folder is exit 73,
    an I/O error 74. `stage diff OLD_DIR NEW_DIR` compares two snapshots.
    Each region folder also gets .limits.json: the account's throttle and the usage plans
    covering its stages (GetAccount and GetUsagePlans once per region), which `stage limits
    --file` reads back.
    json/yaml: {written, directory, removed, notOurs, errors, skipped}.
    """
    import os

    from apigw_stage.core.text import visible
    from apigw_stage.sources.fleet import snapshot as tree
    from apigw_stage.views import fleet as views

    tree.check_target(directory)  # before any call: a directory we must not write into is exit 2
    made = not os.path.lexists(directory)
    try:
        outcome, files, result = _write(common, directory, list(ignore or []))
    except BaseException:
        if made:  # a run that wrote nothing leaves no empty DIR behind
            try:
                os.rmdir(directory)
            except OSError:
                pass
        raise
    for rel in outcome["removed"]:
        common.env.stderr.write(f"stage: note: removed {visible(rel)}: the stage no longer exists\n")
    for rel in outcome["notOurs"]:
        common.env.stderr.write(f"stage: note: left {visible(rel)} as it is: this run did not write it and "
                                "no snapshot of stage did (a stage deleted since, or a file of yours)\n")
    data = {"directory": directory, "written": len(files), **outcome,
            **{k: v for k, v in views.listing(result).items() if k != "stages"}}

    def table(on_terminal):
        from apigw_stage.render.fleet import snapshot_summary

        return snapshot_summary(result, directory, len(files))

    emit(common, data, table)
    steps.finish(result)


def _write(common: Common, directory: str, ignore: list[str]):
    """(what the write removed and left, the files written, the scan): DIR locked throughout."""
    from apigw_stage.sources.fleet import snapshot as tree
    from apigw_stage.views import fleet as views

    with tree.open_tree(directory) as handle:  # locked until the marker is written: exit 75 if busy
        handle.check_writable([], False)  # a read-only DIR is exit 73 before the scan
        recorded = tree.accounts(directory)  # profile -> account dir of the previous snapshot
        result = views.with_recorded_accounts(steps.scan(common, common.scope()), recorded)
        files, unread, cells = views.snapshot_plan(result, ignore, recorded)
        outcome = tree.write(handle, files, unread, cells, views.account_dirs(result, recorded), ignore)
        for rel, text in sorted(_limits_files(common, result).items()):  # issue 23: ACCOUNT/REGION/.limits.json
            handle.write_file(rel.split("/"), text.encode("utf-8"))
    return outcome, files, result


def _limits_files(common, result) -> dict:
    """The account throttle and the usage plans covering the stages of each region written, one
    sidecar per account and region (sources/limits_files.py): GetAccount and GetUsagePlans once
    per region, paced like the scan; a region whose limits cannot be read gets none."""
    from apigw_stage.model.tree import account_dir, region_dir
    from apigw_stage.sources import limits as calls
    from apigw_stage.sources.fleet.scope import Cell
    from apigw_stage.sources.limits_files import sidecar_files

    folders, stages, cells = {}, {}, {}
    for stage in result.stages:
        key = (stage.account.label, stage.region)
        folders[key] = "/".join((account_dir(stage.account), region_dir(stage.region)))
        stages.setdefault(key, set()).add((stage.api_id, stage.doc.get("stageName")))
        cells.setdefault(key, Cell(stage.account, stage.region))
    if not cells:
        return {}
    per_region, _calls = calls.fleet(common.scope(), list(cells.values()))
    return sidecar_files(per_region, folders, stages)


COMMAND = snapshot
