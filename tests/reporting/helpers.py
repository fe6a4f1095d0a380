"""Run an export to bytes, as a file a user's tool would open."""

from __future__ import annotations

from elearn.reporting.exports import Dataset, ExportFormat, ExportRequest, start_export
from elearn.reporting.filters import parse_filters
from tests.reporting.seed import CATALOG

BASE_URL = "https://formation.exemple.fr"


def export_bytes(session, dataset: str, fmt: str, iso_dates: bool = False, xapi_actor: str = "account", **filters: str) -> bytes:  # noqa: ANN001
    parsed, errors = parse_filters(filters)
    assert not errors
    request = ExportRequest(Dataset(dataset), ExportFormat(fmt), parsed, iso_dates)
    export = start_export(session, request, CATALOG, actor=None, base_url=BASE_URL, xapi_actor=xapi_actor)
    return b"".join(export.chunks)
