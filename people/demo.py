"""Demo data for the people app: two agencies with realistic OPD trees, positions of every type,
employees with valid NIPs, Indonesian names, believable rank/education/age spread, histories and a
few sanctions. Every OPD (Sekretariat Daerah, inspektorat, dinas, badan, kecamatan) is a top-level unit with
its own head post reporting to the Sekretaris Daerah, so reports that roll up by OPD show each one; kecamatan
hold seksi and kelurahan. Bulk operations only, so 50,000 employees seed in well under two minutes; the demo
logins are chosen so the staff member's direct superior (people.selectors.supervisor_ids_for) is the unit head
who mentors her and appraises her SKP."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password

from asn_portal.demo import DEMO_PASSWORD, DemoContext, bulk_insert, copy_insert

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
    ("BAPPERIDA", "Badan Riset dan Inovasi Daerah", UnitKind.BADAN, "Kepala Badan", ["Bidang Riset", "Bidang Inovasi"]),
]


# Kecamatan per agency (real names), each with two seksi and its kelurahan (headed by a lurah).
KECAMATAN: dict[str, list[tuple[str, list[str]]]] = {
    "medan": [
        ("Medan Kota", ["Pusat Pasar", "Pasar Baru", "Sei Rengas II", "Mesjid"]),
        ("Medan Baru", ["Titi Rantai", "Babura", "Merdeka", "Petisah Hulu"]),
        ("Medan Petisah", ["Petisah Tengah", "Sei Putih Timur I", "Sekip"]),
        ("Medan Sunggal", ["Sunggal", "Tanjung Rejo", "Babura Sunggal"]),
        ("Medan Helvetia", ["Helvetia", "Dwi Kora", "Cinta Damai"]),
    ],
    "pontianak": [
        ("Pontianak Kota", ["Darat Sekip", "Tengah", "Mariana"]),
        ("Pontianak Barat", ["Sungai Beliung", "Pal Lima", "Sungai Jawi Dalam"]),
        ("Pontianak Timur", ["Saigon", "Tanjung Hulu", "Parit Mayor"]),
        ("Pontianak Utara", ["Siantan Hulu", "Batu Layang", "Siantan Tengah"]),
        ("Pontianak Selatan", ["Benua Melayu Darat", "Kota Baru", "Akcaya"]),
    ],
}
KECAMATAN_SEKSI = ["Seksi Pemerintahan", "Seksi Pelayanan Umum", "Seksi Ketenteraman dan Ketertiban"]


def _opd_catalogue(agency_code: str) -> list[tuple[str, str, str, str, list[str]]]:
    """The agency's candidate OPDs: the shared list plus its own kecamatan (seksi first, then kelurahan)."""
    kecamatan = [
        (
            f"KEC-{i}",
            f"Kecamatan {name}",
            UnitKind.KECAMATAN,
            "Camat",
            [*KECAMATAN_SEKSI[:2], *(f"Kelurahan {k}" for k in kelurahan)],
        )
        for i, (name, kelurahan) in enumerate(KECAMATAN.get(agency_code, KECAMATAN["medan"]), start=1)
    ]
    return [*OPDS, *kecamatan]


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


@dataclass
class _Tree:
    """One agency's organisation while it is being built: units (OPDs first), posts and a post counter."""

    agency: Agency
    units: list[_Unit] = field(default_factory=list)
    pos_seq: int = 0

    def position(
        self,
        unit: OrgUnit,
        title: str,
        kind: str,
        job_class: int,
        reports_to: Position | None,
        headcount: int = 1,
        level: str = "",
        is_key: bool = False,
    ) -> Position:
        self.pos_seq += 1
        return Position(
            agency=self.agency,
            unit=unit,
            code=f"P{self.pos_seq:05d}",
            title=title,
            kind=kind,
            functional_level=level,
            job_class=job_class,
            reports_to=reports_to,
            headcount=headcount,
            is_key=is_key,
        )

    def headed_unit(
        self,
        *,
        code: str,
        name: str,
        kind: str,
        parent: OrgUnit | None,
        head_title: str,
        head_kind: str,
        job_class: int,
        reports_to: Position | None,
        is_key: bool = False,
    ) -> _Unit:
        """A unit and its head post (saved, linked both ways), appended to the tree."""
        unit = OrgUnit.objects.create(agency=self.agency, parent=parent, code=code, name=name, kind=kind)
        head = self.position(unit, head_title, head_kind, job_class, reports_to, is_key=is_key)
        head.save()
        unit.head_position = head
        unit.save(update_fields=["head_position"])
        node = _Unit(unit, head)
        self.units.append(node)
        return node


