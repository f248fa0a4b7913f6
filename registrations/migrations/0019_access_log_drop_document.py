from django.db import migrations

# The documents viewed are the access log's targets now (0018).


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0018_access_log_targets"),
    ]

    operations = [
        migrations.RemoveField(model_name="accesslog", name="document"),
    ]
