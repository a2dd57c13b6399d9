"""`list`: every stage of an API, or with no API every stage of every API (REST, HTTP, WebSocket) in scope."""

from apigw_stage.commands import steps
from apigw_stage.commands.options import ApiId, Common, FamilyOpt, StagesFileOpt, WideOpt, family_of, formats_of, with_common
from apigw_stage.core.errors import UsageError
from apigw_stage.core.names import check_api
from apigw_stage.output.emit import emit
from apigw_stage.sources.stage import Where, fetch_all
from apigw_stage.views.family import present


NAME = "list"
EPILOG = (
    "Examples:  stage list a1b2c3d4e5  ·  stage list petstore -o json --query '[].stageName'  ·  "
    "stage list --region us-east-1 --region eu-west-1  ·  stage list --all-regions --profile prod --profile dev  ·  "
    "stage list --org-role OrganizationAccountAccessRole --region eu-west-1 -o html > stages.html  ·  "
    "stage list --org-role audit --accounts 111111111111,222222222222 --external-id ID --parallel 16"
)


@with_common(formats=formats_of("list"), scope=True)
def list_(common: Common, api_id: ApiId = None, file: StagesFileOpt = None, family: FamilyOpt = None,
          wide: WideOpt = False):
    """Every stage of an API in one table; with no API, every stage of every API in scope.

    Name, deployment, last update, canary share, cache cluster, X-Ray, WAF, logging level of the
    stage defaults and how many method entries override them. One GetStages call. HTTP and
    WebSocket APIs: deployment mode, access logs, default route logging, route entries (an id
    costs REST GetStages first, then the v2 one; --family v2 skips it).
    json/yaml: the list of stage documents, sorted by name. --file reads a saved GetStages answer
    (`aws apigateway get-stages` or `aws apigatewayv2 get-stages`), or a list of stage documents
    as -o json prints it.

    With no API: every REST, HTTP and WebSocket API of every account (--profile, repeatable) and
    region (--region, repeatable, or --all-regions): per account and region one GetRestApis page
    per 500 APIs and one GetStages per REST API, then the GetApis pages and one GetStages per
    HTTP or WebSocket API, all paced to --rate calls per second per account and region.
    --org-role ROLE: every ACTIVE account of the organization (or --accounts), each through
    its assumed role, --parallel accounts at once; an account that cannot be assumed is reported.
    -o html: one self-contained page (summary, sortable and filterable table).
    json/yaml: {stages: [{account, accountName, profile, region, restApiId, apiName, apiType, stage}],
    errors: [...], skipped: [...]}, apiType REST, HTTP or WEBSOCKET. Exit 8 when part of the
    scope could not be read (the rest is printed, with what was not read and why); a caller
    denied apigatewayv2 gets the REST stages and a skipped part, exit 0.
    """
    if file is not None:
        return _from_file(common, api_id, file, wide)
    if api_id is None:
        return _fleet(common, wide)
    if len(common.regions) > 1 or len(common.profiles) > 1 or common.all_regions or common.org_role:
        raise UsageError("one API is in one account and region", "leave out the API to list every stage in scope")
    check_api(api_id)
    docs, resolved, found = fetch_all(api_id, common.target(), family_of(family))
    _emit(common, docs, steps.where_label(Where(api_id=api_id), resolved), found, wide)


def _from_file(common: Common, api_id, file: str, wide: bool = False):
    from apigw_stage.sources import files as document
    from apigw_stage.core import families

    if api_id is not None:
        raise UsageError("give either API or --file, not both")
    saved, docs = document.listing_or_stages(file)
    if saved is not None:  # a saved fleet listing (`list -o json` with no API): the fleet again
        from apigw_stage.sources.fleet.saved import scan_of

        return _show_fleet(common, scan_of(saved, "standard input" if file == "-" else file), wide)
    found = families.V2 if docs and all(families.of_document(d) is families.V2 for d in docs) else families.REST
    _emit(common, docs, steps.where_label(Where(file=file)), found, wide)


def _emit(common: Common, docs: list[dict], label: str, family, wide: bool = False) -> None:
    """The list of one API's stages; the table's columns are the family's (its `present`)."""
    emit(common, *present(family).stage_list(docs, label, wide))


def _fleet(common: Common, wide: bool = False):
    _show_fleet(common, steps.scan(common, common.scope()), wide)


def _show_fleet(common: Common, result, wide: bool = False):
    from apigw_stage.views import fleet as views

    def table(on_terminal):
        from apigw_stage.render.fleet import fleet_list

        return fleet_list(result, on_terminal, wide)

    emit(common, views.listing(result), table)
    steps.finish(result)


COMMAND = list_
