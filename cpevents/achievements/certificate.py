"""The achievement certificate: what it says about one achievement. The drawing (fonts, emblem,
frame, signature line) is shared with the PROUD Awards certificate in cpevents/core/certificates.py."""

from __future__ import annotations

from cpevents.achievements.models import Achievement
from cpevents.core import certificates
from cpevents.core.certificates import CertificateText


def certificate_filename(achievement: Achievement) -> str:
    """certificate-Zoe-2025-03-12.pdf: the name shown and the date, in safe characters only."""
    return certificates.certificate_filename(achievement.young_person.shown_name, achievement.achieved_on)


def certificate_text(achievement: Achievement) -> CertificateText:
    name = achievement.young_person.shown_name
    return CertificateText(heading="Certificate of achievement", name=name, subject=achievement.area.label, story=achievement.description,
                           note=f"Celebrated with {achievement.celebrated_with}", on=achievement.achieved_on,
                           document_title=f"Certificate of achievement for {name}")

