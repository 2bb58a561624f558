"""The consultation pages: an index, and one page per pending decision (Art. 23.2).

A consultation page is the public file of that decision: who notified it (Annex I), when the
notification was received, the procedure's clocks (`consultations.procedure`), the information
that Art. 21.6 says is never confidential (required on every notified decision: it is public
before the comment period opens), the notifier's confidentiality claims and the authority's
decisions on them (`models/claims.py`, Art. 21), and, once decided, the outcome with its reasons
and its record in the Biosafety Clearing-House (`models/outcomes.py`).

A consultation's comments, counter and outcome belong to its page in the default language
(`ConsultationPage.canonical`): its translations show the same comment period in another
language. Draft sections are StreamField blocks, whose ids survive edits and
`copy_for_translation`, so a comment made on section 2 in Chinese is the same section 2
in English, and stays attached when the editor fixes a typo in it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.page_cache import SITE, CachedPage

from ..procedure import DecisionType  # noqa: F401  (re-exported)
from .decision_file import DecisionFile


class ConsultationState(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open for comment")
    CLOSED = "closed", _("Closed, decision pending")
    OUTCOME = "outcome", _("Outcome published")


class ModerationMode(models.TextChoices):
    PRE = "pre", _("Pre-moderation: comments appear once an officer publishes them")
    POST = "post", _("Post-moderation: comments appear at once; officers may hide them")


class SectionBlock(blocks.StructBlock):
    """One numbered section of the draft decision; comments attach to its block id."""

    number = blocks.CharBlock(
        label=_("number"), max_length=12, help_text=_("As cited, e.g. “2” or “2.1”.")
    )
    heading = blocks.CharBlock(label=_("heading"), max_length=200)
    body = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "ol", "ul", "link"])

    class Meta:
        icon = "list-ol"
        label = _("Section")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    description = blocks.CharBlock(
        label=_("description"),
        max_length=200,
        required=False,
        help_text=_("e.g. “Summary of the risk assessment (Annex III)”."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Document")


class ConsultationIndexPage(CachedPage, Page):
    """Lists consultations; open ones first, by nearest deadline."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["consultations.ConsultationPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("consultation index page")

    def page_cache_tags(self):
        return ["consultations-list"]

    def page_cache_until(self):
        from ..selectors import next_deadline

        return next_deadline()

    @staticmethod
    def page_cache_changed_tags(page):
        return [SITE]  # the header's "Consultations" link

    def get_context(self, request, *args, **kwargs):
        from ..selectors import index_listing

        context = super().get_context(request, *args, **kwargs)
        context.update(index_listing(self, request.GET))
        return context


