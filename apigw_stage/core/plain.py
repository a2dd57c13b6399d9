"""Service data as json types: datetimes as RFC 3339 UTC with a Z, which jq's fromdateiso8601 reads."""

from datetime import datetime, timezone


def rfc3339(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    value = value.astimezone(timezone.utc)
    spec = "seconds" if value.microsecond == 0 else "milliseconds"
    return value.isoformat(timespec=spec).replace("+00:00", "Z")


def plain(value):
    """A copy of `value` made of json types only (datetimes become RFC 3339 strings)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, datetime):
        return rfc3339(value)
    return value
