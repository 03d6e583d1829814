"""Writes for promotions: the KP queue job, the proposal workflow, the BKN export and vacancies.

Every transition is one service: it checks the actor, changes state with a compare-and-set update, writes an
audit entry and notifies after commit."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal import uploads
from asn_portal.errors import ApplicationError, ConflictError
from asn_portal.exports import xlsx_append
from asn_portal.services import audit, job_run, notify
from careers.selectors import published_boxes
from people import decisions
from people.choices import ACTIVE_STATUSES, AgencyRoleKind, EmploymentType
from people.models import Employee, Position, Rank, User
from people.services import employee_appoint, employee_change_rank
from performance.evaluation.selectors import predikat_by_year
from training.ledger.selectors import jp_in_competencies

from . import permissions, rules, selectors
from .choices import (
    OPEN_PROPOSAL_STATUSES,
    DocumentKind,
    PromotionKind,
    ProposalStatus,
    QueueStatus,
    VacancyStatus,
)
from .models import (
    MeritWeights,
    PositionVacancy,
    PromotionPeriod,
    PromotionProposal,
    ProposalBatch,
    ProposalDocument,
    QueueEntry,
    VacancyCandidate,
)


def _admins_of(agency_id: int) -> list[User]:
    return list(User.objects.filter(agency_roles__agency_id=agency_id, agency_roles__role=AgencyRoleKind.HR_ADMIN))


def _require_admin(actor: Any, agency_id: int) -> None:
    if not permissions.can_manage_promotions(actor, agency_id):
        raise ApplicationError(_("Hanya admin BKD instansi ini yang dapat melakukan tindakan ini."), status=403)


# ================================================================ the queue


def _near_limit(period_date: dt.date) -> dt.date:
    """'Hampir memenuhi syarat' = eligible within the next two periods."""
    return rules.period_dates_from(period_date + dt.timedelta(days=1), 2)[-1]


def queue_build(*, period: PromotionPeriod, agency_id: int) -> dict[str, int]:
    """Compute a period's KP queue for every PNS of the agency, set-based: load all inputs in a handful of
    queries, evaluate the pure rules in Python, replace the period's rows with one bulk insert."""
    with job_run("promotions.queue_build", agency_id=agency_id) as run:
        day = period.period_date
        tables = selectors.load_tables()
        version = selectors.active_rule_version()
        bundle = selectors.load_rank_facts(agency_id=agency_id, as_of=day)
        proposed = selectors.open_proposal_ids(period, agency_id)
        near_limit = _near_limit(day)
        rank_id = dict(Rank.objects.filter(scheme="pns").values_list("order", "pk"))
        now = timezone.now()
        rows: list[tuple[Any, ...]] = []
        counts = dict.fromkeys(QueueStatus.values, 0)
        for facts in bundle.facts:
            ev = rules.evaluate(facts, day, tables, window_opens=period.submission_opens)
            next_date: dt.date | None
            if ev.eligible:
                status, next_date = QueueStatus.ELIGIBLE, day
            else:
                next_date = rules.next_eligible_period(facts, day, tables, now=ev)
                status = QueueStatus.NEAR if next_date and next_date <= near_limit else QueueStatus.BLOCKED
            if facts.employee_id in proposed:
                status = QueueStatus.PROPOSED
            counts[status] += 1
            meta = bundle.meta[facts.employee_id]
            rows.append(
                (
                    period.pk,
                    agency_id,
                    facts.employee_id,
                    meta["unit_id"],
                    ev.kind,
                    status,
                    meta["rank_id"],
                    rank_id.get(ev.target_order) if ev.target_order else None,
                    [r.as_dict() for r in ev.failing],
                    next_date,
                    ev.credit_points,
                    version,
                    now,
                )
            )
        with transaction.atomic():
            QueueEntry.objects.filter(period=period, agency_id=agency_id).delete()
            _insert_entries(rows)
        run.counts.update(counts)
        run.counts["employees"] = len(rows)
    return run.counts


QUEUE_COLUMNS = [
    "period_id", "agency_id", "employee_id", "unit_id", "kind", "status", "current_rank_id", "target_rank_id",
    "failing", "next_eligible_date", "credit_points", "rule_version", "computed_at",
]  # fmt: skip


