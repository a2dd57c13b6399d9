"""`canary`: the canary release and how its variables differ."""

from apigw_stage.commands.options import ApiId, Common, FamilyOpt, FileOpt, StageName, with_common
from apigw_stage.commands.steps import load
from apigw_stage.output.emit import emit
from apigw_stage.views.family import present

NAME = "canary"
EPILOG = "Example:  stage canary a1b2c3d4e5 prod -o json"


@with_common
def canary(common: Common, api_id: ApiId = None, stage: StageName = None, file: FileOpt = None,
           family: FamilyOpt = None):
    """The canary release and how its variables differ.

    Share of traffic, canary vs stage deployment, stage cache, and each variable the canary
    overrides or adds. json/yaml: canarySettings (null when the stage has no canary, and for
    HTTP and WebSocket stages, which have no canary releases).
    """
    found, label = load(common, api_id, stage, file, family)
    emit(common, *present(found.family).canary(found, label))


COMMAND = canary
