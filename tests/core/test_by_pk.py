"""core.by_pk: one row by primary key with its SQL compiled once. It must build exactly the
object the ORM builds, on SQLite and on PostgreSQL, pages included (their StreamField JSON,
dates and the parent table joined), and respect its filters."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.blocks import StreamValue
from wagtail.models import Page

from consultations.models import ConsultationPage
from core.by_pk import by_pk
from courses.models import LessonPage

pytestmark = pytest.mark.django_db


def _stored(value):
    # A StreamField by its stored data: its blocks' objects compare by identity.
    return list(value.raw_data) if isinstance(value, StreamValue) else value


def _fields(obj):
    return {f.attname: _stored(getattr(obj, f.attname)) for f in type(obj)._meta.concrete_fields}


@pytest.mark.parametrize("model", [LessonPage, ConsultationPage, Page])
def test_a_page_read_by_pk_is_the_orms_page(demo, model):
    page = model.objects.live().order_by("pk").last()
    fast = by_pk(model, page.pk, live=True)
    orm = model.objects.filter(pk=page.pk, live=True).first()
    assert type(fast) is model and _fields(fast) == _fields(orm)
    if hasattr(orm, "body"):  # the StreamField is read from its JSON, as the ORM does
        assert [b.block_type for b in fast.body] == [b.block_type for b in orm.body]
    assert not fast._state.adding and fast._state.db == "default"
    if model is ConsultationPage:
        assert fast.closes_at == orm.closes_at and fast.closes_at.tzinfo is not None


def test_the_filters_hold_and_a_missing_row_is_none(demo):
    page = LessonPage.objects.live().first()
    page.live = False
    page.save(update_fields=["live"])
    assert by_pk(LessonPage, page.pk, live=True) is None
    assert by_pk(LessonPage, page.pk, live=False).pk == page.pk
    assert by_pk(LessonPage, 987654321) is None
    assert by_pk(LessonPage, 2**40) is None  # beyond the column's range: nothing, no error


def test_one_query_seen_by_query_counts_each_time(demo):
    page = LessonPage.objects.live().first()
    by_pk(LessonPage, page.pk, live=True)
    with CaptureQueriesContext(connection) as queries:
        again = by_pk(LessonPage, page.pk, live=True)
    assert again.pk == page.pk and len(queries) == 1
