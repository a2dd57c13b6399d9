"""`diff`: two stages, or a stage and a snapshot, side by side."""

import os
from typing import Annotated, Optional

import typer

from apigw_stage.commands import steps
from apigw_stage.commands.options import Common, FamilyOpt, check_region, family_of, with_common
from apigw_stage.completion.live import complete_side
from apigw_stage.core import names
from apigw_stage.core.errors import DIFFERENT, UsageError
from apigw_stage.output.emit import emit
from apigw_stage.sources.stage import Where, fetch_stage

NAME = "diff"
EPILOG = (
    "Examples:  stage diff a1b2c3d4e5 prod staging  ·  stage diff a1b2c3d4e5:prod prod-snapshot.json "
    "--ignore lastUpdatedDate  ·  stage diff petstore:prod petstore:prod --right-region us-east-1  ·  "
    "stage diff fleet-monday/ fleet-today/"
)


@with_common(scope=True)
def diff(
    common: Common,
    sides: Annotated[Optional[list[str]], typer.Argument(
        metavar="[API] LEFT RIGHT", show_default=False, autocompletion=complete_side,
        help="Two stages of one API (API STAGE STAGE), or two sides each API:STAGE or a saved document (- for stdin), or two snapshot directories.",
    )] = None,
    ignore: Annotated[Optional[list[str]], typer.Option(
        "--ignore", "-i", metavar="FIELD",
        help="Leave out a field (repeatable): a name at any depth (deploymentId) or a dotted path (methodSettings.*.metricsEnabled).",
    )] = None,
    left_profile: Annotated[Optional[str], typer.Option("--left-profile", metavar="NAME", help="AWS profile of the left side (default: --profile).")] = None,
    left_region: Annotated[Optional[str], typer.Option("--left-region", metavar="REGION", help="AWS region of the left side (default: --region).")] = None,
    right_profile: Annotated[Optional[str], typer.Option("--right-profile", metavar="NAME", help="AWS profile of the right side (default: --profile).")] = None,
    right_region: Annotated[Optional[str], typer.Option("--right-region", metavar="REGION", help="AWS region of the right side (default: --region).")] = None,
    family: FamilyOpt = None,
):
    """What differs between two stages. Exit 0 when identical, 1 when they differ.

    Changes are grouped (settings, method settings by decoded path and setting, route settings,
    variables, canary, tags, logging, cache, everything else) and shown old → new. HTTP and
    WebSocket stages compare with each other, not with REST stages (exit 2). Compare two stages of one API,
    or any two sides: API:STAGE (each with its own --left-/--right- profile and region, say prod
    in two regions) or a saved GetStage document (say a snapshot committed in git).
    json/yaml: a list of changes {group, path, change, left, right} (OUTPUT FORMATS in man stage).

    Two snapshot directories (stage snapshot DIR): the stages added, removed and changed, each
    changed stage with its changes as above; json/yaml {added, removed, changed}. One snapshot
    directory: it against the live fleet in scope (--profile, --region, --all-regions as for
    snapshot); what could not be read is left out of the comparison and listed after it (json/yaml
    adds errors and skipped), and the exit status is 8.
    """
    from apigw_stage.views import diff as differ

    if sides and len(sides) == 2 and all(os.path.isdir(s) for s in sides):
        return _trees(common, sides[0], sides[1], ignore or [])
    if sides and len(sides) == 1 and os.path.isdir(sides[0]):
        return _live(common, sides[0], ignore or [])
    if sides and len(sides) == 2 and os.path.isdir(sides[0]) != os.path.isdir(sides[1]):
        folder, other = sides if os.path.isdir(sides[0]) else sides[::-1]
        raise UsageError(f"{folder!r} is a directory and {other!r} is not",
                         "diff compares two snapshot directories, a snapshot with the live fleet (one "
                         "directory), or two stages")
    if len(common.regions) > 1 or len(common.profiles) > 1 or common.all_regions:
        raise UsageError("several regions or profiles compare a snapshot with the live fleet",
                         "stage diff DIR --region A --region B; for two stages use --left-region/--right-region")
    left, right = parse_sides(sides or [])
    check_region(left_region, option="--left-region")
    check_region(right_region, option="--right-region")
    base = common.target()
    targets = (
        base._replace(profile=left_profile or base.profile, region=left_region or base.region),
        base._replace(profile=right_profile or base.profile, region=right_region or base.region),
    )
    clients: dict = {}
    found, labels = [], []
    for where, target in zip((left, right), targets):
        stage = fetch_stage(where, target, clients, family_of(family))
        found.append(stage)
        labels.append(_side_label(where, stage.api_id, target, targets))
    if found[0].family != found[1].family:
        # Their fields differ in name and meaning (methodSettings vs routeSettings, variables vs
        # stageVariables): a field-by-field list would be all noise.
        raise UsageError(f"cannot compare stages of two API families: {labels[0]} is of {found[0].family.a_title}, "
                         f"{labels[1]} of {found[1].family.a_title}", "compare stages of the same API family")
    docs = [stage.doc for stage in found]
    changes = differ.compare(docs[0], docs[1], ignore or [])

    def table(on_terminal):
        from apigw_stage.render.difference import difference

        return difference(changes, labels[0], labels[1], on_terminal)

    emit(common, differ.as_data(changes), table)
    if changes:
        raise typer.Exit(DIFFERENT)


