"""Search at scale: 100,000 forum posts, 100,000 consultation comments and the course.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/biosafety_search_bench \\
        .venv/bin/python bench/search.py [--posts 100000] [--comments 100000] [--repeat 15]

Creates the database (dropped first if it exists: it is the benchmark's own), migrates it,
loads the demo course and writes posts and comments straight to their tables (six
languages, mostly published, some pending, hidden or confidential), then:

1. rebuilds the index with `search_rebuild`'s code (batches of 1,000) and prints the time,
   items/s, the number of entries and the index's size on disk;
2. runs 20 representative queries (English, Chinese, Arabic, French, Spanish, Russian,
   identifiers) through the whole request path in-process (Django's test client:
   middleware, view, template), each `--repeat` times, as an anonymous reader; prints
   each query's p50/p95, matches and SQL queries, then p50/p95 over all of them next to the
   minimal view measured in the same run (the same page without a query: the site's
   header, template and middleware, no search), and their ratio.

Figures depend on the machine (here: 2 shared cores); compare them, not their absolutes.
"""

import argparse
import hashlib
import os
import random
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/biosafety_search_bench"

SENTENCES = {
    "en": [
        "Each shipment of maize for food or feed must say that it may contain LMOs.",
        "The unique identifier MON-89Ø34-3 appears on the commercial invoice.",
        "Customs officers sample the grain at the port of entry.",
        "The risk assessment followed Annex III of the Protocol.",
        "Farmers worry about contamination of local seed varieties.",
        "The Biosafety Clearing-House lists every decision on living modified organisms.",
        "Contained use in a laboratory needs other documentation than release.",
        "Public participation made the decision stronger and more trusted.",
        "Spilled grain along transport routes should be cleaned up quickly.",
        "Our organisation supports labelling of genetically modified products.",
    ],
    "zh-hans": [
        "每批用作食物或饲料的玉米都必须注明可能含有改性活生物体。",
        "商业发票上应写明独特标识符 MON-89Ø34-3。",
        "海关官员在入境口岸对谷物进行抽样。",
        "风险评估依照议定书附件三进行。",
        "农民担心本地种子品种受到污染。",
        "生物安全资料交换所公布关于改性活生物体的每项决定。",
        "实验室中的封闭使用需要不同的单据。",
        "公众参与使决定更加有力、更受信任。",
    ],
    "ar": [
        "يجب أن تذكر كل شحنة من الذرة أنها قد تحتوي على كائنات حية محورة.",
        "يظهر المعرف الفريد على الفاتورة التجارية.",
        "يأخذ موظفو الجمارك عينات من الحبوب في ميناء الدخول.",
        "اتبع تقييم المخاطر المرفق الثالث من البروتوكول.",
        "يخشى المزارعون تلوث البذور المحلية.",
    ],
    "fr": [
        "Chaque cargaison de maïs doit indiquer qu'elle peut contenir des OVM.",
        "Les douaniers prélèvent des échantillons de grains au port d'entrée.",
        "L'évaluation des risques a suivi l'annexe III du Protocole.",
        "La biosécurité exige une documentation claire.",
    ],
    "es": [
        "Cada envío de maíz debe indicar que puede contener OVM.",
        "Los funcionarios de aduanas toman muestras del grano en el puerto.",
        "La evaluación del riesgo siguió el anexo III del Protocolo.",
        "La bioseguridad exige una documentación clara.",
    ],
    "ru": [
        "Каждая партия кукурузы должна указывать, что она может содержать ЖИО.",
        "Таможенники отбирают пробы зерна в порту ввоза.",
        "Оценка рисков проводилась в соответствии с приложением III.",
        "Биобезопасность требует ясной документации.",
    ],
}
LANGUAGE_WEIGHTS = {"en": 60, "zh-hans": 15, "ar": 7, "fr": 6, "es": 6, "ru": 6}
QUERIES = [
    "unique identifier",
    "commercial invoice",
    "risk assessment annex",
    "sample grain port",
    "contained use documentation",
    "biosafety clearing house",
    "public participation",
    "seed contamination",
    "标识",
    "生物安全",
    "风险评估",
    "改性活生物体",
    "种子 污染",
    "الكائنات الحية المحورة",
    "تقييم المخاطر",
    "biosécurité",
    "bioseguridad muestras",
    "биобезопасность",
    "MON-89034-3",
    "MON 89Ø34-3 maize",
]


def ensure_fresh_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def text(rng: random.Random, language: str) -> str:
    sentences = SENTENCES[language]
    words = " ".join(rng.choice(sentences) for _ in range(rng.randint(2, 5)))
    return f"<p>{words} ({rng.randint(1, 999_999)})</p>"


def language_of_item(rng: random.Random) -> str:
    return rng.choices(list(LANGUAGE_WEIGHTS), weights=list(LANGUAGE_WEIGHTS.values()))[0]


