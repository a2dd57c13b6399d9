"""TAB completion. fast.py answers a TAB from the cache and the generated option table (spec.py)
with the standard library only, before typer, rich or boto3 load; live.py is Typer's side (API
ids and names, stage names, diff sides), asking AWS and filling the cache (cache.py). Kept empty:
the fast path imports this package."""
