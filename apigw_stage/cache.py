"""The completion cache: API ids and stage names per (profile, region, endpoint, what).

Light on purpose (json, os, hashlib only): a warm TAB reads it without importing boto3 or rich.
Writes are atomic (temp file + rename) in a 0700 directory with 0600 files. A file that is
corrupt, foreign (another user's, another key's) or stale is ignored, never fatal.
"""

import hashlib
import json
import os
import time

DEFAULT_TTL = 120.0
TTL_ENV = "STAGE_COMPLETE_CACHE_TTL"  # seconds; 0 turns the cache off


def ttl() -> float:
    try:
        return max(0.0, float(os.environ.get(TTL_ENV, DEFAULT_TTL)))
    except ValueError:
        return DEFAULT_TTL


def directory() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "apigw-stage", "completion")


def _path(key: list) -> str:
    digest = hashlib.sha256(json.dumps(key).encode()).hexdigest()[:32]
    return os.path.join(directory(), digest + ".json")


def read(key: list):
    """The cached items for `key`, or None when absent, stale, corrupt or not ours."""
    limit = ttl()
    if not limit:
        return None
    path = _path(key)
    try:
        with open(path, encoding="utf-8") as handle:
            stat = os.fstat(handle.fileno())
            if hasattr(os, "getuid") and stat.st_uid != os.getuid():
                return None
            data = json.load(handle)
        if data.get("key") != key or not 0 <= time.time() - float(data["written"]) < limit:
            return None
        items = data["items"]
        if not all(isinstance(i, list) and len(i) == 2 and all(isinstance(x, str) for x in i) for i in items):
            return None
        return items
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write(key: list, items: list) -> None:
    """Store `items`; any failure (read-only or full disk, odd permissions) is silently skipped."""
    if not ttl():
        return
    import tempfile  # only a cold TAB writes; tempfile costs a warm one several ms

    folder = directory()
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"key": key, "written": time.time(), "items": items}, handle)
            os.chmod(temp, 0o600)
            os.replace(temp, _path(key))
        except BaseException:
            try:
                os.unlink(temp)
            except OSError:
                pass
            raise
    except OSError:
        pass