@dataclass
class _People:
    """What seeding one agency's employees needs besides the tree."""

    ranks: dict[int, Rank]
    pppk_ranks: dict[int, Rank]
    password_hash: str
    nip_seq: dict[str, int] = field(default_factory=dict)


def _head_title(head_title: str, opd_name: str, kind: str) -> str:
    """The head post's title: "Kepala Dinas" + "Dinas Sosial" → "Kepala Dinas Sosial", "Camat" + "Kecamatan
    Medan Kota" → "Camat Medan Kota", "Inspektur" + "Inspektorat" → "Inspektur"."""
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
    people = _People(
        ranks={r.order: r for r in Rank.objects.filter(scheme="pns")},
        pppk_ranks={r.order: r for r in Rank.objects.filter(scheme="pppk")},
        password_hash=make_password(DEMO_PASSWORD),
    )
    all_agencies = []
    demo: dict[str, Any] = {}
    for code, name, short, region, share in AGENCIES:
        agency = Agency.objects.create(code=code, name=name, short_name=short, region=region)
        all_agencies.append(agency)
        demo[code] = _seed_agency(ctx, agency, max(40, int(ctx.employees * share)), people)

    superuser = User.objects.create(
        username="demo.superadmin",
        password=people.password_hash,
        is_superuser=True,
        is_staff=True,
        first_name="Super",
        last_name="Admin",
    )
    ctx.add_login("Superuser (semua instansi)", superuser.username, "Django admin dan semua data")
    ctx.data["agencies"] = [a.pk for a in all_agencies]
    ctx.data["people"] = demo


def _seed_agency(ctx: DemoContext, agency: Agency, n_emp: int, people: _People) -> dict[str, Any]:
    rng = ctx.rng
    tree = _build_tree(rng, agency, n_emp)
    heads = [u for u in tree.units if u.head is not None]
    employees = _create_employees(ctx, tree, heads, n_emp, people)
    by_position: dict[int | None, Employee] = {e.position_id: e for e in employees if e.position_id}
    story = _pick_story(tree, employees, by_position)
    acting_for = _assign_acting_heads(heads, by_position)
    _assign_overrides(rng, employees, heads, by_position, acting_for, story)
    _seed_histories(ctx, employees, people)
    return _demo_logins(ctx, agency, tree, employees, by_position, story)


