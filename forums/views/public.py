"""What readers and participants use: forums, groups, threads, posting, flags, settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.page_cache import cache_this_page
from core.sanitize import html_to_text

from .. import rules, selectors, services
from ..forms import (
    EditForm,
    FlagForm,
    NotificationSettingsForm,
    RegistrationForm,
    ReplyForm,
    ThreadForm,
)
from ..models import Forum, Post, PostRevision
from ..notify import settings_for
from ..text import body_to_editable
from .common import add_errors, get_group, get_post, get_thread, messages_of, refuse


def forum_index(request):
    forums = list(selectors.forums_list())
    cache_this_page(request, tags=["forums-list"], until=selectors.next_round_change)
    return render(request, "forums/forum_index.html", {"forums": forums})


def forum_detail(request, slug):
    forum = get_object_or_404(Forum, slug=slug)
    groups = list(forum.groups.order_by("number", "pk"))
    user = request.user
    cache_this_page(
        request,
        tags=[f"forum:{forum.pk}"],
        until=lambda: selectors.next_round_change(groups=forum.groups.all()),
    )
    return render(
        request,
        "forums/forum_detail.html",
        {
            "forum": forum,
            "groups": groups,
            "registration_status": rules.registration_status(user, forum),
            "can_register": rules.can_register(user, forum),
            "can_manage": rules.can_manage_registrations(user, forum),
            "registered_count": forum.registrations.approved().count(),
        },
    )


@require_http_methods(["GET", "POST"])
def register(request, slug):
    forum = get_object_or_404(Forum, slug=slug)
    if not request.user.is_authenticated:
        return refuse(request, PermissionDenied())
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_submit(
                forum=forum, user=request.user, motivation=form.cleaned_data["motivation"]
            )
        except PermissionDenied as error:
            return refuse(request, error)
        except ValidationError as error:
            add_errors(form, error)
            return render(
                request,
                "forums/register.html",
                {
                    "forum": forum,
                    "form": form,
                    "profile": getattr(request.user, "profile", None),
                    "status": None,
                    "can_participate": True,
                },
                status=400,
            )
        if registration.is_approved:
            messages.success(request, _("You are registered: welcome to the forum."))
        else:
            messages.success(
                request,
                _("Thank you. A moderator will review your registration; we will e-mail you."),
            )
        return redirect(forum.get_absolute_url())
    return render(
        request,
        "forums/register.html",
        {
            "forum": forum,
            "form": form,
            "profile": getattr(request.user, "profile", None),
            "status": rules.registration_status(request.user, forum),
            "can_participate": rules.can_participate(request.user),
        },
    )


def _group_context(request, group, *, thread_form=None):
    user = request.user
    moderator = rules.is_group_moderator(user, group)
    last_seq = group.last_seq  # read before the content: events after it are caught up
    threads = list(selectors.group_threads(group, user, moderator=moderator))
    refusal = rules.posting_refusal(user, group)
    return {
        "group": group,
        "forum": group.forum,
        "threads": threads,
        "is_moderator": moderator,
        "posting_refusal": refusal,
        "thread_form": thread_form or (ThreadForm() if refusal is None else None),
        "last_seq": last_seq,
        "live_page": "group",
    }


def group_detail(request, group_id):
    group = get_group(group_id)
    cache_this_page(
        request,
        tags=[f"group:{group.pk}", f"round:{group.pk}", f"forum:{group.forum_id}"],
        until=selectors.round_change_of(group),
    )
    return render(request, "forums/group_detail.html", _group_context(request, group))


@require_http_methods(["GET", "POST"])
def thread_new(request, group_id):
    group = get_group(group_id)
    if request.method == "GET":
        return redirect(f"{group.get_absolute_url()}#new-thread")
    if not request.user.is_authenticated:
        return refuse(request, PermissionDenied())
    form = ThreadForm(request.POST)
    if form.token_refused:
        # An old or tampered form: keep what was typed, with a fresh token (core.submissions).
        form = ThreadForm.renewed(request.POST)
    elif form.is_valid():
        try:
            thread = services.thread_create(
                group=group,
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                submission_token=form.cleaned_data["token"],
            )
        except PermissionDenied as error:
            return refuse(request, error)
        except ValidationError as error:
            add_errors(form, error)
        else:
            if thread.published_at is None:
                messages.info(
                    request,
                    _("Your thread is awaiting moderation: it becomes public once approved."),
                )
            return redirect(thread.get_absolute_url())
    context = _group_context(request, group, thread_form=form)
    return render(request, "forums/group_detail.html", context, status=400)


def _thread_context(request, group, thread, *, reply_form=None):
    user = request.user
    moderator = rules.is_group_moderator(user, group)
    last_seq = group.last_seq
    posts = list(selectors.thread_posts(thread, user, moderator=moderator))
    for post in posts:
        post.thread = thread
        post.group = group
        post.access = rules.post_access(user, post, moderator=moderator, thread=thread)
        post.show_body = post.access == rules.FULL
        post.quote_visible = rules.quote_visible(user, post, moderator=moderator)
        post.may_flag = rules.can_flag(user, post)
        post.may_edit = rules.can_edit_post(user, post)
    refusal = rules.posting_refusal(user, group, thread)
    if reply_form is None and refusal is None:
        initial = _reply_initial(request, posts)
        reply_form = ReplyForm(initial=initial)
    replying_to = None
    if reply_form is not None:
        target = reply_form["reply_to"].value()
        replying_to = next((p for p in posts if str(p.pk) == str(target)), None)
    return {
        "group": group,
        "forum": group.forum,
        "thread": thread,
        "posts": posts,
        "is_moderator": moderator,
        "posting_refusal": refusal,
        "reply_form": reply_form if refusal is None else None,
        "replying_to": replying_to,
        "last_seq": last_seq,
        "live_page": "thread",
    }


def _reply_initial(request, posts) -> dict:
    """?reply_to=<id>[&quote=1] prefills the reply form (the "Reply" and "Quote" links)."""
    try:
        target_id = int(request.GET.get("reply_to", ""))
    except ValueError:
        return {}
    target = next((p for p in posts if p.pk == target_id and p.show_body), None)
    if target is None:
        return {}
    initial = {"reply_to": target.pk}
    if request.GET.get("quote"):
        text = " ".join(html_to_text(target.body).split())
        initial["quote"] = text[:300]
    return initial


def thread_detail(request, group_id, thread_id):
    group = get_group(group_id)
    thread = get_thread(group, thread_id, request.user)
    cache_this_page(
        request,
        tags=[f"thread:{thread.pk}", f"round:{group.pk}", f"forum:{group.forum_id}"],
        until=selectors.round_change_of(group),
    )
    return render(request, "forums/thread_detail.html", _thread_context(request, group, thread))


@require_http_methods(["GET", "POST"])
def reply(request, group_id, thread_id):
    group = get_group(group_id)
    if request.method == "GET":
        return redirect(reverse("forums:thread", args=[group_id, thread_id]) + "#reply")
    try:
        thread = get_thread(group, thread_id, request.user)
    except Http404:
        if not request.user.is_authenticated:
            return refuse(request, PermissionDenied())
        raise
    if not request.user.is_authenticated:
        return refuse(request, PermissionDenied())
    form = ReplyForm(request.POST)
    if form.token_refused:
        form = ReplyForm.renewed(request.POST)
    elif form.is_valid():
        reply_to = None
        if form.cleaned_data.get("reply_to"):
            reply_to = (
                Post.objects.filter(pk=form.cleaned_data["reply_to"], thread=thread)
                .select_related("author")
                .first()
            )
            if reply_to is None:
                form.add_error(None, _("You can only reply to a post in this thread."))
        if form.is_valid():
            try:
                post = services.post_create(
                    thread=thread,
                    author=request.user,
                    body=form.cleaned_data["body"],
                    reply_to=reply_to,
                    quote=form.cleaned_data.get("quote") or "",
                    submission_token=form.cleaned_data["token"],
                )
            except PermissionDenied as error:
                return refuse(request, error)
            except ValidationError as error:
                add_errors(form, error)
            else:
                if not post.is_published:
                    messages.info(
                        request,
                        _("Your post is awaiting moderation: others see it once approved."),
                    )
                return redirect(f"{thread.get_absolute_url()}#post-{post.pk}")
    context = _thread_context(request, group, thread, reply_form=form)
    return render(request, "forums/thread_detail.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request, post_id):
    post = get_post(post_id)
    if not rules.can_edit_post(request.user, post):
        return refuse(request, PermissionDenied(_("You cannot edit this post.")))
    form = EditForm(request.POST or None, initial={"body": body_to_editable(post.body)})
    if request.method == "POST" and form.is_valid():
        try:
            services.post_edit(
                post=post,
                editor=request.user,
                body=form.cleaned_data["body"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your post was updated."))
            return redirect(post.get_absolute_url())
    return render(
        request,
        "forums/post_edit.html",
        {"post": post, "form": form, "group": post.group},
        status=400 if form.errors else 200,
    )


def post_history(request, post_id):
    """A post's earlier versions, as far as this reader may read them (the policy: the group's
    moderators and the author see every one and the moderator's notes; everyone else only
    texts that were public before an edit)."""
    post = get_post(post_id)
    user = request.user
    moderator = rules.is_group_moderator(user, post.group)
    if not rules.can_see_history(user, post, moderator=moderator):
        raise Http404
    revisions = list(
        PostRevision.objects.filter(post=post)
        .visible_to(user, post, moderator=moderator)
        .select_related("edited_by__profile")
    )
    for revision in revisions:
        revision.show_note = rules.revision_note_visible(user, post, revision, moderator=moderator)
    return render(
        request,
        "forums/post_history.html",
        {"post": post, "revisions": revisions, "group": post.group, "is_moderator": moderator},
    )


@require_http_methods(["GET", "POST"])
def post_flag(request, post_id):
    post = get_post(post_id)
    if not request.user.is_authenticated:
        return refuse(request, PermissionDenied())
    if not rules.can_flag(request.user, post):
        return refuse(request, PermissionDenied(_("You cannot flag this post.")))
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_create(
                post=post,
                reporter=request.user,
                reason_code=form.cleaned_data["reason_code"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            for message in messages_of(error):
                messages.info(request, message)
        else:
            messages.success(request, _("Thank you: the moderators have been told."))
        return redirect(post.get_absolute_url())
    return render(
        request,
        "forums/post_flag.html",
        {"post": post, "form": form, "group": post.group},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    current = settings_for(request.user)
    form = NotificationSettingsForm(
        request.POST or None,
        initial={
            "replies": current.replies,
            "moderation": current.moderation,
            "digest": current.digest,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.notification_settings_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your forum e-mail settings were saved."))
        return redirect("forums:settings")
    return render(request, "forums/settings.html", {"form": form})
