"""The one search interface every backend implements (database, Elasticsearch).

Backends index search documents (search.documents.document_for, built from the one public
record) and answer SearchQuery objects with SearchResults. The text they index and the queries
they run go through search.text, so every backend folds Vietnamese the same way.
"""

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field

from catalog.levels import Level
from catalog.models import Tier

STATUS_ACTIVE = "active"
STATUS_ABOLISHED = "abolished"
STATUS_ALL = "all"
FACETS = ("agency", "field", "tier", "level")
# Results any search pages through (50 pages of 20); all are counted, but beyond these a
# narrower query serves a citizen better than ranking the whole catalogue each time.
MAX_PAGED_RESULTS = 1_000


def facet_label(facet: str, value, label: str | None = None) -> str:
    """What a facet value reads as: a tier's or a level's name, else the label the index
    holds (an agency's or a field's name)."""
    if facet == "tier":
        return str(Tier(value).label) if value in Tier.values else str(value)
    if facet == "level":
        try:
            return str(Level(int(value)).label)
        except (TypeError, ValueError):
            return f"Mức độ {value}"
    return label or str(value)


@dataclass
class SearchQuery:
    text: str
    province: str | None = None
    agency: str | None = None
    field: str | None = None
    tier: str | None = None
    level: int | None = None
    status: str = STATUS_ACTIVE
    language: str = "vi"
    page: int = 1
    page_size: int = 20
    # The second pass (search.backends.search): procedures holding any of the words, those
    # holding most of them first.
    any_words: bool = False


@dataclass
class Hit:
    """One procedure found: what a results list shows, and why it ranked where it did."""

    id: int
    code: str
    province: str
    title: str
    url: str
    agency: str
    field: str
    level: int
    status: str
    score: float
    highlight: str = ""  # HTML-safe: the text is escaped, only <mark> is added
    snippet: str = ""  # HTML-safe: the body around its first match, when the body matched


@dataclass
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class SearchResults:
    hits: list[Hit]
    total: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    suggestion: str | None = None  # "did you mean", when nothing matched
    backend: str = ""
    degraded: bool = False  # the configured backend failed and another one answered
    # When no procedure held every word: the words searched instead (the query without the
    # filler of how people ask), and whether only some of them are held (partial).
    searched: str = ""
    partial: bool = False
    best_bets: list[Hit] = field(default_factory=list)


@dataclass
class Suggestion:
    code: str
    province: str
    title: str
    url: str


class SearchUnavailable(Exception):
    """The backend cannot answer now (for example Elasticsearch is unreachable)."""


class SearchBackend(ABC):
    name: str = ""

    @abstractmethod
    def index(self, documents: Iterable[dict]) -> int:
        """Add or replace these documents; returns how many were written."""

    @abstractmethod
    def remove(self, ids: Iterable[int]) -> None:
        """Remove the documents of these procedures (page ids), if present."""

    @abstractmethod
    def rebuild(self, documents: Iterable[dict]) -> int:
        """Replace the whole index with these documents, atomically for readers."""

    @abstractmethod
    def search(self, query: SearchQuery) -> SearchResults:
        """Ranked results with facets and highlights; raises SearchUnavailable when down."""

    @abstractmethod
    def suggest(
        self, prefix: str, province: str | None = None, limit: int = 10
    ) -> list[Suggestion]:
        """Titles for autocomplete, best first."""
