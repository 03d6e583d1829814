"""Timeline pages: an employee's timeline and the signed-in employee's own."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from careers.timeline import selectors
from careers.web import local_today, render_page, user_of
from people.selectors import current_employee, employee_with_histories


def timeline(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    employee = employee_with_histories(user=user, pk=pk)
    data = selectors.timeline_for(employee, today=local_today())
    return render_page(
        request,
        "careers/timeline.html",
        {
            "employee": employee,
            **data,
            "today": local_today(),
            "breadcrumbs": [(employee.name, None), (_("Linimasa karier"), None)],
        },
    )


def my_timeline(request: HttpRequest) -> HttpResponse:
    me = current_employee(user_of(request))
    if me is None:
        raise Http404
    return redirect("careers:timeline", pk=me.pk)
