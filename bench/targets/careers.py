"""Pages, API lists and jobs of the careers app measured by bench/run.py."""

from __future__ import annotations

from typing import Any

PAGES = [
    ("staff", "/karier/saya/", "Karier Saya"),
    ("staff", "/karier/bimbingan/", "Bimbingan (pegawai)"),
    ("head", "/karier/tim/", "Tim saya: kadens bimbingan"),
    ("head", "/karier/bimbingan/", "Bimbingan (kepala)"),
    ("head", "/karier/rencana/", "Rencana karier unit"),
    ("head", "/karier/pegawai/{staff_employee_id}/linimasa/", "Linimasa karier pegawai"),
    ("hr_admin", "/karier/talenta/{careers_review_id}/", "9-box instansi"),
    ("hr_admin", "/karier/talenta/{careers_review_id}/kotak/5/", "9-box: daftar kotak 5"),
    ("hr_admin", "/karier/talenta/{careers_review_id}/pool/", "Talent pool per rumpun"),
    ("hr_admin", "/karier/rencana/", "Cakupan rencana karier per unit"),
    ("hr_admin", "/karier/bimbingan/kadens/", "Kadens bimbingan per unit"),
    ("hr_admin", "/karier/tindak-lanjut/", "Tindak lanjut penilaian"),
    ("hr_admin", "/karier/suksesi/", "Jabatan kunci"),
    ("hr_admin", "/api/v1/career-plans/", "API rencana karier"),
    ("hr_admin", "/api/v1/mentoring-sessions/", "API sesi bimbingan"),
    ("hr_admin", "/api/v1/talent-reviews/{careers_review_id}/placements/", "API penempatan talenta"),
    ("hr_admin", "/api/v1/appraisal-follow-ups/", "API tindak lanjut"),
    ("head", "/api/v1/employees/{staff_employee_id}/timeline/", "API linimasa"),
]

JOBS = [
    ("Hitung periode talenta instansi terbesar", "careers.jobs.recompute_largest_review"),
    ("Draf tindak lanjut penilaian (semua instansi)", "careers.jobs.draft_follow_ups_all"),
    ("Pengingat harian bimbingan dan rencana", "careers.jobs.reminders"),
]


def placeholders() -> dict[str, Any]:
    from careers.models import TalentReview

    review = TalentReview.objects.filter(agency__code="medan").order_by("-year", "-pk").first()
    return {"careers_review_id": review.pk if review else 0}
