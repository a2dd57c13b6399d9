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
    if with_canary and not isinstance(found.doc.get("canarySettings"), dict):
        # Said on stderr whatever the format: the output alone (the stage's own values, an empty
        # stageVariableOverrides) would look like a canary that overrides nothing.
        why = "it has none" if found.family.has_canary else "HTTP and WebSocket stages have none"
        common.env.stderr.write(f"stage: note: --canary: the stage has no canary release ({why}); its own values are shown\n")
    emit(common, *present(found.family).variables(found, label, with_canary))


COMMAND = vars_
