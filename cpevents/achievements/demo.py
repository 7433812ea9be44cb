"""Demo data for champions and the achievement log (called once from cpevents.demo.seed_demo).

About 25 champions across most services (a few waiting for a decision, two services with none),
the demo champion's own pledge (due for renewal), pledges kept, and about 200 achievements over
the demo young people across the last year. Idempotent: it does nothing the second time.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import func, select

from cpevents.accounts.models import User, user_by_email
from cpevents.achievements.models import Achievement, AchievementArea
from cpevents.achievements.services import record_achievement
from cpevents.champions.models import (
    Champion,
    ChampionPledge,
    ChampionService,
    ChampionStatus,
    PledgeAction,
    PledgeKind,
)
from cpevents.core.checks import known
from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.young_people.models import WorkerRelationship, YoungPerson, YoungPersonWorker

NO_CHAMPIONS = {"Highways", "Legal"}  # two services with none, so the coverage page shows the gap

CHAMPION_NAMES = [
    "Abi Adams", "Ben Bailey", "Cara Cole", "Dev Desai", "Ella Evans", "Faisal Farooq", "Gina Grant", "Hugh Hart", "Iris Ince",
    "Jon Jarvis", "Kemi Kalu", "Liam Lord", "Maya Moss", "Nina Nash", "Owen Owusu", "Priya Pal", "Rob Reid", "Sara Stone",
    "Tom Tate", "Uma Uddin", "Vic Vaughan", "Will West", "Yara Young", "Zac Zane",
]
JOBS = ["Team manager", "Service manager", "Officer", "Councillor", "Head of service", "Project lead", "Adviser"]
PLEDGE_WORDS = {
    PledgeKind.WORK_EXPERIENCE: "Two work experience places a year in my team, offered to care leavers first.",
    PledgeKind.MENTOR: "Mentor one care leaver for a year, meeting every month.",
    PledgeKind.SPEAK_UP: "Put corporate parenting on my team meeting agenda every quarter.",
    PledgeKind.HELP_AT_EVENTS: "Help set up and steward at the PROUD Awards.",
    PledgeKind.OTHER: "Make sure our service's job adverts reach care leavers.",
}
ACTIONS = {
    PledgeKind.WORK_EXPERIENCE: "Hosted a week of work experience",
    PledgeKind.MENTOR: "Met my mentee for a coffee and a CV check",
    PledgeKind.SPEAK_UP: "Talked about corporate parenting at the service leadership meeting",
    PledgeKind.HELP_AT_EVENTS: "Stewarded at the PROUD Awards evening",
    PledgeKind.OTHER: "Sent our apprenticeship adverts to the leaving care team",
}
ACHIEVEMENTS = {
    AchievementArea.EDUCATION: ["Passed their maths mock with a grade 5", "Started a college course in motor vehicle maintenance",
                                "Got 100% attendance this term", "Read a whole book for the first time and told us all about it"],
    AchievementArea.HEALTH: ["Went to every dentist appointment this year", "Joined a running club to feel better", "Cut down on energy drinks"],
    AchievementArea.INDEPENDENCE: ["Cooked a Sunday dinner for the whole house", "Opened a bank account and set up a budget",
                                   "Took the bus to college on their own", "Passed their driving theory test"],
    AchievementArea.HOBBIES: ["Joined the under-16s football team", "Performed a song at the school concert", "Earned a swimming badge"],
    AchievementArea.RELATIONSHIPS: ["Made up with a friend after a falling out", "Kept in touch with their brother every week"],
    AchievementArea.HELPING_OTHERS: ["Helped a younger child settle into the house", "Volunteered at the food bank"],
    AchievementArea.WORK: ["Finished a week of work experience at the library", "Got a Saturday job at the bakery",
                           "Started an apprenticeship with the highways team"],
}
CELEBRATED = ["Their foster carer", "Their foster carers and social worker", "The staff at the home", "Their personal adviser",
              "Their teacher and carer", "Their whole house, with a cake"]


def _champion_user(email: str, name: str, job: str, service: str) -> User:
    user = user_by_email(email)
    if user is None:
        user = User(email=email, name=name, organisation=service, job_title=job, is_demo=True, email_verified_at=utcnow(), approved_at=utcnow())
        user.set_roles({Role.CHAMPION})
        db.session.add(user)
        db.session.flush()
    return user


def _champion(rng, *, name, email, job, service, status, user=None, approved_days_ago=0) -> Champion:
    now = utcnow()
    kinds = rng.sample(list(PledgeKind), rng.randint(1, 3))
    champion = Champion(name=name, email=email, job_title=job, service_id=service.id, user_id=getattr(user, "id", None),
                        pledge_words=" ".join(PLEDGE_WORDS[k] for k in kinds), status=status,
                        submitted_at=now - timedelta(days=approved_days_ago + 7))
    if status == ChampionStatus.APPROVED:
        champion.approved_at = now - timedelta(days=approved_days_ago)
        champion.decided_at = champion.approved_at
        champion.expires_at = champion.approved_at + timedelta(days=365)
    for kind in kinds:
        pledge = ChampionPledge(kind=kind)
        champion.pledges.append(pledge)
        if status == ChampionStatus.APPROVED and rng.random() < 0.6:
            done = (now - timedelta(days=rng.randint(1, max(2, approved_days_ago)))).date()
            pledge.actions.append(PledgeAction(done_on=done, what=ACTIONS[kind]))
    db.session.add(champion)
    return champion


def seed_champions_and_achievements(organiser: User, nominator: User) -> dict:
    if db.session.execute(select(func.count()).select_from(Champion).where(Champion.email.like("%@demo.example.org"))).scalar_one():
        return {"champions": db.session.execute(select(func.count()).select_from(Champion)).scalar_one(),
                "achievements": db.session.execute(select(func.count()).select_from(Achievement)).scalar_one()}
    rng = random.Random(2027)  # noqa: S311 - repeatable demo data, not a secret
    services = {s.name: s for s in db.session.execute(select(ChampionService).where(ChampionService.active.is_(True))).scalars()}
    with_champions = sorted(name for name in services if name not in NO_CHAMPIONS)

    # The demo champion account: approved 11 months ago, so renewal is due.
    champion_account = known(user_by_email("champion@demo.example.org"), "seed_demo makes the demo accounts first")
    demo = _champion(rng, name=champion_account.name, email=champion_account.email, job=champion_account.job_title,
                     service=services.get("Libraries") or services[with_champions[0]], status=ChampionStatus.APPROVED,
                     user=champion_account, approved_days_ago=340)
    demo.decided_by_id = organiser.id
    made = 1
    for i, name in enumerate(CHAMPION_NAMES):
        service = services[with_champions[i % len(with_champions)]]
        email = name.lower().replace(" ", ".") + "@demo.example.org"
        job = rng.choice(JOBS) if service.name != "Elected Member" else "Councillor"
        if i % 8 == 7:  # a few waiting for a decision, with no account yet
            _champion(rng, name=name, email=email, job=job, service=service, status=ChampionStatus.PENDING)
        else:
            user = _champion_user(email, name, job, service.name)
            row = _champion(rng, name=name, email=email, job=job, service=service, status=ChampionStatus.APPROVED, user=user,
                            approved_days_ago=rng.randint(10, 330))
            row.decided_by_id = organiser.id
        made += 1
    db.session.flush()

    # The demo champion mentors some of the demo young people.
    people = db.session.execute(
        select(YoungPerson).where(YoungPerson.created_by_id == organiser.id, YoungPerson.merged_into_id.is_(None)).order_by(YoungPerson.id)
    ).scalars().all()
    mine = [p for p in people if any(link.user_id == nominator.id for link in p.worker_links)]
    for person in people[40:48]:
        if not any(link.user_id == champion_account.id for link in person.worker_links):
            person.worker_links.append(YoungPersonWorker(user_id=champion_account.id, relationship_type=WorkerRelationship.OTHER, linked_by_id=organiser.id))
    db.session.flush()
    today = utcnow().date()
    recorded = 0
    for worker, group, count in ((nominator, mine, 165), (champion_account, people[40:48], 35)):
        if not group:
            continue
        for i in range(count):
            area = rng.choice(list(AchievementArea))
            record_achievement(group[i % len(group)], by=worker, achieved_on=today - timedelta(days=rng.randint(0, 364)), area=area,
                               description=rng.choice(ACHIEVEMENTS[area]), celebrated_with=rng.choice(CELEBRATED))
            recorded += 1
    return {"champions": made, "achievements": recorded}
