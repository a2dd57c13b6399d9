"""The layout by layer (docs/ARCHITECTURE.md): every module of apigw_stage is parsed (ast), and
its imports, function-local ones included, point only rightward in

    tools → cli → commands → completion → checks → views → sources → output → render → model → core

with no cycle between modules (inside a package too), no module over 400 lines, boto3 and
botocore only in sources/, package __init__ files that import nothing (cli's gives `app`), and a
TAB path (entry → completion/fast → what it imports at module level) of the standard library only.
"""

import ast
import pathlib
import sys

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "apigw_stage"
ORDER = ("tools", "cli", "commands", "completion", "checks", "views", "sources", "output", "render", "model", "core")
TOP = {"apigw_stage.entry": "cli", "apigw_stage.__main__": "cli"}
MAX_LINES = 400


def _modules() -> dict[str, pathlib.Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The module of ours that `name` (a dotted import target) is, or None."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(path: pathlib.Path, module_level_only: bool = False) -> list[tuple[str, int]]:
    """(imported name, line) of every import in `path`; `from X import a` gives X.a (a module or
    a name in X: _resolve tells which)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if module_level_only else ast.walk(tree)
    found = []
    for node in nodes:
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import"
            found += [(f"{node.module}.{alias.name}", node.lineno) for alias in node.names]
            found.append((node.module, node.lineno))
    return found


def _ours(path: pathlib.Path, module: str = "") -> set[str]:
    """Our modules that `path` imports, less the packages that hold `module` (Python imports a
    module's parent packages anyway; that is no dependency)."""
    return {m for name, _ in _imports(path) if (m := _resolve(name)) and m != "apigw_stage"
            and not module.startswith(m + ".")}


def layer(module: str) -> str | None:
    if module in TOP:
        return TOP[module]
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ORDER else None


def test_every_module_is_in_a_layer():
    outside = [m for m in MODULES if m != "apigw_stage" and layer(m) is None]
    assert not outside, f"modules outside the layers: {outside}"


def test_imports_point_rightward():
    wrong = []
    for module, path in MODULES.items():
        here = layer(module)
        for name, line in _imports(path):
            target = _resolve(name)
            if target is None or target == "apigw_stage" or target == module:
                continue
            there = layer(target)
            if ORDER.index(there) < ORDER.index(here):
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} ({here}) imports {target} ({there})")
    assert not wrong, "imports against the order:\n" + "\n".join(dict.fromkeys(wrong))


def test_no_cycle():
    graph = {module: _ours(path, module) - {module} for module, path in MODULES.items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(node, trail):
        state[node] = 1
        for nxt in sorted(graph.get(nxt_ := node, ())):
            if state.get(nxt) == 1:
                cycles.append(" → ".join(trail[trail.index(nxt):] + [nxt]) if nxt in trail else f"{nxt_} → {nxt}")
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_modules_are_small():
    big = [f"{p.relative_to(PACKAGE.parent)}: {n} lines" for p in MODULES.values()
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES]
    assert not big, f"modules over {MAX_LINES} lines:\n" + "\n".join(big)


def test_boto3_only_in_sources():
    wrong = []
    for module, path in MODULES.items():
        if layer(module) == "sources":
            continue
        for name, line in _imports(path):
            if name.split(".")[0] in ("boto3", "botocore"):
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}")
    assert not wrong, "boto3/botocore outside sources/:\n" + "\n".join(wrong)


def test_package_inits_import_nothing():
    wrong = []
    for module, path in MODULES.items():
        if path.name != "__init__.py" or module == "apigw_stage.cli":
            continue
        if _imports(path):
            wrong.append(module)
    assert not wrong, f"__init__ files that import: {wrong}"
    cli_imports = [name for name, _ in _imports(MODULES["apigw_stage.cli"])]
    assert cli_imports == ["apigw_stage.cli.app.app", "apigw_stage.cli.app"], cli_imports


def test_tab_path_is_standard_library_only():
    """A warm TAB: entry at module level, then completion/fast and everything it imports, at any
    depth, except what live loads from sources/ on a cache miss: the standard library and our
    own modules only."""
    stdlib = set(sys.stdlib_module_names)
    wrong = []
    for name, line in _imports(MODULES["apigw_stage.entry"], module_level_only=True):
        if name.split(".")[0] not in stdlib:
            wrong.append(f"apigw_stage.entry:{line} imports {name}")
    seen, todo = set(), ["apigw_stage.completion.fast"]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        for name, line in _imports(MODULES[module]):
            ours = _resolve(name)
            if ours is not None:
                if ours != "apigw_stage" and layer(ours) != "sources":
                    todo.append(ours)
            elif name.split(".")[0] not in stdlib and not name.startswith("apigw_stage"):
                wrong.append(f"{module}:{line} imports {name}")
    assert not wrong, "non-stdlib imports on the TAB path:\n" + "\n".join(wrong)
    assert {"apigw_stage.completion.live", "apigw_stage.core.cache", "apigw_stage.core.target"} <= seen
    assert {layer(m) for m in seen} == {"completion", "core"}, sorted(seen)


def test_commands_never_import_one_another():
    from apigw_stage.cli.app import COMMANDS

    modules = {f"apigw_stage.commands.{name}" for name in COMMANDS}
    wrong = [f"{m} imports {t}" for m in modules for t in _ours(MODULES[m]) if t in modules and t != m]
    assert not wrong, wrong


@pytest.mark.parametrize("layer_name", ORDER)
def test_each_layer_is_a_package(layer_name):
    assert (PACKAGE / layer_name / "__init__.py").is_file()


def test_sarif_lives_in_its_writer_and_the_formats_registry():
    """A format is its writer plus one formats entry: outside them, only the generated spec and
    help text (a command's docstring and examples, the man page's prose) name it."""
    naming = {str(p.relative_to(PACKAGE)) for p in MODULES.values() if "sarif" in p.read_text(encoding="utf-8").lower()}
    assert naming == {"output/sarif.py", "output/formats.py", "completion/spec.py", "commands/check.py",
                      "tools/manpage.py"}, naming
    tree = ast.parse(MODULES["apigw_stage.commands.check"].read_text(encoding="utf-8"))
    code_words = [ast.unparse(n) for n in ast.walk(tree) if isinstance(n, (ast.Name, ast.Attribute, ast.alias))]
    assert not [w for w in code_words if "sarif" in w.lower()], "check names a format in its code"


def test_architecture_page_is_the_map():
    """docs/ARCHITECTURE.md: a page at most, the order as the tests hold it, a line per package,
    the three recipes."""
    text = (PACKAGE.parent / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 66
    assert " → ".join(ORDER) in text
    for package in ORDER:
        assert f"| `{package}/` |" in text, package
    for recipe in ("A new command", "A new output format", "A new check"):
        assert f"**{recipe}**" in text


def test_only_core_env_reads_stdout_or_asks_for_a_terminal():
    """core/env.Env is the one environment object (streams, terminal or not): nothing else reads
    sys.stdout or calls isatty()."""
    wrong = []
    for module, path in MODULES.items():
        if module == "apigw_stage.core.env":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and ast.unparse(node) == "sys.stdout":
                wrong.append(f"{module}:{node.lineno} reads sys.stdout")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "isatty":
                wrong.append(f"{module}:{node.lineno} calls isatty()")
    assert not wrong, wrong


def test_help_loads_no_check_or_view_of_a_stage():
    """`stage --help` builds every command's options but runs none: the checks, the stage models
    and the views load when a command runs (issue 18 item 11: --help costs what it did)."""
    import subprocess

    code = ("import sys; sys.argv = ['stage', '--help']\n"
            "from apigw_stage.entry import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('apigw_stage.'))), file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    loaded = proc.stderr.split()
    assert loaded and not [m for m in loaded if m.startswith(("apigw_stage.checks", "apigw_stage.model.methods",
                                                                "apigw_stage.model.deployed", "apigw_stage.views.secrets"))], loaded
