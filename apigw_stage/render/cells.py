"""The only way text enters a Rich renderable in this package's tables.

`SafeText` is a rich Text that escapes every string given to it (constructor, `append`,
`assemble`) with safe.visible, so service text cannot reach the terminal raw whichever way a
renderer builds a cell; our own words pass through unchanged (they hold nothing unsafe). It also
wraps long identifiers after `/` and `:` (ARNs, paths) before folding them mid-token, and shows
at most VALUE_LIMIT characters of one value, then how much more there is (json keeps it all).

Renderers use `text()` for values, `assemble()`/`joined()`/`lines()` to combine, and `table()`,
`grid()`, `stack()` for containers: those turn any plain string into SafeText too.
"""

import json
import re

from rich.cells import cell_len, chop_cells
from rich.console import Group
from rich.measure import Measurement
from rich.table import Row, Table
from rich.containers import Lines
from rich.text import DEFAULT_JUSTIFY, DEFAULT_OVERFLOW, Text

from apigw_stage.core.text import visible

# One value is shown up to this many characters (about 13 lines at 80 columns): rendering cost
# and height stay bounded for a 16 MB description. Real names, tags and variables are shorter.
VALUE_LIMIT = 1024

# A "word" for wrapping: up to and including whitespace. An ARN, URL or path is one word (issue 19
# item 9: a copied identifier must be whole), so breaking after `/` or `:` (as before) is gone;
# the layouts give a word too wide for its column a line of its own (Fields, whole_lines).
_WORD = re.compile(r"\s*\S*\s*")


class SafeText(Text):
    def __init__(self, text: str = "", style="", **kwargs):
        if kwargs:
            super().__init__(visible(text), style=style, **kwargs)
            return
        # Text.__init__'s own assignments, less its strip_control_codes: visible() has escaped
        # every control character already, and a 900,000-row table makes 1.8 million of these.
        clean = visible(text)
        self._text = [clean]
        self.style = style
        self.justify = self.overflow = self.no_wrap = self.tab_size = None
        self.end = "\n"
        self._spans = []
        self._length = len(clean)

    def append(self, text, style=None) -> "SafeText":
        if isinstance(text, SafeText):
            return super().append(text, style)
        if isinstance(text, Text):  # built elsewhere: keep its look, escape its characters
            plain = visible(text.plain)
            if plain != text.plain:
                return super().append(plain, style or text.style or None)
            return super().append(text, style)
        return super().append(visible(text), style)

    def _newline(self) -> None:
        Text.append(self, "\n")

    def wrap(self, console, width, *, justify=None, overflow=None, tab_size=8, no_wrap=None) -> Lines:
        wrap_justify = justify or self.justify or DEFAULT_JUSTIFY
        wrap_overflow = overflow or self.overflow or DEFAULT_OVERFLOW
        no_wrap = bool(no_wrap if no_wrap is not None else self.no_wrap) or overflow == "ignore"
        out = Lines()
        for line in self.split(allow_blank=True):
            if no_wrap:
                if overflow == "ignore":
                    out.append(line)
                    continue
                new_lines = Lines([line])
            else:
                new_lines = line.divide(break_offsets(line.plain, width))
                for part in new_lines:
                    part.rstrip_end(width)
            if wrap_justify:
                new_lines.justify(console, width, justify=wrap_justify, overflow=wrap_overflow)
            for part in new_lines:
                part.truncate(width, overflow=wrap_overflow)
            out.extend(new_lines)
        return out

    def __rich_measure__(self, console, options) -> Measurement:
        lines = self.plain.split("\n")
        widest = max(cell_len(line) for line in lines)
        words = [cell_len(w.rstrip()) for line in lines for w in _WORD.findall(line) if w]
        return Measurement(max(words, default=widest), widest)


def break_offsets(plain: str, width: int) -> list[int]:
    """Where to break one line of `plain` to fit `width` cells: after spaces, `/` or `:`, and
    only inside a token that alone is wider than the line (rich._wrap.divide_line, other words)."""
    breaks: list[int] = []
    offset = 0  # cells used on the current line
    width = max(width, 1)
    for match in _WORD.finditer(plain):
        start, word = match.start(), match.group(0)
        if not word:
            continue
        length = cell_len(word.rstrip())
        if width - offset >= length:
            offset += cell_len(word)
            continue
        if length > width:
            for last, piece in _with_last(chop_cells(word, width)):
                if start:
                    breaks.append(start)
                if last:
                    offset = cell_len(piece)
                else:
                    start += len(piece)
        elif offset and start:
            breaks.append(start)
            offset = cell_len(word)
    return breaks


def _with_last(items):
    for index, item in enumerate(items):
        yield index == len(items) - 1, item


def _size(count: int) -> str:
    for unit, size in (("MB", 1 << 20), ("KB", 1 << 10)):
        if count >= size:
            return f"{count / size:.1f} {unit}"
    return f"{count} bytes"


def none() -> SafeText:
    return SafeText("—", style="dim")


