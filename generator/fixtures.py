from __future__ import annotations

def render_fixtures(api, version, layout, env, diags):  # replaced below
    return {}, {}
