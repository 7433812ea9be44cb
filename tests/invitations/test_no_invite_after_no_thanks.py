"""No invitation after "no thanks" (issue 16, part A): a young person who said no thanks to their
nomination for an event is never invited to it, one by one or from the shortlist, and the
organiser is told why."""

from __future__ import annotations

import pytest
from flask import current_app
from sqlalchemy import select

from cpevents.extensions import db
from cpevents.invitations import services
from cpevents.invitations.models import Invitation
from cpevents.judging.models import DecisionKind
from cpevents.judging.services import create_panel, decide
from cpevents.nominees import services as nominees
from tests.factories import post_form, sign_in
from tests.nominations.test_journey import open_event
from tests.nominees.helpers import accept, file_to_accept


def _shortlisted_then_no_thanks():
    event = open_event()
    kai, organiser, _ = file_to_accept(event=event)
    zara, _, _ = file_to_accept(event=event, first="Zara", email="zara@example.org")
    for file in (kai, zara):
        accept(file, organiser)
    panel = create_panel(event, by=organiser)
    for file in (kai, zara):
        decide(panel, file, DecisionKind.SHORTLIST, True, "Strong file", by=organiser)
    db.session.commit()
    with current_app.test_request_context():
        nominees.say_no_thanks(kai)
    db.session.commit()
    return event, organiser, kai, zara


def _invited(event) -> list[int]:
    return list(db.session.execute(select(Invitation.young_person_id).where(Invitation.event_id == event.id)).scalars())


def test_the_service_refuses_one_by_one_and_leaves_them_off_the_shortlist(app):
    event, organiser, kai, zara = _shortlisted_then_no_thanks()
    with pytest.raises(services.InviteRefused, match="said no thanks"):
        services.invite(event, kai.young_person, by=organiser)
    result = services.invite_shortlist(event, by=organiser)
    db.session.commit()
    assert result.added == 1 and result.said_no_thanks == [kai.young_person]
    assert _invited(event) == [zara.young_person_id]
    # another event is not affected
    other = open_event(name="Care Leavers' Week")
    assert services.invite(other, kai.young_person, by=organiser) is not None


def test_the_organiser_is_told_clearly(client):
    event, organiser, kai, zara = _shortlisted_then_no_thanks()
    sign_in(client, organiser)
    response = post_form(client, f"/events/{event.public_id}/invitations/add", {"person": kai.young_person.public_id},
                         get_path=f"/events/{event.public_id}/invitations/add")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Kai Mensah said no thanks to being nominated for this event, so they cannot be invited to it" in page
    assert _invited(event) == []
    response = post_form(client, f"/events/{event.public_id}/invitations/add-shortlist", {}, get_path=f"/events/{event.public_id}/invitations")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 young person added from the shortlist" in page and "Kai Mensah said no thanks" in page
    assert _invited(event) == [zara.young_person_id]