def _insert_entries(rows: list[tuple[Any, ...]]) -> None:
    """One PostgreSQL COPY (no model instances: the queue of 50,000 people in about a second). Row tuples
    follow QUEUE_COLUMNS."""
    if not rows:
        return
    buf = io.StringIO()
    writer = csv.writer(buf)
    for r in rows:
        writer.writerow(
            ["" if v is None else json.dumps(v, ensure_ascii=False) if isinstance(v, list) else
             v.isoformat() if isinstance(v, dt.date) else v for v in r]
        )  # fmt: skip
    buf.seek(0)
    table = QueueEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({', '.join(QUEUE_COLUMNS)}) FROM STDIN WITH (FORMAT csv)", buf)


def build_open_queues(today: dt.date | None = None) -> int:
    """Daily job: (re)build the queue of each period whose submission window is open, for every agency."""
    from people.models import Agency

    day = today or timezone.localdate()
    built = 0
    for period in PromotionPeriod.objects.filter(submission_opens__lte=day, period_date__gte=day):
        for agency_id in Agency.objects.values_list("pk", flat=True):
            queue_build(period=period, agency_id=agency_id)
            built += 1
    return built


def ensure_periods_for(years: list[int]) -> int:
    from .data import ensure_periods

    return ensure_periods(PromotionPeriod, years)


# ================================================================ proposals


def _requeue_status(entry: QueueEntry) -> str:
    if not entry.failing:
        return QueueStatus.ELIGIBLE
    if entry.next_eligible_date and entry.next_eligible_date <= _near_limit(entry.period.period_date):
        return QueueStatus.NEAR
    return QueueStatus.BLOCKED


