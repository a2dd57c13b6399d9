"""Hostile service text in every position of show, canary, vars, list and diff (issue 13.2, 13.3),
and the rule that makes it structural: the renderers build text only through render/cells."""

import ast
import json
import os
import re

import pytest

from tests.docs import wire_stage

# A terminal title, a screen clear, an OSC 8 hyperlink, BEL, CR, a bidi override and Rich markup.
EVIL = ("\x1b]0;PWNED\x1b\\\x1b[2J \x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\ "
        "\x07bell \rcr \u202eevil [bold]markup[/bold]")
# What must never reach stdout raw: C0 but the layout's newline, DEL, C1, bidi controls, and
# default-ignorable code points (U+034F, Hangul fillers, variation selectors, tags).
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b-\u200f\u034f"
                 "\u115f\u1160\u3164\uffa0\u180b-\u180f\ufe00-\ufe0f\U000e0000-\U000e0fff]")
LOOKALIKES = ["\u034f", "\ufe0f", "\u115f", "\u3164", "\u180b", "\ufe00", "\U000e0100", "\u17b4", "\uffa0"]


def evil_stage() -> dict:
    """EVIL in every string position of a GetStage document, keys included."""
    doc = wire_stage(
        stageName="prod" + EVIL, description=EVIL, deploymentId="d" + EVIL, webAclArn=EVIL,
        clientCertificateId=EVIL, documentationVersion=EVIL, cacheClusterStatus=EVIL,
        tags={EVIL: EVIL, "team": EVIL},
        variables={EVIL: EVIL, "lambda\u034fAlias": "live"},
        **{EVIL: {EVIL: [EVIL, {EVIL: EVIL}]}, "futureField": EVIL},
    )
    doc["methodSettings"]["*/*"]["loggingLevel"] = EVIL
    doc["methodSettings"]["~1" + EVIL + "/GET"] = {"loggingLevel": EVIL, EVIL: EVIL}
    doc["methodSettings"]["~1a/" + EVIL] = {"metricsEnabled": True}
    doc["canarySettings"] = {"percentTraffic": 10, "deploymentId": EVIL, "useStageCache": True,
                             "stageVariableOverrides": {EVIL: EVIL, "lambdaAlias": EVIL}, EVIL: EVIL}
    doc["accessLogSettings"] = {"format": EVIL, "destinationArn": EVIL, EVIL: {EVIL: EVIL}}
    return doc


def assert_inert(out: str) -> None:
    found = RAW.search(out)
    assert found is None, f"raw {found.group(0)!r} at {found.start()}: {out[max(0, found.start() - 40):found.start() + 40]!r}"
    assert "\\e]0;PWNED\\e\\\\e[2J" in out  # shown, as visible escapes
    assert "[bold]markup[/bold]" in out  # markup shown literally, never applied


@pytest.fixture
def evil_file(tmp_path):
    path = tmp_path / "evil.json"
    path.write_text(json.dumps(evil_stage()))
    return str(path)


@pytest.mark.parametrize("command", [("show",), ("canary",), ("vars",), ("vars", "--canary")])
@pytest.mark.parametrize("columns", ["40", "100", "300"])
def test_evil_text_is_inert_in_every_position(invoke, evil_file, command, columns):
    result = invoke(*command, "-f", evil_file, env={"COLUMNS": columns})
    assert result.exit_code == 0, result.stderr
    assert_inert(result.stdout)


def _no_sgr(out: str) -> str:
    """Our own colour codes (SGR: ESC [ digits m) removed, so that anything else is the service's."""
    return re.sub("\x1b\\[[0-9;]*m", "", out)


@pytest.mark.parametrize("command", [("show",), ("canary",), ("vars", "--canary")])
def test_evil_text_is_inert_with_colour(invoke, evil_file, command):
    result = invoke(*command, "-f", evil_file, env={"COLUMNS": "120", "FORCE_COLOR": "1"})
    assert result.exit_code == 0
    assert "\x1b[" in result.stdout  # coloured
    assert_inert(_no_sgr(result.stdout))


def test_unknown_fields_everywhere_are_shown_escaped(invoke, evil_file):
    out = invoke("show", "-f", evil_file, env={"COLUMNS": "300"}).stdout
    assert_inert(out)
    visible = "\\e]0;PWNED"
    other = [line for line in out.splitlines() if line.startswith("  ") and visible in line]
    assert any(line.lstrip().startswith("canarySettings." + visible) for line in other)
    assert any(line.lstrip().startswith("accessLogSettings." + visible) for line in other)
    assert any(line.lstrip().startswith("futureField") for line in other)


