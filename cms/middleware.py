"""Request-wide middleware of the project room."""

from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest, HttpResponse

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class AtomicWritesMiddleware:
    """Django's ATOMIC_REQUESTS for the requests that change something (POST, PUT, PATCH,
    DELETE): all of it is written, or, when the view raises, nothing.

    Reads run without a request transaction. On SQLite (immediate transactions, see
    cms.settings.base) a request transaction takes the write lock when it begins, so reads in
    one would queue behind each other across workers; their incidental writes (a search's daily
    count, a form's download count) are short transactions of their own instead."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in READ_METHODS:
            return self.get_response(request)
        with transaction.atomic():
            return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        """The view raised: undo what it wrote (Django turns the exception into an error
        response before it reaches __call__, so the atomic block would otherwise commit)."""
        if request.method not in READ_METHODS:
            transaction.set_rollback(True)
