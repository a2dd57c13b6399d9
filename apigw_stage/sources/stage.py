"""Get the Stage document a command works on: from API Gateway (one GetStage call) or a file.

Two API families (core/families.py) share one id space that looks alike (ten lower-case letters and
digits), so the family of an id is decided with the fewest calls (README, "HTTP and WebSocket
APIs"): --family says it (no guess); else the completion cache may know the id (no call); else
the REST path first, exactly as before (a REST stage costs what it did), and only when REST
says the API is not there the v2 GetStage. A name is looked up in both families (GetRestApis,
GetApis), so a name two families share is ambiguous. A v2 stage adds one GetApi call for its
protocol (HTTP or WebSocket), which settings and checks depend on.
"""

from dataclasses import dataclass
from typing import NamedTuple

from apigw_stage.core import families, names
from apigw_stage.core.errors import AuthError, NotFound, StageNotFound


@dataclass(frozen=True)
class Where:
    """The stage a command inspects: an API stage or a saved document."""

    api_id: str | None = None
    stage: str | None = None
    file: str | None = None


class Stage(NamedTuple):
    """What a one-stage command works on: the normalised document and where it came from."""

    doc: dict
    api_id: str | None  # None: read from a file
    family: families.Family
    protocol: str | None = None  # v2 only: HTTP or WEBSOCKET (None: unknown, e.g. a file that does not tell)


def client_for(target, clients: dict | None = None, family: families.Family = families.REST):
    """A boto3 client for `target` and the family's service; `clients` shares them within one
    command (diff's two sides)."""
    from apigw_stage.sources.aws import Client

    def make():
        return Client(target, service=family.service)

    if clients is None:
        return make()
    key = target if family is families.REST else (target, family.service)
    if key not in clients:
        clients[key] = make()
    return clients[key]


def fetch_stage(where: Where, target, clients: dict | None = None, family: families.Family | None = None) -> Stage:
    """The stage of `where`, of `family` (None: decided as the module docstring says)."""
    from apigw_stage.sources import files as document

    if where.file is not None:
        if where.api_id is not None:  # API STAGE --file: from a saved fleet listing
            found_family, doc = document.pick_from_listing(where.file, where.api_id, where.stage)
        else:
            found_family, doc = document.read_stage(where.file, family)
        if found_family is families.V2:
            from apigw_stage.model.routes import protocol_of

            return Stage(doc, None, found_family, protocol_of(doc))
        return Stage(doc, None, found_family)
    if family is families.REST:
        if names.only_v2(where.stage):
            from apigw_stage.core.errors import UsageError

            raise UsageError(f"a REST stage cannot be named {where.stage}", "it is an HTTP or WebSocket API's stage: --family v2")
        return Stage(*_fetch_rest(where, target, clients), families.REST)
    # `$default` is an HTTP or WebSocket stage: no REST call can find it.
    if family is families.V2 or names.only_v2(where.stage) or _cached_family(target, where.api_id) is families.V2:
        return _fetch_v2_any(where, target, clients)
    return _fetch_either(where, target, clients)


def _fetch_either(where: Where, target, clients) -> Stage:
    """Family unknown. An id: REST GetStage, and on NotFound REST GetStages (the API exists: its
    stage does not, exit 3 naming its stages; as before v2), then v2 GetStage (+ GetApi); a v2
    API without that stage is told by v2 GetStages. Not an id, or an id no family has: a name,
    looked up in both families (GetRestApis and GetApis, all pages of each)."""
    from apigw_stage.sources import files as document

    client = client_for(target, clients)
    token = where.api_id
    if names.looks_like_id(token):
        try:
            return Stage(document.from_service(client.get_stage(token, where.stage)), token, families.REST)
        except NotFound as error:
            no_rest_api = no_such_api(error)
        stages = None
        if not no_rest_api:  # the stage, or an answer that does not say: GetStages tells
            try:
                stages = client.get_stages(token)
            except NotFound:
                stages = None
        if stages is not None:
            raise _missing_stage(token, where.stage, stages)
        try:
            return _fetch_v2(where, target, clients)
        except StageNotFound:
            raise
        except NotFound as error:
            if no_rest_api and no_such_api(error) and not _cached_name(target, token):
                # Neither family has an API of that id: 2 calls, then the answer (the names of
                # every API would cost GetRestApis and GetApis, all pages, on every typo).
                raise _unknown_id(error, client, where) from None
        except AuthError:  # guessing: a caller without v2 rights asked only about REST
            pass
    try:
        family, api_id = named(token, target, clients)
    except NotFound as error:
        raise _with_swap_hint(error, client, where) from None
    if family is families.V2:
        return _fetch_v2(Where(api_id=api_id, stage=where.stage), target, clients)
    return Stage(*_fetch_rest(Where(api_id=api_id, stage=where.stage), target, clients), families.REST)


