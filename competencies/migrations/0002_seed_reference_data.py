"""Load the 8 managerial competencies and Perekat Bangsa (PermenPANRB 38/2017), the default standard
levels by position type (regulations.md §2.3, editable) and assessment validity per method; schedule the
nightly JPM recompute (django-celery-beat, editable by admins).

The data is frozen here as it was when this migration was written (competencies/seed.py at that time):
a later edit of that module needs its own migration, so history never changes meaning."""

import json

from django.db import migrations

# PermenPANRB 38/2017, Kamus Kompetensi (regulations.md §2.2–2.3).
NATIONAL = [{'code': 'M1',
  'kind': 'managerial',
  'name': 'Integritas',
  'definition': 'Konsisten berperilaku selaras dengan nilai, norma dan/atau etika organisasi, dan jujur dalam '
                'hubungan dengan manajemen, rekan kerja, bawahan langsung, dan pemangku kepentingan, menciptakan '
                'budaya etika tinggi, bertanggung jawab atas tindakan atau keputusan beserta risiko yang '
                'menyertainya.',
  'levels': ['Mampu bertindak sesuai nilai, norma, etika organisasi dalam kapasitas pribadi.',
             'Mampu mengingatkan, mengajak rekan kerja untuk bertindak sesuai nilai, norma, dan etika organisasi.',
             'Mampu memastikan, menanamkan keyakinan bersama agar anggota yang dipimpin bertindak sesuai nilai, '
             'norma, dan etika organisasi, dalam lingkup formal.',
             'Mampu menciptakan situasi kerja yang mendorong kepatuhan pada nilai, norma, dan etika organisasi.',
             'Mampu menjadi role model dalam penerapan standar keadilan dan etika di tingkat nasional.']},
 {'code': 'M2',
  'kind': 'managerial',
  'name': 'Kerja Sama',
  'definition': 'Kemampuan menjalin, membina, mempertahankan hubungan kerja yang efektif, memiliki komitmen saling '
                'membantu dalam penyelesaian tugas, dan mengoptimalkan segala sumber daya untuk mencapai tujuan '
                'strategis organisasi.',
  'levels': ['Berpartisipasi dalam kelompok kerja.',
             'Menumbuhkan tim kerja yang partisipatif dan efektif.',
             'Efektif membangun tim kerja untuk peningkatan kinerja organisasi.',
             'Membangun komitmen tim dan sinergi.',
             'Menciptakan situasi kerja sama secara konsisten, baik di dalam maupun di luar instansi.']},
 {'code': 'M3',
  'kind': 'managerial',
  'name': 'Komunikasi',
  'definition': 'Kemampuan untuk menerangkan pandangan dan gagasan secara jelas, sistematis disertai argumentasi '
                'yang logis dengan cara-cara yang sesuai baik secara lisan maupun tertulis; memastikan pemahaman; '
                'mendengarkan secara aktif dan efektif; mempersuasi, meyakinkan dan membujuk orang lain dalam '
                'rangka mencapai tujuan organisasi.',
  'levels': ['Menyampaikan informasi dengan jelas, lengkap, dan membangun pemahaman yang sama.',
             'Aktif menjalankan komunikasi secara formal dan informal; bersedia mendengarkan orang lain dan '
             'menginterpretasikan pesan dengan respons yang sesuai.',
             'Berkomunikasi secara asertif; terampil berkomunikasi lisan dan tertulis untuk menyampaikan informasi '
             'yang sensitif, rumit, atau kompleks.',
             'Mampu mengemukakan pemikiran multidimensi secara lisan dan tertulis untuk mendorong kesepakatan '
             'dengan tujuan meningkatkan kinerja secara keseluruhan.',
             'Menggagas sistem komunikasi yang terbuka secara strategis untuk mencari solusi dengan tujuan '
             'meningkatkan kinerja.']},
 {'code': 'M4',
  'kind': 'managerial',
  'name': 'Orientasi pada Hasil',
  'definition': 'Kemampuan mempertahankan komitmen pribadi yang tinggi untuk menyelesaikan tugas, dapat '
                'diandalkan, bertanggung jawab, mampu secara sistematis mengidentifikasi risiko dan peluang dengan '
                'memperhatikan keterhubungan antara perencanaan dan hasil, untuk keberhasilan organisasi.',
  'levels': ['Bertanggung jawab untuk memenuhi standar kerja.',
             'Berupaya meningkatkan hasil kerja pribadi yang lebih tinggi dari standar yang ditetapkan; mencari '
             'dan mencoba metode alternatif untuk peningkatan kinerja.',
             'Menetapkan target kerja yang menantang bagi unit kerja; memberi apresiasi dan teguran untuk '
             'mendorong kinerja.',
             'Mendorong unit kerja mencapai target yang ditetapkan atau melebihi hasil kerja sebelumnya.',
             'Meningkatkan mutu pencapaian kerja organisasi.']},
 {'code': 'M5',
  'kind': 'managerial',
  'name': 'Pelayanan Publik',
  'definition': 'Kemampuan dalam melaksanakan tugas-tugas pemerintahan, pembangunan dan kegiatan pemenuhan '
                'kebutuhan pelayanan publik secara profesional, transparan, mengikuti standar pelayanan yang '
                'objektif, netral, tidak memihak, tidak diskriminatif, serta tidak terpengaruh kepentingan '
                'pribadi, kelompok, atau partai politik.',
  'levels': ['Menjalankan tugas-tugas pelayanan publik secara bertanggung jawab, transparan, objektif, dan tidak '
             'diskriminatif.',
             'Mampu mensupervisi, mengawasi, menyelia, dan menjelaskan proses pelaksanaan tugas pemerintahan atau '
             'pelayanan publik secara transparan.',
             'Mampu memanfaatkan kekuatan kelompok serta memperbaiki standar pelayanan publik di lingkup unit '
             'kerja.',
             'Mampu memonitor, mengevaluasi, dan mengantisipasi dampak isu-isu jangka panjang dalam pelayanan '
             'kebutuhan pemangku kepentingan yang transparan, objektif, dan profesional.',
             'Mampu menciptakan kebijakan pelayanan publik yang menjamin terselenggaranya pelayanan yang objektif, '
             'netral, tidak memihak, dan tidak diskriminatif.']},
 {'code': 'M6',
  'kind': 'managerial',
  'name': 'Pengembangan Diri dan Orang Lain',
  'definition': 'Kemampuan untuk meningkatkan pengetahuan dan menyempurnakan keterampilan diri; menginspirasi '
                'orang lain untuk mengembangkan dan menyempurnakan pengetahuan dan keterampilan yang relevan '
                'dengan pekerjaan dan pengembangan karier jangka panjang, mendorong kemauan belajar sepanjang '
                'hidup, memberikan saran, umpan balik, dan bimbingan untuk membantu orang lain mengembangkan '
                'potensi dirinya.',
  'levels': ['Pengembangan diri.',
             'Meningkatkan kemampuan bawahan dengan memberikan contoh dan penjelasan cara melaksanakan suatu '
             'pekerjaan.',
             'Memberikan umpan balik dan membimbing.',
             'Menyusun program pengembangan jangka panjang dalam rangka mendorong manajemen pembelajaran.',
             'Menciptakan situasi yang mendorong organisasi untuk mengembangkan kemampuan belajar secara '
             'berkelanjutan dalam rangka mendukung pencapaian hasil.']},
 {'code': 'M7',
  'kind': 'managerial',
  'name': 'Mengelola Perubahan',
  'definition': 'Kemampuan dalam menyesuaikan diri dengan situasi yang baru atau berubah dan tidak bergantung '
                'secara berlebihan pada metode dan proses lama, mengambil tindakan untuk mendukung dan '
                'melaksanakan inisiatif perubahan, memimpin usaha perubahan, mengambil tanggung jawab pribadi '
                'untuk memastikan perubahan berhasil diimplementasikan secara efektif.',
  'levels': ['Menyadari pentingnya perubahan untuk menyesuaikan dengan situasi yang terjadi.',
             'Proaktif beradaptasi mengikuti perubahan.',
             'Membantu orang lain mengikuti perubahan dan mengantisipasi perubahan secara tepat.',
             'Memimpin perubahan pada unit kerja.',
             'Mengarahkan perubahan pada tingkat organisasi.']},
 {'code': 'M8',
  'kind': 'managerial',
  'name': 'Pengambilan Keputusan',
  'definition': 'Kemampuan membuat keputusan yang baik secara tepat waktu dan dengan keyakinan diri setelah '
                'mempertimbangkan prinsip kehati-hatian, dirumuskan secara sistematis dan saksama berdasarkan '
                'berbagai informasi, alternatif pemecahan masalah dan konsekuensinya, serta bertanggung jawab atas '
                'keputusan yang diambil.',
  'levels': ['Mengumpulkan informasi untuk bertindak sesuai kewenangan.',
             'Menganalisis masalah secara mendalam.',
             'Membandingkan berbagai alternatif dan menyeimbangkan risiko keberhasilan dalam implementasi.',
             'Menyelesaikan masalah yang mengandung risiko tinggi, mengantisipasi dampak keputusan, dan membuat '
             'tindakan pengamanan (mitigasi risiko).',
             'Menghasilkan solusi dan mengambil keputusan untuk mengatasi permasalahan jangka panjang atau '
             'strategis yang berdampak nasional.']},
 {'code': 'SK1',
  'kind': 'sociocultural',
  'name': 'Perekat Bangsa',
  'definition': 'Kemampuan dalam mempromosikan sikap toleransi, keterbukaan, peka terhadap perbedaan individu atau '
                'kelompok masyarakat; mampu menjadi perpanjangan tangan pemerintah dalam mempersatukan masyarakat '
                'dan membangun hubungan sosial psikologis dengan masyarakat di tengah kemajemukan Indonesia; '
                'menjaga, mengembangkan, dan mewujudkan rasa persatuan dan kesatuan dalam kehidupan bermasyarakat, '
                'berbangsa, dan bernegara.',
  'levels': ['Peka memahami dan menerima kemajemukan.',
             'Aktif mengembangkan sikap saling menghargai, menekankan persamaan dan persatuan.',
             'Mempromosikan dan mengembangkan sikap toleransi dan persatuan.',
             'Mendayagunakan perbedaan secara konstruktif dan kreatif untuk meningkatkan efektivitas organisasi.',
             'Menjadi wakil pemerintah untuk membangun hubungan sosial psikologis.']}]

