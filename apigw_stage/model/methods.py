"""methodSettings keys <-> (resource path, HTTP method), overrides and effective settings.

How API Gateway applies method settings (evidence: the real answers in the AWS CLI package,
awscli/examples/apigateway/get-stage.rst, get-stages.rst and update-stage.rst):
- A method entry is self-contained. A method that has an entry takes every setting from it; a
  field absent from the entry is the service default for that field, never the `*/*` value
  (update-stage example 2: `*/*` without `loggingLevel` logs nothing; get-stages: an older entry
  without the two cache-control fields).
- A method with no entry follows the stage defaults (`*/*`), and a field absent from those is
  the service default too.
"Override" means "differs from the stage defaults", each side read with that rule.
"""

from dataclasses import dataclass

STAGE_DEFAULTS_KEY = "*/*"
ACCOUNT_LIMIT = "account limit"

# Where an effective value comes from (json `source`) and how a person reads it.
METHOD, STAGE, SERVICE = "method", "stage", "service"
SOURCE_WORDS = {METHOD: "method entry", STAGE: "stage defaults (*/*)", SERVICE: "service default"}

# (field, label, service default) in the order a person reads them. Throttling's service default
# is the account limit (None here); an entry created by a patch gets 10000/5000 written into it.
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
_STRATEGIES = {
    "FAIL_WITH_403": "fail with 403",
    "SUCCEED_WITH_RESPONSE_HEADER": "ignore, warn in a header",
    "SUCCEED_WITHOUT_RESPONSE_HEADER": "ignore silently",
}


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
    """Split on the last '/'; keys that do not decode keep path None and are shown as they are.

    A key such as "pets/GET" (no leading ~1) is not matched to GET /pets: the service keys an entry
    by the path as written in the patch, and an entry written that way does not apply to the
    method (terraform-provider-aws issues #9738 and terraform #15119: settings made with
    method_path "pets/GET" never showed on /pets; "~1pets/GET" did). It is still judged by
    `check` as an entry, and shown as written."""
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
    if field in _THROTTLING and (value is None or (_is_number(value) and value < 0)):
        return None
    return value


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_account_limit(field: str, value) -> bool:
    """A throttling value that sets no limit of its own (-1, absent or None)."""
    return _norm(field, value) is None


def _entry(settings: dict, key: str) -> dict:
    entry = settings.get(key)
    return entry if isinstance(entry, dict) else {}


def stage_defaults(settings: dict) -> dict:
    return _entry(settings, STAGE_DEFAULTS_KEY)


def baseline(settings: dict, field: str):
    """What a method without an entry gets for `field`, and where it comes from."""
    defaults = stage_defaults(settings)
    if field in defaults:
        return defaults[field], STAGE
    return SERVICE_DEFAULTS[field], SERVICE


def effective(settings: dict, key: str) -> dict:
    """Every setting that applies to method `key`: {field: (value, source)}. A method with an
    entry reads only its entry (an absent field is the service default); a method without one
    reads the stage defaults."""
    if key == STAGE_DEFAULTS_KEY or key not in settings:
        return {field: baseline(settings, field) for field in FIELD_NAMES}
    entry = _entry(settings, key)
    return {
        field: (entry[field], METHOD) if field in entry else (SERVICE_DEFAULTS[field], SERVICE)
        for field in FIELD_NAMES
    }


def overrides(settings: dict, key: str, defaults: dict | None = None) -> dict:
    """Where method entry `key` differs from the stage defaults: {field: (method value, stage
    value)}, each side as it applies (an absent field is its service default). `defaults`, the
    stage defaults' effective values, may be passed in when called for many keys."""
    if defaults is None:
        defaults = {field: value for field, (value, _) in effective(settings, STAGE_DEFAULTS_KEY).items()}
    entry = _entry(settings, key)
    found = {}
    for field in FIELD_NAMES:
        value = entry.get(field, SERVICE_DEFAULTS[field])
        if not _same(_norm(field, value), _norm(field, defaults[field])):
            found[field] = (value, defaults[field])
    stage = stage_defaults(settings)
    for field, value in entry.items():
        if field not in SERVICE_DEFAULTS and not _same(value, stage.get(field)):
            found[field] = (value, stage.get(field))
    return found


