"""`show`: how a stage is configured, on one screen (REST, HTTP and WebSocket stages: the family's
presenter, views/family.py)."""

from apigw_stage.commands.options import ApiId, Common, FamilyOpt, FileOpt, StageName, with_common
from apigw_stage.commands.steps import load
from apigw_stage.output.emit import emit
from apigw_stage.views.family import present

NAME = "show"
EPILOG = "Examples:  stage show a1b2c3d4e5 prod  ·  stage show --file examples/prod-stage.json -o yaml"


@with_common
def show(common: Common, api_id: ApiId = None, stage: StageName = None, file: FileOpt = None,
         family: FamilyOpt = None):
    """How a stage is configured, on one screen.

    Deployment, dates, cache cluster, X-Ray, WAF, client certificate, access logs, tags, and a
    summary of method settings, canary and variables. HTTP and WebSocket stages: API type,
    automatic deployment, access logs, route settings, variables. json/yaml: the GetStage
    document (v2: apigatewayv2's, camelCase).
    """
    found, label = load(common, api_id, stage, file, family)
    emit(common, *present(found.family).show(found, label))


COMMAND = show
