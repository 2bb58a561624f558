"""The topic synthesis (core.synthesis) at scale: time, peak memory and purity.

    .venv/bin/python bench/synthesis.py [--sizes 1000 10000] [--campaign-share 0.3]

No database: the synthesis is a pure function of the documents. The script generates
comments on six subjects (three in English, three in Chinese), each written from the
subject's own vocabulary plus shared words of the domain, and a share of campaign copies
(counted as one weighted document, as consultations.summaries does). It knows each
comment's subject: purity is the share of comments whose group's main subject is theirs.
Figures depend on the machine (here: 2 cores shared with other work).
"""

import argparse
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "platform")]

from core.synthesis import Document, synthesise  # noqa: E402

SHARED_EN = "maize decision application comment public the authority we our this should".split()
SUBJECTS_EN = {
    "residues": "glyphosate residue residues herbicide grain testing limits laboratory".split(),
    "labelling": "label labelling consumers food products choice right know mandatory".split(),
    "environment": "soil biodiversity pollinators bees insects ecosystem gene flow wild".split(),
}
SHARED_ZH = list("我们认为这个申请的决定")
SUBJECTS_ZH = {
    "残留": ["草甘膦", "残留", "检测", "限量", "农药", "实验室"],
    "标识": ["标识", "消费者", "知情权", "食品", "标签", "强制"],
    "生态": ["生物多样性", "土壤", "蜜蜂", "生态", "基因漂移", "野生"],
}


def _comment(rng, subject):
    if subject in SUBJECTS_EN:
        words = SUBJECTS_EN[subject]
        sentences = [
            " ".join(
                rng.choice(words if rng.random() < 0.6 else SHARED_EN) for _ in range(12)
            ).capitalize()
            + "."
            for _ in range(rng.randint(1, 4))
        ]
        return " ".join(sentences), "en"
    words = SUBJECTS_ZH[subject]
    sentences = [
        "".join(
            rng.choice(words) if rng.random() < 0.6 else rng.choice(SHARED_ZH) for _ in range(10)
        )
        + "。"
        for _ in range(rng.randint(1, 4))
    ]
    return "".join(sentences), "zh-hans"


def corpus(n, campaign_share, seed=15):
    rng = random.Random(seed)
    subjects = [*SUBJECTS_EN, *SUBJECTS_ZH]
    docs, truth = [], {}
    campaigns = {s: _comment(rng, s) for s in subjects}
    weights = Counter()
    for i in range(n):
        subject = rng.choice(subjects)
        if rng.random() < campaign_share:
            weights[subject] += 1  # a campaign copy: counted on its campaign's document
            continue
        text, language = _comment(rng, subject)
        ref = f"B-{i:06d}"
        docs.append(Document(ref, text, language))
        truth[ref] = subject
    for subject, count in sorted(weights.items()):
        ref = f"C-{subject}"
        text, language = campaigns[subject]
        docs.append(Document(ref, text, language, weight=count))
        truth[ref] = subject
    return docs, truth


def purity(result, truth, docs):
    weight = {d.ref: d.weight for d in docs}
    right = 0
    for group in result.groups:
        counts = Counter()
        for ref in group.refs:
            counts[truth[ref]] += weight[ref]
        right += counts.most_common(1)[0][1]
    return right / max(1, result.size)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--campaign-share", type=float, default=0.3)
    args = parser.parse_args()
    print("comments  documents  groups  seconds  purity  peak RSS (MB)")
    for n in args.sizes:
        docs, truth = corpus(n, args.campaign_share)
        started = time.perf_counter()
        result = synthesise(docs)
        seconds = time.perf_counter() - started
        again = synthesise(docs)
        assert again == result, "not deterministic"
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{n:8d}  {len(docs):9d}  {len(result.groups):6d}  {seconds:7.2f}  "
            f"{purity(result, truth, docs):.3f}  {peak:8.0f}"
        )


if __name__ == "__main__":
    main()
