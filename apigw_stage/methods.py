"""methodSettings keys <-> (resource path, HTTP method), overrides and effective settings.

GetStage returns every field of a method entry, set on purpose or not, so an "override" can only
mean "differs from the stage defaults (*/*)". Absent from both, a field falls back to the
service default.
"""

from dataclasses import dataclass

STAGE_DEFAULTS_KEY = "*/*"
ACCOUNT_LIMIT = "account limit"

# (field, label, service default) in the order a person reads them.
FIELDS = (
    ("loggingLevel", "Logging", "OFF"),
    ("dataTraceEnabled", "Data trace", False),
    ("metricsEnabled", "Metrics", False),
    ("throttlingRateLimit", "Throttling rate", None),
    ("throttlingBurstLimit", "Throttling burst", None),
    ("cachingEnabled", "Caching", False),
    ("cacheTtlInSeconds", "Cache TTL", 300),
    ("cacheDataEncrypted", "Cache encryption", False),
    ("requireAuthorizationForCacheControl", "Cache invalidation", True),
    ("unauthorizedCacheControlHeaderStrategy", "Unauthorised invalidation", "SUCCEED_WITH_RESPONSE_HEADER"),
)
FIELD_NAMES = tuple(f for f, _, _ in FIELDS)
LABELS = {f: label for f, label, _ in FIELDS}
SERVICE_DEFAULTS = {f: d for f, _, d in FIELDS}
_THROTTLING = ("throttlingRateLimit", "throttlingBurstLimit")
HTTP_METHODS = {"GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "ANY", "*"}


@dataclass(frozen=True)
class MethodKey:
    key: str  # as the service wrote it
    path: str | None  # decoded resource path, None when the key cannot be decoded
    http_method: str | None

    @property
    def label(self) -> str:
        return self.key if self.path is None else f"{self.http_method} {self.path}"


def decode_path(encoded: str) -> str | None:
    """'~1pets~1{petId}' -> '/pets/{petId}'; '~1' -> '/'; '*' -> '*' (all resources)."""
    if encoded == "*":
        return "*"
    if not encoded.startswith("~1") or "/" in encoded:
        return None
    return encoded.replace("~1", "/").replace("~0", "~")


def parse_key(key: str) -> MethodKey:
    """Split on the last '/'; keys that do not decode keep path None and are shown as they are."""
    if "/" not in key:
        return MethodKey(key, None, None)
    encoded, method = key.rsplit("/", 1)
    path = decode_path(encoded)
    if path is None or not method:
        return MethodKey(key, None, None)
    return MethodKey(key, path, method)


def encode_key(path: str, http_method: str) -> str:
    if path == "*":
        return f"*/{http_method}"
    return path.replace("~", "~0").replace("/", "~1") + "/" + http_method


def _norm(field: str, value):
    """Values that mean the same thing compare equal (-1, absent and None throttling = account limit)."""
    if field in _THROTTLING and (value is None or (isinstance(value, (int, float)) and value < 0)):
        return None
    return value


def is_account_limit(field: str, value) -> bool:
    """A throttling value that sets no limit of its own (-1, absent or None)."""
    return _norm(field, value) is None


def stage_defaults(settings: dict) -> dict:
    return settings.get(STAGE_DEFAULTS_KEY) or {}


def baseline(settings: dict, field: str):
    """What applies to a method that does not override `field`, and where it comes from."""
    defaults = stage_defaults(settings)
    if field in defaults:
        return defaults[field], "stage"
    return SERVICE_DEFAULTS[field], "service"


def overrides(settings: dict, key: str) -> dict:
    """The fields of method entry `key` that differ from the stage defaults: {field: (method, base)}."""
    entry = settings.get(key) or {}
    found = {}
    for field, value in entry.items():
        if field not in SERVICE_DEFAULTS:
            if value != stage_defaults(settings).get(field):
                found[field] = (value, stage_defaults(settings).get(field))
            continue
        base, _ = baseline(settings, field)
        if _norm(field, value) != _norm(field, base):
            found[field] = (value, base)
    return found


def effective(settings: dict, key: str) -> dict:
    """Every setting that applies to method `key`: {field: (value, source)}; source is
    'method', 'stage' or 'service'."""
    entry = settings.get(key) or {}
    result = {}
    diff = overrides(settings, key)
    for field in FIELD_NAMES:
        if field in diff:
            result[field] = (entry[field], "method")
        else:
            result[field] = baseline(settings, field)
    return result


def method_keys(settings: dict) -> list[MethodKey]:
    """Every entry but the stage defaults, sorted by path then method; odd keys last."""
    keys = [parse_key(k) for k in settings if k != STAGE_DEFAULTS_KEY]
    return sorted(keys, key=lambda m: (m.path is None, m.path or m.key, m.http_method or ""))


def describe(field: str, value) -> str:
    """A setting in words a person understands."""
    if field in _THROTTLING:
        if is_account_limit(field, value):
            return ACCOUNT_LIMIT
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return str(value)  # not a number: shown as the service wrote it
        unit = "requests/s" if field == "throttlingRateLimit" else "requests"
        number = int(value) if float(value).is_integer() else value
        return f"{number:,} {unit}" if isinstance(number, int) else f"{number} {unit}"
    if field == "cacheTtlInSeconds":
        return f"{value} s" if value is not None else "—"
    if field == "unauthorizedCacheControlHeaderStrategy":
        return {
            "FAIL_WITH_403": "fail with 403",
            "SUCCEED_WITH_RESPONSE_HEADER": "ignore, warn in a header",
            "SUCCEED_WITHOUT_RESPONSE_HEADER": "ignore silently",
        }.get(value, str(value))
    if field == "requireAuthorizationForCacheControl":
        return "needs authorisation" if value else "open to any caller"
    if field == "cacheDataEncrypted":
        return "encrypted" if value else "not encrypted"
    if isinstance(value, bool):
        return "on" if value else "off"
    if value is None:
        return "—"
    return str(value)


def summary(settings: dict) -> tuple[dict, int, int]:
    """(stage defaults, number of method entries, number of entries that override something)."""
    keys = [k for k in settings if k != STAGE_DEFAULTS_KEY]
    overriding = sum(1 for k in keys if overrides(settings, k))
    return stage_defaults(settings), len(keys), overriding


def effective_data(doc: dict) -> dict:
    """The documented json/yaml schema of `settings --effective`."""
    settings = doc.get("methodSettings") or {}
    out = {
        "stageDefaults": {
            field: {"value": value, "source": source}
            for field in FIELD_NAMES
            for value, source in [baseline(settings, field)]
        },
        "methods": [],
    }
    for method in method_keys(settings):
        out["methods"].append({
            "key": method.key,
            "resourcePath": method.path,
            "httpMethod": method.http_method,
            "settings": {f: {"value": v, "source": s} for f, (v, s) in effective(settings, method.key).items()},
        })
    return out
