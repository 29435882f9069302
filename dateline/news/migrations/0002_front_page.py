"""Replace Wagtail's placeholder page with the Dateline front page, and retire the default
"Editors"/"Moderators" groups and workflow that the newsroom's own roles replace (only when
nobody uses them)."""

from django.db import migrations


def create_front_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("news.HomePage")
    Group = apps.get_model("auth.Group")
    Workflow = apps.get_model("wagtailcore.Workflow")
    Task = apps.get_model("wagtailcore.Task")

    if HomePage.objects.exists():
        return
    page_type = ContentType.objects.get(model="page", app_label="wagtailcore")
    Page.objects.filter(content_type=page_type, slug="home", depth=2).delete()
    home_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="news")
    root = Page.objects.get(depth=1)
    locale = Locale.objects.first()
    home = HomePage.objects.create(
        title="Dateline",
        draft_title="Dateline",
        slug="home",
        content_type=home_type,
        path=root.path + "0001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        live=True,
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.all().delete()
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Dateline"
    )

    for name in ("Editors", "Moderators"):
        Group.objects.filter(name=name, user__isnull=True).delete()
    for workflow in Workflow.objects.filter(name="Moderators approval"):
        # Wagtail attaches its default workflow to the tree's root; ours sits on the front page.
        workflow.workflow_pages.filter(page__depth=1).delete()
        if not workflow.workflow_pages.exists():
            workflow.delete()
    Task.objects.filter(name="Moderators approval", workflow_tasks__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0001_initial"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(create_front_page, migrations.RunPython.noop)]
