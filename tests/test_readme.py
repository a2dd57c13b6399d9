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
    from apigw_stage import errors

    readme = _readme()
    codes = [value for name, value in vars(errors).items() if name.isupper() and isinstance(value, int)]
    assert len(codes) >= 12  # every constant of the exit-code table, the new ones included
    man = open(os.path.join(ROOT, "man", "stage.1")).read()
    for code in codes:
        assert f"| {code} |" in readme
        assert f".B {code}\n" in man


def test_every_check_is_documented_in_readme_and_man_page():
    from apigw_stage.checks import CHECKS

    readme = _readme()
    man = open(os.path.join(ROOT, "man", "stage.1")).read()
    for check in CHECKS:
        assert f"| {check.id} | {check.title} | {check.why} |" in readme
        assert f".B {check.id}" in man.replace("\\&", "")
