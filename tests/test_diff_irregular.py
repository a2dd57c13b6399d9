"""`stage diff A B` of snapshot trees holding a FIFO or another non-regular file (issue 20.11):
it never hangs (a FIFO's open() waits for a writer that never comes), reads regular files only
and names on stderr what it skipped. A FIFO given as a side itself (`<(...)`) is still read."""

import os
import shutil
import subprocess
import threading

import boto3
import pytest

from tests.conftest import EXAMPLE, run_stage

REGION = "ca-central-1"  # no other test seeds it, so the fleet here is this file's alone


@pytest.fixture(scope="module")
def seeded(moto_server):
    client = boto3.client("apigateway", endpoint_url=moto_server, region_name=REGION,
                          aws_access_key_id="AKIAFAKEFAKEFAKE1234", aws_secret_access_key="fake-secret-never-printed")
    api_id = client.create_rest_api(name="ledger")["id"]
    root = client.get_resources(restApiId=api_id)["items"][0]["id"]
    client.put_method(restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE")
    client.put_integration(restApiId=api_id, resourceId=root, httpMethod="GET", type="MOCK")
    deployment = client.create_deployment(restApiId=api_id)["id"]
    for stage in ("prod", "dev"):
        client.create_stage(restApiId=api_id, stageName=stage, deploymentId=deployment)
    return moto_server


@pytest.fixture
def trees(stage_exe, seeded, tmp_path):
    left = tmp_path / "left"
    proc = run_stage(stage_exe, "snapshot", left, "--region", REGION, "--endpoint-url", seeded)
    assert proc.returncode == 0, proc.stderr
    right = tmp_path / "right"
    shutil.copytree(left, right, symlinks=True)
    return left, right


def _stage_file(tree, stage: str):
    for folder, _dirs, names in os.walk(tree):
        if f"{stage}.json" in names:
            return os.path.join(folder, f"{stage}.json")
    raise AssertionError(f"no {stage}.json in {tree}")


def _diff(stage_exe, *sides):
    # The timeout is the test's guard against the old hang, not a timing assertion.
    return run_stage(stage_exe, "diff", *sides, timeout=60)


def test_a_fifo_in_place_of_a_stage_file_does_not_hang_and_is_named(stage_exe, trees):
    left, right = trees
    fifo = _stage_file(right, "dev")
    os.unlink(fifo)
    os.mkfifo(fifo)
    proc = _diff(stage_exe, left, right)
    # A FIFO where the marker names a stage file is said once, by the snapshot reader (issue 20.1's
    # in-place reader, merged after this test was written); one elsewhere in the tree names its kind.
    assert f"stage: note: skipped {fifo}: not a regular file" in proc.stderr
    assert proc.stderr.count(f"skipped {fifo}:") == 1
    assert "Traceback" not in proc.stderr
    # Never read as a stage: today (before the snapshot reader of issue 20.1) the reader refuses
    # it with exit 2 naming it; with that reader the stage is simply not in the tree (exit 1).
    assert proc.returncode in (1, 2), proc.stderr
    if proc.returncode == 2:
        assert f"cannot read {fifo}: not a regular file" in proc.stderr


def test_fifos_and_sockets_elsewhere_in_the_tree_are_skipped_and_named(stage_exe, trees, tmp_path):
    import socket

    left, right = trees
    os.mkfifo(right / "inbox")
    account = next(p for p in right.iterdir() if p.is_dir())
    os.mkfifo(account / "pipe.json")
    sock = socket.socket(socket.AF_UNIX)
    sock_path = left / "s.sock"
    try:
        sock.bind(str(sock_path))
    except OSError:  # a path too long for AF_UNIX: the FIFOs still make the point
        sock_path = None
    proc = _diff(stage_exe, left, right)
    assert proc.returncode == 0, proc.stderr
    assert "No differences" in proc.stdout or proc.stdout.strip()
    assert f"stage: note: skipped {right / 'inbox'}: a FIFO" in proc.stderr
    assert f"stage: note: skipped {account / 'pipe.json'}: a FIFO" in proc.stderr
    if sock_path is not None:
        assert f"stage: note: skipped {sock_path}: a socket" in proc.stderr
    sock.close()


def test_a_tree_without_odd_entries_says_nothing_more(stage_exe, trees):
    proc = _diff(stage_exe, *trees)
    assert proc.returncode == 0 and proc.stderr == ""


def test_a_fifo_given_as_a_side_is_still_read(stage_exe, tmp_path):
    """`stage diff <(cat a.json) <(cat b.json)`: a side that is a pipe is a document, not a tree."""
    with open(EXAMPLE, "rb") as handle:
        body = handle.read()
    pipes = [tmp_path / "a", tmp_path / "b"]
    for pipe in pipes:
        os.mkfifo(pipe)

    def feed(path):
        with open(path, "wb") as out:
            out.write(body)

    feeders = [threading.Thread(target=feed, args=(p,), daemon=True) for p in pipes]
    for feeder in feeders:
        feeder.start()
    proc = subprocess.run([stage_exe, "diff", str(pipes[0]), str(pipes[1])], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
