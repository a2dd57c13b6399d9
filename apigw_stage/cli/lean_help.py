"""Faster `--help`: typer.rich_utils imports rich.markdown (markdown-it) and rich.traceback
(pygments, attrs) at its top, for markdown help text and pretty tracebacks that this app never
uses (rich_markup_mode="rich", pretty_exceptions_enable=False). That is about 90 ms of every
`stage --help`. Import it with stand-ins that load the real class on first use; anything
unexpected (a newer Typer importing more names) falls back to the plain import.
"""

import importlib
import sys
import types

_DEFERRED = (("rich.markdown", "Markdown"), ("rich.traceback", "Traceback"))


def _stand_in(module: str, name: str) -> type:
    def __new__(cls, *args, **kwargs):
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    return type(name, (), {"__new__": __new__, "__module__": __name__})


def import_rich_utils() -> None:
    if "typer.rich_utils" in sys.modules:
        return
    shims = {}
    for module, name in _DEFERRED:
        if module not in sys.modules:
            shim = types.ModuleType(module)
            setattr(shim, name, _stand_in(module, name))
            shims[module] = shim
    sys.modules.update(shims)
    try:
        importlib.import_module("typer.rich_utils")
    except ImportError:
        pass
    finally:
        for module, shim in shims.items():
            if sys.modules.get(module) is shim:
                del sys.modules[module]
    importlib.import_module("typer.rich_utils")  # the plain import, when the one above failed


def wants_help(args: list[str]) -> bool:
    """`stage`, `stage --help`, `stage show -h`: the runs that print Typer's help."""
    return not args or any(a in ("--help", "-h") for a in args)
