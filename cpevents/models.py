"""Imports every domain's models, so Alembic and create_all() see the whole schema."""

import cpevents.nominations.queries  # noqa: F401,E402 - says which changes give the list a new data version
import cpevents.nominations.review  # noqa: F401,E402 - registers its young people merge hook
from cpevents.accounts.models import (  # noqa: F401
    AccountToken,
    ApprovedDomain,
    FailedSignIn,
    PendingSecret,
    RecoveryCode,
    User,
    UserRole,
    UserSession,
)
from cpevents.achievements.models import Achievement  # noqa: F401,E402
from cpevents.audit.models import AuditEntry  # noqa: F401
from cpevents.champions.models import Champion, ChampionPledge, ChampionService, PledgeAction  # noqa: F401,E402
from cpevents.core.cache import DataVersion  # noqa: F401,E402
from cpevents.door.models import DoorTap, EventDoorHelper  # noqa: F401,E402
from cpevents.events.models import AwardCategory, Event  # noqa: F401
from cpevents.feedback.models import FeedbackAction, FeedbackLink, FeedbackResponse  # noqa: F401,E402
from cpevents.invitations.models import (  # noqa: F401,E402
    Guest,
    Invitation,
    InvitationLink,
    InvitationSettings,
    ReplyDraft,
)
from cpevents.judging.models import (  # noqa: F401,E402
    Assignment,
    Criterion,
    JudgingDecision,
    Panel,
    PanelJudge,
    PanelText,
    Score,
)
from cpevents.mail.models import EmailBatch, OutboxMessage  # noqa: F401
from cpevents.nominations.models import Nomination  # noqa: F401
from cpevents.nominees.models import NomineeLink, NomineeNotice  # noqa: F401,E402
from cpevents.notices.models import EventMessage  # noqa: F401,E402
from cpevents.privacy.models import ErasureRequest  # noqa: F401,E402
from cpevents.public.models import WinnersPage  # noqa: F401,E402
from cpevents.registrations.models import EventAudience, Registration, RegistrationCancelLink  # noqa: F401,E402
from cpevents.seating.models import PartySeat, SeatingTable  # noqa: F401,E402
from cpevents.stage.models import SealedPrint  # noqa: F401,E402
from cpevents.young_people.letters import WorkerLetter  # noqa: F401,E402
from cpevents.young_people.models import YoungPerson, YoungPersonWorker  # noqa: F401
