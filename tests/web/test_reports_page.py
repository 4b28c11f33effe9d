"""The reports page: managers and administrators see the statutory report for a year, a quarter
or any dates, and download it as PDF, XLSX or CSV; bad periods are explained."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import pytest
from openpyxl import load_workbook

from tests.web.conftest import Web

ANNUAL = "/reports?kind=annual&year=2026"


def test_a_manager_sees_the_annual_report(web: Callable[[str], Web], case_ref: str) -> None:
    page = web("mgr").get(ANNUAL)
    assert page.status_code == 200
    assert "Complaints and compliments annual report 2026/27" in page.text
    assert "Download this report" in page.text


@pytest.mark.parametrize("username", ["off", "qa"])
def test_officers_and_qa_practitioners_may_not(web: Callable[[str], Web], username: str) -> None:
    assert web(username).get(ANNUAL).status_code == 403


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("kind=annual&year=", "Enter the year the financial year starts in"),
        ("kind=quarter&year=2025&quarter=7", "Select the quarter from the list"),
        ("kind=annual&year=1800", "there is no financial year 1800 to report on"),
        (
            "kind=range&from-day=1&from-month=4&from-year=2026&to-day=1&to-month=3&to-year=2026",
            "before it starts",
        ),
        ("kind=annual&year=2026&team=Nowhere", "Select a service area from the list"),
    ],
)
def test_a_bad_period_is_explained(web: Callable[[str], Web], query: str, message: str) -> None:
    page = web("mgr").get(f"/reports?{query}")
    assert page.status_code == 400
    assert "There is a problem" in page.text and message.lower() in page.text.lower()


def test_the_report_downloads(web: Callable[[str], Web], case_ref: str) -> None:
    client = web("admin")
    query = ANNUAL.split("?", 1)[1]
    pdf = client.get(f"/reports/download/pdf?{query}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    workbook = load_workbook(io.BytesIO(client.get(f"/reports/download/xlsx?{query}").data))
    assert len(workbook.sheetnames) > 10
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/reports/download/csv?{query}").data))
    assert any(name.endswith(".csv") for name in archive.namelist())
    assert client.get(f"/reports/download/doc?{query}").status_code == 404
