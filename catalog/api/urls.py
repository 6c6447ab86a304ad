from django.urls import path
from rest_framework.routers import DefaultRouter

from .changes import ChangesView
from .taxonomies import AgencyViewSet, FieldViewSet, LifeEventViewSet
from .views import ProcedureViewSet

router = DefaultRouter(trailing_slash=True)
router.register("procedures", ProcedureViewSet, basename="procedure")
router.register("agencies", AgencyViewSet, basename="agency")
router.register("fields", FieldViewSet, basename="field")
router.register("life-events", LifeEventViewSet, basename="life-event")

urlpatterns = [
    *router.urls,
    path("changes/", ChangesView.as_view(), name="changes"),
]
