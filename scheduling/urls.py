from django.urls import path

from . import answer_views, views

app_name = "scheduling"
urlpatterns = [
    path("coordinator/review/", views.review_queue, name="review-queue"),
    path("coordinator/unfilled/", views.unfilled, name="unfilled"),
    path("coordinator/review/approve/", views.bulk_approve, name="bulk-approve"),
    path("coordinator/matching/run/", views.queue_matching_now, name="run-matching"),
    path("coordinator/matches/<int:match_id>/approve/", views.approve, name="approve"),
    path("coordinator/matches/<int:match_id>/reject/", views.reject, name="reject"),
    path("coordinator/matches/<int:match_id>/candidates/", views.candidates, name="candidates"),
    path("coordinator/sessions/<int:session_id>/what-would-help/", views.unfilled_help, name="unfilled-help"),
    path("matches/<int:match_id>/complete/", views.complete, name="complete"),
    path("matches/<int:match_id>/no-show/", views.no_show, name="no-show"),
    path("i/<str:token>/", answer_views.answer_invitation, name="answer"),
]
