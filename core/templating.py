"""The one Jinja environment: autoescaping, gettext, url helpers, date filters."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, MutableMapping
from contextvars import ContextVar
from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    pass_eval_context,
    select_autoescape,
)
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from markupsafe import Markup, escape
from starlette.datastructures import URL
from starlette.requests import Request
from starlette.routing import BaseRoute, NoMatchFound
from starlette.templating import Jinja2Templates

from core import answers, i18n, questions, storage
from core.flash import pop_flashes
from core.routing import flat
from core.security import csrf_token
from core.settings import ROOT

T = TypeVar("T")

TEMPLATE_DIR = ROOT / "templates"
# The request being rendered, for globals used inside imported macros (`{% from ... import %}`
# gives a macro the environment's globals, not the page's context).
_rendering: ContextVar[Request | None] = ContextVar("manassa_rendering", default=None)


def _csrf_token_global() -> str:
    return csrf_token(_request_being_rendered("csrf_token"))


URL_CACHE_SIZE = 4096
_SITE = "manassa.site"  # the scope's key for site_of's answer


def site_of(request: Request) -> tuple[Any, ...]:
    """What the request's base URL is made of, as Starlette reads it (the scheme, the first
    Host header, the server, the root path), as the key of what is kept per site address (the
    addresses url_for makes, the header, the nav links): the same key always makes the same
    base URL. Building request.base_url itself (6 µs) is left to a miss. Worked out once per
    request, kept in its scope."""
    scope = request.scope
    site: tuple[Any, ...] | None = scope.get(_SITE)
    if site is None:
        host = next((value for name, value in scope["headers"] if name == b"host"), None)
        root = scope.get("app_root_path", scope.get("root_path", ""))
        site = scope[_SITE] = (scope.get("scheme", "http"), host, scope.get("server"), root)
    return site


def url_for(request: Request, name: str, /, **path_params: Any) -> URL:
    """request.url_for, remembered per app: the address made for a name and its parameters
    (URLs are immutable), and the route that answered a name (Starlette's own lookup tries the
    routes one by one); one page makes a dozen calls (stylesheet, logo, header links ...)."""
    cache: dict[tuple[Any, ...], URL] | None = getattr(request.app.state, "url_cache", None)
    if cache is None:  # an app not made by create_app
        return _made_url(request, name, path_params)
    try:
        key = (site_of(request), name, *sorted(path_params.items()))
        return cache[key]
    except TypeError:  # an unhashable parameter: not kept
        return _made_url(request, name, path_params)
    except KeyError:
        if len(cache) >= URL_CACHE_SIZE:
            cache.clear()
        url = cache[key] = _made_url(request, name, path_params)
        return url


ID_MARKER = 987_654_321


def id_urls(request: Request, name: str, param: str, /, **path_params: Any) -> Callable[[int], str]:
    """The addresses of one route for many ids (a list page's rows): url_for's address made
    once, each id put where a marker id stood (url_for once per row cost as much as the rest
    of the row). The last occurrence: the id sits in the path, after anything the site's own
    address holds."""
    made = str(url_for(request, name, **path_params, **{param: ID_MARKER}))
    head, tail = made.rsplit(str(ID_MARKER), 1)
    return lambda found: f"{head}{int(found)}{tail}"


def _made_url(request: Request, name: str, path_params: dict[str, Any]) -> URL:
    routes: dict[tuple[str, frozenset[str]], BaseRoute] | None = getattr(
        request.app.state, "route_cache", None
    )
    if routes is None:  # an app not made by create_app
        return request.url_for(name, **path_params)
    key = (name, frozenset(path_params))
    route = routes.get(key)
    if route is None:
        route = _route_named(request.app.router.routes, name, path_params)
        if route is None:
            raise NoMatchFound(name, path_params)
        routes[key] = route
    return route.url_path_for(name, **path_params).make_absolute_url(base_url=request.base_url)


def _route_named(
    routes: Iterable[BaseRoute], name: str, params: dict[str, Any]
) -> BaseRoute | None:
    for route in flat(routes):
        try:
            route.url_path_for(name, **params)
        except NoMatchFound:
            continue
        return route
    return None


def _url_for(name: str, /, **path_params: Any) -> URL:
    """url_for for templates: of the request being rendered (not passed by the template's
    context: a context function called in a loop makes Jinja copy the context each call)."""
    return url_for(_request_being_rendered("url_for"), name, **path_params)


def _context(request: Request) -> dict[str, Any]:
    """What every page's template is given (Starlette's context processor): _page_values,
    and the site header made with them."""
    values = _page_values(request)
    values["site_header"] = site_header(request, values)
    return values


def _page_values(request: Request) -> dict[str, Any]:
    _rendering.set(request)
    lang = i18n.get_locale()
    other = "en" if lang == "ar" else "ar"
    # the path as request.url has it (its ? # and \ escaped), without building the URL; one
    # leading slash: a request for //other.site/x must not link to another site
    path = "/" + request.scope["path"].translate(_PATH_ESCAPES).lstrip("/")
    return {
        "lang": lang,
        "dir": i18n.direction(),
        "other_lang": other,
        "other_lang_name": i18n.LANGUAGES[other]["name"],
        "switch_url": path + "?" + _with_lang(request, other),
        "switch_next": path + _without_lang(request),
        "current_user": getattr(request.state, "user", None),
        "settings": request.app.state.settings,
    }


def _request_being_rendered(helper: str) -> Request:
    request = _rendering.get()
    if request is None:
        raise RuntimeError(f"{helper}() is only available while rendering a request")
    return request


def _flashes_global() -> list[list[str]]:
    return pop_flashes(_request_being_rendered("flashes"))


def _nav_links_global() -> list[tuple[str, str]]:
    return nav_links(_request_being_rendered("nav_links"))


NAV_KEPT = 1024


def nav_links(request: Request) -> list[tuple[str, str]]:
    """The header's links from every domain's nav provider, made once per language, site
    address and signed-in person's roles (a provider's links depend on nothing else: see
    core.hooks.NavProvider) instead of on every page (each link is a route lookup and an
    absolute URL)."""
    user = getattr(request.state, "user", None)
    who = None if user is None else (bool(user.is_admin), user.roles)
    key = (i18n.get_locale(), site_of(request), who)
    kept: dict[Any, list[tuple[str, str]]] | None = getattr(request.app.state, "nav_cache", None)
    if kept is None:  # an app not made by create_app
        return [link for provider in request.app.state.hooks.nav for link in provider(request)]
    found = kept.get(key)
    if found is None:
        if len(kept) >= NAV_KEPT:
            kept.clear()
        found = kept[key] = [
            link for provider in request.app.state.hooks.nav for link in provider(request)
        ]
    return found


_PATH_ESCAPES = str.maketrans({"?": "%3F", "#": "%23", "\\": "%5C"})


def _without_lang(request: Request) -> str:
    if not request.scope.get("query_string"):  # most pages: no query to parse
        return ""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return "?" + urlencode(params) if params else ""


def _with_lang(request: Request, lang: str) -> str:
    if not request.scope.get("query_string"):
        return "lang=" + lang
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return urlencode([*params, ("lang", lang)])


def left_to_right(value: object) -> Markup:
    """Isolate a left-to-right value (an e-mail, a code) inside a right-to-left sentence, so
    the sentence's punctuation stays where it belongs. The value itself is escaped."""
    return Markup('<bdi dir="ltr">{}</bdi>').format(value)


