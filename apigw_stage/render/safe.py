"""Make untrusted service text inert for a terminal.

Strings from API Gateway (descriptions, variables, tags, keys, ARNs) are data. In tables they
are wrapped in rich.text.Text (never parsed as markup) after every character that could move
the cursor, recolour the screen, ring the bell or reorder text is replaced by a visible escape.
"""

import re

# C0 controls, DEL, C1 controls, zero-width and line/paragraph separators, bidi embeddings,
# overrides and isolates, the Arabic letter mark and the BOM.
_NON_C0 = "\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\u061c\ufeff"
_UNSAFE = re.compile(f"[\x00-\x1f{_NON_C0}]")
# The same set less C0: json.dumps already escapes C0 inside strings, and outside strings
# C0 is only the layout's own newlines.
_UNSAFE_NON_C0 = re.compile(f"[{_NON_C0}]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\e", "\x07": "\\a", "\x00": "\\0"}


def _escape(match: re.Match) -> str:
    ch = match.group(0)
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(value: object) -> str:
    """The text of `value` with every unsafe character shown as an escape."""
    text = value if isinstance(value, str) else str(value)
    return _UNSAFE.sub(_escape, text)


def has_unsafe(text: str) -> bool:
    return _UNSAFE.search(text) is not None


def json_escape_unsafe(text: str) -> str:
    """Escape unsafe characters inside already-serialised JSON as \\uXXXX (still valid JSON).

    json.dumps escapes C0 itself; C1, bidi and zero-width characters would otherwise reach the
    terminal raw when json output is not piped.
    """
    return _UNSAFE_NON_C0.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