def populate(n_posts: int, n_comments: int) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import User
    from consultations.models import Comment, ConsultationPage
    from core.demo import demo_load
    from core.moderation import ModerationStatus
    from forums.models import DiscussionGroup, Forum, Post, Thread

    rng = random.Random(14)
    now = timezone.now()
    call_command("migrate", verbosity=0)
    demo_load()  # home, users, the course in English and Chinese, the demo forum, consultations
    users = User.objects.bulk_create(
        [User(email=f"bench{n}@example.org", password="!") for n in range(300)]  # noqa: S106
    )
    forum = Forum.objects.create(title="Bench forum", slug="bench-forum", language="en")
    groups = [
        DiscussionGroup.objects.create(
            forum=forum,
            number=n,
            theme=f"Round {n}",
            opens_at=now - timedelta(days=700),
            closes_at=now + timedelta(days=30),
            moderation_mode="post",
        )
        for n in range(1, 11)
    ]
    threads = Thread.objects.bulk_create(
        [
            Thread(
                group=groups[n % 10],
                author=rng.choice(users),
                title=f"Thread {n}: " + rng.choice(SENTENCES["en"])[:80],
                published_at=now - timedelta(days=rng.randint(0, 700)),
            )
            for n in range(2000)
        ]
    )
    statuses = [ModerationStatus.PUBLISHED] * 95 + [ModerationStatus.PENDING] * 3
    statuses += [ModerationStatus.HIDDEN] * 2
    batch = []
    for n in range(n_posts):
        thread = threads[n % len(threads)]
        language = language_of_item(rng)
        batch.append(
            Post(
                thread=thread,
                group=thread.group,
                author=rng.choice(users),
                body=text(rng, language),
                language=language if language != "en" else "",
                is_opening=n < len(threads),
                moderation_status=rng.choice(statuses),
                created_at=now - timedelta(minutes=rng.randint(0, 1_000_000)),
            )
        )
        if len(batch) == 5000:
            Post.objects.bulk_create(batch)
            batch = []
    Post.objects.bulk_create(batch)

    pages = list(ConsultationPage.objects.filter(locale__language_code="en"))
    sequences = {page.pk: 10_000 for page in pages}
    batch = []
    for n in range(n_comments):
        page = pages[n % len(pages)]
        sequences[page.pk] += 1
        language = language_of_item(rng)
        body = text(rng, language)
        confidential = rng.random() < 0.02
        batch.append(
            Comment(
                consultation=page,
                sequence=sequences[page.pk],
                reference=f"{page.reference_prefix}-{sequences[page.pk]:06d}",
                author=rng.choice(users),
                submission_token=uuid.uuid4(),
                body=body,
                body_sha256=hashlib.sha256(body.encode()).hexdigest(),
                author_name="Bench commenter",
                language=language,
                confidential=confidential,
                moderation_status=ModerationStatus.PENDING
                if confidential
                else rng.choice(statuses),
                submitted_at=now - timedelta(minutes=rng.randint(0, 500_000)),
            )
        )
        if len(batch) == 5000:
            Comment.objects.bulk_create(batch)
            batch = []
    Comment.objects.bulk_create(batch)


def percentile(values: list[float], share: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(share * (len(values) - 1))))]


def measure(client, path: str, params: dict, repeat: int) -> tuple[list[float], int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path, params)  # warm: templates, the header's cached links
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path, params)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, params, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    found = response.context["found"] if response.context and "found" in response.context else None
    return times, len(queries), (found.total if found else 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    if not url.startswith("postgres"):
        sys.exit("bench/search.py measures PostgreSQL: set DATABASE_URL=postgres://…")
    os.environ["DATABASE_URL"] = url
    ensure_fresh_database(url)

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client then keeps each response's context
    from search.backends import get_backend
    from search.models import SearchEntry
    from search.rebuild import rebuild_all

    started = time.perf_counter()
    populate(args.posts, args.comments)
    print(
        f"content: {args.posts:,} posts, {args.comments:,} comments, the demo course and "
        f"forum ({time.perf_counter() - started:.0f} s to write)"
    )

    started = time.perf_counter()
    rebuild_all(batch_size=1000)
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchentry")
    entries = SearchEntry.objects.count()
    size = get_backend().size() or 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_relation_size('search_entry_vector')")
        gin = cursor.fetchone()[0]
    print(
        f"rebuild: {entries:,} entries in {seconds:.0f} s ({entries / seconds:,.0f}/s); "
        f"table and indexes {size / 1e6:.0f} MB, of which the GIN index {gin / 1e6:.0f} MB"
    )

    client = Client()
    baseline, baseline_queries, _total = measure(client, "/en/search/", {}, args.repeat * 3)
    print(f"\n{'query':<28} {'p50 ms':>7} {'p95 ms':>7} {'found':>7} {'SQL':>4}")
    every = []
    counts = set()
    for query in QUERIES:
        language = "zh-hans" if any("\u4e00" <= c <= "\u9fff" for c in query) else "en"
        times, n_queries, total = measure(client, f"/{language}/search/", {"q": query}, args.repeat)
        every += times
        counts.add(n_queries)
        print(
            f"{query:<28} {statistics.median(times):7.1f} {percentile(times, 0.95):7.1f} "
            f"{total:7,} {n_queries:4}"
        )
    p50, p95 = statistics.median(every), percentile(every, 0.95)
    b50, b95 = statistics.median(baseline), percentile(baseline, 0.95)
    print(
        f"\nall queries: p50 {p50:.1f} ms, p95 {p95:.1f} ms; SQL queries per search: "
        f"{sorted(counts)}\nminimal view (the search page without a query): p50 {b50:.1f} ms, "
        f"p95 {b95:.1f} ms, {baseline_queries} SQL queries\n"
        f"ratio search/minimal: p50 {p50 / b50:.1f}x, p95 {p95 / b95:.1f}x"
    )


if __name__ == "__main__":
    main()
