"""TAB completion: the shipped scripts in real shells, the fast path, and the cache."""

import json
import os
import stat
import subprocess

import pytest

from apigw_stage.completion import fast as fastcomplete, live as completion
from apigw_stage.core import cache
from tests.conftest import ROOT, need_program
from tests.docs import wire_stage

SCRIPTS = os.path.join(ROOT, "completions")


def shell_env(stage_exe, endpoint):
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(stage_exe) + os.pathsep + env["PATH"]
    env["AWS_ENDPOINT_URL"] = endpoint
    return env


def bash_complete(stage_exe, endpoint, *words):
    script = (f"source {SCRIPTS}/stage.bash\n"
              f"COMP_WORDS=({' '.join(repr(w) if w else chr(39)*2 for w in words)}); COMP_CWORD={len(words) - 1}\n"
              "_stage_complete\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n")
    out = subprocess.run(["bash", "--norc", "-c", script], capture_output=True, text=True,
                         env=shell_env(stage_exe, endpoint), timeout=30)
    assert out.stderr == ""
    return [line for line in out.stdout.splitlines() if line]


def fish_complete(stage_exe, endpoint, line):
    need_program("fish")
    out = subprocess.run(["fish", "--no-config", "-c", f"source {SCRIPTS}/stage.fish; complete -C '{line}'"],
                         capture_output=True, text=True, env=shell_env(stage_exe, endpoint), timeout=30)
    return [line for line in out.stdout.splitlines() if line]


def zsh_complete(stage_exe, endpoint, *words):
    """Real zsh runs the shipped function; compsys's _wanted/_files are stubbed to print the
    displayed candidates (the real insertion is tested on a terminal in test_completion_security)."""
    need_program("zsh")
    quoted = " ".join("'" + w + "'" for w in words)
    script = ("compdef() { :; }\n_wanted() { shift 3; while [[ $1 != -d ]]; do shift; done; print -rl -- ${(P)2} }\n"
              "_files() { print FILES }\n"
              f"source {SCRIPTS}/_stage\nwords=({quoted}); CURRENT={len(words)}\n_stage\n")
    out = subprocess.run(["zsh", "-f", "-c", script], capture_output=True, text=True,
                         env=shell_env(stage_exe, endpoint), timeout=30)
    assert out.stderr == ""
    return [line for line in out.stdout.splitlines() if line]


def test_bash_completes_commands_options_apis_and_stages(stage_exe, petstore):
    endpoint, api_id = petstore["endpoint"], petstore["api_id"]
    assert bash_complete(stage_exe, endpoint, "stage", "") == ["canary", "check", "diff", "domains", "history", "limits", "list",
                                                                   "settings", "show", "snapshot", "vars"]  # issues 23, 24
    assert bash_complete(stage_exe, endpoint, "stage", "se") == ["settings"]
    assert "--output" in bash_complete(stage_exe, endpoint, "stage", "show", "--o")
    assert bash_complete(stage_exe, endpoint, "stage", "show", "-o", "") == ["table", "json", "yaml"]
    assert api_id in bash_complete(stage_exe, endpoint, "stage", "show", "")
    assert bash_complete(stage_exe, endpoint, "stage", "show", api_id, "pr") == ["preprod", "prod"]
    assert bash_complete(stage_exe, endpoint, "stage", "vars", "--region", "us-east-1", api_id, "st") == ["staging"]


def test_fish_completes_with_descriptions(stage_exe, petstore):
    endpoint, api_id = petstore["endpoint"], petstore["api_id"]
    apis = fish_complete(stage_exe, endpoint, "stage show ")
    assert f"{api_id}\tpetstore" in apis
    stages = fish_complete(stage_exe, endpoint, f"stage show {api_id} pr")
    assert [line.split("\t")[0] for line in stages] == ["preprod", "prod"]
    assert "prod\tProduction <b>[bold]stage[/bold]" in stages
    assert any(line.startswith("settings\t") for line in fish_complete(stage_exe, endpoint, "stage "))


def test_zsh_completes_with_descriptions(stage_exe, petstore):
    endpoint, api_id = petstore["endpoint"], petstore["api_id"]
    assert f"{api_id}  -- petstore" in zsh_complete(stage_exe, endpoint, "stage", "canary", "")
    assert zsh_complete(stage_exe, endpoint, "stage", "canary", api_id, "st") == ["staging"]
    assert zsh_complete(stage_exe, endpoint, "stage", "show", "-f", "") == ["FILES"]


