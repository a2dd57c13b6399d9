"""What can name an API or a stage, checked before any call (stdlib only: TAB reads it too)."""

import difflib
import re

from apigw_stage.core.errors import UsageError
from apigw_stage.core.text import has_unsafe

# The one rule for a stage name, wherever a stage is named (show, settings, vars, canary, diff,
# check, and the commands to come). The service model's StageName docs: "Stage names can only
# contain alphanumeric characters, hyphens, and underscores. Maximum length is 128 characters";
# HTTP and WebSocket APIs also have `$default`, served at the API's root (AWS, "Stages for HTTP
# APIs in API Gateway"), the stage the console and quick-create give every HTTP API.
STAGE_NAME = re.compile(r"[A-Za-z0-9_-]{1,128}")
V2_DEFAULT = "$default"
# API Gateway ids are ten lower-case letters and digits (e.g. a1b2c3d4e5).
_ID = re.compile(r"[a-z0-9]{10}")


def looks_like_id(token: str) -> bool:
    return bool(_ID.fullmatch(token))


def check_api(token: str) -> None:
    """An API id or name: anything printable the service could hold."""
    if not token.strip() or len(token) > 1024 or has_unsafe(token):
        raise UsageError(f"{token!r} is neither a REST API id nor a name")


def is_stage_name(stage) -> bool:
    """A name the service allows for a stage of some family (REST, or also `$default` for v2)."""
    return isinstance(stage, str) and (stage == V2_DEFAULT or bool(STAGE_NAME.fullmatch(stage)))


def only_v2(stage: str) -> bool:
    """A name only HTTP and WebSocket APIs have (no REST stage can be `$default`)."""
    return stage == V2_DEFAULT


def check_stage(stage: str) -> None:
    if not is_stage_name(stage):
        raise UsageError(f"{stage!r} cannot be a stage name",
                         "1-128 letters, digits, - and _; or $default for HTTP and WebSocket APIs")


def closest(name: str, candidates: list[str]) -> list[str]:
    """Candidates ordered by how close they are to `name`, closest first."""
    lowered = name.lower()
    return sorted(
        candidates,
        key=lambda c: (-difflib.SequenceMatcher(None, lowered, c.lower()).ratio(), c),
    )
