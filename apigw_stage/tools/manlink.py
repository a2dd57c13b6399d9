"""`python -m apigw_stage.tools.manlink [--prefix DIR]`: put the man page where `man stage` looks
after an editable install.

A plain install (`pip install .`) ships man/stage.1 as a data file into PREFIX/share/man/man1
(pyproject's data-files), which man-db finds from PATH (PREFIX/bin -> PREFIX/share/man). An
editable install (`pip install -e .`, the README's test command) installs no data files, so
`man stage` found nothing: this links the checkout's page there (a symbolic link, so that a
regenerated page is the one shown; a copy where links are not possible). PREFIX defaults to the
running Python's sys.prefix (the venv)."""

import argparse
import os
import shutil
import sys

PAGE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "man", "stage.1")


def link(prefix: str, page: str = PAGE) -> str:
    folder = os.path.join(prefix, "share", "man", "man1")
    os.makedirs(folder, exist_ok=True)
    target = os.path.join(folder, "stage.1")
    if os.path.lexists(target):
        os.remove(target)
    try:
        os.symlink(page, target)
    except OSError:
        shutil.copyfile(page, target)
    return target


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m apigw_stage.tools.manlink", description=__doc__.splitlines()[0])
    parser.add_argument("--prefix", default=sys.prefix, help="install prefix (default: this Python's, the venv)")
    args = parser.parse_args(argv)
    if not os.path.isfile(PAGE):
        sys.stderr.write(f"manlink: no man page at {PAGE} (a checkout is needed: run it from one)\n")
        return 2
    sys.stderr.write(f"man page: {link(args.prefix)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
