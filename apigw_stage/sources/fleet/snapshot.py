"""A fleet snapshot on disk, made for `git diff`:

    DIR/<account id or profile>/<region>/<api name>--<api id>/<stage>.json

each file the stage's GetStage document (keys sorted, timestamps RFC 3339 UTC, ignored fields
left out, characters a terminal would not show escaped as \\uXXXX), readable by `stage show
--file`. Names are one-to-one (model/tree.py). DIR/.stage-snapshot.json (marker.py) marks the
tree as ours and names every file stage wrote.

Written in place, never replaced (issue 20 item 1): DIR is opened and locked once (disk.py); each
file is a temporary file in its own folder, fsynced and renamed over the old one; the only files
removed are stage files the marker names, of cells this run read, whose stages are gone; the
marker is written last. So DIR keeps its mode, owner, identity and every file a user keeps in it,
a crash or a signal leaves each file old or new (never half-written), and what could not be
read keeps its files, found by API id (not by the folder name the API has now).
"""

import stat

from apigw_stage.core.errors import CannotCreate, UsageError
from apigw_stage.model.tree import MARKER, TEMP_PREFIX, api_id_of, decode, safe_name  # noqa: F401
from apigw_stage.sources.fleet import marker
from apigw_stage.sources.fleet.disk import Root


def check_target(root: str) -> None:
    """Exit 2 before any call for a DIR that is not a folder, or a non-empty one not ours."""
    import os

    if os.path.lexists(root) and not os.path.isdir(root):
        raise UsageError(f"cannot write the snapshot to {root}: it is not a directory")
    if os.path.isdir(root):
        foreign = [n for n in os.listdir(root) if not n.startswith(".")]
        if foreign and not os.path.isfile(os.path.join(root, MARKER)):
            raise UsageError(f"{root} is not empty and holds no snapshot of ours ({MARKER})",
                             "give a new or empty directory")


def open_tree(root: str) -> Root:
    """DIR opened (created if need be) and locked for this run; exit 75 when another run holds it."""
    return Root(root)


def recorded(root: str) -> dict:
    """The marker of the snapshot at `root` (marker.load's shape), or an empty one."""
    import os

    empty = {"format": None, "accounts": {}, "ignore": [], "cells": [], "files": {}}
    if not os.path.isdir(root):
        return empty
    with Root(root, create=False, lock=False) as tree:
        return marker.load(tree) or empty


def accounts(root: str) -> dict[str, str]:
    """{profile name: account dir} the previous snapshot recorded (STS may not answer next time)."""
    return recorded(root)["accounts"]


def write(tree: Root, files: dict, unread, scanned, accounts: dict, ignore) -> dict:
    """Write `files` ({rel: (ident, text)}) into the opened tree and remove the stage files of
    `scanned` cells ([(account, region)]) that are gone, less what `unread` ([(account, region,
    api id or None, family key or None)]) says was not read. Returns {"removed": [rel],
    "notOurs": [rel]} (stage-looking files this run did not write and stage never wrote)."""
    old = marker.load(tree) or {"accounts": {}, "ignore": [], "cells": [], "files": {}}
    seen: dict = {}
    for rel in files:
        if rel.casefold() in seen:  # never overwrite a file this run wrote (a cut long name)
            raise CannotCreate(f"two stages would share the file {tree.where([rel])} ({seen[rel.casefold()]})")
        seen[rel.casefold()] = rel
    cells = set(map(tuple, scanned))
    gone = [rel for rel, ident in old["files"].items()
            if rel not in files and (ident["account"], ident["region"]) in cells
            and not any(_unread(tree, rel, ident, u) for u in unread)]
    for parts in [[]] + [rel.split("/") for rel in [*files, *gone, MARKER]]:
        tree.check_writable(parts, bool(parts))  # before anything changes: one line naming it
    kept = {rel: ident for rel, ident in old["files"].items() if rel not in gone}
    owned = {**kept, **{rel: ident for rel, (ident, _text) in files.items()}}
    all_cells = set(map(tuple, old["cells"])) | cells
    all_ignore = set(ignore) | (set(old["ignore"]) if set(kept) - set(files) else set())
    # First a marker that names every file this run may leave (a killed run's are then ours).
    tree.write_file([MARKER], marker.text(accounts, all_ignore, all_cells, {**old["files"], **owned}, False))
    for rel, (_ident, text) in sorted(files.items()):
        tree.write_file(rel.split("/"), text.encode("utf-8"))
    removed = [rel for rel in gone if tree.remove_file(rel.split("/"))]
    folders = {tuple(rel.split("/")[:-1]) for rel in [*old["files"], *files]}
    for folder in sorted(folders | {()}):
        tree.sweep(list(folder))
    tree.write_file([MARKER], marker.text(accounts, all_ignore, all_cells, owned, True))
    return {"removed": removed, "notOurs": _not_ours(tree, cells, owned)}


