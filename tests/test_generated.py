"""Completion scripts, the fast-path option table and the man page match a fresh generation."""

import os
import subprocess

import pytest

from apigw_stage.tools import generate
from tests.conftest import ROOT, need_program


@pytest.mark.parametrize("relative", sorted(generate.files()))
def test_committed_file_matches_a_fresh_generation(relative):
    fresh = generate.files()[relative]
    committed = open(os.path.join(ROOT, relative), encoding="utf-8").read()
    assert committed == fresh, f"{relative} is stale: run python -m apigw_stage.tools.generate"


def test_man_page_has_its_sections_and_every_command_and_long_option():
    import typer

    from apigw_stage.cli import app

    page = open(os.path.join(ROOT, "man", "stage.1"), encoding="utf-8").read()
    for section in ("NAME", "SYNOPSIS", "DESCRIPTION", "OUTPUT FORMATS", "EXIT STATUS", "ENVIRONMENT", "FILES",
                    "EXAMPLES", "SEE ALSO"):
        assert f".SH {section}" in page
    group = typer.main.get_command(app)
    text = page.replace("\\-", "-")
    for name, command in group.commands.items():
        assert f'.SH "STAGE {name.upper()}"' in page
        for param in command.params:
            for opt in param.opts if param.param_type_name == "option" else []:
                if opt.startswith("--"):
                    assert opt in text, (name, opt)


def test_man_page_has_no_groff_warnings():
    need_program("groff")
    proc = subprocess.run(["groff", "-man", "-ww", "-z", os.path.join(ROOT, "man", "stage.1")],
                          capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stderr == ""


def test_spec_lists_every_command():
    from apigw_stage.completion import spec as _spec

    assert sorted(_spec.COMMANDS) == ["canary", "check", "diff", "domains", "history", "limits", "list", "settings", "show",
                                      "snapshot", "vars"]
    assert _spec.COMMANDS["show"]["options"]["-o"]["choices"] == ["table", "json", "yaml"]
