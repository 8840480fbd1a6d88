"""Pages from Jinja2 templates: every value escaped (autoescape), control characters removed,
Markdown rendered by the project's one Markdown reader."""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import parse_qsl

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from studyplan.adapters.content.markdown import code_html, to_html
from studyplan.core.numbers import easiness, percent
from studyplan.core.text_safety import one_line, printable
from studyplan.web.context import Site
from studyplan.web.guard import TOKEN_FIELD

MAX_FIELDS = 20


def _shown(value: Any) -> Any:
    """Every value a template prints: text without control characters (then escaped by
    autoescape); HTML the page made itself (Markup) as it is."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return printable(value)
    return "" if value is None else value


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("studyplan.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_shown,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["markdown"] = lambda text: Markup(to_html(text))
    env.filters["python"] = lambda code: Markup(code_html(code, "python"))
    env.filters["one_line"] = one_line
    env.filters["easiness"] = easiness
    env.filters["percent"] = percent
    env.filters["plural"] = lambda count, word: f"{count} {word}{'' if count == 1 else 's'}"
    return env


def page(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    site: Site = request.app.state.site
    values.setdefault("title", "")
    notices, site.notices = site.notices, []
    html = (
        environment()
        .get_template(template)
        .render(
            token=site.token, today=site.day(), path=request.url.path, notices=notices, **values
        )
    )
    return HTMLResponse(html, status_code=status)


async def form_fields(request: Request) -> dict[str, str]:
    """The fields of a posted form (url-encoded; the guard has bounded and checked it),
    the token left out."""
    body = await request.body()
    try:
        fields = parse_qsl(body.decode("utf-8", "replace"), max_num_fields=MAX_FIELDS)
    except ValueError:  # more fields than any form of these pages has
        return {}
    return {name: value for name, value in fields if name != TOKEN_FIELD}
