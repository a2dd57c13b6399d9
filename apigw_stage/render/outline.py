"""A tree drawn like rich.tree.Tree (the same guides), made for thousands of nodes.

rich.tree.Tree sends every label through Console.render_lines, about 1.5 ms a node: 3 s for a
stage with 2,000 method entries. Here a label that is one line of Text and fits is rendered
directly; anything else (a long value, a grid) still goes through render_lines and wraps. A
label object used by several nodes is rendered once.
"""

from rich.segment import Segment
from rich.text import Text

_UNICODE = ("    ", "│   ", "├── ", "└── ")  # space, continue, fork, end, as rich.tree draws them
_ASCII = ("    ", "|   ", "+-- ", "`-- ")


class Outline:
    def __init__(self, label, guide_style: str = "dim"):
        self.label = label
        self.children: list["Outline"] = []
        self.guide_style = guide_style

    def add(self, label) -> "Outline":
        """A child with this label; an Outline given as the label becomes the child itself."""
        child = label if isinstance(label, Outline) else Outline(label, self.guide_style)
        self.children.append(child)
        return child

    def __rich_console__(self, console, options):
        guides = _ASCII if options.ascii_only else _UNICODE
        style = console.get_style(self.guide_style)
        newline = Segment.line()

        rendered: dict = {}

        def label_lines(label, width: int):
            """The label's lines as segments; a label shared by many nodes (the same settings grid
            for every method with the same settings) is rendered once per width."""
            key = (id(label), width)
            if key not in rendered:
                rendered[key] = (label, render(label, width))  # the label is kept so its id stays its own
            return rendered[key][1]

        def render(label, width: int):
            width = max(width, 1)
            fitted = getattr(label, "fitted_lines", None)
            texts = fitted(width) if fitted else [label] if isinstance(label, Text) and "\n" not in label.plain else None
            if texts is None:
                return console.render_lines(label, options.update(width=width, height=None), pad=False)
            lines = []
            for text in texts:
                for part in [text] if text.cell_len <= width else text.wrap(console, width):
                    lines.append(list(part.render(console)))
            return lines

        def draw(node: "Outline", first: str, rest: str):
            width = options.max_width - len(first)
            for index, line in enumerate(label_lines(node.label, width)):
                prefix = first if index == 0 else rest
                if prefix:
                    yield Segment(prefix, style)
                yield from line
                yield newline
            for index, child in enumerate(node.children):
                last = index == len(node.children) - 1
                yield from draw(child, rest + guides[3 if last else 2], rest + guides[0 if last else 1])

        yield from draw(self, "", "")
