"""The README's promises: its commands are the ones CI runs, and its examples exist."""

import os
import re

ROOT = os.path.dirname(os.path.dirname(__file__))


def _readme():
    return open(os.path.join(ROOT, "README.md")).read()


def _commands():
    return re.findall(r"```sh\n(.+?)\n```", _readme())


def test_ci_runs_the_readme_test_command():
    install_and_run, run_tests = _commands()[:2]
    assert "pytest" in run_tests
    assert run_tests in open(os.path.join(ROOT, ".ci", "run")).read()


def test_readme_first_command_uses_a_bundled_example():
    install_and_run = _commands()[0]
    path = re.search(r"--file (\S+)", install_and_run).group(1)
    assert os.path.exists(os.path.join(ROOT, path))


def test_every_exit_code_is_documented():
    from apigw_stage.core import errors

    readme = _readme()
    codes = [value for name, value in vars(errors).items() if name.isupper() and isinstance(value, int)]
    assert len(codes) >= 12  # every constant of the exit-code table, the new ones included
    man = open(os.path.join(ROOT, "man", "stage.1")).read()
    for code in codes:
        assert f"| {code} |" in readme
        assert f".B {code}\n" in man


def test_every_check_is_documented_in_readme_and_man_page():
    from apigw_stage.checks.registry import CHECKS

    readme = _readme()
    man = open(os.path.join(ROOT, "man", "stage.1")).read()
    for check in CHECKS:
        assert f"| {check.id} | {check.title} | {check.why} |" in readme
        assert f".B {check.id}" in man.replace("\\&", "")


def test_a_plain_install_ships_every_sub_package():
    # `pip install .` (the README's first command) installs only the packages pyproject names: a
    # sub-package left out imports in the editable test install and breaks every command once installed.
    import tomllib

    from setuptools import find_packages

    on_disk = {
        os.path.relpath(folder, ROOT).replace(os.sep, ".")
        for folder, _, files in os.walk(os.path.join(ROOT, "apigw_stage"))
        if "__init__.py" in files
    }
    config = tomllib.load(open(os.path.join(ROOT, "pyproject.toml"), "rb"))["tool"]["setuptools"]["packages"]
    shipped = set(config) if isinstance(config, list) else set(find_packages(ROOT, **config["find"]))
    assert on_disk - shipped == set()


def test_the_readme_s_example_output_is_what_the_tool_prints(invoke, monkeypatch):
    """The examples at the top are the bundled example piped at 100 columns, verbatim."""
    monkeypatch.chdir(ROOT)  # the title names the path as given
    blocks = re.findall(r"```\n\$ (stage \S+ --file examples/prod-stage\.json)\n(.*?)```", _readme(), re.S)
    assert [command for command, _ in blocks] == ["stage show --file examples/prod-stage.json",
                                                  "stage settings --file examples/prod-stage.json"]
    for command, shown in blocks:
        result = invoke(*command.split()[1:], env={"COLUMNS": "100"})
        assert result.exit_code == 0
        assert result.stdout == shown


def test_every_diff_group_is_documented():
    from apigw_stage.views import diff

    groups = set(diff._GROUP_OF.values())  # field -> group
    line = re.search(r"`group` is (.+?);", _readme(), re.S).group(1)
    assert groups | {"other"} == set(re.findall(r"`(\w+)`", line))
