"""Proposal writes: create, upload documents, verify, send a batch, approve or reject; the BKN export."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal import uploads
from asn_portal.errors import ApplicationError, ConflictError
from asn_portal.exports import xlsx_append
from asn_portal.i18n_text import rule_text
from asn_portal.services import audit, notify
from people import decisions
from people.models import Employee, Rank
from people.services import employee_change_rank
from promotions import permissions, rules, selectors
from promotions.actors import admins_of, require_admin
from promotions.choices import (
    OPEN_PROPOSAL_STATUSES,
    DocumentKind,
    PromotionKind,
    ProposalStatus,
    QueueStatus,
)
from promotions.models import (
    PromotionPeriod,
    PromotionProposal,
    ProposalBatch,
    ProposalDocument,
    QueueEntry,
)
from promotions.queue.services import near_limit_for, queue_counts_refresh


def _requeue_status(entry: QueueEntry) -> str:
    if not entry.failing:
        return QueueStatus.ELIGIBLE
    if entry.next_eligible_date and entry.next_eligible_date <= near_limit_for(entry.period.period_date):
        return QueueStatus.NEAR
    return QueueStatus.BLOCKED


def _mark_proposed(period: PromotionPeriod, employee: Employee) -> None:
    """The person's queue row says "Sudah diusulkan", and the period's figures follow."""
    if QueueEntry.objects.filter(period=period, employee=employee).update(status=QueueStatus.PROPOSED):
        queue_counts_refresh(period_id=period.pk, agency_id=employee.agency_id)


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
            % {"reasons": " ".join(rule_text(f) for f in failing)},
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
    _mark_proposed(period, employee)
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
    recipients = admins_of(employee.agency_id) + ([employee.user] if employee.user_id else [])
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
    require_admin(actor, proposal.agency_id)
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
    require_admin(actor, agency_id)
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
    require_admin(actor, proposal.agency_id)
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
    require_admin(actor, proposal.agency_id)
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
        queue_counts_refresh(period_id=entry.period_id, agency_id=entry.agency_id)
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