@transaction.atomic
def proposal_create(
    *, employee: Employee, period: PromotionPeriod, actor: Any, override_reason: str = "", late_reason: str = ""
) -> PromotionProposal:
    """Candidate → proposed by the unit (head or BKD admin). The rules are evaluated now; proposing someone
    who does not meet them requires a recorded override reason (audited). After the period's submission window
    has closed (Perban BKN 4/2023; regulations.md §4.5) only a BKD admin may still propose, with a recorded
    reason for the lateness."""
    # Proposing (and overriding unmet requirements) is the unit's decision: never on one's own rank.
    decisions.ensure_may_decide(actor, employee)
    if not permissions.can_propose_employee(actor, employee):
        raise ApplicationError(_("Anda tidak berwenang mengusulkan pegawai ini."), status=403)
    today = timezone.localdate()
    if period.period_date < today:
        raise ApplicationError(_("Periode kenaikan pangkat ini sudah lewat."), {"field": "period"})
    late_reason = (late_reason or "").strip()
    late = rules.submission_late(today=today, window_closes=period.submission_closes)
    if late and not permissions.can_manage_promotions(actor, employee.agency_id):
        raise ApplicationError(
            _(
                "Masa usulan periode %(period)s ditutup %(closes)s. Usulan terlambat hanya dapat dicatat "
                "admin BKD dengan alasan keterlambatan."
            )
            % {"period": period, "closes": rules.fmt(period.submission_closes)},
            {"field": "period", "submission_closes": period.submission_closes.isoformat()},
            status=403,
        )
    if late and not late_reason:
        raise ApplicationError(
            _("Masa usulan periode %(period)s ditutup %(closes)s. Isi alasan keterlambatan untuk tetap mengusulkan.")
            % {"period": period, "closes": rules.fmt(period.submission_closes)},
            {"field": "late_reason", "submission_closes": period.submission_closes.isoformat()},
        )
    bundle = selectors.load_rank_facts(employee_ids=[employee.pk], as_of=period.period_date)
    if not bundle.facts:
        raise ApplicationError(_("Kenaikan pangkat hanya dapat diusulkan untuk PNS aktif."), {"field": "employee"})
    facts = bundle.facts[0]
    ev = rules.evaluate(facts, period.period_date, selectors.load_tables(), window_opens=period.submission_opens)
    if ev.target_order is None:
        raise ApplicationError(_("Pegawai sudah berada pada pangkat tertinggi."), {"field": "employee"})
    target: int = ev.target_order
    override_reason = (override_reason or "").strip()
    failing = [r.as_dict() for r in ev.failing]
    if failing and not override_reason:
        raise ApplicationError(
            _("Pegawai belum memenuhi syarat: %(reasons)s Isi alasan pengecualian untuk tetap mengusulkan.")
            % {"reasons": " ".join(f["reason"] for f in failing)},
            {"field": "override_reason", "failing": failing},
        )
    if PromotionProposal.objects.filter(
        period=period, employee=employee, status__in=[*OPEN_PROPOSAL_STATUSES, ProposalStatus.APPROVED]
    ).exists():
        raise ConflictError(_("Pegawai ini sudah diusulkan pada periode ini."))
    ranks = {r.order: r for r in Rank.objects.filter(scheme="pns", order__in=[facts.rank_order, target])}
    try:
        with transaction.atomic():
            proposal = PromotionProposal.objects.create(
                period=period,
                agency_id=employee.agency_id,
                employee=employee,
                kind=ev.kind,
                current_rank=ranks[facts.rank_order],
                target_rank=ranks[target],
                rule_version=selectors.active_rule_version(),
                failing_at_proposal=failing,
                override_reason=override_reason if failing else "",
                late_reason=late_reason if late else "",
                needs_exam_certificate=facts.rank_code in rules.EXAM_CROSSINGS,
                proposed_by=actor if getattr(actor, "pk", None) else None,
            )
    except IntegrityError as exc:
        raise ConflictError(_("Pegawai ini sudah diusulkan pada periode ini.")) from exc
    QueueEntry.objects.filter(period=period, employee=employee).update(status=QueueStatus.PROPOSED)
    audit(
        actor=actor,
        action="promotion.propose",
        obj=proposal,
        after={
            "status": proposal.status,
            "target_rank": ranks[target].code,
            "failing": failing,
            "late": late,
            "late_reason": late_reason if late else "",
        },
        reason=override_reason or (late_reason if late else ""),
    )
    url = reverse("promotions:proposal-detail", args=[proposal.pk])
    recipients = _admins_of(employee.agency_id) + ([employee.user] if employee.user_id else [])
    transaction.on_commit(
        lambda: notify(
            users=recipients,
            title=_("Usulan kenaikan pangkat: %(name)s") % {"name": employee.full_name},
            body=_("Diusulkan naik ke %(rank)s pada periode %(period)s.") % {"rank": ranks[target], "period": period},
            url=url,
        )
    )
    return proposal


def required_documents(proposal: PromotionProposal) -> list[str]:
    """The BKD checklist: last rank decree, last two years' SKP, diploma, STLUD when crossing a golongan."""
    kinds = [
        DocumentKind.LAST_RANK_DECREE,
        DocumentKind.SKP_LAST_YEAR,
        DocumentKind.SKP_YEAR_BEFORE,
        DocumentKind.DIPLOMA,
    ]
    if proposal.needs_exam_certificate:
        kinds.append(DocumentKind.EXAM_CERTIFICATE)
    return [str(k) for k in kinds]


