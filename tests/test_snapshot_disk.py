"""`stage snapshot DIR` on disk (issue 20 items 1-6, issue 19 items 3-6): written in place and
locked, never replacing DIR; only stage's own files removed; no link below DIR followed; every
stage its own file on every file system; diff by the service's names, over every cell, honouring
what the snapshot left out. Against the loopback fleet server (tests/fleetwire.py)."""

import json
import os
import signal
import stat
import subprocess
import time

import pytest

from tests.fleetwire import DENY, HANG, FleetServer

REGION = "us-west-2"


@pytest.fixture
def server():
    fleet = FleetServer().start()
    fleet.retry_after = "0"
    yield fleet
    fleet.stop()


def _scope(server, *more):
    return ("--region", REGION, "--endpoint-url", server.url, *more)


def _files(tree) -> list[str]:
    return sorted(str(p.relative_to(tree)) for p in tree.rglob("*") if p.is_file())


def _snap(invoke, tree, server, *more):
    result = invoke("snapshot", str(tree), *_scope(server, *more))
    assert result.exit_code == 0, result.stderr
    return result


def test_dir_keeps_its_mode_identity_and_the_files_a_user_keeps_in_it(invoke, server, tmp_path):
    server.add(REGION, "aa00000001", "orders", ("prod", "dev"))
    tree = tmp_path / "fleet"
    tree.mkdir(mode=0o755)
    os.chmod(tree, 0o755)
    _snap(invoke, tree, server)
    inode = tree.stat().st_ino
    (tree / "README.md").write_text("ours\n")
    (tree / "scripts").mkdir()
    (tree / "scripts" / "push.sh").write_text("git push\n")
    (tree / "default" / "NOTES.md").write_text("account notes\n")
    (tree / "default" / REGION / "orders--aa00000001" / "why.txt").write_text("a note by the stages\n")
    server.stages[(REGION, "aa00000001")].pop()  # dev is deleted
    again = _snap(invoke, tree, server)
    assert stat.S_IMODE(tree.stat().st_mode) == 0o755 and tree.stat().st_ino == inode  # today 0700, a new folder
    assert (tree / "README.md").read_text() == "ours\n" and (tree / "scripts" / "push.sh").exists()
    assert (tree / "default" / "NOTES.md").exists() and (tree / "default" / REGION / "orders--aa00000001" / "why.txt").exists()
    assert not (tree / "default" / REGION / "orders--aa00000001" / "dev.json").exists()
    assert "removed default/us-west-2/orders--aa00000001/dev.json: the stage no longer exists" in again.stderr
    assert not [n for n in os.listdir(tmp_path) if n.startswith(".")]  # nothing beside DIR


def test_dir_through_a_symlink_from_inside_it_and_with_a_250_byte_name(invoke, server, tmp_path, monkeypatch):
    server.add(REGION, "aa00000001", "orders")
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    _snap(invoke, link, server)
    assert link.is_symlink() and (real / "default" / REGION / "orders--aa00000001" / "prod.json").exists()
    assert not [n for n in os.listdir(tmp_path) if n.startswith(".")]  # no .link.tmp-* left behind
    monkeypatch.chdir(real)
    _snap(invoke, ".", server)  # `cd DIR && stage snapshot .`
    assert os.path.samefile(os.getcwd(), real)
    long = tmp_path / ("d" * 250)
    _snap(invoke, long, server)  # today "File name too long" from the temporary sibling's name
    assert (long / "default" / REGION / "orders--aa00000001" / "prod.json").exists()


def test_a_read_only_dir_or_file_is_exit_73_before_anything_changes(invoke, server, tmp_path):
    server.add(REGION, "aa00000001", "orders", ("prod", "dev"))
    tree = tmp_path / "fleet"
    _snap(invoke, tree, server)
    before = {p: (tree / p).read_bytes() for p in _files(tree)}
    server.stages[(REGION, "aa00000001")][0]["tracingEnabled"] = True
    os.chmod(tree, 0o555)
    try:
        result = invoke("snapshot", str(tree), *_scope(server))
    finally:
        os.chmod(tree, 0o755)
    assert (result.exit_code, result.stdout) == (73, "")
    assert result.stderr == f"stage: error: {tree} is read-only (the snapshot's folders must be writable)\n"
    prod = tree / "default" / REGION / "orders--aa00000001" / "prod.json"
    os.chmod(prod, 0o444)
    result = invoke("snapshot", str(tree), *_scope(server))
    assert result.exit_code == 73 and result.stderr == f"stage: error: {prod} is read-only (make it writable (chmod u+w) or remove it)\n"
    assert {p: (tree / p).read_bytes() for p in _files(tree)} == before  # dev.json too: nothing changed
    assert not [p for p in _files(tree) if ".stage-tmp-" in p]