class InLanguage(str):
    """A value whose language is known (organizer content in `_ar`/`_en` fields)."""

    lang: str = ""


def _localized(obj: Any, field: str, lang: str | None = None) -> str:
    """i18n.localized for templates: the value remembers its language, for `|auto`."""
    value, code = i18n.localized_in(obj, field, lang)
    shown = InLanguage(value)
    shown.lang = code
    return shown


def user_written(value: object, lang: str | None = None) -> Markup:
    """A value someone typed (a name, a title, an answer), isolated in its own direction:
    an Arabic team name on an English page stays beside its label, and an English title keeps
    its punctuation on an Arabic page. The value is escaped; empty stays empty (and falsy), so
    `{{ x|auto or "—" }}` still works. `lang` is added when it is known."""
    if value is None or value == "":
        return Markup("")
    lang = lang or getattr(value, "lang", "")
    # escape() treats the value as `%` and `format` do (markup kept, anything else escaped as
    # text), at half the cost of `%` (a long list calls this a few hundred times a page)
    if lang:
        return Markup(f'<bdi dir="auto" lang="{escape(lang)}">{escape(value)}</bdi>')  # noqa: S704
    return Markup(f'<bdi dir="auto">{escape(value)}</bdi>')  # noqa: S704 - escaped


def written_in(ar: str, en: str, lang: str) -> Markup:
    """`localized(x, field)|auto` from a field's two values: the one in the reader's language
    `lang` (else the other), isolated and marked with the language it is written in; empty
    when both are."""
    first, second = (ar, en) if lang == "ar" else (en, ar)
    if first:
        return user_written(first, lang)
    return user_written(second, "en" if lang == "ar" else "ar") if second else Markup("")


