"""Periodic training jobs: set-based, each writing a JobRun (called by the thin Celery tasks)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal import fanout
from asn_portal.models import Notification
from asn_portal.services import chunked, job_run, notify
from people.choices import ACTIVE_STATUSES
from people.models import Employee
from people.selectors import supervisor_ids_for
from training.enrolment.services import waitlist_promote
from training.questionnaires import summary as questionnaire_summary

from . import rules
from .choices import EnrollmentStatus as S
from .choices import OfferingStatus, QuestionnaireKind, RespondentRole, VerificationStatus
from .models import (
    CourseOffering,
    Enrollment,
    LearningRecord,
    QuestionnaireResponse,
    QuestionnaireTemplate,
    YearlyJpSummary,
)

# Fanned-out job (asn_portal.fanout): the parent run and each part's run carry this name.
YEARLY_JOB = "training.yearly_summary"


def _users_by_employee(ids: list[int]) -> dict[int, Any]:
    return {
        e.pk: e.user
        for e in Employee.objects.filter(pk__in=ids).exclude(user=None).select_related("user").only("pk", "user")
    }


def issue_due_followups(today: dt.date) -> int:
    """Issue the follow-up questionnaire to each participant and their supervisor once the configured
    number of days (default 90) has passed since completion. Bulk, idempotent (unique per enrolment/role)."""
    made = 0
    for role in (RespondentRole.PARTICIPANT, RespondentRole.SUPERVISOR):
        template = QuestionnaireTemplate.objects.filter(
            kind=QuestionnaireKind.FOLLOWUP, respondent_role=role, is_active=True, agency=None
        ).first()
        if template is None:
            continue
        cutoff = today - dt.timedelta(days=template.days_after_completion or rules.FOLLOWUP_DEFAULT_DAYS)
        already = QuestionnaireResponse.objects.filter(
            enrollment=OuterRef("pk"), kind=QuestionnaireKind.FOLLOWUP, respondent_role=role
        )
        due = list(
            Enrollment.objects.filter(status=S.COMPLETED, completed_on__lte=cutoff)
            .exclude(Exists(already))
            .values_list("pk", "employee_id", "offering_id", "agency_id")
        )
        for chunk in chunked(list(range(len(due))), 500):
            rows = [due[i] for i in chunk]
            sups = supervisor_ids_for([r[1] for r in rows]) if role == RespondentRole.SUPERVISOR else {}
            objs = []
            agency_of = {pk: agency for pk, _e, _o, agency in rows}
            for pk, emp, off, _agency in rows:
                respondent = emp if role == RespondentRole.PARTICIPANT else sups.get(emp)
                if not respondent:
                    continue
                objs.append(
                    QuestionnaireResponse(
                        template=template,
                        enrollment_id=pk,
                        offering_id=off,
                        respondent_id=respondent,
                        kind=QuestionnaireKind.FOLLOWUP,
                        respondent_role=role,
                        issued_on=today,
                    )
                )
            created = QuestionnaireResponse.objects.bulk_create(objs, ignore_conflicts=True)
            made += len(created)
            questionnaire_summary.touch(*sorted({agency_of[o.enrollment_id] for o in objs}))
            users = _users_by_employee(sorted({o.respondent_id for o in objs}))
            notify(
                users=list(users.values()),
                title=_("Kuesioner evaluasi pascapelatihan perlu diisi"),
                url=reverse("training:questionnaires"),
            )
    return made


def remind_non_respondents(today: dt.date) -> int:
    """One reminder to each respondent whose questionnaire is still unanswered after 7 days."""
    cutoff = today - dt.timedelta(days=rules.REMINDER_AFTER_DAYS)
    qs = QuestionnaireResponse.objects.filter(answered_at__isnull=True, reminded_at__isnull=True, issued_on__lte=cutoff)
    respondents = sorted(set(qs.values_list("respondent_id", flat=True)))
    users = _users_by_employee(respondents)
    notify(
        users=list(users.values()),
        title=_("Pengingat: kuesioner evaluasi pelatihan belum diisi"),
        url=reverse("training:questionnaires"),
    )
    return qs.update(reminded_at=timezone.now())


def promote_waiting_lists() -> int:
    """Offerings with free seats and a waiting list: promote in order (one loop per offering)."""
    waiting = Enrollment.objects.filter(offering=OuterRef("pk"), status=S.WAITLISTED)
    ids = list(
        CourseOffering.objects.filter(seats_taken__lt=F("capacity"))
        .exclude(status__in=[OfferingStatus.CANCELLED, OfferingStatus.FINISHED])
        .filter(Exists(waiting))
        .values_list("pk", flat=True)
    )
    return sum(waitlist_promote(offering_id=pk, actor=None) for pk in ids)


def close_enrolment_windows(today: dt.date) -> int:
    return CourseOffering.objects.filter(status=OfferingStatus.OPEN, enrol_close__lt=today).update(
        status=OfferingStatus.CLOSED
    )


def daily(today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    with job_run("training.daily") as run:
        run.counts["followups_issued"] = issue_due_followups(today)
        run.counts["reminders"] = remind_non_respondents(today)
        run.counts["promoted"] = promote_waiting_lists()
        run.counts["windows_closed"] = close_enrolment_windows(today)
    return run.counts


def _reminded_since(title: str, url: str, since: dt.date) -> set[int]:
    """Users who already received this reminder since `since` (start of the month)."""
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    return set(
        Notification.objects.filter(title=title, url=url, created_at__gte=start).values_list("user_id", flat=True)
    )


def monthly_jp_reminder(today: dt.date | None = None) -> dict[str, int]:
    """From July: remind staff below 20 JP (with a link to their recommended courses) and their heads."""
    today = today or timezone.localdate()
    with job_run("training.monthly_jp_reminder") as run:
        if not rules.monthly_reminder_month(today.month):
            run.counts["skipped"] = 1
            return run.counts
        totals = (
            LearningRecord.objects.filter(employee=OuterRef("pk"), year=today.year, status=VerificationStatus.VERIFIED)
            .values("employee")
            .annotate(s=Sum("jp"))
            .values("s")
        )

        below = list(
            Employee.objects.filter(status__in=ACTIVE_STATUSES, user__isnull=False)
            .annotate(jp=Subquery(totals))
            .filter(Q(jp__isnull=True) | Q(jp__lt=rules.JP_TARGET))
            .values_list("pk", flat=True)
        )
        # Idempotent: the notifications already written this month are the record of what was done, so a
        # re-run (a worker killed mid-job and its task redelivered, or "Jalankan sekarang") reminds only
        # those not yet reminded.
        staff_title, staff_url = _("JP Anda tahun ini belum mencapai 20 JP"), reverse("training:recommended")
        head_title, head_url = _("Anggota tim Anda belum mencapai 20 JP"), reverse("training:team")
        month_start = today.replace(day=1)
        done_staff = _reminded_since(staff_title, staff_url, month_start)
        done_heads = _reminded_since(head_title, head_url, month_start)
        staff = heads = 0
        for chunk in chunked(below, 500):
            users = _users_by_employee(chunk)
            fresh = [u for u in users.values() if u.pk not in done_staff]
            notify(
                users=fresh,
                title=staff_title,
                body=_("Lihat pelatihan yang disarankan untuk menutup kesenjangan kompetensi Anda."),
                url=staff_url,
                email=False,
            )
            done_staff.update(u.pk for u in fresh)
            staff += len(fresh)
            sups: dict[int, int] = {}
            for sup in supervisor_ids_for(chunk).values():
                if sup:
                    sups[sup] = sups.get(sup, 0) + 1
            sup_users = _users_by_employee(list(sups))
            fresh_heads = [u for u in sup_users.values() if u.pk not in done_heads]
            notify(users=fresh_heads, title=head_title, url=head_url, email=False)
            done_heads.update(u.pk for u in fresh_heads)
            heads += len(fresh_heads)
        run.counts["staff_reminded"] = staff
        run.counts["heads_reminded"] = heads
    return run.counts


def yearly_summary(year: int | None = None) -> dict[str, int]:
    """Carry the JP ledger of `year` (default: last year) into one YearlyJpSummary row per active
    employee (upsert, so re-running is a no-op)."""
    year = year or timezone.localdate().year - 1
    with job_run("training.yearly_summary") as run:
        run.counts.update(_summarise(year, Employee.objects.all(), LearningRecord.objects.all()))
    return run.counts


def yearly_summary_dispatch(year: int | None = None, agency_id: int | None = None) -> dict[str, Any]:
    """The yearly summary fanned out into one task per chunk of each agency's active employees."""
    from django.conf import settings

    year = year or timezone.localdate().year - 1
    qs = Employee.objects.filter(status__in=ACTIVE_STATUSES)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    parent = fanout.dispatch(YEARLY_JOB, fanout.chunk_parts(qs, settings.JOB_PART_SIZE, year=year), agency_id=agency_id)
    return {**parent.counts, "run_id": parent.pk}


