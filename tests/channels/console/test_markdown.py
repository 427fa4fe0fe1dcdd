"""The terminal shows Markdown rendered, never its syntax: headings underlined, emphasis as
bold and italics, code indented and kept exactly, lists and quotes indented."""

from __future__ import annotations

from bot.channels.console.markdown import Style, to_terminal
from bot.channels.console.render import render_message
from bot.content import Catalog
from bot.learning.screens import lesson_page

LONG = "    return escape(value)  # a line longer than the terminal, which must never be re-flowed"
SAMPLE = f"""## Validate early

Check input **before** use, *every* time; see [OWASP](https://owasp.org).

```python
def clean(value):
{LONG}
```

- parse, don't validate
- reject early

> Trust nothing.
"""


def test_headings_code_and_emphasis_are_rendered_not_printed_raw() -> None:
    shown = to_terminal(SAMPLE)
    assert "##" not in shown and "```" not in shown and "**" not in shown
    lines = shown.splitlines()
    heading = lines.index("Validate early")
    assert set(lines[heading + 1]) == {"─"}, "the heading is underlined"
    assert "    def clean(value):" in lines and "    " + LONG in lines, "code kept, indented"
    assert "Check input before use, every time; see OWASP (https://owasp.org)." in lines
    assert "• parse, don't validate" in lines and "│ Trust nothing." in lines


def test_a_colour_terminal_shows_emphasis_in_bold_and_italics() -> None:
    shown = to_terminal("Check **before** use, *every* time.", style=Style.ansi())
    assert shown == "Check \x1b[1mbefore\x1b[22m use, \x1b[3mevery\x1b[23m time."


def test_a_bundled_lesson_reads_cleanly_in_the_terminal(catalog: Catalog) -> None:
    program = catalog.programs["secure-coding"]
    for lesson in program.lessons.values():
        for page in range(len(lesson.pages)):
            text = render_message(lesson_page(program, lesson, page, 1))
            assert "```" not in text and "\n## " not in text and "**" not in text, lesson.id
