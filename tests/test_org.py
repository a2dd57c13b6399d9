"""Organization scans (--org-role) against a loopback organization in the real wire formats
(tests/orgwire.py: Organizations ListAccounts, STS AssumeRole, API Gateway per account × region
with its own token bucket): accounts from ListAccounts or given, each through its assumed role;
an account that cannot be assumed or a region that is denied is reported and the scan goes on
(exit 8); credentials are renewed before they expire; at most --parallel accounts at once."""

import json
import os
import signal
import subprocess
import time

import pytest

from tests.conftest import run_stage
from tests.orgwire import OrgServer, account_id

REGIONS = ("--region", "us-west-2", "--region", "eu-west-1")
A1, A2, A3 = account_id(1), account_id(2), account_id(3)


@pytest.fixture
def org(monkeypatch):
    server = OrgServer(accounts=3, apis=2).start()
    monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)
    yield server
    server.stop()


def _json(result):
    assert result.stdout.strip(), result.stderr
    return json.loads(result.stdout)


def test_lists_every_active_account_through_its_role(org, invoke):
    org.states[A3] = "SUSPENDED"
    result = invoke("list", "--org-role", "audit", *REGIONS, "-o", "json")
    assert result.exit_code == 0, result.stderr
    data = _json(result)
    rows = {(s["account"], s["accountName"], s["region"]) for s in data["stages"]}
    assert rows == {(a, n, r) for a, n in ((A1, "team-1"), (A2, "team-2")) for r in ("us-west-2", "eu-west-1")}
    assert len(data["stages"]) == 2 * 2 * 2 and data["errors"] == []
    assert org.role_names == {"audit"}
    assert len(org.session_names) == 1 and next(iter(org.session_names)).startswith("stage-")
    assert set(org.assumed) == {A1, A2}  # not the suspended one


def test_a_role_that_cannot_be_assumed_is_reported_and_the_scan_goes_on(org, invoke):
    org.denied.add(A2)
    org.denied_regions.add((A3, "eu-west-1"))
    result = invoke("list", "--org-role", "audit", *REGIONS, "-o", "json")
    assert result.exit_code == 8
    data = _json(result)
    assert {(s["account"], s["region"]) for s in data["stages"]} == {
        (A1, "us-west-2"), (A1, "eu-west-1"), (A3, "us-west-2")}
    errors = {(e["account"], e["accountName"], e["region"]): e for e in data["errors"]}
    assert set(errors) == {(A2, "team-2", "us-west-2"), (A2, "team-2", "eu-west-1"), (A3, "team-3", "eu-west-1")}
    assert errors[(A2, "team-2", "us-west-2")]["reason"].startswith(
        f"role arn:aws:iam::{A2}:role/audit could not be assumed: not authorised")
    assert errors[(A2, "team-2", "us-west-2")]["exitCode"] == 4
    assert "apigateway:GET in eu-west-1" in errors[(A3, "team-3", "eu-west-1")]["reason"]
    assert result.stderr.strip().splitlines()[-1].startswith("stage: error: incomplete: 3 parts of the scope not read")


def test_the_table_names_accounts_and_what_was_not_read(org, invoke):
    org.denied.add(A2)
    result = invoke("list", "--org-role", "audit", "--region", "us-west-2")
    assert result.exit_code == 8
    assert f"{A1} team-1" in result.stdout or (A1 in result.stdout and "team-1" in result.stdout)
    assert "Not read (1)" in result.stdout and "could not be assumed" in result.stdout
    assert all(len(line) <= 80 for line in result.stdout.splitlines())


