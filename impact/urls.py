from django.urls import path

from . import api, views

app_name = "impact"
urlpatterns = [
    path("impact/answer/<str:token>/", views.answer, name="feedback"),
    path("coordinator/impact/", views.dashboard, name="dashboard"),
    path("coordinator/impact/<slug:table>.csv", views.dashboard_csv, name="dashboard-csv"),
    path("coordinator/impact/targets/", views.targets, name="targets"),
    path("coordinator/impact/schools/", views.schools, name="schools"),
    path("coordinator/impact/schools/<int:school_id>/", views.school_equity, name="school-equity"),
    path("coordinator/impact/awaiting/", views.awaiting, name="awaiting"),
    path("coordinator/impact/awaiting/<int:request_id>/", views.record_on_behalf, name="record-on-behalf"),
    path("coordinator/impact/company-leads/", views.company_leads, name="company-leads"),
    path("company/impact/", views.company_statement, name="company"),
    path("company/impact/statement.pdf", views.company_pdf, name="company-pdf"),
    path("company/impact/<slug:table>.csv", views.company_csv, name="company-csv"),
    path("me/impact/", views.my_impact, name="my-impact"),
    path("me/impact/sessions.csv", views.my_impact_csv, name="my-impact-csv"),
    path("me/impact/statement.pdf", views.my_impact_pdf, name="my-impact-pdf"),
]

api_patterns = [
    path("impact/dashboard/", api.Dashboard.as_view(), name="api-impact-dashboard"),
    path("impact/company/", api.CompanyStatement.as_view(), name="api-impact-company"),
    path("impact/me/", api.MyImpact.as_view(), name="api-my-impact"),
]
