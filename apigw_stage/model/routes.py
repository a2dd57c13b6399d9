"""Route settings of a v2 stage: which setting applies to each route, and where it comes from.

The rule (README, "HTTP and WebSocket APIs", with the evidence): a route entry in routeSettings
holds only the fields set for that route; a field absent from it follows defaultRouteSettings,
and a field absent from both is the service default. Unlike a REST method entry, which is
self-contained, a route entry is a partial override:
- awscli/examples/apigatewayv2/update-stage.rst: setting only throttling on `GET /pets` stores
  `{"ThrottlingBurstLimit": 100, "ThrottlingRateLimit": 2000.0}` and nothing else, while the
  default route settings carry `DetailedMetricsEnabled`; the service copies nothing into the entry.
- Security Hub's APIGateway.1 for WebSocket stages requires ERROR or INFO in the default route
  settings and, only where a route sets a logging level of its own, in that route: a route
  without one is judged by the default route settings.
"""

import re

HTTP, WEBSOCKET = "HTTP", "WEBSOCKET"
ROUTE, DEFAULT, SERVICE = "route", "defaultRoute", "service"
SOURCE_WORDS = {ROUTE: "route entry", DEFAULT: "default route settings", SERVICE: "service default"}

# (field, label, service default): botocore's RouteSettings; loggingLevel and dataTraceEnabled are
# "Supported only for WebSocket APIs" (its documentation). Throttling absent: the account limit.
_COMMON = (
    ("detailedMetricsEnabled", "Detailed metrics", False),
    ("throttlingRateLimit", "Throttling rate", None),
    ("throttlingBurstLimit", "Throttling burst", None),
)
_WEBSOCKET_ONLY = (
    ("loggingLevel", "Logging", "OFF"),
    ("dataTraceEnabled", "Data trace", False),
)
FIELDS = {HTTP: _COMMON, WEBSOCKET: _WEBSOCKET_ONLY + _COMMON, None: _COMMON}
LABELS = {f: label for f, label, _ in _WEBSOCKET_ONLY + _COMMON}
SERVICE_DEFAULTS = {f: d for f, _, d in _WEBSOCKET_ONLY + _COMMON}
_HTTP_ROUTE = re.compile(r"(GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS|ANY) /\S*")


def _object(value) -> dict:
    return value if isinstance(value, dict) else {}


def default_settings(doc: dict) -> dict:
    return _object(doc.get("defaultRouteSettings"))


def route_settings(doc: dict) -> dict:
    return _object(doc.get("routeSettings"))


def protocol_of(doc: dict) -> str | None:
    """HTTP or WEBSOCKET as far as the stage document tells (GetApi's protocolType is the
    authority; a file has only this): WebSocket-only settings, a client certificate or a
    `$connect`-style route key mean WebSocket; a `GET /path` route key means HTTP; else unknown."""
    entries = [default_settings(doc), *(_object(e) for e in route_settings(doc).values())]
    if any(f in entry for entry in entries for f, _, _ in _WEBSOCKET_ONLY) or doc.get("clientCertificateId"):
        return WEBSOCKET
    keys = [k for k in route_settings(doc) if isinstance(k, str)]
    if any(k.startswith("$") and k != "$default" for k in keys):
        return WEBSOCKET
    if any(_HTTP_ROUTE.fullmatch(k) for k in keys):
        return HTTP
    return None


def fields(protocol: str | None) -> tuple:
    return tuple(f for f, _, _ in FIELDS.get(protocol, _COMMON))


def effective(doc: dict, route: str | None, protocol: str | None) -> dict:
    """{field: (value, source)} for `route` (None: a route without an entry, i.e. the default
    route settings as they apply)."""
    defaults = default_settings(doc)
    entry = _object(route_settings(doc).get(route)) if route is not None else {}
    out = {}
    for field in fields(protocol):
        if field in entry:
            out[field] = (entry[field], ROUTE)
        elif field in defaults:
            out[field] = (defaults[field], DEFAULT)
        else:
            out[field] = (SERVICE_DEFAULTS[field], SERVICE)
    return out


def overrides(doc: dict, route: str, protocol: str | None) -> dict:
    """What route entry `route` changes: {field: (route value, value without the entry)}, unknown
    fields included."""
    from apigw_stage.model.methods import _norm, _same

    entry = _object(route_settings(doc).get(route))
    base = {f: v for f, (v, _) in effective(doc, None, protocol).items()}
    defaults = default_settings(doc)
    found = {}
    for field, value in entry.items():
        before = base[field] if field in base else defaults.get(field, SERVICE_DEFAULTS.get(field))
        if not _same(_norm(field, value), _norm(field, before)):
            found[field] = (value, before)
    return found


def route_keys(doc: dict) -> list[str]:
    """Route keys with an entry: `$`-keys ($connect, $default, ...) first, then by path and method."""
    def order(key):
        text = str(key)
        if text.startswith("$"):
            return (0, text, "")
        method, _, path = text.partition(" ")
        return (1, path, method) if _HTTP_ROUTE.fullmatch(text) else (2, text, "")

    return sorted(route_settings(doc), key=order)


def _data(applied: dict) -> dict:
    return {field: {"value": value, "source": source} for field, (value, source) in applied.items()}


def effective_data(doc: dict, protocol: str | None) -> dict:
    """The documented json/yaml schema of `settings --effective` for a v2 stage (README)."""
    return {
        "protocolType": protocol,
        "defaultRouteSettings": _data(effective(doc, None, protocol)),
        "routes": [{"routeKey": key, "settings": _data(effective(doc, key, protocol))} for key in route_keys(doc)],
    }
