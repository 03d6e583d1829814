"""Files an earlier version stored under MEDIA_ROOT (served publicly) move to the private storage under a random
name, the old file name kept as data. Frozen here (no application import) so later edits to the upload service
cannot change what this step did; rows whose file is missing keep their name and the download view answers 404."""

import os
import re
import uuid

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import migrations
from django.utils import timezone

# (model, file field, storage area, field keeping the original name)
MOVES = [
    ("performance.Progress", "evidence_file", "kinerja/bukti", "evidence_name"),
    ("training.Enrollment", "certificate_file", "pelatihan/sertifikat", "certificate_name"),
    ("training.LearningRecord", "certificate_file", "pelatihan/pembelajaran", "certificate_name"),
    ("promotions.ProposalDocument", "file", "kenaikan-pangkat", None),
]


def _random_name(area, old):
    ext = os.path.splitext(old)[1].lower().lstrip(".")
    ext = ext if re.fullmatch(r"[a-z0-9]{1,5}", ext) else "bin"
    return f"{area}/{timezone.now():%Y}/{uuid.uuid4().hex}.{ext}"


def move_public_files(apps, schema_editor):
    media_root = str(settings.MEDIA_ROOT)
    storage = storages["private"]
    for label, field, area, name_field in MOVES:
        Model = apps.get_model(label)
        for obj in Model.objects.exclude(**{field: ""}).only("pk", field).iterator():
            old = getattr(obj, field).name
            path = os.path.join(media_root, old)
            if not os.path.isfile(path) or storage.exists(old):
                continue
            with open(path, "rb") as fh:
                new = storage.save(_random_name(area, old), File(fh))
            changes = {field: new}
            if name_field:
                changes[name_field] = os.path.basename(old)[:200]
            Model.objects.filter(pk=obj.pk).update(**changes)
            os.remove(path)


class Migration(migrations.Migration):
    dependencies = [
        ("asn_portal", "0003_api_tokens"),
        ("performance", "0003_private_evidence_files"),
        ("training", "0004_private_certificate_files"),
        ("promotions", "0005_private_document_files"),
    ]

    operations = [migrations.RunPython(move_public_files, migrations.RunPython.noop)]
