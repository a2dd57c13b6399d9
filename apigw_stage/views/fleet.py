"""Fleet views: pure functions from scan results (or snapshot trees) to the documented data.
No I/O, no rendering.

json/yaml schemas (README, man page OUTPUT FORMATS):
- list: {"stages": [{account, accountName, profile, region, restApiId, apiName, apiType, stage}], "errors": [...],
  "skipped": [...]}, each error {account, accountName, profile, region, restApiId, apiName, reason, exitCode}.
  apiType is REST, HTTP or WEBSOCKET; restApiId is the API's id in either family, and `stage` the
  family's own GetStage document (v2: camelCase, stageVariables, routeSettings).
- check: the same, each stage entry with `checks` (checks.run's result) added.
- fleet diff: {"added": [...], "removed": [...], "changed": [...]}; each {account, region,
  restApiId, apiName, stage} in the service's names and, for changed, `changes` (the
  single-stage diff schema); against the live fleet also errors, skipped and notCompared
  ([{account, region, reason}]: the snapshot's cells outside the scope).
"""

import json

from apigw_stage.core import families
from apigw_stage.core.plain import plain
from apigw_stage.model.changes import ignored
from apigw_stage.model.tree import account_dir


def stage_entry(result) -> dict:
    return {
        "account": result.account.account_id,
        "accountName": result.account.name,
        "profile": result.account.profile_name,
        "region": result.region,
        "restApiId": result.api_id,
        "apiName": result.api_name,
        "apiType": "REST" if result.family is families.REST else (result.protocol or "HTTP or WEBSOCKET"),
        "stage": result.doc,
    }


def failure_entry(failure) -> dict:
    return {
        "account": failure.account.account_id,
        "accountName": failure.account.name,
        "profile": failure.account.profile_name,
        "region": failure.region,
        "restApiId": failure.api_id,
        "apiName": failure.api_name,
        "reason": failure.reason,
        "exitCode": failure.code,
    }


def listing(scan) -> dict:
    return {
        "stages": [stage_entry(s) for s in scan.stages],
        "errors": [failure_entry(f) for f in scan.failures],
        "skipped": [failure_entry(f) for f in scan.skipped],
    }


def account_name(account) -> str:
    """How a snapshot names an account: its id (ID--NAME in an organization scan), else the
    profile (its folder is this, encoded)."""
    from apigw_stage.model.tree import account_label

    return account_label(account)


def snapshot_plan(scan, ignore: list[str], recorded: dict | None = None) -> tuple[dict, list, list]:
    """({relative path: (identity, file text)} of every stage read, [what was not read: (account,
    region, api id or None, family key or None)], [(account, region) of every cell read]).
    `recorded`: {profile name: account dir} of the previous snapshot (snapshot.accounts): a
    failure whose account id is unknown (STS could not tell, say expired keys) keeps the files
    of the account the profile had, not only of a folder named after the profile."""
    from apigw_stage.model.tree import decode
    from apigw_stage.sources.fleet.marker import rel_of

    files = {}
    for s in scan.stages:
        ident = {"account": account_name(s.account), "region": s.region, "apiId": s.api_id,
                 "apiName": s.api_name, "stage": str(s.doc.get("stageName") or ""), "family": s.family.key}
        files[rel_of(ident)] = (ident, serialise(s.doc, ignore))
    unread = []
    for f in [*scan.failures, *(f for f in scan.skipped if f.family is not None)]:
        names = {account_name(f.account)}
        if not f.account.account_id and (recorded or {}).get(f.account.profile_name):
            names.add(decode(recorded[f.account.profile_name]) or recorded[f.account.profile_name])
        unread += [(name, f.region, f.api_id, f.family.key if f.family else None) for name in sorted(names)]
    cells = [(account_name(c.account), c.region) for c in scan.scanned]
    return files, unread, cells


def with_recorded_accounts(scan, recorded: dict | None):
    """`scan` with the stages, cells, failures and skipped parts of a profile whose account id STS
    could not tell this time (unreachable, a service error, expired keys) filed under the account
    id the previous snapshot recorded for it, so that a passing STS failure does not move the
    profile's files to a directory named after the profile (the whole fleet removed and added
    again), and what was not read keeps its files where they are."""
    import re
    from dataclasses import replace

    from apigw_stage.sources.fleet.scan import _stage_order
    from apigw_stage.sources.fleet.scope import Cell

    ids = {p: d for p, d in (recorded or {}).items() if re.fullmatch(r"[0-9]{12}", d)}

    def known(account):
        if account.account_id or account.profile_name not in ids:
            return account
        return replace(account, account_id=ids[account.profile_name])

    scan.stages = sorted((replace(s, account=known(s.account)) for s in scan.stages), key=_stage_order)
    scan.scanned = [Cell(known(c.account), c.region) for c in scan.scanned]
    scan.failures = [replace(f, account=known(f.account)) for f in scan.failures]
    scan.skipped = [replace(f, account=known(f.account)) for f in scan.skipped]
    return scan


