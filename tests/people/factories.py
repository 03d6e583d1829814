"""Factories for the people app: agencies, units, positions, employees with valid NIPs."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth.hashers import make_password
from factory.django import DjangoModelFactory

from people.choices import EducationLevel, PositionType
from people.models import Agency, AgencyRole, Employee, OrgUnit, Position, Rank, User
from people.ranks import ensure_ranks
from people.rules import build_nip


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.LazyFunction(lambda: make_password("rahasia-123"))


class AgencyFactory(DjangoModelFactory[Agency]):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"agency{n}")
    name = factory.Sequence(lambda n: f"Pemerintah Kota Uji {n}")


class OrgUnitFactory(DjangoModelFactory[OrgUnit]):
    class Meta:
        model = OrgUnit

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: f"U{n}")
    name = factory.Sequence(lambda n: f"Dinas Uji {n}")
    kind = "dinas"


class PositionFactory(DjangoModelFactory[Position]):
    class Meta:
        model = Position

    unit = factory.SubFactory(OrgUnitFactory)
    agency = factory.SelfAttribute("unit.agency")
    code = factory.Sequence(lambda n: f"P{n}")
    title = factory.Sequence(lambda n: f"Analis Uji {n}")
    kind = PositionType.PELAKSANA
    job_class = 7
    headcount = 3


def rank(code: str, scheme: str = "pns") -> Rank:
    found = Rank.objects.filter(scheme=scheme, code=code).first()
    if found is None:  # a transactional test flushed the migration's data
        ensure_ranks(Rank)
        found = Rank.objects.get(scheme=scheme, code=code)
    return found


class EmployeeFactory(DjangoModelFactory[Employee]):
    class Meta:
        model = Employee

    unit = factory.SubFactory(OrgUnitFactory)
    agency = factory.SelfAttribute("unit.agency")
    position = factory.SubFactory(PositionFactory, unit=factory.SelfAttribute("..unit"))
    name = factory.Sequence(lambda n: f"Pegawai Uji {n}")
    gender = "L"
    # The NIP always agrees with birth date, TMT CPNS and gender (no warnings), however many are created:
    # the sequence number cycles through 001-999 and the birth date moves one day per cycle.
    birth_date = factory.Sequence(lambda n: dt.date(1985, 5, 17) + dt.timedelta(days=n // 999))
    cpns_date = dt.date(2010, 3, 1)
    nip = factory.LazyAttributeSequence(
        lambda o, n: build_nip(o.birth_date, o.cpns_date.year, o.cpns_date.month, o.gender, n % 999 + 1)
    )
    education_level = EducationLevel.S1
    rank = factory.LazyFunction(lambda: rank("III/b"))
    rank_start_date = dt.date(2019, 4, 1)
    position_start_date = dt.date(2018, 1, 2)
    user = factory.SubFactory(UserFactory, username=factory.SelfAttribute("..nip"))


def make_head(unit: OrgUnit, **kwargs: object) -> Employee:
    """An employee holding the post that heads `unit`."""
    head_pos = PositionFactory(unit=unit, kind=PositionType.ADMINISTRATOR, title=f"Kepala {unit.name}", headcount=1)
    unit.head_position = head_pos
    unit.save(update_fields=["head_position"])
    return EmployeeFactory(unit=unit, position=head_pos, **kwargs)


def make_hr_admin(agency: Agency, **kwargs: object) -> Employee:
    unit = kwargs.pop("unit", None) or OrgUnitFactory(agency=agency, name="BKD")
    emp = EmployeeFactory(unit=unit, **kwargs)
    AgencyRole.objects.create(user=emp.user, agency=agency, role="hr_admin")
    return emp