# The service's words for an API that is not there (not a stage): "Invalid API identifier
# specified ACCOUNT:ID" from both apigateway (REST: AWS::ApiGateway::Resource) and apigatewayv2,
# as quoted in aws/aws-sam-cli#7030; moto's REST says "Invalid Rest API Id specified". A missing
# stage is "Invalid stage identifier specified". Anything else is not taken as either.
_NO_API = ("invalid api identifier", "invalid rest api id", "invalid restapiid")


class NoApi(NotFound):
    """The API itself is not there (the service said so), not only its stage."""


def no_such_api(error: NotFound) -> bool:
    """The NotFound says the API is missing (not only its stage)."""
    if isinstance(error, NoApi):
        return True
    return any(words in (error.message or "").lower() for words in _NO_API)


def _cached_name(target, token: str) -> bool:
    """The completion cache (no call) has seen an API named `token` (a name that looks like an id)."""
    from apigw_stage.core import cache

    ctx = cache.context(target.profile, target.region, target.endpoint_url)
    for key in ("apis", "v2apis"):
        items = cache.read([*ctx, key])
        if isinstance(items, list) and any(len(i) > 1 and i[1] == token for i in items):
            return True
    return False


def _unknown_id(error: NotFound, client, where: Where) -> NotFound:
    region = client.region or "this region"
    if names.looks_like_id(where.stage) and names.is_stage_name(where.api_id):
        return NotFound(f"no API {where.api_id!r} in {region}",
                        f"API comes first, then STAGE: did you mean `{where.stage} {where.api_id}`?")
    return NotFound(f"no REST API {where.api_id!r}, nor an HTTP or WebSocket API of that id, in {region}",
                    "check --region and --profile; `stage list` lists the APIs (an API whose name looks like an id: give its id)")


def _cached_family(target, api_id: str) -> families.Family | None:
    """The family of an id the completion cache has seen (no call); None when it does not know."""
    from apigw_stage.core import cache

    return cache.family_of(cache.context(target.profile, target.region, target.endpoint_url), api_id)


def _fetch_v2_any(where: Where, target, clients) -> Stage:
    """An HTTP or WebSocket API's stage, the API given by id (GetStage, GetApi) or else by name
    (GetApis, all pages)."""

    if names.looks_like_id(where.api_id):
        try:
            return _fetch_v2(where, target, clients)
        except StageNotFound:
            raise
        except NotFound as error:
            if isinstance(error, NoApi) and not _cached_name(target, where.api_id):
                raise  # one call, then the answer (as _fetch_either says)
    _, api_id = named(where.api_id, target, clients, families.V2)
    return _fetch_v2(Where(api_id=api_id, stage=where.stage), target, clients)


def _fetch_v2(where: Where, target, clients) -> Stage:
    """GetStage then GetApi (the protocol). A NotFound says whether the API (NotFound) or the
    stage (StageNotFound, naming the stages: one GetStages call) is missing."""
    from apigw_stage.sources import v2 as calls
    from apigw_stage.sources.files import from_service_v2 as from_service

    client = client_for(target, clients, families.V2)
    try:
        raw = calls.get_stage(client, where.api_id, where.stage)
    except NotFound as error:
        missing = None if no_such_api(error) else _missing_v2(client, where)  # the API is there: name its stages
        raise missing or NoApi(
            f"no HTTP or WebSocket API {where.api_id!r} in {client.region or 'this region'}",
            "check --region and --profile") from None
    doc = from_service(raw)
    protocol = calls.get_api(client, where.api_id).get("ProtocolType")
    return Stage(doc, where.api_id, families.V2, protocol if isinstance(protocol, str) else None)


def _missing_v2(client, where: Where) -> NotFound | None:
    """The stage is not there: the error naming the API's stages (one GetStages call), or None
    when there is no such v2 API either."""
    from apigw_stage.sources import v2 as calls

    try:
        stages = [{"stageName": s.get("StageName")} for s in calls.get_stages(client, where.api_id)]
    except NotFound:
        return None
    return _missing_stage(where.api_id, where.stage, stages)


def named(token: str, target, clients, family: families.Family | None = None) -> tuple[families.Family, str]:
    """(family, id) of the one API called `token`, among `family`'s APIs (None: both families:
    GetRestApis and GetApis, all pages). Several of that name: exit 2 listing each with its
    family; none: NotFound with the closest names (restapis.pick)."""
    from apigw_stage.sources import apis as restapis
    from apigw_stage.sources import v2 as calls

    listed = []  # {"id", "name", "family", "type"}, as restapis.pick takes them
    region = None
    if family in (None, families.REST):
        client = client_for(target, clients)
        region = client.region
        listed += [{**a, "family": families.REST, "type": "REST"} for a in client.get_rest_apis()
                   if isinstance(a.get("id"), str)]
    if family in (None, families.V2):
        client = client_for(target, clients, families.V2)
        region = region or client.region
        try:
            apis = calls.get_apis(client)
        except NotFound:  # no listing at all (an endpoint without v2): no v2 API has the name
            apis = []
        except AuthError:
            if family is families.V2:
                raise
            apis = []  # guessing the family: a caller without v2 rights names a REST API
        listed += [{"id": a["ApiId"], "name": a.get("Name"), "family": families.V2,
                    "type": str(a.get("ProtocolType") or "v2")} for a in apis if isinstance(a.get("ApiId"), str)]
    kinds = {a["family"] for a in listed}
    title = "REST API" if family is families.REST or kinds <= {families.REST} else (
        "HTTP or WebSocket API" if family is families.V2 or kinds == {families.V2} else "API")
    by_id = [a for a in listed if a["id"] == token]  # an id of another shape than ours (moto's are 8 long)
    found = by_id[0] if len(by_id) == 1 else restapis.pick(listed, token, region, title, mixed=len(kinds) > 1)
    return found["family"], found["id"]