def account_dirs(scan, recorded: dict | None = None) -> dict:
    """{profile name: account dir} to record in the snapshot: the previous record, updated with
    every profile of this scan whose account id is known."""
    out = dict(recorded or {})
    out.update({c.account.profile_name: account_dir(c.account) for c in scan.scanned if c.account.account_id})
    return out


def comparable(scan, tree: dict, cells=None) -> dict:
    """The part of a snapshot tree (snapshot.read) that `scan` read: the stages of its cells
    (account, region), less what could not be read, and only of those `cells(account, region)`
    accepts when given. What lies outside is neither removed nor unchanged: it was not looked at."""
    looked = {(account_name(c.account), c.region) for c in scan.scanned}
    if cells is not None:
        looked = {cell for cell in looked if cells(*cell)}
    unread = [*scan.failures, *(f for f in scan.skipped if f.family is not None)]
    return {key: entry for key, entry in tree.items()
            if key is not None and key[:2] in looked and not any(not_read(f, key, entry) for f in unread)}


def not_read(failure, key: tuple, entry: dict | None = None) -> bool:
    """Whether a tree key (account, region, api id) lies in the scope of `failure`; for a failure
    of one family's APIs, whether `entry` (its snapshot.read entry) is of it."""
    account, region, api_id = key
    if (account, region) != (account_name(failure.account), failure.region):
        return False
    if failure.family is not None:
        docs = [doc for _path, doc in (entry or {}).get("stages", {}).values()]
        return not docs or any(families.of_document(doc) is failure.family for doc in docs)
    return failure.api_id is None or failure.api_id == api_id


def diff_trees(left: dict, right: dict, ignore: list[str]) -> tuple[dict, list]:
    """(the documented data, [(key, apiName, stage, changes)] for the table) between two trees
    from snapshot.read: stages keyed by account, region, API id and stage name (a renamed API is
    the same API)."""
    from apigw_stage.views import diff as differ

    def flat(tree):
        return {
            (key[0], key[1], key[2], stage): (entry["apiName"], doc)
            for key, entry in tree.items() if key is not None
            for stage, (_path, doc) in entry["stages"].items()
        }

    a, b = flat(left), flat(right)
    data = {"added": [], "removed": [], "changed": []}
    changed = []

    def ref(key, name):
        account, region, api_id, stage = key
        return {"account": account, "region": region, "restApiId": api_id, "apiName": name, "stage": stage}

    for key in sorted(set(a) | set(b)):
        if key not in a:
            data["added"].append(ref(key, b[key][0]))
        elif key not in b:
            data["removed"].append(ref(key, a[key][0]))
        else:
            changes = differ.compare(a[key][1], b[key][1], ignore)
            if changes:
                data["changed"].append({**ref(key, b[key][0]), "changes": differ.as_data(changes)})
                changed.append((key, b[key][0], changes))
    return data, changed


def live_tree(scan, ignore: list[str]) -> dict:
    """The scan as snapshot.read would read it back from a snapshot: each document serialised as
    `snapshot` writes it and parsed again, so both sides of `diff DIR` went the same way."""
    from apigw_stage.sources.files import stage_from_text

    out: dict = {}
    for s in scan.stages:
        _family, doc = stage_from_text(serialise(s.doc, ignore), "the live stage")
        entry = out.setdefault((account_name(s.account), s.region, s.api_id), {"apiName": s.api_name, "stages": {}})
        entry["stages"][str(doc.get("stageName") or "")] = (None, doc)
    return out


def strip(value, patterns: list[str], path: tuple = ()):
    """`value` without the fields `patterns` name (the same patterns as `stage diff --ignore`)."""
    if not patterns or not isinstance(value, dict):
        return value
    return {k: strip(v, patterns, path + (k,)) for k, v in value.items() if not ignored(path + (k,), patterns)}


def serialise(doc: dict, ignore: list[str]) -> str:
    """The file text: unicode kept as it is readable, but what a terminal, `cat` or `git diff`
    would not show (C1, DEL, bidi overrides, zero-width characters) written \\uXXXX as -o json
    does (issue 20 item 6); json.dumps escapes C0. It reads back to the same values."""
    from apigw_stage.core.text import json_escape_unsafe

    return json_escape_unsafe(json.dumps(strip(plain(doc), list(ignore)), indent=2, sort_keys=True,
                                         ensure_ascii=False)) + "\n"
