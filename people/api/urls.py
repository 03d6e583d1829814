from django.urls import path

from asn_portal.api import Router

from . import privacy
from .access_log import MyAccessLogView
from .access_report import AccessExportListView, AccessReportView, EmployeeAccessLogView
from .imports import ImportBatchViewSet
from .views import AgencyViewSet, EmployeeViewSet, MeView, PositionViewSet, RankViewSet, UnitViewSet

router = Router(trailing_slash=True)
router.include_root_view = False
router.register("agencies", AgencyViewSet, basename="agency")
router.register("units", UnitViewSet, basename="unit")
router.register("positions", PositionViewSet, basename="position")
router.register("ranks", RankViewSet, basename="rank")
router.register("employees", EmployeeViewSet, basename="employee")
router.register("import-batches", ImportBatchViewSet, basename="import-batch")
urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("me/access-log/", MyAccessLogView.as_view(), name="api-me-access-log"),
    path("employees/<int:pk>/access-log/", EmployeeAccessLogView.as_view(), name="api-employee-access-log"),
    path("access-report/", AccessReportView.as_view(), name="api-access-report"),
    path("access-report/exports/", AccessExportListView.as_view(), name="api-access-report-exports"),
    path("me/data-exports/", privacy.DataExportListView.as_view(), name="api-data-exports"),
    path("me/data-exports/<int:pk>/", privacy.DataExportDetailView.as_view(), name="api-data-export"),
    path(
        "me/data-exports/<int:pk>/download/",
        privacy.DataExportDownloadView.as_view(),
        name="api-data-export-download",
    ),
    path("me/corrections/", privacy.MyCorrectionListView.as_view(), name="api-my-corrections"),
    path("corrections/", privacy.CorrectionQueueView.as_view(), name="api-corrections"),
    path("corrections/<int:pk>/", privacy.CorrectionDetailView.as_view(), name="api-correction"),
    path(
        "corrections/<int:pk>/approve/",
        privacy.CorrectionActionView.as_view(action="approve"),
        name="api-correction-approve",
    ),
    path(
        "corrections/<int:pk>/reject/",
        privacy.CorrectionActionView.as_view(action="reject"),
        name="api-correction-reject",
    ),
    path(
        "corrections/<int:pk>/withdraw/",
        privacy.CorrectionActionView.as_view(action="withdraw"),
        name="api-correction-withdraw",
    ),
    path("corrections/<int:pk>/document/", privacy.CorrectionDocumentView.as_view(), name="api-correction-document"),
    *router.urls,
]
