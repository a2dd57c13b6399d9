"""Stage documents in the wire format (epoch seconds), for the wire fixture and file tests."""

import copy
import json
import os

EXAMPLE = os.path.join(os.path.dirname(os.path.dirname(__file__)), "examples", "prod-stage.json")
CREATED = 1700000000  # 2023-11-14T22:13:20Z
UPDATED = 1732700000  # 2024-11-27T09:33:20Z


def wire_stage(**changes) -> dict:
    """The bundled example as the service sends it: epoch timestamps, every field present."""
    with open(EXAMPLE) as handle:
        doc = json.load(handle)
    doc["createdDate"] = CREATED
    doc["lastUpdatedDate"] = UPDATED
    doc.update(copy.deepcopy(changes))
    return doc


HOSTILE = "[bold red]x[/] \x1b[31mred\x1b[0m \x1b]0;title\x07 \x07bell \rcr \u202etxet\u202c \x9b2J \u200bzw"
WIDE = "表示名🙂ｗｉｄｅ"  # double-width characters (CJK, emoji, fullwidth Latin)
UNSAFE_CHARS = ["\x1b", "\x07", "\r", "\u202e", "\u202c", "\x9b", "\u200b"]


def hostile_stage(size: int = 10_000) -> dict:
    """The example with markup, escapes, bidi, zero-width and double-width text and strings of
    `size` characters in every string field, map key and method key; plus an unknown field."""
    long = (WIDE + HOSTILE) * (size // len(WIDE + HOSTILE) + 1)
    long = long[:size]
    doc = wire_stage(
        description=long, deploymentId=WIDE, webAclArn=long, clientCertificateId=HOSTILE,
        documentationVersion=WIDE, tags={HOSTILE: long, WIDE: WIDE},
        variables={"v": long, WIDE: HOSTILE, "[b]k[/b]": "x"},
        futureField={"nested": [HOSTILE, 1, None]},
    )
    doc["methodSettings"][HOSTILE + "/GET"] = {"loggingLevel": HOSTILE}
    doc["methodSettings"]["~1" + WIDE + "/POST"] = {"loggingLevel": long, "metricsEnabled": True}
    doc["canarySettings"]["stageVariableOverrides"] = {"v": HOSTILE + "!", WIDE: long}
    doc["canarySettings"]["deploymentId"] = WIDE
    doc["accessLogSettings"] = {"format": long, "destinationArn": HOSTILE}
    return doc
