"""Forms parse input; the rules live in services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.moderation import ModerationReason
from core.submissions import OneUseForm

from .models import Disposition
from .uploads import max_attachment_bytes


class CommentForm(OneUseForm):
    """A comment on the whole draft or on one section (the choices come from the page); its
    one-use token makes a double submit store one comment (core.submissions)."""

    # A CharField shown as a list: an unknown section gets the service's own message.
    section = forms.CharField(
        label=_("Your comment is about"), required=False, max_length=64, widget=forms.Select
    )
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Plain text; paragraphs and links are kept. Please cite the section and "
            "the evidence your comment relies on."
        ),
        max_length=60_000,
    )
    attachment = forms.FileField(
        label=_("Attachment (PDF, optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    show_name = forms.BooleanField(
        label=_("Show my name publicly with this comment"),
        required=False,
        help_text=_(
            "If unticked, the public sees your stakeholder category and country. "
            "Consultation officers always see your name."
        ),
    )
    confidential = forms.BooleanField(
        label=_("Request confidential treatment (Art. 21)"),
        required=False,
        help_text=_(
            "A confidential comment is never published; only consultation officers "
            "read it. Please explain why below."
        ),
    )
    confidential_justification = forms.CharField(
        label=_("Why should this comment be treated as confidential?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4_000,
    )

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].widget.choices = [("", _("The draft as a whole"))] + [
            (
                s["key"],
                _("Section %(number)s: %(heading)s")
                % {"number": s["number"], "heading": s["heading"]},
            )
            for s in consultation.section_list
        ]
        limit_mb = max_attachment_bytes() // (1024 * 1024)
        self.fields["attachment"].help_text = _(
            "One PDF of up to %(mb)d MB, not password-protected."
        ) % {"mb": limit_mb}


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("published", _("Publish")),
            ("rejected", _("Reject")),
            ("hidden", _("Hide")),
        ],
    )
    reason_code = forms.ChoiceField(
        label=_("Reason"), required=False, choices=[("", "—"), *ModerationReason.choices]
    )
    reason = forms.CharField(
        label=_("Explanation for the author"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ResponseForm(forms.Form):
    disposition = forms.ChoiceField(
        label=_("Disposition"), choices=[("", "—"), *Disposition.choices]
    )
    response = forms.CharField(
        label=_("Response"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000
    )


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the comment period end early?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OutcomeForm(forms.Form):
    decision = forms.CharField(
        label=_("Decision"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20_000
    )
    decision_date = forms.DateField(
        label=_("Date of the decision"), widget=forms.DateInput(attrs={"type": "date"})
    )
    comments_taken_into_account = forms.CharField(
        label=_("How the comments were taken into account"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20_000,
    )
