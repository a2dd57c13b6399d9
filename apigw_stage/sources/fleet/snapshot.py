"""A fleet snapshot on disk, made for `git diff`:

    DIR/<account id or profile>/<region>/<api name>--<api id>/<stage>.json

each file the stage's GetStage document (keys sorted, timestamps RFC 3339 UTC, ignored fields
left out), readable by `stage show --file`. DIR/.stage-snapshot.json marks the tree as ours, so
that `stage snapshot` never replaces a directory it did not write and `stage diff` never reads
one as an empty fleet; it also records which account directory each profile's stages went to.

Written atomically: the new tree is built in a temporary sibling of DIR and swapped in with one
rename (renameat2 RENAME_EXCHANGE on Linux; elsewhere two renames with SIGINT held off between
them), so a crash or Ctrl-C leaves either the old tree or the new one. Stages no longer in the
fleet are gone from the new tree; for a cell or API that could not be read, the previous tree's
files are carried over unchanged (the scan is reported incomplete) rather than dropped as if
deleted. Top-level dot entries of DIR (.git, .gitignore) are carried over as hard links.
"""

import json
import os
import shutil
import tempfile

from apigw_stage.core.errors import UsageError
from apigw_stage.model.tree import MARKER, account_dir, api_dir, relative_path, safe_name  # noqa: F401

def check_target(root: str) -> None:
    if os.path.lexists(root) and not os.path.isdir(root):
        raise UsageError(f"cannot write the snapshot to {root}: it is not a directory")
    if os.path.isdir(root):
        foreign = [n for n in os.listdir(root) if not n.startswith(".")]
        if foreign and not os.path.isfile(os.path.join(root, MARKER)):
            raise UsageError(f"{root} is not empty and holds no snapshot of ours ({MARKER})",
                             "give a new or empty directory")


def accounts(root: str) -> dict[str, str]:
    """{profile name: account dir} recorded in the marker of the snapshot at `root` ({} when
    there is none). A profile whose account id is not in its config has its files under the id
    STS told; when STS cannot answer next time, this still names that directory, so that its
    old files are kept rather than dropped. Entries that are not a plain directory name are
    ignored (the marker is a file anyone can edit; a path must not reach outside the tree)."""
    try:
        with open(os.path.join(root, MARKER), encoding="utf-8") as handle:
            recorded = json.load(handle).get("accounts")
    except (OSError, ValueError, AttributeError):
        return {}
    if not isinstance(recorded, dict):
        return {}
    return {k: v for k, v in recorded.items() if isinstance(k, str) and isinstance(v, str) and v == safe_name(v)}


def _marker_text(account_dirs: dict) -> str:
    return json.dumps({"format": 1, "writtenBy": "stage snapshot", "accounts": dict(sorted(account_dirs.items()))},
                      indent=2) + "\n"


def write(root: str, files: dict[str, str], keep_from_old: list[str] = (), account_dirs: dict | None = None) -> None:
    """Replace the tree at `root` with `files` ({relative path: text}) plus, from the old tree,
    the files under each path prefix in `keep_from_old` (what could not be read this time).
    `account_dirs` ({profile name: account dir}) is recorded in the marker (accounts())."""
    root = os.path.abspath(root)
    check_target(root)
    parent = os.path.dirname(root)
    try:
        os.makedirs(parent, exist_ok=True)
        temp = tempfile.mkdtemp(prefix=f".{os.path.basename(root)}.tmp-", dir=parent)
    except OSError as exc:
        raise UsageError(f"cannot write the snapshot to {root}: {exc.strerror or exc}") from None
    try:
        if os.path.isdir(root):
            _carry_over(root, temp, keep_from_old)
        for rel, text in files.items():
            path = os.path.join(temp, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        with open(os.path.join(temp, MARKER), "w", encoding="utf-8") as handle:
            handle.write(_marker_text(account_dirs or {}))
        _fsync_tree(temp)
        _swap(temp, root)
    except OSError as exc:
        shutil.rmtree(temp, ignore_errors=True)
        raise UsageError(f"cannot write the snapshot to {root}: {exc.strerror or exc}") from None
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    shutil.rmtree(temp, ignore_errors=True)  # after an exchange, the old tree


def _carry_over(old: str, new: str, prefixes) -> None:
    for name in os.listdir(old):
        if name.startswith(".") and name != MARKER:
            _link_copy(os.path.join(old, name), os.path.join(new, name))
    for prefix in prefixes:
        source = os.path.join(old, prefix)
        if os.path.exists(source):
            _link_copy(source, os.path.join(new, prefix))


def _link_copy(source: str, dest: str) -> None:
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    if os.path.isdir(source) and not os.path.islink(source):
        shutil.copytree(source, dest, symlinks=True, copy_function=_link_or_copy, dirs_exist_ok=True)
    else:
        _link_or_copy(source, dest)


def _link_or_copy(source: str, dest: str) -> None:
    try:
        os.link(source, dest, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, dest, follow_symlinks=False)


def _fsync_tree(top: str) -> None:
    """Data on disk before the rename makes it visible (a crash then shows a whole tree)."""
    for folder, _dirs, names in os.walk(top):
        for name in names:
            path = os.path.join(folder, name)
            if os.path.islink(path):
                continue
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def _exchange(a: str, b: str) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    import ctypes
    import ctypes.util
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    return False  # e.g. a file system without exchange: fall back


def _swap(temp: str, root: str) -> None:
    """Make `temp` the tree at `root`; afterwards `temp` holds the old tree (or nothing)."""
    if not os.path.exists(root):
        os.rename(temp, root)
        return
    if _exchange(temp, root):
        return
    import signal
    import threading

    aside = temp + ".old"
    main = threading.current_thread() is threading.main_thread()
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if main and hasattr(signal, "pthread_sigmask") else None
    try:
        os.rename(root, aside)
        os.rename(temp, root)
        os.rename(aside, temp)
    finally:
        if held is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)


