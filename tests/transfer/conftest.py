import pytest

from ..factories import FieldFactory


@pytest.fixture
def field(db):
    return FieldFactory(code="bao-chi", name="Báo chí")
