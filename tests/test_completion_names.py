"""Issue 19, item 8: `--region <TAB>` offers region names (botocore's partition data, read
without importing botocore or creating a client) and `--profile <TAB>` the profiles of the config
and credentials files, not file names."""

import os
import subprocess
import sys

import pytest

from apigw_stage.completion import aws_names
from tests.test_completion import bash_complete

_PROBE = ("import sys\nfrom apigw_stage.entry import main\n"
          "try:\n    main()\nexcept SystemExit:\n    pass\n"
          "print('HEAVY', sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore', 'rich', 'typer')),"
          " file=sys.stderr)")


def _fast(words, current):
    env = {**os.environ, "_STAGE_COMPLETE": "fast", "STAGE_COMP_WORDS": "\n".join(["stage", *words]),
           "STAGE_COMP_CURRENT": current}
    proc = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, env=env, timeout=30)
    return [line.split("\t")[0] for line in proc.stdout.splitlines()], proc.stderr


@pytest.fixture
def profiles(fake_aws):
    (fake_aws / "aws-config").write_text("[default]\nregion = us-east-1\n[profile dev]\nregion = eu-west-1\n"
                                         "[sso-session corp]\nsso_region = us-east-1\n")
    (fake_aws / "aws-credentials").write_text("[ci]\naws_access_key_id = AKIAFAKE\naws_secret_access_key = s\n"
                                              "[dev]\naws_access_key_id = AKIAFAKE\naws_secret_access_key = s\n")


@pytest.mark.parametrize("words", [["list", "--region"], ["show", "--region"], ["--region"]])
def test_region_offers_region_names_without_the_sdk(words):
    offered, stderr = _fast(words, "eu-we")
    assert "eu-west-1" in offered and all(o.startswith("eu-we") for o in offered)
    assert "HEAVY []" in stderr, stderr


def test_every_apigateway_region_is_offered_and_no_pseudo_region():
    import botocore.session

    names = {r for r, _ in aws_names.regions()}
    assert set(botocore.session.get_session().get_available_regions("apigateway")) <= names
    assert not any(n.endswith("-global") for n in names)


def test_profile_offers_the_profiles_of_both_files(profiles):
    offered, stderr = _fast(["check", "--profile"], "")
    assert offered == ["ci", "default", "dev"]  # not the sso-session section
    assert "HEAVY []" in stderr
    assert _fast(["check", "--profile"], "d")[0] == ["default", "dev"]


def test_missing_config_files_offer_nothing(fake_aws, monkeypatch):
    monkeypatch.setenv("AWS_CONFIG_FILE", str(fake_aws / "nope"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(fake_aws / "nope2"))
    assert aws_names.profiles() == []


def test_bash_offers_regions_not_files(stage_exe, tmp_path, monkeypatch):
    (tmp_path / "eu-file.txt").write_text("x")
    monkeypatch.chdir(tmp_path)
    offered = bash_complete(stage_exe, "http://127.0.0.1:9", "stage", "list", "--region", "eu-")
    assert "eu-west-1" in offered and "eu-file.txt" not in offered
