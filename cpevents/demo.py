"""`flask seed-demo`: demo data so a newcomer sees a living system. Idempotent.

Demo passwords exist only here, and the command refuses to run in production.
Later features add their own demo data to seed_demo().
"""

from __future__ import annotations

import json
from datetime import UTC, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from cpevents.accounts.models import User, existing_user, user_by_email
from cpevents.accounts.passwords import hash_password
from cpevents.config import demo_allowed
from cpevents.core.checks import known
from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.extensions import db

# email, name, organisation, job title, roles, password, fixed TOTP secret (or None)
DEMO_ACCOUNTS = [
    ("organiser@demo.example.org", "Olivia Organiser", "Participation and children's rights team", "Participation officer", [Role.ORGANISER], "demo organiser password", "JBSWY3DPEHPK3PXPORGANISERDEMO234"),
    ("nominator@demo.example.org", "Nadia Nominator", "Children's social care", "Social worker", [Role.NOMINATOR], "demo nominator password", None),
    ("judge@demo.example.org", "Jamal Judge", "Corporate Parenting Board", "Panel member", [Role.JUDGE], "demo judge password", None),
    ("young.judge@demo.example.org", "Yasmin", "Children in Care Council", "Young judge (care-experienced)", [Role.JUDGE], "demo young judge password", None),
    ("champion@demo.example.org", "Chris Champion", "Libraries", "Library service manager", [Role.CHAMPION], "demo champion password", None),
    ("board@demo.example.org", "Bea Board", "Corporate Parenting Board", "Councillor", [Role.BOARD], "demo board password", "JBSWY3DPEHPK3PXPBOARDDEMO2345672"),
    ("door@demo.example.org", "Dan Door", "Volunteer", "Door helper", [Role.DOOR_HELPER], "demo door helper password", None),
    # Registered herself from an address the council does not know yet: waiting for approval.
    ("pat.pending@example.net", "Pat Pending", "Sunrise Fostering Agency", "Supervising social worker", [Role.NOMINATOR], "demo pending password", None),
]

PENDING_EMAIL = "pat.pending@example.net"
# The trusted email domain of the demo (a council's own domain in real life).
DEMO_DOMAIN = ("demo.example.org", "Demo council staff")

YOUNG_JUDGE_EMAIL = "young.judge@demo.example.org"


FIRST_NAMES = [
    "Aaliyah", "Ade", "Alfie", "Amara", "Amelia", "Archie", "Ava", "Bella", "Caleb", "Chloe", "Daisy", "Danny", "Ellie", "Ethan",
    "Evie", "Finley", "Freya", "George", "Grace", "Harley", "Harry", "Imani", "Isaac", "Isla", "Jack", "Jayden", "Jess", "Kai",
    "Kayla", "Leo", "Lily", "Logan", "Maisie", "Mason", "Mia", "Mohammed", "Nia", "Noah", "Olivia", "Oscar", "Poppy", "Reece",
    "Riley", "Ruby", "Sami", "Sienna", "Tyler", "Zara", "Zain", "Theo",
]
LAST_NAMES = [
    "Adeyemi", "Ahmed", "Baker", "Bennett", "Brown", "Campbell", "Carter", "Clarke", "Davies", "Evans", "Fletcher", "Green",
    "Hall", "Hughes", "Jackson", "Jones", "Khan", "Kowalski", "Lewis", "Mensah", "Mitchell", "Morgan", "Murphy", "Nowak",
    "Okafor", "Patel", "Price", "Roberts", "Robinson", "Shaw", "Singh", "Taylor", "Thomas", "Walker", "Ward", "Wilson", "Wright",
]
# The names some young people go by (shown instead of their first name).
NICKNAMES = {
    "Aaliyah": "Liyah", "Amelia": "Millie", "Caleb": "Cal", "Chloe": "Clo", "Danny": "Dan", "Finley": "Finn", "George": "Georgie",
    "Grace": "Gracie", "Harry": "Haz", "Isaac": "Zac", "Jayden": "Jay", "Kayla": "Kay", "Maisie": "Mais", "Mohammed": "Mo",
    "Olivia": "Liv", "Oscar": "Oz", "Poppy": "Pops", "Tyler": "Ty", "Zara": "Zee",
}
DISTRICTS = ["North District", "South District", "East District", "West District", "Riverside", "Hillside", "Market Town"]
DEMO_BATCH = "PROUD Awards 2026 invitations (demo)"


