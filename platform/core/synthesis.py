"""An extractive topic synthesis of many short texts (consultation comments, forum posts).

Given documents (a reference, the text, its language, a link, a weight), it groups them by
what they are about and gives each group a label (its top terms), its size and two or three
sentences quoted verbatim from the documents, each with the reference of the document it
comes from. Nothing is generated: an officer or moderator reads the quotes and writes or
keeps what goes public.

How (docs/synthesis.md says why):

- Tokens: words of Latin and Cyrillic scripts, case-folded, stop words dropped, English
  stemmed with Snowball; Chinese (any CJK run) as overlapping character pairs, so no
  dictionary is loaded and the same characters always give the same tokens. Mixed scripts
  work the same way.
- TF-IDF vectors (sublinear term frequency, smoothed idf, L2-normalised; terms found in one
  document only are left out once there are enough documents), in scipy's sparse matrices.
- Spherical k-means (cosine) with a deterministic start (farthest-first from the heaviest
  document) and a fixed number of rounds; k is chosen among 2..MAX_GROUPS by the mean
  silhouette on at most SAMPLE documents (the first ones, in the order given).
- Quotes: each sentence of a group's documents scored by its similarity to the group's
  centre, at most one per document, too short and too long sentences set aside.

Deterministic: the same documents in the same order give the same groups, labels and quotes
(no random numbers, no salted hashes, ties broken by position). Any input is accepted: no
document, one, 20,000 characters, punctuation only, mixed scripts.
"""

import html as htmllib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from scipy import sparse

MAX_GROUPS = 8
SAMPLE = 1_000  # documents used to choose k (the silhouette is quadratic)
ROUNDS = 12  # k-means rounds: enough for short texts, and bounded
QUOTES = 3
QUOTE_MAX_CHARS = 300  # a longer sentence is quoted up to here (still a verbatim prefix)
SENTENCES_PER_DOCUMENT = 200  # a 20,000-character comment is read, but its tail not scored
MAX_TEXT = 60_000
MIN_SENTENCE_TOKENS = 3
LABEL_TERMS = 4

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_CJK_RUN = re.compile(rf"[{_CJK}]+")
_WORD = re.compile(rf"[^\W\d_{_CJK}]{{2,}}")
_SENTENCE = re.compile(r"[^.!?;。！？；\n]+(?:[.!?;。！？；]+|\n|$)")
_TAG = re.compile(r"<[^>]*>")
_BLOCK_END = re.compile(r"</(p|li|blockquote|pre|h\d)>|<br\s*/?>", re.IGNORECASE)

# Function words: frequent everywhere, about nothing. English, French, Spanish, Russian.
STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself
    yourselves may must shall us one also within without upon dear regards sincerely thank
    thanks please le la les de des du un une et en est que qui dans pour par sur au aux ce ces
    il elle nous vous ils pas ne se sont avec el los las del y es por para con una su al lo
    como más pero sus le и в во не что он на я с со как а то все она так его но да ты к у же вы
    за бы по только ее мне было вот от меня еще нет о из ему
    """.split()
)
# Chinese characters that carry grammar, not subject: a pair holding one is not a term.
CJK_STOP_CHARS = frozenset("的了是在和与及或也都而就着把被对从于以之其这那我你他她它们个有为将能会")


@dataclass(frozen=True)
class Document:
    """One text to synthesise. `weight`: how many comments it stands for (a campaign's public
    copies count once as a document and by their number in the sizes)."""

    ref: str
    text: str
    language: str = ""
    url: str = ""
    weight: int = 1


@dataclass(frozen=True)
class Quote:
    text: str  # a verbatim substring of the document's text
    ref: str
    url: str
    language: str
    truncated: bool = False


@dataclass
class Group:
    label: list[str]  # top terms, most characteristic first
    size: int  # comments (the documents' weights)
    documents: int
    quotes: list[Quote]
    refs: list[str] = field(default_factory=list)  # every document of the group, in order


@dataclass
class Synthesis:
    groups: list[Group]
    size: int  # comments synthesised (weights)
    documents: int
    left_out: int = 0  # documents with no term at all (punctuation, digits only)


def plain(clean_html: str) -> str:
    """The text of stored (sanitised) HTML, paragraphs on their own lines: what quotes are
    verbatim substrings of."""
    text = _BLOCK_END.sub("\n", clean_html or "")
    return htmllib.unescape(_TAG.sub("", text)).strip()


@lru_cache(maxsize=1)
def _english_stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    return _english_stemmer().stemWord(word)


def tokens(text: str) -> list[str]:
    """Terms of a text: stemmed words outside CJK, character pairs inside."""
    text = unicodedata.normalize("NFKC", text[:MAX_TEXT]).casefold()
    found = [_stem(w) if w.isascii() else w for w in _WORD.findall(text) if w not in STOP_WORDS]
    for run in _CJK_RUN.findall(text):
        if len(run) == 1:
            if run not in CJK_STOP_CHARS:
                found.append(run)
            continue
        found.extend(
            run[i : i + 2]
            for i in range(len(run) - 1)
            if run[i] not in CJK_STOP_CHARS and run[i + 1] not in CJK_STOP_CHARS
        )
    return found


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text`, stripped: text[start:end] is the sentence."""
    spans = []
    for match in _SENTENCE.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
        if len(spans) >= SENTENCES_PER_DOCUMENT:
            break
    return spans


