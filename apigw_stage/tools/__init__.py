"""Developer tools, not run by `stage`: generate.py writes the completion scripts, the fast
path's option table and the man page (manpage.py) from the Typer definitions; manlink.py puts
the man page where `man stage` finds it after an editable install."""
