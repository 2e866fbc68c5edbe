"""A carer's photo and two lines about themselves: set on their settings page, shown to the
people who may see them (circles.permissions.sees_carer).

Photos are personal data: there is no public address for them. Each is served here, to a
signed-in person who may see that carer, and never kept by a shared browser or a proxy
(web.caching answers every signed-in request with `no-store, private`).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from circles.permissions import sees_carer
from people.models import CarerProfile
from people.photos import replace_photo
from web.account.forms import AboutMeForm
from web.account.views import preferences_page
from web.http import Request, get_or_404


@login_required
@require_GET
def carer_photo(request: Request, carer_id: int) -> FileResponse:
    """The photo of a carer the person may see; 404 for anyone else, or when there is none.
    Its address carries the photo's version (`?v=`), so a new photo is a new address."""
    profile = get_or_404(CarerProfile.objects.select_related("person"), person_id=carer_id)
    if not profile.photo or not sees_carer(request.user, profile.person):
        raise Http404
    try:
        photo = profile.photo.open("rb")
    except FileNotFoundError as gone:
        raise Http404 from gone
    response = FileResponse(photo, content_type="image/jpeg")
    response["Content-Disposition"] = "inline"
    return response


@login_required
@require_POST
@transaction.atomic
def about_me(request: Request) -> HttpResponse:
    """A carer's photo (new, or removed) and their two lines, from their settings page. A
    refused photo or too long a text changes nothing, and says why."""
    profile = CarerProfile.objects.filter(person=request.user).first()
    if profile is None:
        raise Http404
    form = AboutMeForm(request.POST, request.FILES)
    if not form.is_valid():
        # The settings page again, this form's errors beside its fields.
        return preferences_page(request, about_form=form, status=400)
    profile.about = form.cleaned_data["about"]
    profile.save(update_fields=["about"])
    if form.cleaned_data["photo"] is not None:
        replace_photo(profile, form.cleaned_data["photo"])
        messages.success(request, _("Saved, with your new photo."))
    elif form.cleaned_data["remove_photo"] and profile.photo:
        replace_photo(profile, None)
        messages.success(request, _("Saved. Your photo is removed."))
    else:
        messages.success(request, _("Saved."))
    return redirect("account:preferences")
