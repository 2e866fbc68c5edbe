
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('rota', '0010_visit_plan_notes_limit'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='auditevent',
            name='auditevent_action_valid',
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('claim', 'Took a visit that needed cover'), ('assign', 'Put a carer on a visit'), ('offer', 'Gave a visit away'), ('take_offer', 'Took a visit someone gave away'), ('withdraw_offer', 'Kept a visit after giving it away'), ('cancel_shift', 'Cancelled a visit'), ('propose_swap', 'Asked to swap visits'), ('accept_swap', 'Accepted a swap'), ('decline_swap', 'Declined a swap'), ('withdraw_swap', 'Withdrew a swap request'), ('record_absence', 'Recorded time off'), ('end_absence', 'Changed when time off ends'), ('decline_carer', 'Would rather not have a carer'), ('end_membership', 'Left the circle'), ('record_family_visit', 'Family will be with a client'), ('withdraw_family_visit', "Family won't be with a client after all"), ('raise_help_request', 'Asked for help now'), ('accept_help_request', 'Answered a call for help'), ('acknowledge_help_request', 'Dealing with a call for help'), ('escalate_help_request', 'A call for help went to the team leaders'), ('cancel_help_request', 'Cancelled a call for help'), ('generate_shifts', 'Added visits to the rota'), ('change_plan', 'Changed a care plan'), ('approve_carer', 'Said a new carer is welcome'), ('edit_profile', "Changed a client's likes and wishes"), ('prefer_carer', 'Would rather have a carer'), ('clear_carer_wish', 'No longer minds which way about a carer'), ('seed_demo', 'Set up the demo')], max_length=40),
        ),
        migrations.AddConstraint(
            model_name='auditevent',
            constraint=models.CheckConstraint(condition=models.Q(('action__in', ['claim', 'assign', 'offer', 'take_offer', 'withdraw_offer', 'cancel_shift', 'propose_swap', 'accept_swap', 'decline_swap', 'withdraw_swap', 'record_absence', 'end_absence', 'decline_carer', 'end_membership', 'record_family_visit', 'withdraw_family_visit', 'raise_help_request', 'accept_help_request', 'acknowledge_help_request', 'escalate_help_request', 'cancel_help_request', 'generate_shifts', 'change_plan', 'approve_carer', 'edit_profile', 'prefer_carer', 'clear_carer_wish', 'seed_demo'])), name='auditevent_action_valid'),
        ),
    ]
