"""DIR/.stage-snapshot.json: what marks a tree as ours and what it records.

    {"format": 2, "writtenBy": "stage snapshot", "complete": true,
     "accounts": {profile: account dir}, "ignore": [FIELD, ...], "cells": [[account, region], ...],
     "files": {"ACCOUNT/REGION/API-DIR/STAGE.json": {account, region, apiId, apiName, stage, family}}}

`files` names every stage file stage wrote (the only files a later run may remove), keyed by
(account, region, API id, stage) in the service's own names, so that what is kept after a
failure goes by API id whatever the folder is called now, and `diff` names stages as the service
does. `cells` is every (account, region) a snapshot covered; `ignore` the fields left out.
Format 1 (no `files`) is read as if every stage file of the tree were ours: those runs replaced
the whole tree. The marker is a file anyone can edit: it is bounded like --file, an entry whose
path is not the one its names make is ignored (no `..` reaches outside), and a marker that is
not such an object is exit 2.
"""

import json
import stat

from apigw_stage.core.errors import UsageError
from apigw_stage.model.tree import MARKER, api_dir, api_id_of, decode, encode, region_dir, stage_file

FORMAT = 2
_FIELDS = ("account", "region", "apiId", "stage")


def rel_of(ident: dict) -> str:
    return "/".join((encode(ident["account"]), region_dir(ident["region"]),
                     api_dir(ident.get("apiName"), ident["apiId"]), stage_file(ident["stage"])))


def load(root) -> dict | None:
    """The marker of the opened tree `root` (disk.Root) in format 2's shape, None when absent."""
    from apigw_stage.sources.files import SIZE_LIMIT

    found = root.lstat([MARKER])
    if found is None:
        return None
    where = root.where([MARKER])
    if not stat.S_ISREG(found.st_mode):
        raise UsageError(f"cannot read {where}: not a regular file")
    data = root.read_bytes([MARKER], SIZE_LIMIT) if found.st_size <= SIZE_LIMIT else None
    if data is None and found.st_size <= SIZE_LIMIT:
        raise UsageError(f"cannot read {where}: not a regular file")
    if data is None or len(data) > SIZE_LIMIT:  # never read whole (issue 20 item 8)
        raise UsageError(f"cannot read {where}: larger than {SIZE_LIMIT // 2**20} MB, far more than any marker")
    try:
        raw = json.loads(data.decode("utf-8"))
    except RecursionError:
        raise UsageError(f"cannot read {where}: nested too deep to be a snapshot marker") from None
    except (UnicodeError, ValueError) as exc:
        raise UsageError(f"cannot read {where}: not JSON ({exc.__class__.__name__})", "it is stage's; restore it from git") from None
    if not isinstance(raw, dict):
        raise UsageError(f"cannot read {where}: not a snapshot marker", "it is stage's; restore it from git")
    accounts = raw.get("accounts") if isinstance(raw.get("accounts"), dict) else {}
    out = {
        "format": raw.get("format"),
        "accounts": {k: v for k, v in accounts.items() if isinstance(k, str) and isinstance(v, str) and v == encode(decode(v) or "")},
        "ignore": sorted({f for f in raw.get("ignore") or [] if isinstance(f, str)}) if isinstance(raw.get("ignore"), list) else [],
        "cells": [],
        "files": {},
    }
    for cell in raw.get("cells") or [] if isinstance(raw.get("cells"), list) else []:
        if isinstance(cell, list) and len(cell) == 2 and all(isinstance(p, str) for p in cell):
            out["cells"].append(tuple(cell))
    files = raw.get("files")
    if isinstance(files, dict):
        for rel, ident in files.items():
            if (isinstance(ident, dict) and all(isinstance(ident.get(k), str) for k in _FIELDS)
                    and isinstance(ident.get("apiName", ""), (str, type(None)))
                    and (rel == rel_of(ident) or (ident.get("legacy") is True and _plain_rel(rel)))):
                out["files"][rel] = {**{k: ident[k] for k in _FIELDS}, "apiName": ident.get("apiName"),
                                     "family": ident.get("family") if ident.get("family") in ("rest", "v2") else None,
                                     **({"legacy": True} if ident.get("legacy") is True else {})}
    elif raw.get("format") in (1, None):
        out["files"] = legacy_files(root)
        out["cells"] = sorted({(i["account"], i["region"]) for i in out["files"].values()})
    return out


def _plain_rel(rel: str) -> bool:
    """ACCOUNT/REGION/API/STAGE.json of names a format-1 run made: no dot names, no `..`."""
    parts = rel.split("/")
    return len(parts) == 4 and parts[3].endswith(".json") and all(
        p and not p.startswith(".") and "\\" not in p and "\0" not in p for p in parts)


def legacy_files(root) -> dict:
    """Format 1's files: every *.json under ACCOUNT/REGION/NAME--ID/ (that run wrote all of them).
    Its names were made lossy (safe_name), so a name that does not decode is taken as written."""
    out = {}
    for account, mode in root.entries([]):
        if account.startswith(".") or not stat.S_ISDIR(mode):
            continue
        for region, mode in root.entries([account]):
            if region.startswith(".") or not stat.S_ISDIR(mode):
                continue
            for api, mode in root.entries([account, region]):
                api_id = api_id_of(api) or api.rpartition("--")[2]
                if "--" not in api or not stat.S_ISDIR(mode):
                    continue
                for name, mode in root.entries([account, region, api]):
                    if name.endswith(".json") and not name.startswith(".") and stat.S_ISREG(mode):
                        stem = name[: -len(".json")]
                        out["/".join((account, region, api, name))] = {
                            "account": decode(account) or account, "region": decode(region) or region,
                            "apiId": api_id, "apiName": api.rpartition("--")[0], "stage": decode(stem) or stem,
                            "family": None, "legacy": True}
    return out


def text(accounts: dict, ignore, cells, files: dict, complete: bool) -> bytes:
    entries = dict(sorted(files.items()))
    body = {"format": FORMAT, "writtenBy": "stage snapshot", "complete": complete,
            "accounts": dict(sorted(accounts.items())), "ignore": sorted(set(ignore)),
            "cells": sorted([list(c) for c in set(map(tuple, cells))]), "files": entries}
    return (json.dumps(body, indent=2, ensure_ascii=True) + "\n").encode("ascii")
