"""Comment.receipt_sent_at (issue 16): a receipt lost between the answer and the mail is found
and sent again by `manage.py consultations_receipts`. Comments stored before this migration
are taken as sent (their receipts went the old way), so none of them is mailed twice."""

from django.db import migrations, models
from django.db.models import F


def mark_existing_sent(apps, schema_editor):
    Comment = apps.get_model("consultations", "Comment")
    Comment.objects.filter(receipt_sent_at__isnull=True).update(receipt_sent_at=F("submitted_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0007_campaign_bucket_without_db_constraints"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="receipt_sent_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(mark_existing_sent, migrations.RunPython.noop, elidable=True),
    ]
