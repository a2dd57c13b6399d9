"""Make untrusted service text inert for a terminal.

Strings from API Gateway (descriptions, variables, tags, keys, ARNs) are data. In tables they
are wrapped in rich.text.Text (never parsed as markup) after every character that could move
the cursor, recolour the screen, ring the bell or reorder text is replaced by a visible escape.
"""

import re

# C0 controls, DEL, C1 controls; every format character and line/paragraph separator of Unicode
# 14 (categories Cf, Zl, Zp): bidi embeddings, overrides and isolates, the BOM, interlinear
# annotations, Egyptian hieroglyph and shorthand format controls; and every
# Default_Ignorable_Code_Point of DerivedCoreProperties.txt, Unicode 16.0 (the same set since
# 14.0): characters a terminal draws as nothing, so `lambda\u034fAlias` would look exactly like
# `lambdaAlias` (combining grapheme joiner, Hangul fillers, Khmer inherent vowels, Mongolian and
# Unicode variation selectors, the tag block and its reserved neighbours).
_NON_C0 = (
    "\x7f-\x9f\xad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160"
    "\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f"
    "\ufeff\uffa0\ufff0-\ufffb\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
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
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


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
    return _UNSAFE_NON_C0.sub(lambda m: _json_escape(m.group(0)), text)


def _json_escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # beyond the BMP, JSON spells a character as a surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


# XML 1.0's Char production (https://www.w3.org/TR/xml/#charsets): #x9 | #xA | #xD |
# [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. `visible` leaves the surrogates and
# U+FFFE/U+FFFF as they are (a terminal shows them as boxes), but no XML parser accepts them,
# not even as character references.
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def xml_text(value: object) -> str:
    """`visible(value)` with every character XML 1.0 cannot hold escaped too: text any XML
    writer may put in an element or attribute."""
    return _NOT_XML.sub(_escape, visible(value))
