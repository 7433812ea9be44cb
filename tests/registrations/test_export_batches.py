"""The registrations download streams in batches (issue 19): every registration once, in list order."""

from __future__ import annotations

import csv
import io

from cpevents.core.enums import Role
from cpevents.extensions import db
from cpevents.registrations import queries
from cpevents.registrations.services import register
from tests.factories import make_user, sign_in
from tests.registrations.helpers import audiences, details, make_event


def test_the_registrations_download_has_everyone_once_in_list_order_over_several_batches(client, monkeypatch):
    monkeypatch.setattr(queries, "EXPORT_BATCH", 2)
    event, _ = make_event(professionals=3, councillors=2)
    professionals, councillors = audiences(event)
    names = [f"Batch Person {i}" for i in range(7)]
    for i, name in enumerate(names):
        register(event, professionals if i < 5 else councillors, details(name=name))  # two professionals wait
    db.session.commit()
    expected = [r.name for r in queries.registrations(event)]
    sign_in(client, make_user(Role.ORGANISER, totp=True))
    response = client.get(f"/events/{event.public_id}/registrations.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="registrations.csv"'
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Audience", "Status", "Name"]
    assert [r[2] for r in rows[1:]] == expected and sorted(expected) == sorted(names)
    assert sum(r[1] == "Waiting list" or "wait" in r[1].lower() for r in rows[1:]) == 2