def _seed_young_people(organiser: User, nominator: User) -> int:
    """About 100 fictional young people aged 11 to 25, linked to the demo nominator."""
    import random
    from datetime import timedelta

    from cpevents.young_people.models import (
        CareStatus,
        NameShown,
        WorkerRelationship,
        YoungPerson,
        YoungPersonWorker,
        normalise_name,
    )

    existing = db.session.execute(db.select(db.func.count()).select_from(YoungPerson).where(YoungPerson.created_by_id == organiser.id)).scalar_one()
    if existing:
        _renew_demo_links(organiser)
        return existing
    rng = random.Random(2026)  # noqa: S311 - repeatable demo data, not a secret
    today = utcnow().date()
    people = []
    for i in range(100):
        age_days = rng.randint(11 * 365 + 10, 25 * 365 + 300)
        dob = today - timedelta(days=age_days)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        care_status = CareStatus.CARE_LEAVER if (today - dob).days > 18 * 365 else CareStatus.IN_CARE
        person = YoungPerson(
            first_name=first,
            last_name=last,
            preferred_name=rng.choice(["", "", "", "", NICKNAMES.get(first, "")]) if len(first) > 4 else "",
            date_of_birth=dob,
            care_status=care_status,
            district=rng.choice(DISTRICTS),
            email=f"{first.lower()}.{last.lower()}{i}@young.example.org" if rng.random() < 0.3 else "",
            name_shown=NameShown.FULL_NAME if rng.random() < 0.2 else NameShown.FIRST_NAME,
            do_not_publish=i % 17 == 3,
            contact_restriction=i % 23 == 5,
            contact_restriction_note="Birth family member must not know about events (demo note)" if i % 23 == 5 else "",
            created_by_id=organiser.id,
        )
        person.match_key = normalise_name(first + last)
        if i < 40:
            person.worker_links.append(YoungPersonWorker(user_id=nominator.id, relationship_type=rng.choice(list(WorkerRelationship)), linked_by_id=organiser.id))
        people.append(person)
    # Two deliberate near-duplicates, so the duplicates page has something to show.
    twin = people[0]
    people.append(YoungPerson(first_name=twin.first_name, last_name=twin.last_name, date_of_birth=twin.date_of_birth, care_status=twin.care_status,
                              district="", match_key=twin.match_key, created_by_id=organiser.id))
    other = people[1]
    people.append(YoungPerson(first_name=other.first_name + "e", last_name=other.last_name, date_of_birth=other.date_of_birth, care_status=other.care_status,
                              district=other.district, match_key=normalise_name(other.first_name + "e" + other.last_name), created_by_id=organiser.id))
    db.session.add_all(people)
    db.session.flush()
    return len(people)


def _seed_emails(organiser: User) -> None:
    """A batch of already-sent demo email and one failed message, for the email page."""
    from cpevents.mail.models import EmailBatch, MessageStatus
    from cpevents.mail.services import queue_email, start_batch

    if db.session.execute(db.select(EmailBatch).where(EmailBatch.name == DEMO_BATCH)).first():
        return
    batch = start_batch(DEMO_BATCH, by=organiser)
    now = utcnow()
    for i in range(12):
        message = queue_email("demo/invitation", to=f"guest{i + 1}@young.example.org", subject="An invitation for you", batch=batch, first_name=FIRST_NAMES[i])
        message.status, message.sent_at, message.attempts = MessageStatus.SENT, now, 1
    failed = queue_email("demo/invitation", to="no-such-mailbox@young.example.org", subject="An invitation for you", batch=batch, first_name="Sami")
    failed.status, failed.attempts, failed.undeliverable = MessageStatus.FAILED, 1, True
    failed.last_error = "The receiving mail server refused this address"
    db.session.flush()


def _seed_events(organiser: User) -> None:
    """A PROUD Awards evening about four months away, with its categories and an open window."""
    from datetime import datetime, time, timedelta

    from cpevents.core.time import LONDON
    from cpevents.events.models import Event, EventKind
    from cpevents.events.services import create_event, set_window

    name = "PROUD Awards (demo)"
    if db.session.execute(db.select(Event).where(Event.name == name)).first():
        return
    today = utcnow().astimezone(LONDON).date()
    starts = datetime.combine(today + timedelta(days=120), time(18, 30), tzinfo=LONDON).astimezone(UTC)
    event = create_event(kind=EventKind.PROUD_AWARDS, name=name, starts_at=starts, venue="County Hall, Main Chamber", capacity=180,
                         description=("An evening to celebrate what our children in care and care leavers have achieved this year, with their guests. "
                                      "There are awards, music and a buffet dinner.\n\nIt is free. We can pay for a taxi or train tickets, "
                                      "or someone can meet you at the station. Tell us what you need when you reply."),
                         min_age=11, max_age=25, by=organiser)
    opens = datetime.combine(today - timedelta(days=30), time(0, 0), tzinfo=LONDON).astimezone(UTC)
    closes = datetime.combine(today + timedelta(days=31), time(0, 0), tzinfo=LONDON).astimezone(UTC)
    set_window(event, opens, closes)
    db.session.flush()


