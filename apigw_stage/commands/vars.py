"""`vars`: the stage variables (--canary adds the canary's values)."""

from typing import Annotated

import typer

from apigw_stage.commands.options import ApiId, Common, FamilyOpt, FileOpt, StageName, with_common
from apigw_stage.commands.steps import load
from apigw_stage.output.emit import emit
from apigw_stage.views.family import present

NAME = "vars"
EPILOG = "Example:  stage vars a1b2c3d4e5 prod --canary"


@with_common
def vars_(
    common: Common,
    api_id: ApiId = None,
    stage: StageName = None,
    file: FileOpt = None,
    with_canary: Annotated[bool, typer.Option(
        "--canary", "-c", help="Add the canary's value of each variable (json: variables and stageVariableOverrides).",
    )] = False,
    family: FamilyOpt = None,
):
    """The stage variables (--canary adds the canary's values).

    json/yaml: variables (an empty object when there are none); HTTP and WebSocket stages:
    stageVariables (--canary adds nothing: they have no canary).
    """
    found, label = load(common, api_id, stage, file, family)
    emit(common, *present(found.family).variables(found, label, with_canary))


COMMAND = vars_
