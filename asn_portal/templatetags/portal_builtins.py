"""Template builtins loaded on every template (settings TEMPLATES OPTIONS "builtins"): a cheaper `{% url %}`.

Django's `{% url %}` runs the full `reverse()` on every call (namespace walk, candidate matching, a regex check
and URL quoting per argument): 60-90 µs each, and list pages call it once or twice per row, so 50 rows cost
several milliseconds. The URL of a named route taking only non-negative integers (the ids in our paths) differs
between two calls only by those digits, so it is reversed once per (name, argument count, URL conf, script
prefix, current app, language) with probe numbers in place of the ids, and later calls put the ids in.

A route is served this way only when reversing it with two different probe numbers gives the same URL apart
from the digits (so its patterns accept any non-negative integer in those positions). Anything else (keyword
arguments, strings, negative numbers, bools, `as var` of a failing reverse) is Django's own `reverse()`,
so the output is byte for byte what `{% url %}` renders."""

from __future__ import annotations

import itertools
import threading
from typing import Any

from django import template
from django.template import defaulttags
from django.template.base import Node, NodeList, Parser, TextNode, Token, Variable
from django.template.exceptions import TemplateSyntaxError
from django.templatetags.i18n import TranslateNode
from django.templatetags.static import StaticNode
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = template.Library()

# Numbers that never occur in a real path of this portal (probes are replaced by the real ids afterwards).
_PROBE = 917_364_829_104_556
_PROBE_ALT = 3

_Plan = tuple[str, ...] | None  # URL pieces between the argument positions, or None: always call reverse()
_plans: dict[tuple[str, int, str | None, str, str | None, str | None], _Plan] = {}
_plans_lock = threading.Lock()
_MAX_PLANS = 4096


def _plan_for(view_name: str, nargs: int, current_app: str | None) -> _Plan:
    key = (view_name, nargs, get_urlconf(), get_script_prefix(), current_app, get_language())
    plan = _plans.get(key, False)
    if plan is not False:
        return plan  # type: ignore[return-value]
    plan = _build_plan(view_name, nargs, current_app)
    with _plans_lock:
        if len(_plans) >= _MAX_PLANS:
            _plans.clear()
        _plans[key] = plan
    return plan


def _build_plan(view_name: str, nargs: int, current_app: str | None) -> _Plan:
    probes = [_PROBE + i for i in range(nargs)]
    try:  # integers, as a template passes them: a converter refusing them raises here as in Django
        url = reverse(view_name, args=probes, current_app=current_app)
        alt = reverse(view_name, args=[_PROBE_ALT] * nargs, current_app=current_app)
    except NoReverseMatch:
        return None
    pieces: list[str] = []
    rest = url
    for probe in map(str, probes):
        before, found, rest = rest.partition(probe)
        if not found or probe in rest:
            return None
        pieces.append(before)
    pieces.append(rest)
    if any(p and p[-1].isdigit() for p in pieces[:-1]) or any(p and p[0].isdigit() for p in pieces[1:]):
        return None  # a probe glued to other digits: not a plain id position
    if str(_PROBE_ALT).join(pieces) != alt:
        return None  # the route does not accept every non-negative integer the same way
    return tuple(pieces)


def fast_reverse(view_name: str, args: list[Any], current_app: str | None) -> str:
    """`reverse(view_name, args=args, current_app=current_app)`, cheaper for integer ids (see the module)."""
    if all(type(a) is int and a >= 0 for a in args):
        plan = _plan_for(view_name, len(args), current_app)
        if plan is not None:
            if not args:
                return plan[0]
            out = [plan[0]]
            for value, piece in zip(args, plan[1:], strict=True):
                out.append(str(value))
                out.append(piece)
            return "".join(out)
    return reverse(view_name, args=args, current_app=current_app)


def _current_app(context: Any) -> str | None:
    """The namespace `{% url %}` resolves in (Django's URLNode reads it so): the request's `current_app`, else the
    matched URL's namespace, else none."""
    try:
        return context.request.current_app  # type: ignore[no-any-return]
    except AttributeError:
        try:
            return context.request.resolver_match.namespace  # type: ignore[no-any-return]
        except AttributeError:
            return None


class FastURLNode(defaulttags.URLNode):
    """`{% url %}` with the cached reverse above; keyword arguments take Django's path unchanged."""

    def render(self, context: Any) -> str:
        if self.kwargs:
            return str(super().render(context))
        args = [arg.resolve(context) for arg in self.args]
        view_name = self.view_name.resolve(context)
        current_app = _current_app(context)
        url = ""
        try:
            url = fast_reverse(view_name, args, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return str(conditional_escape(url)) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> FastURLNode:
    """Django's `{% url %}` syntax and output (see the module docstring)."""
    node = defaulttags.url(parser, token)
    return FastURLNode(node.view_name, node.args, node.kwargs, node.asvar)


# `{% frozen %}…{% endfrozen %}`: a run of the base layout that holds only literal text, `{% translate "…" %}`,
# `{% static "…" %}` and `{% url "…" %}` with literal arguments (checked when the template is parsed), so its
# output depends only on the language, the URL conf and script prefix, the request's current app and
# autoescaping: rendered once per such combination and process and then written out as it is (issue #13: the
# layout's ~30 such tags on every page).
_frozen: dict[tuple[Any, ...], str] = {}
_MAX_FROZEN = 4096
_frozen_serial = itertools.count()


def _is_literal(expression: Any) -> bool:
    if expression is None:
        return True
    if expression.filters:
        return False
    var = expression.var
    return isinstance(var, str) or (isinstance(var, Variable) and var.lookups is None)


def _frozen_safe(node: Node) -> bool:
    if type(node) is TextNode:
        return True
    if type(node) is FastURLNode:
        return (
            not node.kwargs and node.asvar is None and _is_literal(node.view_name) and all(map(_is_literal, node.args))
        )
    if type(node) is TranslateNode:
        return node.asvar is None and _is_literal(node.filter_expression) and _is_literal(node.message_context)
    if type(node) is StaticNode:
        return node.varname is None and _is_literal(node.path)
    return False


class FrozenNode(Node):
    child_nodelists = ()  # holds no block or other tag a template looks for (checked when parsed)

    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist
        self.serial = next(_frozen_serial)  # never reused, unlike id(): a reparsed template gets new entries

    def render(self, context: Any) -> str:
        # The URL conf, script prefix and current app stay the same through one render (the handler sets them
        # per request): read once per template render; the language is read per run ({% language %} changes it).
        where = context.render_context.get(FrozenNode)
        if where is None:
            where = context.render_context[FrozenNode] = (get_urlconf(), get_script_prefix(), _current_app(context))
        key = (self.serial, get_language(), where, context.autoescape)
        html = _frozen.get(key)
        if html is None:
            html = self.nodelist.render(context)
            with _plans_lock:
                if len(_frozen) >= _MAX_FROZEN:
                    _frozen.clear()
                _frozen[key] = html
        return html


@register.tag
def frozen(parser: Parser, token: Token) -> FrozenNode:
    """`{% frozen %}…{% endfrozen %}` (see above): the same output as its content, rendered once per language."""
    if len(token.split_contents()) != 1:
        raise TemplateSyntaxError("'frozen' takes no arguments")
    nodelist = parser.parse(("endfrozen",))
    parser.delete_first_token()
    for node in nodelist:
        if not _frozen_safe(node):
            raise TemplateSyntaxError(f"'frozen' holds only text and literal translate/static/url tags, not {node!r}")
    return FrozenNode(nodelist)
