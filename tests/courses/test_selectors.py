"""What other parts of the site read from courses: home list and header link, cheaply."""

from django.utils import translation

from courses.selectors import courses_for_home, nav_link


def test_home_list_takes_at_most_two_queries(course, django_assert_max_num_queries):
    with translation.override("en"):
        courses_for_home()  # warm the site's root paths
        with django_assert_max_num_queries(2):
            items = courses_for_home()
    assert [(i.title, i.url) for i in items] == [
        ("Test course on LMOs", "/en/courses/test-course/")
    ]
    assert items[0].note == "about 2 hours"


def test_home_list_is_in_the_readers_language(course):
    with translation.override("zh-hans"):
        items = courses_for_home()
    assert items[0].title == "改性活生物体测试课程" and items[0].url.startswith("/zh-hans/")


def test_nav_link_is_cached_per_language(course, django_assert_num_queries):
    with translation.override("en"):
        assert nav_link() == ("Courses", "/en/courses/")
        with django_assert_num_queries(0):
            assert nav_link() == ("Courses", "/en/courses/")
    with translation.override("zh-hans"):
        assert nav_link() == ("课程", "/zh-hans/courses/")


def test_no_course_index_means_no_link_and_no_items(site_shell):
    assert nav_link() is None
    assert courses_for_home() == []


def test_a_language_without_translation_falls_back_to_the_default_course(course):
    with translation.override("fr"):
        items = courses_for_home()
        link = nav_link()
    assert [i.title for i in items] == ["Test course on LMOs"]
    assert link is not None


def test_facilitators_can_choose_the_course_in_any_language(course):
    from courses.forms import CohortForm

    with translation.override("es"):
        form = CohortForm()
    assert [label for _pk, label in form.fields["course"].choices] == ["Test course on LMOs"]
