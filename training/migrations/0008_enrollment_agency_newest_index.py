from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0007_questionnaire_summaries"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="enrollment",
            index=models.Index(fields=["agency", "-created_at", "id"], name="training_enr_agency_newest_idx"),
        ),
    ]
