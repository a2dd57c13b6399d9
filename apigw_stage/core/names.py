"""What can name an API or a stage, checked before any call (stdlib only: TAB reads it too)."""

import difflib
import re

from apigw_stage.core.errors import UsageError
from apigw_stage.core.text import has_unsafe

STAGE_NAME = re.compile(r"[A-Za-z0-9_-]{1,128}")
# API Gateway ids are ten lower-case letters and digits (e.g. a1b2c3d4e5).
_ID = re.compile(r"[a-z0-9]{10}")


def looks_like_id(token: str) -> bool:
    return bool(_ID.fullmatch(token))


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
