"""Issue 19, items 19 and 20: every line `man stage` shows fits 80 columns (rendered with groff
at 80), and after either README command `man stage` finds the page (an editable install ships no
data files: tools/manlink.py links it; .ci/run checks `man -w stage` after both commands)."""

import os
import subprocess

from apigw_stage.tools import manlink
from tests.conftest import ROOT, need_program

PAGE = os.path.join(ROOT, "man", "stage.1")


def test_every_line_of_the_man_page_fits_80_columns():
    groff = need_program("groff")
    proc = subprocess.run([groff, "-man", "-Tutf8", "-rLL=80n", "-P-cbou", PAGE], capture_output=True,
                          text=True, env={**os.environ, "LC_ALL": "C.UTF-8"})
    assert proc.returncode == 0, proc.stderr
    wide = [line for line in proc.stdout.splitlines() if len(line) > 80]
    assert wide == [], "\n".join(wide)
    assert "| stage show -f -" in proc.stdout  # the long example, continued on a line of its own


def test_manlink_puts_the_page_where_man_finds_it(tmp_path):
    target = manlink.link(str(tmp_path))
    assert target == str(tmp_path / "share" / "man" / "man1" / "stage.1")
    assert open(target, encoding="utf-8").read() == open(PAGE, encoding="utf-8").read()
    assert manlink.link(str(tmp_path)) == target  # again: replaced, not an error
    man = need_program("man")
    (tmp_path / "bin").mkdir()
    env = {"PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    proc = subprocess.run([man, "-w", "stage"], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert os.path.realpath(proc.stdout.strip()) == os.path.realpath(target)  # man shows the link resolved


def test_the_readme_test_command_links_the_man_page():
    readme = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    assert "pip install -e '.[test]' && python -m apigw_stage.tools.manlink && python -m pytest" in readme
    ci = open(os.path.join(ROOT, ".ci", "run"), encoding="utf-8").read()
    assert ci.count("man -w stage") == 2  # after each of the README's two commands


def test_a_plain_install_ships_the_page_as_a_data_file():
    import tomllib

    data = tomllib.load(open(os.path.join(ROOT, "pyproject.toml"), "rb"))
    assert data["tool"]["setuptools"]["data-files"]["share/man/man1"] == ["man/stage.1"]
