"""The documentation holds together: every relative link in README.md, docs/ and
benchmarks/README.md leads to a file that exists (and, with a #fragment, to a heading of that
page), the README stays a short front door that opens with the two set-up commands, and no page
cites a design note that is not in the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(
    [ROOT / "README.md", ROOT / "benchmarks" / "README.md", *(ROOT / "docs").glob("*.md")]
)
README_MOST_LINES = 150

FENCED_BLOCK = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK_TARGET = re.compile(r"\]\(\s*([^)\s]+)(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def prose(text: str) -> str:
    """The page without its code: links written inside code are examples, not links."""
    return INLINE_CODE.sub("", FENCED_BLOCK.sub("", text))


def slug(heading: str) -> str:
    """The fragment GitHub gives a heading: its text lower-cased, without punctuation other than
    hyphens and underscores, spaces made hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "")
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def fragments(page: Path) -> set[str]:
    """Every fragment the page's headings give (a repeated heading gets -1, -2...)."""
    seen: dict[str, int] = {}
    found = set()
    for heading in HEADING.findall(FENCED_BLOCK.sub("", page.read_text(encoding="utf-8"))):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def relative_links(page: Path) -> list[str]:
    return [
        target
        for target in LINK_TARGET.findall(prose(page.read_text(encoding="utf-8")))
        if not EXTERNAL.match(target)
    ]


def broken(page: Path, target: str) -> str | None:
    """Why the link `target` on `page` leads nowhere, or None when it leads somewhere."""
    path_part, _, fragment = target.partition("#")
    destination = (page.parent / path_part).resolve() if path_part else page
    if not destination.is_relative_to(ROOT):
        return "it leads outside the repository"
    if not destination.exists():
        return f"{destination.relative_to(ROOT)} does not exist"
    if fragment and destination.suffix == ".md" and fragment not in fragments(destination):
        return f"{destination.relative_to(ROOT)} has no heading #{fragment}"
    return None


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file_that_exists(page: Path) -> None:
    problems = [
        f"{target}: {why}"
        for target in relative_links(page)
        if (why := broken(page, target)) is not None
    ]
    assert problems == []


def test_the_docs_folder_has_pages_to_check() -> None:
    assert len(PAGES) > 10
    assert all(relative_links(page) for page in PAGES if page.name == "README.md")


def test_the_readme_is_a_short_front_door_opening_with_the_two_commands() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) < README_MOST_LINES
    opening = [line for line in lines[1:] if line.strip()][:3]
    assert opening[0].startswith("```")
    assert opening[1].startswith("make run")
    assert opening[2].startswith("make test")


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_no_page_cites_a_design_note_outside_the_repository(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert "DESIGN.md" not in text
    assert "STYLE.md" not in text