def _interpolate(context: EvalContext, text: str, variables: dict[str, Any]) -> str:
    """A translation is text, never HTML: in an HTML template the translated sentence is
    escaped, and so is every value put into it, except values that are markup on purpose
    (built with Markup, such as `value|ltr`)."""
    if context.autoescape:
        return Markup.escape(text) % variables
    return text % variables


TRANSLATED_KEPT = 8192
_translated: dict[tuple[str, str], str] = {}
"""Each sentence without variables as an HTML template shows it, per language: translated,
escaped and %-formatted once per process instead of on every call (a page of 50 result rows
asks for hundreds). The catalogs do not change while the process runs; the same text for
every reader, so nothing personal is kept."""


# The translation helpers take the evaluation context (whether the template escapes), not the
# template's context: Jinja copies the context for a context function called in a loop.
@pass_eval_context
def _gettext(context: EvalContext, message: str, **variables: Any) -> str:
    if variables or not context.autoescape:
        return _interpolate(context, i18n.gettext(message), variables)
    key = (i18n.get_locale(), message)
    try:
        return _translated[key]
    except KeyError:
        if len(_translated) >= TRANSLATED_KEPT:  # only if templates translate computed text
            _translated.clear()
        shown = _translated[key] = _interpolate(context, i18n.gettext(message), {})
        return shown


@pass_eval_context
def _ngettext(context: EvalContext, singular: str, plural: str, num: int, **variables: Any) -> str:
    text = i18n.translations(i18n.get_locale()).ngettext(singular, plural, num)
    return _interpolate(context, text, {"num": num, **variables})


HEADERS_KEPT = 2048
_SWITCH_URL = Markup("<manassa-switch-url>")
_SWITCH_NEXT = Markup("<manassa-switch-next>")
"""Where the language switch's addresses go in a kept header: markup no rendered value can
contain (a value typed by someone, "<manassa-switch-url>" in a display name, is escaped)."""


