"""The page to return to after signing in is always a page on this site, whatever the link
says: judged as a browser would read it (tabs, line breaks and control characters dropped, a
backslash taken for a slash), never another site."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from hypothesis import example, given
from hypothesis import strategies as st

from web.security import safe_next

_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))
_DROPPED_ANYWHERE = str.maketrans("", "", "\t\n\r")
ADDRESS_PARTS = st.sampled_from(
    ["/", "//", "\\", "\t", "\n", "\r", "\x00", "\x0b", "\x7f", "\x85", " ", ":", "@", "%09",
     "http", "https:", "evil.example", ".", "?", "#", "cases", "／"]
)  # fmt: skip


def as_a_browser_reads(address: str) -> str:
    """The address a browser follows (the WHATWG URL standard): C0 controls and spaces trimmed
    from the ends, tabs and line breaks dropped anywhere, backslashes read as slashes."""
    return address.strip(_C0_AND_SPACE).translate(_DROPPED_ANYWHERE).replace("\\", "/")


@given(st.lists(ADDRESS_PARTS | st.text(max_size=3), max_size=8).map("".join))
@example("/\t/evil.example")
@example("/\\evil.example")
@example(" //evil.example")
@example("//／")  # a host that NFKC normalisation turns into a path: urlsplit refuses it
def test_a_return_address_followed_is_always_a_path_on_this_site(target: str) -> None:
    followed = safe_next(target)
    if followed is None:
        return
    read = urlsplit(as_a_browser_reads(followed))
    assert (read.scheme, read.netloc) == ("", "")
    assert read.path.startswith("/") and not read.path.startswith("//")
    assert not any(unicodedata.category(character) == "Cc" for character in followed)


def test_a_path_on_this_site_is_followed_as_it_is() -> None:
    assert safe_next("/cases?team=2#list") == "/cases?team=2#list"
    assert safe_next("/cases/CF-2026-000001") == "/cases/CF-2026-000001"
