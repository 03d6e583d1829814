"""The cascade page's long lists (a head's RHK supported by hundreds of subordinates' RHK, one checkbox per
direct report), written as HTML in one pass: the same markup a template loop gives, without a template variable
lookup per row."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from performance.plans.selectors import CascadeNode

register = template.Library()


def _grandchildren(node: CascadeNode) -> SafeString | str:
    if not node.children:
        return ""
    items = format_html_join("", '<li class="small">{}: {}</li>', ((g.owner, g.text) for g in node.children))
    return format_html("<ul>{}</ul>", items)


@register.simple_tag
def cascade_children(node: CascadeNode) -> SafeString:
    """`<li>` per subordinate RHK supporting `node`, each with the RHK cascaded from it in turn."""
    return format_html_join(
        "", "<li>{}: {}\n    {}</li>", ((c.owner, c.text, _grandchildren(c)) for c in node.children)
    )


@register.simple_tag
def cascade_target_checkboxes(targets: list[tuple[int, str]]) -> SafeString:
    """One checkbox per direct report the head may cascade an RHK to."""
    return format_html_join(
        "",
        '<div class="form-check"><input class="form-check-input" type="checkbox" name="employees" value="{0}"'
        ' id="c-{0}"><label class="form-check-label" for="c-{0}">{1}</label></div>',
        ((str(pk), name) for pk, name in targets),
    )
