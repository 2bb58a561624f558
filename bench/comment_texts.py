"""What the intake benchmarks' commenters write: a deadline flood as officers see one.

Three comments in four are the commenter's own words: 40 to 120 words drawn at random from the
vocabulary of sentences about a draft decision, so that no two share enough word triples to
count as copies, as two people's comments do not; the fourth is a copy of one form letter
with the sender's own closing line, so the copies join one campaign, as a write-in campaign's
do. The texts used to be "Bench comment 7 from client 3": every such text is a copy of the
same number's text from the round before, so every comment started or joined a campaign of
two or three, the follow-up's most expensive path, which no real flood takes for thousands of
comments (docs/speed.md, seventh session).
"""

import random

_SENTENCES = [
    "The risk assessment does not say how the maize was tested under tropical conditions.",
    "Farmers in our district rely on seed saving and need to know about mixing in the field.",
    "Please explain which documents accompany the shipments at the border under Article 18.",
    "The summary of the dossier should be published in the national languages as well.",
    "We ask for a monitoring plan that covers the first five growing seasons.",
    "The detection method should be available to the national reference laboratory.",
    "Customs officers need training before the first consignments arrive at the port.",
    "The public was not told where the field trials took place or what they found.",
    "Socio-economic considerations under Article 26 deserve a separate section.",
    "Labels on the bags should state that the grain is for food, feed or processing only.",
    "Our association supports the decision if the conditions in section four are kept.",
    "The comment period was too short for communities far from the capital to respond.",
    "Information on the unique identifier should be printed on every shipping document.",
    "A contact point for reporting unintentional transboundary movements is missing.",
    "Independent studies on non-target insects should be added to the evidence.",
    "Women farmers were not consulted in the meetings held so far.",
    "The decision should be reviewed when new scientific information becomes available.",
    "Please publish the answers to the comments together with the final decision.",
]

_WORDS = sorted({w.strip(".,").lower() for s in _SENTENCES for w in s.split()})

FORM_LETTER = (
    "Dear officers, we write as members of the national farmers' network about the draft "
    "decision on the import of this maize for food, feed or processing. We ask you to keep "
    "the labelling conditions, to publish the full risk assessment before the decision is "
    "taken, and to hold a public hearing in each region. Seed saving is the basis of our "
    "livelihoods and must not be put at risk by grain planted by mistake. We thank you for "
    "the opportunity to comment and look forward to your answer."
)


def comment_text(client: int, n: int, run: str = "") -> str:
    """The `n`th comment of benchmark client `client` (the same arguments, the same text)."""
    if n % 4 == 3:
        return f"<p>{FORM_LETTER}</p><p>Signed by commenter {client}-{n} {run}.</p>"
    pick = random.Random(f"{run}-{client}-{n}")  # noqa: S311 - benchmark text, not a secret
    words = pick.choices(_WORDS, k=pick.randint(40, 120))
    sentences = [" ".join(words[i : i + 10]).capitalize() + "." for i in range(0, len(words), 10)]
    return f"<p>{' '.join(sentences)}</p>"
