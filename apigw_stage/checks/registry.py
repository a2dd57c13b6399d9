"""Which checks an API family has (each layer maps family keys to its parts; families.py holds
data only), the ids --ignore takes and the rule parameters --param takes."""

from apigw_stage.checks import domains, limits, rest, v2, v2_parts
from apigw_stage.core.errors import UsageError

_BY_FAMILY = {"rest": rest.CHECKS + limits.REST, "v2": v2.CHECKS + limits.V2}
CHECKS = _BY_FAMILY["rest"]  # REST's, in the README's order
_LEVELS = rest._LEVELS
DOMAIN_CHECKS = domains.CHECKS  # custom domains' (stage domains), not a stage family's
# Every control stage knows, once, REST's order first (--list-controls, the docs).
_FIRST: dict = {}
for _entry in (*_BY_FAMILY["rest"], *_BY_FAMILY["v2"]):  # an id's first entry wins: REST's title for APIGateway.1
    _FIRST.setdefault(_entry.id, _entry)
ALL = tuple(_FIRST.values())

IDS = {name.lower(): check.id for check in CHECKS for name in (check.id, *check.aliases)}
# {lower-case name: (name, ids of the checks that take it)}, over every family.
_TAKEN: dict = {}
for _check in (*rest.CHECKS, *v2.CHECKS):
    for _name in _check.params:
        known, ids_ = _TAKEN.get(_name.lower(), (_name, ()))
        _TAKEN[_name.lower()] = (known, ids_ if _check.id in ids_ else (*ids_, _check.id))
PARAMS = {lower: name for lower, (name, _) in _TAKEN.items()}
# Values a parameter takes, where AWS's rule names them (None: free text, e.g. ids and ARNs).
ALLOWED = {"loggingLevel": _LEVELS, "authorizationType": v2_parts.AUTHORIZATION_TYPES,
           "integrationTypes": rest.INTEGRATION_TYPES}


def registry(family) -> tuple:
    """The checks of an API family: REST's in checks/rest.py, HTTP/WebSocket's in checks/v2.py."""
    return _BY_FAMILY[family.key]


def ids(checks: tuple) -> dict:
    """{lower-case id or alias: id} of a registry, for --ignore."""
    return {name.lower(): check.id for check in checks for name in (check.id, *check.aliases)}


OWN_PARAMS = ("integrationTypes",)  # stage's own, not an AWS Config rule's


def _valid() -> str:
    """AWS Config's parameters of REST checks, then of v2 checks, then stage's own; each name
    with the checks that take it."""
    rest_names = {n for c in rest.CHECKS for n in c.params}
    order = sorted(_TAKEN.values(), key=lambda t: (t[0] in OWN_PARAMS, t[0] not in rest_names, t[0]))
    return ", ".join(name for name, _ in order)


def described() -> list[tuple[str, tuple, tuple | None]]:
    """[(name, ids of the checks that take it, allowed values or None)], for --list-controls."""
    return [(name, ids_, ALLOWED.get(name)) for name, ids_ in _TAKEN.values()]


def _words(values: tuple) -> str:
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " and/or " + values[-1]


def parse_params(items: list[str]) -> dict:
    """`--param [ID:]NAME=V1,V2` as AWS Config's rule parameters: {name: (values...)}. A name
    belongs to the checks that take it (a name is never shared by two meanings), so the ID is
    optional; given, it must be a check that takes the name."""
    params = {}
    for item in items:
        name, equals, value = item.partition("=")
        check_id, colon, bare = name.rpartition(":")
        lower = bare.strip().lower()
        found = _TAKEN.get(lower)
        if colon and found and check_id.strip().lower() not in (i.lower() for i in found[1]):
            found = None
        if not equals or found is None:
            raise UsageError(f"no rule parameter {item!r}",
                             f"parameters: {_valid()}; NAME=VALUES or ID:NAME=VALUES, e.g. "
                             "--param APIGateway.8:authorizationType=JWT")
        known = found[0]
        values = tuple(v.strip() for v in value.split(",") if v.strip())
        if not values:
            raise UsageError(f"--param {known} needs a value")
        allowed = ALLOWED.get(known)
        if allowed and not set(values) <= set(allowed):
            raise UsageError(f"{known} takes {_words(allowed)}, not {value!r}")
        params[known] = values
    return params


# AWS's controls for API Gateway that stage does not implement, with the reason (README says the same).
NOT_IMPLEMENTED = (
    {"id": "APIGateway.11", "title": "API Gateway domain names should use recommended security policies",
     "severity": "medium", "resource_types": ["AWS::ApiGateway::DomainName"],
     "aws_config_rule": "apigateway-domain-name-tls-check",
     "source_url": "https://docs.aws.amazon.com/securityhub/latest/userguide/apigateway-controls.html#apigateway-11",
     "reason": "it judges custom domain names (GetDomainNames), not stages or the parts of an API; stage "
               "checks stages and the routes and integrations behind them"},
)


def controls() -> dict:
    """The documented data of `check --list-controls` (README): every control stage knows, once
    (REST's entry first; the families it runs on and their resource types together), and AWS's
    controls it does not implement."""
    by_id: dict = {}
    for key, family in _BY_FAMILY.items():
        for check in family:
            if getattr(check.evaluate, "never_applies", False):
                continue
            entry = by_id.setdefault(check.id, {
                "id": check.id, "title": check.title, "severity": check.severity, "source": check.source,
                **check.metadata(), "families": [], "parameters": []})
            entry["families"].append(key)
            entry["resource_types"] = list(dict.fromkeys([*entry["resource_types"], *check.resource_types]))
            for name in check.params:
                if name not in [p["name"] for p in entry["parameters"]]:
                    allowed = ALLOWED.get(name)
                    entry["parameters"].append({"name": name, "values": list(allowed) if allowed else None,
                                                "aws": name not in OWN_PARAMS})
    return {"controls": list(by_id.values()), "notImplemented": [dict(c) for c in NOT_IMPLEMENTED]}
