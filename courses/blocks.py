"""The blocks of a lesson body: teaching content, then the three kinds of assessment.

Every block has its template in templates/courses/blocks/ and a preview value for the
editor's block picker. Assessment blocks validate what an editor enters (a single-choice
question with exactly one right answer, an identifier exercise whose answers agree with
the OECD rule, a document scenario whose elements belong to its regime), so that learners
are never marked against a broken key.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from .regimes import ELEMENT_CHOICES, REGIME_CHOICES, REGIMES

TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link"]
ASSESSMENT_TYPES = ("quiz", "identifier_exercise", "document_check")


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("level"),
        choices=[("2", _("Section (h2)")), ("3", _("Subsection (h3)"))],
        default="2",
    )

    class Meta:
        icon = "title"
        template = "courses/blocks/heading.html"
        label = _("Heading")
        preview_value = {"text": "Documents that accompany an LMO shipment", "level": "2"}
        description = _("A section heading inside the lesson")


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alternative text"),
        max_length=250,
        required=False,
        help_text=_(
            "What the image shows, for people who cannot see it. Leave empty only for "
            "decorative images."
        ),
    )
    caption = blocks.CharBlock(label=_("caption"), max_length=300, required=False)

    class Meta:
        icon = "image"
        template = "courses/blocks/image.html"
        label = _("Image with caption")
        description = _("An image with alternative text and an optional caption")


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("video URL"), help_text=_("A YouTube or Vimeo address"))
    title = blocks.CharBlock(label=_("title"), max_length=200)
    transcript = blocks.RichTextBlock(
        label=_("transcript"),
        features=TEXT_FEATURES,
        help_text=_(
            "Required: learners on slow connections or with hearing impairments read "
            "the transcript instead."
        ),
    )

    class Meta:
        icon = "media"
        template = "courses/blocks/video.html"
        label = _("Video with transcript")
        description = _("An embedded video and its full transcript")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("link text"), max_length=200)
    description = blocks.TextBlock(label=_("description"), required=False)

    class Meta:
        icon = "doc-full"
        template = "courses/blocks/document.html"
        label = _("Document download")
        description = _("A file learners can download, such as a model invoice")


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[("note", _("Note")), ("key_rule", _("Key rule")), ("warning", _("Warning"))],
        default="note",
    )
    title = blocks.CharBlock(label=_("title"), max_length=200, required=False)
    text = blocks.RichTextBlock(label=_("text"), features=TEXT_FEATURES)

    class Meta:
        icon = "warning"
        template = "courses/blocks/callout.html"
        label = _("Callout")
        preview_value = {
            "kind": "key_rule",
            "title": "Art. 18.2(a)",
            "text": "<p>Bulk grain that may contain LMOs travels with a document saying so.</p>",
        }
        description = _("A note, key rule or warning set apart from the text")


class GlossaryBlock(blocks.StructBlock):
    term = blocks.CharBlock(label=_("term"), max_length=200)
    definition = blocks.TextBlock(label=_("definition"))

    class Meta:
        icon = "help"
        template = "courses/blocks/glossary.html"
        label = _("Glossary term")
        preview_value = {
            "term": "Living modified organism (LMO)",
            "definition": "A living organism with a novel combination of genetic material "
            "obtained through modern biotechnology (Art. 3).",
        }
        description = _("A term and its definition")


class ArticleReferenceBlock(blocks.StructBlock):
    article = blocks.CharBlock(
        label=_("article"), max_length=40, help_text=_('For example "18.2(a)" or "Annex II"')
    )
    summary = blocks.TextBlock(label=_("our summary"))

    class Meta:
        icon = "openquote"
        template = "courses/blocks/article_ref.html"
        label = _("Protocol article reference")
        preview_value = {
            "article": "18.2(a)",
            "summary": "Food, feed and processing shipments are documented as possibly "
            "containing LMOs not meant for release into the environment.",
        }
        description = _("An article of the Cartagena Protocol with our own summary")


# --- Quiz questions ----------------------------------------------------------------------


class QuestionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(label=_("question"))
    explanation = blocks.TextBlock(
        label=_("explanation"), help_text=_("Shown to the learner after answering")
    )


SCORING_CHOICES = [
    ("all", _("All or nothing: the question scores only when wholly right")),
    ("parts", _("Per correct part: each right part earns its share")),
]


def scoring_block():
    """How a question with several parts scores (multiple choice, matching, ordering)."""
    return blocks.ChoiceBlock(
        choices=SCORING_CHOICES,
        default="all",
        label=_("scoring"),
        help_text=_(
            "All or nothing suits a customs check (a half-right document is a wrong "
            "document); per correct part rewards progress while learning."
        ),
    )


class ChoiceItemBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("answer"), max_length=500)
    correct = blocks.BooleanBlock(label=_("correct"), required=False)


class SingleChoiceBlock(QuestionBlock):
    choices = blocks.ListBlock(ChoiceItemBlock(), label=_("answers"), min_num=2)

    class Meta:
        icon = "radio-full"
        label = _("Single choice")

    def clean(self, value):
        value = super().clean(value)
        if sum(1 for c in value["choices"] if c["correct"]) != 1:
            raise StructBlockValidationError(
                block_errors={"choices": ValidationError(_("Mark exactly one answer correct."))}
            )
        return value


class MultipleChoiceBlock(QuestionBlock):
    choices = blocks.ListBlock(ChoiceItemBlock(), label=_("answers"), min_num=2)
    scoring = scoring_block()

    class Meta:
        icon = "tasks"
        label = _("Multiple choice")

    def clean(self, value):
        value = super().clean(value)
        if not any(c["correct"] for c in value["choices"]):
            raise StructBlockValidationError(
                block_errors={"choices": ValidationError(_("Mark at least one answer correct."))}
            )
        return value


class TrueFalseBlock(QuestionBlock):
    answer = blocks.BooleanBlock(label=_("the statement is true"), required=False)

    class Meta:
        icon = "tick"
        label = _("True or false")


class PairBlock(blocks.StructBlock):
    left = blocks.CharBlock(label=_("item"), max_length=300)
    right = blocks.CharBlock(label=_("its match"), max_length=300)


class MatchingBlock(QuestionBlock):
    pairs = blocks.ListBlock(PairBlock(), label=_("pairs"), min_num=2)
    scoring = scoring_block()

    class Meta:
        icon = "link"
        label = _("Matching")


class OrderingBlock(QuestionBlock):
    items = blocks.ListBlock(
        blocks.CharBlock(max_length=300), label=_("items, in the correct order"), min_num=2
    )
    scoring = scoring_block()

    class Meta:
        icon = "list-ol"
        label = _("Ordering")


class QuestionsBlock(blocks.StreamBlock):
    single = SingleChoiceBlock()
    multiple = MultipleChoiceBlock()
    true_false = TrueFalseBlock()
    matching = MatchingBlock()
    ordering = OrderingBlock()

    class Meta:
        min_num = 1


class QuizBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=200)
    pass_mark = blocks.IntegerBlock(
        label=_("pass mark (%)"), min_value=0, max_value=100, default=70
    )
    shuffle = blocks.BooleanBlock(
        label=_("shuffle questions and answers"),
        required=False,
        default=False,
        help_text=_("Each attempt gets its own order, kept for that attempt."),
    )
    questions = QuestionsBlock(label=_("questions"))

    class Meta:
        icon = "form"
        template = "courses/blocks/quiz.html"
        label = _("Quiz")
        description = _("Scored questions with a pass mark; every attempt is kept")
        preview_value = {
            "title": "Check your understanding",
            "pass_mark": 70,
            "shuffle": False,
            "questions": [
                {
                    "type": "true_false",
                    "value": {
                        "prompt": "A shipment of bulk maize for processing must be documented "
                        "under Art. 18.2(a).",
                        "explanation": "Maize for processing is an FFP commodity.",
                        "answer": True,
                    },
                }
            ],
        }

    def render(self, value, context=None):
        # The template's markup built in Python (courses/quiz_html.py, same bytes); the
        # template itself when there is no context (a bare `str(block)`).
        if context is None:
            return super().render(value, context)
        from . import quiz_html  # here: it loads template tags, blocks load with the models

        html = quiz_html.quiz_html(self.get_context(value, parent_context=dict(context)))
        return mark_safe(html)  # noqa: S308 - every value escaped there


# --- Hands-on exercises -----------------------------------------------------------------


class IdentifierItemBlock(blocks.StructBlock):
    identifier = blocks.CharBlock(label=_("unique identifier"), max_length=60)
    valid = blocks.BooleanBlock(
        label=_("valid"),
        required=False,
        help_text=_("Tick if the identifier is valid (or a registered exception)."),
    )


class IdentifierExerciseBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=200)
    instructions = blocks.TextBlock(label=_("instructions"), required=False)
    pass_mark = blocks.IntegerBlock(
        label=_("pass mark (%)"), min_value=0, max_value=100, default=100
    )
    items = blocks.ListBlock(IdentifierItemBlock(), label=_("identifiers"), min_num=1)

    class Meta:
        icon = "code"
        template = "courses/blocks/identifier_exercise.html"
        label = _("Unique identifier exercise")
        description = _("The learner judges OECD unique identifiers valid or invalid")
        preview_value = {
            "title": "Valid or not?",
            "instructions": "Check each identifier's verification digit.",
            "pass_mark": 100,
            "items": [
                {"identifier": "MON-ØØ81Ø-6", "valid": True},
                {"identifier": "MON-ØØ81Ø-7", "valid": False},
            ],
        }

    def clean(self, value):
        """The editor's key must agree with the rule in core.identifiers."""
        value = super().clean(value)
        from core.identifiers import accepts

        problems = []
        for item in value["items"]:
            # Stacked events (A × B) are accepted when every event is.
            accepted = accepts(item["identifier"])
            if accepted != bool(item["valid"]):
                problems.append(
                    _("%(identifier)s is marked %(marked)s, but the rule says %(rule)s.")
                    % {
                        "identifier": item["identifier"],
                        "marked": _("valid") if item["valid"] else _("invalid"),
                        "rule": _("valid") if accepted else _("invalid"),
                    }
                )
        if problems:
            raise StructBlockValidationError(
                block_errors={"items": ValidationError(" ".join(str(p) for p in problems))}
            )
        return value


class DocumentCheckBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=200)
    regime = blocks.ChoiceBlock(label=_("regime (Art. 18.2)"), choices=REGIME_CHOICES)
    scenario = blocks.TextBlock(label=_("scenario"), help_text=_("The situation, in plain text"))
    document = blocks.TextBlock(
        label=_("accompanying document"), help_text=_("The document's text; line breaks are kept")
    )
    present = blocks.MultipleChoiceBlock(
        label=_("elements the document shows"),
        choices=ELEMENT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick only elements of the chosen regime; the others are missing."),
    )
    pass_mark = blocks.IntegerBlock(
        label=_("pass mark (%)"), min_value=0, max_value=100, default=100
    )

    class Meta:
        icon = "doc-empty"
        template = "courses/blocks/document_check.html"
        label = _("Shipping document check")
        description = _("The learner marks each required element of Art. 18.2 present or missing")
        preview_value = {
            "title": "A maize invoice",
            "regime": "ffp",
            "scenario": "A bulk maize shipment arrives for processing.",
            "document": "COMMERCIAL INVOICE\nYellow maize (Zea mays), 20 000 t\n"
            "May contain living modified organisms.",
            "present": ["may_contain", "names"],
            "pass_mark": 100,
        }

    def clean(self, value):
        value = super().clean(value)
        regime = REGIMES[value["regime"]]
        stray = [code for code in value["present"] if code not in regime.codes]
        if stray:
            raise StructBlockValidationError(
                block_errors={
                    "present": ValidationError(
                        _("Not an element of this regime: %(codes)s") % {"codes": ", ".join(stray)}
                    )
                }
            )
        return value


class LessonBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        features=TEXT_FEATURES,
        icon="pilcrow",
        template="courses/blocks/paragraph.html",
        preview_value="<p>An LMO is a living organism that has a novel combination of genetic "
        "material obtained through modern biotechnology.</p>",
        description=_("Paragraphs and lists"),
    )
    heading = HeadingBlock()
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
    glossary = GlossaryBlock()
    article_ref = ArticleReferenceBlock()
    quiz = QuizBlock()
    identifier_exercise = IdentifierExerciseBlock()
    document_check = DocumentCheckBlock()
