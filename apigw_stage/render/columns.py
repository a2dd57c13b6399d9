"""A table whose columns have priorities: at the width it is drawn, the least important columns
are left out (and named under the table) until the rest fit without breaking an identifier;
when that would leave out more than half of them, or even the columns that are never left out
do not fit, each row becomes a block of lines.

Used by `stage list`; a fleet-wide list adds columns (account, region, API) with their own
priorities and reuses `Column` and `PriorityTable` as they are.
"""

from dataclasses import dataclass
from typing import Callable

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult

from apigw_stage.render.cells import SafeText, grid, table


def _longest(cell: SafeText) -> int:
    return max((cell_len(word) for word in cell.plain.split()), default=0)


@dataclass(frozen=True)
class Column:
    header: str
    cell: Callable[[object], SafeText]  # the row's cell, built with cells.text
    priority: int  # 0: never left out (identifiers); otherwise higher numbers are left out first
    justify: str = "left"
    style: str | None = None
    # The cell with its free text cut short (an API's name, never its id): tried before the rows
    # become blocks, so that one long name does not turn the whole table into cards.
    narrow: Callable[[object], SafeText] | None = None
    # A list of identifiers (failing check ids): wraps between them, never inside one.
    wraps: bool = False


# Width a column adds besides its content: one space each side and a rule between columns.
_PADDING = 2
_RULE = 1


class PriorityTable:
    def __init__(self, columns: list[Column], rows: list, caption: str = "at this width", wide: bool = False):
        """`wide` (--wide): every column, in full, as a table however wide it is."""
        self.columns = columns
        self.wide = wide
        self.cells = [[column.cell(row) for column in columns] for row in rows]
        self.caption = caption
        self.widths = self._widths(self.cells)
        self.narrow_cells = None
        if any(c.narrow for c in columns):
            self.narrow_cells = [[(column.narrow or column.cell)(row) for column in columns] for row in rows]

    def _widths(self, cells) -> list[int]:
        # Identifiers and short values never wrap, so each column needs its widest cell or header.
        return [max([cell_len(column.header)] + [_longest(row[i]) if column.wraps else row[i].cell_len for row in cells])
                for i, column in enumerate(self.columns)]

    @staticmethod
    def _needed(widths, indexes) -> int:
        return sum(widths[i] + _PADDING for i in indexes) + _RULE * (len(indexes) - 1)

    def _fits(self, chosen) -> bool:
        return chosen is not None and len(chosen) * 2 >= len(self.columns)

    def _chosen(self, width: int, widths: list[int]) -> list[int] | None:
        """Indexes of the columns shown, in their order; None when the essential ones do not fit."""
        kept = list(range(len(self.columns)))
        by_importance = sorted(kept, key=lambda i: self.columns[i].priority, reverse=True)

        def needed(indexes):
            return self._needed(widths, indexes)

        for index in by_importance:
            if needed(kept) <= width:
                return kept
            if self.columns[index].priority == 0:
                return None
            kept.remove(index)
        return kept if needed(kept) <= width else None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        cells = self.cells
        if self.wide:
            chosen = list(range(len(self.columns)))
            options = options.update(width=max(options.max_width, self._needed(self.widths, chosen)))
        else:
            chosen = self._chosen(options.max_width, self.widths)
            if self.narrow_cells is not None and (chosen is None or len(chosen) < len(self.columns)):
                # Free text cut short keeps the table (and every identifier whole), or more of its
                # columns, where the full text would not.
                narrow = self._chosen(options.max_width, self._widths(self.narrow_cells))
                if narrow is not None and (chosen is None or len(narrow) > len(chosen)):
                    cells, chosen = self.narrow_cells, narrow
            if not self._fits(chosen):
                yield from self._stacked()
                return
        out = table(show_edge=False, header_style="bold")
        for i in chosen:
            column = self.columns[i]
            out.add_column(column.header, justify=column.justify, no_wrap=not column.wraps, style=column.style,
                           min_width=self._widths(cells)[i] if column.wraps else None)
        for row in cells:
            out.add_row(*(row[i] for i in chosen))
        yield from console.render(out, options) if self.wide else (out,)
        left_out = [self.columns[i].header for i in range(len(self.columns)) if i not in chosen]
        if left_out:
            yield SafeText(f"not shown {self.caption}: {', '.join(left_out)} (-o json has all)", style="dim")

    def _stacked(self):
        """Each row as a block: the first column's value, then `header  value` lines indented
        (a value too long for the line wraps under itself)."""
        for row in self.cells:
            yield row[0]
            block = grid(padding=(0, 2))
            block.add_column(no_wrap=True, style="bold")
            block.add_column(overflow="fold")
            for column, cell in zip(self.columns[1:], row[1:]):
                block.add_row("  " + column.header, cell)
            yield block
