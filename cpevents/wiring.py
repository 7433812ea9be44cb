"""Who reacts to whom, in one place, called once by create_app.

A lower package never imports a higher one (CONVENTIONS.md, "Layers"). When it must let higher
packages react (a merge of two young people's records, a file accepted for judging, a nomination
withdrawn or a draft deleted), it sends a blinker signal; the higher package keeps its receivers
and a `connect_signals()` that connects them. The cached page parts' watch lists
(cpevents/core/cache.py) are registered the same way, by each package's `watch_data()`.

Nothing here depends on which modules happen to have been imported: every connection is made
here, explicitly. Connecting twice (create_app in each test) is harmless: blinker keeps one
connection per receiver, and `watch` keeps a set.
"""

from __future__ import annotations


def wire() -> None:
    from cpevents.achievements import services as achievements
    from cpevents.invitations import services as invitations
    from cpevents.judging import queries as judging_queries
    from cpevents.judging import services as judging
    from cpevents.nominations import queries as nominations_queries
    from cpevents.nominations import review
    from cpevents.reports import queries as reports_queries

    # Merges of young people's records: each package moves the rows it attached to the merged
    # record (young_people.services.MERGE_HANDLERS lists every foreign key and who deals with it).
    review.connect_signals()
    achievements.connect_signals()
    invitations.connect_signals()
    # Judging hears about files accepted again and nominations withdrawn from a file.
    judging.connect_signals()
    # Data versions behind cached page parts.
    nominations_queries.watch_data()
    judging_queries.watch_data()
    reports_queries.watch_data()
