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
