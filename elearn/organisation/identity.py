"""The organisation's identity in force: the administrator's values over parcours.yml's defaults.

Certificates print it, so it must be complete and true. While a value is empty or still the shipped
example's « à remplacer », the identity is *incomplete*: certificates are still issued (a fresh
installation must be tryable) but every PDF and verification page of such a certificate says
« Document de démonstration — organisation non renseignée », and the administrator's home page says
what is missing. Every change is recorded in the audit trail with the fields changed.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session

from elearn.accounts import record
from elearn.certificates.path import (
    UPLOADED_SIGNATURE,
    Organisation,
    PathConfigError,
    Signatory,
    TrainingPath,
    is_placeholder,
    load_path,
)
from elearn.i18n import _, _l
from elearn.models import OrganisationProfile
from elearn.models.base import utcnow
from elearn.models.organisation import SINGLE_ROW_ID

if TYPE_CHECKING:
    from elearn.models import User

#: The text fields, in form order, with their label (lazy: rendered in the interface's language).
TEXT_FIELDS = {
    "name": _l("Nom de l'organisme"),
    "address": _l("Adresse"),
    "siret": _l("SIRET"),
    "registration_number": _l("Numéro de déclaration d'activité (NDA)"),
    "signatory_name": _l("Nom du ou de la signataire"),
    "signatory_role": _l("Fonction du ou de la signataire"),
}
#: Fields a certificate cannot do without (the SIRET is asked for by some funders, not printed by all).
REQUIRED_FIELDS = ("name", "address", "registration_number", "signatory_name", "signatory_role")
#: Sentinel for « remove the stored image » in :func:`save_identity`.
REMOVE = b""


@dataclass(frozen=True)
class Identity:
    """Everything the documents print about the organisation."""

    name: str = ""
    address: str = ""
    siret: str = ""
    registration_number: str = ""
    signatory_name: str = ""
    signatory_role: str = ""
    #: The uploaded signature and logo (clean PNG), if any.
    signature_png: bytes | None = None
    logo_png: bytes | None = None
    #: parcours.yml's signature image (a file of the media folder), used when none was uploaded.
    signature_file: str | None = None

    def missing(self) -> tuple[str, ...]:
        """The required fields still empty or still the example's, by name (see ``TEXT_FIELDS``)."""
        return tuple(key for key in REQUIRED_FIELDS if not getattr(self, key).strip() or is_placeholder(getattr(self, key)))

    @property
    def complete(self) -> bool:
        return not self.missing()


def defaults(path: TrainingPath | None) -> Identity:
    """parcours.yml's organisation and signatory (empty without a path)."""
    if path is None:
        return Identity()
    organisation, signatory = path.organisation, path.signatory
    return Identity(
        name=organisation.name,
        address=organisation.address,
        registration_number=organisation.registration_number,
        signatory_name=signatory.name,
        signatory_role=signatory.role,
        signature_file=signatory.signature_image,
    )


def stored_profile(session: Session) -> OrganisationProfile | None:
    return session.get(OrganisationProfile, SINGLE_ROW_ID)


def current_identity(session: Session, path: TrainingPath | None) -> Identity:
    """The identity in force: each value set on the Organisation page, else parcours.yml's."""
    identity = defaults(path)
    profile = stored_profile(session)
    if profile is None:
        return identity
    overrides = {key: value for key in TEXT_FIELDS if (value := getattr(profile, key)) is not None}
    return replace(identity, **overrides, signature_png=profile.signature_png, logo_png=profile.logo_png)


def organisation_identity(session: Session, modules_dir: Path, media_dir: Path) -> Organisation | None:
    """The organisation's name, address and declaration number for documents other than certificates
    (the exports' headers): the Organisation page's values over ``parcours.yml``'s. None when neither
    names it: an export never fails for it.

    The one place that says where exports read the organisation's identity from.
    """
    try:
        path = load_path(modules_dir, media_dir)
    except PathConfigError:
        path = None
    identity = current_identity(session, path)
    if not identity.name.strip():
        return None
    return Organisation(identity.name, identity.address, identity.registration_number)


def with_identity(path: TrainingPath, identity: Identity) -> TrainingPath:
    """``path`` with the organisation and signatory in force, as certificates are issued from it."""
    return replace(
        path,
        organisation=Organisation(identity.name, identity.address, identity.registration_number),
        signatory=Signatory(
            identity.signatory_name,
            identity.signatory_role,
            UPLOADED_SIGNATURE if identity.signature_png else identity.signature_file,
        ),
    )


def normalise_siret(value: str) -> str:
    """The SIRET's 14 digits; ValueError (French) unless it is 14 digits passing the Luhn check."""
    digits = re.sub(r"[\s.]", "", value)
    if not re.fullmatch(r"\d{14}", digits):
        raise ValueError(_("Le SIRET compte 14 chiffres."))
    if not _luhn(digits) and not (digits.startswith("356000000") and sum(map(int, digits)) % 5 == 0):  # La Poste's rule
        raise ValueError(_("Ce SIRET n'est pas valide (erreur de saisie ?) : vérifiez-le sur l'avis de situation Sirene."))
    return digits


def normalise_registration_number(value: str) -> str:
    """The NDA as printed on the receipt (« 11 75 12345 75 »); ValueError unless it has 11 digits."""
    digits = re.sub(r"\s", "", value)
    if not re.fullmatch(r"\d{11}", digits):
        raise ValueError(_("Le numéro de déclaration d'activité compte 11 chiffres (par exemple 11 75 12345 75)."))
    return f"{digits[:2]} {digits[2:4]} {digits[4:9]} {digits[9:]}"


def _luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def save_identity(
    session: Session,
    current: Identity,
    values: dict[str, str],
    *,
    signature: bytes | None = None,
    logo: bytes | None = None,
    actor: User | None,
) -> list[str]:
    """Store the administrator's values (already checked) and record the change; returns the changed fields.

    A value equal to the one in force (``current``, possibly parcours.yml's) is not a change.
    ``signature``/``logo``: a clean PNG to store, :data:`REMOVE` to delete the stored one, None to keep it.
    The audit event lists the fields changed with their new text, and the SHA-256 of a new image.
    """
    profile = stored_profile(session) or OrganisationProfile(id=SINGLE_ROW_ID)
    changes: dict[str, object] = {}
    for key, value in values.items():
        if key in TEXT_FIELDS and value != getattr(current, key):
            setattr(profile, key, value)
            changes[key] = value
    for key, image in (("signature_png", signature), ("logo_png", logo)):
        if image is None or image == (getattr(profile, key) or REMOVE):
            continue
        setattr(profile, key, image or None)
        changes[key] = hashlib.sha256(image).hexdigest() if image else None
    if not changes:
        return []
    profile.updated_at, profile.updated_by_id = utcnow(), actor.id if actor else None
    session.add(profile)
    record(session, "organisation.updated", actor=actor, target="organisation", **changes)
    session.commit()
    return list(changes)