def cells(root: str) -> list[tuple[str, str]]:
    """(account dir, region dir) of every region folder of the snapshot at `root` ([] when there
    is none), for keeping the folders a narrower scope did not look at."""
    if not os.path.isfile(os.path.join(root, MARKER)):
        return []
    out = []
    for account in sorted(os.listdir(root)):
        folder = os.path.join(root, account)
        if account.startswith(".") or os.path.islink(folder) or not os.path.isdir(folder):
            continue
        out += [(account, region) for region in sorted(os.listdir(folder))
                if not region.startswith(".") and os.path.isdir(os.path.join(folder, region))]
    return out


def families(root: str) -> dict:
    """{(account dir, region dir, api dir): families.Family, or None when its files cannot tell}
    of the snapshot at `root` ({} when there is none). For keeping the old files of the one
    family a scan could not read; an unreadable file counts as either (kept, not dropped)."""
    from apigw_stage.core import families as registry

    if not os.path.isfile(os.path.join(root, MARKER)):
        return {}
    out = {}
    for folder, _dirs, names in os.walk(root):
        rel = os.path.relpath(folder, root).split(os.sep)
        if len(rel) != 3 or any(part.startswith(".") for part in rel):
            continue
        found = set()
        for name in names:
            if name.endswith(".json") and not name.startswith("."):
                try:
                    with open(os.path.join(folder, name), encoding="utf-8") as handle:
                        found.add(registry.of_document(json.load(handle)))
                except (OSError, ValueError):
                    found.add(None)
        out[tuple(rel)] = found.pop() if len(found) == 1 else None
    return out


def read(root: str) -> dict:
    """{(account dir, region, api id): {"apiName", "dir", "stages": {stage: (path, doc)}}} of a tree
    written by `write`. Exit 2 when `root` is not a snapshot: without the marker any directory
    would read as an empty fleet, and `stage diff /tmp /tmp` would say "no differences"."""
    from apigw_stage.sources import files as document

    if not os.path.isdir(root):
        raise UsageError(f"cannot read {root}: not a directory")
    if not os.path.isfile(os.path.join(root, MARKER)):
        raise UsageError(f"{root} is not a snapshot: it has no {MARKER}", "write one with `stage snapshot DIR`")
    out: dict = {}
    for account in sorted(os.listdir(root)):
        account_path = os.path.join(root, account)
        if account.startswith(".") or not os.path.isdir(account_path):
            continue
        for region in sorted(os.listdir(account_path)):
            region_path = os.path.join(account_path, region)
            if region.startswith(".") or not os.path.isdir(region_path):
                continue
            for api in sorted(os.listdir(region_path)):
                api_path = os.path.join(region_path, api)
                name, sep, api_id = api.rpartition("--")
                if not sep or not os.path.isdir(api_path):
                    continue
                entry = out.setdefault((account, region, api_id), {"apiName": name, "dir": api, "stages": {}})
                for file in sorted(os.listdir(api_path)):
                    if file.endswith(".json") and not file.startswith("."):
                        path = os.path.join(api_path, file)
                        entry["stages"][file[: -len(".json")]] = (path, document.from_file(path))
    return out
