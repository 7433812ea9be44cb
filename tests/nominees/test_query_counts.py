"""Issue 19: the letters page for nominees without email runs as many SQL statements for 8 letters
as for 2 (the young people and events named on it come in the list's own query)."""

from __future__ import annotations

from cpevents.core.enums import Role
from cpevents.extensions import db
from cpevents.nominees.models import NomineeNotice, NoticeState
from tests.factories import make_user, queries_for, sign_in
from tests.judging.helpers import accepted_file
from tests.nominations.test_journey import open_event


def _letters(organiser, start, n):
    for i in range(start, start + n):
        file = accepted_file(open_event(), organiser, first=f"Letter{i}", last=f"Person{i}")
        db.session.add(NomineeNotice(file_id=file.id, state=NoticeState.LETTER_TO_HAND))
    db.session.commit()


def test_letters_to_nominees_do_not_grow_with_letters(client):
    organiser = make_user(Role.ORGANISER, totp=True)
    _letters(organiser, 0, 2)
    sign_in(client, organiser)
    few = queries_for(client, "/nominees/letters")
    _letters(organiser, 2, 6)
    assert queries_for(client, "/nominees/letters") == few
    assert "Letter7 Person7" in client.get("/nominees/letters").get_data(as_text=True)
