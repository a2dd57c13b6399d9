"""Which checks an API family has (each layer maps family keys to its parts; families.py holds
data only), the ids --ignore takes and the rule parameters --param takes."""

from apigw_stage.checks import domains, limits, rest, v2
from apigw_stage.core.errors import UsageError

_BY_FAMILY = {"rest": rest.CHECKS + limits.REST, "v2": v2.CHECKS + limits.V2}
CHECKS = _BY_FAMILY["rest"]  # REST's, in the README's order
_LEVELS = rest._LEVELS
DOMAIN_CHECKS = domains.CHECKS  # custom domains' (stage domains), not a stage family's

IDS = {name.lower(): check.id for check in CHECKS for name in (check.id, *check.aliases)}
PARAMS = {name.lower(): name for check in CHECKS for name in check.params}


def registry(family) -> tuple:
    """The checks of an API family: REST's in checks/rest.py, HTTP/WebSocket's in checks/v2.py."""
    return _BY_FAMILY[family.key]


def ids(checks: tuple) -> dict:
    """{lower-case id or alias: id} of a registry, for --ignore."""
    return {name.lower(): check.id for check in checks for name in (check.id, *check.aliases)}


def parse_params(items: list[str]) -> dict:
    """`--param NAME=V1,V2` as AWS Config's rule parameters: {name: (values...)}."""
    params = {}
    for item in items:
        name, equals, value = item.partition("=")
        known = PARAMS.get(name.strip().lower())
        if not equals or known is None:
            raise UsageError(f"no rule parameter {item!r}", "parameters: " + ", ".join(sorted(PARAMS.values()))
                             + "; e.g. --param loggingLevel=ERROR")
        values = tuple(v.strip() for v in value.split(",") if v.strip())
        if not values:
            raise UsageError(f"--param {known} needs a value")
        if known == "loggingLevel" and not set(values) <= set(_LEVELS):
            raise UsageError(f"loggingLevel takes ERROR and/or INFO, not {value!r}")
        params[known] = values
    return params

