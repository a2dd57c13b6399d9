"""An API named by id or by name. Something that looks like an id is used as one, so the common
case costs no extra call; anything else (or an id-like word the service does not know) is looked
up by name in GetRestApis, all pages."""

import difflib

from apigw_stage.core.errors import NotFound, UsageError
from apigw_stage.core.names import looks_like_id

# API Gateway ids are ten lower-case letters and digits (e.g. a1b2c3d4e5).
def _listed(apis: list[dict], mixed: bool = False) -> str:
    """`name (id)` of each API; `mixed` (both families listed): `name (id, TYPE API)`."""
    from apigw_stage.core.text import visible

    def one(a):
        kind = f", {visible(str(a.get('type')))} API" if mixed else ""
        return f"{visible(str(a.get('name')))} ({visible(str(a.get('id')))}{kind})"

    return ", ".join(one(a) for a in apis)


def by_name(client, name: str) -> str:
    """The id of the one REST API called `name` (GetRestApis, all pages); see pick."""
    apis = [a for a in client.get_rest_apis() if isinstance(a.get("id"), str)]
    return pick(apis, name, client.region)["id"]


def pick(apis: list[dict], name: str, region: str | None, title: str = "REST API", mixed: bool = False) -> dict:
    """The one API ({"id", "name", ...}) called `name`; exit 2 when several are (each listed,
    with its type when `mixed`: REST, HTTP, WEBSOCKET), exit 3 with close matches when none.
    `title` names what was searched (REST API; API when both families were)."""
    exact = [a for a in apis if a.get("name") == name]
    if len(exact) == 1:
        return exact[0]
    where = region or "this region"
    plural = title.replace(" API", " APIs") if title.endswith(" API") else title + "s"
    if exact:
        hint = "give the id, or --family rest|v2" if mixed and len({a.get("type") == "REST" for a in exact}) > 1 \
            else "give the id instead"
        raise UsageError(f"{len(exact)} {plural} are named {name!r} in {where}: {_listed(exact, mixed)}", hint)
    names = sorted({a["name"] for a in apis if isinstance(a.get("name"), str)})
    if not names:
        raise NotFound(f"no {title} {name!r} in {where}: the account has no {plural} there",
                       "check --region and --profile")
    near = difflib.get_close_matches(name, names, n=5, cutoff=0.5)
    if not near:
        raise NotFound(f"no {title} {name!r} in {where}",
                       f"{len(apis)} APIs there, none with a similar name; check --region and --profile")
    near_apis = [a for n in near for a in apis if a.get("name") == n][:5]
    raise NotFound(f"no {title} {name!r} in {where}", f"closest: {_listed(near_apis, mixed)}")


def resolve(client, token: str) -> str:
    """An API id for `token` (an id or a name); an id-like token costs no call."""
    return token if looks_like_id(token) else by_name(client, token)
