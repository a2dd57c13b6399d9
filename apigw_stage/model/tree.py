"""Where a stage lives in a snapshot tree: DIR/<account>/<region>/<api name>--<api id>/<stage>.json
(sources/fleet/snapshot.py writes and reads the tree).

Every part that identifies (account, region, API id, stage) is `encode`d: one-to-one and
reversible (`decode`) on every file system, case-insensitive ones included (issue 19 item 3):
- letters, digits, `_` and `-` are kept; any other character is `%` and the lower-case hex of
  its UTF-8 bytes (`$default` is `%24default`, so `_default` stays apart); the empty name is `%`;
- a Windows device name (con, prn, aux, nul, com0-9, lpt0-9, any case) has its first letter
  encoded (`con` is `%63on`, `_con` stays `_con`);
- a name with capitals gets `~` and the hex bit mask of where they are (`Prod` is `Prod~1`), so
  `Prod` and `prod` are two files even where the disk folds case (`~` itself is encoded);
- names stay whole up to 128 characters (the service's stage-name limit); a longer encoding is
  cut at 120 and ends `~~` plus a hash of the whole name (the marker records the name).
The API name in its folder is decoration only (the id after the last `--` identifies), made safe
by `safe_name`.
"""

import hashlib
import os
import re

MARKER = ".stage-snapshot.json"
TEMP_PREFIX = ".stage-tmp-"  # our temporary files, swept by the next successful run
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
_MAX_NAME = 120  # bytes, well under every file system's 255
_KEEP = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
_LONG = 200  # bytes of an encoded part before it is cut (255 less ".json", a temp prefix and room)


def safe_name(name: str | None, fallback: str = "_") -> str:
    """A file name any file system accepts: letters, digits, . _ - kept, anything else `_`;
    no leading dot, no Windows device name, bounded length. Lossy: for decoration only."""
    out = _UNSAFE.sub("_", name or "") or fallback
    if out.startswith("."):
        out = "_" + out[1:]
    if out.split(".")[0].lower() in _RESERVED:
        out = "_" + out
    return out[:_MAX_NAME]


def encode(name: str, keep: frozenset = _KEEP) -> str:
    """The one-to-one file-name form of `name` (see the module's docstring)."""
    out = "".join(ch if ch in keep else "".join(f"%{b:02x}" for b in ch.encode("utf-8", "surrogatepass"))
                  for ch in name) or "%"
    if out.lower() in _RESERVED:
        out = f"%{ord(out[0]):02x}{out[1:]}"
    mask = sum(1 << i for i, ch in enumerate(out) if "A" <= ch <= "Z")
    if mask:
        out += f"~{mask:x}"
    if len(out.encode()) > _LONG:
        out = out[:_MAX_NAME] + "~~" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return out


def decode(part: str, keep: frozenset = _KEEP) -> str | None:
    """The name `encode` made `part` from; None when `part` is not such a form (a cut long name,
    a file someone else named)."""
    body, tilde, mask = part.partition("~")
    if tilde:
        if not re.fullmatch(r"[0-9a-f]+", mask):
            return None
        chars = list(body)
        for i in range(len(chars)):
            if int(mask, 16) >> i & 1:
                chars[i] = chars[i].upper()
        body = "".join(chars)
    raw, i = bytearray(), 0
    while i < len(body):
        if body[i] == "%":
            if body == "%":
                break
            if not re.fullmatch(r"[0-9a-f]{2}", body[i + 1:i + 3]):
                return None
            raw.append(int(body[i + 1:i + 3], 16))
            i += 3
        elif body[i] in _KEEP:
            raw += body[i].encode()
            i += 1
        else:
            return None
    try:
        text = raw.decode("utf-8", "surrogatepass")
    except UnicodeError:
        return None
    return text if encode(text, keep) == part else None


_ID_KEEP = _KEEP - {"-"}  # an API id never holds `-`: the last `--` of a folder name splits it off


def api_dir(api_name: str | None, api_id: str) -> str:
    return f"{safe_name(api_name, 'unnamed')}--{encode(api_id, _ID_KEEP)}"


def api_id_of(folder: str) -> str | None:
    """The API id of a folder `api_dir` named, None for any other folder."""
    _name, sep, part = folder.rpartition("--")
    return decode(part, _ID_KEEP) if sep else None


def account_dir(account) -> str:
    return encode(account_label(account))


def account_label(account) -> str:
    """How a snapshot names an account: its id (ID--NAME in an organization scan, with the
    organization's name for it), else the profile's name."""
    name = getattr(account, "name", None)
    if account.account_id and name:
        return f"{account.account_id}--{name}"
    return account.account_id or account.profile_name


def region_dir(region: str) -> str:
    return encode(region)


def stage_file(stage: str) -> str:
    return encode(stage) + ".json"


def relative_path(account, region: str, api_name, api_id: str, stage: str) -> str:
    return os.path.join(account_dir(account), region_dir(region), api_dir(api_name, api_id), stage_file(stage))
