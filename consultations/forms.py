"""Forms parse input; the rules live in services.py."""

from django import forms
from django.conf import settings
from django.core import validators
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from core.moderation import ModerationReason
from core.submissions import OneUseForm

from .models import Disposition
from .models.outcomes import OutcomeResult
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
        # help_text: set with the limit in __init__.
    )
    attachment = forms.FileField(
        label=_("Attachment (PDF, optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    # Both choices below are the commenter's privacy under national law (personal data,
    # access to information). Neither is an Art. 21 claim: Art. 21 protects the notifier's
    # confidential information, which the notifier identifies on the decision file.
    show_name = forms.BooleanField(
        label=_("Show my name publicly with this comment"),
        required=False,
        help_text=_(
            "Your name is shown to the public only if you agree. If unticked, the public "
            "sees your stakeholder category and country. Consultation officers always see "
            "your name."
        ),
    )
    confidential = forms.BooleanField(
        label=_("Do not publish my comment"),
        required=False,
        help_text=_(
            "A privacy request under national law: the comment is never published nor "
            "included in public exports; consultation officers read it, take it into account "
            "and decide how to handle your request. It is not a claim of confidential "
            "business information under Art. 21 of the Protocol, which concerns the "
            "notifier's information. Please give your reason below."
        ),
    )
    confidential_justification = forms.CharField(
        label=_("Why should your comment not be published?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4_000,
    )

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        # Worked out when the list is rendered: a comment that is stored is never shown.
        self.fields["section"].widget.choices = lambda: (
            [("", _("The draft as a whole"))]
            + [
                (
                    s["key"],
                    _("Section %(number)s: %(heading)s")
                    % {"number": s["number"], "heading": s["heading"]},
                )
                for s in consultation.section_list
            ]
        )
        # The stored text's limit (USER_HTML_MAX_LENGTH), said and kept by the browser too: a
        # longer text was typed in full and refused only once sent.
        limit = settings.USER_HTML_MAX_LENGTH
        body = self.fields["body"]
        body.max_length = limit
        body.validators.append(validators.MaxLengthValidator(limit))
        body.widget.attrs["maxlength"] = str(limit)
        body.help_text = _(
            "Plain text; paragraphs and links are kept. At most %(n)s characters. Please cite "
            "the section and the evidence your comment relies on."
        ) % {"n": number_format(limit, force_grouping=True)}
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
    result = forms.ChoiceField(
        label=_("Result"), required=False, choices=[("", "—"), *OutcomeResult.choices]
    )
    reasons = forms.CharField(
        label=_("Reasons for the decision"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20_000,
        help_text=_("Required unless the approval is unconditional (Art. 10.4)."),
    )
    conditions = forms.CharField(
        label=_("Conditions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20_000,
    )
    comments_taken_into_account = forms.CharField(
        label=_("How the comments were taken into account"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20_000,
    )
    bch_record_url = forms.URLField(
        label=_("Link to the decision record in the Biosafety Clearing-House"),
        required=False,
        assume_scheme="https",
        help_text=_("Art. 10.3 and 11.1: the decision goes to the BCH (Art. 20.3(d))."),
    )
    bch_record_date = forms.DateField(
        label=_("Date of the BCH decision record"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
