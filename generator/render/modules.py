"""The render stage: plans -> Python sources, with Jinja2 (StrictUndefined).

Templates read the plan (:mod:`generator.plan`) and nothing else; the filters here only turn a
planned value into the text of one expression (a literal, the f-string field writing a value).
Formatting (black) and writing are later stages.
"""

from __future__ import annotations

import os

import jinja2

from ..core import store
from ..core.templateset import TemplateSet
from ..plan.model import AgentPlan, ValuePlan, VersionPlan
from ..plan.text import lit, py_literal
from .prefit import strip_parens


def markup(v: ValuePlan, expr: str) -> str:
    """The f-string replacement field writing the text of a simple value `expr` (escaped
    where the lexical form can hold markup)."""
    if v.kind == "enum":
        return f"{{{expr}.value}}" if v.text_safe else f"{{_rt.esc({expr}.value)}}"
    if v.kind == "flags":
        return f"{{_rt.esc(_rt.flag_names({expr}))}}"
    if v.write == "str":
        return f"{{_rt.esc({expr})}}"
    if v.write == "int":
        return f"{{{expr}:d}}"
    if v.write == "bool":
        return f"{{'true' if {expr} else 'false'}}"
    return f"{{{v.fmt}({expr})}}"  # the other lexical forms never need escaping


def attr_markup(v: ValuePlan, expr: str) -> str:
    """The f-string replacement field writing a simple value as an attribute value (inside an
    f-string quoted with ', so it never holds one: Python 3.11 would not compile it)."""
    if v.kind == "enum":
        return f"{{_rt.esc_attr({expr}.value)}}"
    if v.kind == "flags":
        return f"{{_rt.esc_attr(_rt.flag_names({expr}))}}"
    if v.write == "str":
        return f"{{_rt.esc_attr({expr})}}"
    if v.write == "bool":
        return f'{{"true" if {expr} else "false"}}'
    return markup(v, expr)


def environment(templates: TemplateSet, generator: str | None = None) -> jinja2.Environment:
    """The templates' Jinja2 environment; with the generator's source hash, compiled templates
    are cached (Jinja2 keys them by source only, so one folder per generator)."""
    cache: jinja2.BytecodeCache | None = None
    if generator:
        try:
            folder = os.path.join(store.CACHE_DIR, "jinja", generator[:16])
            os.makedirs(folder, exist_ok=True)
            cache = jinja2.FileSystemBytecodeCache(folder)
        except OSError:
            cache = None
    env = jinja2.Environment(
        loader=templates.loader(),
        bytecode_cache=cache,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["pylit"] = lambda v: py_literal(v) if isinstance(v, tuple | list) else lit(v)
    env.filters["rhs"] = strip_parens
    env.filters["markup"] = markup
    env.filters["attr_markup"] = attr_markup
    return env


def render_agent(env: jinja2.Environment, agent: AgentPlan) -> str:
    return env.get_template("agent.py.j2").render(a=agent)


def render_types(env: jinja2.Environment, version: VersionPlan) -> str:
    return env.get_template("types.py.j2").render(v=version)


def render_init(env: jinja2.Environment, version: VersionPlan) -> str:
    return env.get_template("package_init.py.j2").render(v=version)
