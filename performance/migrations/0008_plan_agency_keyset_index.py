from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("performance", "0007_skp_year_summary"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="performanceplan",
            index=models.Index(fields=["agency", "-year", "-id"], name="perf_plan_agency_keyset_idx"),
        ),
    ]
