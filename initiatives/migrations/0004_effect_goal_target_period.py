from django.db import migrations, models


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
    ]
