import django.core.serializers.json
import django.db.models.deletion
from django.db import migrations, models

# The access log names what was accessed generically (a content type and an id), so that
# each app logs its own records; its actions are plain codes that each app defines.
# 0018 moves the existing rows, 0019 drops the document column.


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("registrations", "0016_measurement_source_partner"),
    ]

    operations = [
        migrations.AlterField(
            model_name="accesslog",
            name="action",
            field=models.CharField(max_length=40, verbose_name="tindakan"),
        ),
        migrations.AddField(
            model_name="accesslog",
            name="target_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="jenis data",
            ),
        ),
        migrations.AddField(
            model_name="accesslog",
            name="target_id",
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name="nomor data"),
        ),
        migrations.AddField(
            model_name="accesslog",
            name="extra",
            field=models.JSONField(
                blank=True,
                default=dict,
                encoder=django.core.serializers.json.DjangoJSONEncoder,
                verbose_name="rincian",
            ),
        ),
        migrations.AddIndex(
            model_name="accesslog",
            index=models.Index(fields=["target_type", "target_id"], name="access_log_target"),
        ),
    ]
