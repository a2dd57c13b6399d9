"""REST API stages. Each function takes what the command fetched (source.Stage `found`, the
label naming where it came from) and returns (data, table): the data json/yaml print and a
function of on_terminal that builds the table (output.emit calls it only for a table, so the
renderers are imported only then). v2.py has the same functions for HTTP and WebSocket stages."""


def show(found, label: str):
    def table(on_terminal):
        from apigw_stage.render.tables import show as render

        return render(found.doc, label, on_terminal)

    return found.doc, table


def settings(found, label: str, effective: bool, deployed):
    """methodSettings, or with `effective` the documented schema (methods.effective_data);
    `deployed`: the stage's deployed methods (--all-methods) or None."""
    from apigw_stage.model import methods

    doc = found.doc
    data = methods.effective_data(doc, deployed) if effective else (doc.get("methodSettings") or {})

    def table(on_terminal):
        from apigw_stage.render.tree import settings_tree

        return settings_tree(doc, label, effective, deployed)

    return data, table


def variables(found, label: str, with_canary: bool):
    doc = found.doc
    data = doc.get("variables") or {}
    if with_canary:
        overrides = (doc.get("canarySettings") or {}).get("stageVariableOverrides") or {}
        data = {"variables": data, "stageVariableOverrides": overrides}

    def table(on_terminal):
        from apigw_stage.render.tables import variables as render

        return render(doc, label, with_canary)

    return data, table


def canary(found, label: str):
    def table(on_terminal):
        from apigw_stage.render.tables import canary as render

        return render(found.doc, label)

    return found.doc.get("canarySettings"), table


def stage_list(docs: list[dict], label: str, wide: bool = False):
    def table(on_terminal):
        from apigw_stage.render.listing import stage_list as render

        return render(docs, label, on_terminal, wide)

    return docs, table
