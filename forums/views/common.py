from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404

from .. import rules
from ..models import DiscussionGroup, Post, Thread


def get_group(group_id: int) -> DiscussionGroup:
    return get_object_or_404(DiscussionGroup.objects.select_related("forum"), pk=group_id)


def get_thread(group: DiscussionGroup, thread_id: int, user) -> Thread:
    """The thread, if this reader may see it; otherwise 404 (an unpublished thread's existence
    is not revealed)."""
    thread = get_object_or_404(
        Thread.objects.select_related("author__profile"), pk=thread_id, group=group
    )
    thread.group = group
    if not rules.can_see_thread(user, thread):
        raise Http404
    return thread


def get_post(post_id: int) -> Post:
    return get_object_or_404(
        Post.objects.select_related("thread", "group__forum", "author__profile"), pk=post_id
    )


def messages_of(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [m for field_errors in error.message_dict.values() for m in field_errors]
    return list(error.messages)


def add_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form, field by field where it names fields."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def refuse(request, error: PermissionDenied):
    """Anonymous people are sent to sign in (and back); others see the reason."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if error.args:
        messages.error(request, str(error.args[0]))
    raise PermissionDenied(*error.args)
