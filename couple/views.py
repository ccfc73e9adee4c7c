"""The couple's own page, reached by its private link, and the staff's page that makes,
sends again and revokes that link (docs/decisions.md, "The couple's page")."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from orders.models import Order
from selection.models import DesignProof, Photo
from selection.photos import OPEN_STATES
from selection.views import photo_response, proof_response
from studio import roles
from studio.access import StaffRequired, reached_by_private_link
from studio.forms import attach_errors
from studio.lockouts import client_address
from studio.services import AlreadyDone

from . import selectors, services
from .forms import AnswerForm, FavouriteForm, LinkForm, NoteForm, PinForm
from .models import CoupleLink

# Who makes, sends again and revokes a couple's link: the front desk, the selection
# consultant and the store manager, of the order's branch.
LINK_ROLES = {roles.RECEPTIONIST, roles.SELECTION_CONSULTANT, roles.MANAGER}
# The links a browser session unlocked with the code sent by SMS.
SESSION_KEY = "couple_links"
_BAD = "couple:bad-link:{}"


def _too_many_bad(address):
    return cache.get(_BAD.format(address), 0) >= settings.STUDIO_COUPLE_BAD_LINKS_PER_HOUR


def _count_bad(address):
    key = _BAD.format(address)
    if not cache.add(key, 1, 3600):
        try:
            cache.incr(key)
        except ValueError:  # expired in between
            cache.set(key, 1, 3600)


def _private(response):
    """The address holds the key: never cached by others, never sent as a referrer to
    another site (same-origin: a stricter no-referrer makes the browser send `Origin: null`
    with the page's forms, which the CSRF check refuses), never indexed."""
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _refused(request, status):
    return _private(render(request, "couple/refused.html", {"status": status}, status=status))


def couple_page(*, unlocked=True):
    """A view of the couple's page: reached by its token only, never by a login. Refuses
    a forged, unknown, revoked or expired link (and, after too many of those from one
    address in an hour, everything from it: 429); speaks the couple's recorded language
    and shows times in their branch's time zone; asks for the code sent by SMS first when
    the link wants one (`unlocked=False`: the code's own view)."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, token, *args, **kwargs):
            address = client_address(request)
            if _too_many_bad(address):
                return _refused(request, 429)
            link = services.find_link(token)
            if link is None:
                _count_bad(address)
                return _refused(request, 404)
            language = link.order.customer.language
            with translation.override(language), timezone.override(link.order.branch.tzinfo):
                request.LANGUAGE_CODE = language
                if (
                    unlocked
                    and link.needs_pin
                    and link.pk not in request.session.get(SESSION_KEY, [])
                ):
                    response = pin_page(request, link, token)
                else:
                    response = view(request, link, token, *args, **kwargs)
                response["Content-Language"] = language
            return _private(response)

        return reached_by_private_link(wrapped)

    return decorate


def pin_page(request, link, token, form=None, status=200):
    return render(
        request,
        "couple/pin.html",
        {"link": link, "token": token, "form": form or PinForm(), "locked": _locked(link)},
        status=status,
    )


def _locked(link):
    return bool(link.pin_locked_until and link.pin_locked_until > timezone.now())


def _back(token, anchor=""):
    return redirect(reverse("couple:page", kwargs={"token": token}) + anchor)


@couple_page()
def page(request, link, token):
    if request.method != "GET":
        return _refused(request, 405)
    services.opened(link=link)
    context = selectors.page(link, token)
    return render(request, "couple/page.html", {"token": token, **context})


@couple_page(unlocked=False)
def send_pin(request, link, token):
    if request.method != "POST":
        return _refused(request, 405)
    if services.send_pin(link=link):
        messages.info(request, _("We sent a code by SMS to the phone number the studio has."))
    else:
        messages.warning(request, _("A code was sent a moment ago: please wait a minute."))
    return _back(token)


@couple_page(unlocked=False)
def check_pin(request, link, token):
    if request.method != "POST":
        return _refused(request, 405)
    form = PinForm(request.POST)
    if not form.is_valid():
        return pin_page(request, link, token, form=form, status=400)
    result = services.check_pin(link=link, pin=form.cleaned_data["code"])
    if result is services.PinCheck.RIGHT:
        request.session.cycle_key()
        request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, []), link.pk]
        return _back(token)
    link.refresh_from_db()
    form.add_error(
        "code",
        {
            services.PinCheck.WRONG: _("That is not the code we sent."),
            services.PinCheck.EXPIRED: _("This code no longer works: ask for a new one."),
            services.PinCheck.LOCKED: _(
                "Too many wrong codes: try again in half an hour, or call the studio."
            ),
        }[result],
    )
    status = 429 if result is services.PinCheck.LOCKED else 400
    return pin_page(request, link, token, form=form, status=status)


@couple_page()
def answer_proof(request, link, token, pk):
    if request.method != "POST":
        return _refused(request, 405)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or ask for a change."))
        return _back(token, "#proofs")
    try:
        services.answer_proof(
            link=link,
            proof_id=pk,
            approve=form.cleaned_data["approve"],
            note=form.cleaned_data["note"],
        )
    except AlreadyDone as exc:
        messages.warning(request, exc.messages[0])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if form.cleaned_data["approve"]:
            messages.success(request, _("Thank you: approved. We print it as you saw it."))
        else:
            messages.success(request, _("Thank you: the designer will make the change."))
    return _back(token, "#proofs")


@couple_page()
def proof_file(request, link, token, pk):
    if request.method != "GET":
        return _refused(request, 405)
    proof = get_object_or_404(DesignProof, pk=pk, item__order=link.order, shown_at__isnull=False)
    return proof_response(proof)


# --- Favourites at home ---


@couple_page()
def photo_file(request, link, token, pk):
    """One of their photos, watermarked (never the clean preview or the original), while
    they may mark favourites."""
    if request.method != "GET":
        return _refused(request, 405)
    photo = Photo.objects.filter(
        pk=pk, session__order=link.order, processed_at__isnull=False
    ).first()
    if photo is None or link.order.state not in OPEN_STATES:
        return _refused(request, 404)
    return photo_response(photo, "watermarked")


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _photo_answer(request, token, *, error=None, favourite=None, note=None, count=None):
    """The page's script gets JSON; a browser without it goes back to the photo."""
    if _wants_json(request):
        if error:
            return JsonResponse({"error": error}, status=400)
        return JsonResponse({"favourite": favourite, "note": note, "count": count})
    if error:
        messages.error(request, error)
    return _back(token, "#photos")


def _favourite_count(link):
    return Photo.objects.filter(session__order=link.order, favourite__chosen=True).count()


@couple_page()
def mark_favourite(request, link, token, pk):
    if request.method != "POST":
        return _refused(request, 405)
    form = FavouriteForm(request.POST)
    if not form.is_valid():
        return _photo_answer(request, token, error=_("Tap the heart to mark a favourite."))
    try:
        found = services.mark_favourite(
            link=link, photo_id=pk, favourite=form.cleaned_data["favourite"]
        )
    except ValidationError as exc:
        return _photo_answer(request, token, error=" ".join(exc.messages))
    return _photo_answer(
        request,
        token,
        favourite=bool(found and found.chosen),
        note=found.note if found else "",
        count=_favourite_count(link),
    )


@couple_page()
def write_note(request, link, token, pk):
    if request.method != "POST":
        return _refused(request, 405)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _photo_answer(request, token, error=" ".join(form.errors["note"]))
    try:
        found = services.write_note(link=link, photo_id=pk, note=form.cleaned_data["note"])
    except ValidationError as exc:
        return _photo_answer(request, token, error=" ".join(exc.messages))
    if not _wants_json(request):
        messages.success(request, _("Your note is saved."))
    return _photo_answer(
        request, token, favourite=found.chosen, note=found.note, count=_favourite_count(link)
    )


# --- Staff: the link of an order ---


class LinksView(StaffRequired, TemplateView):
    """An order's links to the couple's page: make or send a new one, revoke one."""

    roles = LINK_ROLES
    template_name = "couple/links.html"
    http_method_names = ["get"]

    def get_order(self):
        return get_object_or_404(
            self.scoped(Order.objects.select_related("customer")), number=self.kwargs["number"]
        )

    def get_context_data(self, form=None, **kwargs):
        order = self.get_order()
        return super().get_context_data(
            order=order,
            links=selectors.links_of(order),
            now=timezone.now(),
            form=form or LinkForm(),
            **kwargs,
        )


class MakeLinkView(LinksView):
    http_method_names = ["post"]

    def post(self, request, number):
        order = self.get_order()
        form = LinkForm(request.POST)
        if form.is_valid():
            try:
                made = services.make_link(
                    order=order,
                    by=request.staff,
                    days=form.cleaned_data["days"],
                    needs_pin=form.cleaned_data["needs_pin"],
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "A new link was sent to the couple; the one before stops working. "
                        "To send it by WeChat yourself, copy it now (it is not shown again): "
                        "%(url)s"
                    )
                    % {"url": made.url},
                )
                return redirect("couple:links", order.number)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class RevokeLinkView(StaffRequired, View):
    roles = LINK_ROLES
    http_method_names = ["post"]

    def post(self, request, number, pk):
        link = get_object_or_404(
            self.scoped(CoupleLink.objects.all(), "order__branch"), pk=pk, order__number=number
        )
        try:
            services.revoke_link(link=link, by=request.staff)
        except AlreadyDone as exc:
            messages.warning(request, exc.messages[0])
        else:
            messages.success(request, _("The link no longer works."))
        return redirect("couple:links", number)