def _same(left, right) -> bool:
    """Equal and of the same kind: True is not 1, and 1 is 1.0 (JSON has one number type)."""
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    return left == right


def stage_default_values(settings: dict) -> dict:
    return {field: value for field, (value, _) in effective(settings, STAGE_DEFAULTS_KEY).items()}


def method_keys(settings: dict) -> list[MethodKey]:
    """Every entry but the stage defaults, sorted by path then method; odd keys last."""
    keys = [parse_key(k) for k in settings if k != STAGE_DEFAULTS_KEY]
    return sorted(keys, key=lambda m: (m.path is None, m.path or m.key, m.http_method or ""))


def describe(field: str, value) -> str | None:
    """A known setting in words a person understands; None when the value is not of the
    setting's kind (a list, an object, a string where a flag belongs), to be shown as written."""
    if field in _THROTTLING:
        if is_account_limit(field, value):
            return ACCOUNT_LIMIT
        if not _is_number(value):
            return None
        unit = "requests/s" if field == "throttlingRateLimit" else "requests"
        number = int(value) if float(value).is_integer() else value
        return f"{number:,} {unit}" if isinstance(number, int) else f"{number} {unit}"
    if field == "cacheTtlInSeconds":
        return f"{value} s" if _is_number(value) else None
    if field == "unauthorizedCacheControlHeaderStrategy":
        return _STRATEGIES.get(value) if isinstance(value, str) else None
    if not isinstance(value, bool):
        return value if field == "loggingLevel" and isinstance(value, str) else None
    if field == "requireAuthorizationForCacheControl":
        return "needs authorisation" if value else "open to any caller"
    if field == "cacheDataEncrypted":
        return "encrypted" if value else "not encrypted"
    return "on" if value else "off"


def summary(settings: dict) -> tuple[dict, int, int]:
    """(stage defaults, number of method entries, number of entries that override something)."""
    defaults = stage_default_values(settings)
    keys = [k for k in settings if k != STAGE_DEFAULTS_KEY]
    overriding = sum(1 for k in keys if overrides(settings, k, defaults))
    return stage_defaults(settings), len(keys), overriding


def _settings_data(applied: dict) -> dict:
    return {field: {"value": value, "source": source} for field, (value, source) in applied.items()}


def effective_data(doc: dict, deployed=None) -> dict:
    """The documented json/yaml schema of `settings --effective` (README). `deployed`, a
    deployed.Deployed, adds the deployed methods that have no entry, with their authorization
    and integration; without it only the methods with an entry are known."""
    settings = doc.get("methodSettings")
    settings = settings if isinstance(settings, dict) else {}
    out = {"stageDefaults": _settings_data(effective(settings, STAGE_DEFAULTS_KEY))}
    if deployed is not None:
        out["deployedMethods"] = deployed.summary()
    out["methods"] = [row.data() for row in rows(settings, deployed)]
    return out


@dataclass(frozen=True)
class Row:
    """One method as `settings --effective` shows it: its key, what is deployed (None when the
    deployed methods are unknown or the method is not deployed) and the settings that apply."""

    method: MethodKey
    has_entry: bool
    deployed: object  # a deployed.Method, or None
    deployed_known: bool
    applied: dict

    def data(self) -> dict:
        out = {
            "key": self.method.key,
            "resourcePath": self.method.path,
            "httpMethod": self.method.http_method,
            "hasEntry": self.has_entry,
            "deployed": (self.deployed is not None) if self.deployed_known else None,
        }
        if self.deployed is not None:
            out.update(self.deployed.data())
        out["settings"] = _settings_data(self.applied)
        return out


def rows(settings: dict, deployed=None) -> list[Row]:
    """The methods with an entry and, when `deployed` knows them, every deployed method; sorted by
    path then method, keys that do not decode last."""
    known = deployed is not None and deployed.methods is not None
    by_key = {m.key: m for m in deployed.methods} if known else {}
    keys = {k.key: k for k in method_keys(settings)}
    for key in by_key:
        keys.setdefault(key, parse_key(key))
    ordered = sorted(keys.values(), key=lambda m: (m.path is None, m.path or m.key, m.http_method or ""))
    return [Row(m, m.key in settings, by_key.get(m.key), known, effective(settings, m.key)) for m in ordered]
