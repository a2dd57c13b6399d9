"""Large tables drawn in time linear in their rows, with the same lines as Rich (issue 20.9).

Rich lays out and renders every cell of a table through several wrappers (Padding, Segment
lines, shape checks): about 250 us a row, so `stage vars` of 900,000 variables took two minutes
and 2 GB. For a table of many rows printed without colour this draws the same lines faster:

- column widths: Rich's own width calculation, run on a table of only the cells that decide it
  (per column the cell with the widest minimum and the one with the widest maximum; a column's
  measurement is the maximum over its cells, so the widths come out the same);
- a row whose cells are each one line that fits its column: formatted here, as Rich does (left
  justified, padded, cells joined by the box's vertical line);
- the header and any other row (one that wraps): rendered by Rich at those widths.

Anything this does not model (colour, titles, row styles or sections, other boxes, justified or
ratio columns, cells that are not SafeText) leaves the table to Rich. tests/test_bulk_tables.py
checks the lines against Rich's for many tables; bench/tables.py has the figures.
"""

import copy
import re

from rich.cells import cell_len
from rich.segment import Segment

FAST_ROWS = 200  # below this Rich is fast enough, and exactly itself
_CHUNK = 1024
_SPACE = re.compile(r"\s")
_PIECE = re.compile(r"[^/:]*[/:]*")


def _applies(table, console, text_type) -> bool:
    if len(table.rows) < FAST_ROWS or console.color_system is not None:
        return False
    box = table.box
    if (box is None or table.show_edge or table.show_lines or table.show_footer or not table.show_header
            or table.title or table.caption or table.width is not None or table.expand or table.leading
            or table.collapse_padding or not table.pad_edge or tuple(table.padding) != (0, 1, 0, 1)
            or table.row_styles or box.mid_vertical != box.foot_vertical):
        return False
    if any(row.style or row.end_section for row in table.rows):
        return False
    for column in table.columns:
        if (column.width is not None or column.min_width is not None or column.max_width is not None
                or column.ratio or column.justify not in ("left", "default") or column.vertical != "top"):
            return False
        if not all(type(cell) is text_type and cell.justify in (None, "left", "default") for cell in column._cells):
            return False
    return True


def _deciders(table, plains) -> list[int]:
    """The rows holding, per column, the widest minimum and the widest maximum measurement."""
    rows = set()
    for column, texts in zip(table.columns, plains):
        best_min = best_max = (-1, 0)
        for index, (cell, plain) in enumerate(zip(column._cells, texts)):
            if plain.isascii() and not _SPACE.search(plain):
                # SafeText's own measure (the widest word, the whole line) for one line of one-cell
                # characters without spaces, where its words are the pieces ending in / or :.
                low, high = max(map(len, _PIECE.findall(plain))), len(plain)
            else:
                low, high = cell.__rich_measure__(None, None)
            if low > best_min[0]:
                best_min = (low, index)
            if high > best_max[0]:
                best_max = (high, index)
        rows.update((best_min[1], best_max[1]))
    return sorted(rows)


def _subtable(table, rows: list[int], widths: list[int] | None = None):
    """A copy of `table` with only `rows`; with `widths`, every column fixed at its width."""
    sub = copy.copy(table)
    sub.columns = []
    for index, column in enumerate(table.columns):
        part = copy.copy(column)
        part._cells = [column._cells[r] for r in rows]
        if widths is not None:
            part.width = widths[index] - 2  # less the padding on each side
        sub.columns.append(part)
    sub.rows = [table.rows[r] for r in rows]
    return sub


def _lines(console, options, renderable) -> list[str]:
    return ["".join(segment.text for segment in line)
            for line in console.render_lines(renderable, options, pad=False, new_lines=False)]


def render(table, console, options, text_type):
    """The segments of `table` when this module applies, else None (render with Rich).
    `text_type` is the cell class it models (render/cells.py's SafeText, which imports this)."""
    if not _applies(table, console, text_type):
        return None
    plains = [[cell.plain for cell in column._cells] for column in table.columns]  # each read once
    reduced = _subtable(table, _deciders(table, plains))
    max_width = options.max_width
    widths = reduced._calculate_column_widths(console, options.update_width(max_width - reduced._extra_width))
    return _segments(table, console, options, widths, text_type, plains)


def _segments(table, console, options, widths, text_type, plains):
    # The header as Rich draws it, found by drawing it above one empty row of one line.
    blank = _subtable(table, [], widths)
    for column in blank.columns:
        column._cells = [text_type("")]
    blank.rows = [copy.copy(table.rows[0])]
    head = _lines(console, options, blank)[:-1]
    for line in head:
        yield Segment(line)
        yield Segment.line()
    divider = table.box.mid_vertical
    inner = [w - 2 for w in widths]
    done: list[str] = []  # lines handed over CHUNK at a time: one Segment each, not two a line
    for index, row in enumerate(zip(*plains)):
        sizes = [len(p) if p.isascii() else cell_len(p) for p in row]
        if all(size <= width and "\n" not in p for p, size, width in zip(row, sizes, inner)):
            done.append(divider.join(f" {p}{' ' * (width - size)} " for p, size, width in zip(row, sizes, inner)))
        else:
            # A row that wraps: Rich draws it, at the same widths, under a header that is dropped.
            done.extend(_lines(console, options, _subtable(table, [index], widths))[len(head):])
        if len(done) >= _CHUNK:
            yield Segment("\n".join(done) + "\n")
            done = []
    if done:
        yield Segment("\n".join(done) + "\n")
