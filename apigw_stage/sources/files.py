"""The Stage document read from the service's answer or a saved file, normalised once (model/).

Normalised means: ResponseMetadata dropped, createdDate/lastUpdatedDate as aware UTC datetimes
(botocore hands back local-time datetimes; saved files hold epoch seconds or ISO strings), and
the shape checked so that the views can trust it: string keys, finite numbers, text that is
text, bounded nesting (see `_check_values`).
"""

import json
import os
import re
import sys

from apigw_stage.core.errors import ServiceError, UsageError
from apigw_stage.model.rest import _STAGE_MARKERS, normalise
from apigw_stage.model.shape import DEPTH_LIMIT, ShapeError

# A GetStage document is a few kilobytes; a REST API's largest (300 resources x 8 methods with an
# entry each) stays under 2 MB. 50 MB is far above any real stage and bounds the work on a wrong
# file (`--file /dev/zero`): at most LIMIT + 1 bytes are ever read.
SIZE_LIMIT = 50 * 1024 * 1024# YAML aliases may repeat shared blocks (method settings reused by anchor), but never multiply a
# short text into millions of values: the expanded document may hold at most this many more
# nodes than the text itself (a 358-byte "billion laughs" expands to 9^9).
ALIAS_BUDGET = 10_000
_STAGE_NAME = re.compile(r"[A-Za-z0-9_-]{1,128}")


def from_service(response, read=None) -> dict:
    """`read` (normalise by default; v2/document's for a v2 stage) on an answer of the service: a
    bad one is the service's fault (exit 5), not the user's."""
    try:
        return (read or normalise)(response)
    except ShapeError as exc:
        raise ServiceError(f"the service answered with something that is not a stage: {exc}") from None


def from_service_v2(raw) -> dict:
    """from_service for an HTTP or WebSocket API's answer (model/v2.py's normal form)."""
    from apigw_stage.model.v2 import normalise as normalise_v2

    return from_service(raw, normalise_v2)


def _no_constant(name: str):
    raise ShapeError(f"{name} is not a number JSON allows")


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > 20:  # wider than 64 bits; int() would refuse past 4,300 digits
        raise ShapeError(f"an integer of {len(text.lstrip('-'))} digits is wider than any the service sends")
    return int(text)


