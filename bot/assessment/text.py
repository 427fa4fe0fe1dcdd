"""Text normalisation shared by the scorers: folding, tokens, stems and stop words."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)
_BRITISH_OUR = re.compile(r"our$")
_BRITISH_ISE = re.compile(r"is(e|ed|es|ing|ation|ations)$")
_STEMMER = snowballstemmer.stemmer("english")

_STOP = """
a an the and or but if then else of to in on at by for with from into onto about as is
are was were be been being am do does did done doing have has had having it its it's
this that these those there here i me my mine we us our you your yours he him his she
her they them their what which who whom whose when where why how not no nor so than too
very can could will would shall should may might must also just only own same such both
each few more most other some any all s t don't doesn't didn't isn't aren't wasn't
weren't i'd i'm you're we're they're it'll we'll you'll let's up out over under again
further once because while during before after above below between through until against
off per via
"""
STOP_WORDS = frozenset(_STOP.split())
NEGATIONS = frozenset({"not", "no", "never", "none", "nothing", "cannot", "can't", "don't"})


def fold(text: str) -> str:
    """NFKC, case-folded, with typographic quotes and dashes made plain."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return text.replace("–", "-").replace("—", "-").casefold()


@lru_cache(maxsize=1024)
def _words(text: str) -> tuple[str, ...]:
    """`words`, kept for texts seen again (an answer is read by several scorers)."""
    return tuple(_WORD.findall(fold(text)))


def words(text: str) -> list[str]:
    """The words of a text, folded, in order."""
    return list(_words(text))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A stem that also makes British and American spellings meet (behaviour, behavior)."""
    word = word.replace("'", "").replace("-", "")
    if len(word) > 4:
        word = _BRITISH_ISE.sub(r"iz\1", _BRITISH_OUR.sub("or", word))
    return str(_STEMMER.stemWord(word))


@lru_cache(maxsize=1024)
def _content_stems(text: str) -> tuple[str, ...]:
    """`content_stems`, kept like `_words`."""
    return tuple(stem(w) for w in _words(text) if w not in STOP_WORDS)


def content_stems(text: str) -> list[str]:
    """Stems of the words that carry meaning (no stop words), in order."""
    return list(_content_stems(text))
