"""Every check is a registry entry with its metadata (docs/ARCHITECTURE.md, "A new check"): the
id, source, title, why, severity, the AWS Config rule and resource types it judges, its rule
parameters, each valid; and every family's registry is whole."""

import re

import pytest

from apigw_stage.checks import registry
from apigw_stage.checks.engine import CONFIG, OURS, SECURITY_HUB, Check
from apigw_stage.core import families

SEVERITIES = {"critical", "high", "medium", "low", "informational"}
RESOURCE = re.compile(r"AWS::ApiGateway(V2)?::[A-Z][A-Za-z]+")
ENTRIES = [(family.key, check) for family in families.FAMILIES.values() for check in registry.registry(family)]


@pytest.mark.parametrize("family, check", ENTRIES, ids=[f"{f}:{c.id}" for f, c in ENTRIES])
def test_every_check_carries_valid_metadata(family, check):
    assert isinstance(check, Check)
    assert re.fullmatch(r"(APIGateway\.\d+|Config\.[A-Za-z]+|STAGE\.\d+)", check.id)
    assert check.source in (SECURITY_HUB, CONFIG, OURS)
    assert check.title and check.why.endswith((".", ")")) and check.severity in SEVERITIES
    assert callable(check.evaluate)
    assert check.resource_types and all(RESOURCE.fullmatch(t) for t in check.resource_types)
    if check.source == OURS:
        assert check.config_rule is None and check.id.startswith("STAGE.")
    else:  # an AWS control names the Config rule that evaluates it
        assert check.config_rule and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", check.config_rule)
    # A family's checks judge its resources: its stages, or for APIGateway.8 and .10 (issue 22) the
    # routes and integrations of a v2 API, which are resources of their own in AWS Config.
    prefix = "AWS::ApiGatewayV2::" if family == "v2" else "AWS::ApiGateway::"
    assert all(t.startswith(prefix) for t in check.resource_types)
    if check.id not in ("APIGateway.8", "APIGateway.10"):
        assert prefix + "Stage" in check.resource_types
    assert all(re.fullmatch(r"[A-Za-z]+", p) for p in check.params)


@pytest.mark.parametrize("family", families.FAMILIES.values(), ids=lambda f: f.key)
def test_each_registry_has_unique_ids_and_ignore_words(family):
    checks = registry.registry(family)
    assert len({c.id for c in checks}) == len(checks)
    words = [w.lower() for c in checks for w in (c.id, *c.aliases)]
    assert len(words) == len(set(words))
    assert registry.ids(checks) == {w: c.id for c in checks for w in (c.id.lower(), *(a.lower() for a in c.aliases))}


def test_every_rule_parameter_is_accepted_by_param():
    for check in registry.ALL:
        for name in check.params:
            assert name.lower() in registry.PARAMS