def yearly_summary_range(*, year: int, agency_id: int, pk_from: int, pk_to: int | None = None) -> dict[str, int]:
    """One part of the yearly summary: the agency's employees with pk_from <= pk <= pk_to."""
    people = Q(agency_id=agency_id, pk__gte=pk_from) & (Q() if pk_to is None else Q(pk__lte=pk_to))
    records = Q(employee__agency_id=agency_id, employee_id__gte=pk_from) & (
        Q() if pk_to is None else Q(employee_id__lte=pk_to)
    )
    return _summarise(year, Employee.objects.filter(people), LearningRecord.objects.filter(records))


def _summarise(year: int, employees: Any, records: Any) -> dict[str, int]:
    sums = {
        r["employee_id"]: (r["s"], r["n"])
        for r in records.filter(year=year, status=VerificationStatus.VERIFIED)
        .values("employee_id")
        .annotate(s=Sum("jp"), n=Count("pk"))
    }
    rows = []
    for pk, agency_id, unit_id in (
        employees.filter(status__in=ACTIVE_STATUSES).values_list("pk", "agency_id", "unit_id").iterator(chunk_size=5000)
    ):
        total, n = sums.get(pk, (None, 0))
        total = Decimal(total or 0)
        rows.append(
            YearlyJpSummary(
                employee_id=pk,
                agency_id=agency_id,
                unit_id=unit_id,
                year=year,
                jp_total=total,
                records=n,
                met_target=rules.meets_target(total),
            )
        )
    YearlyJpSummary.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["employee", "year"],
        update_fields=["jp_total", "records", "met_target", "unit", "agency"],
    )
    return {"employees": len(rows), "met_target": sum(1 for r in rows if r.met_target)}
