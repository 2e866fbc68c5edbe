from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CirclesConfig(AppConfig):
    name = "circles"
    verbose_name = "Circles"

    def ready(self) -> None:
        # Every process, not only the worker, knows each app's Celery tasks by name: a change
        # sends its follow-ups by name (rota.outbox, circles.notify), and the demo runs them
        # in-process.
        autodiscover_modules("tasks")