def _trees(common: Common, left: str, right: str, ignore: list[str]):
    """Two snapshot trees: stages added, removed and changed."""
    from apigw_stage.sources.fleet import snapshot
    from apigw_stage.views import fleet as views

    _say_skipped(left, right)
    data, changed = views.diff_trees(snapshot.read(left), snapshot.read(right), ignore)

    def table(on_terminal):
        from apigw_stage.render.fleet import fleet_diff

        return fleet_diff(data, changed, left, right, on_terminal)

    emit(common, data, table)
    if data["added"] or data["removed"] or data["changed"]:
        raise typer.Exit(DIFFERENT)


def _live(common: Common, directory: str, ignore: list[str]):
    """A snapshot against the live fleet: the scan written to a private tree, then compared as two
    trees; the scope's unread parts are left out of both sides (not reported as removed)."""
    import tempfile

    from apigw_stage.sources.fleet import snapshot
    from apigw_stage.views import fleet as views

    _say_skipped(directory)
    saved = snapshot.read(directory)
    result = views.with_recorded_accounts(steps.scan(common, common.scope()), snapshot.accounts(directory))
    files, _ = views.snapshot_files(result, ignore)
    with tempfile.TemporaryDirectory(prefix="stage-live-") as temp:
        live_dir = os.path.join(temp, "live")
        snapshot.write(live_dir, files)
        live = snapshot.read(live_dir)
    saved, live = views.comparable(result, saved), views.comparable(result, live)
    data, changed = views.diff_trees(saved, live, ignore)
    # What was not compared, as list and snapshot say it: the parts of the scope not read.
    unread = views.listing(result)
    data.update(errors=unread["errors"], skipped=unread["skipped"])

    def table(on_terminal):
        from apigw_stage.render.cells import stack
        from apigw_stage.render.fleet import fleet_diff, not_read

        section = not_read(result)
        compared = fleet_diff(data, changed, directory, "live", on_terminal)
        return compared if section is None else stack(compared, "", section)

    emit(common, data, table)
    steps.finish(result)
    if data["added"] or data["removed"] or data["changed"]:
        raise typer.Exit(DIFFERENT)


def _say_skipped(*roots: str, most: int = 10) -> None:
    """One stderr note per entry of a snapshot tree that is not read because it is not a regular
    file (a FIFO would hang a reader); at most `most` of them, then how many more."""
    from apigw_stage.core.stderr import say
    from apigw_stage.sources.fleet.irregular import irregular

    for root in roots:
        found = irregular(root)
        for path, kind in found[:most]:
            say(f"stage: note: skipped {os.path.join(root, path)}: {kind}, not a regular file (only regular files are read)")
        if len(found) > most:
            say(f"stage: note: skipped {len(found) - most} more entries of {root} that are not regular files")


def _side_label(where, resolved, target, targets) -> str:
    """API:STAGE (plus the region, or the profile, when the two sides differ in it) or the file."""
    if where.file is not None:
        return "standard input" if where.file == "-" else where.file
    label = f"{where.api_id}:{where.stage}"
    if targets[0].region != targets[1].region and target.region:
        label += f" ({target.region})"
    elif targets[0].profile != targets[1].profile:
        label += f" (profile {target.profile_name()})"
    return label



def side(text: str) -> Where:
    """One side of a diff: `API:STAGE`, or a saved document (a path, or - for stdin)."""
    import os

    if text == "-" or os.path.exists(text):
        return Where(file=text)
    api, colon, stage = text.rpartition(":")  # stage names have no colon; API names may
    if colon and api:
        names.check_api(api)
        names.check_stage(stage)
        return Where(api_id=api, stage=stage)
    if os.sep in text or text.lower().endswith((".json", ".yaml", ".yml")):
        return Where(file=text)  # a file that is not there: reading it says so
    raise UsageError(f"{text!r} is neither API:STAGE nor a saved document", "e.g. a1b2c3d4e5:prod or prod.json")


def parse_sides(words: list[str]) -> tuple[Where, Where]:
    """`API LEFT RIGHT` (two stages of one API) or `LEFT RIGHT` (each API:STAGE or a file)."""
    if len(words) == 3:
        names.check_api(words[0])
        for stage in words[1:]:
            names.check_stage(stage)
        return Where(api_id=words[0], stage=words[1]), Where(api_id=words[0], stage=words[2])
    if len(words) == 2:
        left, right = side(words[0]), side(words[1])
        if left.file == "-" and right.file == "-":
            raise UsageError("only one side can be read from standard input")
        return left, right
    raise UsageError(f"diff takes 2 or 3 arguments, not {len(words)}", "API STAGE STAGE, or LEFT RIGHT as API:STAGE or file")


COMMAND = diff
