"""Get the Stage document a command works on: from API Gateway (one GetStage call) or a file."""

import difflib
import re
from dataclasses import dataclass

from apigw_stage.errors import NotFound, UsageError
from apigw_stage.render.safe import has_unsafe

STAGE_NAME = re.compile(r"[A-Za-z0-9_-]{1,128}")


@dataclass(frozen=True)
class Where:
    """The stage a command inspects: an API stage or a saved document."""

    api_id: str | None = None
    stage: str | None = None
    file: str | None = None


def check_where(api_id: str | None, stage: str | None, file: str | None) -> Where:
    if file is not None:
        if api_id is not None or stage is not None:
            raise UsageError("give either API STAGE or --file, not both")
        return Where(file=file)
    if api_id is None or stage is None:
        missing = "API and STAGE" if api_id is None else "STAGE"
        raise UsageError(f"missing {missing} (or --file PATH)", "see --help")
    check_api(api_id)
    check_stage(stage)
    return Where(api_id=api_id, stage=stage)


def check_api(token: str) -> None:
    """An API id or name: anything printable the service could hold."""
    if not token.strip() or len(token) > 1024 or has_unsafe(token):
        raise UsageError(f"{token!r} is neither a REST API id nor a name")


def check_stage(stage: str) -> None:
    if not STAGE_NAME.fullmatch(stage):
        raise UsageError(f"{stage!r} cannot be a stage name (1-128 letters, digits, - and _)")


def closest(name: str, candidates: list[str]) -> list[str]:
    """Candidates ordered by how close they are to `name`, closest first."""
    lowered = name.lower()
    return sorted(
        candidates,
        key=lambda c: (-difflib.SequenceMatcher(None, lowered, c.lower()).ratio(), c),
    )


def client_for(target, clients: dict | None = None):
    """A boto3 client for `target`; `clients` shares them within one command (diff's two sides)."""
    from apigw_stage.aws import Client

    if clients is None:
        return Client(target)
    if target not in clients:
        clients[target] = Client(target)
    return clients[target]


def fetch(where: Where, target, clients: dict | None = None) -> tuple[dict, str | None]:
    """(the Stage document of `where`, the API id or None for a file): one GetStage call when the
    API is given by id."""
    from apigw_stage import document, restapis

    if where.file is not None:
        return document.from_file(where.file), None
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


def fetch_all(token: str, target) -> tuple[list[dict], str]:
    """(every stage of one API sorted by name, the API id): one GetStages call when given an id."""
    from apigw_stage import document, restapis

    client = client_for(target)
    api_id, stages = _api_stages(client, token, restapis.resolve(client, token))
    docs = [document.from_service(s) for s in stages]
    return sorted(docs, key=lambda d: str(d.get("stageName", ""))), api_id


def _api_stages(client, token: str, api_id: str) -> tuple[str, list[dict]]:
    """(api id, its stages). An id-like token the service does not know is tried as a name."""
    from apigw_stage import restapis

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
    from apigw_stage import restapis
    from apigw_stage.errors import StageError

    api, stage = where.api_id, where.stage
    if not STAGE_NAME.fullmatch(api or ""):
        return error
    swapped = restapis.looks_like_id(stage)
    if not swapped:
        try:
            names = [s.get("stageName") for s in client.get_stages(restapis.resolve(client, stage))]
        except StageError:
            return error
        swapped = api in names
    if not swapped:
        return error
    return NotFound(error.message, f"API comes first, then STAGE: did you mean `{stage} {api}`?")


def _missing_stage(api_id: str, stage: str, stages: list[dict]) -> NotFound:
    names = [s.get("stageName") for s in stages if isinstance(s.get("stageName"), str)]
    if not names:
        return NotFound(f"no stage {stage!r} in API {api_id}: the API has no stages")
    from apigw_stage.render.safe import visible

    listed = ", ".join(visible(n) for n in closest(stage, names))
    return NotFound(f"no stage {stage!r} in API {api_id}", f"stages: {listed}")


def side(text: str) -> Where:
    """One side of a diff: `API:STAGE`, or a saved document (a path, or - for stdin)."""
    import os

    if text == "-" or os.path.exists(text):
        return Where(file=text)
    api, colon, stage = text.rpartition(":")  # stage names have no colon; API names may
    if colon and api:
        check_api(api)
        check_stage(stage)
        return Where(api_id=api, stage=stage)
    if os.sep in text or text.lower().endswith((".json", ".yaml", ".yml")):
        return Where(file=text)  # a file that is not there: reading it says so
    raise UsageError(f"{text!r} is neither API:STAGE nor a saved document", "e.g. a1b2c3d4e5:prod or prod.json")


def sides(words: list[str]) -> tuple[Where, Where]:
    """`API LEFT RIGHT` (two stages of one API) or `LEFT RIGHT` (each API:STAGE or a file)."""
    if len(words) == 3:
        check_api(words[0])
        for stage in words[1:]:
            check_stage(stage)
        return Where(api_id=words[0], stage=words[1]), Where(api_id=words[0], stage=words[2])
    if len(words) == 2:
        left, right = side(words[0]), side(words[1])
        if left.file == "-" and right.file == "-":
            raise UsageError("only one side can be read from standard input")
        return left, right
    raise UsageError(f"diff takes 2 or 3 arguments, not {len(words)}", "API STAGE STAGE, or LEFT RIGHT as API:STAGE or file")