ACHIEVEMENTS = [
    "{name} has worked incredibly hard at college this year and passed every module, while also holding down a weekend job.",
    "{name} joined the local football team in September and now captains the under-16s. Their coach says they lift the whole team.",
    "{name} wrote and performed a song at the school concert in front of 300 people. A year ago they would not speak in class.",
    "{name} volunteers every Saturday at the food bank and has trained two other young people to help.",
    "{name} moved into their own flat this year and manages their money, cooking and bills with real pride.",
    "{name} got through a very difficult year with courage and kept going to school almost every day.",
    "{name} painted a mural for the children's centre that everyone who visits now stops to look at.",
]


def _seed_nominations(organiser: User, nominator: User) -> int:
    """About 120 nominations over 90 of the demo young people: some nominated two or three times,
    a few drafts, two with safety answers to review, one file not eligible."""
    import random

    from cpevents.events.models import Event
    from cpevents.nominations.models import Nomination, NominationStatus, YesNo
    from cpevents.nominations.review import mark_not_eligible, match_nomination
    from cpevents.young_people.models import WorkerRelationship, YoungPerson

    event = db.session.execute(db.select(Event).where(Event.name == "PROUD Awards (demo)")).scalar_one()
    existing = db.session.execute(db.select(db.func.count()).select_from(Nomination).where(Nomination.event_id == event.id)).scalar_one()
    if existing:
        return existing
    rng = random.Random(27)  # noqa: S311 - repeatable demo data, not a secret
    people = db.session.execute(db.select(YoungPerson).where(YoungPerson.created_by_id == organiser.id).order_by(YoungPerson.id)).scalars().all()[:90]
    nominators = [nominator] + [
        _demo_worker(f"worker{i}@demo.example.org", name, org)
        for i, (name, org) in enumerate([("Tom Teacher", "Hillside Academy"), ("Fay Foster", "Fostering service"), ("Paul Adviser", "Leaving care team")])
    ]
    leaver_category = next(c for c in event.categories if c.name == "Care leaver of the year")
    others = [c for c in event.categories if c is not leaver_category]
    now = utcnow()
    made = 0
    for index, person in enumerate(people):
        times = 3 if index % 10 == 0 else 2 if index % 4 == 0 else 1
        for k in range(times):
            category = leaver_category if person.care_status.value == "care_leaver" and rng.random() < 0.3 else rng.choice(others)
            by = nominators[(index + k) % len(nominators)]
            flagged = index in (5, 6) and k == 0
            nomination = Nomination(
                event_id=event.id, nominator_id=by.id, category_id=category.id,
                first_name=person.first_name, last_name=person.last_name, date_of_birth=person.date_of_birth,
                care_status=person.care_status, district=person.district,
                relationship_type=rng.choice(list(WorkerRelationship)), worked_with_recently=True,
                achievement=rng.choice(ACHIEVEMENTS).format(name=person.first_or_preferred),
                background="Demo background for organisers only." if rng.random() < 0.3 else "",
                young_person_knows=YesNo.YES, public_concern=YesNo.YES if flagged else YesNo.NO,
                public_concern_details="A family member has contacted the press before (demo)." if flagged else "",
                status=NominationStatus.DRAFT if index % 29 == 7 else NominationStatus.SENT,
                submitted_at=None if index % 29 == 7 else now,
            )
            db.session.add(nomination)
            db.session.flush()
            if nomination.status == NominationStatus.SENT:
                match_nomination(nomination, person, by=by, reason=f"Nomination by {by.name} (demo)")
            made += 1
    db.session.flush()
    ineligible = db.session.execute(db.select(Nomination).where(Nomination.event_id == event.id, Nomination.file_id.is_not(None))).scalars().first()
    mark_not_eligible(known(known(ineligible, "nominations were matched above").file, "matched nominations have files"), reason="They moved to another council's care before this year began (demo).", by=organiser)
    return made


