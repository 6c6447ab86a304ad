from catalog.models import ProcedurePage

from ..factories import ProcedureFactory


def test_procedure_page_knows_its_agency_and_province(agency):
    page = ProcedureFactory(agency=agency, code="1.000894")
    page = ProcedurePage.objects.get(pk=page.pk)
    assert page.agency == agency
    assert page.province.code == "lam-dong"
    assert page.tiers == ["province"]
