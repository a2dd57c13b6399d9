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
    "stage diff fleet-monday/ fleet-today/  ·  stage diff fleet/ (every account and region the snapshot holds)"
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

    Two snapshot directories (stage snapshot DIR): the stages added, removed and changed, named
    as the service names them, each changed stage with its changes as above; json/yaml {added,
    removed, changed}. One snapshot directory: it against the live fleet, every account and
    region the snapshot holds unless --profile/--region/--all-regions give the scope (the
    snapshot's other cells are then listed as not compared); what could not be read is left out
    of the comparison and listed after it (json/yaml adds errors, skipped and notCompared), and
    the exit status is 8. Fields a snapshot left out (snapshot --ignore) are left out of both sides.
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
    """Two snapshot trees: stages added, removed and changed, by the service's names. The fields
    either snapshot left out (snapshot --ignore, recorded in its marker) are left out of both."""
    from apigw_stage.sources.fleet import snapshot
    from apigw_stage.views import fleet as views

    trees = snapshot.read(left), snapshot.read(right)
    for root, tree in zip((left, right), trees):
        _say_skipped(common, tree)
        _say_irregular(root, said=tree[None]["skipped"])
    recorded = [set(tree[None]["ignore"]) for tree in trees]
    if recorded[0] != recorded[1]:
        common.env.stderr.write(
            f"stage: note: the two snapshots left out different fields ({_fields(recorded[0], left)}; "
            f"{_fields(recorded[1], right)}): each is left out of both sides\n")
    fields = [*ignore, *sorted((recorded[0] | recorded[1]) - set(ignore))]
    data, changed = views.diff_trees(trees[0], trees[1], fields)

    def table(on_terminal):
        from apigw_stage.render.fleet import fleet_diff

        return fleet_diff(data, changed, left, right, on_terminal)

    emit(common, data, table)
    if data["added"] or data["removed"] or data["changed"]:
        raise typer.Exit(DIFFERENT)


def _say_skipped(common: Common, tree: dict) -> None:
    from apigw_stage.core.text import visible

    for path in tree[None]["skipped"]:
        common.env.stderr.write(f"stage: note: skipped {visible(path)}: not a regular file (a link is never followed)\n")


def _fields(fields: set, side: str) -> str:
    from apigw_stage.core.text import visible

    return f"{visible(side)}: {', '.join(map(visible, sorted(fields))) or 'none'}"


def _live(common: Common, directory: str, ignore: list[str]):
    """A snapshot against the live fleet, every account and region the snapshot holds unless
    --profile/--region narrow it (issue 19 item 5): the scan serialised as `snapshot` writes it
    and read back, then compared as two trees; the scope's unread parts are left out of both
    sides (not reported as removed), and the snapshot's cells outside the scope are listed."""
    from apigw_stage.sources.fleet import snapshot
    from apigw_stage.views import fleet as views

    saved = snapshot.read(directory)
    mark = saved[None]
    _say_skipped(common, saved)
    _say_irregular(directory, said=mark["skipped"])
    scope_common, left_out = _snapshot_scope(common, mark)
    result = views.with_recorded_accounts(steps.scan(scope_common, scope_common.scope()), mark["accounts"])
    fields = [*ignore, *sorted(set(mark["ignore"]) - set(ignore))]
    live = views.live_tree(result, fields)
    held = set(map(tuple, mark["cells"]))
    accounts = {a for a, _r in held}

    def cells(account, region):
        # Regions taken from the snapshot: an account it holds is compared where it has cells
        # (the scope is profiles x regions); an account named by --profile that it does not
        # hold is compared in every region of the scope (its stages are all "added").
        return common.regions or common.all_regions or account not in accounts or (account, region) in held

    looked = {(views.account_name(c.account), c.region) for c in result.scanned}
    left_out += [{"account": a, "region": r, "reason": "outside this run's --profile/--region"}
                 for a, r in sorted(held) if (a, r) not in looked and not any(
                     x["account"] == a and x["region"] == r for x in left_out)]
    saved, live = views.comparable(result, saved, cells), views.comparable(result, live, cells)
    data, changed = views.diff_trees(saved, live, fields)
    # What was not compared, as list and snapshot say it: the parts of the scope not read.
    unread = views.listing(result)
    data.update(errors=unread["errors"], skipped=unread["skipped"], notCompared=left_out)

    def table(on_terminal):
        from apigw_stage.render.cells import stack
        from apigw_stage.render.fleet import not_compared, not_read

        parts = [fleet_diff_table(data, changed, directory, on_terminal)]
        for section in (not_read(result), not_compared(left_out)):
            if section is not None:
                parts += ["", section]
        return stack(*parts)

    emit(common, data, table)
    steps.finish(result)
    if data["added"] or data["removed"] or data["changed"]:
        raise typer.Exit(DIFFERENT)


def fleet_diff_table(data, changed, directory, on_terminal):
    from apigw_stage.render.fleet import fleet_diff

    return fleet_diff(data, changed, directory, "live", on_terminal)


def _snapshot_scope(common: Common, mark: dict):
    """(common with the profiles and regions of the snapshot's cells where --profile/--region
    (--all-regions) do not give them, [cells left out, why]).
    A cell's profile is the one the marker recorded for its account, or the account folder's
    own name when it was filed under a profile (no account id was known)."""
    import re
    from dataclasses import replace

    from apigw_stage.sources.fleet.scope import Account

    default = Account(None).profile_name
    by_account = {}
    for profile, folder in sorted(mark["accounts"].items()):
        by_account.setdefault(names_of(folder), profile)
    profiles, regions, left_out = [], [], []
    for account, region in mark["cells"]:
        profile = by_account.get(account) or (None if re.fullmatch(r"[0-9]{12}", account) else account)
        if profile is None:
            left_out.append({"account": account, "region": region,
                             "reason": "no profile recorded for this account: pass --profile"})
            continue
        profiles.append(None if profile == default else profile)
        regions.append(region)
    chosen = tuple(dict.fromkeys(profiles))  # None: the default credentials, as without --profile
    if common.profiles or not profiles:
        chosen, left_out = common.profiles, []
    if not (common.regions or common.all_regions) and regions:
        common = replace(common, regions=tuple(dict.fromkeys(regions)))
    return replace(common, profiles=() if chosen == (None,) else chosen), left_out


def names_of(folder: str) -> str:
    from apigw_stage.model.tree import decode

    return decode(folder) or folder


def _say_irregular(root: str, said=(), most: int = 10) -> None:
    """One stderr note per entry of a snapshot tree that is not read because it is not a regular
    file (a FIFO would hang a reader), wherever it is in the tree; at most `most` of them, then how many more."""
    from apigw_stage.core.stderr import say
    from apigw_stage.sources.fleet.irregular import irregular

    found = [(path, kind) for path, kind in irregular(root) if os.path.join(root, path) not in set(said)]
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
