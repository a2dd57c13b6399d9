"""API families are registry entries (DESIGN.md, "Differences are registry entries, not ifs"):
each family gives every one-stage command its view and renderer, its check registry and whether
its stages have deployed methods; the commands hold no test of which family a stage is."""

import ast
import inspect
import os

import pytest

import apigw_stage
from apigw_stage import checks, families

PRESENTED = ("show", "settings", "variables", "canary", "stage_list")


@pytest.mark.parametrize("family", families.FAMILIES.values(), ids=lambda f: f.key)
def test_every_family_presents_every_command_with_one_signature(family):
    rest = families.REST.present
    for name in PRESENTED:
        assert inspect.signature(getattr(family.present, name)).parameters.keys() == \
               inspect.signature(getattr(rest, name)).parameters.keys(), (family.key, name)
    assert family.checks and checks.registry(family) is family.checks
    assert len({c.id for c in family.checks}) == len(family.checks)


def test_registry_entries_say_what_differs():
    assert (families.REST.has_methods, families.V2.has_methods) == (True, False)
    assert checks.registry(families.REST) is checks.CHECKS
    assert {c.id for c in families.V2.checks} >= {"APIGateway.1", "APIGateway.9", "STAGE.1", "STAGE.4", "STAGE.5"}


@pytest.mark.parametrize("module", ["cli/inspect.py", "cli/check.py", "cli/listing.py", "checks.py"])
def test_commands_hold_no_family_branches(module):
    """No `family.key == ...`, `family is families.V2` or `render.v2` import: the family's entry decides."""
    tree = ast.parse(open(os.path.join(os.path.dirname(apigw_stage.__file__), module)).read())
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            words = ast.unparse(node)
            assert not ("family" in words and ("key" in words or "V2" in words or "REST" in words)), (module, words)
        if isinstance(node, ast.ImportFrom):
            assert node.module not in ("apigw_stage.render.v2", "apigw_stage.v2.routes"), (module, node.module)