class _Vectoriser:
    def __init__(self, token_lists: list[list[str]], weights: np.ndarray):
        df: dict[str, int] = {}
        for toks in token_lists:
            for term in set(toks):
                df[term] = df.get(term, 0) + 1
        n = len(token_lists)
        # Terms of one document only say nothing about groups, once there are enough
        # documents for a term to recur; unless that leaves most documents without a term
        # (a few comments on different points): then every term counts.
        terms = sorted(t for t, d in df.items() if d >= 2)
        if n < 4 or sum(1 for toks in token_lists if any(df[t] >= 2 for t in toks)) < n / 2:
            terms = sorted(df)
        self.index = {t: i for i, t in enumerate(terms)}
        self.terms = terms
        self.idf = np.array([np.log((1 + n) / (1 + df[t])) + 1 for t in terms])
        self.surface: dict[str, str] = {}

    def vectors(self, token_lists: list[list[str]]) -> sparse.csr_matrix:
        rows, cols, vals = [], [], []
        for r, toks in enumerate(token_lists):
            counts: dict[int, int] = {}
            for term in toks:
                i = self.index.get(term)
                if i is not None:
                    counts[i] = counts.get(i, 0) + 1
            for i in sorted(counts):
                rows.append(r)
                cols.append(i)
                vals.append((1 + np.log(counts[i])) * self.idf[i])
        m = sparse.csr_matrix(
            (np.array(vals, dtype=float), (rows, cols)), shape=(len(token_lists), len(self.terms))
        )
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sparse.csr_matrix(sparse.diags(1 / norms) @ m)


def _kmeans(x: sparse.csr_matrix, weights: np.ndarray, k: int) -> np.ndarray:
    """Spherical k-means, deterministic: farthest-first seeds from the heaviest document."""
    n = x.shape[0]
    first = int(np.argmax(weights))  # argmax takes the first of equals
    seeds = [first]
    best_sim = (x @ x[first].T).toarray().ravel()
    for _ in range(1, k):
        candidate = int(np.argmin(best_sim))
        if best_sim[candidate] >= 1 - 1e-9:
            break  # every document is already a copy of a seed
        seeds.append(candidate)
        best_sim = np.maximum(best_sim, (x @ x[candidate].T).toarray().ravel())
    centres = x[seeds].toarray()
    labels = np.zeros(n, dtype=int)
    for _ in range(ROUNDS):
        sims = np.asarray(x @ centres.T)
        new = np.argmax(sims, axis=1)
        if _ and np.array_equal(new, labels):
            break
        labels = new
        for c in range(len(seeds)):
            members = labels == c
            if not members.any():
                continue
            centre = np.asarray(x[members].T @ weights[members]).ravel()
            norm = np.linalg.norm(centre)
            centres[c] = centre / norm if norm else centre
    return labels


def _silhouette(x: sparse.csr_matrix, labels: np.ndarray) -> float:
    """The mean silhouette (cosine distance), computed with one matrix product per call."""
    groups = np.unique(labels)
    if len(groups) < 2:
        return -1.0
    distance = 1 - np.asarray((x @ x.T).todense())
    onehot = (labels[:, None] == groups[None, :]).astype(float)
    counts = onehot.sum(axis=0)
    sums = distance @ onehot  # each document's summed distance to each group
    own = np.searchsorted(groups, labels)
    rows = np.arange(len(labels))
    own_counts = counts[own]
    a = np.where(own_counts > 1, sums[rows, own] / np.maximum(own_counts - 1, 1), 0.0)
    means = sums / counts
    means[rows, own] = np.inf
    b = means.min(axis=1)
    top = np.maximum(a, b)
    scores = np.where((own_counts > 1) & (top > 0), (b - a) / np.where(top > 0, top, 1), 0.0)
    return float(scores.mean())


def _choose_k(x: sparse.csr_matrix, weights: np.ndarray) -> int:
    n = x.shape[0]
    if n < 3:
        return 1
    sample = x[:SAMPLE]
    sample_weights = weights[:SAMPLE]
    best_k, best_score = 1, 0.05  # below this, the documents do not fall into groups
    for k in range(2, min(MAX_GROUPS, sample.shape[0] - 1) + 1):
        labels = _kmeans(sample, sample_weights, k)
        score = _silhouette(sample, labels)
        if score > best_score + 1e-9:
            best_k, best_score = k, score
    return best_k


def _quote(doc: Document, start: int, end: int) -> Quote:
    text = doc.text[start:end]
    truncated = len(text) > QUOTE_MAX_CHARS
    if truncated:
        cut = text[:QUOTE_MAX_CHARS]
        space = cut.rfind(" ")
        text = cut[:space] if space > QUOTE_MAX_CHARS // 2 else cut
    return Quote(text=text, ref=doc.ref, url=doc.url, language=doc.language, truncated=truncated)


