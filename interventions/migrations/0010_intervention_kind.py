from django.db import migrations

# The intervention type is called `kind` everywhere: in the assignment form, the service,
# the list filter (?kind=) and here (a `type` attribute shadows the builtin in code).


class Migration(migrations.Migration):

    dependencies = [
        ('interventions', '0009_partner_kind_codes'),
    ]

    operations = [
        migrations.RenameField(
            model_name='historicalintervention',
            old_name='type',
            new_name='kind',
        ),
        migrations.RenameField(
            model_name='intervention',
            old_name='type',
            new_name='kind',
        ),
    ]
