"""Shell completion of API ids and stage names (filled in by the completion work)."""


def complete_api_id(ctx, incomplete: str):
    return []


def complete_stage(ctx, incomplete: str):
    return []
