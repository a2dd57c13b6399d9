"""Tables that scale linearly (issue 20.9): `stage vars --file F` (the table, piped) against
`stage vars --file F -o json` and `stage check --file F -o json` for 10,000, 100,000 and 900,000
stage variables (the last about 47 MB, under the 50 MB --file bound). Time and peak memory of
each whole process; the table must stay linear in the count and within 3x of `vars -o json`.

    python bench/tables.py              # all three sizes (900,000 takes a few minutes)
    python bench/tables.py 10000 100000 # chosen sizes

Needs GNU time (/usr/bin/time) for the peak RSS. bench/README.md has a run."""

import json
import os
import subprocess
import sys
import tempfile
import time

EXAMPLE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples", "prod-stage.json")


def _document(folder: str, count: int) -> str:
    with open(EXAMPLE) as handle:
        doc = json.load(handle)
    doc.pop("canarySettings", None)
    doc["variables"] = {f"v{i:07d}": f"https://b.example.com/{i}" for i in range(count)}  # 900,000: ~40 MB
    path = os.path.join(folder, f"vars-{count}.json")
    with open(path, "w") as handle:
        json.dump(doc, handle)
    return path


def _run(stage: str, args: list[str]) -> tuple[int, float, float]:
    started = time.monotonic()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", stage, *args], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, env={**os.environ, "COLUMNS": "80"})
    wall = time.monotonic() - started
    return proc.returncode, wall, int(proc.stderr.strip().splitlines()[-1]) / 1024


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [10_000, 100_000, 900_000]
    stage = os.path.join(os.path.dirname(sys.executable), "stage")
    print("| variables | file MB | command | exit | wall s | peak MiB | µs per variable | x vars -o json |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for count in sizes:
            path = _document(folder, count)
            size = os.path.getsize(path) / 2**20
            runs = {}
            for label, args in (("vars -o json", ["vars", "-f", path, "-o", "json"]),
                                ("vars (table)", ["vars", "-f", path]),
                                ("check -o json", ["check", "-f", path, "-o", "json"])):
                runs[label] = _run(stage, args)
            base = runs["vars -o json"][1]
            for label, (code, wall, peak) in runs.items():
                print(f"| {count:,} | {size:.1f} | `{label}` | {code} | {wall:.2f} | {peak:.0f} | "
                      f"{wall / count * 1e6:.1f} | {wall / base:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
