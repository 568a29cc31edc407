from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from alliances.models import Alliance

from .models import Program


class ProgramSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Program.objects.filter(status=Program.Status.PUBLISHED).order_by("pk").only("pk", "updated_at")

    def location(self, item):
        return reverse("program", args=[item.pk])

    def lastmod(self, item):
        return item.updated_at


class PublicPageSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["directory", *Alliance.objects.order_by("slug").values_list("slug", flat=True)]

    def location(self, item):
        return reverse("directory") if item == "directory" else reverse("alliance-page", args=[item])


SITEMAPS = {"programs": ProgramSitemap, "pages": PublicPageSitemap}