def _build_tree(rng: Any, agency: Agency, n_emp: int) -> _Tree:
    """Sekretariat Daerah, the BKD, a dinas and a kecamatan always; then a deterministic sample of the other
    OPDs. Every OPD is a top-level unit whose head reports to the Sekretaris Daerah."""
    tree = _Tree(agency)
    n_opd = max(6, min(len(OPDS), n_emp // 45))
    catalogue = _opd_catalogue(agency.code)
    core = [catalogue[0], catalogue[1], next(o for o in catalogue if o[0] == "DISDIK")]
    core.append(next(o for o in catalogue if o[2] == UnitKind.KECAMATAN))
    rest = [o for o in catalogue if o not in core]
    opds = core + rng.sample(rest, min(len(rest), n_opd - len(core)))
    setda_code, setda_name, setda_kind, _t, setda_subs = opds[0]
    top = tree.headed_unit(
        code=setda_code,
        name=setda_name,
        kind=setda_kind,
        parent=None,
        head_title="Sekretaris Daerah",
        head_kind=PositionType.JPT_MADYA,
        job_class=16,
        reports_to=None,
        is_key=True,
    )
    assert top.head is not None
    _add_subunits(tree, top, setda_code, setda_subs, n_emp)
    for opd_code, opd_name, kind, head_title, subunits in opds[1:]:
        kec = kind == UnitKind.KECAMATAN
        opd = tree.headed_unit(
            code=opd_code,
            name=opd_name,
            kind=kind,
            parent=None,
            head_title=_head_title(head_title, opd_name, kind),
            head_kind=PositionType.ADMINISTRATOR if kec else PositionType.JPT_PRATAMA,
            job_class=12 if kec else 14,
            reports_to=top.head,
            is_key=True,
        )
        _add_subunits(tree, opd, opd_code, subunits, n_emp)
    _add_staff_positions(rng, tree)
    return tree


def _sub_kind(sub_name: str) -> tuple[str, str, str, int]:
    """(unit kind, head title, head post kind, job class) of a sub-unit by its name."""
    if sub_name.startswith("Kelurahan"):
        return UnitKind.KELURAHAN, f"Lurah {sub_name.split(' ', 1)[1]}", PositionType.PENGAWAS, 9
    if sub_name.startswith("Seksi"):
        return UnitKind.SUBBIDANG, f"Kepala {sub_name}", PositionType.PENGAWAS, 9
    if sub_name.startswith("Bagian"):
        return UnitKind.BAGIAN, f"Kepala {sub_name}", PositionType.ADMINISTRATOR, 12
    return UnitKind.BIDANG, f"Kepala {sub_name}", PositionType.ADMINISTRATOR, 12


def _add_subunits(tree: _Tree, opd: _Unit, opd_code: str, subunits: list[str], n_emp: int) -> None:
    """Bidang/bagian (with two subbidang each in large agencies), seksi and kelurahan under an OPD."""
    n_sub = len(subunits) if n_emp >= 400 else min(3 if opd.obj.kind == UnitKind.KECAMATAN else 2, len(subunits))
    for i, sub_name in enumerate(subunits[:n_sub], start=1):
        kind, title, head_kind, job_class = _sub_kind(sub_name)
        sub = tree.headed_unit(
            code=f"{opd_code}-{i}",
            name=sub_name,
            kind=kind,
            parent=opd.obj,
            head_title=title,
            head_kind=head_kind,
            job_class=job_class,
            reports_to=opd.head,
            is_key=head_kind == PositionType.ADMINISTRATOR,
        )
        if n_emp < 3000 or kind not in (UnitKind.BIDANG, UnitKind.BAGIAN):
            continue
        for j in range(1, 3):
            leaf_name = f"Subbidang {sub_name.replace('Bidang ', '').replace('Bagian ', '')} {j}"
            tree.headed_unit(
                code=f"{opd_code}-{i}-{j}",
                name=leaf_name,
                kind=UnitKind.SUBBIDANG,
                parent=sub.obj,
                head_title=f"Kepala {leaf_name}",
                head_kind=PositionType.PENGAWAS,
                job_class=9,
                reports_to=sub.head,
            )


def _add_staff_positions(rng: Any, tree: _Tree) -> None:
    """Functional and pelaksana posts in every unit, reporting to the unit head."""
    staff_positions: list[Position] = []
    for u in tree.units:
        for title, fkind, level, job_class in rng.sample(FUNCTIONAL, 2):
            label = FunctionalLevel(level).label
            p = tree.position(u.obj, f"{title} {label}", fkind, job_class, u.head, headcount=3, level=level)
            u.staff_positions.append(p)
        for title, job_class in rng.sample(PELAKSANA, 2):
            p = tree.position(u.obj, title, PositionType.PELAKSANA, job_class, u.head, headcount=4)
            u.staff_positions.append(p)
        staff_positions.extend(u.staff_positions)
    Position.objects.bulk_create(staff_positions, batch_size=2000)


def _create_employees(ctx: DemoContext, tree: _Tree, heads: list[_Unit], n_emp: int, people: _People) -> list[Employee]:
    """Heads first (a few head posts left vacant), then staff spread over the units by their post count."""
    rng = ctx.rng
    slots: list[tuple[_Unit, Position]] = [(u, u.head) for u in heads if u.head is not None]
    weights = [len(u.staff_positions) for u in tree.units]
    for _ in range(max(0, n_emp - len(heads))):
        u = rng.choices(tree.units, weights=weights)[0]
        slots.append((u, rng.choice(u.staff_positions)))
    employees: list[Employee] = []
    for idx, (u, pos) in enumerate(slots):
        if pos is u.head and idx > 0 and rng.random() < 0.04:
            continue  # vacant head post
        employees.append(_employee(ctx, tree.agency, u, pos, people))
    # Accounts first (username = NIP; one shared pre-computed hash keeps seeding fast), so employees
    # are inserted with their user_id and never updated row by row; the employees inserted (pks set, post,
    # rank and unit attached) are the list returned, not read back.
    _insert_users(employees, people.password_hash)
    bulk_insert(Employee, employees)
    return employees


def _insert_users(employees: list[Employee], password_hash: str) -> None:
    """One account per employee (username = NIP), inserted as plain rows: their ids set as `user_id`."""
    from django.db import connection
    from django.utils import timezone
    from psycopg2.extras import execute_values

    now = timezone.now()
    rows = []
    for e in employees:
        first, _sep, last = e.name.partition(" ")
        rows.append((e.nip, first, last, password_hash, "", False, False, True, now))
    sql = (
        "INSERT INTO people_user (username, first_name, last_name, password, email, is_superuser, is_staff, "
        "is_active, date_joined) VALUES %s RETURNING id"
    )
    with connection.cursor() as cursor, connection.wrap_database_errors:
        for i in range(0, len(rows), 5000):
            ids = execute_values(cursor.cursor, sql, rows[i : i + 5000], page_size=5000, fetch=True)
            for e, (pk,) in zip(employees[i : i + 5000], ids, strict=True):
                e.user_id = pk


BACK_TITLES: dict[str, list[str]] = {
    "s1": ["S.E.", "S.H.", "S.Sos.", "S.Kom.", "S.T."],
    "s2": ["M.Si.", "M.M.", "M.AP.", "M.Kes."],
    "s3": ["Dr."],
    "d3": ["A.Md."],
}


def _employee(ctx: DemoContext, agency: Agency, u: _Unit, pos: Position, people: _People) -> Employee:
    """One believable employee in a post: rank by post type, age by rank, a valid NIP, dates in order."""
    rng, today = ctx.rng, ctx.today
    gender = "L" if rng.random() < 0.55 else "P"
    lo, hi = RANK_BY_KIND.get(pos.kind, (5, 12))
    rank_order = rng.randint(lo, hi)
    pppk = pos.kind in (PositionType.FUNGSIONAL_KEAHLIAN, PositionType.PELAKSANA) and rng.random() < 0.08
    age = max(24, min(58, 22 + (rank_order - 5) * 2 + rng.randint(0, 12)))
    birth = dt.date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
    cpns_year = min(today.year - 1, birth.year + rng.randint(21, 27))
    cpns_month = rng.choice([1, 3, 4, 12])
    prefix = f"{birth:%Y%m%d}{cpns_year:04d}{cpns_month:02d}{'1' if gender == 'L' else '2'}"
    people.nip_seq[prefix] = people.nip_seq.get(prefix, 0) + 1
    first = rng.choice(FIRST_M if gender == "L" else FIRST_F)
    edu = _education_for(pos.kind, rank_order, rng)
    rank_start = dt.date(max(cpns_year + 1, today.year - rng.randint(0, 6)), rng.choice([4, 10]), 1)
    rank_start = dt.date(today.year - 1, 4, 1) if rank_start > today else rank_start
    pos_start = dt.date(max(cpns_year + 1, today.year - rng.randint(0, 8)), rng.randint(1, 12), 1)
    pos_start = dt.date(today.year - 1, 1, 2) if pos_start > today else pos_start
    titles = BACK_TITLES.get(edu)
    if pppk:
        employment = EmploymentType.PPPK
    else:
        employment = EmploymentType.CPNS if cpns_year >= today.year - 1 else EmploymentType.PNS
    return Employee(
        agency=agency,
        nip=build_nip(birth, cpns_year, cpns_month, gender, people.nip_seq[prefix]),
        front_title="dr." if edu == EducationLevel.PROFESI else "",
        name=f"{first} {rng.choice(LAST)}",
        back_title=rng.choice(titles) if titles else "",
        gender=gender,
        birth_place=rng.choice(CITIES),
        birth_date=birth,
        employment_type=employment,
        education_level=edu,
        education_field=rng.choice(FIELDS),
        unit=u.obj,
        position=pos,
        position_start_date=pos_start,
        rank=(people.pppk_ranks[min(17, rank_order)] if pppk else people.ranks[rank_order]),
        rank_start_date=rank_start,
        cpns_date=dt.date(cpns_year, cpns_month, 1),
        pns_date=dt.date(cpns_year + 1, cpns_month, 1) if not pppk else None,
        status=EmployeeStatus.ACTIVE
        if rng.random() > 0.03
        else rng.choice([EmployeeStatus.LEAVE, EmployeeStatus.STUDY]),
    )


STORY_LEVELS = (FunctionalLevel.AHLI_MUDA, FunctionalLevel.AHLI_MADYA)


@dataclass
class _Story:
    """The demo head (an active bidang head with a team) and the demo staff member in that bidang, who
    holds a post reporting to the head's post: so her atasan langsung is the head who mentors her."""

    unit: _Unit
    head: Employee
    staff: Employee


def _pick_story(tree: _Tree, employees: list[Employee], by_position: dict[int | None, Employee]) -> _Story:
    # Active PNS holding a post that reports to their own unit's head post, per unit (one pass).
    head_post = {u.obj.pk: u.head.pk for u in tree.units if u.head is not None}
    team: dict[int, list[Employee]] = {}
    for e in employees:
        if (
            e.status == EmployeeStatus.ACTIVE
            and e.employment_type == EmploymentType.PNS
            and e.position is not None
            and e.position.reports_to_id is not None
            and e.position.reports_to_id == head_post.get(e.unit_id)
        ):
            team.setdefault(e.unit_id, []).append(e)

    def headed(u: _Unit) -> bool:
        holder = by_position.get(u.head.pk) if u.head else None
        return holder is not None and holder.status == EmployeeStatus.ACTIVE

    def analyst(e: Employee) -> bool:  # a post whose competency standard (level 2-3) leaves room to grow
        return e.position is not None and e.position.functional_level in STORY_LEVELS

    # A bidang with a team of at least five (so the head's inbox holds one SKP in every state) including a
    # functional analyst for the staff login; else the largest team anywhere.
    ranked = sorted((u for u in tree.units if headed(u)), key=lambda u: -len(team.get(u.obj.pk, [])))
    fits = [u for u in ranked if u.obj.kind == UnitKind.BIDANG and len(team.get(u.obj.pk, [])) >= 5]
    unit = next((u for u in fits if any(analyst(e) for e in team[u.obj.pk])), fits[0] if fits else ranked[0])
    assert unit.head is not None
    members = team[unit.obj.pk]
    return _Story(unit, by_position[unit.head.pk], next((e for e in members if analyst(e)), members[0]))


def _assign_acting_heads(heads: list[_Unit], by_position: dict[int | None, Employee]) -> dict[int, Employee]:
    """A vacant head post below an OPD gets a Plt. (acting head): the head of the unit above."""
    acting_for: dict[int, Employee] = {}
    for u in heads:
        if u.head and u.head.pk not in by_position and u.obj.parent_id:
            parent_head = OrgUnit.objects.get(pk=u.obj.parent_id).head_position_id
            acting = by_position.get(parent_head) if parent_head else None
            if acting:
                OrgUnit.objects.filter(pk=u.obj.pk).update(acting_head=acting, acting_kind="plt")
                acting_for[u.head.pk] = acting
    return acting_for


def _assign_overrides(
    rng: Any,
    employees: list[Employee],
    heads: list[_Unit],
    by_position: dict[int | None, Employee],
    acting_for: dict[int, Employee],
    story: _Story,
) -> None:
    """Plt./Plh. overrides: people whose superior post is vacant report to the acting official, and a few
    heads on leave are stood in for by a Plh. from the unit above (atasan langsung override). The demo head
    is never on leave, so the demo team reports to her."""
    overrides: list[Employee] = []
    for e in employees:
        boss_post = e.position.reports_to_id if e.position else None
        if boss_post in acting_for and rng.random() < 0.5:
            e.supervisor_override = acting_for[boss_post]
            overrides.append(e)
    on_leave = [by_position[u.head.pk] for u in heads if u.head and u.head.pk in by_position]
    on_leave = [h for h in on_leave if h.pk != story.head.pk]
    for head in on_leave[3 : 3 + max(2, len(on_leave) // 40)]:
        boss = head.position.reports_to_id if head.position else None
        stand_in = by_position.get(boss) if boss else None
        first = next(
            (
                e
                for e in employees
                if e.position and e.position.reports_to_id == head.position_id and e.status == EmployeeStatus.ACTIVE
            ),
            None,
        )
        if first is not None and stand_in is not None:
            first.supervisor_override = stand_in
            overrides.append(first)
    Employee.objects.bulk_update(overrides, ["supervisor_override"], batch_size=2000)


def _seed_histories(ctx: DemoContext, employees: list[Employee], people: _People) -> None:
    rank_hist: list[dict[str, Any]] = []
    pos_hist: list[dict[str, Any]] = []
    sanctions: list[DisciplinarySanction] = []
    for e in employees:
        rank_hist.extend(_rank_history(ctx.rng, e, people))
        pos_hist.extend(_position_history(ctx.rng, ctx.today, e))
        if ctx.rng.random() < 0.012:
            sanctions.append(_sanction(ctx.rng, ctx.today, e))
    copy_insert(RankHistory, rank_hist)  # plain rows: 2-3 history lines per employee, no model instances
    copy_insert(PositionHistory, pos_hist)
    bulk_insert(DisciplinarySanction, sanctions)


def _rank_history(rng: Any, e: Employee, people: _People) -> list[dict[str, Any]]:
    assert e.rank is not None and e.rank_start_date is not None
    order, start = e.rank.order, e.rank_start_date
    scheme_ranks = people.pppk_ranks if e.employment_type == EmploymentType.PPPK else people.ranks
    rows = []
    for step in range(rng.randint(1, 3)):
        rows.append(
            {
                "employee_id": e.pk,
                "rank_id": scheme_ranks[order].pk,
                "start_date": start,
                "decree_number": f"800/{rng.randint(100, 9999)}/BKD/{start.year}",
                "decree_date": start - dt.timedelta(days=30),
                "promotion_kind": "reguler" if step else "",
            }
        )
        order -= 1
        start = dt.date(start.year - 4, start.month, 1)
        if order < 1 or e.cpns_date is None or start < e.cpns_date:
            break
    return rows


def _position_history(rng: Any, today: dt.date, e: Employee) -> list[dict[str, Any]]:
    if not e.position:
        return []
    start = e.position_start_date or today
    rows = [
        {
            "employee_id": e.pk,
            "position_id": e.position.pk,
            "position_title": e.position.title,
            "unit_name": e.unit.name,
            "start_date": start,
            "decree_number": f"821/{rng.randint(100, 9999)}/BKD/{start.year}",
            "decree_date": e.position_start_date,
        }
    ]
    if e.position_start_date and e.cpns_date and rng.random() < 0.6:
        prev_start = max(e.cpns_date, dt.date(e.position_start_date.year - rng.randint(2, 6), 1, 2))
        if prev_start < e.position_start_date:
            rows.append(
                {
                    "employee_id": e.pk,
                    "position_id": None,
                    "position_title": rng.choice(PELAKSANA)[0],
                    "unit_name": e.unit.name,
                    "start_date": prev_start,
                    "end_date": e.position_start_date - dt.timedelta(days=1),
                    "decree_number": f"821/{rng.randint(100, 9999)}/BKD/{prev_start.year}",
                    "decree_date": prev_start,
                }
            )
    return rows


def _sanction(rng: Any, today: dt.date, e: Employee) -> DisciplinarySanction:
    start = today - dt.timedelta(days=rng.randint(30, 900))
    return DisciplinarySanction(
        employee=e,
        level=rng.choice(SanctionLevel.values),
        description=rng.choice(
            ["Teguran tertulis", "Penundaan kenaikan pangkat", "Pernyataan tidak puas secara tertulis"]
        ),
        start_date=start,
        end_date=start + dt.timedelta(days=365),
        decree_number=f"862/{rng.randint(100, 999)}/INSP/{start.year}",
    )


def _demo_logins(
    ctx: DemoContext,
    agency: Agency,
    tree: _Tree,
    employees: list[Employee],
    by_position: dict[int | None, Employee],
    story: _Story,
) -> dict[str, Any]:
    """One login per role: a BKD admin, the demo head and the demo staff member of her team."""
    code, short = agency.code, agency.short_name
    bkd = next(u for u in tree.units if u.obj.code == "BKD")
    bkd_head = bkd.head.pk if bkd.head else None
    bkd_staff = [
        e
        for e in employees
        if e.unit_id == bkd.obj.pk and e.position_id != bkd_head and e.pk not in (story.head.pk, story.staff.pk)
    ]
    admin_emp = bkd_staff[0] if bkd_staff else employees[1]
    for label, emp, username in (
        ("Admin BKD", admin_emp, f"demo.admin.{code}"),
        ("Kepala unit", story.head, f"demo.kepala.{code}"),
        ("Pegawai", story.staff, f"demo.pegawai.{code}"),
    ):
        assert emp.user_id is not None
        User.objects.filter(pk=emp.user_id).update(username=username, email=f"{username}@contoh.go.id")
        ctx.add_login(f"{label} ({short})", username, f"{emp.name} · NIP {emp.nip}")
    assert admin_emp.user_id is not None
    AgencyRole.objects.create(user_id=admin_emp.user_id, agency=agency, role=AgencyRoleKind.HR_ADMIN)
    User.objects.filter(pk=admin_emp.user_id).update(is_staff=False)
    committee_emp = by_position.get(bkd_head)
    if committee_emp and committee_emp.user_id:
        AgencyRole.objects.create(user_id=committee_emp.user_id, agency=agency, role=AgencyRoleKind.COMMITTEE)
    return {
        "agency_id": agency.pk,
        "admin_employee_id": admin_emp.pk,
        "head_employee_id": story.head.pk,
        "staff_employee_id": story.staff.pk,
        "head_unit_id": story.unit.obj.pk,
    }