def site_header(request: Request, page: dict[str, Any]) -> Markup:
    """The site header (templates/_site_header.html) of a page whose context processor's
    values are `page` (_context), rendered once per language, site address and signed-in
    person (their name, roles and form token) instead of on every page (a fifth of a signed-in
    page's rendering: a dozen links and sentences); only the language switch's addresses
    differ from page to page, and are put in escaped. Made with the page's other values,
    before its template runs: as a helper the template called, it cost a signed-in page a
    sixth of its base's instructions more (Jinja's context call, the context's lookups)."""
    user = page["current_user"]
    switch_url, switch_next = escape(page["switch_url"]), escape(page["switch_next"])
    kept: dict[tuple[Any, ...], str] | None = getattr(request.app.state, "header_cache", None)
    if kept is None:  # an app not made by create_app
        return _header(request, page, switch_url, switch_next)
    who = None
    if user is not None:
        who = (user.id, user.display_name, bool(user.is_admin), user.roles, csrf_token(request))
    key = (page["lang"], site_of(request), who)
    found = kept.get(key)
    if found is None:
        if len(kept) >= HEADERS_KEPT:
            kept.clear()
        found = kept[key] = str(_header(request, page, _SWITCH_URL, _SWITCH_NEXT))
    return Markup(found.replace(_SWITCH_URL, switch_url).replace(_SWITCH_NEXT, switch_next))  # noqa: S704 - rendered escaped, the addresses escaped


HEADS_KEPT = 64


def _site_head_global() -> Markup:
    """The page head's stylesheet, icon and script links (templates/_site_head.html), made
    once per site address (site_of) instead of by three url_for calls on every page."""
    request = _request_being_rendered("site_head")
    kept: dict[tuple[Any, ...], Markup] | None = getattr(request.app.state, "head_cache", None)
    if kept is None:  # an app not made by create_app
        return _head()
    key = site_of(request)
    found = kept.get(key)
    if found is None:
        if len(kept) >= HEADS_KEPT:
            kept.clear()
        found = kept[key] = _head()
    return found


def _head() -> Markup:
    return Markup(environment.get_template("_site_head.html").render())  # noqa: S704 - an autoescaped template


def _header(
    request: Request, page: dict[str, Any], switch_url: Markup, switch_next: Markup
) -> Markup:
    values = {**page, "request": request, "switch_url": switch_url, "switch_next": switch_next}
    return Markup(environment.get_template("_site_header.html").render(values))  # noqa: S704 - an autoescaped template