def _unread(tree: Root, rel: str, ident: dict, unread) -> bool:
    account, region, api_id, family = unread
    if (ident["account"], ident["region"]) != (account, region) or api_id not in (None, ident["apiId"]):
        return False
    if family is None:
        return True
    return _family(tree, rel, ident) in (family, None)  # a file that cannot tell is kept


def _family(tree: Root, rel: str, ident: dict):
    if ident.get("family"):
        return ident["family"]
    from apigw_stage.sources.files import SIZE_LIMIT, stage_from_text

    try:
        data = tree.read_bytes(rel.split("/"), SIZE_LIMIT)
        return None if data is None else stage_from_text(data.decode("utf-8"), rel)[0].key
    except (UsageError, UnicodeError):
        return None


def _not_ours(tree: Root, cells: set, owned: dict) -> list[str]:
    """Stage-looking files (NAME--ID/*.json) in the cells read that stage did not write."""
    from apigw_stage.model.tree import encode

    out = []
    for account, region in sorted(cells):
        base = [encode(account), encode(region)]
        for api, mode in tree.entries(base):
            if "--" in api and stat.S_ISDIR(mode) and not api.startswith("."):
                out += ["/".join([*base, api, name]) for name, mode in tree.entries([*base, api])
                        if name.endswith(".json") and not name.startswith(".")
                        and "/".join([*base, api, name]) not in owned]
    return out


def read(root: str) -> dict:
    """{(account, region, api id): {"apiName", "stages": {stage: (path, doc)}}} of a snapshot, in
    the service's own names (issue 19 item 4), plus its marker under the key None (with
    "skipped": the paths that are not regular files, or lie behind a link). Exit 2 when
    `root` is not a snapshot: without the marker any directory would read as an empty fleet, and
    `stage diff /tmp /tmp` would say "no differences". Only regular files the marker names are
    read, never through a link; a file that is gone is a stage that is not there."""
    import os

    from apigw_stage.sources.files import SIZE_LIMIT, stage_from_text

    if not os.path.isdir(root):
        raise UsageError(f"cannot read {root}: not a directory")
    with Root(root, create=False, lock=False) as tree:
        found = marker.load(tree)
        if found is None:
            raise UsageError(f"{root} is not a snapshot: it has no {MARKER}", "write one with `stage snapshot DIR`")
        out: dict = {None: {**found, "skipped": []}}
        for rel, ident in sorted(found["files"].items()):
            parts = rel.split("/")
            path = tree.where(parts)
            try:
                there = tree.lstat(parts)
                data = tree.read_bytes(parts, SIZE_LIMIT) if there is not None and stat.S_ISREG(there.st_mode) else None
            except CannotCreate:
                there, data = True, None  # a link on the way: never followed
            if data is None:
                if there is not None:  # a link, a FIFO, a device: said, never opened
                    out[None]["skipped"].append(path)
                continue
            if len(data) > SIZE_LIMIT:
                raise UsageError(f"cannot read {path}: larger than {SIZE_LIMIT // 2**20} MB")
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise UsageError(f"cannot read {path}: not UTF-8 text (byte {exc.start})") from None
            _family, doc = stage_from_text(text, path)
            entry = out.setdefault((ident["account"], ident["region"], ident["apiId"]),
                                   {"apiName": ident.get("apiName"), "stages": {}})
            entry["stages"][str(doc.get("stageName") or ident["stage"])] = (path, doc)
    return out
