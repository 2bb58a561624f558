"""Forms parse input only; the services decide and save."""

from django import forms
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core.moderation import ModerationReason
from core.submissions import OneUseForm

from .models.posts import FlagReason
from .text import post_max_length


def _body_help_text() -> str:
    return _(
        "Plain text; paragraphs are kept. Links become clickable. At most %(n)s characters."
    ) % {"n": number_format(post_max_length(), force_grouping=True)}


class BodyField(forms.CharField):
    widget = forms.Textarea

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Your post"))
        # Formatted when shown, in the reader's language: the field is made once, at import.
        kwargs.setdefault("help_text", lazy(_body_help_text, str)())
        kwargs.setdefault(
            "error_messages", {"required": _("Please write something before sending.")}
        )
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update(rows="6", maxlength=str(post_max_length() * 2))
        return attrs


class ReplyForm(OneUseForm):
    """A reply; its one-use token makes the same form sent twice one post (core.submissions)."""

    body = BodyField()
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    quote = forms.CharField(
        label=_("Quoted text"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": "2"}),
        help_text=_("Words from the post you reply to; leave empty to reply without quoting."),
    )


class ThreadForm(OneUseForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = BodyField(label=_("First post"))


class EditForm(forms.Form):
    body = BodyField()
    note = forms.CharField(
        label=_("What did you change? (optional)"), max_length=300, required=False
    )


class RegistrationForm(forms.Form):
    motivation = forms.CharField(
        label=_("Why do you want to take part? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": "3"}),
    )


class RegistrationDecisionForm(forms.Form):
    registration = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("decline", _("Decline"))])
    reason = forms.CharField(
        label=_("Reason (sent to the registrant)"), required=False, max_length=1000
    )


class FlagForm(forms.Form):
    reason_code = forms.ChoiceField(
        label=_("Why should a moderator look at this post?"), choices=FlagReason.choices
    )
    reason = forms.CharField(
        label=_("Details (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": "2"}),
    )


class ModerateForm(forms.Form):
    """One form for every decision on a post; `action` says which."""

    ACTIONS = ("approve", "reject", "hide", "restore")
    action = forms.ChoiceField(
        choices=[
            ("approve", _("Approve")),
            ("reject", _("Reject")),
            ("hide", _("Hide")),
            ("restore", _("Restore")),
        ]
    )
    body = forms.CharField(
        label=_("Text (edit before approving)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": "5"}),
    )
    note = forms.CharField(
        label=_("Note on your edit (sent to the author)"), required=False, max_length=1000
    )
    reason_code = forms.ChoiceField(
        label=_("Reason"),
        required=False,
        choices=[("", _("— choose —")), *ModerationReason.choices],
    )
    reason = forms.CharField(
        label=_("Explanation (sent to the author)"), required=False, max_length=1000
    )

    def clean(self):
        data = super().clean()
        if data.get("action") in ("reject", "hide") and not (
            data.get("reason_code") or (data.get("reason") or "").strip()
        ):
            raise forms.ValidationError(
                _("Please give a reason: the author and readers are told why.")
            )
        return data


class ThreadCloseForm(forms.Form):
    """The reason for closing or reopening a thread, for the audit log (a NUL byte, which
    PostgreSQL cannot store, is refused here with the form's message)."""

    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000)


class SummaryForm(forms.Form):
    summary = BodyField(
        label=_("Round summary"), help_text=_("The wrap-up shown at the top of the group.")
    )


class NotificationSettingsForm(forms.Form):
    replies = forms.BooleanField(
        label=_("E-mail me when someone replies to my post"), required=False
    )
    moderation = forms.BooleanField(
        label=_("E-mail me when a moderator approves or edits my post"),
        required=False,
        help_text=_("Rejections and hidden posts are always e-mailed: you are owed the reason."),
    )
    digest = forms.BooleanField(
        label=_("Send me a daily digest of new posts in the forums I am registered for"),
        required=False,
    )
