"""Substring search on enterprise names at city scale (200,000+ names, most of them Chinese).

``LIKE '%鼎盛%'`` scans every row, and PostgreSQL's trigram index cannot help a two-character
query, which is what people type in Chinese. So each name is also stored as its set of
character bigrams (``武汉鼎盛`` → 武汉, 汉鼎, 鼎盛): a query of two or more characters is looked up
by its own bigrams through the primary key, and the few candidates are re-checked with LIKE.
A one-character query falls back to the scan. The same table works on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, func, insert, select
from sqlalchemy.orm import Session

from registry.enterprises.models import Enterprise, EnterpriseNameGram


def grams(text: str) -> set[str]:
    """The distinct bigrams of ``text`` (lower-cased, spaces dropped)."""
    cleaned = "".join(text.lower().split())
    return {cleaned[i : i + 2] for i in range(len(cleaned) - 1)}


def index(session: Session, names: Iterable[tuple[int, str]]) -> None:
    """Add the bigrams of new names: ``(enterprise id, name)`` pairs."""
    pairs = [(g, eid) for eid, name in names for g in grams(name)]
    if len(pairs) > 1000 and session.get_bind().dialect.name == "postgresql":
        # An import of 10,000 names is ~150,000 rows: COPY, in the session's own transaction.
        driver = session.connection().connection.driver_connection
        with (
            driver.cursor() as cursor,
            cursor.copy("COPY enterprise_name_gram (gram, enterprise_id) FROM STDIN") as copy,
        ):
            for pair in pairs:
                copy.write_row(pair)
        return
    rows = [{"gram": g, "enterprise_id": eid} for g, eid in pairs]
    for start in range(0, len(rows), 5000):
        session.execute(insert(EnterpriseNameGram), rows[start : start + 5000])


def reindex(session: Session, enterprise_id: int, name: str) -> None:
    """Replace the bigrams of a renamed enterprise."""
    session.execute(delete(EnterpriseNameGram).where(EnterpriseNameGram.enterprise_id == enterprise_id))
    index(session, [(enterprise_id, name)])


def rebuild(session: Session) -> int:
    """Rebuild the whole index from the enterprise table (after a bulk load); returns names indexed."""
    session.execute(delete(EnterpriseNameGram))
    count, last = 0, 0
    while True:
        batch = session.execute(
            select(Enterprise.id, Enterprise.name).where(Enterprise.id > last).order_by(Enterprise.id).limit(5000)
        ).all()
        if not batch:
            return count
        index(session, [(eid, name) for eid, name in batch])
        count += len(batch)
        last = batch[-1][0]


# A bigram with more names than this is "broad" (科技, 有限): its names are walked in name order
# instead of being collected and sorted, and the answer's total is counted only up to COUNT_CAP.
BROAD = 2000
COUNT_CAP = 1000


@dataclass(frozen=True)
class NameQuery:
    where: ColumnElement[bool]
    broad: bool


def name_query(session: Session, text: str) -> NameQuery:
    """WHERE clause for names containing ``text`` (case-insensitive), and whether it is broad.

    Candidates come from the query's rarest bigram (each bigram's frequency probed up to BROAD
    rows through the primary key), so a common bigram such as 有限 never has to be read in full;
    LIKE re-checks the candidates."""
    needle = "".join(text.lower().split())
    # ILIKE on PostgreSQL (which its trigram index serves), lower() LIKE lower() on SQLite.
    contains = Enterprise.name.icontains(text.strip(), autoescape=True)
    wanted = sorted(grams(needle))
    if not wanted:
        return NameQuery(where=contains, broad=True)
    frequency = {}
    for gram in wanted:
        probe = select(EnterpriseNameGram.enterprise_id).where(EnterpriseNameGram.gram == gram).limit(BROAD)
        frequency[gram] = session.scalar(select(func.count()).select_from(probe.subquery())) or 0
    rarest = min(wanted, key=lambda g: frequency[g])
    if frequency[rarest] >= BROAD:
        # Every bigram is common: matches are dense, so LIKE on names walked in order finds a
        # page quickly, while collecting the candidates would read thousands of index rows.
        return NameQuery(where=contains, broad=True)
    candidates = select(EnterpriseNameGram.enterprise_id).where(EnterpriseNameGram.gram == rarest)
    return NameQuery(where=Enterprise.id.in_(candidates) & contains, broad=False)
