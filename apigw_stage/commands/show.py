"""`show`: how a stage is configured, on one screen (REST, HTTP and WebSocket stages: the family's
presenter, views/family.py); the table adds where the stage is reached (invoke URL and the
custom-domain URLs mapped to it: sources/domains.region_mappings, once)."""

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
    automatic deployment, access logs, route settings, variables. The table ends with the
    invoke URL and the custom-domain URLs that reach the stage (GetDomainNames and one
    mappings call per domain, of the stage's family; not for json/yaml or --file).
    json/yaml: the GetStage document (v2: apigatewayv2's, camelCase).
    """
    found, label = load(common, api_id, stage, file, family)
    data, table = present(found.family).show(found, label)
    if found.api_id is not None:
        table = _with_urls(common, found, table)
    emit(common, data, table)


def _with_urls(common: Common, found, table):
    """The table, then the URLs that reach the stage; read only when the table is drawn."""

    def drawn(on_terminal):
        from apigw_stage.core.errors import StageError
        from apigw_stage.render.cells import stack
        from apigw_stage.render.domains import reached_at
        from apigw_stage.sources import domains as source
        from apigw_stage.views import domains as view

        target = common.target()
        stage = str(found.doc.get("stageName") or "")
        urls, note = [], None
        try:
            read = source.region_mappings(target, found.family.key)
            urls = view.reaching(read, found.api_id, stage)
            note = "; ".join(f"{what}: {why}" for what, why in read["notRead"]) or None
        except StageError as error:
            note = error.message
        region = source.region_of(target, found.family)
        return stack(table(on_terminal), reached_at(view.invoke_url(found.api_id, region, stage, found.protocol), urls, note))

    return drawn


COMMAND = show