def _renew_demo_links(organiser: User) -> None:
    """Demo workers' links (made by the demo organiser) stay current however old the demo data
    is, and links a migration ended come back, so the demo journeys keep working."""
    from cpevents.young_people.models import LINK_LIFETIME, YoungPersonWorker

    now = utcnow()
    db.session.execute(
        db.update(YoungPersonWorker)
        .where(YoungPersonWorker.user_id.in_(db.select(User.id).where(User.is_demo.is_(True))),
               db.or_(YoungPersonWorker.ended_at.is_not(None), YoungPersonWorker.expires_at < now + timedelta(days=60)))
        .values(ended_at=None, ended_by_id=None, expires_at=now + LINK_LIFETIME, linked_by_id=organiser.id)
    )


def _demo_worker(email: str, name: str, organisation: str) -> User:
    user = user_by_email(email)
    if user is None:
        user = User(email=email, name=name, organisation=organisation, job_title="Demo worker", is_demo=True, email_verified_at=utcnow(),
                    approved_at=utcnow())
        user.set_roles({Role.NOMINATOR})
        db.session.add(user)
        db.session.flush()
    return user


def _seed_domain(organiser: User) -> None:
    from cpevents.accounts.models import ApprovedDomain

    domain, description = DEMO_DOMAIN
    if db.session.execute(db.select(ApprovedDomain).filter_by(domain=domain)).scalar_one_or_none() is None:
        db.session.add(ApprovedDomain(domain=domain, description=description, added_by_id=organiser.id, added_at=utcnow()))


def seed_demo() -> dict:
    accounts = []
    for email, name, organisation, job_title, roles, password, secret in DEMO_ACCOUNTS:
        user = user_by_email(email)
        if user is None:
            user = User(email=email, name=name)
            db.session.add(user)
        if not user.is_demo and user.password_hash is not None and user.id is not None:
            raise click.ClickException(f"{email} is a real account; refusing to overwrite it with demo data")
        user.name, user.organisation, user.job_title = name, organisation, job_title
        user.is_demo = True
        user.deactivated_at = None
        user.password_hash = hash_password(password)
        user.email_verified_at = user.email_verified_at or utcnow()
        if email == PENDING_EMAIL:
            user.approved_at, user.approved_by_id, user.approved_via_domain = None, None, ""
        else:
            user.approved_at = user.approved_at or utcnow()
        user.set_roles(set(roles))
        if secret:
            if user.totp_secret != secret:
                user.totp_last_step = None
            user.totp_secret = secret
            user.totp_enabled_at = user.totp_enabled_at or utcnow()
        db.session.flush()
        accounts.append(
            {
                "email": email,
                "name": name,
                "password": password,
                "roles": [r.value for r in roles],
                "totp_secret": secret,
                "young_judge": email == YOUNG_JUDGE_EMAIL,
                "pending": email == PENDING_EMAIL,
            }
        )
    organiser = existing_user("organiser@demo.example.org")
    _seed_domain(organiser)
    nominator = existing_user("nominator@demo.example.org")
    young_people = _seed_young_people(organiser, nominator)
    _seed_emails(organiser)
    _seed_events(organiser)
    nominations = _seed_nominations(organiser, nominator)
    from cpevents.achievements.demo import seed_champions_and_achievements

    champions = seed_champions_and_achievements(organiser, nominator)
    from cpevents.judging.demo import seed_judging

    champions.update(seed_judging(organiser))
    from cpevents.invitations.demo import seed_invitations

    champions.update(seed_invitations(organiser, nominator))
    from cpevents.nominees.demo import seed_nominees

    champions.update(seed_nominees(organiser))  # issue 16: each state of telling a nominee
    from cpevents.feedback.demo import seed_feedback

    champions.update(seed_feedback(organiser))
    from cpevents.registrations.demo import seed_registrations

    champions.update(seed_registrations(organiser))
    from cpevents.door.demo import seed_door

    champions.update(seed_door(organiser))
    from cpevents.door.demo import EVENT as DOOR_EVENT
    from cpevents.stage.demo import seed_stage

    champions.update(seed_stage(organiser, DOOR_EVENT))  # issue 18: a running order with winners chosen, not published
    from cpevents.seating.demo import seed_seating

    champions.update(seed_seating(organiser, champions.get("door_event")))  # issue 18: tables, its parties seated
    from cpevents.public.demo import seed_winners_page

    champions.update(seed_winners_page(organiser))  # issue 16: a published winners page, one winner hidden (no consent)
    from cpevents.privacy.demo import seed_past_event

    champions.update(seed_past_event(organiser))  # issue 14: data due for purge (`flask privacy purge --dry-run`)
    from cpevents.notices.demo import seed_cancelled_event, seed_sent_message

    champions.update(seed_cancelled_event(organiser))  # issue 17: a cancelled event, nobody told yet
    from cpevents.young_people.demo import seed_texts

    champions.update(seed_texts(organiser))  # issue 17: a mobile number with agreement, and one Notify refused
    champions.update(seed_sent_message(organiser))  # issue 17: a message already sent to those coming to the Celebration tea
    from cpevents.home.demo import seed_todo

    champions.update(seed_todo(organiser, nominator))  # last: fills the organiser's to-do lines the others leave empty
    return {"accounts": accounts, "young_people": young_people, "nominations": nominations, **champions}


