from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import views
from .sitemaps import SITEMAPS

urlpatterns = [
    path("programs/", views.directory, name="directory"),
    path("programs/feed.json", views.feed, name="program-feed"),
    path("programs/<int:pk>/", views.program_detail, name="program"),
    path("programs/<int:pk>/calendar.ics", views.program_calendar, name="program-calendar"),
    path("alliances/<slug:slug>/", views.alliance_page, name="alliance-page"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="django.contrib.sitemaps.views.sitemap"),
    path("members/programs/", views.my_programs, name="my-programs"),
    path("members/programs/new/", views.edit_program, name="program-new"),
    path("members/programs/<int:pk>/edit/", views.edit_program, name="program-edit"),
    path("members/programs/<int:pk>/submit/", views.submit_program, name="program-submit"),
    path("coordinator/programs/", views.moderation, name="program-moderation"),
    path("coordinator/programs/<int:pk>/<slug:action>/", views.moderate, name="program-moderate"),
]
