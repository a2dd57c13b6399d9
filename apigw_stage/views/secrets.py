"""Values of stage variables that look like secrets. Pure; never returns the value itself.

Our own patterns rather than detect-secrets: stage variable values are short (the service allows
letters, digits and -._~:/?#&=, up to 2,048 characters), the detectors that matter here are a
dozen regular expressions plus detect-secrets' own entropy limits (base64 4.5, hex 3.0 bits per
character), and the library would add ~25 plugins and their imports to every `check`.
"""

import math
import re
from collections import Counter
from typing import NamedTuple

_PATTERNS = (
    ("an AWS access key id", re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])")),
    ("a private key", re.compile(r"-----BEGIN[A-Z ]*PRIVATE KEY")),
    ("a password in a URL", re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@")),
    ("a GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,})")),
    ("a Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("a Stripe live key", re.compile(r"\b[rs]k_live_[A-Za-z0-9]{16,}")),
    ("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}")),
    ("a JSON web token", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")),
)
# A name that says "secret" and a value that is not a reference to where the secret is kept.
_SECRET_NAME = re.compile(r"pass(?:word|wd)?|secret|token|api_?key|private_?key|credential", re.IGNORECASE)
_REFERENCE = re.compile(r"^(?:arn:|\{\{resolve:|\$\{|ssm:|secretsmanager:)", re.IGNORECASE)
_BASE64 = re.compile(r"[A-Za-z0-9+/=_-]{20,}")
_HEX = re.compile(r"\b[0-9a-fA-F]{32,}\b")
BASE64_LIMIT = 4.5
HEX_LIMIT = 3.0


def _entropy(text: str) -> float:
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def looks_like(name, value) -> str | None:
    """Why `value` (of variable `name`) looks like a secret, or None."""
    if not isinstance(value, str) or not value:
        return None
    for what, pattern in _PATTERNS:
        if pattern.search(value):
            return f"value looks like {what}"
    for token in _HEX.findall(value):
        if _entropy(token) > HEX_LIMIT:
            return "value is a long random-looking hex string"
    for token in _BASE64.findall(value):
        if _entropy(token) > BASE64_LIMIT:
            return "value is a long random-looking string"
    if isinstance(name, str) and _SECRET_NAME.search(name) and len(value) >= 8 and not _REFERENCE.match(value):
        return "named like a secret and holds a value, not a reference to where it is kept"
    return None


class Secret(NamedTuple):
    where: str  # "variable NAME" or "canary variable NAME": never the value
    reason: str
    name: str  # the variable's name
    path: str  # the update-stage patch path of the variable (REST)


def _scan(values, where: str, path: str) -> list[Secret]:
    found = []
    for name, value in (values.items() if isinstance(values, dict) else ()):
        reason = looks_like(name, value)
        if reason:
            found.append(Secret(f"{where} {name}", reason, name, f"{path}/{name}"))
    return found


NOT_PRINTED = "(not printed: looks like a secret, see STAGE.5)"


def redacted(doc: dict, field: str = "variables") -> dict:
    """`doc` with the value of every variable scan() flags replaced by NOT_PRINTED: for output
    that carries a whole stage next to its check results, which promise never to print a secret."""
    # By where each was found, not by splitting its patch path: a variable's name may hold a '/'.
    found = {("/canarySettings/stageVariableOverrides" if s.where.startswith("canary ") else f"/{field}", s.name)
             for s in scan(doc, field)}
    if not found:
        return doc
    out = dict(doc)
    if any(where == f"/{field}" for where, _ in found):
        out[field] = {k: NOT_PRINTED if (f"/{field}", k) in found else v for k, v in doc[field].items()}
    canary = doc.get("canarySettings")
    if isinstance(canary, dict) and any(where == "/canarySettings/stageVariableOverrides" for where, _ in found):
        overrides = canary["stageVariableOverrides"]
        out["canarySettings"] = {**canary, "stageVariableOverrides": {
            k: NOT_PRINTED if ("/canarySettings/stageVariableOverrides", k) in found else v
            for k, v in overrides.items()}}
    return out


def scan(doc: dict, field: str = "variables") -> list[Secret]:
    """Each stage variable (the family's variables field: REST `variables`, v2 `stageVariables`)
    and canary override that looks like a secret."""
    canary = doc.get("canarySettings")
    overrides = canary.get("stageVariableOverrides") if isinstance(canary, dict) else None
    return (_scan(doc.get(field), "variable", f"/{field}")
            + _scan(overrides, "canary variable", "/canarySettings/stageVariableOverrides"))
