"""HTTP and WebSocket API stages: the functions of views/present/rest.py (same arguments, same
(data, table) answer), over the v2 document (routeSettings, stageVariables; no canary)."""


def show(found, label: str):
    def table(on_terminal):
        from apigw_stage.render.v2 import show as render

        return render(found.doc, label, found.protocol, on_terminal)

    return found.doc, table


def settings(found, label: str, effective: bool, deployed):
    """routeSettings, or with `effective` the documented schema (routes.effective_data);
    `deployed` is always None: v2 stages have routes, not deployed methods."""
    from apigw_stage.model import routes

    doc = found.doc
    data = routes.effective_data(doc, found.protocol) if effective else (doc.get("routeSettings") or {})

    def table(on_terminal):
        from apigw_stage.render.v2 import settings_tree

        return settings_tree(doc, label, found.protocol, effective)

    return data, table


def variables(found, label: str, with_canary: bool):
    """stageVariables; --canary adds nothing, v2 stages have no canary."""
    def table(on_terminal):
        from apigw_stage.render.v2 import variables as render

        return render(found.doc, label)

    return found.doc.get("stageVariables") or {}, table


def canary(found, label: str):
    def table(on_terminal):
        from apigw_stage.render.v2 import no_canary

        return no_canary(found.doc)

    return found.doc.get("canarySettings"), table


def stage_list(docs: list[dict], label: str, wide: bool = False):
    def table(on_terminal):
        from apigw_stage.render.v2 import stage_list as render

        return render(docs, label, on_terminal, wide)

    return docs, table