DEFAULT_LEVELS = [('jpt_utama', '', 5, ''),
 ('jpt_madya', '', 5, ''),
 ('jpt_pratama', '', 4, ''),
 ('administrator', '', 3, ''),
 ('pengawas', '', 2, ''),
 ('pelaksana', '', 1, ''),
 ('fungsional_keahlian', 'ahli_utama', 4, 'Bervariasi per JF (instansi pembina).'),
 ('fungsional_keahlian', 'ahli_madya', 3, 'Bervariasi per JF (instansi pembina).'),
 ('fungsional_keahlian', 'ahli_muda', 2, 'Bervariasi per JF (instansi pembina).'),
 ('fungsional_keahlian', 'ahli_pertama', 1, 'Bervariasi per JF (instansi pembina).'),
 ('fungsional_keterampilan', 'penyelia', 2, 'Bervariasi per JF (instansi pembina).'),
 ('fungsional_keterampilan', 'mahir', 1, 'Bervariasi per JF (instansi pembina).'),
 ('fungsional_keterampilan', 'terampil', 1, 'Bervariasi per JF (instansi pembina).'),
 ('fungsional_keterampilan', 'pemula', 1, 'Bervariasi per JF (instansi pembina).')]

VALIDITY_YEARS = {'assessment_center': 3,
 'competency_test': 3,
 'cat': 2,
 'supervisor': 1,
 'supervisor_after_training': 1,
 'self': 1,
 'mentoring_observation': 1}


