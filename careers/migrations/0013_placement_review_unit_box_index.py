from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("careers", "0012_followup_status_employee_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="talentplacement",
            index=models.Index(fields=["review", "unit", "box"], name="careers_placement_box_unit_idx"),
        ),
    ]
