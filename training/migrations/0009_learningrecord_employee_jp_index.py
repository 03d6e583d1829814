from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0008_enrollment_agency_newest_index"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="learningrecord", name="training_le_employe_2e01f8_idx"),
        migrations.AddIndex(
            model_name="learningrecord",
            index=models.Index(
                fields=["employee", "year", "status"], include=["jp"], name="training_lr_employee_jp_idx"
            ),
        ),
    ]
