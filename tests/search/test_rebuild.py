"""`manage.py search_rebuild`: everything from the tables, in batches, resumably."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from search import rebuild
from search.models import RebuildCheckpoint, SearchEntry
from tests.forums.factories import make_group, make_post, make_thread

from .conftest import search


@pytest.fixture
def posts(db):
    """Posts written straight to the table (as an import or the demo would): not indexed."""
    thread = make_thread(make_group(state="open"), title="Rounds")
    return [make_post(thread, body=f"Quarantine inspection {n}") for n in range(7)]


def test_rebuild_indexes_everything_with_a_progress_report(client, posts):
    assert search(client, "quarantine")[1] == []
    out = StringIO()
    call_command("search_rebuild", "--batch-size", "3", stdout=out)
    report = out.getvalue()
    assert "posts" in report and "8/8 100%" in report  # the opening post too
    assert "entries in" in report
    response, _results = search(client, "quarantine")
    assert response.context["found"].total == 7
    assert RebuildCheckpoint.objects.filter(done=False).count() == 0


def test_an_interrupted_rebuild_resumes_where_it_stopped(client, posts):
    plan = rebuild.plan(restart=True)
    done_sources = {}
    for source, checkpoint in plan:
        if source.name == "forums.post":
            # Stopped after the first batch of posts.
            chunk = list(source.queryset().order_by("pk")[:3])
            source.batch(chunk)
            checkpoint.last_id = chunk[-1].pk
            checkpoint.save()
            break
        rebuild.run_source(source, checkpoint, batch_size=100)
        done_sources[source.name] = set(
            SearchEntry.objects.filter(source=source.name).values_list("pk", flat=True)
        )
    first_three = set(
        SearchEntry.objects.filter(source="forums.post").values_list("object_id", flat=True)
    )
    assert len(first_three) == 3

    call_command("search_rebuild", stdout=StringIO())

    # The finished sources were not redone, the posts went on from the fourth.
    for name, ids in done_sources.items():
        assert set(SearchEntry.objects.filter(source=name).values_list("pk", flat=True)) == ids
    assert SearchEntry.objects.filter(source="forums.post").count() == 8  # the opening post too
    assert search(client, "quarantine")[0].context["found"].total == 7


def test_a_rebuild_drops_entries_of_what_no_longer_exists(client, posts):
    rebuild.rebuild_all()
    type(posts[0]).objects.filter(pk=posts[0].pk)._raw_delete(using="default")
    assert SearchEntry.objects.filter(source="forums.post", object_id=posts[0].pk).exists()
    call_command("search_rebuild", "--restart", stdout=StringIO())
    assert not SearchEntry.objects.filter(source="forums.post", object_id=posts[0].pk).exists()
    assert search(client, "quarantine")[0].context["found"].total == 6


def test_a_bad_batch_size_is_refused(db):
    with pytest.raises(CommandError):
        call_command("search_rebuild", "--batch-size", "0", stdout=StringIO())


def test_the_search_box_is_in_the_header_of_every_page(client, home, posts):
    for path in ("/en/", "/zh-hans/forums/", f"/ar/forums/groups/{posts[0].group_id}/"):
        html = client.get(path).content.decode()
        header = html[html.index("<header") : html.index("</header>")]
        assert 'role="search"' in header, path
        assert f'action="/{path.split("/")[1]}/search/"' in header, path


def _entries(post_ids):
    """The posts' entries as a reader's search uses them (without id and time of writing)."""
    fields = [f.name for f in SearchEntry._meta.fields if f.name not in ("id", "indexed_at")]
    entries = SearchEntry.objects.filter(source="forums.post", object_id__in=post_ids)
    return sorted(entries.values(*fields), key=repr)


def test_replies_are_indexed_as_a_rebuild_would_index_them(db):
    """A reply's entry is written from the objects the service holds (its thread, group and
    forum are not read again); it must be the entry a rebuild writes from the tables."""
    from forums.services import post_approve, post_create
    from forums.views.common import get_group, get_post, get_thread
    from tests.forums.factories import make_moderator, make_participant

    post_moderated = make_group(state="open", mode="post", theme="Labelling rules")
    pre_moderated = make_group(state="open", mode="pre", theme="Border sampling")
    replies = []
    for group in (post_moderated, pre_moderated):
        author = make_participant(group.forum)
        thread_id = make_thread(group, title=f"About {group.theme}").pk
        group = get_group(group.pk)  # as the reply view reads them
        thread = get_thread(group, thread_id, author)
        body = f"Sampling under {group.theme}"
        replies.append(post_create(thread=thread, author=author, body=body))
    pending = replies[-1]
    assert not pending.is_published
    # found by its author and the moderators only, marked as pending
    assert [(e["public"], e["status"]) for e in _entries([pending.pk])] == [(False, "pending")]
    # Approved from the queue, as the moderation screen reads the post.
    post_approve(post=get_post(pending.pk), actor=make_moderator(pre_moderated))
    ids = [reply.pk for reply in replies]
    written = _entries(ids)
    assert len(written) == 2
    rebuild.rebuild_all()
    assert _entries(ids) == written
