"""Demo data for the people app: two agencies with realistic OPD trees, positions of every type,
employees with valid NIPs, Indonesian names, believable rank/education/age spread, histories and a
few sanctions. Bulk operations only, so 50,000 employees seed in well under two minutes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password

from asn_portal.demo import DEMO_PASSWORD, DemoContext

from .choices import (
    AgencyRoleKind,
    EducationLevel,
    EmployeeStatus,
    EmploymentType,
    FunctionalLevel,
    PositionType,
    SanctionLevel,
    UnitKind,
)
from .models import (
    Agency,
    AgencyRole,
    DisciplinarySanction,
    Employee,
    OrgUnit,
    Position,
    PositionHistory,
    Rank,
    RankHistory,
    User,
)
from .rules import build_nip

AGENCIES = [
    ("medan", "Pemerintah Kota Medan", "Pemko Medan", "Kota Medan", 0.7),
    ("pontianak", "Pemerintah Kota Pontianak", "Pemkot Pontianak", "Kota Pontianak", 0.3),
]

OPDS = [
    (
        "SETDA",
        "Sekretariat Daerah",
        UnitKind.SECRETARIAT,
        "Sekretaris Daerah",
        ["Bagian Pemerintahan", "Bagian Hukum", "Bagian Organisasi", "Bagian Umum"],
    ),
    (
        "BKD",
        "Badan Kepegawaian dan Pengembangan SDM",
        UnitKind.BADAN,
        "Kepala Badan",
        [
            "Bidang Mutasi dan Promosi",
            "Bidang Pengembangan Kompetensi",
            "Bidang Penilaian Kinerja",
            "Bidang Data dan Informasi",
        ],
    ),
    (
        "INSP",
        "Inspektorat",
        UnitKind.INSPECTORATE,
        "Inspektur",
        ["Inspektur Pembantu Wilayah I", "Inspektur Pembantu Wilayah II"],
    ),
    (
        "DISDIK",
        "Dinas Pendidikan",
        UnitKind.DINAS,
        "Kepala Dinas",
        ["Bidang Pembinaan SD", "Bidang Pembinaan SMP", "Bidang PAUD", "Bidang Ketenagaan"],
    ),
    (
        "DINKES",
        "Dinas Kesehatan",
        UnitKind.DINAS,
        "Kepala Dinas",
        [
            "Bidang Pelayanan Kesehatan",
            "Bidang Pencegahan Penyakit",
            "Bidang Kesehatan Masyarakat",
            "Bidang SDM Kesehatan",
        ],
    ),
    (
        "DPU",
        "Dinas Pekerjaan Umum",
        UnitKind.DINAS,
        "Kepala Dinas",
        ["Bidang Bina Marga", "Bidang Sumber Daya Air", "Bidang Cipta Karya"],
    ),
    (
        "DISHUB",
        "Dinas Perhubungan",
        UnitKind.DINAS,
        "Kepala Dinas",
        ["Bidang Lalu Lintas", "Bidang Angkutan", "Bidang Perparkiran"],
    ),
    (
        "DINSOS",
        "Dinas Sosial",
        UnitKind.DINAS,
        "Kepala Dinas",
        ["Bidang Rehabilitasi Sosial", "Bidang Perlindungan Sosial", "Bidang Pemberdayaan Sosial"],
    ),
    (
        "DISDUKCAPIL",
        "Dinas Kependudukan dan Pencatatan Sipil",
        UnitKind.DINAS,
        "Kepala Dinas",
        ["Bidang Pendaftaran Penduduk", "Bidang Pencatatan Sipil", "Bidang PIAK"],
    ),
    (
        "DLH",
        "Dinas Lingkungan Hidup",
        UnitKind.DINAS,
        "Kepala Dinas",
        ["Bidang Kebersihan", "Bidang Pengendalian Pencemaran", "Bidang Pertamanan"],
    ),
    (
        "KOMINFO",
        "Dinas Komunikasi dan Informatika",
        UnitKind.DINAS,
        "Kepala Dinas",
        ["Bidang Aplikasi Informatika", "Bidang Statistik dan Persandian", "Bidang Informasi Publik"],
    ),
    (
        "BAPPEDA",
        "Badan Perencanaan Pembangunan Daerah",
        UnitKind.BADAN,
        "Kepala Badan",
        ["Bidang Perencanaan Ekonomi", "Bidang Perencanaan Infrastruktur", "Bidang Litbang"],
    ),
    (
        "BPKAD",
        "Badan Pengelolaan Keuangan dan Aset Daerah",
        UnitKind.BADAN,
        "Kepala Badan",
        ["Bidang Anggaran", "Bidang Perbendaharaan", "Bidang Akuntansi", "Bidang Aset"],
    ),
    (
        "BAPENDA",
        "Badan Pendapatan Daerah",
        UnitKind.BADAN,
        "Kepala Badan",
        ["Bidang Pajak Daerah", "Bidang Retribusi", "Bidang Penagihan"],
    ),
    (
        "DISPAR",
        "Dinas Kebudayaan dan Pariwisata",
        UnitKind.DINAS,
        "Kepala Dinas",
        ["Bidang Destinasi Wisata", "Bidang Kebudayaan"],
    ),
    (
        "DISNAKER",
        "Dinas Tenaga Kerja",
        UnitKind.DINAS,
        "Kepala Dinas",
        ["Bidang Pelatihan Kerja", "Bidang Hubungan Industrial"],
    ),
    ("DISKOP", "Dinas Koperasi dan UKM", UnitKind.DINAS, "Kepala Dinas", ["Bidang Koperasi", "Bidang Usaha Mikro"]),
    ("DISPERDAG", "Dinas Perdagangan", UnitKind.DINAS, "Kepala Dinas", ["Bidang Perdagangan", "Bidang Pasar"]),
    (
        "DPMPTSP",
        "Dinas Penanaman Modal dan PTSP",
        UnitKind.DINAS,
        "Kepala Dinas",
        ["Bidang Perizinan", "Bidang Penanaman Modal"],
    ),
    ("DISPORA", "Dinas Pemuda dan Olahraga", UnitKind.DINAS, "Kepala Dinas", ["Bidang Kepemudaan", "Bidang Olahraga"]),
    (
        "DISPERKIM",
        "Dinas Perumahan dan Kawasan Permukiman",
        UnitKind.DINAS,
        "Kepala Dinas",
        ["Bidang Perumahan", "Bidang Permukiman"],
    ),
    (
        "DISPUSIP",
        "Dinas Perpustakaan dan Kearsipan",
        UnitKind.DINAS,
        "Kepala Dinas",
        ["Bidang Perpustakaan", "Bidang Kearsipan"],
    ),
    (
        "SATPOLPP",
        "Satuan Polisi Pamong Praja",
        UnitKind.BADAN,
        "Kepala Satuan",
        ["Bidang Penegakan Perda", "Bidang Ketertiban Umum"],
    ),
    (
        "BPBD",
        "Badan Penanggulangan Bencana Daerah",
        UnitKind.BADAN,
        "Kepala Pelaksana",
        ["Bidang Pencegahan", "Bidang Kedaruratan"],
    ),
    ("KEC-BARAT", "Kecamatan Kota Barat", UnitKind.KECAMATAN, "Camat", ["Seksi Pemerintahan", "Seksi Pelayanan Umum"]),
    ("KEC-TIMUR", "Kecamatan Kota Timur", UnitKind.KECAMATAN, "Camat", ["Seksi Pemerintahan", "Seksi Pelayanan Umum"]),
    ("KEC-UTARA", "Kecamatan Kota Utara", UnitKind.KECAMATAN, "Camat", ["Seksi Pemerintahan", "Seksi Ketenteraman"]),
    (
        "KEC-SELATAN",
        "Kecamatan Kota Selatan",
        UnitKind.KECAMATAN,
        "Camat",
        ["Seksi Pemerintahan", "Seksi Pelayanan Umum"],
    ),
    (
        "KEC-TENGAH",
        "Kecamatan Kota Tengah",
        UnitKind.KECAMATAN,
        "Camat",
        ["Seksi Pemerintahan", "Seksi Kesejahteraan Sosial"],
    ),
    ("BAPPERIDA", "Badan Riset dan Inovasi Daerah", UnitKind.BADAN, "Kepala Badan", ["Bidang Riset", "Bidang Inovasi"]),
]

FIRST_M = [
    "Ahmad",
    "Budi",
    "Rizky",
    "Fajar",
    "Hendra",
    "Andi",
    "Dedi",
    "Rahmat",
    "Agus",
    "Joko",
    "Bambang",
    "Teguh",
    "Irfan",
    "Yusuf",
    "Arif",
    "Dimas",
    "Eko",
    "Hadi",
    "Iwan",
    "Surya",
    "Rudi",
    "Taufik",
    "Zulkifli",
    "Syahrul",
    "Bonar",
    "Parlindungan",
    "Togar",
    "Marulak",
    "Ilham",
    "Wahyu",
]
FIRST_F = [
    "Siti",
    "Dewi",
    "Rina",
    "Fitri",
    "Nurul",
    "Ayu",
    "Indah",
    "Sri",
    "Wulan",
    "Ratna",
    "Yuni",
    "Lestari",
    "Maya",
    "Putri",
    "Rahmawati",
    "Novita",
    "Intan",
    "Sari",
    "Eka",
    "Melati",
    "Tiurma",
    "Rosmawati",
    "Nurhayati",
    "Kartika",
    "Anisa",
    "Dian",
    "Hana",
    "Lina",
    "Mega",
    "Desi",
]
LAST = [
    "Siregar",
    "Nasution",
    "Lubis",
    "Harahap",
    "Simanjuntak",
    "Sitompul",
    "Hutapea",
    "Pardede",
    "Ginting",
    "Tarigan",
    "Sembiring",
    "Saragih",
    "Purba",
    "Damanik",
    "Pohan",
    "Rangkuti",
    "Batubara",
    "Hasibuan",
    "Santoso",
    "Wijaya",
    "Pratama",
    "Saputra",
    "Hidayat",
    "Kurniawan",
    "Setiawan",
    "Gunawan",
    "Susanto",
    "Firmansyah",
    "Syahputra",
    "Rahman",
    "Effendi",
    "Utomo",
    "Halim",
    "Tanjung",
    "Matondang",
]
CITIES = [
    "Medan",
    "Pematangsiantar",
    "Binjai",
    "Tebing Tinggi",
    "Pontianak",
    "Singkawang",
    "Padang",
    "Pekanbaru",
    "Semarang",
    "Jakarta",
    "Bandung",
    "Tarutung",
    "Sibolga",
    "Kabanjahe",
]
FIELDS = [
    "Ilmu Pemerintahan",
    "Administrasi Publik",
    "Manajemen",
    "Akuntansi",
    "Hukum",
    "Teknik Sipil",
    "Teknik Informatika",
    "Kesehatan Masyarakat",
    "Keperawatan",
    "Pendidikan",
    "Ekonomi Pembangunan",
    "Statistika",
    "Ilmu Komunikasi",
    "Kedokteran",
    "Psikologi",
]

FUNCTIONAL = [
    ("Analis Kebijakan", PositionType.FUNGSIONAL_KEAHLIAN, FunctionalLevel.AHLI_MUDA, 9),
    ("Analis SDM Aparatur", PositionType.FUNGSIONAL_KEAHLIAN, FunctionalLevel.AHLI_PERTAMA, 8),
    ("Perencana", PositionType.FUNGSIONAL_KEAHLIAN, FunctionalLevel.AHLI_PERTAMA, 8),
    ("Auditor", PositionType.FUNGSIONAL_KEAHLIAN, FunctionalLevel.AHLI_MUDA, 9),
    ("Pranata Komputer", PositionType.FUNGSIONAL_KEAHLIAN, FunctionalLevel.AHLI_PERTAMA, 8),
    ("Arsiparis", PositionType.FUNGSIONAL_KETERAMPILAN, FunctionalLevel.TERAMPIL, 6),
    ("Pranata Keuangan APBD", PositionType.FUNGSIONAL_KETERAMPILAN, FunctionalLevel.MAHIR, 7),
    ("Analis Kebijakan", PositionType.FUNGSIONAL_KEAHLIAN, FunctionalLevel.AHLI_MADYA, 11),
]
PELAKSANA = [
    ("Pengadministrasi Perkantoran", 5),
    ("Pengelola Layanan Operasional", 6),
    ("Penata Layanan Operasional", 7),
    ("Operator Layanan Operasional", 5),
]

# Typical (rank order range, education choices) per position type.
RANK_BY_KIND: dict[str, tuple[int, int]] = {
    PositionType.JPT_MADYA: (15, 16),
    PositionType.JPT_PRATAMA: (13, 15),
    PositionType.ADMINISTRATOR: (12, 14),
    PositionType.PENGAWAS: (10, 13),
    PositionType.FUNGSIONAL_KEAHLIAN: (9, 14),
    PositionType.FUNGSIONAL_KETERAMPILAN: (6, 11),
    PositionType.PELAKSANA: (5, 12),
}


@dataclass
class _Unit:
    obj: OrgUnit
    head: Position | None = None
    staff_positions: list[Position] = field(default_factory=list)


def _head_title(head_title: str, opd_name: str, kind: str) -> str:
    """The head post's title: "Kepala Dinas" + "Dinas Sosial" → "Kepala Dinas Sosial", "Camat" + "Kecamatan
    Kota Barat" → "Camat Kota Barat", "Inspektur" + "Inspektorat" → "Inspektur"."""
    if kind == UnitKind.KECAMATAN:
        return f"Camat {opd_name.split(' ', 1)[1]}"
    if opd_name.lower().startswith(head_title.lower()[:6]):
        return head_title
    last = head_title.split()[-1]
    if opd_name.startswith(f"{last} "):
        return f"{head_title.rsplit(' ', 1)[0]} {opd_name}"
    return f"{head_title} {opd_name}"


