"""Separate the roles (issue 11, finding 9; accounts/areas.py says who works where).

Wagtail's initial data made "Moderators" its editorial publishers: page permissions on the
whole tree, images and documents, and the approval task of the default workflow, so the
forum moderators could publish course and consultation pages, change comment periods and
were sent editors' lessons to approve. This migration takes all of that from them, takes
the Editors' permissions off the root (they reached consultations too), adds the Reviewers
group and the "Editorial review" workflow, and grants every role its areas' permissions.
"""

from django.db import migrations
from django.utils import timezone

from accounts.areas import PAGE_PERMISSIONS, area_page_ids, roles_grant
from accounts.roles import Role

MEDIA_APPS = ("wagtailimages", "wagtaildocs")


def separate_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")
    TaskState = apps.get_model("wagtailcore", "TaskState")

    roles_grant(apps=apps)
    groups = {role: Group.objects.get(name=role.value) for role in Role}

    # Page permissions: each role keeps only those on its own areas' index pages.
    for role, group in groups.items():
        allowed = [
            page_id
            for area in PAGE_PERMISSIONS.get(role, {})
            for page_id in area_page_ids(area, apps=apps)
        ]
        GroupPagePermission.objects.filter(group=group).exclude(page_id__in=allowed).delete()

    # Forum moderators: no images or documents either.
    moderators = groups[Role.MODERATORS]
    moderators.permissions.remove(
        *moderators.permissions.filter(content_type__app_label__in=MEDIA_APPS)
    )
    GroupCollectionPermission.objects.filter(group=moderators).delete()

    # Nor any part in editorial approval. A task left without approvers, and a workflow
    # left without an active task, are retired as Wagtail retires them: their assignments
    # go and what was waiting in them is cancelled (editors submit again, to reviewers).
    now = timezone.now()
    for task in GroupApprovalTask.objects.filter(groups=moderators):
        task.groups.remove(moderators)
        if not task.groups.exists():
            task.active = False
            task.save(update_fields=["active"])
    for workflow in Workflow.objects.filter(active=True):
        if workflow.workflow_tasks.filter(task__active=True).exists():
            continue
        workflow.active = False
        workflow.save(update_fields=["active"])
        WorkflowPage.objects.filter(workflow=workflow).delete()
        waiting = WorkflowState.objects.filter(workflow=workflow, status="in_progress")
        TaskState.objects.filter(workflow_state__in=waiting, status="in_progress").update(
            status="cancelled", finished_at=now
        )
        waiting.update(status="cancelled")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_profile_text_clean"),
        ("courses", "0002_certificate_holder_name_optional"),
        ("consultations", "0003_author_set_null"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(separate_roles, migrations.RunPython.noop)]
