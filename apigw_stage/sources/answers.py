"""Bounds on what the service may answer (issue 20.7, 20.8), checked on the HTTP attempt's own
thread before botocore parses anything:

- size: at most ANSWER_LIMIT bytes are ever read, the bound of --file (sources/files.py). The
  largest real answers (GetStage of a REST API with 300 resources x 8 methods, each with an
  entry; GetRestApis pages of 500) stay under a few MB. A Content-Length above the limit is
  refused before the body is read; a chunked body is read in 64 KiB pieces and dropped at the
  first byte past the limit. botocore alone would read the whole body into memory (a 300 MB
  GetStage answer cost about 970 MB).
- depth: a body that is JSON is nested at most DEPTH_LIMIT levels (model/shape.py), counted
  without recursion, so that neither botocore's parser (on a deeper stack than this thread's)
  nor the views meet a RecursionError.

Streamed answers (GetExport's blob) are read, and bounded, by sources/exports.py.
"""

import copy
import json

import botocore.exceptions as bex

from apigw_stage.model.shape import DEPTH_LIMIT
from apigw_stage.sources.files import SIZE_LIMIT

ANSWER_LIMIT = SIZE_LIMIT
_CHUNK = 64 * 1024


class TooLarge(Exception):
    """An answer larger than ANSWER_LIMIT bytes: not retried (it would be as large again)."""


class TooDeep(Exception):
    """A JSON answer nested deeper than DEPTH_LIMIT: not retried."""


def fetch(http, request):
    """`http.send(request)` (botocore's URLLib3Session) with the body read here, bounded, instead
    of whole by botocore; the response carries it as botocore would have."""
    if request.stream_output:
        return http.send(request)
    # A copy that asks for a streamed answer, so botocore leaves the body unread; a copy, not the
    # request itself, because an attempt given up on (--timeout) may still be running on its
    # thread while the retry sends the same request.
    streamed = copy.copy(request)
    streamed.stream_output = True
    response = http.send(streamed)
    raw = response.raw
    try:
        # AWSResponse.content is `_content` once read; botocore's own send fills it the same way.
        response._content = _read(raw, response.headers.get("Content-Length"))
    except TooLarge:
        raw.close()  # drop the connection: the rest of the body is never read
        raise
    except bex.BotoCoreError:
        raw.close()
        raise
    except Exception as exc:  # urllib3's read errors, as botocore's send would name them
        raw.close()
        raise _as_botocore(exc, request) from None
    return response


def _read(raw, length) -> bytes:
    try:
        declared = int(length) if length is not None else None
    except ValueError:
        declared = None
    if declared is not None and declared > ANSWER_LIMIT:
        raise TooLarge()
    parts, total = [], 0
    for part in raw.stream(_CHUNK, decode_content=False):
        total += len(part)
        if total > ANSWER_LIMIT:
            raise TooLarge()
        parts.append(part)
    return b"".join(parts)


def _as_botocore(exc: Exception, request):
    from urllib3.exceptions import ProtocolError, ReadTimeoutError

    if isinstance(exc, ReadTimeoutError):
        return bex.ReadTimeoutError(endpoint_url=request.url, error=exc)
    if isinstance(exc, ProtocolError):
        return bex.ConnectionClosedError(error=exc, request=request, endpoint_url=request.url)
    return bex.HTTPClientError(error=exc)


def is_json(body: bytes) -> bool:
    """Whether `body` is JSON (empty counts: botocore reads it as {}); TooDeep when it is JSON
    nested deeper than DEPTH_LIMIT."""
    if not body:
        return True
    try:
        value = json.loads(body)
    except RecursionError:  # deeper than this thread's stack: far deeper than DEPTH_LIMIT
        raise TooDeep() from None
    except ValueError:  # UnicodeDecodeError included
        return False
    where = _too_deep_at(value, DEPTH_LIMIT + 1)  # as model/shape.py counts: the top object is level 0
    if where is not None:
        raise TooDeep(where)
    return True


def _too_deep_at(value, limit: int) -> str | None:
    """Where (the first three keys or indexes, as model/shape.py names it) `value` first nests
    containers more than `limit` deep, else None."""
    stack = [(value, 1, ())]
    while stack:
        item, depth, path = stack.pop()
        if isinstance(item, dict):
            children = item.items()
        elif isinstance(item, list):
            children = enumerate(item)
        else:
            continue
        if depth > limit:
            return ".".join(str(p) for p in path[:3]) + "…"
        stack.extend((child, depth + 1, path + (key,) if len(path) < 3 else path)
                     for key, child in children if isinstance(child, (dict, list)))
    return None
