"""Values of stage variables that look like secrets. Pure; never returns the value itself.

Our own patterns rather than detect-secrets: stage variable values are short (the service allows
letters, digits and -._~:/?#&=, up to 2,048 characters), the detectors that matter here are a
dozen regular expressions plus detect-secrets' own entropy limits (base64 4.5, hex 3.0 bits per
character), and the library would add ~25 plugins and their imports to every `check`.

Shapes read from well-kept scanners' rules (issue 20.13; rules read, no code taken): detect-secrets'
KeywordDetector denylist (password, passwd, pwd, secret, api/auth/client/db/private key, db/key
pass) and BasicAuthDetector (user:password@ in a URL); gitleaks' default config (generic-api-key
keywords, curl's `-H Authorization: Basic/Bearer`, GitLab, npm, SendGrid, Slack webhook and
OpenAI key prefixes); trufflehog's URI detector (credentials in a URL) and its placeholder
filter. A look-alike (a pagination token, a CSRF field, `Bearer` as a word, `${stageVariables.x}`)
is left alone: tests/test_secret_shapes.py holds both lists.
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
    ("a GitLab token", re.compile(r"\bgl(?:pat|dt|rt|ptt)-[A-Za-z0-9_-]{20,}")),
    ("an npm token", re.compile(r"\bnpm_[A-Za-z0-9]{36}\b")),
    ("a SendGrid key", re.compile(r"\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b")),
    ("a Slack webhook URL", re.compile(r"hooks\.slack\.com/(?:services|workflows)/[A-Za-z0-9_/+-]{20,}")),
    ("an OpenAI or Anthropic key", re.compile(r"\bsk-(?:proj-|ant-(?:api|admin)\d\d-)?[A-Za-z0-9_-]{32,}")),
)
# `Authorization: Basic <base64 user:password>` or `Bearer <token>`, with any separator a value
# can hold (a space, %20, +, :, =); the credential must look like one (length, alphabet).
_AUTH_HEADER = re.compile(r"(?i)\b(basic|bearer)(?:\s+|%20|\+|:|=)([A-Za-z0-9._~+/-]{12,}=*)")
# A URL's query parameters (`?user=admin&password=...`; `;` separates them too).
_QUERY = re.compile(r"[?&;]([A-Za-z0-9_.\-\[\]]+)=([^&#;\s]*)")
# Parameter names that carry a secret, AWS's and Azure's presigned-URL signatures included.
_SECRET_PARAM = re.compile(
    r"(?i)^(?:.*[_.-])?(?:pass(?:word|wd|phrase)?|pwd|pw|secret|client_?secret|token|access_?token|auth_?token"
    r"|id_?token|refresh_?token|api_?key|apikey|access_?key|auth|private_?key|sig|signature|x-amz-signature"
    r"|x-amz-security-token|x-amz-credential|credentials?)$")
# ...unless the name says it is only a position or a form's anti-forgery field.
_NOT_SECRET_PARAM = re.compile(r"(?i)(?:next|page|continuation|pagination|sync|csrf|xsrf)[_.-]?token$")
# A name that says "secret" and a value that is not a reference to where the secret is kept.
_SECRET_NAME = re.compile(r"password|passwd|secret|token|api_?key|private_?key|credential", re.IGNORECASE)
_REFERENCE = re.compile(r"^(?:arn:|\{\{resolve:|\$\{|ssm:|secretsmanager:)", re.IGNORECASE)
# Words of a variable name (DB_PWD, dbPwd, db-pwd) that mark a password or a key, as detect-secrets'
# denylist has them: a whole word, so `compass_width` or `bypassMode` is not one.
_SECRET_WORDS = {"pwd", "pw", "passwd", "passphrase", "pass", "password", "secret", "credential", "credentials"}
_KEY_OWNERS = {"api", "auth", "service", "account", "db", "database", "priv", "private", "client", "signing",
               "encryption", "master", "secret", "access", "app"}
_NOT_A_KEY = {"id", "name", "arn", "alias", "path", "file", "url", "version", "type", "length", "size"}
# What scanners treat as a placeholder, not a value (trufflehog's and detect-secrets' filters).
_PLACEHOLDER = re.compile(r"(?i)^(?:|none|null|nil|true|false|undefined|redacted|example|placeholder"
                          r"|x+|\*+|\.+|-+|<[^>]*>|\{\{[^}]*\}\}|\$\{[^}]*\}|\$[A-Za-z_.]+|%[A-Za-z_]+%)$")
_BASE64 = re.compile(r"[A-Za-z0-9+/=_-]{20,}")
_HEX = re.compile(r"\b[0-9a-fA-F]{32,}\b")
BASE64_LIMIT = 4.5
HEX_LIMIT = 3.0


def _entropy(text: str) -> float:
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def _words(name: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+", name)]


def _named_like_a_secret(name) -> bool:
    if not isinstance(name, str):
        return False
    if _SECRET_NAME.search(name):
        return True
    words = _words(name)
    if _SECRET_WORDS.intersection(words):
        return True
    # api_key, CLIENT_KEY, signingKey... but not ACCESS_KEY_ID or cacheKeyName.
    return any(word in ("key", "keys") and i and words[i - 1] in _KEY_OWNERS
               and (i + 1 == len(words) or words[i + 1] not in _NOT_A_KEY) for i, word in enumerate(words))


def _in_query(value: str) -> bool:
    for param, given in _QUERY.findall(value):
        if _SECRET_PARAM.match(param) and not _NOT_SECRET_PARAM.search(param) and not _PLACEHOLDER.match(given):
            return True
    return False


def _auth_header(value: str) -> bool:
    for kind, credential in _AUTH_HEADER.findall(value):
        if _PLACEHOLDER.match(credential):
            continue
        if kind.lower() == "bearer":
            return len(credential) >= 12 and any(c.isdigit() for c in credential) and any(c.isalpha() for c in credential)
        import base64
        import binascii

        try:  # Basic: base64 of user:password
            decoded = base64.b64decode(credential, validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            continue
        if ":" in decoded.strip(":"):
            return True
    return False


def looks_like(name, value) -> str | None:
    """Why `value` (of variable `name`) looks like a secret, or None."""
    if not isinstance(value, str) or not value:
        return None
    for what, pattern in _PATTERNS:
        if pattern.search(value):
            return f"value looks like {what}"
    if _in_query(value):
        return "value looks like a password or key in a URL's query string"
    if _auth_header(value):
        return "value looks like an HTTP Basic or Bearer credential"
    for token in _HEX.findall(value):
        if _entropy(token) > HEX_LIMIT:
            return "value is a long random-looking hex string"
    for token in _BASE64.findall(value):
        if _entropy(token) > BASE64_LIMIT:
            return "value is a long random-looking string"
    if _named_like_a_secret(name) and len(value) >= 8 and not _REFERENCE.match(value) and not _PLACEHOLDER.match(value):
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