def _quotes(docs: list[Document], centre: np.ndarray, vectoriser: _Vectoriser) -> list[Quote]:
    candidates = []  # (-score, document position, sentence position, doc, span)
    for position, doc in enumerate(docs):
        spans = sentences(doc.text)
        token_lists = [tokens(doc.text[s:e]) for s, e in spans]
        usable = [
            (span, toks)
            for span, toks in zip(spans, token_lists, strict=True)
            if len(toks) >= MIN_SENTENCE_TOKENS
        ] or list(zip(spans, token_lists, strict=True))
        if not usable:
            continue
        vectors = vectoriser.vectors([toks for _span, toks in usable])
        scores = np.asarray(vectors @ centre).ravel()
        best = int(np.argmax(scores))
        candidates.append((-float(scores[best]), position, best, doc, usable[best][0]))
    candidates.sort(key=lambda c: (c[0], c[1], c[2]))
    quotes, seen = [], set()
    for _score, _position, _index, doc, (start, end) in candidates:
        quote = _quote(doc, start, end)
        key = " ".join(tokens(quote.text)) or quote.text
        if key in seen:  # the same sentence in two comments is quoted once
            continue
        seen.add(key)
        quotes.append(quote)
        if len(quotes) == QUOTES:
            break
    return quotes


def _label(centre: np.ndarray, vectoriser: _Vectoriser, texts: str) -> list[str]:
    order = sorted(range(len(centre)), key=lambda i: (-centre[i], vectoriser.terms[i]))
    top = [vectoriser.terms[i] for i in order[: LABEL_TERMS * 2] if centre[i] > 0]
    # Chinese pairs that chain (甘膦 + 膦残 → 甘膦残) read as one term where the text has it.
    merged: list[str] = []
    for term in top:
        for n, held in enumerate(merged):
            if _CJK_RUN.fullmatch(term) and _CJK_RUN.fullmatch(held):
                if held.endswith(term[0]) and held + term[1:] in texts:
                    merged[n] = held + term[1:]
                    break
                if held.startswith(term[-1]) and term[:-1] + held in texts:
                    merged[n] = term[:-1] + held
                    break
        else:
            merged.append(term)
    return [vectoriser.surface.get(t, t) for t in merged[:LABEL_TERMS]]


def _surface_forms(docs: list[Document], vectoriser: _Vectoriser) -> None:
    """A stem's most frequent spelling in the texts, for the labels (`regul` → `regulation`)."""
    seen: dict[str, dict[str, int]] = {}
    for doc in docs:
        for word in _WORD.findall(unicodedata.normalize("NFKC", doc.text[:MAX_TEXT]).casefold()):
            if word.isascii() and word not in STOP_WORDS:
                stem = _stem(word)
                if stem in vectoriser.index and stem != word:
                    forms = seen.setdefault(stem, {})
                    forms[word] = forms.get(word, 0) + 1
    for stem, forms in seen.items():
        vectoriser.surface[stem] = min(forms, key=lambda w: (-forms[w], len(w), w))


def synthesise(documents: list[Document], *, max_groups: int | None = None) -> Synthesis:
    """Group `documents` by topic; see the module's docstring."""
    docs = [d for d in documents if d.text and d.text.strip()]
    token_lists = [tokens(d.text) for d in docs]
    kept = [(d, t) for d, t in zip(docs, token_lists, strict=True) if t]
    total = sum(max(1, d.weight) for d in docs)
    left_out = len(docs) - len(kept)
    if not kept:
        return Synthesis(groups=[], size=total, documents=len(docs), left_out=left_out)
    docs = [d for d, _t in kept]
    token_lists = [t for _d, t in kept]
    weights = np.array([max(1, d.weight) for d in docs], dtype=float)
    vectoriser = _Vectoriser(token_lists, weights)
    x = vectoriser.vectors(token_lists)
    # A document whose terms all fell below min_df has an empty vector; it joins the
    # group of the nearest (first) centre, and its quotes still come from its own text.
    k = _choose_k(x, weights)
    if max_groups is not None:
        k = max(1, min(k, max_groups))
    labels = _kmeans(x, weights, k) if k > 1 else np.zeros(len(docs), dtype=int)
    _surface_forms(docs, vectoriser)
    groups = []
    # Largest first; equal sizes in the order their first document was given.
    order = sorted(
        set(labels.tolist()),
        key=lambda c: (-weights[labels == c].sum(), int(np.flatnonzero(labels == c)[0])),
    )
    for c in order:
        members = np.flatnonzero(labels == c)
        centre = np.asarray(x[members].T @ weights[members]).ravel()
        norm = np.linalg.norm(centre)
        if norm:
            centre = centre / norm
        group_docs = [docs[i] for i in members]
        groups.append(
            Group(
                label=_label(
                    centre, vectoriser, "\n".join(d.text[:MAX_TEXT].casefold() for d in group_docs)
                ),
                size=int(weights[members].sum()),
                documents=len(members),
                quotes=_quotes(group_docs, centre, vectoriser),
                refs=[d.ref for d in group_docs],
            )
        )
    return Synthesis(groups=groups, size=total, documents=len(docs) + left_out, left_out=left_out)
