"""The Stage document: loaded from API Gateway or a file, normalised once.

Normalised means: ResponseMetadata dropped, createdDate/lastUpdatedDate as aware UTC datetimes
(botocore hands back local-time datetimes; saved files hold epoch seconds or ISO strings), and
the shape checked so that the views can trust it.
"""

import json
import sys
from datetime import datetime, timezone

from apigw_stage.errors import ServiceError, UsageError

TIMESTAMP_FIELDS = ("createdDate", "lastUpdatedDate")
_MAP_FIELDS = ("methodSettings", "variables", "tags")
_STAGE_MARKERS = ("stageName", "deploymentId")


class ShapeError(ValueError):
    """The data is not a Stage document."""


def _timestamp(value):
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc) if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, bool):
        raise ShapeError("timestamp is a boolean")
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, tz=timezone.utc)
    if isinstance(value, str):
        try:
            return _timestamp(float(value))
        except ValueError:
            pass
        try:
            return _timestamp(datetime.fromisoformat(value.strip()))
        except ValueError:
            raise ShapeError(f"unreadable timestamp {value!r}") from None
    raise ShapeError(f"unreadable timestamp {value!r}")


def normalise(raw) -> dict:
    """Return the Stage document in normal form, or raise ShapeError."""
    if not isinstance(raw, dict):
        raise ShapeError(f"expected an object, got {type(raw).__name__}")
    doc = {k: v for k, v in raw.items() if k != "ResponseMetadata"}
    if not any(isinstance(doc.get(k), str) for k in _STAGE_MARKERS):
        raise ShapeError("no stageName or deploymentId")
    for field in TIMESTAMP_FIELDS:
        if doc.get(field) is not None:
            try:
                doc[field] = _timestamp(doc[field])
            except (OverflowError, OSError) as exc:
                raise ShapeError(f"{field}: {exc}") from None
    for field in _MAP_FIELDS:
        if field in doc and doc[field] is not None and not isinstance(doc[field], dict):
            raise ShapeError(f"{field} is not an object")
    for key, entry in (doc.get("methodSettings") or {}).items():
        if not isinstance(entry, dict):
            raise ShapeError(f"methodSettings[{key!r}] is not an object")
    logs = doc.get("accessLogSettings")
    if logs is not None and not isinstance(logs, dict):
        raise ShapeError("accessLogSettings is not an object")
    canary = doc.get("canarySettings")
    if canary is not None:
        if not isinstance(canary, dict):
            raise ShapeError("canarySettings is not an object")
        overrides = canary.get("stageVariableOverrides")
        if overrides is not None and not isinstance(overrides, dict):
            raise ShapeError("canarySettings.stageVariableOverrides is not an object")
    return doc


def from_service(response) -> dict:
    try:
        return normalise(response)
    except ShapeError as exc:
        raise ServiceError(f"the service answered with something that is not a stage: {exc}") from None


def _parse_text(text: str):
    try:
        return json.loads(text)
    except ValueError:
        pass
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or "not valid JSON or YAML"
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ShapeError(f"not valid JSON or YAML: {problem}{where}") from None


def read_source(path: str) -> str:
    name = "standard input" if path == "-" else path
    try:
        if path == "-":
            data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
        else:
            with open(path, "rb") as handle:
                data = handle.read()
    except FileNotFoundError:
        raise UsageError(f"cannot read {name}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"cannot read {name}: it is a directory") from None
    except OSError as exc:
        raise UsageError(f"cannot read {name}: {exc.strerror or exc}") from None
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UsageError(f"cannot read {name}: not UTF-8 text (byte {exc.start})") from None
    return data


def from_file(path: str) -> dict:
    """Load a saved GetStage document (aws CLI v1/v2 output, or stage -o json/yaml)."""
    name = "standard input" if path == "-" else path
    text = read_source(path)
    if not text.strip():
        raise UsageError(f"cannot use {name}: it is empty")
    try:
        return normalise(_parse_text(text))
    except ShapeError as exc:
        raise UsageError(f"cannot use {name}: not a GetStage document: {exc}") from None
