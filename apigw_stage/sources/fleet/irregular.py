"""What a snapshot tree holds that is not a regular file or a folder (issue 20.11): a FIFO, a
socket, a device or a symbolic link. Reading any of them could hang (a FIFO's open() waits for a
writer), read forever (/dev/zero) or reach outside the tree, so `diff` reads regular files only
and names what it skipped. Found without following links and without opening anything."""

import os
import stat

_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"), (stat.S_ISLNK, "a symbolic link"))
MAX_ENTRIES = 100_000  # a snapshot of 600 APIs x 10 stages per region is far below; stop beyond


def kind(mode: int) -> str | None:
    """`a FIFO` (and so on) for a mode that is not a regular file or folder, else None."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) or stat.S_ISDIR(mode) else "not a regular file"


def irregular(root: str) -> list[tuple[str, str]]:
    """[(path under `root`, kind)] of every entry below `root` that is not a regular file or a
    folder, in sorted order; folders are entered only when they are real folders (not links)."""
    found, pending, seen = [], [""], 0
    while pending and seen < MAX_ENTRIES:
        rel = pending.pop()
        try:
            with os.scandir(os.path.join(root, rel) if rel else root) as entries:
                items = list(entries)
        except OSError:
            continue  # an unreadable folder: what reads the tree says so
        for entry in items:
            seen += 1
            path = os.path.join(rel, entry.name) if rel else entry.name
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError:
                continue
            if stat.S_ISDIR(mode):
                pending.append(path)
            elif (what := kind(mode)) is not None:
                found.append((path, what))
    return sorted(found)