def text(value, style: str | None = None) -> SafeText:
    """A value from the service (or anything else) as inert text; long values cut with a marker."""
    if value is None:
        return none()
    if isinstance(value, bool):
        return SafeText("yes" if value else "no", style=style or "")
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False, default=str)
    value = value if isinstance(value, str) else str(value)
    if len(value) <= VALUE_LIMIT:
        return SafeText(value, style=style or "")
    out = SafeText(value[:VALUE_LIMIT], style=style or "")
    hidden = len(value[VALUE_LIMIT:].encode("utf-8", "surrogatepass"))
    out.append(f" … {_size(hidden)} more, see -o json", style="dim italic")
    return out


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """`1 stage`, `2 stages`, `1 method entry`, `0 method entries`."""
    return f"{count} {singular if count == 1 else plural_form or singular + 's'}"


def assemble(*parts, style: str = "") -> SafeText:
    """Text.assemble for SafeText: str, (str, style) and Text parts, every string escaped."""
    return SafeText.assemble(*parts, style=style)


def joined(*parts, sep: str = " · ") -> SafeText:
    out = SafeText()
    first = True
    for part in parts:
        if part is None:
            continue
        if not first:
            out.append(sep, style="dim")
        out.append(part if isinstance(part, Text) else text(part))
        first = False
    return out


def lines(parts) -> SafeText:
    """Texts one per line: the only newline a renderer can put into a SafeText."""
    out = SafeText()
    for index, part in enumerate(parts):
        if index:
            out._newline()
        out.append(part if isinstance(part, Text) else text(part))
    return out


def on_off(value, on: str = "on", off: str = "off") -> SafeText:
    return SafeText(on, style="green") if value else SafeText(off, style="dim")


def _cell(value):
    return text(value) if isinstance(value, str) else value


_ROW = Row()  # a row without style or section end: Rich only reads it


class SafeTable(Table):
    """A Table whose headers and cells given as strings are SafeText, like every other cell."""

    def add_column(self, header="", *args, **kwargs) -> None:
        super().add_column(_cell(header), *args, **kwargs)

    def add_row(self, *cells, **kwargs) -> None:
        cells = [_cell(c) for c in cells]
        if not kwargs and len(cells) == len(self.columns) and all(isinstance(c, Text) for c in cells):
            # What Rich's add_row does for a full row of Text, without its per-cell checks (a
            # third of the time of a 900,000-row table).
            for column, cell in zip(self.columns, cells):
                column._cells.append(cell)
            self.rows.append(_ROW)
            return
        super().add_row(*cells, **kwargs)

    def __rich_console__(self, console, options):
        from apigw_stage.render.bulk import render

        fast = render(self, console, options, SafeText)  # many rows: the same lines in linear time
        yield from super().__rich_console__(console, options) if fast is None else fast


def table(**kwargs) -> SafeTable:
    return SafeTable(**kwargs)


def grid(**kwargs) -> SafeTable:
    return SafeTable.grid(**kwargs)


def field_grid() -> "Fields":
    return Fields()


def longest_token(value) -> int:
    """Cells of the longest run without whitespace in `value` (an ARN, a URL, an id)."""
    plain = value.plain if isinstance(value, Text) else str(value)
    return max((cell_len(word) for word in plain.split()), default=0)


def whole_lines(console, value, indent: int, width: int):
    """Segments of `value`, a line at a time: wrapped between words only, and a word wider than
    the line on a line of its own, whole (wider than the terminal if it must be: a copied ARN or
    URL is then still one piece)."""
    from rich.segment import Segment

    for line in _cell(value).split(allow_blank=True):
        room = max(width - indent, 1)
        for part in line.divide(word_breaks(line.plain, room)):
            part.rstrip()
            if indent and part.cell_len + indent <= width:  # else from the margin: the most room
                yield Segment(" " * indent)
            yield from part.render(console)
            yield Segment.line()


def word_breaks(plain: str, width: int) -> list[int]:
    """Greedy breaks between words only; a word wider than `width` is a line of its own."""
    breaks, used = [], 0
    for match in re.finditer(r"\S+\s*", plain):
        length = cell_len(match.group(0).rstrip())
        if used and used + length > width:
            breaks.append(match.start())
            used = 0
        used += cell_len(match.group(0))
    return breaks


class Fields:
    """`label  value` rows (show). A value whose longest word fits beside the label wraps there
    between words; one that does not (a long ARN or URL) goes under its label, each word whole."""

    def __init__(self):
        self.rows: list[tuple] = []

    def add_row(self, label, value) -> None:
        self.rows.append((_cell(label), _cell(value)))

    def __rich_console__(self, console, options):
        label_width = max((label.cell_len for label, _ in self.rows), default=0)
        room = options.max_width - label_width - 2
        for label, value in self.rows:
            if longest_token(value) <= room:
                row = grid(padding=(0, 2))
                row.add_column(style="bold cyan", no_wrap=True, width=label_width)
                row.add_column(overflow="fold")
                row.add_row(label, value)
                yield row
                continue
            styled = label.copy()
            styled.stylize("bold cyan")
            yield styled
            yield from whole_lines(console, value, 4, options.max_width)


def stack(*renderables) -> Group:
    """Renderables one under another; strings become SafeText."""
    return Group(*(_cell(r) for r in renderables))


def title(label: str, name, where) -> SafeText:
    out = SafeText(label + " ", style="bold")
    out.append(text(name, "bold magenta"))
    if where:
        out.append("  ")
        out.append(text(where, "dim"))
    return out
