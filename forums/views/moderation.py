"""The moderators' side: the queue, decisions on posts, threads, flags, summaries, rounds
and registrations. Every view asks rules.can_moderate (or can_manage_registrations) first."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import rules, selectors, services
from ..forms import BodyField, ModerateForm, RegistrationDecisionForm, SummaryForm, ThreadCloseForm
from ..models import Flag, FlagStatus, Forum, Registration
from ..synthesis import round_synthesis, summary_draft
from ..text import body_to_editable
from .common import add_errors, get_group, get_post, get_thread, messages_of, refuse
from .public import _thread_context


def _require(request, allowed: bool):
    if not allowed:
        return refuse(request, PermissionDenied(_("Only this group's moderators may do that.")))
    return None


def _back(request, fallback: str, *, anchor: str = ""):
    """Back to the page the form was on (`next`), at `anchor` there, if it is a path on this
    site; anything else (another host, a word that is no URL, control characters) goes to
    `fallback`."""
    target = request.POST.get("next") or ""
    if (
        target.startswith("/")
        and target.isprintable()
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return HttpResponseRedirect(f"{target.split('#')[0]}#{anchor}" if anchor else target)
    return HttpResponseRedirect(fallback)


def queue(request, group_id):
    group = get_group(group_id)
    if (response := _require(request, rules.can_moderate(request.user, group))) is not None:
        return response
    return _queue_page(request, group)


def _queue_page(request, group, *, refused=None, status=200):
    last_seq = group.last_seq
    pending, flagged = selectors.moderation_queue(group)
    pending, flagged = list(pending), list(flagged)
    return render(
        request,
        "forums/queue.html",
        {
            "group": group,
            "forum": group.forum,
            "pending": pending,
            "flagged": flagged,
            "counts": services.queue_counts(group),
            "is_moderator": True,
            "last_seq": last_seq,
            "live_page": "queue",
            "form": ModerateForm(),
            "refused": refused,
            # The same words as under the participants' own text box.
            "body_help": BodyField().help_text,
        },
        status=status,
    )


def _moderation_refused(request, post, form):
    """A refused decision shows the page the moderator acted from again (the thread, or the
    queue), with the errors in that post's form, which the browser scrolls to (#anchor)."""
    refused = {"post_id": post.pk, "form": form}
    if request.POST.get("next"):
        thread = get_thread(post.group, post.thread_id, request.user)
        context = _thread_context(request, post.group, thread)
        context["refused"] = refused
        return render(request, "forums/thread_detail.html", context, status=400)
    return _queue_page(request, post.group, refused=refused, status=400)


@require_POST
def moderate_post(request, post_id):
    post = get_post(post_id)
    group = post.group
    if (response := _require(request, rules.can_moderate(request.user, group))) is not None:
        return response
    form = ModerateForm(request.POST)
    fallback = f"{group.get_absolute_url()}moderate/"
    if not form.is_valid():
        if not form.non_field_errors():
            form.add_error(None, _("Choose an action."))
        return _moderation_refused(request, post, form)
    data = form.cleaned_data
    action = data["action"]
    try:
        if action == "approve":
            # The queue's form carries the post as its author typed it (body_to_editable):
            # only a changed text is an edit.
            body = data["body"].replace("\r\n", "\n").strip()
            unchanged = body in (body_to_editable(post.body).strip(), post.body.strip())
            body = body if body and not unchanged else None
            services.post_approve(post=post, actor=request.user, body=body, note=data["note"])
            messages.success(request, _("Post approved and published."))
        elif action == "reject":
            services.post_reject(
                post=post,
                actor=request.user,
                reason_code=data["reason_code"],
                reason=data["reason"],
            )
            messages.success(request, _("Post rejected; the author was told why."))
        elif action == "hide":
            services.post_hide(
                post=post,
                actor=request.user,
                reason_code=data["reason_code"],
                reason=data["reason"],
            )
            messages.success(request, _("Post hidden; readers see a placeholder."))
        else:
            services.post_restore(post=post, actor=request.user, note=data["note"])
            messages.success(request, _("Post published again."))
    except ValidationError as error:
        add_errors(form, error)
        return _moderation_refused(request, post, form)
    return _back(request, fallback, anchor=f"post-{post.pk}")


