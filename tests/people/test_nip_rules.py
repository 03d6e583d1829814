"""NIP layout per Perka BKN 22/2007 (regulations.md §6): hard errors vs warnings."""

import datetime as dt

import pytest

from people.rules import build_nip, check_nip, normalise_nip

VALID = "196608011988031001"  # the regulation's example: born 1 Aug 1966, CPNS March 1988, male, #001


def test_the_regulation_example_is_valid():
    result = check_nip(VALID, birth_date=dt.date(1966, 8, 1), cpns_date=dt.date(1988, 3, 1), gender="L")
    assert result.ok and result.warnings == []


@pytest.mark.parametrize(
    ("nip", "fragment"),
    [
        ("19660801198803100", "18 digit"),
        ("1966080119880310011", "18 digit"),
        ("19660801198803100A", "18 digit"),
        ("196613011988031001", "digit 1–8"),
        ("196602301988031001", "digit 1–8"),
        ("196608011988131001", "digit 9–14"),
        ("196608011988001001", "digit 9–14"),
        ("196608011988033001", "digit 15"),
    ],
)
def test_layout_errors_name_the_wrong_part(nip, fragment):
    result = check_nip(nip)
    assert not result.ok
    assert any(fragment in e for e in result.errors)


def test_pppk_numbers_relax_the_month_check():
    pppk = "199001012022211001"  # positions 13-14 = "21": a code, not a month
    assert not check_nip(pppk).ok
    assert check_nip(pppk, is_pppk=True).ok


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"birth_date": dt.date(1966, 8, 2)}, "Tanggal lahir"),
        ({"cpns_date": dt.date(1989, 3, 1)}, "TMT CPNS"),
        ({"gender": "P"}, "jenis kelamin"),
    ],
)
def test_disagreement_with_the_record_is_only_a_warning(kwargs, fragment):
    result = check_nip(VALID, **kwargs)
    assert result.ok
    assert any(fragment in w for w in result.warnings)


def test_spaces_between_groups_are_ignored():
    assert normalise_nip("19660801 198803 1 001") == VALID


def test_build_nip_composes_the_parts():
    assert build_nip(dt.date(1966, 8, 1), 1988, 3, "L", 1) == VALID
    assert build_nip(dt.date(1990, 12, 31), 2015, 1, "P", 12)[14] == "2"


@pytest.mark.django_db
def test_factory_nips_stay_consistent_past_a_thousand_employees():
    from tests.people.factories import EmployeeFactory

    EmployeeFactory.reset_sequence(1500)
    emp = EmployeeFactory()
    result = check_nip(emp.nip, birth_date=emp.birth_date, cpns_date=emp.cpns_date, gender=emp.gender)
    assert result.ok and result.warnings == []
    EmployeeFactory.reset_sequence(0)


