"""json and yaml output: the service's own shape, timestamps as RFC 3339 UTC with a Z."""

import json
import re
from apigw_stage.core.errors import UsageError
from apigw_stage.core.plain import plain
from apigw_stage.core.text import has_unsafe, json_escape_unsafe


def apply_query(data, expression: str | None):
    if not expression:
        return data
    import jmespath
    from jmespath.exceptions import JMESPathError

    try:
        return jmespath.search(expression, data)
    except JMESPathError as exc:
        # jmespath's message ends in the expression with a caret under the fault, which means
        # nothing on one line: its first line, and the position in words.
        line = str(exc).splitlines()[0].removesuffix(":").removesuffix(", for expression").rstrip(": ")
        where = next((getattr(exc, n) for n in ("lex_position", "lexer_position") if isinstance(getattr(exc, n, None), int)), None)
        at = f" at character {where + 1}" if where is not None and "column" not in line else ""
        # A type error quotes the value it got, which can be the whole document: that value is
        # cut, not what follows it (the type expected).
        line = re.sub(r"(invalid type for value: )(.{80}).*?(, expected one of:)", r"\1\2…\3", line, flags=re.S)
        line = line if len(line) <= 500 else line[:500] + "…"
        raise UsageError(f"invalid --query expression {expression!r}: {line}{at}") from None
    except RecursionError:  # 3,000 nested parentheses: jmespath's parser recurses per level
        raise UsageError(f"invalid --query expression {expression[:40]!r}…: nested too deeply") from None
    except (ValueError, TypeError) as exc:  # raised inside jmespath: `keys(@)[::0]` (slice step 0)
        raise UsageError(f"invalid --query expression {expression!r}: {exc}") from None


def to_json(data, ascii_only: bool = False) -> str:
    # allow_nan=False: the document's checks reject NaN and infinities; if one ever got this far,
    # fail rather than print `NaN`, which no JSON reader accepts.
    text = json.dumps(data, indent=2, ensure_ascii=ascii_only, allow_nan=False)
    return json_escape_unsafe(text)


def to_yaml(data, ascii_only: bool = False) -> str:
    import yaml

    # allow_unicode keeps "café" readable; a document holding bidi or C1 characters is
    # dumped with every non-ASCII character escaped, so nothing unsafe reaches a terminal.
    safe = not ascii_only and not has_unsafe(json.dumps(data, ensure_ascii=False))
    text = yaml.safe_dump(data, allow_unicode=safe, sort_keys=False, default_flow_style=False)
    # A plain scalar at the top level ends with PyYAML's document-end marker (`live` then `...`);
    # the stream ends there, so the marker adds nothing and yq prints the bare value.
    if not isinstance(data, (dict, list)) and text.endswith("\n...\n"):
        text = text[: -len("...\n")]
    return text


def dump(data, fmt: str, query: str | None = None, ascii_only: bool = False) -> str:
    """`ascii_only` for a stream that cannot encode Unicode (a non-UTF-8 locale): every other
    character is then an escape that json and yaml readers turn back into the exact value."""
    data = apply_query(plain(data), query)
    if fmt == "yaml":
        return to_yaml(data, ascii_only)
    return to_json(data, ascii_only) + "\n"