def test_evil_text_is_inert_in_list(invoke, wire):
    wire.stages[("a1b2c3d4e5", "prod")] = evil_stage()
    wire.stages[("a1b2c3d4e5", "dev")] = wire_stage(stageName="dev", deploymentId=EVIL)
    for columns in ("40", "80", "300"):
        result = invoke("list", "a1b2c3d4e5", "--endpoint-url", wire.url, env={"COLUMNS": columns})
        assert result.exit_code == 0, result.stderr
        assert_inert(result.stdout)


@pytest.mark.parametrize("columns", ["40", "80", "300"])
def test_evil_text_is_inert_in_diff_including_file_names(invoke, tmp_path, columns):
    """File names reach the diff's heading: a file can be named with an escape sequence."""
    left = tmp_path / ("left" + EVIL.replace("/", "_") + ".json")
    right = tmp_path / "right.json"
    left.write_text(json.dumps(wire_stage()))
    right.write_text(json.dumps(evil_stage()))
    result = invoke("diff", str(left), str(right), env={"COLUMNS": columns})
    assert result.exit_code == 1, result.stderr
    assert_inert(result.stdout)
    assert "No differences" not in invoke("diff", str(right), str(left)).stdout


def test_lookalike_variable_names_are_escaped(invoke, tmp_path):
    """`lambda\u034fAlias` must not look like `lambdaAlias` (issue 13.3): every
    Default_Ignorable_Code_Point shows as an escape in tables; json keeps it (\\u-escaped)."""
    names = {f"lambda{ch}Alias": str(i) for i, ch in enumerate(LOOKALIKES)}
    path = tmp_path / "look.json"
    path.write_text(json.dumps(wire_stage(variables={"lambdaAlias": "live", **names})))
    out = invoke("vars", "-f", path).stdout
    assert RAW.search(out) is None
    for ch in LOOKALIKES:
        code = ord(ch)
        assert (f"lambda\\u{code:04x}Alias" if code <= 0xFFFF else f"lambda\\U{code:08x}Alias") in out
    as_json = invoke("vars", "-f", path, "-o", "json").stdout
    assert RAW.search(as_json) is None
    assert json.loads(as_json) == {"lambdaAlias": "live", **names}


def test_default_ignorable_set_is_complete():
    """Every Default_Ignorable_Code_Point (DerivedCoreProperties.txt, Unicode 16.0) is escaped."""
    from apigw_stage.core.text import visible

    ranges = [(0xAD, 0xAD), (0x34F, 0x34F), (0x61C, 0x61C), (0x115F, 0x1160), (0x17B4, 0x17B5),
              (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
              (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
              (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF)]
    for low, high in ranges:
        for code in range(low, high + 1):
            assert chr(code) not in visible(f"a{chr(code)}b"), hex(code)


# Renderers that build tables for people. Each may import from rich only what cannot carry text
# (measuring, segments, console types); text, tables and groups come from render/cells, whose
# SafeText escapes every string it is given. tree.py and findings.py: see the report to E.
SAFE_RENDERERS = ["tables.py", "listing.py", "difference.py", "columns.py"]
FORBIDDEN = {"Text", "Table", "Group", "Tree", "Panel", "Columns", "Padding", "Markdown", "Syntax"}


@pytest.mark.parametrize("module", SAFE_RENDERERS)
def test_renderers_build_text_only_through_cells(module):
    import apigw_stage.render as render

    path = os.path.join(os.path.dirname(render.__file__), module)
    tree = ast.parse(open(path).read())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("rich"):
            assert not {alias.name for alias in node.names} & FORBIDDEN, (module, node.module)
        if isinstance(node, ast.Import):
            assert not any(alias.name.startswith("rich") for alias in node.names), module
        if isinstance(node, ast.Attribute):
            assert node.attr not in ("from_markup", "from_ansi", "render_str"), module


def test_safe_text_escapes_every_way_in():
    from rich.console import Console
    from rich.text import Text

    from apigw_stage.render import cells

    made = [
        cells.SafeText(EVIL),
        cells.assemble(EVIL, (EVIL, "red"), Text(EVIL)),
        cells.joined(EVIL, Text(EVIL)),
        cells.lines([EVIL, EVIL]),
        cells.text({EVIL: [EVIL]}),
        cells.title(EVIL, EVIL, EVIL),
    ]
    appended = cells.SafeText("ok")
    appended.append(EVIL)
    appended.append(Text(EVIL, style="bold"))
    table = cells.table()
    table.add_column(EVIL)
    table.add_row(EVIL)
    for renderable in [*made, appended, table, cells.stack(EVIL, table)]:
        console = Console(width=60, color_system=None, force_terminal=False)
        with console.capture() as captured:
            console.print(renderable)
        assert RAW.search(captured.get()) is None
