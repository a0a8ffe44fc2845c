"""Text normalisation shared by unit matching, header matching and choice matching, and the cleaning of
free text.

Two rules, one per use:
- `normalise` (names, matching keys, headers, choices): NFKC (full-width → half-width), curly quotes →
  straight, every invisible character dropped (control characters other than tab, LF and CR, format
  characters — zero-width space/joiners, BOM, soft hyphen, bidi marks/overrides/isolates — surrogates,
  variation selectors and the other default-ignorable code points), white space runs → one space, trimmed.
  “城<U+200B>关街道” therefore is “城关街道”, and can never become a second unit that looks the same.
- `clean_text` (free text kept as typed): only what no document can hold is dropped — control characters
  except tab and line breaks, lone surrogates and the non-characters U+FFFE/U+FFFF. Format characters stay
  (a ZWJ inside an emoji, a bidi mark in mixed-script text are part of what was typed).
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"'})

# Control characters other than tab, LF and CR (which, like all white space, collapse to one space).
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
# Format characters (general category Cf, Unicode 15; a test checks this Python's table is covered).
_FORMAT = ("\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
           "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
           "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f")
# Other default-ignorable code points (combining grapheme joiner, Hangul fillers, variation selectors …),
# lone surrogates and the non-characters U+FFFE/U+FFFF.
_IGNORABLE = ("\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180d\u180f\u3164\ufe00-\ufe0f\uffa0\ufff0-\ufff8"
              "\U000e0000-\U000e0fff\ud800-\udfff\ufffe\uffff")
_INVISIBLE = re.compile(f"[{_CONTROL}{_FORMAT}{_IGNORABLE}]+")
# What free text cannot keep: control characters except tab, LF and CR; surrogates; U+FFFE/U+FFFF.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]+")


def has_invisible(text) -> bool:
    """Whether `text` holds a character that `normalise` drops as invisible (tab, LF, CR and spaces aside)."""
    return isinstance(text, str) and _INVISIBLE.search(text) is not None


def strip_invisible(text: str) -> str:
    """`text` without its invisible characters (white space is kept)."""
    return _INVISIBLE.sub("", text)


def normalise(text) -> str:
    """NFKC, curly quotes → straight, invisible characters dropped, runs of white space → one space, trimmed."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFKC", strip_invisible(str(text)))
    text = strip_invisible(text).translate(_QUOTES)  # (NFKC never makes one, but the key must be exact)
    return _SPACES.sub(" ", text).strip()


def match_key(text) -> str:
    """A key for matching headers and choices: normalised, without any spaces, case-folded."""
    return normalise(text).replace(" ", "").casefold()


def clean_text(text: str) -> str:
    """Free text as typed, minus the characters that no .xlsx, .docx or database text can hold."""
    return _UNSTORABLE.sub("", text)


def needs_cleaning(text: str) -> bool:
    """Whether `clean_text` or `normalise` would drop anything from `text` (white space aside). What
    `clean_text` drops is a part of what `normalise` drops (a test checks it), so one search answers both."""
    return _INVISIBLE.search(text) is not None


def visible(text: str) -> str:
    """`text` with each invisible or unstorable character shown as <U+XXXX>, for messages to the clerk."""
    def show(match):
        return "".join(f"<U+{ord(ch):04X}>" for ch in match.group())
    return _UNSTORABLE.sub(show, _INVISIBLE.sub(show, text))
