"""HTML to PDF (letters and reports), fetching nothing from outside the product.

WeasyPrint (it needs Pango from the operating system) fetches what a page links to:
stylesheets, images, fonts and files to attach. Here it may fetch only the product's own
packaged files (`PACKAGED_ASSETS`: stylesheets, images and fonts shipped in `letter_templates/`
and the report templates' folder) and data: URIs, which carry their content in the page itself
(the report's charts). Anything else (another file on the server, a web address, any other
scheme) is refused: a warning naming its scheme and host is logged, and the PDF is made without
it. Files attached to the PDF (`<link rel="attachment">`, `<a rel="attachment">`) are left out
whatever they name, since no letter or report attaches anything.

Every PDF the product makes is laid out by `laid_out` (`html_to_pdf` for a page as it is;
`complaints.letters.document` for a letter).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from complaints.letters.environment import LETTER_TEMPLATES

logger = logging.getLogger(__name__)

REPORT_TEMPLATES = Path(__file__).resolve().parent.parent / "reports" / "templates"
PACKAGED_ASSETS = (LETTER_TEMPLATES, REPORT_TEMPLATES)
# The kinds of file a page may take from those folders, by suffix, with their media types.
ASSET_TYPES = {
    ".css": "text/css",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
}


class RefusedFetchError(ValueError):
    """A resource a page links to that the PDF is made without; the message says which and why
    (WeasyPrint logs it and leaves the resource out)."""


def html_to_pdf(html: str) -> bytes:
    """The page as a PDF, made from the HTML and the product's own packaged files only."""
    return write_pdf(laid_out(html))


def laid_out(html: str, *, extra_css: Sequence[str] = ()) -> Any:
    """The page laid out in pages (a WeasyPrint document, whose `pages` can be counted), with
    the product's own stylesheets `extra_css` after the page's own."""
    from weasyprint import CSS, HTML

    fetcher = _packaged_assets_only()()
    page = HTML(string=html, base_url=str(LETTER_TEMPLATES), url_fetcher=fetcher)
    stylesheets = [CSS(string=css, url_fetcher=fetcher) for css in extra_css]
    document = page.render(stylesheets=stylesheets)
    _leave_out_attachments(document)
    return document


def write_pdf(document: Any) -> bytes:
    pdf: bytes = document.write_pdf()
    return pdf


def packaged_asset(url: str) -> Path:
    """The packaged file a file: URL names, or RefusedFetchError (logged) for any other URL."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "file" and parts.netloc in ("", "localhost"):
        path = Path(url2pathname(unquote(parts.path))).resolve()
        inside = any(path.is_relative_to(folder) for folder in PACKAGED_ASSETS)
        if inside and path.suffix.lower() in ASSET_TYPES and path.is_file():
            return path
    where = f" on {parts.hostname}" if parts.hostname else ""
    reason = f"a {scheme or 'relative'}: resource{where}"
    logger.warning(
        "PDF rendering refused %s: a PDF may use only the product's own packaged files", reason
    )
    raise RefusedFetchError(f"refused {reason}: a PDF may use only the product's packaged files")


@lru_cache(maxsize=1)
def _packaged_assets_only() -> Any:
    """A WeasyPrint URL fetcher (class) limited to data: URIs and `packaged_asset`; one is made
    for each PDF, as a fetcher keeps state while it fetches."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class PackagedAssetsOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if urlsplit(url).scheme.lower() == "data":
                return super().fetch(url, headers)  # decoded from the URI itself
            path = packaged_asset(url)
            content_type = {"Content-Type": ASSET_TYPES[path.suffix.lower()]}
            return URLFetcherResponse(url, path.read_bytes(), content_type)

    return PackagedAssetsOnly


def _leave_out_attachments(document: Any) -> None:
    attached = len(document.metadata.attachments)
    document.metadata.attachments = []
    for page in document.pages:
        links = [link for link in page.links if link[0] != "attachment"]
        attached += len(page.links) - len(links)
        page.links = links
    if attached:
        logger.warning(
            "PDF rendering left out %d attached file(s): a letter or report attaches nothing",
            attached,
        )
