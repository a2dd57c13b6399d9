"""`list`: every stage of an API."""

from apigw_stage.cli.app import ApiId, app
from apigw_stage.options import Common, with_common
from apigw_stage.output import emit
from apigw_stage.errors import UsageError
from apigw_stage.output import where_label
from apigw_stage.source import Where, check_api, fetch_all


@app.command(name="list", epilog="Examples:  stage list a1b2c3d4e5  ·  stage list petstore -o json --query '[].stageName'")
@with_common
def list_(common: Common, api_id: ApiId = None):
    """Every stage of an API in one table.

    Name, deployment, last update, canary share, cache cluster, X-Ray, WAF, logging level of the
    stage defaults and how many method entries override them. One GetStages call.
    json/yaml: the list of stage documents, sorted by name.
    """
    if api_id is None:
        raise UsageError("missing API (an id or a name)", "see --help")
    check_api(api_id)
    docs, resolved = fetch_all(api_id, common.target())
    label = where_label(Where(api_id=api_id), resolved)

    def table(on_terminal):
        from apigw_stage.render.listing import stage_list

        return stage_list(docs, label, on_terminal)

    emit(common, docs, table)
