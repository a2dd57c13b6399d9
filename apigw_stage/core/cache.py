"""The completion cache: API ids and stage names per (profile, region, endpoint, what).

Light on purpose (json, os, hashlib only): a warm TAB reads it without importing boto3 or rich.

The cache directory may be shared with others (a world-writable XDG_CACHE_HOME, /tmp) or planted
in advance, so nothing in it is trusted: the directory is used only when it is a real directory
(not a symlink) owned by us with mode 0700, reached through an `apigw-stage` folder that is also
real, ours and writable by no one else (each level opened relative to the one above, without
following links; see _open_directory), and every file is opened relative to that directory's
descriptor, without following links and without blocking (a FIFO would otherwise hang TAB in
open()), then used only when fstat says it is a regular file of ours. Writes are atomic (an
exclusive temp file, 0600, then rename). Anything odd means no caching, never an error.
"""

import hashlib
import json
import os
import stat
import time

from apigw_stage.core.target import Target

DEFAULT_TTL = 120.0
TTL_ENV = "STAGE_COMPLETE_CACHE_TTL"  # seconds; 0 turns the cache off
ROW_FIELDS = 3  # the widest row written (live.v2_apis)
MAX_BYTES = 8 * 1024 * 1024  # far above any account's API list; a bigger file is not ours to parse

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


def ttl() -> float:
    try:
        return max(0.0, float(os.environ.get(TTL_ENV, DEFAULT_TTL)))
    except ValueError:
        return DEFAULT_TTL


def _base() -> str:
    return os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")


# The folders stage itself makes under the base (XDG_CACHE_HOME or ~/.cache), outermost first.
_LEVELS = ("apigw-stage", "completion")


def directory() -> str:
    return os.path.join(_base(), *_LEVELS)


def _name(key: list) -> str:
    return hashlib.sha256(json.dumps(key).encode()).hexdigest()[:32] + ".json"


def _path(key: list) -> str:
    return os.path.join(directory(), _name(key))


def _ours(info: os.stat_result) -> bool:
    return not hasattr(os, "getuid") or info.st_uid == os.getuid()


def _open_directory(create: bool) -> int | None:
    """A descriptor of the cache directory when every folder stage makes on the way is ours and
    not a link, else None. The base (XDG_CACHE_HOME, ~/.cache) is the user's choice and may be a
    link; below it, `apigw-stage` must be a real folder of ours that no one else can write (else
    another user of a shared cache folder could link or swap `completion` to a place of theirs),
    and `completion` a real folder of ours with mode 0700. Each level is opened relative to the
    one above (O_NOFOLLOW), so a link swapped in between two checks is never followed."""
    base = _base()
    if create:
        try:
            os.makedirs(base, mode=0o700, exist_ok=True)
        except OSError:
            return None
    try:
        fd = os.open(base, os.O_RDONLY | _DIRECTORY | _NONBLOCK)
    except OSError:
        return None
    for depth, name in enumerate(_LEVELS):
        last = depth == len(_LEVELS) - 1
        try:
            if create:
                try:
                    os.mkdir(name, 0o700, dir_fd=fd)
                except FileExistsError:
                    pass
            child = os.open(name, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _NONBLOCK, dir_fd=fd)
        except (OSError, NotImplementedError):
            os.close(fd)
            return None
        os.close(fd)
        fd = child
        info = os.fstat(fd)
        mode = stat.S_IMODE(info.st_mode)
        private = mode == 0o700 if last else not mode & 0o022
        if not (stat.S_ISDIR(info.st_mode) and _ours(info) and private):
            os.close(fd)
            return None
    return fd


def read(key: list):
    """The cached items for `key`, or None when absent, stale, corrupt or not ours."""
    limit = ttl()
    if not limit:
        return None
    folder = _open_directory(create=False)
    if folder is None:
        return None
    try:
        fd = os.open(_name(key), os.O_RDONLY | _NOFOLLOW | _NONBLOCK, dir_fd=folder)
    except OSError:
        return None
    finally:
        os.close(folder)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not _ours(info) or info.st_size > MAX_BYTES:
            return None
        with os.fdopen(fd, "rb") as handle:
            fd = None
            data = json.loads(handle.read(MAX_BYTES + 1).decode("utf-8"))
        if data.get("key") != key or not 0 <= time.time() - float(data["written"]) < limit:
            return None
        items = data["items"]
        # Rows of strings: [id, name] (REST APIs, stages) or [id, name, protocol] (HTTP and
        # WebSocket APIs). Refusing the three-string rows made every warm TAB in a region with a
        # v2 API call GetApis (importing boto3), and the v2 stage shortcut never fire.
        if not isinstance(items, list) or not all(
                isinstance(i, list) and 2 <= len(i) <= ROW_FIELDS and all(isinstance(x, str) for x in i) for i in items):
            return None
        return items
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    finally:
        if fd is not None:
            os.close(fd)


def write(key: list, items: list) -> None:
    """Store `items`; any failure (read-only or full disk, odd permissions) is silently skipped."""
    if not ttl():
        return
    folder = _open_directory(create=True)
    if folder is None:
        return
    temp = f".tmp-{os.getpid()}-{os.urandom(6).hex()}.json"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600, dir_fd=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"key": key, "written": time.time(), "items": items}, handle)
            os.replace(temp, _name(key), src_dir_fd=folder, dst_dir_fd=folder)
        except BaseException:
            try:
                os.unlink(temp, dir_fd=folder)
            except OSError:
                pass
            raise
    except OSError:
        pass
    finally:
        os.close(folder)


def context(profile=None, region=None, endpoint=None) -> list:
    """The cache key prefix: the same account the command itself would ask."""
    return [
        Target(profile).profile_name(),
        region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "",
        endpoint or os.environ.get("AWS_ENDPOINT_URL") or "",
    ]


def family_of(ctx: list, api_id: str):
    """families.V2 or REST when the cache (only; no call) has seen `api_id` in one family only."""
    from apigw_stage.core import families

    def seen(key):
        items = read([*ctx, key])
        return isinstance(items, list) and any(isinstance(i, list) and i and i[0] == api_id for i in items)

    rest, v2 = seen("apis"), seen("v2apis")
    if rest != v2:
        return families.V2 if v2 else families.REST
    return None
