"""The cascade page's long lists (a head's RHK supported by hundreds of subordinates' RHK, one checkbox per
direct report), written as HTML in one pass: the same markup a template loop gives, without a template variable
lookup, a filter call or a lazy-escaping call per row. Every value is escaped with `html.escape` (the same five
characters as Django's `escape`)."""

from __future__ import annotations

from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from performance.plans.selectors import CascadeNode

register = template.Library()


def _e(value: Any) -> str:
    return escape(str(value))


def _grandchildren(node: CascadeNode) -> str:
    if not node.children:
        return ""
    return "<ul>" + "".join(f'<li class="small">{_e(g.owner)}: {_e(g.text)}</li>' for g in node.children) + "</ul>"


def _children(node: CascadeNode) -> str:
    return "".join(f"<li>{_e(c.owner)}: {_e(c.text)}\n    {_grandchildren(c)}</li>" for c in node.children)


@register.simple_tag
def cascade_children(node: CascadeNode) -> SafeString:
    """`<li>` per subordinate RHK supporting `node`, each with the RHK cascaded from it in turn."""
    return mark_safe(_children(node))  # noqa: S308 (every value escaped above)


@register.simple_tag
def cascade_tree_items(tree: list[CascadeNode]) -> SafeString:
    """One card per RHK of the head: what it supports (the RHK above, cut at 90 characters as `truncatechars`),
    its kind and text, and the subordinates' RHK under it."""
    supports, none_yet = _e(gettext("Mengintervensi:")), _e(gettext("Belum diturunkan ke bawahan."))
    labels: dict[str, str] = {}
    out = []
    for r in tree:
        label = labels.get(r.kind)
        if label is None:
            label = labels[r.kind] = _e(r.kind_label)
        parent = (
            f'<div class="small text-body-secondary">{supports} {_e(Truncator(r.parent_text).chars(90))} '
            f"({_e(r.parent_owner)})</div>"
            if r.parent_text
            else ""
        )
        children = _children(r) if r.children else f'<li class="small text-body-secondary">{none_yet}</li>'
        out.append(
            f'<li class="card mb-3"><div class="card-body">\n  {parent}\n'
            f'  <div class="fw-semibold">{label}: {_e(r.text)}</div>\n'
            f'  <ul class="mt-2">{children}</ul>\n</div></li>'
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


@register.simple_tag
def cascade_result_options(tree: list[CascadeNode]) -> SafeString:
    """The head's RHK as `<option>`s (text cut at 120 characters as `truncatechars`)."""
    labels: dict[str, str] = {}
    out = []
    for r in tree:
        label = labels.get(r.kind)
        if label is None:
            label = labels[r.kind] = _e(r.kind_label)
        out.append(f'<option value="{r.pk}">{label}: {_e(Truncator(r.text).chars(120))}</option>')
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


@register.simple_tag
def cascade_target_checkboxes(targets: list[tuple[int, str]]) -> SafeString:
    """One checkbox per direct report the head may cascade an RHK to."""
    return mark_safe(  # noqa: S308 (every value escaped above)
        "".join(
            f'<div class="form-check"><input class="form-check-input" type="checkbox" name="employees" value="{pk}"'
            f' id="c-{pk}"><label class="form-check-label" for="c-{pk}">{_e(name)}</label></div>'
            for pk, name in targets
        )
    )
