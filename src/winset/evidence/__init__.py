"""Evidence from the news: ingest articles, clean them, extract what bears on a scenario.

The pipeline, one module each:

* :mod:`.sources` reads files, folders and http(s) URLs, refusing bad input;
* :mod:`.clean` and :mod:`.rules` re-join wrapped lines, find the title and standfirst, and
  remove publisher boilerplate by rules kept in YAML (``data/cleaning.yaml``, extendable);
* :mod:`.html` extracts a page's article with trafilatura; :mod:`.article` adds metadata;
* :mod:`.extract` finds entities (gazetteer, :mod:`.gazetteer`; spaCy model, :mod:`.nlp`;
  or fallback rules), figures and quotes; :mod:`.stance` finds stance sentences;
* :mod:`.ingest` runs it all and stores documents (:mod:`winset.store`);
* :mod:`.linking` ties a scenario's inputs to sentences; :mod:`.draft` proposes a scenario;
* :mod:`.commands` is what the CLI calls. See ``docs/evidence.md``.

Importing this package loads neither spaCy nor trafilatura; they load when first needed.
"""

from winset.evidence.commands import draft, evidence_report, ingest
from winset.evidence.ingest import IngestError, Pipeline
from winset.evidence.model import Article, Document, Entity, Extraction, Figure, Quote, Stance

__all__ = [
    "Article",
    "Document",
    "Entity",
    "Extraction",
    "Figure",
    "IngestError",
    "Pipeline",
    "Quote",
    "Stance",
    "draft",
    "evidence_report",
    "ingest",
]
