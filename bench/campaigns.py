"""Campaign grouping at scale (issue 15), on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/biosafety_campaigns_bench \\
        .venv/bin/python bench/campaigns.py [--sizes 1000 10000 100000] [--probes 200]

The script generates its own corpus: ten form letters (five English, five Chinese) copied
with realistic edits (greeting and signature changed, a personal sentence added, a sentence
removed, words reworded, shortened to about half) for ~70 % of the comments, and ~30 %
individual comments on the same subject from the same vocabulary. It knows which comment
copies which letter: that is the truth the grouping is scored against.

For each size N: N comments are bulk-inserted into a new consultation and regrouped from
scratch (`regroup`, the management command's --rebuild: time, peak memory); then PROBES
new comments (copies and individual ones) are stored one at a time and placed as a real
submission places them (`place_comment`: p50, p99). Quality: precision and recall of the
pairs of comments grouped together, against the generator's truth.
Goals: placement under 20 ms at 100,000; regrouping 100,000 under 2 minutes; precision
>= 0.98, recall >= 0.95. Figures depend on the machine (here: 2 shared cores).
"""

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench"), str(ROOT / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-" + uuid.uuid4().hex)
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/biosafety_campaigns_bench"

EN_WORDS = (
    "maize soybean cotton canola rice event protein gene trait insect herbicide tolerance "
    "risk assessment environment soil water bee pollinator farmer seed import export label "
    "labelling monitoring border sample test laboratory detection method field trial yield "
    "contamination variety biodiversity community indigenous knowledge health food feed "
    "processing allergen toxicity study data dossier applicant authority decision precaution "
    "liability redress public participation information access transparency consultation "
    "market price trade smallholder cooperative extension training customs officer document "
    "identifier cartagena protocol article annex national law regulation guideline evidence "
    "independent review scientific expert committee uncertainty long term effect organism "
    "gene flow wild relative weed resistance pest management chemical residue glyphosate "
    "consumer choice religious cultural value socio economic consideration livelihood"
).split()
GLUE = "the a of to and in on for with that this is are be not should must will we our".split()
ZH_CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下"
    "过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都"
    "两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重"
    "新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想"
    "已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知"
    "较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处府研质信土壤玉米大豆棉"
    "花转基因风险评估环境蜜蜂农民种子进口标识监测边境实验室检测方法田间试验产量污染品种多样性社区"
)
GREETINGS_EN = ["Dear officers,", "To whom it may concern,", "Dear Sir or Madam,", "Hello,"]
SIGNOFFS_EN = ["Yours sincerely,", "Best regards,", "Kind regards,", "Thank you,"]
GREETINGS_ZH = ["尊敬的官员：", "您好：", "尊敬的主管部门：", "各位领导："]
SIGNOFFS_ZH = ["此致", "谢谢", "敬上", "顺祝商祺"]
NAMES = ["Anna", "Pedro", "Li Wei", "Amina", "Olga", "Kofi", "Maria", "Chen", "Ravi", "Sara"]


def en_sentence(rng) -> str:
    words = [
        rng.choice(EN_WORDS if rng.random() < 0.7 else GLUE) for _ in range(rng.randint(10, 18))
    ]
    return " ".join(words).capitalize() + "."


def zh_sentence(rng) -> str:
    return "".join(rng.choice(ZH_CHARS) for _ in range(rng.randint(14, 26))) + "。"


