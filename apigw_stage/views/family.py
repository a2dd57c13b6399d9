"""Each API family's views and renderers, one function per command (views/present/rest.py says
the contract): families.py holds data only, each layer maps family keys to its parts."""

import importlib

_PRESENT = {"rest": "apigw_stage.views.present.rest", "v2": "apigw_stage.views.present.v2"}


def present(family):
    """The family's presenter module, imported on first use as the commands import renderers."""
    return importlib.import_module(_PRESENT[family.key])
