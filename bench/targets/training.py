"""Pages, API lists and jobs of the training app measured by bench/run.py on the 50,000-employee demo."""

PAGES = [
    ("staff", "/pelatihan/", "Katalog + disarankan"),
    ("staff", "/pelatihan/?q=pelatihan&format=teknis&jp_min=10", "Katalog: cari + filter"),
    ("staff", "/pelatihan/disarankan/", "Disarankan untuk Anda"),
    ("staff", "/pelatihan/saya/", "Riwayat pembelajaran (JP)"),
    ("staff", "/pelatihan/kuesioner/", "Kuesioner evaluasi"),
    ("head", "/pelatihan/tim/", "Pelatihan tim (JP + kesenjangan)"),
    ("hr_admin", "/pelatihan/kelola/", "Kelola pelatihan"),
    ("hr_admin", "/pelatihan/laporan/kepatuhan-jp/", "Kepatuhan 20 JP (instansi)"),
    ("hr_admin", "/pelatihan/laporan/kepatuhan-jp/?format=xlsx", "Kepatuhan 20 JP: XLSX"),
    ("hr_admin", "/pelatihan/laporan/kuesioner/", "Hasil kuesioner"),
    ("hr_admin", "/pelatihan/laporan/kebutuhan/", "Kebutuhan pelatihan per unit"),
    ("hr_admin", "/pelatihan/verifikasi/", "Verifikasi eksternal"),
    ("hr_admin", "/api/v1/courses/", "API katalog"),
    ("hr_admin", "/api/v1/offerings/", "API angkatan"),
    ("hr_admin", "/api/v1/enrollments/", "API peserta"),
    ("hr_admin", "/api/v1/learning-records/", "API catatan JP"),
    ("hr_admin", "/api/v1/employees/{staff_employee_id}/recommendations/", "API rekomendasi"),
    ("hr_admin", "/api/v1/employees/{staff_employee_id}/jp-summary/", "API ringkasan JP"),
]

JOBS = [
    ("Pelatihan: tugas harian (kuesioner, pengingat, daftar tunggu, jendela)", "training.jobs.daily"),
    ("Pelatihan: pengingat 20 JP bulanan", "bench.targets.training.monthly_in_august"),
    ("Pelatihan: rekap JP tahunan", "training.jobs.yearly_summary"),
]


def monthly_in_august() -> dict[str, int]:
    """The monthly reminder as it runs from July (the real date may be earlier in the year)."""
    import datetime as dt

    from django.utils import timezone

    from training.jobs import monthly_jp_reminder

    return monthly_jp_reminder(dt.date(timezone.localdate().year, 8, 1))
