"""The render stage: plans -> Python modules, fixtures and schema files, with Jinja2."""
