"""Sections the interventions app adds to pages of the apps to its left (the child page, the
children list), so that those apps never name this one."""

from django import template
from django.urls import reverse

from interventions.models import Intervention

register = template.Library()


@register.inclusion_tag("interventions/_child_section.html", takes_context=True)
def child_interventions(context, child):
    """The child page's list of assignments, with the link to assign one more."""
    user = context["request"].user
    q = Intervention.objects.filter(child=child).select_related("type", "partner")
    return {
        "child": child,
        "interventions": q,
        "can_view": user.has_perm("interventions.view_intervention"),
        "can_assign": user.has_perm("interventions.add_intervention") and not child.is_merged,
    }


@register.simple_tag(takes_context=True)
def assign_url(context):
    """Where the children list sends the children ticked for assignment; empty if the user may
    not assign."""
    if context["request"].user.has_perm("interventions.add_intervention"):
        return reverse("interventions:assign")
    return ""
