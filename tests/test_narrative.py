"""The text people write in a letter becomes HTML in a small set of tags and nothing else: no
other tag, no attribute, and HTML typed in shows as the text it is."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from complaints.letters.narrative import ALLOWED_TAGS, narrative_html

# Text made of the characters Markdown and HTML give meaning to, and a few words, so the
# generated text often looks like markup of either kind.
MARKUP_PIECES = st.sampled_from(
    [
        "<",
        ">",
        "&",
        '"',
        "'",
        "=",
        "/",
        "*",
        "_",
        "-",
        "1.",
        "#",
        "`",
        "[",
        "]",
        "(",
        ")",
        "!",
        "\n",
        "\n\n",
        " ",
        "    ",
        "\\",
        "script",
        "img src=x onerror=alert(1)",
        "a href=javascript:alert(1)",
        "style",
        "iframe",
        "<!--",
        "-->",
        "<![CDATA[",
        "&lt;",
        "&#60;",
        "javascript:",
        "word",
    ]
)
WRITTEN = st.one_of(
    st.lists(MARKUP_PIECES, max_size=40).map("".join),
    st.text(max_size=300),
)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.tags.append(tag)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def unknown_decl(self, data: str) -> None:
        self.comments.append(data)


def parsed(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


@given(WRITTEN)
def test_no_output_holds_a_tag_outside_the_allowed_set_or_any_attribute(text: str) -> None:
    found = parsed(str(narrative_html(text)))
    assert set(found.tags) <= ALLOWED_TAGS
    assert found.attributes == [] and found.comments == []


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_a_script_typed_anywhere_in_the_text_is_shown_escaped(words: str) -> None:
    html = str(narrative_html(f"{words} <script>alert('hi')</script>"))
    assert "<script" not in html and "&lt;script&gt;" in html


def test_the_markdown_subset_becomes_paragraphs_lists_emphasis_and_line_breaks() -> None:
    html = str(
        narrative_html(
            "First line\nsecond line\n\n- one\n- two\n\n1. first\n2. *second*\n\n**Yes**"
        )
    )
    assert "<p>First line<br>\nsecond line</p>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert "<ol>\n<li>first</li>\n<li><em>second</em></li>\n</ol>" in html
    assert "<p><strong>Yes</strong></p>" in html


def test_links_images_headings_and_raw_html_stay_as_the_text_typed() -> None:
    html = str(narrative_html('# Title\n\n[link](http://x.org) ![i](x.png) <b onclick="x">b</b>'))
    assert "<p># Title</p>" in html
    assert '[link](http://x.org) ![i](x.png) &lt;b onclick="x"&gt;b&lt;/b&gt;' in html


def test_no_text_is_no_html() -> None:
    assert narrative_html("") == "" and narrative_html("  \n ") == "" and narrative_html(None) == ""
