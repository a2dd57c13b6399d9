"""Time and peak memory of `stage` on inputs built to hurt it (issue 13): a YAML alias bomb, an
endless file, a 16 MB description, 100,000 method entries. Each case must end with the exit
code given (a clear refusal or the full answer), fast and within bounded memory.

    python bench/hostile.py            # prints a Markdown table (bench/README.md has a run)

Needs GNU time (/usr/bin/time) for the peak RSS."""

import json
import os
import subprocess
import sys
import tempfile
import time


def _inputs(folder: str) -> list[tuple[str, list[str], int]]:
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    previous = "a"
    for name in "bcdefghi":  # 9^9 values once expanded
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
        previous = name
    lines.append(f"stageName: prod\nvariables: {{v: *{previous}}}")
    bomb = os.path.join(folder, "bomb.yaml")
    with open(bomb, "w") as handle:
        handle.write("\n".join(lines) + "\n")
    described = os.path.join(folder, "description.json")
    with open(described, "w") as handle:
        json.dump({"stageName": "prod", "description": "x" * (16 * 1024 * 1024)}, handle)
    many = os.path.join(folder, "methods.json")
    settings = {"*/*": {"loggingLevel": "INFO"}}
    settings.update({f"~1r{i}/GET": {"loggingLevel": "ERROR", "metricsEnabled": True} for i in range(100_000)})
    with open(many, "w") as handle:
        json.dump({"stageName": "prod", "methodSettings": settings}, handle)
    return [
        ("YAML alias bomb (9^9 values)", ["show", "-f", bomb], 2),
        ("--file /dev/zero", ["show", "-f", "/dev/zero"], 2),
        ("16 MB description", ["show", "-f", described], 0),
        ("settings -e, 100,000 method entries, -o json", ["settings", "-e", "-f", many, "-o", "json"], 0),
    ]


def main() -> int:
    stage = os.path.join(os.path.dirname(sys.executable), "stage")
    print("| input | exit | wall s | peak MiB |\n|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for label, args, expected in _inputs(folder):
            started = time.monotonic()
            proc = subprocess.run(["/usr/bin/time", "-f", "%M", stage, *args], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True)
            wall = time.monotonic() - started
            peak = int(proc.stderr.strip().splitlines()[-1]) / 1024
            if proc.returncode != expected:
                print(f"{label}: exit {proc.returncode}, expected {expected}", file=sys.stderr)
                return 1
            print(f"| {label} | {proc.returncode} | {wall:.2f} | {peak:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