# Exact messages, as the import preview and the employee form show them (regulations.md §6).
@pytest.mark.parametrize(
    ("nip", "kwargs", "errors", "warnings"),
    [
        ("", {}, ["NIP harus 18 digit angka (diterima 0 karakter)."], []),
        (None, {}, ["NIP harus 18 digit angka (diterima 0 karakter)."], []),
        ("19660801-198803.1 001", {}, [], []),
        (
            "196613011988133001",
            {},
            [
                "NIP digit 1–8 (19661301) bukan tanggal lahir yang valid (format TTTTBBHH).",
                "NIP digit 9–14 (198813) bukan bulan TMT CPNS yang valid (format TTTTBB).",
                "NIP digit 15 (3) harus 1 (laki-laki) atau 2 (perempuan).",
            ],
            [],
        ),
        ("196608121988121001", {"birth_date": dt.date(1966, 8, 12), "cpns_date": dt.date(1988, 12, 1)}, [], []),
        ("196608121988011001", {"cpns_date": dt.date(1988, 1, 31)}, [], []),
        ("196608121981011001", {}, [], []),  # 15 years after birth: plausible
        (
            "196608121980011001",
            {},
            [],
            ["Tahun pengangkatan pada NIP (1980) terlalu dekat dengan tahun lahir (1966)."],
        ),
        (
            "196608121988031001",
            {"birth_date": dt.date(1966, 8, 2)},
            [],
            ["Tanggal lahir pada NIP (12-08-1966) berbeda dengan tanggal lahir pegawai (02-08-1966)."],
        ),
        (
            "196608121988031001",
            {"cpns_date": dt.date(1988, 4, 1)},
            [],
            ["TMT CPNS pada NIP (03-1988) berbeda dengan TMT CPNS pegawai (04-1988)."],
        ),
        (
            "196608121988031001",
            {"cpns_date": dt.date(1989, 3, 1)},
            [],
            ["TMT CPNS pada NIP (03-1988) berbeda dengan TMT CPNS pegawai (03-1989)."],
        ),
        ("196608121988032001", {"gender": "P"}, [], []),
        (
            "196608121988032001",
            {"gender": "L"},
            [],
            ["Kode jenis kelamin pada NIP (digit 15) berbeda dengan jenis kelamin pegawai."],
        ),
        ("199001012022211001", {"is_pppk": True, "cpns_date": dt.date(2022, 1, 1)}, [], []),
        ("196608121988001001", {"is_pppk": True}, [], []),
    ],
)
def test_messages_name_the_digits_and_both_values(nip, kwargs, errors, warnings):
    result = check_nip(nip, **kwargs)
    assert (result.errors, result.warnings, result.ok) == (errors, warnings, not errors)


@pytest.mark.parametrize("nip", ["196608011988001001", "196608011988131001"])
def test_month_outside_one_to_twelve_is_an_error_for_pns(nip):
    assert check_nip(nip).errors == [f"NIP digit 9–14 ({nip[8:14]}) bukan bulan TMT CPNS yang valid (format TTTTBB)."]


@pytest.mark.parametrize("nip", ["196608011988011001", "196608011988121001"])
def test_months_one_and_twelve_are_valid(nip):
    assert check_nip(nip).ok


def test_normalise_keeps_the_digits_only():
    assert normalise_nip(None) == "" and normalise_nip("") == ""
    assert normalise_nip(" 1966.0801-1988 ") == "196608011988"


@pytest.mark.parametrize(
    ("kwargs", "codes"),
    [
        ({"post_kind": "pelaksana", "headcount": 2, "holders": 1, "rank_code": "II/a"}, []),
        ({"post_kind": "pelaksana", "headcount": 2, "holders": 2, "rank_code": "II/a"}, ["formasi_full"]),
        ({"post_kind": "pelaksana", "headcount": 0, "holders": 0}, []),  # a post counts at least one seat
        ({"post_kind": "pelaksana", "headcount": 0, "holders": 1}, ["formasi_full"]),
        ({"post_kind": "pengawas", "headcount": 1, "holders": 0, "rank_code": "III/a"}, ["rank_below"]),
        ({"post_kind": "pengawas", "headcount": 1, "holders": 0, "rank_code": "iii/b"}, []),
        ({"post_kind": "jpt_pratama", "headcount": 1, "holders": 1, "rank_code": "III/a"},
         ["formasi_full", "rank_below"]),
        ({"post_kind": "jpt_pratama", "headcount": 1, "holders": 0, "rank_code": "III/a", "rank_scheme": "pppk"},
         []),  # PPPK grades are no golongan
        ({"post_kind": "administrator", "headcount": 1, "holders": 0, "rank_code": "XV"}, []),  # unknown code
        ({"post_kind": "administrator", "headcount": 1, "holders": 0, "rank_code": ""}, []),
    ],
)  # fmt: skip
def test_placement_issues(kwargs: dict, codes: list[str]) -> None:
    from people.rules import placement_issues

    issues = placement_issues(**kwargs)
    assert [i.code for i in issues] == codes
    for issue in issues:
        if issue.code == "formasi_full":
            assert (issue.holders, issue.headcount) == (kwargs["holders"], kwargs["headcount"])
        else:
            assert issue.min_rank == {"pengawas": "III/b", "jpt_pratama": "IV/b"}[kwargs["post_kind"]]