def _education_for(kind: str, rank_order: int, rng: Any) -> str:
    if kind in (PositionType.JPT_MADYA, PositionType.JPT_PRATAMA):
        return rng.choice([EducationLevel.S2, EducationLevel.S2, EducationLevel.S3])
    if kind in (PositionType.ADMINISTRATOR, PositionType.FUNGSIONAL_KEAHLIAN):
        return rng.choice([EducationLevel.S1, EducationLevel.S1, EducationLevel.S2])
    if kind == PositionType.PENGAWAS:
        return rng.choice([EducationLevel.D3, EducationLevel.S1, EducationLevel.S1, EducationLevel.S2])
    if rank_order <= 6:
        return rng.choice([EducationLevel.SLTA, EducationLevel.SLTA, EducationLevel.D3])
    return rng.choice([EducationLevel.SLTA, EducationLevel.D3, EducationLevel.S1, EducationLevel.S1])


def seed_people(ctx: DemoContext) -> None:
    rng = ctx.rng
    today = ctx.today
    ranks = {r.order: r for r in Rank.objects.filter(scheme="pns")}
    pppk_ranks = {r.order: r for r in Rank.objects.filter(scheme="pppk")}
    password_hash = make_password(DEMO_PASSWORD)
    nip_seq: dict[str, int] = {}
    all_agencies = []
    demo: dict[str, Any] = {}

    for code, name, short, region, share in AGENCIES:
        agency = Agency.objects.create(code=code, name=name, short_name=short, region=region)
        all_agencies.append(agency)
        n_emp = max(40, int(ctx.employees * share))
        n_opd = max(6, min(len(OPDS), n_emp // 45))
        with_sub = n_emp >= 3000
        units: list[_Unit] = []
        # OPD list: always SETDA and BKD first, then a deterministic sample.
        opds = OPDS[:2] + rng.sample(OPDS[2:], n_opd - 2)
        setda = OrgUnit.objects.create(agency=agency, code="SETDA", name=OPDS[0][1], kind=OPDS[0][2])
        sekda = Position.objects.create(
            agency=agency,
            unit=setda,
            code="SETDA-H",
            title="Sekretaris Daerah",
            kind=PositionType.JPT_MADYA,
            job_class=16,
            is_key=True,
        )
        setda.head_position = sekda
        setda.save(update_fields=["head_position"])
        top = _Unit(setda, sekda)
        units.append(top)
        pos_seq = 0

        def new_pos(
            unit: OrgUnit,
            title: str,
            kind: str,
            job_class: int,
            reports_to: Position | None,
            headcount: int = 1,
            level: str = "",
            is_key: bool = False,
            agency: Agency = agency,
        ) -> Position:
            nonlocal pos_seq
            pos_seq += 1
            return Position(
                agency=agency,
                unit=unit,
                code=f"P{pos_seq:05d}",
                title=title,
                kind=kind,
                functional_level=level,
                job_class=job_class,
                reports_to=reports_to,
                headcount=headcount,
                is_key=is_key,
            )

        for opd_code, opd_name, kind, head_title, subunits in opds:
            if opd_code == "SETDA":
                opd, opd_head = setda, sekda
            else:
                opd = OrgUnit.objects.create(agency=agency, parent=setda, code=opd_code, name=opd_name, kind=kind)
                opd_head = new_pos(
                    opd,
                    _head_title(head_title, opd_name, kind),
                    PositionType.JPT_PRATAMA if kind != UnitKind.KECAMATAN else PositionType.ADMINISTRATOR,
                    14 if kind != UnitKind.KECAMATAN else 12,
                    sekda,
                    is_key=True,
                )
                opd_head.save()
                opd.head_position = opd_head
                opd.save(update_fields=["head_position"])
                units.append(_Unit(opd, opd_head))
            n_sub = len(subunits) if n_emp >= 400 else min(2, len(subunits))
            for i, sub_name in enumerate(subunits[:n_sub], start=1):
                sub_kind = UnitKind.BAGIAN if sub_name.startswith("Bagian") else UnitKind.BIDANG
                is_seksi = sub_name.startswith("Seksi")
                sub = OrgUnit.objects.create(
                    agency=agency,
                    parent=opd,
                    code=f"{opd_code}-{i}",
                    name=sub_name,
                    kind=UnitKind.SUBBIDANG if is_seksi else sub_kind,
                )
                sub_head = new_pos(
                    sub,
                    f"Kepala {sub_name}" if not is_seksi else f"Kepala {sub_name}",
                    PositionType.PENGAWAS if is_seksi else PositionType.ADMINISTRATOR,
                    9 if is_seksi else 12,
                    opd_head,
                    is_key=not is_seksi,
                )
                sub_head.save()
                sub.head_position = sub_head
                sub.save(update_fields=["head_position"])
                sub_unit = _Unit(sub, sub_head)
                units.append(sub_unit)
                if with_sub and not is_seksi:
                    for j in range(1, 3):
                        leaf = OrgUnit.objects.create(
                            agency=agency,
                            parent=sub,
                            code=f"{opd_code}-{i}-{j}",
                            name=f"Subbidang {sub_name.replace('Bidang ', '').replace('Bagian ', '')} {j}",
                            kind=UnitKind.SUBBIDANG,
                        )
                        leaf_head = new_pos(leaf, f"Kepala {leaf.name}", PositionType.PENGAWAS, 9, sub_head)
                        leaf_head.save()
                        leaf.head_position = leaf_head
                        leaf.save(update_fields=["head_position"])
                        units.append(_Unit(leaf, leaf_head))

        # Staff positions (functional and pelaksana) in every unit, reporting to the unit head.
        staff_positions: list[Position] = []
        for u in units:
            for title, fkind, level, job_class in rng.sample(FUNCTIONAL, 2):
                p = new_pos(
                    u.obj, f"{title} {FunctionalLevel(level).label}", fkind, job_class, u.head, headcount=3, level=level
                )
                u.staff_positions.append(p)
            for title, job_class in rng.sample(PELAKSANA, 2):
                p = new_pos(u.obj, title, PositionType.PELAKSANA, job_class, u.head, headcount=4)
                u.staff_positions.append(p)
            staff_positions.extend(u.staff_positions)
        Position.objects.bulk_create(staff_positions, batch_size=2000)

        # Employees: heads first (a few head posts left vacant, some with a Plt.), then staff.
        heads = [u for u in units if u.head is not None]
        n_staff = max(0, n_emp - len(heads))
        slots: list[tuple[_Unit, Position]] = []
        for u in heads:
            slots.append((u, u.head))  # type: ignore[arg-type]
        weights = [len(u.staff_positions) for u in units]
        for _ in range(n_staff):
            u = rng.choices(units, weights=weights)[0]
            slots.append((u, rng.choice(u.staff_positions)))

        employees: list[Employee] = []
        for idx, (u, pos) in enumerate(slots):
            is_head = pos is u.head
            if is_head and idx > 0 and rng.random() < 0.04:
                continue  # vacant head post
            gender = "L" if rng.random() < 0.55 else "P"
            lo, hi = RANK_BY_KIND.get(pos.kind, (5, 12))
            rank_order = rng.randint(lo, hi)
            pppk = pos.kind in (PositionType.FUNGSIONAL_KEAHLIAN, PositionType.PELAKSANA) and rng.random() < 0.08
            age = max(24, min(58, 22 + (rank_order - 5) * 2 + rng.randint(0, 12)))
            birth = dt.date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
            cpns_year = min(today.year - 1, birth.year + rng.randint(21, 27))
            cpns_month = rng.choice([1, 3, 4, 12])
            prefix = f"{birth:%Y%m%d}{cpns_year:04d}{cpns_month:02d}{'1' if gender == 'L' else '2'}"
            nip_seq[prefix] = nip_seq.get(prefix, 0) + 1
            first = rng.choice(FIRST_M if gender == "L" else FIRST_F)
            edu = _education_for(pos.kind, rank_order, rng)
            rank_start = dt.date(max(cpns_year + 1, today.year - rng.randint(0, 6)), rng.choice([4, 10]), 1)
            if rank_start > today:
                rank_start = dt.date(today.year - 1, 4, 1)
            pos_start = dt.date(max(cpns_year + 1, today.year - rng.randint(0, 8)), rng.randint(1, 12), 1)
            if pos_start > today:
                pos_start = dt.date(today.year - 1, 1, 2)
            employees.append(
                Employee(
                    agency=agency,
                    nip=build_nip(birth, cpns_year, cpns_month, gender, nip_seq[prefix]),
                    front_title="dr." if edu == EducationLevel.PROFESI else "",
                    name=f"{first} {rng.choice(LAST)}",
                    back_title={
                        "s1": rng.choice(["S.E.", "S.H.", "S.Sos.", "S.Kom.", "S.T."]),
                        "s2": rng.choice(["M.Si.", "M.M.", "M.AP.", "M.Kes."]),
                        "s3": "Dr.",
                        "d3": "A.Md.",
                    }.get(edu, ""),
                    gender=gender,
                    birth_place=rng.choice(CITIES),
                    birth_date=birth,
                    employment_type=EmploymentType.PPPK
                    if pppk
                    else (EmploymentType.CPNS if cpns_year >= today.year - 1 else EmploymentType.PNS),
                    education_level=edu,
                    education_field=rng.choice(FIELDS),
                    unit=u.obj,
                    position=pos,
                    position_start_date=pos_start,
                    rank=(pppk_ranks[min(17, rank_order)] if pppk else ranks[rank_order]),
                    rank_start_date=rank_start,
                    cpns_date=dt.date(cpns_year, cpns_month, 1),
                    pns_date=dt.date(cpns_year + 1, cpns_month, 1) if not pppk else None,
                    status=EmployeeStatus.ACTIVE
                    if rng.random() > 0.03
                    else rng.choice([EmployeeStatus.LEAVE, EmployeeStatus.STUDY]),
                )
            )
        # Accounts first (username = NIP; one shared pre-computed hash keeps seeding fast), so employees
        # are inserted with their user_id and never updated row by row.
        User.objects.bulk_create(
            [
                User(
                    username=e.nip,
                    first_name=e.name.split(" ")[0],
                    last_name=" ".join(e.name.split(" ")[1:]),
                    password=password_hash,
                    email="",
                )
                for e in employees
            ],
            batch_size=5000,
        )
        user_ids = dict(User.objects.filter(username__in=[e.nip for e in employees]).values_list("username", "id"))
        for e in employees:
            e.user_id = user_ids[e.nip]
        Employee.objects.bulk_create(employees, batch_size=5000)
        employees = list(
            Employee.objects.filter(agency=agency).select_related("position", "rank", "unit").order_by("pk")
        )

        # A few vacant head posts get a Plt. (acting head) from the unit above.
        by_position = {e.position_id: e for e in employees if e.position_id}
        acting_for: dict[int, Employee] = {}
        for u in heads:
            if u.head and u.head.pk not in by_position and u.obj.parent_id:
                parent_head = OrgUnit.objects.get(pk=u.obj.parent_id).head_position_id
                acting = by_position.get(parent_head) if parent_head else None
                if acting:
                    OrgUnit.objects.filter(pk=u.obj.pk).update(acting_head=acting, acting_kind="plt")
                    acting_for[u.head.pk] = acting

        # Plt./Plh. overrides: people whose superior post is vacant report to the acting official, and a
        # few heads on leave are stood in for by a Plh. from the unit above (atasan langsung override).
        overrides: list[Employee] = []
        for e in employees:
            boss_post = e.position.reports_to_id if e.position else None
            if boss_post in acting_for and rng.random() < 0.5:
                e.supervisor_override = acting_for[boss_post]
                overrides.append(e)
        on_leave_heads = [by_position[u.head.pk] for u in heads if u.head and u.head.pk in by_position]
        for head in on_leave_heads[3 : 3 + max(2, len(on_leave_heads) // 40)]:
            for e in employees:
                if e.position and e.position.reports_to_id == head.position_id and e.status == EmployeeStatus.ACTIVE:
                    boss = head.position.reports_to_id if head.position else None
                    stand_in = by_position.get(boss) if boss else None
                    if stand_in is not None:
                        e.supervisor_override = stand_in
                        overrides.append(e)
                    break
        Employee.objects.bulk_update(overrides, ["supervisor_override"], batch_size=2000)

        # Histories and sanctions.
        rank_hist: list[RankHistory] = []
        pos_hist: list[PositionHistory] = []
        sanctions: list[DisciplinarySanction] = []
        for e in employees:
            assert e.rank is not None and e.rank_start_date is not None
            order, start = e.rank.order, e.rank_start_date
            scheme_ranks = pppk_ranks if e.employment_type == EmploymentType.PPPK else ranks
            for step in range(rng.randint(1, 3)):
                rank_hist.append(
                    RankHistory(
                        employee=e,
                        rank=scheme_ranks[order],
                        start_date=start,
                        decree_number=f"800/{rng.randint(100, 9999)}/BKD/{start.year}",
                        decree_date=start - dt.timedelta(days=30),
                        promotion_kind="reguler" if step else "",
                    )
                )
                order -= 1
                start = dt.date(start.year - 4, start.month, 1)
                if order < 1 or e.cpns_date is None or start < e.cpns_date:
                    break
            if e.position:
                pos_hist.append(
                    PositionHistory(
                        employee=e,
                        position=e.position,
                        position_title=e.position.title,
                        unit_name=e.unit.name,
                        start_date=e.position_start_date or today,
                        decree_number=f"821/{rng.randint(100, 9999)}/BKD/{(e.position_start_date or today).year}",
                        decree_date=e.position_start_date,
                    )
                )
                if e.position_start_date and e.cpns_date and rng.random() < 0.6:
                    prev_start = max(e.cpns_date, dt.date(e.position_start_date.year - rng.randint(2, 6), 1, 2))
                    if prev_start < e.position_start_date:
                        pos_hist.append(
                            PositionHistory(
                                employee=e,
                                position=None,
                                position_title=rng.choice(PELAKSANA)[0],
                                unit_name=e.unit.name,
                                start_date=prev_start,
                                end_date=e.position_start_date - dt.timedelta(days=1),
                                decree_number=f"821/{rng.randint(100, 9999)}/BKD/{prev_start.year}",
                                decree_date=prev_start,
                            )
                        )
            if rng.random() < 0.012:
                start = today - dt.timedelta(days=rng.randint(30, 900))
                sanctions.append(
                    DisciplinarySanction(
                        employee=e,
                        level=rng.choice(SanctionLevel.values),
                        description=rng.choice(
                            ["Teguran tertulis", "Penundaan kenaikan pangkat", "Pernyataan tidak puas secara tertulis"]
                        ),
                        start_date=start,
                        end_date=start + dt.timedelta(days=365),
                        decree_number=f"862/{rng.randint(100, 999)}/INSP/{start.year}",
                    )
                )
        RankHistory.objects.bulk_create(rank_hist, batch_size=5000)
        PositionHistory.objects.bulk_create(pos_hist, batch_size=5000)
        DisciplinarySanction.objects.bulk_create(sanctions, batch_size=2000)

        # Demo logins for this agency.
        bkd = next(u for u in units if u.obj.code == "BKD")
        bkd_staff = [e for e in employees if e.unit_id == bkd.obj.pk and e.position_id != bkd.head.pk]  # type: ignore[union-attr]
        admin_emp = bkd_staff[0] if bkd_staff else employees[1]
        head_unit = next(
            (
                u
                for u in units
                if u.obj.kind == UnitKind.BIDANG
                and u.head
                and u.head.pk in by_position
                and sum(1 for e in employees if e.unit_id == u.obj.pk) >= 3
            ),
            heads[1],
        )
        head_emp = (
            by_position[head_unit.head.pk] if head_unit.head and head_unit.head.pk in by_position else employees[0]
        )  # type: ignore[union-attr]
        staff_emp = next(
            e
            for e in employees
            if e.unit_id == head_unit.obj.pk and e.pk != head_emp.pk and e.employment_type == EmploymentType.PNS
        )
        for label, emp, username in (
            ("Admin BKD", admin_emp, f"demo.admin.{code}"),
            ("Kepala unit", head_emp, f"demo.kepala.{code}"),
            ("Pegawai", staff_emp, f"demo.pegawai.{code}"),
        ):
            assert emp.user_id is not None
            User.objects.filter(pk=emp.user_id).update(username=username, email=f"{username}@contoh.go.id")
            ctx.add_login(f"{label} ({short})", username, f"{emp.name} · NIP {emp.nip}")
        assert admin_emp.user_id is not None
        AgencyRole.objects.create(user_id=admin_emp.user_id, agency=agency, role=AgencyRoleKind.HR_ADMIN)
        User.objects.filter(pk=admin_emp.user_id).update(is_staff=False)
        committee_emp = by_position.get(bkd.head.pk) if bkd.head else None  # type: ignore[union-attr]
        if committee_emp and committee_emp.user_id:
            AgencyRole.objects.create(user_id=committee_emp.user_id, agency=agency, role=AgencyRoleKind.COMMITTEE)
        demo[code] = {
            "agency_id": agency.pk,
            "admin_employee_id": admin_emp.pk,
            "head_employee_id": head_emp.pk,
            "staff_employee_id": staff_emp.pk,
            "head_unit_id": head_unit.obj.pk,
        }

    superuser = User.objects.create(
        username="demo.superadmin",
        password=password_hash,
        is_superuser=True,
        is_staff=True,
        first_name="Super",
        last_name="Admin",
    )
    ctx.add_login("Superuser (semua instansi)", superuser.username, "Django admin dan semua data")
    ctx.data["agencies"] = [a.pk for a in all_agencies]
    ctx.data["people"] = demo
