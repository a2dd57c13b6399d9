"""The TAB fast path. The scripts in completions/ run `stage` with _STAGE_COMPLETE=fast and the
words of the command line; this answers with one `value<TAB>description` line per candidate.

It imports only the standard library, the generated option table (spec.py) and the cache, so a
TAB answered from the cache costs little more than starting Python. Whatever fails, it prints
candidates or nothing, and exits 0.

Which candidates are offered: names come from whoever can create an API in the account, so a
value may hold spaces and shell metacharacters (`x;touch${IFS}/tmp/PWNED`, `*`, `$(id)`). Those
are offered, and each script inserts them as one literal word (bash quotes them with printf %q,
zsh's compadd and fish quote their own). A value with a control, bidi or other invisible
character (newline and tab included) is not offered: it could not travel one a line, and the
shells would print it raw in their candidate lists.

bash passes the words as typed (quotes and backslashes included) and sets STAGE_COMP_QUOTED=1;
they are read here as the shell would read them. zsh and fish pass them unquoted.
"""

import os

from apigw_stage.completion import spec as _spec


def _options(command: str | None) -> dict:
    # Before the command name the shared options are taken too (cli/group.py moves them after it).
    return _spec.COMMANDS[command]["options"] if command else {**_spec._SHARED, **_spec.TOP_OPTIONS}


def unquote(word: str) -> str:
    """The literal value of a shell word as typed, tolerating an unclosed quote at the cursor:
    backslash escapes, '...' and "..." (where a backslash escapes only $ ` " \\ and newline)."""
    out, quote, index = [], None, 0
    while index < len(word):
        ch = word[index]
        if quote == "'":
            if ch == "'":
                quote = None
            else:
                out.append(ch)
        elif ch == "\\" and index + 1 < len(word):
            nxt = word[index + 1]
            if quote == '"' and nxt not in '$`"\\\n':
                out.append(ch)
            else:
                index += 1
                out.append(nxt)
        elif ch == quote:
            quote = None
        elif quote is None and ch in "'\"":
            quote = ch
        else:
            out.append(ch)
        index += 1
    return "".join(out)


def _parse(words: list[str]):
    """(subcommand, options seen {dest: value}, positionals seen) from the words before the cursor."""
    command, seen, positionals = None, {}, []
    index = 0
    while index < len(words):
        word = words[index]
        if word.startswith("-") and word != "-":
            name, _, inline = word.partition("=")
            spec = _options(command).get(name)
            if spec and spec["value"] and not inline:
                seen[spec["dest"]] = words[index + 1] if index + 1 < len(words) else ""
                index += spec.get("nargs", 1)
            elif spec:
                seen[spec["dest"]] = inline or True
        elif command is None and word in _spec.COMMANDS:
            command = word
        elif command is not None:
            positionals.append(word)
        index += 1
    return command, seen, positionals


# Option values that come from the account (completion/live.option_values), per command.
_LIVE_VALUES = {"history": ("diff",)}


def candidates(words: list[str], incomplete: str) -> list[list[str]]:
    command, seen, positionals = _parse(words)
    previous = words[-1] if words else ""
    options = _options(command)
    spec = options.get(previous)
    if spec is None and len(words) > 1 and options.get(words[-2], {}).get("nargs", 1) > 1:
        spec = options[words[-2]]  # the second value of a two-value option (history --diff A B)
    if spec and spec.get("dest") in _LIVE_VALUES.get(command, ()):
        from apigw_stage.completion import live as completion

        ctx = completion.context(seen.get("profile"), seen.get("region"), seen.get("endpoint_url"))
        return completion.option_values(command, spec["dest"], ctx, positionals, incomplete)
    if spec and spec["value"]:  # completing an option's value
        if spec["dest"] in ("region", "profile"):  # from files, not from the option's type
            from apigw_stage.completion import aws_names

            found = aws_names.regions() if spec["dest"] == "region" else aws_names.profiles()
            return [item for item in found if item[0].startswith(incomplete)]
        titles = spec.get("titles", {})
        return [[c, titles.get(c, "")] for c in spec["choices"] if c.startswith(incomplete)]
    if incomplete.startswith("-"):
        unique = {}
        for name, opt in options.items():
            if name.startswith(incomplete) and name.startswith("--"):
                unique[name] = opt["help"]
        return [[n, h] for n, h in sorted(unique.items())]
    if command is None:
        return [[name, c["help"]] for name, c in _spec.COMMANDS.items() if name.startswith(incomplete)]
    if "file" in seen:
        return []
    from apigw_stage.completion import live as completion

    ctx = completion.context(seen.get("profile"), seen.get("region"), seen.get("endpoint_url"))
    return completion.positional(command, ctx, positionals, incomplete)


def main() -> int:
    try:
        # The words before the cursor, one a line (the first is `stage`), and the word at it.
        words = os.environ.get("STAGE_COMP_WORDS", "").split("\n")
        current = os.environ.get("STAGE_COMP_CURRENT", "")
        if os.environ.get("STAGE_COMP_QUOTED") == "1":
            words, current = [unquote(w) for w in words], unquote(current)
        found = candidates(words[1:], current)
        lines = []
        from apigw_stage.core.text import has_unsafe, visible

        for value, description in found:
            if not value or has_unsafe(value):
                continue  # could not travel one a line, nor be listed safely: see the docstring
            clean = visible(" ".join(description.split()))
            lines.append(f"{value}\t{clean}" if clean else value)
        from apigw_stage.core.env import Env

        stdout = Env().stdout
        stdout.write("".join(line + "\n" for line in lines))
        stdout.flush()
    except BaseException:  # completion must never show an error or a traceback
        pass
    return 0
