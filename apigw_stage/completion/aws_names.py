"""Values TAB offers for --region and --profile, read from files, with no SDK import and no call
(stdlib only: a warm TAB loads this).

Regions: botocore's own partition data (botocore/data/partitions.json, the file its endpoint
resolver reads), found with importlib's finder, which locates the package without importing it.
The `*-global` entries are pseudo-regions for global endpoints, not something --region takes.
Profiles: the sections of the config file (`[default]`, `[profile NAME]`) and of the shared
credentials file (`[NAME]`), at AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE or ~/.aws, as the
AWS CLI finds them. A file that is missing or unreadable offers nothing, never an error."""

import configparser
import importlib.util
import json
import os


def regions() -> list[list[str]]:
    """[[region, description], ...] of every partition, sorted by name."""
    try:
        spec = importlib.util.find_spec("botocore")
        folder = list(spec.submodule_search_locations or [])[0]
        with open(os.path.join(folder, "data", "partitions.json"), encoding="utf-8") as handle:
            data = json.load(handle)
    except (ImportError, AttributeError, IndexError, TypeError, OSError, ValueError):
        return []
    found = {}
    for partition in data.get("partitions", []) if isinstance(data, dict) else []:
        for name, about in (partition.get("regions") or {}).items():
            if isinstance(name, str) and not name.endswith("-global"):
                found[name] = str((about or {}).get("description") or "") if isinstance(about, dict) else ""
    return sorted([name, description] for name, description in found.items())


def _sections(path: str) -> list[str]:
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            parser.read_file(handle)
    except (OSError, configparser.Error):
        return []
    return parser.sections()


def profiles() -> list[list[str]]:
    """[[profile, where it is defined], ...]: config file first, then credentials, sorted."""
    home = os.path.expanduser("~")
    config = os.environ.get("AWS_CONFIG_FILE") or os.path.join(home, ".aws", "config")
    credentials = os.environ.get("AWS_SHARED_CREDENTIALS_FILE") or os.path.join(home, ".aws", "credentials")
    found: dict[str, str] = {}
    for section in _sections(os.path.expanduser(config)):
        name = section[len("profile "):].strip() if section.startswith("profile ") else section.strip()
        if name and (section == "default" or section.startswith("profile ")):
            found.setdefault(name, "config")
    for section in _sections(os.path.expanduser(credentials)):
        if section.strip():
            found.setdefault(section.strip(), "credentials")
    return sorted([name, where] for name, where in found.items())