class Corpus:
    """Ten form letters and a generator of comments with their truth (letter number, or
    None for an individual comment)."""

    def __init__(self, seed: int = 15):
        self.rng = random.Random(seed)
        self.letters = []
        for number in range(10):
            zh = number >= 5
            make = zh_sentence if zh else en_sentence
            self.letters.append((zh, [make(self.rng) for _ in range(self.rng.randint(6, 9))]))
        # Campaigns of unequal sizes, as in real consultations.
        self.weights = [30, 20, 12, 8, 5, 28, 18, 10, 6, 3]

    def comment(self) -> tuple[str, int | None]:
        rng = self.rng
        if rng.random() < 0.3:
            zh = rng.random() < 0.5
            make = zh_sentence if zh else en_sentence
            return self._html([make(rng) for _ in range(rng.randint(3, 9))]), None
        letter = rng.choices(range(10), weights=self.weights)[0]
        zh, sentences = self.letters[letter]
        body = list(sentences)
        edit = rng.random()
        if edit < 0.15:
            pass  # exact copy
        elif edit < 0.4:  # a personal sentence or two added
            for _ in range(rng.randint(1, 2)):
                body.insert(rng.randint(0, len(body)), (zh_sentence if zh else en_sentence)(rng))
        elif edit < 0.55:  # one sentence removed
            body.pop(rng.randrange(len(body)))
        elif edit < 0.8:  # reworded: a few words replaced in two sentences
            for index in rng.sample(range(len(body)), 2):
                body[index] = self._reword(body[index], zh)
        else:  # shortened to about half, in order
            keep = sorted(rng.sample(range(len(body)), max(3, len(body) // 2 + 1)))
            body = [body[i] for i in keep]
        greeting = rng.choice(GREETINGS_ZH if zh else GREETINGS_EN)
        signoff = rng.choice(SIGNOFFS_ZH if zh else SIGNOFFS_EN)
        return self._html([greeting, *body, signoff, rng.choice(NAMES)]), letter

    def _reword(self, sentence: str, zh: bool) -> str:
        rng = self.rng
        if zh:
            chars = list(sentence)
            for i in rng.sample(range(len(chars) - 1), 2):
                chars[i] = rng.choice(ZH_CHARS)
            return "".join(chars)
        words = sentence.split()
        for i in rng.sample(range(len(words)), 2):
            words[i] = rng.choice(EN_WORDS)
        return " ".join(words)

    @staticmethod
    def _html(parts) -> str:
        return "<p>" + " ".join(parts) + "</p>"


def fill(page, corpus: Corpus, n: int, author) -> dict[int, int | None]:
    """Bulk-insert n comments; returns the truth by comment pk."""
    import hashlib

    from django.utils import timezone

    from consultations.models import Comment, CommentCounter

    now = timezone.now()
    truth_by_seq = {}
    batch = []
    for seq in range(1, n + 1):
        body, label = corpus.comment()
        truth_by_seq[seq] = label
        batch.append(
            Comment(
                consultation=page,
                sequence=seq,
                reference=f"{page.reference_code}-{seq:06d}",
                author=author,
                submission_token=uuid.uuid4(),
                body=body,
                body_sha256=hashlib.sha256(body.encode()).hexdigest(),
                author_name="Bench",
                submitted_at=now,
                moderation_status="published",
                language="zh-hans" if "。" in body else "en",
            )
        )
        if len(batch) == 5000:
            Comment.objects.bulk_create(batch)
            batch = []
    Comment.objects.bulk_create(batch)
    CommentCounter.objects.create(consultation=page, last=n)
    pks = dict(Comment.objects.filter(consultation=page).values_list("sequence", "pk"))
    return {pks[seq]: label for seq, label in truth_by_seq.items()}


def pair_scores(page, truth: dict[int, int | None]) -> tuple[float, float]:
    from consultations.models import Comment

    predicted = dict(Comment.objects.filter(consultation=page).values_list("pk", "campaign_id"))

    def pairs(counts):
        return sum(c * (c - 1) // 2 for c in counts.values())

    true_groups = Counter(label for label in truth.values() if label is not None)
    pred_groups = Counter(g for g in predicted.values() if g is not None)
    both = Counter(
        (truth[pk], predicted[pk])
        for pk in truth
        if truth[pk] is not None and predicted.get(pk) is not None
    )
    true_pairs, pred_pairs, hit = pairs(true_groups), pairs(pred_groups), pairs(both)
    return (hit / pred_pairs if pred_pairs else 1.0), (hit / true_pairs if true_pairs else 1.0)


def memory_mb() -> tuple[float, float]:
    values = {}
    with open("/proc/self/status") as status:
        for line in status:
            key, _sep, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def reset_peak() -> None:
    # Linux: writing 5 to clear_refs resets VmHWM to the current RSS.
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass


def probe(page, corpus: Corpus, author, probes: int, truth: dict) -> list[float]:
    """Store PROBES new comments one by one and time their placement."""
    import hashlib

    from django.utils import timezone

    from consultations.campaigns.placement import place_comment
    from consultations.models import Comment

    last = Comment.objects.filter(consultation=page).order_by("-sequence").first().sequence
    timings = []
    for i in range(1, probes + 1):
        body, label = corpus.comment()
        comment = Comment.objects.create(
            consultation=page,
            sequence=last + i,
            reference=f"{page.reference_code}-{last + i:06d}",
            author=author,
            submission_token=uuid.uuid4(),
            body=body,
            body_sha256=hashlib.sha256(body.encode()).hexdigest(),
            author_name="Bench",
            submitted_at=timezone.now(),
            moderation_status="published",
        )
        truth[comment.pk] = label
        started = time.perf_counter()
        place_comment(comment.pk)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def pct(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--probes", type=int, default=200)
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    if not url.startswith("postgres"):
        sys.exit("bench/campaigns.py measures PostgreSQL: set DATABASE_URL to a postgres:// URL")
    from consultations_load import ensure_database, make_users, new_consultation, setup_django

    ensure_database(url)
    setup_django()
    from consultations_load import make_world

    from consultations.campaigns.regroup import regroup

    home = make_world()
    author = make_users(1)[0]
    print(f"campaigns bench: sizes {args.sizes}, {args.probes} placements each")
    for size in args.sizes:
        corpus = Corpus(seed=15)
        page = new_consultation(home, f"campaigns {size}")
        started = time.perf_counter()
        truth = fill(page, corpus, size, author)
        generated = time.perf_counter() - started
        rss_before, _peak = memory_mb()
        reset_peak()
        started = time.perf_counter()
        result = regroup(page)
        regrouped = time.perf_counter() - started
        _rss, peak = memory_mb()
        precision, recall = pair_scores(page, truth)
        timings = probe(page, corpus, author, args.probes, truth)
        precision_all, recall_all = pair_scores(page, truth)
        print(
            f"N={size:>7,}: generated in {generated:.1f} s; regrouped in {regrouped:.1f} s "
            f"({result['campaigns']} campaigns, {result['grouped']:,} comments grouped; "
            f"RSS {rss_before:.0f} MB before, peak {peak:.0f} MB); "
            f"pairs precision {precision:.4f} recall {recall:.4f}; "
            f"placing one comment p50 {statistics.median(timings):.1f} ms, "
            f"p99 {pct(timings, 0.99):.1f} ms, max {max(timings):.1f} ms; "
            f"after the placements precision {precision_all:.4f} recall {recall_all:.4f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
