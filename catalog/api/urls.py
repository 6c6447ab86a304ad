from rest_framework.routers import DefaultRouter

from .views import ProcedureViewSet

router = DefaultRouter(trailing_slash=True)
router.register("procedures", ProcedureViewSet, basename="procedure")

urlpatterns = router.urls