def _fetch_rest(where: Where, target, clients) -> tuple[dict, str]:
    """(the REST Stage document, the API id): one GetStage call when the API is given by id."""
    from apigw_stage.sources import files as document
    from apigw_stage.sources import apis as restapis

    client = client_for(target, clients)
    try:
        api_id = restapis.resolve(client, where.api_id)
    except NotFound as error:
        raise _with_swap_hint(error, client, where) from None
    try:
        return document.from_service(client.get_stage(api_id, where.stage)), api_id
    except NotFound:
        pass
    # Missing API or missing stage? One GetStages call tells, and names the stages.
    try:
        found_id, stages = _api_stages(client, where.api_id, api_id)
    except NotFound as error:
        raise _with_swap_hint(error, client, where) from None
    if found_id != api_id:  # the id-like word was an API's name
        try:
            return document.from_service(client.get_stage(found_id, where.stage)), found_id
        except NotFound:
            pass
    raise _missing_stage(found_id, where.stage, stages)


def fetch_all(token: str, target, family: families.Family | None = None) -> tuple[list[dict], str, families.Family]:
    """(every stage of one API sorted by name, the API id, its family). An id: one REST GetStages
    call, and only on NotFound the v2 GetStages (all pages); --family or the completion cache
    skips the other family. Not an id, or an id no family has: a name (see `named`)."""
    from apigw_stage.sources import files as document

    if family is None and _cached_family(target, token) is families.V2:
        family = families.V2
    if names.looks_like_id(token):
        if family is not families.V2:
            try:
                return _sorted([document.from_service(s) for s in client_for(target).get_stages(token)]), token, families.REST
            except NotFound:
                pass
        if family is not families.REST:
            try:
                return _v2_stages(token, target), token, families.V2
            except NotFound:
                pass
    found_family, api_id = named(token, target, None, family)
    if found_family is families.V2:
        return _v2_stages(api_id, target), api_id, families.V2
    return _sorted([document.from_service(s) for s in client_for(target).get_stages(api_id)]), api_id, families.REST


def _sorted(docs: list[dict]) -> list[dict]:
    return sorted(docs, key=lambda d: str(d.get("stageName", "")))


def _v2_stages(api_id: str, target) -> list[dict]:
    """The v2 GetStages answer (all pages), each stage normalised; NotFound when no such API."""
    from apigw_stage.sources import v2 as calls
    from apigw_stage.sources.files import from_service_v2 as from_service

    return _sorted([from_service(s) for s in calls.get_stages(client_for(target, None, families.V2), api_id)])


def _api_stages(client, token: str, api_id: str) -> tuple[str, list[dict]]:
    """(api id, its stages). An id-like token the service does not know is tried as a name."""
    from apigw_stage.sources import apis as restapis

    try:
        return api_id, client.get_stages(api_id)
    except NotFound:
        if api_id != token:  # already resolved by name: the API went away meanwhile
            raise NotFound(f"no REST API {token!r} in {client.region or 'this region'}") from None
    named = restapis.by_name(client, token)
    return named, client.get_stages(named)


def _with_swap_hint(error: NotFound, client, where: Where) -> NotFound:
    """The API was not found: were API and STAGE typed the other way round (`show prod petstore`)?
    Yes when the second word looks like an API id, or is an API that has a stage named like the
    first word (one more GetStages call, on this failure path only)."""
    from apigw_stage.sources import apis as restapis
    from apigw_stage.core.errors import StageError

    api, stage = where.api_id, where.stage
    if not names.STAGE_NAME.fullmatch(api or ""):
        return error
    swapped = names.looks_like_id(stage)
    if not swapped:
        try:
            stage_names = [s.get("stageName") for s in client.get_stages(restapis.resolve(client, stage))]
        except StageError:
            return error
        swapped = api in stage_names
    if not swapped:
        return error
    return NotFound(error.message, f"API comes first, then STAGE: did you mean `{stage} {api}`?")


def _missing_stage(api_id: str, stage: str, stages: list[dict]) -> StageNotFound:
    found = [s.get("stageName") for s in stages if isinstance(s.get("stageName"), str)]
    if not found:
        return StageNotFound(f"no stage {stage!r} in API {api_id}: the API has no stages")
    from apigw_stage.core.text import visible

    listed = ", ".join(visible(n) for n in names.closest(stage, found))
    return StageNotFound(f"no stage {stage!r} in API {api_id}", f"stages: {listed}")

