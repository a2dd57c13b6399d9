"""The checks every Stage document passes, of either family (model/rest.py and model/v2.py give
each family's normal form): string keys, finite numbers, text that is text, bounded nesting;
timestamps read as aware UTC datetimes (epoch seconds or ISO strings)."""

import math
from datetime import datetime, timezone

# The deepest a Stage document goes is 4 (methodSettings > key > field > value); unknown future
# fields get room, but the renderers and writers recurse, so nesting stays far from the stack.
DEPTH_LIMIT = 64
# botocore's model has 32- and 64-bit integers only; anything wider is not from the service (and
# past 4,300 digits Python refuses even to print it).
_INT_BITS = 64
TIMESTAMP_FIELDS = ("createdDate", "lastUpdatedDate")  # both families


class ShapeError(ValueError):
    """The data is not a Stage document."""


def _timestamp(value):
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc) if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, bool):
        raise ShapeError("timestamp is a boolean")
    if isinstance(value, (int, float)):
        try:
            return datetime.fromtimestamp(value, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):  # 1e12, -1e12, nan: no date in years 1..9999
            raise ShapeError(f"{value!r} is not a time in years 1 to 9999 (epoch seconds)") from None
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            pass
        else:
            return _timestamp(number)
        try:
            return _timestamp(datetime.fromisoformat(value.strip()))
        except ValueError:
            raise ShapeError(f"unreadable timestamp {value!r}") from None
    raise ShapeError(f"unreadable timestamp {value!r}")


def _where(path: list) -> str:
    return ".".join(str(p) for p in path) or "the document"


def _check_text(text: str, path: list) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ShapeError(f"{_where(path)}: a lone surrogate {text[exc.start]!r} is not text") from None


def _check_values(doc: dict) -> None:
    """Only what JSON from the service can hold: objects with string keys, lists, text, finite
    numbers, booleans, null; nested at most DEPTH_LIMIT deep. Rejected, not converted: YAML's
    non-string keys (`on:` is a boolean, `1:` an integer), !!binary, !!set and dates, NaN and
    infinities, lone surrogates and integers wider than 64 bits never come from API Gateway, and
    guessing what a file meant by them would show a stage that does not exist."""
    stack = [(doc, [], 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > DEPTH_LIMIT:
            raise ShapeError(f"nested more than {DEPTH_LIMIT} levels deep at {_where(path[:3])}…")
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    raise ShapeError(f"{_where(path)}: key {key!r} ({type(key).__name__}) is not a string"
                                     " (in YAML, quote keys such as on, yes, 1)")
                _check_text(key, path)
                if not (depth == 0 and key in TIMESTAMP_FIELDS and isinstance(item, datetime)):
                    stack.append((item, path + [key], depth + 1))
        elif isinstance(value, list):
            stack.extend((item, path + [i], depth + 1) for i, item in enumerate(value))
        elif isinstance(value, str):
            _check_text(value, path)
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise ShapeError(f"{_where(path)}: {value} is not a number JSON allows")
        elif isinstance(value, int) and not isinstance(value, bool):
            if value.bit_length() > _INT_BITS:
                raise ShapeError(f"{_where(path)}: an integer of {value.bit_length()} bits is wider than any"
                                 " the service sends")
        elif value is not None and not isinstance(value, bool):
            raise ShapeError(f"{_where(path)}: a value of type {type(value).__name__}, which a stage document"
                             " never holds (in YAML, quote it)")


def read_timestamps(doc: dict) -> None:
    """createdDate and lastUpdatedDate of `doc` (either family, in camelCase) as aware UTC
    datetimes, in place."""
    for field in TIMESTAMP_FIELDS:
        if doc.get(field) is not None:
            try:
                doc[field] = _timestamp(doc[field])
            except ShapeError as exc:
                raise ShapeError(f"{field}: {exc}") from None
