from django.apps import AppConfig


class RotaConfig(AppConfig):
    name = "rota"
    verbose_name = "Rota"

    def ready(self) -> None:
        # A check, a "rather not", or the checks a plan or a client's calls for help need,
        # changed anywhere (a service, the admin), moves the visits' counts of places
        # rightly held, in the same transaction (rota.counts).
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from people.models import CarerPreference, Client, Credential
        from rota import counts
        from rota.models import VisitPlan

        for signal in (post_save, post_delete):
            signal.connect(counts.credential_changed, sender=Credential, dispatch_uid="counts")
            signal.connect(counts.wish_changed, sender=CarerPreference, dispatch_uid="counts")
        m2m_changed.connect(
            counts.plan_checks_changed,
            sender=VisitPlan.credentials_needed.through,
            dispatch_uid="counts-plan-checks",
        )
        m2m_changed.connect(
            counts.emergency_checks_changed,
            sender=Client.emergency_credentials.through,
            dispatch_uid="counts-emergency-checks",
        )
