"""The catalogue: provinces, agencies, taxonomies, procedure pages and roadmap targets.

Page tree: HomePage → ProvincePage → AgencyPage → ProcedurePage, so that page permissions can
be given per province and per agency. One module a job; import the models from here.
"""

from .changes import ChangeKind, ProcedureChange, PublishedProcedure
from .places import AgencyKind, AgencyPage, ProvincePage
from .procedure import ProcedurePage
from .roadmap import RoadmapTarget
from .taxonomy import (
    TIERS_IN_FORCE,
    Audience,
    Field,
    LifeEvent,
    Status,
    Subject,
    Taxonomy,
    Tier,
    TierSystem,
    in_reading_order,
)
from .views import ProcedureViewDay

__all__ = [
    "TIERS_IN_FORCE",
    "AgencyKind",
    "AgencyPage",
    "Audience",
    "ChangeKind",
    "Field",
    "LifeEvent",
    "ProcedureChange",
    "ProcedurePage",
    "ProcedureViewDay",
    "ProvincePage",
    "PublishedProcedure",
    "RoadmapTarget",
    "Status",
    "Subject",
    "Taxonomy",
    "Tier",
    "TierSystem",
    "in_reading_order",
]
