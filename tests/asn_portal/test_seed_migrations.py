"""Seed migrations carry their own frozen data (they import no app module), and write exactly the rows the
apps' loaders write: the rank ladder, the careers defaults and the promotions reference tables."""

from __future__ import annotations

import ast
import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

ROOT = Path(__file__).resolve().parents[2]
APPS = ["asn_portal", "people", "competencies", "performance", "training", "careers", "promotions"]
# A schema migration may name a model module for an upload_to/default callable (Django writes those itself).
CALLABLE_REFERENCES = {
    "performance/migrations/0001_initial.py: performance.models",
    "performance/migrations/0003_private_evidence_files.py: asn_portal.uploads",
    "training/migrations/0004_private_certificate_files.py: asn_portal.uploads",
    "promotions/migrations/0005_private_document_files.py: asn_portal.uploads",
    "people/migrations/0005_privacy_rights_exports_corrections_former.py: asn_portal.uploads",
    "people/migrations/0007_import_batch_read_in_worker.py: asn_portal.uploads",
    "competencies/migrations/0004_assessment_import_read_in_worker.py: asn_portal.uploads",
    "performance/migrations/0005_predikat_import_read_in_worker.py: asn_portal.uploads",
}


def _historical_apps(app: str, name: str) -> Any:
    return MigrationLoader(connection).project_state((app, name)).apps


def _snapshot(models: list[Any], skip: tuple[str, ...] = ("id", "created_at", "updated_at")) -> dict[str, list]:
    """Every row's values, with a foreign key to another seeded row named by that row's values, not its id."""
    out = {}
    for model in models:
        fields = []
        for f in model._meta.concrete_fields:
            if f.attname in skip:
                continue
            if f.is_relation and f.related_model in models:
                related = f.related_model._meta.concrete_fields
                fields += [f"{f.name}__{g.attname}" for g in related if g.attname not in skip]
            else:
                fields.append(f.attname)
        out[model.__name__] = sorted(model.objects.values_list(*fields), key=repr)
    return out


def _same_rows(models: list[Any], live_loader: Callable[[], None], app: str, migration: str) -> None:
    for model in reversed(models):
        model.objects.all().delete()
    live_loader()
    expected = _snapshot(models)
    for model in reversed(models):
        model.objects.all().delete()
    module = importlib.import_module(f"{app}.migrations.{migration}")
    run = next(op.code for op in module.Migration.operations if hasattr(op, "code"))
    run(_historical_apps(app, migration), None)
    assert _snapshot(models) == expected
    assert sum(len(rows) for rows in expected.values()) > 0


@pytest.mark.django_db
def test_the_rank_ladder_migration_writes_the_34_ranks_of_the_loader() -> None:
    from people.models import Rank
    from people.ranks import ensure_ranks

    _same_rows([Rank], lambda: ensure_ranks(Rank), "people", "0002_seed_ranks")
    assert Rank.objects.filter(scheme="pns").order_by("order").values_list("code", flat=True)[12] == "IV/a"
    assert Rank.objects.count() == 34


@pytest.mark.django_db
def test_the_careers_defaults_migration_writes_the_loader_defaults() -> None:
    from careers.defaults import ensure_all
    from careers.models import CareerSettings, RecognitionType, TalentScheme

    _same_rows([TalentScheme, CareerSettings, RecognitionType], ensure_all, "careers", "0002_seed_defaults")


@pytest.mark.django_db
def test_the_promotions_reference_migration_writes_the_loader_tables() -> None:
    from promotions.data import ensure_reference_data
    from promotions.models import CreditPointThreshold, EducationRankCap, MeritWeights, PromotionPeriod, RuleSet

    models = [RuleSet, EducationRankCap, CreditPointThreshold, MeritWeights, PromotionPeriod]
    _same_rows(models, ensure_reference_data, "promotions", "0002_reference_data")


@pytest.mark.django_db
def test_the_competency_dictionary_migration_writes_the_loader_rows() -> None:
    from competencies.models import AssessmentValidity, Competency, DefaultRequirementLevel
    from competencies.seed import ensure_reference_data

    models = [Competency, DefaultRequirementLevel, AssessmentValidity]
    _same_rows(models, ensure_reference_data, "competencies", "0002_seed_reference_data")
    assert Competency.objects.filter(agency=None).count() == 9


@pytest.mark.django_db
def test_the_performance_reference_migration_writes_the_loader_rows() -> None:
    from performance.loaders import ensure_all
    from performance.models import CoreValue, DistributionRule

    _same_rows([CoreValue, DistributionRule], ensure_all, "performance", "0002_seed_reference_data")
    assert CoreValue.objects.count() == 7


@pytest.mark.django_db
def test_the_training_defaults_migration_writes_the_loader_rows() -> None:
    from training.defaults import ensure_defaults
    from training.models import JpRate, Question, QuestionnaireTemplate

    models = [JpRate, QuestionnaireTemplate, Question]
    _same_rows(models, ensure_defaults, "training", "0002_defaults_and_schedules")
    assert Question.objects.count() == 12


def test_no_migration_imports_application_code() -> None:
    """History must not change meaning when an app module is edited later."""
    offenders = []
    for app in APPS:
        for path in sorted((ROOT / app / "migrations").glob("0*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                names = []
                if isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                elif isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] in APPS]
    assert [o for o in offenders if o not in CALLABLE_REFERENCES] == []
