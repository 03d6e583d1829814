from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("performance", "0008_plan_agency_keyset_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="evaluation",
            index=models.Index(
                fields=["period", "plan"], include=("predikat", "id"), name="perf_eval_period_plan_idx"
            ),
        ),
    ]