class _Context(Context):
    """Jinja's context, calling the helpers a page calls most without asking each call what
    it wants passed: Jinja's `call` looks for `pass_context` marks on the object and on its
    `__call__` every time (a list page makes a few hundred calls). Built-in functions and
    methods (`item.get`, `dict.items`) cannot carry a mark, and our own helpers are known:
    plain ones are called as they are, the translation helpers with the evaluation context
    (what `pass_eval_context` asks for). Anything else goes through Jinja's own `call`."""

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's names
        kind = type(__obj)
        if kind is BuiltinFunctionType or (
            (kind is FunctionType or kind is MethodType) and __obj in _PLAIN_HELPERS
        ):
            pass
        elif kind is FunctionType and __obj in _EVAL_CONTEXT_HELPERS:
            args = (__self.eval_ctx, *args)
        else:
            return super().call(__obj, *args, **kwargs)
        if kwargs:  # what Jinja adds for context functions called in a loop or a block
            kwargs.pop("_loop_vars", None)
            kwargs.pop("_block_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:  # as Jinja's call answers it
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


_EVAL_CONTEXT_HELPERS = frozenset({_gettext, _ngettext})
_PLAIN_HELPERS: set[Callable[..., Any]] = {
    _url_for,
    _localized,
    _csrf_token_global,
    _flashes_global,
    _nav_links_global,
    _site_head_global,
    i18n.hijri_date,
    answers.display,
}


def plain_helpers(*functions: Callable[..., Any]) -> None:
    """Say that these template helpers take nothing from the template (no `pass_context` or
    the like): the environment's context then calls them directly. A domain names the
    helpers its pages call per row (its label lookups, offered through its page_context)."""
    _PLAIN_HELPERS.update(functions)


class _Environment(Environment):
    """Jinja's environment, giving each template its globals as one plain dict.

    Jinja gives a template a ChainMap of its own globals over the environment's, and every
    render (and every include or macro import) copies it into the new context key by key in
    Python: 17 µs of a signed-in page's 0.33 ms floor, for twenty names. A plain dict is
    copied in C (under 1 µs). What a template sees is the same, the template's own globals
    over the environment's; Jinja's documentation asks not to change globals once a template
    is loaded (make_globals), and build_environment sets them all before any is."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


def build_environment() -> Environment:
    env = _Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        cache_size=1000,
    )
    env.context_class = _Context
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext, i18n.ngettext, newstyle=True
    )
    # Jinja's own new-style callables trust the translation as markup (Markup(translation)):
    # ours escape it. `_` resolves "gettext", so it escapes too, as {% trans %} blocks do.
    env.globals.update(gettext=_gettext, ngettext=_ngettext)
    # `_` as our gettext itself: the extension's `_` looks "gettext" up and calls it on every
    # use (two context calls for each of a page's few dozen sentences instead of one).
    env.globals["_"] = _gettext
    env.globals.update(
        localized=_localized,
        hijri=i18n.hijri_date,
        csrf_token=_csrf_token_global,
        flashes=_flashes_global,
        site_head=_site_head_global,
        nav_links=_nav_links_global,
        url_for=_url_for,
        # an organizer's own questions (templates/_macros/questions.html, question_editor.html)
        answer=answers.display,
        question_kinds=questions.KIND_LABELS,
    )
    env.filters.update(
        datetime=i18n.format_datetime,
        date=i18n.format_date,
        number=i18n.format_number,
        zone_name=i18n.zone_name,
        filesize=storage.human_size,
        file_kinds=storage.kinds_list,
        ltr=left_to_right,
        auto=user_written,
    )
    return env


environment = build_environment()
templates = Jinja2Templates(env=environment, context_processors=[_context])


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Any:
    return templates.TemplateResponse(
        request, name, context or {}, status_code=status_code, headers=headers
    )


FRAGMENTS_KEPT = 4096


class Kept(Generic[T]):
    """What a part of a page is made of (its HTML, or the several parts a page lists), kept
    per process by every value it is made from, in the reader's language: a page that reads
    the same from one request to the next until one of its values changes is made once, as a
    function's results are kept by their arguments. The page's reads, permission checks and
    clock are still worked out on every request, and their answers are the key: only what is
    made from them is kept. The caller's key must therefore hold everything `make()` turns
    into what the page shows (links included); the reader's language is added here. Bounded:
    emptied when one more would be kept past `kept`."""

    def __init__(self, kept: int = FRAGMENTS_KEPT) -> None:
        self.kept = kept
        self._made: dict[tuple[str, Hashable], T] = {}

    def __len__(self) -> int:
        return len(self._made)

    def __call__(self, key: Hashable, make: Callable[[], T]) -> T:
        lang = i18n.get_locale()
        try:
            return self._made[(lang, key)]
        except KeyError:
            if len(self._made) >= self.kept:
                self._made.clear()
            found = self._made[(lang, key)] = make()
            return found


class Fragment:
    """A part of a page (a row, a card) rendered from its own template and kept (Kept) by
    every value it shows: a judge's queue or a nominator's cards read the same from one
    request to the next until one of their values changes, and rendering each value of each
    row again (escaping, isolating, formatting) was most of such a page's cost. The template
    is rendered as a mail is (render_string): it has the translation helpers, and no request
    (no url_for: links come in the values)."""

    def __init__(self, name: str, kept: int = FRAGMENTS_KEPT) -> None:
        self.name = name
        self._made: Kept[Markup] = Kept(kept)

    @property
    def kept(self) -> int:
        return self._made.kept

    def __len__(self) -> int:
        return len(self._made)

    def __call__(self, key: Hashable, values: Callable[[], dict[str, Any]]) -> Markup:
        return self._made(key, lambda: Markup(render_string(self.name, values())))  # noqa: S704 - an autoescaped template


def render_string(name: str, context: dict[str, Any]) -> str:
    """Render outside a request (mails, exports) in the current locale."""
    base = {"lang": i18n.get_locale(), "dir": i18n.direction()}
    return environment.get_template(name).render({**base, **context})
