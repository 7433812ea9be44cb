"""Something to keep (issue 16): once an event's results are published, every nominee who was
told and did not say no thanks can open a keepsake page from their personal link and download a
PROUD Awards certificate.

Until the results are published there is nothing to keep yet: the page only says when it will be
ready and the certificate does not exist (404), so nothing can hint at who won. A winner's page and
certificate say they won; everyone else's say they were nominated, in the same warm words.
"""

from __future__ import annotations

from dataclasses import dataclass

from cpevents.audit.models import AuditAction
from cpevents.audit.services import record
from cpevents.core.certificates import CertificateText, certificate_filename
from cpevents.events.models import Event
from cpevents.judging.outcomes import published_result
from cpevents.nominations.models import FileStatus, NominationFile
from cpevents.nominees import services
from cpevents.nominees.models import NoticeState
from cpevents.young_people.models import YoungPerson

CERTIFICATE_DOWNLOADED = "PROUD Awards certificate downloaded through their personal link"


@dataclass(frozen=True)
class Keepsake:
    file: NominationFile
    person: YoungPerson
    event: Event
    award: str
    won: bool
    panel_version: list[str] | None
    own_words: str

    @property
    def name(self) -> str:
        """The name they chose to be shown (first name only unless they chose their full name)."""
        return self.person.shown_name


def is_nominee(file: NominationFile) -> bool:
    """Accepted for judging, told, not declined, and still nominated by someone."""
    notice = services.notice_for(file)
    return (notice is not None and notice.state in (NoticeState.TOLD, NoticeState.LETTER_TO_HAND) and file.status == FileStatus.ACCEPTED
            and bool(file.live_nominations))


def keepsake_for(file: NominationFile) -> Keepsake | None:
    """The keepsake, or None: not a nominee, or the results are not published yet."""
    if not is_nominee(file):
        return None
    won = published_result(file)
    if won is None:
        return None
    notice = services.notice_for(file)
    award = file.category.name if file.category is not None else "PROUD Awards"
    return Keepsake(file=file, person=file.young_person, event=file.event, award=award, won=won,
                    panel_version=services.panel_version_for_nominee(file), own_words=notice.own_words if notice else "")


def certificate_text(keepsake: Keepsake) -> CertificateText:
    event = keepsake.event
    if keepsake.won:
        heading, story = "PROUD Awards winner", f"Winner of the {keepsake.award} award at {event.name}."
    else:
        heading, story = "PROUD Awards", f"Nominated for the {keepsake.award} award at {event.name}, by someone who is proud of them."
    return CertificateText(heading=heading, name=keepsake.name, subject=keepsake.award, story=story, on=event.event_date,
                           document_title=f"PROUD Awards certificate for {keepsake.name}")


def filename(keepsake: Keepsake) -> str:
    """proud-awards-Zoe-2026-11-20.pdf: safe characters only."""
    return certificate_filename(keepsake.name, keepsake.event.event_date, prefix="proud-awards")


def note_certificate(keepsake: Keepsake) -> None:
    """The certificate shows the young person's name: downloading it goes in their audit trail
    (by nobody signed in: the young person, through their personal link)."""
    record(None, AuditAction.VIEWED, keepsake.file, young_person=keepsake.person, detail=CERTIFICATE_DOWNLOADED)