@transaction.atomic
def document_upload(*, proposal: PromotionProposal, kind: str, upload: UploadedFile, actor: Any) -> ProposalDocument:
    """Attach (or replace) one checklist document while the proposal awaits verification."""
    if kind not in DocumentKind.values:
        raise ApplicationError(_("Jenis dokumen tidak dikenal."), {"field": "kind"})
    if not permissions.can_upload_document(actor, proposal):
        raise ApplicationError(_("Dokumen hanya dapat diunggah selama usulan menunggu verifikasi."), status=403)
    try:
        info = uploads.validate_upload(upload, uploads.UploadKind.DOCUMENT)
    except ApplicationError as exc:
        raise ApplicationError(exc.message, {"field": "file", **exc.extra}) from exc
    ProposalDocument.objects.filter(proposal=proposal, kind=kind).delete()
    doc = ProposalDocument.objects.create(
        proposal=proposal,
        kind=kind,
        file=upload,
        original_name=info.original_name,
        size=info.size,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    audit(actor=actor, action="promotion.document", obj=proposal, after={"kind": kind, "name": doc.original_name})
    return doc


def _transition(proposal: PromotionProposal, source: list[str], target: str, **changes: Any) -> None:
    updated = PromotionProposal.objects.filter(pk=proposal.pk, status__in=source).update(
        status=target, updated_at=timezone.now(), **changes
    )
    if not updated:
        raise ConflictError(_("Status usulan sudah berubah; muat ulang halaman."))
    proposal.refresh_from_db()


@transaction.atomic
def proposal_verify(*, proposal: PromotionProposal, actor: Any) -> PromotionProposal:
    """BKD verifies the proposal against the document checklist (all required documents attached)."""
    _require_admin(actor, proposal.agency_id)
    decisions.ensure_may_decide(actor, proposal.employee_id)
    have = set(proposal.documents.values_list("kind", flat=True))
    missing = [DocumentKind(k).label for k in required_documents(proposal) if k not in have]
    if missing:
        raise ApplicationError(
            _("Dokumen belum lengkap: %(docs)s.") % {"docs": ", ".join(str(m) for m in missing)},
            {"field": "documents", "missing": [str(m) for m in missing]},
        )
    _transition(
        proposal, [ProposalStatus.PROPOSED], ProposalStatus.VERIFIED, verified_by=actor, verified_at=timezone.now()
    )
    audit(
        actor=actor,
        action="promotion.verify",
        obj=proposal,
        before={"status": "proposed"},
        after={"status": "verified"},
    )
    return proposal


@transaction.atomic
def batch_send(*, period: PromotionPeriod, agency_id: int, actor: Any) -> ProposalBatch:
    """Send every verified proposal of the period to BKN as one numbered batch."""
    _require_admin(actor, agency_id)
    ids = list(
        PromotionProposal.objects.select_for_update()
        .filter(period=period, agency_id=agency_id, status=ProposalStatus.VERIFIED)
        .values_list("pk", flat=True)
    )
    if not ids:
        raise ApplicationError(_("Tidak ada usulan terverifikasi untuk dikirim pada periode ini."), {"field": "period"})
    number = (ProposalBatch.objects.filter(agency_id=agency_id, period=period).aggregate(m=Max("number"))["m"] or 0) + 1
    batch = ProposalBatch.objects.create(
        agency_id=agency_id, period=period, number=number, sent_at=timezone.now(), sent_by=actor
    )
    PromotionProposal.objects.filter(pk__in=ids, status=ProposalStatus.VERIFIED).update(
        status=ProposalStatus.SENT, batch=batch, updated_at=timezone.now()
    )
    audit(actor=actor, action="promotion.batch_send", obj=batch, after={"proposals": ids}, agency_id=agency_id)
    return batch


EXPORT_HEADERS = [
    "NO",
    "NIP",
    "NAMA",
    "JENIS KP",
    "GOL/RUANG LAMA",
    "TMT GOL LAMA",
    "GOL/RUANG BARU",
    "TMT GOL BARU",
    "JABATAN",
    "UNIT KERJA",
    "PENDIDIKAN",
    "PERIODE",
    "NO USUL",
    "VERSI ATURAN",
]


def export_xlsx(proposals: list[PromotionProposal]) -> bytes:
    """The batch as an XLSX close to SIASN's usul KP layout; identical bytes for identical data (fixed
    workbook timestamps and zip entry dates)."""
    if not proposals:
        raise ApplicationError(_("Kiriman kosong: tidak ada usulan untuk diekspor."))
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "USUL KP"
    xlsx_append(ws, EXPORT_HEADERS)
    fixed = dt.datetime(2000, 1, 1)
    for i, p in enumerate(sorted(proposals, key=lambda p: (p.employee.nip, p.pk)), start=1):
        e = p.employee
        xlsx_append(
            ws,
            [
                i,
                e.nip,
                e.full_name,
                str(PromotionKind(p.kind).label),
                p.current_rank.code,
                e.rank_start_date.strftime("%d-%m-%Y") if e.rank_start_date else "",
                p.target_rank.code,
                p.period.period_date.strftime("%d-%m-%Y"),
                e.position.title if e.position else "",
                e.unit.name,
                str(e.get_education_level_display()),
                p.period.period_date.strftime("%d-%m-%Y"),
                p.pk,
                p.rule_version,
            ],
        )
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "Portal Karier ASN"
    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: i.filename):
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                import re

                data = re.sub(rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>", b"", data)
            entry = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, data)
    return out.getvalue()