def test_accounts_given_instead_of_listing(org, invoke, tmp_path):
    result = invoke("list", "--org-role", "audit", "--accounts", f"{A2},{A2}", "--region", "us-west-2", "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert {(s["account"], s["accountName"]) for s in _json(result)["stages"]} == {(A2, None)}
    listed = tmp_path / "accounts.txt"
    listed.write_text(f"# payments\n{A3} payments-prod\n\n{A1}\n")
    result = invoke("list", "--org-role", "audit", "--accounts-file", listed, "--region", "us-west-2", "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert {(s["account"], s["accountName"]) for s in _json(result)["stages"]} == {(A3, "payments-prod"), (A1, None)}


@pytest.mark.parametrize("args, message", [
    (("--accounts", A1), "stage: error: --accounts goes with --org-role ROLE"),
    (("--external-id", "x"), "stage: error: --external-id goes with --org-role ROLE"),
    (("--org-role", "audit", "--accounts", "12345"), "stage: error: --accounts: '12345' is not a 12-digit account id"),
    (("--org-role", "audit", "--accounts", f"{A1},"), "stage: error: --accounts has an empty item"),
    (("--org-role", "bad role!"), "stage: error: --org-role 'bad role!' is not an IAM role name"),
    (("--org-role", "audit", "--accounts-file", "/nonexistent/ids"), "stage: error: cannot read --accounts-file"),
    (("--org-role", "audit", "--profile", "a", "--profile", "b"), "stage: error: one --profile with --org-role"),
])
def test_bad_organization_options_are_one_line_and_exit_2(org, invoke, args, message):
    result = invoke("list", *args, "--region", "us-west-2")
    assert result.exit_code == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith(message) and len(result.stderr.strip().splitlines()) == 1
    assert org.calls == 0


def test_one_api_is_not_an_organization(org, invoke):
    result = invoke("list", "a1b2c3d4e5", "--org-role", "audit")
    assert result.exit_code == 2 and "one API is in one account and region" in result.stderr


def test_external_id_is_sent(org, invoke):
    org.external_id = "shared-secret-id"
    denied = invoke("list", "--org-role", "audit", "--region", "us-west-2", "-o", "json")
    assert denied.exit_code == 8 and len(_json(denied)["errors"]) == 3
    result = invoke("list", "--org-role", "audit", "--external-id", "shared-secret-id", "--region", "us-west-2", "-o", "json")
    assert result.exit_code == 0, result.stderr


def test_at_most_parallel_accounts_at_once(monkeypatch, invoke):
    server = OrgServer(accounts=6, apis=3).start()
    monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)
    server.on_request = lambda account, region: time.sleep(0.02)  # so that overlaps would show
    try:
        result = invoke("list", "--org-role", "audit", *REGIONS, "--parallel", "2", "-o", "json")
        assert result.exit_code == 0, result.stderr
        assert len(_json(result)["stages"]) == 6 * 2 * 3
        assert 1 <= server.most_accounts <= 2
        assert server.throttled == 0
    finally:
        server.stop()


def test_short_lived_credentials_are_renewed(org, invoke):
    # botocore renews assumed credentials that expire within 10 minutes before using them: with a
    # lifetime of 5 minutes each account's role is assumed again during its scan.
    org.lifetime = 300
    result = invoke("list", "--org-role", "audit", "--region", "us-west-2", "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert all(count > 1 for count in org.assumed.values()), org.assumed


def test_snapshot_directories_carry_the_account_id_and_name(org, invoke, tmp_path):
    out = tmp_path / "fleet"
    result = invoke("snapshot", out, "--org-role", "audit", "--region", "us-west-2")
    assert result.exit_code == 0, result.stderr
    assert sorted(p for p in os.listdir(out) if not p.startswith(".")) == [f"{A1}--team-1", f"{A2}--team-2", f"{A3}--team-3"]
    assert os.path.isfile(out / f"{A1}--team-1" / "us-west-2" / f"api-0--a{A1[-6:]}000" / "prod.json")


def test_check_over_an_organization(org, invoke):
    org.denied.add(A3)
    result = invoke("check", "--org-role", "audit", "--region", "us-west-2", "-o", "json")
    assert result.exit_code == 8
    data = _json(result)
    assert {s["accountName"] for s in data["stages"]} == {"team-1", "team-2"}
    assert all("checks" in s for s in data["stages"])
    assert [e["account"] for e in data["errors"]] == [A3]


def test_ctrl_c_says_how_far_it_got(stage_exe, tmp_path):
    server = OrgServer(accounts=40, apis=5).start()
    server.on_request = lambda account, region: time.sleep(0.05)
    env = dict(os.environ, AWS_ENDPOINT_URL=server.url)
    try:
        proc = subprocess.Popen([stage_exe, "list", "--org-role", "audit", "--region", "us-west-2", "-o", "json"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        deadline = time.monotonic() + 30
        while server.calls < 20 and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        server.stop()
    assert proc.returncode == 130, err
    assert out == ""
    assert "stage: interrupted after" in err and "of 40 accounts" in err
    assert "Traceback" not in err


def test_progress_shows_accounts_and_calls_on_a_terminal_only(stage_exe, org):
    import pty

    env = dict(os.environ, COLUMNS="160", TERM="xterm", AWS_ENDPOINT_URL=org.url)
    args = [stage_exe, "list", "--org-role", "audit", "--region", "us-west-2", "--rate", "1000"]
    import threading

    controller, terminal = pty.openpty()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=terminal, env=env)
    shown = bytearray()

    def drain():  # read the terminal while stage writes to it, so that a full pty never blocks it
        try:
            while chunk := os.read(controller, 65536):
                shown.extend(chunk)
        except OSError:  # the terminal's other end is closed: all read
            pass

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    out, _ = proc.communicate(timeout=60)
    os.close(terminal)
    reader.join(10)
    os.close(controller)
    shown = bytes(shown)
    assert proc.returncode == 0
    assert b"accounts" in shown and b"3/3" in shown and b"calls" in shown
    assert b"\x1b" not in out and b"accounts" not in out
    piped = run_stage(stage_exe, *args[1:], env={"COLUMNS": "160", "AWS_ENDPOINT_URL": org.url})
    assert piped.returncode == 0 and piped.stderr == ""


@pytest.mark.parametrize("fmt, needle", [
    ("sarif", "could not be assumed"), ("junit", "could not be assumed"), ("html", "could not be assumed"),
    ("yaml", "could not be assumed"), ("table", "could not be assumed"),
])
def test_what_was_not_read_is_in_every_format(org, invoke, fmt, needle):
    org.denied.add(A2)
    result = invoke("check", "--org-role", "audit", "--region", "us-west-2", "-o", fmt)
    assert result.exit_code == 8
    assert needle in result.stdout and A2 in result.stdout


def test_listaccounts_refused_is_one_line_exit_4(org, invoke):
    org.list_denied = True
    result = invoke("list", "--org-role", "audit", "--region", "us-west-2", "-o", "json")
    assert result.exit_code == 4 and result.stdout == ""
    assert result.stderr.startswith("stage: error: not authorised: You don't have permissions")
    assert "delegated administrator; or name the accounts with --accounts" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and org.calls == 0