def _seed_scale(scale: float, *, quiet: bool) -> dict:
    """`--scale N` (issue 19): the bulk data of cpevents/demo_scale.py, committed once, on top of the demo."""
    from cpevents.demo_scale import seed_scale

    result = seed_scale(scale, organiser=existing_user("organiser@demo.example.org"), nominator=existing_user("nominator@demo.example.org"),
                        progress=not quiet)
    db.session.commit()
    _vacuum_analyze()
    if not quiet:
        click.echo(f"Scale data added (N={scale:g}) in {result['seconds']} s:")
        for table, count in result["added"].items():
            seconds = result["table_seconds"].get(table)
            click.echo(f"  {table:<24} {count:>10,}" + (f"  {seconds:7.1f} s" if seconds is not None else ""))
        click.echo(f"Upcoming event with the big guest list: /events/{result['guest_list_event']}")
    return result


def _vacuum_analyze() -> None:
    """On PostgreSQL, VACUUM ANALYZE the tables after a bulk load, as autovacuum would have done
    over the ten years the data stands for: fresh statistics for the planner, and a visibility map
    so counts can be answered from an index alone. Measuring before it would measure a database
    no running service has. (VACUUM cannot run inside a transaction: autocommit.)"""
    from sqlalchemy.engine import Engine

    engine = db.engine
    if not isinstance(engine, Engine) or engine.dialect.name != "postgresql":
        return  # SQLite; or the tests, which hold everything in one transaction on one connection
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in db.metadata.sorted_tables:  # this app's tables only (in its own schema), never the whole database
            connection.exec_driver_sql(f'VACUUM ANALYZE "{table.name}"')


@click.command("seed-demo")
@click.option("--json", "as_json", is_flag=True, help="Print the accounts as JSON for scripts and tests.")
@click.option("--scale", type=float, default=None, metavar="N",
              help="Then add N times a large council's volume (ten years of data, for measuring; 0.01 to 100, once per database).")
@with_appcontext
def seed_demo_command(as_json: bool, scale: float | None) -> None:
    """Create (or refresh) the demo accounts and data."""
    if not demo_allowed(current_app.config):
        raise click.ClickException(
            "Demo data is never loaded in production: its passwords and second-factor secrets are public. "
            "It is only for CPEVENTS_ENV=development or test."
        )
    if scale is not None:
        from cpevents.demo_scale import check_scale

        check_scale(scale)  # before the demo is touched: a refused --scale changes nothing
    data = seed_demo()
    db.session.commit()
    if scale is not None:
        data["scale"] = _seed_scale(scale, quiet=as_json)
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(f"Demo young people: {data['young_people']} (40 linked to the demo nominator); nominations: {data['nominations']}")
    if data.get("rsvp_link"):
        click.echo(f"A young person's personal invitation link (works until the event): {data['rsvp_link']}")
    if data.get("nominee_link"):
        click.echo(f"A nominee's own link (\"you have been nominated\"): {data['nominee_link']}")
    if data.get("winners_page"):
        click.echo(f"A published winners page (anyone can read it; one winner hidden, no consent): {data['winners_page']}")
    if data.get("feedback_link"):
        click.echo(f"A young person's feedback link for the Summer celebration (works for 60 days): {data['feedback_link']}")
    if data.get("registration_link"):
        click.echo(f"Care Leavers' Week (demo) registration page for professionals and councillors: {data['registration_link']}")
    if data.get("door_event"):
        click.echo(f"Today's door list (Celebration tea, sign in as door@demo.example.org): /door/events/{data['door_event']}")
    click.echo(f"Corporate Parenting Champions and applications: {data['champions']}; achievements: {data['achievements']}")
    click.echo("Demo accounts (sign in at /sign-in):")
    for account in data["accounts"]:
        extra = "  second factor: run `flask users demo-code " + account["email"] + "`" if account["totp_secret"] else ""
        pending = "  (waiting for an organiser's approval)" if account.get("pending") else ""
        click.echo(f"  {', '.join(account['roles']):<10} {account['email']:<32} password: {account['password']}{extra}{pending}")
