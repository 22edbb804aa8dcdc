"""The one rule for writing an IRI into query text: which IRIs may go between `<` and `>` unchanged.

An IRI from data or from a URL is written into the queries the pages make (labels, descriptions); one
holding a character the IRIREF production forbids could end the IRI early and change the query, so
such an IRI is never written.
"""

from __future__ import annotations

import re

_SAFE_IRI = re.compile(r'^[^<>"{}|^`\\\x00-\x20]+$')


def safe_iri(iri: str) -> bool:
    """Whether an IRI can be written between <> in a query without changing its meaning."""
    return bool(_SAFE_IRI.match(iri))
