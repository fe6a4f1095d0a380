"""``LISEZMOI.txt``: what each file of an evidence pack proves, in French, for an auditor or a funder."""

from __future__ import annotations

from datetime import datetime

from elearn.formatting import date_fr

_FILES = """\
Ce que contient le dossier{where}

- apprenant.csv : la personne (nom, courriel, profession, groupe) et ses attestations (code, date,
  état). Chaque code se vérifie en ligne à l'adresse imprimée sur l'attestation (/verify/CODE).
- attestation-CODE.pdf et certificat-realisation-CODE.pdf : les documents délivrés, tels qu'ils ont
  été remis. Chaque PDF porte la signature électronique de l'organisme (visible dans le panneau
  « Signatures » des lecteurs PDF) : toute modification après sa délivrance la rend invalide.
  Un PDF absent n'a pas encore été téléchargé par la personne.
- releve-de-connexion.csv : le relevé de connexion. Pour chaque jour et chaque page de module, l'heure
  de début et de fin d'activité et le temps actif mesuré. Il prouve la présence et l'assiduité à
  distance.
- temps-actif-par-jour.csv : le même temps actif, totalisé par jour et par module.
- tentatives-quiz.csv : chaque tentative aux évaluations (quiz), avec sa date, ses points, son score,
  sa réussite et la version du contenu évalué. Il prouve les évaluations réalisées.
- modules.csv : chaque module commencé, et terminé avec sa date, son score et la version du contenu
  terminé (empreinte). Il prouve les travaux réalisés et le parcours suivi.
{summary}
Comment lire les durées et les heures

Le temps actif ne compte que lorsque la page d'un module est affichée et que la personne s'en sert
(défilement, clic, clavier) ; il s'arrête après deux minutes sans geste. Les heures sont en heure de
Paris, avec leur décalage (+01:00 ou +02:00).

Vérifier que le dossier est intact

manifest.json liste chaque fichier avec son empreinte SHA-256 et porte la signature électronique de
l'organisme (Ed25519, la même que celle des attestations). Pour le vérifier :
    elearn verify-evidence dossier.zip
(la clé publique de l'organisme est publiée à l'adresse /.well-known/elearn-certificate-key de la
plateforme). Un fichier ajouté, retiré ou modifié est signalé.
"""


def readme(*, group: bool, learner_name: str, moment: datetime) -> bytes:
    """The README of a learner's pack (``group=False``) or of a group's or a period's pack."""
    title = (
        f"Dossier de preuves de formation à distance de {learner_name}"
        if not group
        else "Dossier de preuves de formation à distance — groupe ou période"
    )
    where = " (un dossier par personne, numéroté)" if group else ""
    summary = (
        "\n- synthese.csv : une ligne par personne (dossier, modules terminés, temps actif, dernière\n"
        "  activité, attestations), pour un premier contrôle.\n"
        if group
        else ""
    )
    text = f"{title}\nConstitué le {date_fr(moment)}.\n\n" + _FILES.format(where=where, summary=summary)
    return text.replace("\n", "\r\n").encode("utf-8")
