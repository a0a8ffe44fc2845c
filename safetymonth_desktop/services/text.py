"""Text normalisation shared by unit matching, header matching and choice matching."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"'})


def normalise(text) -> str:
    """Trim, full-width → half-width (NFKC), curly quotes → straight, runs of white space → one space."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFKC", str(text)).translate(_QUOTES)
    return _SPACES.sub(" ", text).strip()


def match_key(text) -> str:
    """A key for matching headers and choices: normalised, without any spaces, case-folded."""
    return normalise(text).replace(" ", "").casefold()
