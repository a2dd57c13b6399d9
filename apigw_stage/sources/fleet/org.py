"""The accounts of an organization scope (--org-role): the organization's ACTIVE members from
Organizations ListAccounts (paged by NextToken; answered only by the management account or a
delegated administrator), or the ids of --accounts / --accounts-file; each with the role to
assume in it, arn:PARTITION:iam::ACCOUNT:role/ROLE (STS AssumeRole, with --external-id and a
session name that says who ran stage, as CloudTrail shows it in the member account).

Evidence: botocore's organizations service model (ListAccounts: Accounts[].Id, Name, State and
the Status being retired in its favour; NextToken) and the AWS CLI's example answer,
awscli/examples/organizations/list-accounts.rst."""

import getpass
import re

from apigw_stage.core.errors import AuthError, ServiceError, UsageError
from apigw_stage.core.target import Role, Target
from apigw_stage.sources.fleet.scope import Account, Scope, caller

_ACCOUNT_ID = re.compile(r"^\d{12}$")
# IAM: a role name is [\w+=,.@-]{1,64}, after an optional path; we take ROLE or PATH/ROLE.
_ROLE = re.compile(r"^[\w+=,.@-]{1,64}(/[\w+=,.@-]{1,64})*$", re.ASCII)
_SESSION_UNSAFE = re.compile(r"[^\w+=,.@-]", re.ASCII)  # RoleSessionName's pattern, 2-64 characters
MAX_PAGES = 1000  # ListAccounts pages of 20: 20,000 accounts, above the largest organizations' quota


def check_role(role: str) -> str:
    if not _ROLE.match(role or "") or len(role) > 512:
        raise UsageError(f"--org-role {role!r} is not an IAM role name", "e.g. OrganizationAccountAccessRole or audit/stage-read")
    return role


def parse_ids(text: str, where: str) -> list[tuple[str, str | None]]:
    """[(id, name or None)] from `ID,ID` (--accounts) or a file's lines (`ID [NAME]`, # comments)."""
    out = []
    if where == "--accounts":
        items = [(None, part.strip()) for part in text.split(",")]
    else:
        items = [(n, line.split("#", 1)[0].strip()) for n, line in enumerate(text.splitlines(), 1)]
    for line, item in items:
        if not item:
            if where == "--accounts":
                raise UsageError("--accounts has an empty item", "e.g. --accounts 111111111111,222222222222")
            continue
        account, _, name = item.partition(" ")
        if not _ACCOUNT_ID.match(account):
            at = f"{where} line {line}" if line else where
            raise UsageError(f"{at}: {account[:40]!r} is not a 12-digit account id")
        out.append((account, name.strip() or None))
    if not out:
        raise UsageError(f"{where} names no account")
    return list({a: (a, n) for a, n in out}.values())


def read_ids(path: str) -> list[tuple[str, str | None]]:
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read(1 << 22)
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not UTF-8 text"
        raise UsageError(f"cannot read --accounts-file {path!r}: {reason}") from None
    return parse_ids(text, "--accounts-file")


def session_name() -> str:
    """stage-USER: who ran stage, in the member accounts' CloudTrail (2-64 characters of
    AssumeRole's RoleSessionName alphabet)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name (a container's uid without a passwd entry)
        user = "unknown"
    return ("stage-" + _SESSION_UNSAFE.sub("_", user))[:64]


def members(scope: Scope, sessions, limiter=None) -> list[Account]:
    """The accounts to scan, each with its Role, in the order listed (ids sorted for ListAccounts)."""
    from apigw_stage.sources.aws import Client

    base = caller(scope)
    name = session_name()
    given = list(scope.accounts)
    if not given:
        target = Target(base.profile, base.region or "us-east-1", None, scope.timeout, scope.debug)
        client = Client(target, limiter=limiter, service="organizations", sessions=sessions)
        try:
            given = sorted(list_active(client))
        except AuthError as refused:
            raise AuthError(refused.message, "ListAccounts answers only the management account or a delegated "
                                             "administrator; or name the accounts with --accounts") from None
    return [Account(base.profile, account_id, base.region, base.partition, account_name,
                    Role(f"arn:{base.partition}:iam::{account_id}:role/{scope.org_role}", name, scope.external_id))
            for account_id, account_name in given]


def list_active(client) -> list[tuple[str, str | None]]:
    """(id, name) of every ACTIVE account: State where the answer has it, else Status."""
    out, seen, params = [], set(), {}
    for _ in range(MAX_PAGES):
        page = client.call("list_accounts", **params)
        for account in page.get("Accounts") or []:
            if not isinstance(account, dict) or not _ACCOUNT_ID.match(str(account.get("Id") or "")):
                continue
            if (account.get("State") or account.get("Status")) != "ACTIVE":
                continue
            name = account.get("Name")
            out.append((account["Id"], name if isinstance(name, str) and name else None))
        token = page.get("NextToken")
        if not token:
            return out
        if token in seen:
            raise ServiceError("ListAccounts is paging in a loop (it sent the same NextToken twice)")
        seen.add(token)
        params = {"NextToken": token}
    raise ServiceError(f"ListAccounts still had more after {MAX_PAGES} pages")
