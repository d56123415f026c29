"""待办: one inbox for every role, gathered from SOURCES, one function per domain.

The interface (other domains plug in with one line in ``tasks/inbox/service.py``'s ``SOURCES``)::

    # tasks/<domain>/inbox.py
    from tasks.inbox.schemas import InboxItem

    def items(session: Session, *, actor: Actor, today: date) -> list[InboxItem]:
        '''What ``actor`` must do in this domain (their unit, streets, role decide), due dates
        from the domain's own rule; never commits, never calls another service.'''
        return [
            InboxItem(
                kind="part",                     # the source's kind (below)
                title="报送“……”本单位进展",       # Chinese, says what to do
                due_date=part.due_date,          # None when there is no deadline
                overdue=part.due_date < today,
                link=f"/tasks/{part.task_id}",   # an SPA route where it is done (frontend/src/router)
                source_id=str(part.id),          # stable id within the kind
            )
            for part in ...
        ]

    # tasks/inbox/service.py
    SOURCES = [
        ...,
        Source("part", "进展报送", parts_inbox.items),   # ← the one line
    ]

Rules every source keeps: scoped to the actor (a unit sees only what its units must do; the
bureau sees what the 督办单位 must do), cheap (one or two indexed queries: the badge count runs
every source), the link must open a page that lets the user act (tests/tasks/test_inbox.py checks
every link against the SPA's routes). Items are sorted by the service (overdue first, then by
due date), so a source returns them in any order.

Items of other services (registry's failed imports, metrics' failed batches) are not gathered
here: each service answers ``GET /api/<svc>/inbox`` in the same shape and the SPA merges the
three lists, so a service that is down hides only its own items (see README "待办").
"""