def test_a_second_snapshot_of_one_dir_at_once_is_exit_75(invoke, server, tmp_path):
    import fcntl

    server.add(REGION, "aa00000001", "orders")
    tree = tmp_path / "fleet"
    _snap(invoke, tree, server)
    fd = os.open(tree, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # what a running snapshot holds
        result = invoke("snapshot", str(tree), *_scope(server))
    finally:
        os.close(fd)
    assert (result.exit_code, result.stdout) == (75, "")
    assert result.stderr.startswith(f"stage: error: {tree} is busy: another `stage snapshot` is writing it")
    assert len(result.stderr.splitlines()) == 1


def test_a_renamed_api_whose_stages_cannot_be_read_keeps_its_files_by_id(invoke, server, tmp_path):
    server.add(REGION, "aa00000001", "orders", ("prod", "dev"))
    tree = tmp_path / "fleet"
    _snap(invoke, tree, server)
    old = _files(tree)
    server.apis[REGION][0]["name"] = "orders-v2"  # renamed
    server.throttle["aa00000001"] = -1  # and its GetStages fails this time
    result = invoke("snapshot", str(tree), *_scope(server))
    assert result.exit_code == 8
    assert "default/us-west-2/orders--aa00000001/prod.json" in _files(tree) and _files(tree) == old


def test_a_symlinked_account_folder_is_never_followed(invoke, server, tmp_path):
    """Today: the account folder linked outside plus a failing region made the snapshot hard-link
    files from outside DIR into the tree (a key planted outside ended up inside)."""
    server.add(REGION, "aa00000001", "orders")
    tree = tmp_path / "fleet"
    _snap(invoke, tree, server)
    outside = tmp_path / "outside"
    (outside / REGION / "orders--aa00000001").mkdir(parents=True)
    (outside / REGION / "orders--aa00000001" / "prod.json").write_text("-----BEGIN PRIVATE KEY-----\n")
    import shutil

    shutil.rmtree(tree / "default")
    (tree / "default").symlink_to(outside)
    server.faults[REGION] = DENY
    result = invoke("snapshot", str(tree), *_scope(server))
    assert result.exit_code == 4, result.stderr  # denied: nothing to write, the region was not read
    server.faults.clear()
    result = invoke("snapshot", str(tree), *_scope(server))
    assert result.exit_code == 73 and result.stdout == ""
    assert result.stderr.startswith(f"stage: error: {tree / 'default'} is a symbolic link or not a folder")
    assert (outside / REGION / "orders--aa00000001" / "prod.json").read_text() == "-----BEGIN PRIVATE KEY-----\n"
    diff = invoke("diff", str(tree), str(tree), "-o", "json")  # reading never follows it either
    assert diff.exit_code == 0 and "PRIVATE" not in diff.stdout + diff.stderr


def test_sigterm_is_a_clean_stop_and_a_killed_run_s_temporary_files_go_next_time(stage_exe, server, tmp_path):
    server.add(REGION, "aa00000001", "orders")
    server.add("eu-west-1", "bb00000001", "billing")
    tree = tmp_path / "fleet"
    scope = ("--region", REGION, "--region", "eu-west-1", "--endpoint-url", server.url)
    first = subprocess.run([stage_exe, "snapshot", str(tree), *scope], capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    before = {p: (tree / p).read_bytes() for p in _files(tree)}
    stale = tree / "default" / REGION / "orders--aa00000001" / ".stage-tmp-99999-dead"
    stale.write_text("{half")  # what a SIGKILLed run leaves
    server.faults["eu-west-1"] = HANG
    server.requests.clear()
    server.stages[(REGION, "aa00000001")][0]["tracingEnabled"] = True
    proc = subprocess.Popen([stage_exe, "snapshot", str(tree), *scope, "--timeout", "30"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    while not any(r == "eu-west-1" for r, _ in server.requests) and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=20)
    server._release.set()
    assert proc.returncode == 143 and "Traceback" not in err
    assert {p: (tree / p).read_bytes() for p in _files(tree) if ".stage-tmp-" not in p} == before
    server.faults.clear()
    assert subprocess.run([stage_exe, "snapshot", str(tree), *scope], capture_output=True).returncode == 0
    assert not stale.exists() and not [p for p in _files(tree) if ".stage-tmp-" in p]


def test_snapshot_files_escape_what_json_output_escapes_and_read_back_exact(invoke, server, tmp_path):
    spoof = {"description": "ok\u202eevil", "variables": {"zw": "a\u200bb", "del": "x\x7fy", "c1": "n\x85m", "bell": "\x07"}}
    server.add(REGION, "aa00000001", "orders", ("prod",), **spoof)
    tree = tmp_path / "fleet"
    _snap(invoke, tree, server)
    path = tree / "default" / REGION / "orders--aa00000001" / "prod.json"
    text = path.read_text(encoding="utf-8")
    for raw, escaped in (("\u202e", "\\u202e"), ("\u200b", "\\u200b"), ("\x7f", "\\u007f"), ("\x85", "\\u0085"), ("\x07", "\\u0007")):
        assert raw not in text and escaped in text
    shown = invoke("show", "--file", str(path), "-o", "json")
    doc = json.loads(shown.stdout)
    assert doc["description"] == spoof["description"] and doc["variables"] == spoof["variables"]


def test_every_stage_is_its_own_file_on_every_file_system(invoke, server, tmp_path):
    """Issue 19 item 3: $default/_default, con/_con, two 128-character names sharing their first
    120, and names that differ only in case each get a file, no two equal when case is folded."""
    long_a, long_b = "a" * 120 + "x" * 8, "a" * 120 + "y" * 8
    rest = ("_default", "con", "_con", "CON", long_a, long_b, "Prod", "prod", "PROD")
    server.add(REGION, "aa00000001", "orders", rest)
    server.add_v2(REGION, "h77p000001", "web", "HTTP", ("$default", "_default"))
    tree = tmp_path / "fleet"
    result = _snap(invoke, tree, server, "-o", "json")
    assert json.loads(result.stdout)["written"] == 11
    stages = [p for p in _files(tree) if p.endswith(".json") and "/" in p]
    assert len(stages) == 11 and len({p.casefold() for p in stages}) == 11
    assert all(len(os.path.basename(p).encode()) <= 200 for p in stages)
    names = {os.path.basename(p)[:-5].lower() for p in stages}
    assert not names & {"con", "prn", "aux", "nul"}
    marker = json.loads((tree / ".stage-snapshot.json").read_text())
    assert sorted(i["stage"] for i in marker["files"].values()) == sorted([*rest, "$default", "_default"])
    # pointing the lost stage at another backend shows (today: "no differences")
    server.v2_stages[(REGION, "h77p000001")][0]["stageVariables"] = {"backend": "new"}
    other = tmp_path / "other"
    _snap(invoke, other, server)
    diff = invoke("diff", str(tree), str(other), "-o", "json")
    assert diff.exit_code == 1
    [changed] = json.loads(diff.stdout)["changed"]
    assert (changed["stage"], changed["account"], changed["region"]) == ("$default", "default", REGION)  # item 4


def test_a_stage_file_this_run_did_not_write_is_named(invoke, server, tmp_path):
    server.add(REGION, "aa00000001", "orders")
    tree = tmp_path / "fleet"
    _snap(invoke, tree, server)
    planted = tree / "default" / REGION / "orders--aa00000001" / "old-copy.json"
    planted.write_text("{}")
    again = _snap(invoke, tree, server)
    assert planted.exists()
    assert "left default/us-west-2/orders--aa00000001/old-copy.json as it is: this run did not write it" in again.stderr


def test_diff_dir_compares_every_region_the_snapshot_holds(invoke, server, tmp_path):
    """Issue 19 item 5: a change in eu-west-1 was skipped when the default region was us-west-2."""
    server.add(REGION, "aa00000001", "orders")
    server.add("eu-west-1", "bb00000001", "billing", ("prod", "dev"))
    tree = tmp_path / "fleet"
    _snap(invoke, tree, server, "--region", "eu-west-1")
    server.stages[("eu-west-1", "bb00000001")][0]["tracingEnabled"] = True
    server.stages[("eu-west-1", "bb00000001")].pop()  # dev deleted
    result = invoke("diff", str(tree), "--endpoint-url", server.url, "-o", "json")  # AWS_REGION is us-east-1
    assert result.exit_code == 1, result.stderr
    data = json.loads(result.stdout)
    assert [(c["region"], c["stage"]) for c in data["changed"]] == [("eu-west-1", "prod")]
    assert [(c["region"], c["stage"]) for c in data["removed"]] == [("eu-west-1", "dev")]
    assert data["notCompared"] == []
    narrow = invoke("diff", str(tree), "--region", REGION, "--endpoint-url", server.url, "-o", "json")
    assert narrow.exit_code == 0
    assert json.loads(narrow.stdout)["notCompared"] == [
        {"account": "default", "region": "eu-west-1", "reason": "outside this run's --profile/--region"}]
    table = invoke("diff", str(tree), "--region", REGION, "--endpoint-url", server.url, env={"COLUMNS": "80"})
    assert "Not compared (1)" in table.stdout and "eu-west-1" in table.stdout


def test_snapshot_ignore_is_recorded_and_diff_honours_it(invoke, server, tmp_path):
    """Issue 19 item 6."""
    server.add(REGION, "aa00000001", "orders")
    tree = tmp_path / "fleet"
    _snap(invoke, tree, server, "--ignore", "lastUpdatedDate")
    assert json.loads((tree / ".stage-snapshot.json").read_text())["ignore"] == ["lastUpdatedDate"]
    server.stages[(REGION, "aa00000001")][0]["lastUpdatedDate"] = 1800000000
    live = invoke("diff", str(tree), *_scope(server), "-o", "json")
    assert live.exit_code == 0, live.stdout  # today: lastUpdatedDate "added" as drift
    full = tmp_path / "full"
    _snap(invoke, full, server)
    both = invoke("diff", str(tree), str(full), "-o", "json")
    assert both.exit_code == 0, both.stdout
    assert both.stderr == (f"stage: note: the two snapshots left out different fields ({tree}: lastUpdatedDate; "
                           f"{full}: none): each is left out of both sides\n")


@pytest.mark.parametrize("content", ["[" * 100_000 + "]" * 100_000, "not json", "[1, 2]"])
def test_a_bad_marker_is_exit_2_with_one_line(invoke, server, tmp_path, content):
    server.add(REGION, "aa00000001", "orders")
    tree = tmp_path / "fleet"
    _snap(invoke, tree, server)
    (tree / ".stage-snapshot.json").write_text(content)
    for args in (("snapshot", str(tree), *_scope(server)), ("diff", str(tree), str(tree))):
        result = invoke(*args)
        assert (result.exit_code, result.stdout) == (2, ""), result.stderr
        assert result.stderr.startswith(f"stage: error: cannot read {tree}/.stage-snapshot.json")
        assert len(result.stderr.splitlines()) == 1


def test_a_marker_too_large_is_refused_without_reading_it(invoke, server, tmp_path):
    server.add(REGION, "aa00000001", "orders")
    tree = tmp_path / "fleet"
    _snap(invoke, tree, server)
    with open(tree / ".stage-snapshot.json", "r+b") as handle:
        handle.truncate(400 * 2**20)  # sparse: 400 MB that read whole would be in memory
    result = invoke("diff", str(tree), str(tree))
    assert result.exit_code == 2 and "larger than 50 MB" in result.stderr


def test_a_marker_path_outside_the_tree_is_never_removed(invoke, server, tmp_path):
    server.add(REGION, "aa00000001", "orders")
    tree = tmp_path / "fleet"
    _snap(invoke, tree, server)
    victim = tmp_path / "victim.json"
    victim.write_text("{}")
    marker = json.loads((tree / ".stage-snapshot.json").read_text())
    marker["files"]["../victim.json"] = {"account": "..", "region": "x", "apiId": "y", "stage": "z"}
    marker["files"]["default/../../victim.json"] = {"legacy": True, "account": "default", "region": REGION,
                                                    "apiId": "y", "stage": "z"}
    (tree / ".stage-snapshot.json").write_text(json.dumps(marker))
    _snap(invoke, tree, server)
    assert victim.exists()


def test_paths_are_one_to_one_and_reversible():
    from apigw_stage.model.tree import decode, encode

    names = ["prod", "$default", "_default", "con", "_con", "CON", "Con", "lpt9", "com0", "a" * 128,
             "a" * 127 + "B", "", "%", "~", "a.b", "é", "\u202e", "Prod", "PROD", "x" * 300]
    encoded = [encode(n) for n in names]
    assert len({e.casefold() for e in encoded}) == len(names)
    assert all(decode(e) == n for n, e in zip(names, encoded) if len(n) <= 128)
    assert encode("prod") == "prod" and encode("$default") == "%24default" and encode("con") == "%63on"


def test_a_dir_that_is_a_mount_point_is_written_into(invoke, server, tmp_path):
    """Today "Device or resource busy": a mount point cannot be renamed away."""
    server.add(REGION, "aa00000001", "orders")
    tree = tmp_path / "mounted"
    tree.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "none", str(tree)], capture_output=True).returncode != 0:
        pytest.skip("mounting a tmpfs needs root (or a user namespace) here")
    try:
        _snap(invoke, tree, server)
        _snap(invoke, tree, server)
        assert (tree / "default" / REGION / "orders--aa00000001" / "prod.json").exists() and os.path.ismount(tree)
    finally:
        subprocess.run(["umount", str(tree)], check=True)


def test_a_full_disk_is_exit_74_and_the_old_file_stays_whole(invoke, server, tmp_path, monkeypatch):
    import errno

    server.add(REGION, "aa00000001", "orders")
    tree = tmp_path / "fleet"
    _snap(invoke, tree, server)
    prod = tree / "default" / REGION / "orders--aa00000001" / "prod.json"
    before = prod.read_bytes()
    server.stages[(REGION, "aa00000001")][0]["tracingEnabled"] = True

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("apigw_stage.sources.fleet.disk.os.write", full)
    result = invoke("snapshot", str(tree), *_scope(server))
    assert (result.exit_code, result.stdout) == (74, "")
    assert result.stderr.startswith("stage: error: cannot write ") and "No space left on device" in result.stderr
    assert prod.read_bytes() == before and not [p for p in _files(tree) if ".stage-tmp-" in p]


def test_a_tree_of_the_previous_format_is_taken_over(invoke, server, tmp_path):
    """A snapshot written before the marker named its files: every stage file in it was ours."""
    server.add(REGION, "aa00000001", "orders", ("prod",))
    server.add_v2(REGION, "h77p000001", "web", "HTTP", ("$default",))
    tree = tmp_path / "fleet"
    old = tree / "default" / REGION
    (old / "orders--aa00000001").mkdir(parents=True)
    (old / "orders--aa00000001" / "dev.json").write_text('{"stageName": "dev", "deploymentId": "d"}')
    (old / "web--h77p000001").mkdir()
    (old / "web--h77p000001" / "_default.json").write_text('{"stageName": "$default", "autoDeploy": true}')
    (tree / ".stage-snapshot.json").write_text('{"format": 1, "writtenBy": "stage snapshot", "accounts": {}}')
    (tree / "README.md").write_text("mine\n")
    result = _snap(invoke, tree, server)
    assert _files(tree) == [".stage-snapshot.json", "README.md", f"default/{REGION}/orders--aa00000001/prod.json",
                            f"default/{REGION}/web--h77p000001/%24default.json"]
    assert "notOurs" not in result.stderr and "left " not in result.stderr


def test_a_file_written_earlier_in_the_run_is_never_overwritten(tmp_path):
    """Two paths one case-insensitive disk would fold together (only a cut long name could make
    them): exit 73 before anything is written, not the second stage in the first one's file."""
    from apigw_stage.core.errors import CannotCreate
    from apigw_stage.sources.fleet import snapshot
    from apigw_stage.sources.fleet.disk import Root

    ident = {"account": "a", "region": "r", "apiId": "i", "apiName": "n", "stage": "s", "family": "rest"}
    files = {"a/r/n--i/s~~abc.json": (ident, "{}\n"), "a/r/n--i/S~~ABC.json": (ident, "{}\n")}
    with Root(str(tmp_path / "fleet")) as tree, pytest.raises(CannotCreate, match="two stages would share"):
        snapshot.write(tree, files, [], [("a", "r")], {}, [])
    assert os.listdir(tmp_path / "fleet") == []


def test_diff_of_a_snapshot_holding_a_fifo_or_a_link_skips_it_and_says_so(invoke, server, tmp_path):
    server.add(REGION, "aa00000001", "orders", ("prod", "dev"))
    tree = tmp_path / "fleet"
    _snap(invoke, tree, server)
    folder = tree / "default" / REGION / "orders--aa00000001"
    (folder / "prod.json").unlink()
    os.mkfifo(folder / "prod.json")
    (folder / "dev.json").unlink()
    (folder / "dev.json").symlink_to(tmp_path / "aws-credentials")
    result = invoke("diff", str(tree), str(tree), "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("stage: note: skipped ") == 4  # two files, each side
    assert f"skipped {folder / 'prod.json'}: not a regular file" in result.stderr