def batch_proposals(batch: ProposalBatch) -> list[PromotionProposal]:
    return list(
        batch.proposals.select_related(
            "employee", "employee__unit", "employee__position", "period", "current_rank", "target_rank"
        )
    )


@transaction.atomic
def proposal_approve(
    *, proposal: PromotionProposal, decree_number: str, decree_date: dt.date | None, actor: Any
) -> PromotionProposal:
    """BKN approved: record the decree and write the new rank into the rank history (TMT = period date)."""
    _require_admin(actor, proposal.agency_id)
    decisions.ensure_may_decide(actor, proposal.employee_id)
    decree_number = (decree_number or "").strip()
    if not decree_number:
        raise ApplicationError(_("Nomor SK wajib diisi."), {"field": "decree_number"})
    if decree_date is None:
        raise ApplicationError(_("Tanggal SK wajib diisi."), {"field": "decree_date"})
    if decree_date > timezone.localdate():
        raise ApplicationError(_("Tanggal SK tidak boleh di masa depan."), {"field": "decree_date"})
    _transition(
        proposal,
        [ProposalStatus.SENT],
        ProposalStatus.APPROVED,
        decree_number=decree_number,
        decree_date=decree_date,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    employee_change_rank(
        employee=proposal.employee,
        rank=proposal.target_rank,
        start_date=proposal.period.period_date,
        decree_number=decree_number,
        decree_date=decree_date,
        promotion_kind=str(PromotionKind(proposal.kind).label),
        actor=actor,
        reason=_("Usulan KP #%(pk)s") % {"pk": proposal.pk},
    )
    audit(
        actor=actor,
        action="promotion.approve",
        obj=proposal,
        before={"status": "sent"},
        after={"status": "approved", "decree_number": decree_number, "decree_date": decree_date},
    )
    employee = proposal.employee
    url = reverse("promotions:proposal-detail", args=[proposal.pk])
    transaction.on_commit(
        lambda: notify(
            users=[employee.user] if employee.user_id else [],
            title=_("Kenaikan pangkat disetujui"),
            body=_("Pangkat baru %(rank)s TMT %(tmt)s (SK %(sk)s).")
            % {"rank": proposal.target_rank, "tmt": proposal.period, "sk": decree_number},
            url=url,
        )
    )
    return proposal


@transaction.atomic
def proposal_reject(*, proposal: PromotionProposal, reason: str, actor: Any) -> PromotionProposal:
    """Rejected with a reason: the employee returns to the queue."""
    _require_admin(actor, proposal.agency_id)
    decisions.ensure_may_decide(actor, proposal.employee_id)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Alasan penolakan wajib diisi."), {"field": "reason"})
    before = proposal.status
    _transition(
        proposal,
        list(OPEN_PROPOSAL_STATUSES),
        ProposalStatus.REJECTED,
        rejection_reason=reason,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    for entry in QueueEntry.objects.filter(period=proposal.period, employee=proposal.employee).select_related("period"):
        QueueEntry.objects.filter(pk=entry.pk).update(status=_requeue_status(entry))
    audit(
        actor=actor,
        action="promotion.reject",
        obj=proposal,
        before={"status": before},
        after={"status": "rejected"},
        reason=reason,
    )
    employee = proposal.employee
    users = [u for u in [employee.user, proposal.proposed_by] if u is not None]
    transaction.on_commit(
        lambda: notify(
            users=users,
            title=_("Usulan kenaikan pangkat ditolak"),
            body=reason,
            url=reverse("promotions:proposal-detail", args=[proposal.pk]),
        )
    )
    return proposal


def allowed_transitions(user: Any, proposal: PromotionProposal) -> list[str]:
    out = []
    if permissions.can_verify_proposal(user, proposal):
        out.append("verify")
    if permissions.can_decide_proposal(user, proposal):
        out.append("approve")
    if permissions.can_reject_proposal(user, proposal):
        out.append("reject")
    return out


# ================================================================ promotion into posts


def weights_for(agency_id: int) -> dict[str, int]:
    row = MeritWeights.objects.filter(Q(agency_id=agency_id) | Q(agency__isnull=True)).order_by("agency_id").first()
    if row is None:
        return dict(rules.DEFAULT_WEIGHTS)
    return {k: int(getattr(row, k)) for k in rules.DEFAULT_WEIGHTS}


@transaction.atomic
def vacancy_open(*, position: Position, actor: Any, notes: str = "") -> PositionVacancy:
    """BKD opens a vacancy for a post that has a free place (formasi), then ranks the candidates."""
    _require_admin(actor, position.agency_id)
    if not position.is_active:
        raise ApplicationError(_("Jabatan tidak aktif."), {"field": "position"})
    holders = Employee.objects.filter(position=position, status__in=ACTIVE_STATUSES).count()
    if holders >= position.headcount:
        raise ApplicationError(
            _("Jabatan ini sudah terisi penuh (%(n)d dari formasi %(h)d).") % {"n": holders, "h": position.headcount},
            {"field": "position"},
        )
    if PositionVacancy.objects.filter(
        position=position, status__in=[VacancyStatus.OPEN, VacancyStatus.DECIDED]
    ).exists():
        raise ConflictError(_("Sudah ada lowongan terbuka untuk jabatan ini."))
    vacancy = PositionVacancy.objects.create(
        agency_id=position.agency_id,
        position=position,
        notes=notes,
        opened_by=actor,
        weights=weights_for(position.agency_id),
    )
    audit(actor=actor, action="vacancy.open", obj=vacancy, after={"position": position.pk})
    vacancy_rank(vacancy=vacancy)
    # The BKD admin who would run the vacancy is not one of its candidates (the transaction rolls back).
    _ensure_not_conflicted(vacancy, actor)
    return vacancy


def _candidate_ids(vacancy: PositionVacancy) -> list[int]:
    return list(VacancyCandidate.objects.filter(vacancy=vacancy).values_list("employee_id", flat=True))


def _ensure_not_conflicted(vacancy: PositionVacancy, actor: Any, chosen_id: int | None = None) -> None:
    """Separation of duties on a vacancy: nobody ranks, recommends or appoints while a candidate."""
    decisions.ensure_may_decide(actor, chosen_id, conflicted=_candidate_ids(vacancy))


@transaction.atomic
def vacancy_rerank(*, vacancy: PositionVacancy, actor: Any) -> list[VacancyCandidate]:
    """BKD re-ranks an open vacancy's candidates (after new appraisals or training), never as a candidate."""
    _require_admin(actor, vacancy.agency_id)
    if vacancy.status != VacancyStatus.OPEN:
        raise ApplicationError(_("Hanya lowongan terbuka yang dapat diperingkat ulang."))
    _ensure_not_conflicted(vacancy, actor)
    ranked = vacancy_rank(vacancy=vacancy)
    _ensure_not_conflicted(vacancy, actor)
    audit(actor=actor, action="vacancy.rerank", obj=vacancy, after={"candidates": len(ranked)})
    return ranked


MAX_CANDIDATES = 50


def vacancy_rank(*, vacancy: PositionVacancy, today: dt.date | None = None) -> list[VacancyCandidate]:
    """Rank candidates who meet the formal requirements (§4.7) by merit score; talent-pool members (boxes 7–9
    of a published review) are drawn first. Set-based: about ten queries whatever the agency size."""
    today = today or timezone.localdate()
    position = vacancy.position
    tables = selectors.load_tables()
    req = rules.POST_REQUIREMENTS.get(position.kind, {})
    qs = Employee.objects.filter(
        agency_id=vacancy.agency_id, status__in=ACTIVE_STATUSES, employment_type=EmploymentType.PNS, rank__scheme="pns"
    ).exclude(position=position)
    kinds = req.get("from")
    if isinstance(kinds, set | frozenset):
        qs = qs.filter(
            position__kind__in=kinds, position_start_date__lte=rules.add_years(today, -int(str(req["years"])))
        )
    else:
        qs = qs.filter(position__kind=position.kind)
    min_rank = tables.order_of(str(req.get("rank", ""))) if req.get("rank") else None
    if min_rank:
        qs = qs.filter(rank__order__gte=min_rank)
    minimum = str(req.get("education", ""))
    if minimum:
        qs = qs.filter(education_level__in=[e for e in rules.EDUCATION_ORDER if rules.edu_at_least(e, minimum)])
    rows = list(
        qs.values_list(
            "pk",
            "name",
            "education_level",
            "position__kind",
            "position__functional_level",
            "position_start_date",
            "rank__order",
            "rank_start_date",
            "birth_date",
            "cpns_date",
        )
    )
    ids = [r[0] for r in rows]
    years = (today.year - 2, today.year - 1)
    predikat: dict[int, dict[int, str]] = {}
    for (emp, year), value in predikat_by_year(ids, years).items():
        predikat.setdefault(emp, {})[year] = value
    # Formal requirements first (cheap, pure), then the merit inputs for those who pass.
    eligible: list[rules.CandidateFacts] = []
    for pk, name, edu, kind, level, pstart, rorder, rstart, birth, cpns in rows:
        facts = rules.CandidateFacts(
            pk, name, edu, kind or "", level or "", pstart, rorder, rstart, birth, cpns, predikat.get(pk, {})
        )
        if all(r.passed for r in rules.formal_requirements(facts, position.kind, today, tables)):
            eligible.append(facts)
    eligible_ids = [f.employee_id for f in eligible]
    boxes = published_boxes(eligible_ids)
    pool = [f for f in eligible if (boxes.get(f.employee_id) or 0) >= 7]
    chosen = eligible if len(pool) < 3 else pool
    chosen_ids = [f.employee_id for f in chosen]
    required = selectors.post_requirements(position.pk)
    jpm = selectors.jpm_against(chosen_ids, required)
    assessed = selectors.assessed_against(chosen_ids, required)
    jp = jp_in_competencies(chosen_ids, list(required), rules.add_years(today, -3))
    weights = vacancy.weights or weights_for(vacancy.agency_id)
    scored = []
    components: dict[int, list[dict[str, str]]] = {}
    for f in chosen:
        full = rules.CandidateFacts(
            **{
                **f.__dict__,
                # never assessed against the standard: no JPM ("belum diases"), scored 0 and said so
                "jpm": jpm.get(f.employee_id) if f.employee_id in assessed else None,
                "box": boxes.get(f.employee_id),
                "training_jp": jp.get(f.employee_id, Decimal("0")),
            }
        )
        comps = rules.merit_components(full, today, minimum, weights, has_standard=bool(required))
        score = sum((Decimal(c["points"]) for c in comps), Decimal("0"))
        components[f.employee_id] = comps
        scored.append((full, score))
    ranked = rules.rank_candidates(scored)[:MAX_CANDIDATES]
    seniority = {
        f.employee_id: i for i, (f, _) in enumerate(sorted(ranked, key=lambda fs: rules.seniority_key(fs[0])), start=1)
    }
    objs = [
        VacancyCandidate(
            vacancy=vacancy,
            employee_id=f.employee_id,
            rank=i,
            merit_score=score,
            components=components[f.employee_id],
            seniority_rank=seniority[f.employee_id],
            from_talent_pool=(boxes.get(f.employee_id) or 0) >= 7,
        )
        for i, (f, score) in enumerate(ranked, start=1)
    ]
    with transaction.atomic():
        VacancyCandidate.objects.filter(vacancy=vacancy).delete()
        VacancyCandidate.objects.bulk_create(objs)
        PositionVacancy.objects.filter(pk=vacancy.pk).update(ranked_at=timezone.now())
    return objs


@transaction.atomic
def vacancy_decide(*, vacancy: PositionVacancy, employee_id: int, justification: str, actor: Any) -> PositionVacancy:
    """The Tim Penilai Kinerja recommends a candidate; anyone but the top-ranked needs a written justification."""
    if not (
        permissions.is_committee(actor, vacancy.agency_id)
        or permissions.can_manage_promotions(actor, vacancy.agency_id)
    ):
        raise ApplicationError(
            _("Hanya Tim Penilai Kinerja atau admin BKD yang dapat mencatat rekomendasi."), status=403
        )
    _ensure_not_conflicted(vacancy, actor, employee_id)
    candidate = VacancyCandidate.objects.filter(vacancy=vacancy, employee_id=employee_id).first()
    if candidate is None:
        raise ApplicationError(_("Pegawai ini bukan kandidat lowongan."), {"field": "employee"})
    justification = (justification or "").strip()
    if vacancy.status != VacancyStatus.OPEN:
        raise ConflictError(_("Lowongan sudah diputuskan."))
    status = selectors.vacancy_ranking_status(vacancy)
    if not status.is_merit_ranking and not justification:
        raise ApplicationError(
            _(
                "Daftar kandidat ini belum merupakan peringkat merit (standar kompetensi jabatan belum ditetapkan): "
                "justifikasi tertulis wajib diisi untuk kandidat mana pun."
            ),
            {"field": "justification", "missing": status.missing},
        )
    if candidate.rank != 1 and not justification:
        raise ApplicationError(
            _("Kandidat yang dipilih bukan peringkat pertama: justifikasi tertulis wajib diisi."),
            {"field": "justification", "rank": candidate.rank},
        )
    updated = PositionVacancy.objects.filter(pk=vacancy.pk, status=VacancyStatus.OPEN).update(
        status=VacancyStatus.DECIDED,
        chosen_id=employee_id,
        chosen_rank=candidate.rank,
        justification=justification,
        decided_by=actor,
        decided_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if not updated:
        raise ConflictError(_("Lowongan sudah diputuskan."))
    vacancy.refresh_from_db()
    audit(
        actor=actor,
        action="vacancy.decide",
        obj=vacancy,
        after={"chosen": employee_id, "rank": candidate.rank, "merit_score": candidate.merit_score},
        reason=justification,
    )
    url = reverse("promotions:vacancy-detail", args=[vacancy.pk])
    admins = _admins_of(vacancy.agency_id)
    transaction.on_commit(lambda: notify(users=admins, title=_("Rekomendasi Tim Penilai Kinerja tercatat"), url=url))
    return vacancy


@transaction.atomic
def vacancy_appoint(
    *, vacancy: PositionVacancy, start_date: dt.date | None, decree_number: str, decree_date: dt.date | None, actor: Any
) -> PositionVacancy:
    """Appoint the recommended candidate: writes the position history and closes the vacancy."""
    _require_admin(actor, vacancy.agency_id)
    _ensure_not_conflicted(vacancy, actor, vacancy.chosen_id)
    decree_number = (decree_number or "").strip()
    if not decree_number or start_date is None:
        raise ApplicationError(_("Nomor SK dan TMT wajib diisi."), {"field": "decree_number"})
    updated = PositionVacancy.objects.filter(pk=vacancy.pk, status=VacancyStatus.DECIDED).update(
        status=VacancyStatus.FILLED, appointed_on=start_date, decree_number=decree_number, updated_at=timezone.now()
    )
    if not updated:
        raise ConflictError(_("Lowongan belum direkomendasikan atau sudah terisi."))
    vacancy.refresh_from_db()
    assert vacancy.chosen is not None
    employee_appoint(
        employee=vacancy.chosen,
        position=vacancy.position,
        start_date=start_date,
        decree_number=decree_number,
        decree_date=decree_date,
        actor=actor,
        reason=_("Promosi jabatan, lowongan #%(pk)s") % {"pk": vacancy.pk},
    )
    audit(
        actor=actor,
        action="vacancy.appoint",
        obj=vacancy,
        after={"employee": vacancy.chosen_id, "decree": decree_number},
    )
    chosen = vacancy.chosen
    transaction.on_commit(
        lambda: notify(
            users=[chosen.user] if chosen.user_id else [],
            title=_("Pengangkatan dalam jabatan %(post)s") % {"post": vacancy.position.title},
            url=reverse("promotions:my-outlook"),
        )
    )
    return vacancy