def test_completion_prints_nothing_when_aws_fails(stage_exe, wire):
    url = wire.url
    wire.stop()
    assert bash_complete(stage_exe, url, "stage", "show", "") == []
    env = {"_STAGE_COMPLETE": "fast", "STAGE_COMP_WORDS": "stage\nshow\nabc", "STAGE_COMP_CURRENT": "", "AWS_ENDPOINT_URL": url}
    proc = subprocess.run([stage_exe], capture_output=True, text=True, env={**os.environ, **env}, timeout=30)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


def test_completion_without_credentials_prints_nothing(stage_exe, wire, monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    env = {"_STAGE_COMPLETE": "fast", "STAGE_COMP_WORDS": "stage\nshow\nabc", "STAGE_COMP_CURRENT": "", "AWS_ENDPOINT_URL": wire.url}
    proc = subprocess.run([stage_exe], capture_output=True, text=True, env={**os.environ, **env}, timeout=30)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
    assert wire.requests == []


@pytest.fixture
def api(wire, monkeypatch):
    wire.stages[("a1b2c3d4e5", "prod")] = wire_stage()
    wire.stages[("a1b2c3d4e5", "preprod")] = wire_stage(stageName="preprod", description="pre\x1b[31m")
    wire.apis = [{"id": "a1b2c3d4e5", "name": "petstore"}]
    monkeypatch.setenv("AWS_ENDPOINT_URL", wire.url)
    return wire


def test_cold_tab_makes_one_call_warm_tab_none(api):
    ctx = completion.context()
    assert completion.stages(ctx, "a1b2c3d4e5") == [["preprod", "pre\x1b[31m"], ["prod", "Production stage of the Pet Store API"]]
    assert api.requests == ["/restapis/a1b2c3d4e5/stages"]
    completion.stages(ctx, "a1b2c3d4e5")
    assert api.requests == ["/restapis/a1b2c3d4e5/stages"]


def test_fast_path_escapes_descriptions(api, capsys, monkeypatch):
    monkeypatch.setenv("STAGE_COMP_WORDS", "stage\nshow\na1b2c3d4e5")
    monkeypatch.setenv("STAGE_COMP_CURRENT", "pre")
    assert fastcomplete.main() == 0
    assert capsys.readouterr().out == "preprod\tpre\\e[31m\n"


def test_cache_expires(api, monkeypatch):
    ctx = completion.context()
    completion.stages(ctx, "a1b2c3d4e5")
    key = [*ctx, "stages", "a1b2c3d4e5"]
    path = cache._path(key)
    data = json.load(open(path))
    data["written"] -= cache.DEFAULT_TTL + 1
    json.dump(data, open(path, "w"))
    completion.stages(ctx, "a1b2c3d4e5")
    assert len(api.requests) == 2


def test_cache_can_be_turned_off(api, monkeypatch):
    monkeypatch.setenv(cache.TTL_ENV, "0")
    ctx = completion.context()
    completion.stages(ctx, "a1b2c3d4e5")
    completion.stages(ctx, "a1b2c3d4e5")
    assert len(api.requests) == 2
    assert not os.path.exists(cache.directory())


def test_corrupt_cache_is_ignored_and_replaced(api):
    ctx = completion.context()
    key = [*ctx, "stages", "a1b2c3d4e5"]
    os.makedirs(cache.directory(), mode=0o700)  # a directory the cache trusts, so the files are read
    for junk in ("{not json", '{"key": "other", "written": 0, "items": []}', '{"key": %s, "written": "x"}' % json.dumps(key), "[]"):
        open(cache._path(key), "w").write(junk)
        assert [s for s, _ in completion.stages(ctx, "a1b2c3d4e5")] == ["preprod", "prod"]
    assert len(api.requests) == 4


def test_cache_files_are_private(api):
    completion.stages(completion.context(), "a1b2c3d4e5")
    folder = cache.directory()
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    for name in os.listdir(folder):
        assert stat.S_IMODE(os.stat(os.path.join(folder, name)).st_mode) == 0o600
        assert not name.startswith(".tmp-")


def test_unwritable_cache_directory_still_completes(api, tmp_path, monkeypatch):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache directory should be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert [s for s, _ in completion.stages(completion.context(), "a1b2c3d4e5")] == ["preprod", "prod"]


def test_two_profiles_do_not_mix(api, fake_aws, monkeypatch):
    (fake_aws / "aws-config").write_text("[profile a]\nregion = us-east-1\n[profile b]\nregion = us-east-1\n")
    (fake_aws / "aws-credentials").write_text("[a]\naws_access_key_id = AKIAA\naws_secret_access_key = s\n"
                                              "[b]\naws_access_key_id = AKIAB\naws_secret_access_key = s\n")
    first = completion.stages(completion.context("a"), "a1b2c3d4e5")
    api.stages.pop(("a1b2c3d4e5", "preprod"))
    second = completion.stages(completion.context("b"), "a1b2c3d4e5")
    assert [s for s, _ in first] == ["preprod", "prod"]
    assert [s for s, _ in second] == ["prod"]
    assert [s for s, _ in completion.stages(completion.context("a"), "a1b2c3d4e5")] == ["preprod", "prod"]
    assert len(api.requests) == 2


def test_apis_are_completed_from_all_pages(api):
    assert completion.apis(completion.context()) == [["a1b2c3d4e5", "petstore"]]
    assert api.requests[0].startswith("/restapis")


def test_typer_protocol_still_completes(stage_exe, petstore):
    env = {**os.environ, "_STAGE_COMPLETE": "complete_bash", "COMP_WORDS": f"stage show {petstore['api_id']} pr",
           "COMP_CWORD": "3", "AWS_ENDPOINT_URL": petstore["endpoint"]}
    proc = subprocess.run([stage_exe], capture_output=True, text=True, env=env, timeout=30)
    assert sorted(proc.stdout.split()) == ["preprod", "prod"]


def test_warm_tab_imports_no_boto3_rich_typer_or_yaml(api):
    import sys

    ctx = completion.context()
    completion.stages(ctx, "a1b2c3d4e5")  # warm the cache
    code = ("import os, sys\nfrom apigw_stage.entry import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore', 'rich', 'typer', 'yaml', 'click'))\n"
            "print('HEAVY', heavy, file=sys.stderr)")
    env = {**os.environ, "_STAGE_COMPLETE": "fast", "STAGE_COMP_WORDS": "stage\nshow\na1b2c3d4e5", "STAGE_COMP_CURRENT": "p"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=30)
    assert proc.stdout.split() == ["preprod", "pre\\e[31m", "prod", "Production", "stage", "of", "the", "Pet", "Store", "API"]
    assert "HEAVY []" in proc.stderr
    assert len(api.requests) == 1


def test_names_complete_and_name_then_stage(stage_exe, fleet):
    endpoint, west = fleet["endpoint"], ("--region", "us-west-2")
    apis = bash_complete(stage_exe, endpoint, "stage", "show", *west, "")
    assert fleet["inventory"] in apis and "inventory" in apis and "orders" in apis
    assert bash_complete(stage_exe, endpoint, "stage", "show", *west, "inv") == ["inventory"]
    assert bash_complete(stage_exe, endpoint, "stage", "settings", *west, "inventory", "") == ["dev", "prod", "staging"]
    assert bash_complete(stage_exe, endpoint, "stage", "list", *west, "inventory", "") == []
    fish = fish_complete(stage_exe, endpoint, "stage check --region us-west-2 inv")
    assert fish == [f"inventory\t{fleet['inventory']}"]


def test_diff_completes_both_forms(stage_exe, fleet):
    endpoint, west = fleet["endpoint"], ("--region", "us-west-2")
    assert bash_complete(stage_exe, endpoint, "stage", "diff", *west, "inventory", "prod", "st") == ["staging"]
    assert bash_complete(stage_exe, endpoint, "stage", "diff", *west, "inventory", "prod", "staging", "") == []
    assert zsh_complete(stage_exe, endpoint, "stage", "diff", *west, "inventory:p") == ["inventory:prod"]
    fish = fish_complete(stage_exe, endpoint, "stage diff --region us-west-2 inventory:prod inventory:d")
    assert fish == ["inventory:dev"]
