"""`settings`: methodSettings as a tree, the stage defaults (*/*) and what each method overrides;
route settings for HTTP and WebSocket stages."""

from typing import Annotated

import typer

from apigw_stage.commands.options import ApiId, Common, FamilyOpt, FileOpt, StageName, with_common
from apigw_stage.commands.steps import check_where, deployed_and_region, load
from apigw_stage.core.stderr import say
from apigw_stage.output.emit import emit
from apigw_stage.views.family import present

NAME = "settings"
EPILOG = "Examples:  stage settings a1b2c3d4e5 prod  ·  stage settings a1b2c3d4e5 prod --effective --all-methods -o json"


@with_common
def settings(
    common: Common,
    api_id: ApiId = None,
    stage: StageName = None,
    file: FileOpt = None,
    effective: Annotated[bool, typer.Option(
        "--effective", "-e", help="Every setting that applies to each method, and where it comes from.",
    )] = False,
    all_methods: Annotated[bool, typer.Option(
        "--all-methods", "-a",
        help="With --effective: every method deployed on the stage, with its authorization and integration, "
             "not only those with an entry (one more call, GetExport; implies --effective). REST only.",
    )] = False,
    family: FamilyOpt = None,
):
    """Method settings as a tree: stage defaults, then what each method overrides.

    The stage defaults (*/*) first, then each resource path (decoded: /pets/{petId}) and method
    with what differs from the defaults. A method with an entry takes every setting from it (a
    field the entry lacks is the service default, e.g. logging OFF); a method without one
    follows */*. --effective shows every setting that applies and where it comes from (method
    entry, stage defaults, service default); --all-methods adds the deployed methods that have
    no entry (from the stage's export; unknown with --file). json/yaml: methodSettings (with
    --effective, the schema in README). HTTP and WebSocket stages: the default route settings,
    then each route key with what its entry changes (a field the entry lacks follows the
    default route settings); json/yaml: routeSettings.
    """
    where = check_where(api_id, stage, file)
    clients: dict = {}
    found, label = load(common, api_id, stage, file, family, clients)
    deployed = None
    if all_methods and found.family.has_methods:
        deployed = deployed_and_region(common, where, found, clients)[0]
    elif all_methods:
        say("stage: note: --all-methods is for REST stages; the route settings are shown", common.env.stderr)
    emit(common, *present(found.family).settings(found, label, effective or all_methods, deployed))


COMMAND = settings