def _yaml_loader():
    """PyYAML's safe loader (libyaml's when present), less two surprises: an alias expansion
    beyond ALIAS_BUDGET or a recursive alias is refused, and dates stay the text written
    (`description: 2024-01-01` is that string; createdDate is read by `_timestamp`)."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):
        yaml_implicit_resolvers = {
            first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
            for first, resolvers in base.yaml_implicit_resolvers.items()
        }

        def get_single_data(self):
            node = self.get_single_node()
            if node is None:
                return None
            _check_aliases(node)
            return self.construct_document(node)

        def construct_yaml_int(self, node):
            digits = self.construct_scalar(node).lstrip("+-").replace("_", "")
            if len(digits) > 20:
                raise ShapeError(f"an integer of {len(digits)} digits is wider than any the service sends")
            return super().construct_yaml_int(node)

    Loader.add_constructor("tag:yaml.org,2002:int", Loader.construct_yaml_int)
    return Loader


def _check_aliases(root) -> None:
    """Count the nodes of the document as constructed (each alias expanded), without expanding."""
    import yaml

    sizes: dict[int, int] = {}
    distinct = 0
    on_path: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if isinstance(node, yaml.ScalarNode):
            if key not in sizes:
                sizes[key] = 1
                distinct += 1
            continue
        children = [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else node.value
        if done:
            on_path.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in children)
            if sizes[key] - distinct > ALIAS_BUDGET:
                raise ShapeError(f"YAML aliases expand it to over {ALIAS_BUDGET:,} more values than written")
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise ShapeError("a YAML alias refers to a block that holds it (a recursive document)")
        on_path.add(key)
        distinct += 1
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)


def _parse_text(text: str):
    try:
        return json.loads(text, parse_constant=_no_constant, parse_int=_json_int)
    except RecursionError:
        raise ShapeError(f"nested more than {DEPTH_LIMIT} levels deep") from None
    except ShapeError:
        raise
    except ValueError:
        pass
    import yaml

    try:
        return yaml.load(text, Loader=_yaml_loader())
    except RecursionError:
        raise ShapeError(f"nested more than {DEPTH_LIMIT} levels deep") from None
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or "not valid JSON or YAML"
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ShapeError(f"not valid JSON or YAML: {problem}{where}") from None


def _read_path(path: str, regular_only: bool) -> bytes:
    if not regular_only:  # --file may be a pipe (`--file <(aws apigateway get-stage ...)`)
        with open(path, "rb") as handle:
            return handle.read(SIZE_LIMIT + 1)
    # A file of a snapshot tree: opened without blocking (a FIFO's open() waits for a writer)
    # and read only when it is a regular file (issue 20.11).
    import stat

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegular(f"cannot read {path}: not a regular file", "remove it from the snapshot tree")
        return handle.read(SIZE_LIMIT + 1)


class NotRegular(UsageError):
    """A file of a snapshot tree that is a FIFO, socket or device: never read."""


def read_source(path: str, regular_only: bool = False) -> str:
    """The text of `path` (`-`: standard input), at most SIZE_LIMIT bytes of UTF-8; with
    `regular_only`, NotRegular unless `path` is a regular file."""
    name = "standard input" if path == "-" else path
    try:
        if path == "-":
            if sys.stdin is None:  # started with stdin closed (`stage ... -f - <&-`)
                raise UsageError("cannot read standard input: it is closed")
            stream = getattr(sys.stdin, "buffer", sys.stdin)
            data = stream.read(SIZE_LIMIT + 1)
        else:
            data = _read_path(path, regular_only)
    except NotRegular:
        raise
    except FileNotFoundError:
        raise UsageError(f"cannot read {name}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"cannot read {name}: it is a directory") from None
    except OSError as exc:
        raise UsageError(f"cannot read {name}: {exc.strerror or exc}") from None
    except ValueError:  # a closed stream object
        raise UsageError(f"cannot read {name}: it is closed") from None
    if len(data) > SIZE_LIMIT:
        raise UsageError(f"cannot read {name}: larger than {SIZE_LIMIT // 2**20} MB, far more than any stage document")
    if isinstance(data, bytes):
        if data.startswith(b"\x1f\x8b"):
            raise UsageError(f"cannot read {name}: it is gzip-compressed", "decompress it first: gunzip -c FILE | stage ... -f -")
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UsageError(f"cannot read {name}: not UTF-8 text (byte {exc.start})") from None
    return data


def _parsed(path: str, regular_only: bool = False):
    name = "standard input" if path == "-" else path
    text = read_source(path, regular_only)
    if not text.strip():
        raise UsageError(f"cannot use {name}: it is empty")
    try:
        return _parse_text(text)
    except ShapeError as exc:
        raise UsageError(f"cannot use {name}: {exc}") from None


def _not_one_stage(raw) -> str | None:
    """What `raw` is when it is a known document that is not one REST stage, else None."""
    if isinstance(raw, dict) and not any(k in raw for k in _STAGE_MARKERS):
        items = raw.get("item")
        if isinstance(items, list):
            return f"a GetStages answer with {_count(items)}: use `stage list --file` or pick one with " + _jq(".item[]", items)
        if isinstance(raw.get("items", raw.get("Items")), list):
            items = raw.get("items", raw.get("Items"))
            return (f"an HTTP/WebSocket GetStages answer with {_count(items)}: use `stage list --file` or pick one with "
                    + _jq(".items[]" if "items" in raw else ".Items[]", items))
    if isinstance(raw, list) and raw and all(isinstance(item, dict) for item in raw):
        return (f"a list of {_count(raw)} (as `stage list -o json` prints): use `stage list --file` or pick one with "
                + _jq(".[]", raw))
    return None


def _count(items: list) -> str:
    return f"{len(items)} stage" + ("" if len(items) == 1 else "s")


def _jq(each: str, items: list) -> str:
    names = [i.get("stageName") for i in items if isinstance(i, dict)]
    name = next((n for n in names if isinstance(n, str) and _STAGE_NAME.fullmatch(n)), "prod")
    return f"`jq '{each} | select(.stageName==\"{name}\")'`"


def from_file(path: str) -> dict:
    """Load a saved GetStage document of a snapshot tree (stage -o json) of either family
    (read_stage tells which); a FIFO, socket or device is NotRegular, never opened for reading."""
    return read_stage(path, regular_only=True)[1]


def normalise_as(family, raw) -> dict:
    """The document in normal form for its family (core/families.py: REST or HTTP/WebSocket)."""
    from apigw_stage.sources.listing import normalise_as as normal

    return normal(family, raw)


def read_stage(path: str, family=None, regular_only: bool = False):
    """(family, normalised document) of a saved GetStage answer: REST (`apigateway get-stage`)
    or HTTP/WebSocket (`apigatewayv2 get-stage`, PascalCase from the AWS CLI, camelCase from
    boto's wire or stage -o json). `family` (--family) skips the guess from the fields."""
    name = "standard input" if path == "-" else path
    return stage_from_raw(_parsed(path, regular_only), name, family)


def stage_from_raw(raw, name: str, family=None):
    """read_stage of a document already parsed (`name`: how messages call it)."""
    from apigw_stage.core import families

    from apigw_stage.sources import listing

    if listing.is_listing(raw):  # a saved fleet `list -o json`: its only stage
        return listing.pick(raw, name, None, None)
    other = _not_one_stage(raw)
    if other is not None:
        raise UsageError(f"cannot use {name}: {other}")
    family = family or families.of_document(raw)
    try:
        return family, normalise_as(family, raw)
    except ShapeError as exc:
        what = "a GetStage document" if family is families.REST else "an HTTP/WebSocket GetStage document"
        raise UsageError(f"cannot use {name}: not {what}: {exc}") from None


def stages_from_file(path: str) -> list[dict]:
    """Every stage of a saved GetStages answer (`{"item": [...]}`), a list of stage documents (as
    `stage list -o json` prints) or one stage document; each normalised, sorted by stageName.
    HTTP/WebSocket stages too (GetStages `items`, `Items` from the AWS CLI), each by its fields."""
    return listing_or_stages(path)[1]


def listing_or_stages(path: str):
    """(a saved fleet listing as parsed, or None; else every stage document of the file sorted by
    name), from one read of the file (standard input cannot be read twice)."""
    name = "standard input" if path == "-" else path
    raw = _parsed(path)
    from apigw_stage.sources import listing

    if listing.is_listing(raw):
        docs = [listing.entry_document(e, f"cannot use {name}: stages item {i + 1}") for i, e in enumerate(raw["stages"])]
        return raw, sorted(docs, key=lambda doc: str(doc.get("stageName", "")))
    return None, stages_from_raw(raw, name)


def stages_from_raw(raw, name: str) -> list[dict]:
    """The stage documents of a document already parsed that is not a fleet listing (`name`: how
    messages call it), normalised, sorted by stageName."""
    if isinstance(raw, dict) and not any(k in raw for k in _STAGE_MARKERS) and isinstance(raw.get("item"), list):
        items = raw["item"]
    elif isinstance(raw, dict) and not any(k in raw for k in _STAGE_MARKERS) \
            and isinstance(raw.get("items", raw.get("Items")), list):  # apigatewayv2 GetStages
        items = raw.get("items", raw.get("Items"))
    elif isinstance(raw, list):
        items = raw
    else:
        items = [raw]
    from apigw_stage.core import families

    stages = []
    for index, item in enumerate(items):
        try:
            stages.append(normalise_as(families.of_document(item), item))
        except ShapeError as exc:
            which = "not a GetStage document" if item is raw else f"item {index + 1} is not a stage"
            raise UsageError(f"cannot use {name}: {which}: {exc}") from None
    return sorted(stages, key=lambda doc: str(doc.get("stageName", "")))


def pick_from_listing(path: str, api: str, stage: str):
    """(family, document) of stage STAGE of API in a saved fleet listing; exit 2 for any other file."""
    from apigw_stage.sources import listing

    name = "standard input" if path == "-" else path
    raw = _parsed(path)
    if not listing.is_listing(raw):
        raise UsageError("give either API STAGE or --file, not both",
                         "API STAGE with --file picks a stage from a saved fleet listing only")
    return listing.pick(raw, name, api, stage)


def stage_from_text(text: str, name: str):
    """(family, normalised document) of a snapshot file's text (read without following a link by
    sources/fleet/disk.py); bad content is exit 2 naming the file, as for --file."""
    from apigw_stage.core import families

    try:
        raw = _parse_text(text)
        other = _not_one_stage(raw)
        if other is not None:
            raise UsageError(f"cannot use {name}: {other}")
        family = families.of_document(raw)
        return family, normalise_as(family, raw)
    except ShapeError as exc:
        raise UsageError(f"cannot use {name}: {exc}") from None


# For sources/offline.py: the parsed text, what a document holds.
parsed = _parsed
not_one_stage = _not_one_stage