TASK = "competencies.tasks.jpm_recompute_all"


def load(apps, schema_editor):
    Competency = apps.get_model("competencies", "Competency")
    for order, item in enumerate(NATIONAL, start=1):
        if not Competency.objects.filter(agency__isnull=True, code=item["code"]).exists():
            Competency.objects.create(
                agency=None,
                code=item["code"],
                kind=item["kind"],
                name=item["name"],
                definition=item["definition"],
                order=order,
                **{f"level_{i}": text for i, text in enumerate(item["levels"], start=1)},
            )
    DefaultRequirementLevel = apps.get_model("competencies", "DefaultRequirementLevel")
    for kind, flevel, level, note in DEFAULT_LEVELS:
        DefaultRequirementLevel.objects.get_or_create(
            position_kind=kind, functional_level=flevel, defaults={"level": level, "note": note}
        )
    AssessmentValidity = apps.get_model("competencies", "AssessmentValidity")
    for method, years in VALIDITY_YEARS.items():
        AssessmentValidity.objects.get_or_create(method=method, defaults={"years": years})
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="1", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Jakarta"
    )
    PeriodicTask.objects.update_or_create(
        name="Hitung ulang JPM seluruh pegawai (malam)",
        defaults={"task": TASK, "crontab": nightly, "kwargs": json.dumps({}), "expire_seconds": 23 * 3600,
                  "enabled": True},
    )


def unload(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()
    apps.get_model("competencies", "DefaultRequirementLevel").objects.all().delete()
    apps.get_model("competencies", "AssessmentValidity").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("competencies", "0001_initial"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(load, unload)]
