"""Why a launch was refused: pylti1p3's error (or ours) turned into a reason code for the audit trail
and a sentence for the person, who sees a page, never an error 500."""

from __future__ import annotations

from dataclasses import dataclass

from elearn.i18n import N_, _


@dataclass(frozen=True)
class Refusal:
    reason: str  # for the audit trail: bad_signature, unknown_issuer, ...
    detail: str = ""  # the library's words, kept in the audit trail

    @property
    def message(self) -> str:
        return _(MESSAGES.get(self.reason, MESSAGES["invalid"]))


MESSAGES = {
    "bad_signature": N_("La signature du lancement est invalide : il ne vient pas de la plateforme enregistrée."),
    "unknown_issuer": N_("Cette plateforme n'est pas enregistrée dans elearn. Demandez à l'équipe d'administration de l'ajouter (Administration › LTI)."),
    "unknown_deployment": N_("Ce déploiement de la plateforme n'est pas enregistré dans elearn. Demandez à l'équipe d'administration de l'ajouter."),
    "expired": N_("Le lancement a expiré. Revenez à votre plateforme et cliquez de nouveau sur le lien."),
    "replayed": N_("Ce lancement a déjà été utilisé. Revenez à votre plateforme et cliquez de nouveau sur le lien."),
    "state": N_("Le lancement n'a pas pu être vérifié (état manquant ou différent). Si votre navigateur bloque les cookies des sites tiers, ouvrez le lien dans une nouvelle fenêtre."),
    "invalid": N_("Le lancement n'a pas pu être vérifié. Revenez à votre plateforme et réessayez."),
}

#: Substrings of pylti1p3's messages, in the order they are tried.
_MATCHES = (
    ("expired", "expired"),
    ("Registration not found", "unknown_issuer"),
    ("Client id not registered", "unknown_issuer"),
    ("Unable to find deployment", "unknown_deployment"),
    ("Signature verification failed", "bad_signature"),
    ("Unable to find public key", "bad_signature"),
    ("Can't decode id_token", "bad_signature"),
    ("State not found", "state"),
    ("Missing state", "state"),
    ("Invalid Nonce", "replayed"),
)


def classify(error: Exception) -> Refusal:
    text = str(error)
    for needle, reason in _MATCHES:
        if needle.lower() in text.lower():
            return Refusal(reason, text[:300])
    return Refusal("invalid", text[:300])
