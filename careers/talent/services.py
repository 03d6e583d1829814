"""Talent review writes: create, compute placements (chunked), override a box and publish."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError, ConflictError
from asn_portal.outbox import enqueue
from asn_portal.services import audit, chunked, job_run
from careers import agency_settings, integrations, rules
from careers.choices import (
    ReviewStatus,
)
from careers.models import (
    TalentPlacement,
    TalentReview,
)
from careers.talent import summaries as talent_summaries
from people import decisions
from people.access import is_hr_admin
from people.choices import ACTIVE_STATUSES
from people.models import Employee


def review_create(*, agency_id: int, name: str, year: int, actor: Any) -> TalentReview:
    """BKD opens a talent review for its agency; the placements are computed by a background job."""
    if not is_hr_admin(actor, agency_id):
        raise ApplicationError(_("Hanya admin BKD instansi ini yang dapat membuka periode talenta."), status=403)
    if not name.strip():
        raise ApplicationError(_("Nama periode wajib diisi."), {"field": "name"})
    review = TalentReview.objects.create(agency_id=agency_id, name=name.strip(), year=year)
    audit(actor=actor, action="talent_review.create", obj=review, after={"year": year})
    return review


def review_request_compute(*, review: TalentReview, actor: Any) -> None:
    """Queue (re)computation: the review goes to 'computing' and the Celery job picks it up."""
    if not is_hr_admin(actor, review.agency_id):
        raise ApplicationError(_("Anda tidak berwenang."), status=403)
    with transaction.atomic():
        n = TalentReview.objects.filter(pk=review.pk, status__in=[ReviewStatus.DRAFT, ReviewStatus.COMPUTED]).update(
            status=ReviewStatus.COMPUTING
        )
        if not n:
            raise ConflictError(_("Periode yang sudah diumumkan atau sedang dihitung tidak dapat dihitung ulang."))
        enqueue("careers.tasks.compute_review", review.pk)
    review.status = ReviewStatus.COMPUTING


def review_compute(review_id: int, *, chunk_size: int = 5000) -> dict[str, int]:
    """Place every active employee of the agency in the 9-box, set-based in chunks: predikat of the last
    two years (performance) and JPM (competencies) through the agency's scheme (regulations.md §3.3).
    Overrides made before a recompute are kept. Writes a JobRun."""
    review = TalentReview.objects.get(pk=review_id)
    scheme = agency_settings.scheme_for(review.agency_id)
    years = [review.year - 1, review.year]
    with job_run("careers.talent_review_compute", agency_id=review.agency_id) as run:
        ids = list(
            Employee.objects.filter(agency_id=review.agency_id, status__in=ACTIVE_STATUSES)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        overrides = {
            e: (b, r, u, t)
            for e, b, r, u, t in TalentPlacement.objects.filter(review=review)
            .exclude(override_reason="")
            .values_list("employee_id", "box", "override_reason", "overridden_by_id", "overridden_at")
        }
        placed = skipped = 0
        with transaction.atomic():
            TalentPlacement.objects.filter(review=review).delete()
            for chunk in chunked(ids, chunk_size):
                preds = integrations.predikat_by_year(chunk, years)
                jpms = integrations.jpm_by_employee(chunk)
                meta = {
                    pk: (u, p)
                    for pk, u, p in Employee.objects.filter(pk__in=chunk).values_list("pk", "unit_id", "position_id")
                }
                rows = []
                for emp_id in chunk:
                    result = rules.place([preds.get((emp_id, y)) for y in years], jpms.get(emp_id), scheme)
                    if result is None:
                        skipped += 1
                        continue
                    perf, pb, pot, qb, box = result
                    unit_id, position_id = meta[emp_id]
                    ov = overrides.get(emp_id)
                    rows.append(
                        TalentPlacement(
                            review=review,
                            employee_id=emp_id,
                            unit_id=unit_id,
                            position_id=position_id,
                            performance_score=perf,
                            performance_band=pb,
                            potential_score=pot,
                            potential_band=qb,
                            computed_box=box,
                            box=ov[0] if ov else box,
                            override_reason=ov[1] if ov else "",
                            overridden_by_id=ov[2] if ov else None,
                            overridden_at=ov[3] if ov else None,
                        )
                    )
                TalentPlacement.objects.bulk_create(rows, batch_size=2000)
                placed += len(rows)
            run.counts.update({"employees": len(ids), "placed": placed, "not_placed": skipped})
            talent_summaries.touch(review.agency_id)
            TalentReview.objects.filter(pk=review.pk).update(
                status=ReviewStatus.COMPUTED,
                computed_at=timezone.now(),
                scheme={
                    "predikat_points": {k: str(v) for k, v in scheme.predikat_points.items()},
                    "performance_above": str(scheme.performance_above),
                    "performance_meets": str(scheme.performance_meets),
                    "potential_high": str(scheme.potential_high),
                    "potential_medium": str(scheme.potential_medium),
                    "years": years,
                },
                counts=dict(run.counts),
                job_run_id=run.pk,
            )
    return dict(run.counts)


def placement_override(*, placement: TalentPlacement, box: int, reason: str, actor: Any) -> None:
    """BKD moves an employee to another box with a written reason (Komite Talenta decision; audited)."""
    review = placement.review
    decisions.ensure_may_decide(actor, placement.employee_id)
    if not is_hr_admin(actor, review.agency_id):
        raise ApplicationError(_("Hanya admin BKD yang dapat menyesuaikan penempatan."), status=403)
    if not reason.strip():
        raise ApplicationError(_("Alasan penyesuaian wajib ditulis."), {"field": "reason"})
    if box not in range(1, 10):
        raise ApplicationError(_("Kotak harus 1 sampai 9."), {"field": "box"})
    if review.status == ReviewStatus.PUBLISHED:
        raise ApplicationError(_("Periode yang sudah diumumkan tidak dapat diubah."))
    with transaction.atomic():
        n = TalentPlacement.objects.filter(
            pk=placement.pk, box=placement.box, review__status=ReviewStatus.COMPUTED
        ).update(box=box, override_reason=reason.strip(), overridden_by=actor, overridden_at=timezone.now())
        if not n:
            raise ConflictError(_("Penempatan sudah diubah orang lain atau periode tidak dapat diubah."))
        talent_summaries.touch(review.agency_id)
        audit(
            actor=actor,
            action="talent_placement.override",
            obj=placement,
            before={"box": placement.box},
            after={"box": box},
            reason=reason.strip(),
            agency_id=review.agency_id,
        )
    placement.box = box


def review_publish(*, review: TalentReview, actor: Any) -> None:
    """BKD publishes a computed review: employees see their own box and recommendation, heads their units."""
    if not is_hr_admin(actor, review.agency_id):
        raise ApplicationError(_("Hanya admin BKD yang dapat mengumumkan."), status=403)
    with transaction.atomic():
        n = TalentReview.objects.filter(pk=review.pk, status=ReviewStatus.COMPUTED).update(
            status=ReviewStatus.PUBLISHED, published_at=timezone.now(), published_by=actor
        )
        if not n:
            raise ConflictError(_("Hanya periode yang sudah dihitung yang dapat diumumkan."))
        # the published review becomes the "previous" one of later reviews (their movement)
        talent_summaries.touch(review.agency_id)
        audit(
            actor=actor,
            action="talent_review.publish",
            obj=review,
            before={"status": review.status},
            after={"status": ReviewStatus.PUBLISHED},
        )
    review.status = ReviewStatus.PUBLISHED
