"""Seeded editable data: JP conversion for nonclassical forms and the evaluation questionnaire templates.

Loaded by a data migration and by tests through the idempotent `ensure_...()` functions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .choices import CourseFormat, QuestionDimension, QuestionKind, QuestionnaireKind, RespondentRole

# regulations.md §5: the JP value of each nonklasikal form is set by LAN guidance / the agency and was
# not found nationally (LOW), so these are defaults BKD edits in the admin. 1 JP = 45 minutes, so a
# classroom hour is 60/45 = 1.33 JP; self-directed forms are credited less.
JP_RATES: list[tuple[str, str, str, str]] = [
    (CourseFormat.E_LEARNING, "1.00", "20", "Default: 1 JP per jam belajar terverifikasi (LMS)."),
    (CourseFormat.DISTANCE, "1.33", "40", "Setara jam tatap muka (1 JP = 45 menit)."),
    (CourseFormat.COACHING, "1.00", "10", "Default: 1 JP per jam sesi coaching, maks. 10 JP per kegiatan."),
    (CourseFormat.MENTORING, "1.00", "10", "Default: 1 JP per jam sesi mentoring, maks. 10 JP per kegiatan."),
    (CourseFormat.INTERNSHIP, "0.50", "40", "Default: 4 JP per hari kerja magang (8 jam)."),
    (CourseFormat.BENCHMARKING, "0.75", "20", "Default: 6 JP per hari studi lapangan."),
    (CourseFormat.SECONDMENT, "0.25", "40", "Default: 2 JP per hari detasering."),
    (CourseFormat.EXCHANGE, "0.25", "40", "Default: 2 JP per hari pertukaran."),
    (CourseFormat.SELF_STUDY, "0.50", "10", "Default: belajar mandiri dihargai separuh."),
    (CourseFormat.COMMUNITY, "0.50", "10", "Default: komunitas belajar dihargai separuh."),
    (CourseFormat.TEAM_BUILDING, "0.50", "8", "Default."),
    (CourseFormat.OTHER, "0.50", "10", "Default."),
]

REACTION_ITEMS: list[tuple[str, str, str]] = [
    (QuestionKind.LIKERT, QuestionDimension.RELEVANCE, "Materi pelatihan relevan dengan tugas jabatan saya."),
    (QuestionKind.LIKERT, QuestionDimension.APPLICABILITY, "Materi pelatihan dapat saya terapkan di tempat kerja."),
    (
        QuestionKind.LIKERT,
        QuestionDimension.TRAINER,
        "Pengajar/fasilitator menguasai materi dan menyampaikannya dengan jelas.",
    ),
    (QuestionKind.LIKERT, QuestionDimension.MATERIAL, "Bahan ajar tersusun baik dan mutakhir."),
    (
        QuestionKind.LIKERT,
        QuestionDimension.ORGANISATION,
        "Penyelenggaraan (jadwal, tempat/platform, layanan) berjalan baik.",
    ),
    (QuestionKind.TEXT, QuestionDimension.GENERAL, "Saran untuk perbaikan pelatihan berikutnya."),
]

FOLLOWUP_PARTICIPANT_ITEMS: list[tuple[str, str, str]] = [
    (
        QuestionKind.LIKERT,
        QuestionDimension.APPLICATION,
        "Saya telah menerapkan hasil pelatihan dalam pekerjaan sehari-hari.",
    ),
    (QuestionKind.LIKERT, QuestionDimension.APPLICATION, "Penerapan hasil pelatihan meningkatkan kinerja saya."),
    (QuestionKind.TEXT, QuestionDimension.APPLICATION, "Jelaskan contoh penerapan hasil pelatihan dan kendalanya."),
]

FOLLOWUP_SUPERVISOR_ITEMS: list[tuple[str, str, str]] = [
    (QuestionKind.YES_NO, QuestionDimension.APPLICATION, "Pegawai menerapkan hasil pelatihan di tempat kerja."),
    (QuestionKind.LIKERT, QuestionDimension.APPLICATION, "Kinerja pegawai meningkat setelah pelatihan."),
    (QuestionKind.TEXT, QuestionDimension.APPLICATION, "Bagaimana hasil pelatihan diterapkan? (bukti/contoh)"),
]

TEMPLATES: list[tuple[str, str, str, int, list[tuple[str, str, str]]]] = [
    (QuestionnaireKind.REACTION, RespondentRole.PARTICIPANT, "Evaluasi Reaksi Peserta Pelatihan", 0, REACTION_ITEMS),
    (
        QuestionnaireKind.FOLLOWUP,
        RespondentRole.PARTICIPANT,
        "Evaluasi Pascapelatihan (Peserta)",
        90,
        FOLLOWUP_PARTICIPANT_ITEMS,
    ),
    (
        QuestionnaireKind.FOLLOWUP,
        RespondentRole.SUPERVISOR,
        "Evaluasi Pascapelatihan (Atasan Langsung)",
        90,
        FOLLOWUP_SUPERVISOR_ITEMS,
    ),
]


def ensure_jp_rates(JpRate: Any) -> int:
    """Create missing JP conversion rows; never overwrite BKD's edits."""
    made = 0
    for fmt, per_hour, max_jp, note in JP_RATES:
        _obj, created = JpRate.objects.get_or_create(
            format=str(fmt), defaults={"jp_per_hour": Decimal(per_hour), "max_jp": Decimal(max_jp), "note": note}
        )
        made += int(created)
    return made


def ensure_questionnaires(QuestionnaireTemplate: Any, Question: Any) -> int:
    """Create the national default templates (agency = None) when missing."""
    made = 0
    for kind, role, title, days, items in TEMPLATES:
        tpl, created = QuestionnaireTemplate.objects.get_or_create(
            agency=None,
            kind=str(kind),
            respondent_role=str(role),
            defaults={"title": title, "days_after_completion": days},
        )
        if created:
            made += 1
            Question.objects.bulk_create(
                [
                    Question(
                        template=tpl,
                        order=i,
                        kind=str(qk),
                        dimension=str(dim),
                        text=text,
                        required=qk != QuestionKind.TEXT,
                        confirms_application=(qk == QuestionKind.YES_NO),
                    )
                    for i, (qk, dim, text) in enumerate(items, start=1)
                ]
            )
    return made


def ensure_defaults() -> None:
    """Both loaders on the live models (tests and seeders)."""
    from .models import JpRate, Question, QuestionnaireTemplate

    ensure_jp_rates(JpRate)
    ensure_questionnaires(QuestionnaireTemplate, Question)
