"""The product's URLs and one more: the ceiling page, the least a signed-in page can do on this
server (the same middleware, session and person; one query of the person's next visits, a
few lines of HTML). Each page's figure in bench/scale.py is set beside it, measured in the same
run."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import Context, Template
from django.urls import path

from config.urls import urlpatterns as product
from rota.models import Assignment

PAGE = Template(
    "<!doctype html><title>Next visits</title><ul>"
    "{% for a in visits %}<li>{{ a.start|date:'D j M H:i' }}</li>{% endfor %}</ul>"
)


@login_required
def ceiling(request: HttpRequest) -> HttpResponse:
    visits = list(
        Assignment.objects.filter(carer=request.user, released_at__isnull=True).order_by("start")[
            :10
        ]
    )
    return HttpResponse(PAGE.render(Context({"visits": visits})))


urlpatterns = [*product, path("bench/ceiling/", ceiling, name="bench_ceiling")]