class ConsultationPage(CachedPage, DecisionFile, Page):
    """One pending decision open to public comment for a fixed period (Art. 23.2)."""

    reference_code = models.CharField(
        _("reference code"),
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^[A-Z0-9]{2,12}$", _("2 to 12 capital letters or digits."))],
        help_text=_(
            "Starts each comment's reference number, e.g. “MON89034” gives "
            "MON89034-0001. Empty: the page's number."
        ),
    )
    decision_type = models.CharField(
        _("decision type"), max_length=16, choices=DecisionType.choices
    )
    authority = models.CharField(
        _("responsible authority"),
        max_length=255,
        help_text=_("The competent national authority that will take the decision."),
    )
    lmo_name = models.CharField(_("LMO name"), max_length=255, blank=True)
    lmo_identifier = models.CharField(
        _("unique identifier"),
        max_length=32,
        blank=True,
        help_text=_("The OECD unique identifier, e.g. MON-89Ø34-3; checked when you save."),
    )
    bch_url = models.URLField(
        _("Biosafety Clearing-House record"),
        blank=True,
        help_text=_("Link to the LMO's record in the BCH (Art. 20)."),
    )
    summary = RichTextField(_("summary"), features=["bold", "italic", "ol", "ul", "link"])
    documents = StreamField(
        [("document", DocumentBlock())], blank=True, verbose_name=_("documents")
    )
    sections = StreamField(
        [("section", SectionBlock())], blank=True, verbose_name=_("draft text, by section")
    )
    opens_at = models.DateTimeField(_("comment period opens at"))
    closes_at = models.DateTimeField(_("comment period closes at"))
    moderation_mode = models.CharField(
        _("moderation"), max_length=8, choices=ModerationMode.choices, default=ModerationMode.PRE
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("decision_type"), FieldPanel("authority"), FieldPanel("reference_code")],
            heading=_("The decision"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("notifier_name"),
                FieldPanel("notifier_address"),
                FieldRowPanel(
                    [FieldPanel("notification_received_on"), FieldPanel("acknowledged_on")]
                ),
                FieldPanel("information_requests"),
                FieldPanel("decision_period_extended_to"),
                FieldPanel("applies_aarhus_gmo_amendment"),
            ],
            heading=_("The notification and the procedure"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("lmo_name"),
                FieldPanel("lmo_identifier"),
                FieldPanel("bch_url"),
                FieldPanel("lmo_description"),
                FieldPanel("risk_assessment_summary"),
                FieldPanel("emergency_response"),
            ],
            heading=_("The LMO concerned (Art. 21.6: always public)"),
        ),
        InlinePanel(
            "confidentiality_claims",
            heading=_("Confidentiality claims by the notifier (Art. 21)"),
            label=_("claim"),
        ),
        FieldPanel("summary"),
        FieldPanel("documents"),
        FieldPanel("sections"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("moderation_mode"),
            ],
            heading=_("Comment period"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("lmo_name"),
        index.FilterField("decision_type"),
    ]
    parent_page_types = ["consultations.ConsultationIndexPage"]
    subpage_types: list[str] = []
    # The notifier's claims stay with the page in the default language (like comments):
    # a translation or a copy does not duplicate them.
    exclude_fields_in_copy = ["confidentiality_claims"]

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    # --- rules about the page itself -------------------------------------------------

    def clean(self):
        super().clean()
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The period must close after it opens.")
        for name, message in self.decision_file_errors().items():
            errors.setdefault(name, message)
        if self.lmo_identifier:
            result = self.identifier_check
            if result is not None and not result.is_acceptable:
                errors["lmo_identifier"] = [message for _code, message in result.problems] or [
                    _("This is not a valid unique identifier.")
                ]
            elif result is not None and result.normalised != self.lmo_identifier:
                # Stored as registered: Ø for zero, ASCII hyphens, capitals.
                self.lmo_identifier = result.normalised
                self.__dict__.pop("identifier_check", None)
        if self.reference_code:
            clash = (
                ConsultationPage.objects.filter(reference_code=self.reference_code)
                .exclude(translation_key=self.translation_key)
                .exists()
            )
            if clash:
                errors["reference_code"] = _("Another consultation uses this reference code.")
        numbers = [block.value["number"].strip() for block in self.sections]
        duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
        if duplicates:
            errors["sections"] = _("Each section needs its own number; repeated: %(numbers)s") % {
                "numbers": ", ".join(duplicates)
            }
        if errors:
            raise ValidationError(errors)

    @cached_property
    def identifier_check(self):
        """The core check of the OECD unique identifier (the same as the courses' exercise)."""
        if not self.lmo_identifier:
            return None
        from core.identifiers import check_identifier

        return check_identifier(self.lmo_identifier)

    @property
    def reference_prefix(self) -> str:
        canonical = self.canonical
        return canonical.reference_code or f"C{canonical.pk}"

    # --- state --------------------------------------------------------------------

    @cached_property
    def canonical(self) -> "ConsultationPage":
        """The page in the default language, which owns the comments and the outcome."""
        from core.templatetags.site_ui import locale_code

        # The locale's code without loading its row: every signed-in view of the page asks.
        if locale_code(self.locale_id) == settings.LANGUAGE_CODE:
            return self
        return (
            ConsultationPage.objects.filter(
                translation_key=self.translation_key,
                locale__language_code=settings.LANGUAGE_CODE,
            ).first()
            or self
        )

    @cached_property
    def outcome(self):
        from .outcomes import Outcome

        if self.canonical.pk is None:  # a new page in the editor's preview
            return None
        if self.canonical is not self:  # its own cache, which the page's selector may fill
            return self.canonical.outcome
        return Outcome.objects.filter(
            consultation=self.canonical, published_at__isnull=False
        ).first()

    def state_at(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return ConsultationState.UPCOMING
        if now < self.closes_at:
            return ConsultationState.OPEN
        # Listings annotate `has_outcome`, so that a list of pages costs no query per page.
        has_outcome = self.__dict__.get("has_outcome")
        if has_outcome is None:
            has_outcome = self.outcome is not None
        if has_outcome:
            return ConsultationState.OUTCOME
        return ConsultationState.CLOSED

    @property
    def state(self) -> str:
        return self.state_at()

    @property
    def state_label(self) -> str:
        return ConsultationState(self.state).label

    @property
    def is_open(self) -> bool:
        return self.state == ConsultationState.OPEN

    # --- sections -----------------------------------------------------------------

    @cached_property
    def section_list(self) -> list[dict]:
        """[{key, number, heading, body, anchor}] in reading order."""
        return [
            {
                "key": block.id,
                "number": block.value["number"],
                "heading": block.value["heading"],
                "body": block.value["body"],
                "anchor": section_anchor(block.value["number"]),
            }
            for block in self.sections
        ]

    def section_by_key(self, key: str) -> dict | None:
        return next((s for s in self.section_list if s["key"] == key), None)

    def document_readable_by(self, request) -> bool:
        """Its annexes (Wagtail documents) follow the consultation's record, as its comments
        and exports do (core.documents asks): `rules.can_read`."""
        from ..rules import can_read

        return can_read(request.user, self, request=request)

    # --- the page cache (core.page_cache) ---------------------------------------------

    def page_cache_tags(self):
        # Comments and the outcome belong to the default language's page; every translation
        # shows them.
        return [consultation_tag((self.canonical or self).pk)]

    def page_cache_until(self):
        now = timezone.now()
        return min([m for m in (self.opens_at, self.closes_at) if m > now], default=None)

    @staticmethod
    def page_cache_changed_tags(page):
        return [consultation_tag((page.specific.canonical or page).pk), "consultations-list"]

    def get_context(self, request, *args, **kwargs):
        from ..selectors import consultation_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(consultation_page_context(self, request))
        return context


def consultation_tag(canonical_id) -> str:
    """The cache tag of a consultation's pages in every language (by its default-language
    page, which owns the comments and the outcome)."""
    return f"consultation:{canonical_id}"


def section_anchor(number: str) -> str:
    return "section-" + (slugify(str(number).replace(".", "-")) or "x")