@require_POST
def thread_pin(request, group_id, thread_id):
    group = get_group(group_id)
    if (response := _require(request, rules.can_moderate(request.user, group))) is not None:
        return response
    thread = get_thread(group, thread_id, request.user)
    pinned = request.POST.get("pinned") == "1"
    services.thread_set_pinned(thread=thread, actor=request.user, pinned=pinned)
    messages.success(request, _("Thread pinned.") if pinned else _("Thread unpinned."))
    return _back(request, thread.get_absolute_url())


@require_POST
def thread_close(request, group_id, thread_id):
    group = get_group(group_id)
    if (response := _require(request, rules.can_moderate(request.user, group))) is not None:
        return response
    thread = get_thread(group, thread_id, request.user)
    closed = request.POST.get("closed") == "1"
    form = ThreadCloseForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(request, thread.get_absolute_url())
    services.thread_set_closed(
        thread=thread, actor=request.user, closed=closed, reason=form.cleaned_data["reason"]
    )
    messages.success(request, _("Thread closed.") if closed else _("Thread reopened."))
    return _back(request, thread.get_absolute_url())


@require_POST
def flags_dismiss(request, post_id):
    post = get_post(post_id)
    if (response := _require(request, rules.can_moderate(request.user, post.group))) is not None:
        return response
    flag = Flag.objects.filter(post=post, status=FlagStatus.OPEN).first()
    if flag is not None:
        services.flag_dismiss(flag=flag, actor=request.user)
        messages.success(request, _("Flags dismissed; the post stays published."))
    return _back(request, f"{post.group.get_absolute_url()}moderate/")


@require_http_methods(["GET", "POST"])
def summary(request, group_id):
    group = get_group(group_id)
    if (response := _require(request, rules.can_moderate(request.user, group))) is not None:
        return response
    synthesis = round_synthesis(group)
    # An empty summary starts from the synthesis' figures and main points.
    initial = group.summary or (summary_draft(synthesis) if synthesis["posts"] else "")
    form = SummaryForm(request.POST or None, initial={"summary": initial})
    if request.method == "POST" and form.is_valid():
        try:
            services.summary_post(
                group=group, actor=request.user, summary=form.cleaned_data["summary"]
            )
        except ValidationError as error:
            form.add_error("summary", error)
        else:
            messages.success(request, _("The round summary is published."))
            return redirect(group.get_absolute_url())
    return render(
        request,
        "forums/summary_form.html",
        {"group": group, "forum": group.forum, "form": form, "round": synthesis},
        status=400 if form.errors else 200,
    )


@require_POST
def round_close(request, group_id):
    group = get_group(group_id)
    if (response := _require(request, rules.can_moderate(request.user, group))) is not None:
        return response
    try:
        services.round_close_now(group=group, actor=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The round is closed; the group is read-only now."))
    return redirect(group.get_absolute_url())


@require_http_methods(["GET", "POST"])
def registrations(request, slug):
    forum = get_object_or_404(Forum, slug=slug)
    allowed = rules.can_manage_registrations(request.user, forum)
    if (response := _require(request, allowed)) is not None:
        return response
    if request.method == "POST":
        form = RegistrationDecisionForm(request.POST)
        if form.is_valid():
            registration = get_object_or_404(
                Registration, pk=form.cleaned_data["registration"], forum=forum
            )
            approve = form.cleaned_data["decision"] == "approve"
            try:
                services.registration_decide(
                    registration=registration,
                    actor=request.user,
                    approve=approve,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                for message in messages_of(error):
                    messages.error(request, message)
            else:
                messages.success(
                    request,
                    _("Registration approved; the participant was told.")
                    if approve
                    else _("Registration declined; the participant was told."),
                )
        else:
            messages.error(request, _("Choose a registration, then approve or decline."))
        return redirect("forums:registrations", slug=forum.slug)
    rows = Registration.objects.filter(forum=forum).select_related("user__profile")
    return render(
        request,
        "forums/registrations.html",
        {
            "forum": forum,
            "pending": [r for r in rows if r.status == "pending"],
            "decided": [r for r in rows if r.status != "pending"],
        },
    )
