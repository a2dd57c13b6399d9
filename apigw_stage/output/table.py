"""-o table: the report's table rendered by Rich in full (captured), then written at once."""

from apigw_stage.output import stream


def write(report, env) -> None:
    from apigw_stage.render.console import make_console

    console = make_console(env)
    renderable = report.table(console.is_terminal)
    with console.capture() as captured:
        # crop=False: a word wider than the terminal (one word of a fix command) is printed
        # whole for the terminal to fold, never cut at the edge into a different command.
        console.print(renderable, crop=False)
    # Rich pads every line to the table width; trailing blanks only get in the way of a reader.
    stream.write(env, "\n".join(line.rstrip() for line in captured.get().split("\n")))
