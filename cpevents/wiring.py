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
    from cpevents.accounts.services import mark_address_undeliverable
    from cpevents.achievements import services as achievements
    from cpevents.events.signals import event_created, event_page
    from cpevents.feedback import services as feedback
    from cpevents.home.event_tasks import event_page_stages
    from cpevents.invitations import services as invitations
    from cpevents.judging import queries as judging_queries
    from cpevents.judging import services as judging
    from cpevents.mail.signals import address_refused, number_refused
    from cpevents.nominations import queries as nominations_queries
    from cpevents.nominations import review
    from cpevents.nominees import services as nominees
    from cpevents.notices import services as notices
    from cpevents.registrations.queries import event_page_audiences
    from cpevents.registrations.services import audiences_for_new_event
    from cpevents.reports import queries as reports_queries
    from cpevents.young_people import services as young_people_services
    from cpevents.young_people.services import mark_number_refused

    # The outbox tells accounts when an address refuses mail; a new event asks registrations for
    # its default audiences; the event page asks registrations and home for their parts.
    address_refused.connect(mark_address_undeliverable)
    number_refused.connect(mark_number_refused)  # issue 17: Notify refused a mobile number
    event_created.connect(audiences_for_new_event)
    event_page.connect(event_page_audiences)
    event_page.connect(event_page_stages)

    # Merges of young people's records: each package moves the rows it attached to the merged
    # record (young_people.services.MERGE_HANDLERS lists every foreign key and who deals with it).
    review.connect_signals()
    achievements.connect_signals()
    invitations.connect_signals()
    # Judging hears about files accepted again and nominations withdrawn from a file.
    judging.connect_signals()
    # Nominees are told (or wait) when their file is accepted for judging, and hear the shortlist
    # decision when judging releases it (judging.services.shortlist_released).
    nominees.connect_signals()
    # Letters for young people without email (issue 17): each package that owns a personal link
    # prints its letters again with a fresh link (young_people.letters.REPRINTERS).
    feedback.connect_signals()
    notices.connect_signals()
    # Data versions behind cached page parts.
    nominations_queries.watch_data()
    judging_queries.watch_data()
    reports_queries.watch_data()
    young_people_services.watch_data()
