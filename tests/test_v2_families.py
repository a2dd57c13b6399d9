"""API families are registry entries (DESIGN.md, "Differences are registry entries, not ifs"):
each family gives every one-stage command its view and renderer, its check registry and whether
its stages have deployed methods; the commands hold no test of which family a stage is."""

import ast
import inspect
import os

import pytest

import apigw_stage
from apigw_stage.checks import registry as checks
from apigw_stage.core import families
from apigw_stage.views.family import present

PRESENTED = ("show", "settings", "variables", "canary", "stage_list")


@pytest.mark.parametrize("family", families.FAMILIES.values(), ids=lambda f: f.key)
def test_every_family_presents_every_command_with_one_signature(family):
    rest = present(families.REST)
    for name in PRESENTED:
        assert inspect.signature(getattr(present(family), name)).parameters.keys() == \
               inspect.signature(getattr(rest, name)).parameters.keys(), (family.key, name)
    assert checks.registry(family) and checks.registry(family) is checks.registry(family)
    assert len({c.id for c in checks.registry(family)}) == len(checks.registry(family))


def test_registry_entries_say_what_differs():
    assert (families.REST.has_methods, families.V2.has_methods) == (True, False)
    assert checks.registry(families.REST) is checks.CHECKS
    assert {c.id for c in checks.registry(families.V2)} >= {"APIGateway.1", "APIGateway.9", "STAGE.1", "STAGE.4", "STAGE.5"}


@pytest.mark.parametrize("module", ["commands/show.py", "commands/settings.py", "commands/canary.py", "commands/vars.py", "commands/check.py", "commands/list.py", "checks/engine.py", "checks/rest.py", "checks/registry.py"])
def test_commands_hold_no_family_branches(module):
    """No `family.key == ...`, `family is families.V2` or `render.v2` import: the family's entry decides."""
    tree = ast.parse(open(os.path.join(os.path.dirname(apigw_stage.__file__), module)).read())
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            words = ast.unparse(node)
            assert not ("family" in words and ("key" in words or "V2" in words or "REST" in words)), (module, words)
        if isinstance(node, ast.ImportFrom):
            assert node.module not in ("apigw_stage.render.v2", "apigw_stage.model.routes"), (module, node.module)
