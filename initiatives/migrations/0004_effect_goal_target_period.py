from django.db import migrations, models


def goal1_is_a_percentage_change(apps, schema_editor):
    """Goals already loaded with the police-charges measure (Copenhagen's goal 1, "fall 2 %") read their target
    as a change in per cent, as the programme YAML now says, without waiting for the YAML to be loaded again."""
    EffectGoal = apps.get_model("initiatives", "EffectGoal")
    EffectGoal.objects.filter(measure="charges_share_14_25_deprived").update(target_kind="change_percent")


class Migration(migrations.Migration):

    dependencies = [
        ('initiatives', '0003_effect_goal_measure'),
    ]

    operations = [
        migrations.AddField(
            model_name='effectgoal',
            name='period_start',
            field=models.DateField(blank=True, help_text="The first day the goal is measured over; empty: 1 January of the baseline year, else of the programme's first year.", null=True, verbose_name='start of the target period'),
        ),
        migrations.AddField(
            model_name='effectgoal',
            name='target_kind',
            field=models.CharField(choices=[('level', 'a level to reach'), ('change_percent', 'a change in per cent from the baseline year')], default='level', max_length=20, verbose_name='kind of target'),
        ),
        migrations.RunPython(goal1_is_a_percentage_change, migrations.RunPython.noop),
    ]
