from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from alliances import urls as alliance_urls
from alliances.views import look_css
from config import lockout
from core.password_reset import ThemedPasswordResetForm
from core.throttles import throttle_page
from impact import urls as impact_urls
from mentors import urls as mentor_urls
from mentors.api import MyMentorProfile
from mentors.forms import EmailLoginForm
from mentors.views import SetPasswordView
from notifications import urls as notification_urls
from notifications import webhooks
from programs import urls as program_urls
from scheduling import page_urls, today, vetting_urls
from scheduling.api import MatchingRunViewSet, MatchViewSet
from scheduling.request_api import MentorRequestViewSet
from schools import urls as school_urls

router = DefaultRouter()
router.register("requests", MentorRequestViewSet, basename="request")
router.register("matches", MatchViewSet, basename="match")
router.register("matching-runs", MatchingRunViewSet, basename="matching-run")

handler404 = "config.api.not_found"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("look/<slug:slug>.css", look_css, name="alliance-look"),
    path("api/", include(router.urls)),
    path("", include("scheduling.urls")),
    path("coordinator/", today.today, name="coordinator-home"),
    path("coordinator/texts/<int:message_id>/handled/", today.text_handled, name="text-handled"),
    path("coordinator/closed-days/", today.closed_days, name="closed-days"),
    path("coordinator/closed-days/alliance/<int:day_id>/reopen/", today.reopen_alliance_day,
         name="reopen-alliance-day"),
    path("coordinator/closed-days/school/<int:day_id>/reopen/", today.reopen_school_day, name="reopen-school-day"),
    path("api/me/mentor/", MyMentorProfile.as_view(), name="my-mentor-profile"),
    path("api/", include(mentor_urls.api_patterns)),
    path("api/", include(vetting_urls.api_patterns)),
    path("", include(vetting_urls)),
    path("api/", include(school_urls.api_patterns)),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=EmailLoginForm), name="login"),
    path("accounts/password_reset/", throttle_page("password-reset")(auth_views.PasswordResetView.as_view(
        form_class=ThemedPasswordResetForm, subject_template_name="registration/password_reset_subject.txt",
        email_template_name="registration/password_reset_email.txt",
        html_email_template_name="registration/password_reset_email.html")), name="password_reset"),
    path("accounts/reset/<uidb64>/<token>/", SetPasswordView.as_view(), name="password_reset_confirm"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include(mentor_urls)),
    path("", include(school_urls)),
    path("", include(page_urls)),
    path("api/auth/token/", lockout.ObtainToken.as_view(), name="api-token"),
    path("api/coordinator/unlock/", lockout.Unlock.as_view(), name="api-unlock"),
    path("api/auth/", include("rest_framework.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("webhooks/twilio/inbound/", webhooks.inbound_message, name="twilio-inbound"),
    path("webhooks/twilio/status/", webhooks.status_callback, name="twilio-status"),
    path("api/", include(notification_urls.api_patterns)),
    path("", include(notification_urls)),
    path("api/", include(impact_urls.api_patterns)),
    path("", include(impact_urls)),
    # The language switch on every page, without a CSRF token: its form would otherwise put a csrftoken cookie
    # on every public page, for a change whose worst forged outcome is a page in the other language. Django's
    # view still only follows a `next` on this site.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("", include(alliance_urls)),
    path("", include(program_urls)),
]
