"""Who works where: each role's share of the Wagtail page tree, media, editorial workflow and
moderation log (docs/permissions.md, "Roles"; issue 11, finding 9).

- Editors write course pages and submit them for review; they publish nothing.
- Reviewers approve (or send back) what editors submit in the "Editorial review" workflow,
  and may publish course pages themselves.
- Consultation officers write and publish consultation pages, comment periods included
  (Art. 23.2: the authority that consults is the one that decides when).
- Moderators moderate forums: no page, document or image permission at all.
- Facilitators run cohorts on the site's own pages.
- Superusers own the home page and the tree's structure.

Wagtail grants a page permission on a page and everything below it, so roles are granted on
each area's index page (in every language), never on the root or the home page, which would
reach every area at once. `roles_grant` only adds, and is idempotent: the migration, the
demo loader and the admin (when an area's index page is created or published) run it.
It takes an app registry, so that a migration can run it on its historical models.
"""

from django.apps import apps as global_apps

from .roles import Role

COURSES = ("courses", "CourseIndexPage")
CONSULTATIONS = ("consultations", "ConsultationIndexPage")
AREA_ROOTS = (COURSES, CONSULTATIONS)

WRITE = ("add_page", "change_page")
PUBLISH = (*WRITE, "publish_page", "lock_page", "unlock_page")

PAGE_PERMISSIONS: dict[Role, dict[tuple[str, str], tuple[str, ...]]] = {
    Role.EDITORS: {COURSES: WRITE},
    Role.REVIEWERS: {COURSES: PUBLISH},
    Role.CONSULTATION_OFFICERS: {CONSULTATIONS: PUBLISH},
}
# In the root collection: upload and choose the documents and images of the pages one
# writes (Wagtail lets the uploader edit their own).
MEDIA = ("add_document", "choose_document", "add_image", "choose_image")
COLLECTION_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.REVIEWERS: MEDIA,
    Role.CONSULTATION_OFFICERS: MEDIA,
}
# Pages below these go through the workflow; its one task is the reviewers'.
REVIEW = "Editorial review"
REVIEWED_AREAS = (COURSES,)
REVIEWING_ROLE = Role.REVIEWERS

# The moderation log: each role reads the decisions about its own area's items, by the app
# of the decided item (superusers read everything).
MODERATION_LOG_AREAS: dict[str, Role] = {
    "forums": Role.MODERATORS,
    "consultations": Role.CONSULTATION_OFFICERS,
}


def _forum_log_scope(user):
    from forums.rules import moderation_log_scope

    return moderation_log_scope(user)


# Within an area, a role may be narrower still: a forum moderator reads the decisions on the
# groups they moderate (and on registrations to those groups' forums), not every group's.
MODERATION_LOG_SCOPES = {"forums": _forum_log_scope}


def area_page_ids(area: tuple[str, str], *, apps=global_apps) -> list[int]:
    try:
        model = apps.get_model(*area)
    except LookupError:  # the feature is not installed
        return []
    return list(model.objects.values_list("pk", flat=True))


def is_area_root(page) -> bool:
    meta = page.specific_class._meta if page.specific_class else page._meta
    return (meta.app_label, meta.object_name) in AREA_ROOTS


def _permissions(apps, app_label: str, codenames) -> list:
    Permission = apps.get_model("auth", "Permission")
    return list(
        Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )


def _review_workflow(apps, reviewers):
    ContentType = apps.get_model("contenttypes", "ContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    task = GroupApprovalTask.objects.filter(name=REVIEW).first()
    if task is None:
        # Set by hand: historical models do not fill in Wagtail's specific type.
        content_type, _ = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(name=REVIEW, content_type=content_type, active=True)
    task.groups.add(reviewers)
    workflow, _ = Workflow.objects.get_or_create(name=REVIEW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    return workflow


def roles_grant(*, apps=global_apps) -> None:
    """Give every role what this module says it has (adds only; idempotent)."""
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Collection = apps.get_model("wagtailcore", "Collection")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")

    groups = {role: Group.objects.get_or_create(name=role.value)[0] for role in Role}
    access_admin = _permissions(apps, "wagtailadmin", ["access_admin"])
    for group in groups.values():
        # Every role works in the Wagtail admin (queues, pages, the moderation log).
        group.permissions.add(*access_admin)

    for role, areas in PAGE_PERMISSIONS.items():
        for area, codenames in areas.items():
            permissions = _permissions(apps, "wagtailcore", codenames)
            for page_id in area_page_ids(area, apps=apps):
                for permission in permissions:
                    GroupPagePermission.objects.get_or_create(
                        group=groups[role], page_id=page_id, permission=permission
                    )

    root = Collection.objects.filter(depth=1).first()
    if root is not None:
        for role, codenames in COLLECTION_PERMISSIONS.items():
            for app_label in ("wagtaildocs", "wagtailimages"):
                for permission in _permissions(apps, app_label, codenames):
                    GroupCollectionPermission.objects.get_or_create(
                        group=groups[role], collection=root, permission=permission
                    )

    workflow = _review_workflow(apps, groups[REVIEWING_ROLE])
    for area in REVIEWED_AREAS:
        for page_id in area_page_ids(area, apps=apps):
            # A workflow a superuser chose for this page stays.
            WorkflowPage.objects.get_or_create(page_id=page_id, defaults={"workflow": workflow})
