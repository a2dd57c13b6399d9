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


@dataclass(frozen=True)
class Column:
    header: str
    cell: Callable[[object], SafeText]  # the row's cell, built with cells.text
    priority: int  # 0: never left out (identifiers); otherwise higher numbers are left out first
    justify: str = "left"
    style: str | None = None


# Width a column adds besides its content: one space each side and a rule between columns.
_PADDING = 2
_RULE = 1


class PriorityTable:
    def __init__(self, columns: list[Column], rows: list, caption: str = "at this width"):
        self.columns = columns
        self.cells = [[column.cell(row) for column in columns] for row in rows]
        self.caption = caption
        # Identifiers and short values never wrap, so each column needs its widest cell or header.
        self.widths = [
            max([cell_len(column.header)] + [row[i].cell_len for row in self.cells])
            for i, column in enumerate(columns)
        ]

    def _chosen(self, width: int) -> list[int] | None:
        """Indexes of the columns shown, in their order; None when the essential ones do not fit."""
        kept = list(range(len(self.columns)))
        by_importance = sorted(kept, key=lambda i: self.columns[i].priority, reverse=True)

        def needed(indexes):
            return sum(self.widths[i] + _PADDING for i in indexes) + _RULE * (len(indexes) - 1)

        for index in by_importance:
            if needed(kept) <= width:
                return kept
            if self.columns[index].priority == 0:
                return None
            kept.remove(index)
        return kept if needed(kept) <= width else None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        chosen = self._chosen(options.max_width)
        if chosen is None or len(chosen) * 2 < len(self.columns):
            yield from self._stacked()
            return
        out = table(show_edge=False, header_style="bold")
        for i in chosen:
            column = self.columns[i]
            out.add_column(column.header, justify=column.justify, no_wrap=True, style=column.style)
        for row in self.cells:
            out.add_row(*(row[i] for i in chosen))
        yield out
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
