"""Get the Stage document a command works on: from API Gateway (one GetStage call) or a file."""

import difflib
import re
from dataclasses import dataclass

from apigw_stage.errors import NotFound, UsageError

STAGE_NAME = re.compile(r"[A-Za-z0-9_-]{1,128}")
API_ID = re.compile(r"[A-Za-z0-9_-]{1,128}")


@dataclass(frozen=True)
class Where:
    """The stage a command inspects: an API stage or a saved document."""

    api_id: str | None = None
    stage: str | None = None
    file: str | None = None


def check_where(api_id: str | None, stage: str | None, file: str | None) -> Where:
    if file is not None:
        if api_id is not None or stage is not None:
            raise UsageError("give either API_ID STAGE or --file, not both")
        return Where(file=file)
    if api_id is None or stage is None:
        missing = "API_ID and STAGE" if api_id is None else "STAGE"
        raise UsageError(f"missing {missing} (or --file PATH)", "see --help")
    if not API_ID.fullmatch(api_id):
        raise UsageError(f"{api_id!r} is not a REST API id (letters, digits, - and _)")
    if not STAGE_NAME.fullmatch(stage):
        raise UsageError(
            f"{stage!r} cannot be a stage name (1-128 letters, digits, - and _)",
        )
    return Where(api_id=api_id, stage=stage)


def closest(name: str, candidates: list[str]) -> list[str]:
    """Candidates ordered by how close they are to `name`, closest first."""
    lowered = name.lower()
    return sorted(
        candidates,
        key=lambda c: (-difflib.SequenceMatcher(None, lowered, c.lower()).ratio(), c),
    )


def fetch(where: Where, target) -> dict:
    from apigw_stage import document

    if where.file is not None:
        return document.from_file(where.file)

    from apigw_stage.aws import Client

    client = Client(target)
    try:
        response = client.get_stage(where.api_id, where.stage)
    except NotFound:
        raise _explain_not_found(client, where) from None
    return document.from_service(response)


def _explain_not_found(client, where: Where) -> NotFound:
    """One more call (GetStages) tells a missing API from a missing stage and names the stages."""
    try:
        stages = client.get_stages(where.api_id)
    except NotFound:
        return NotFound(f"no REST API {where.api_id!r} in {client.region or 'this region'}", "check the id, --region and --profile")
    names = [s.get("stageName") for s in stages if isinstance(s.get("stageName"), str)]
    if not names:
        return NotFound(f"no stage {where.stage!r} in API {where.api_id}: the API has no stages")
    from apigw_stage.render.safe import visible

    listed = ", ".join(visible(n) for n in closest(where.stage, names))
    return NotFound(f"no stage {where.stage!r} in API {where.api_id}", f"stages: {listed}")
