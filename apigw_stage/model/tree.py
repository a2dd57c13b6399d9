"""Where a stage lives in a snapshot tree: DIR/<account>/<region>/<api name>--<api id>/<stage>.json,
each part made safe for every file system (sources/fleet/snapshot.py writes and reads the tree)."""

import os
import re

MARKER = ".stage-snapshot.json"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
_MAX_NAME = 120  # bytes, well under every file system's 255


def safe_name(name: str | None, fallback: str = "_") -> str:
    """A file name any file system accepts: letters, digits, . _ - kept, anything else `_`;
    no leading dot, no Windows device name, bounded length."""
    out = _UNSAFE.sub("_", name or "") or fallback
    if out.startswith("."):
        out = "_" + out[1:]
    if out.split(".")[0].lower() in _RESERVED:
        out = "_" + out
    return out[:_MAX_NAME]


def api_dir(api_name: str | None, api_id: str) -> str:
    return f"{safe_name(api_name, 'unnamed')}--{safe_name(api_id)}"


def account_dir(account) -> str:
    """The account's id (ID--NAME in an organization scan, with the organization's name for
    it), else the profile's name."""
    name = getattr(account, "name", None)
    if account.account_id and name:
        return safe_name(f"{account.account_id}--{name}")
    return safe_name(account.account_id or account.profile_name)


def relative_path(account, region: str, api_name, api_id: str, stage: str) -> str:
    return os.path.join(account_dir(account), safe_name(region), api_dir(api_name, api_id),
                        safe_name(stage) + ".json")
