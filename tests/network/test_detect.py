"""The identifying-details check: each kind is found, ordinary sentences raise no alarm."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from elearn.network.detect import Kind, check_fields, find_identifying_details, first_names


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind.value, f.excerpt) for f in find_identifying_details(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Karim est reparti sans soins.", [("first_name", "Karim")]),
        ("La secrétaire a dit à Fatima de revenir.", [("first_name", "Fatima")]),
        ("Le médecin a reçu Jean-Pierre.", [("first_name", "Jean"), ("first_name", "Pierre")]),
        ("Appelez le 06 12 34 56 78.", [("phone", "06 12 34 56 78")]),
        ("Tél. 0612345678", [("phone", "0612345678")]),
        ("Tél. 03.88.12.34.56", [("phone", "03.88.12.34.56")]),
        ("Tél. +33 6 12 34 56 78", [("phone", "+33 6 12 34 56 78")]),
        ("Tél. 0033 (0)6 12 34 56 78", [("phone", "0033 (0)6 12 34 56 78")]),
        ("Écrire à prenom.nom@exemple.fr", [("email", "prenom.nom@exemple.fr")]),
        ("Le 12 mars 2024, refus.", [("date", "12 mars 2024")]),
        ("Venue le 1er avril.", [("date", "1er avril")]),
        ("Rendez-vous du 03/04/2023 annulé.", [("date", "03/04/2023")]),
        ("Rendez-vous du 2023-04-03 annulé.", [("date", "2023-04-03")]),
        ("Elle vit au 12 bis rue des Lilas.", [("address", "12 bis rue des Lilas")]),
        ("Il habite avenue de la Paix.", [("address", "avenue de la Paix")]),
        ("Originaire de 67000 Strasbourg.", [("address", "67000 Strasbourg")]),
        ("Son numéro est 1 84 12 75 123 456 78.", [("nir", "1 84 12 75 123 456 78")]),
        ("Son numéro est 284127512345678.", [("nir", "284127512345678")]),
        ("Mme Durand a été refusée.", [("titled_name", "Mme Durand")]),
        ("Le docteur Lefebvre a refusé.", [("titled_name", "docteur Lefebvre")]),
    ],
)
def test_each_kind_is_found(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Le médecin a refusé le rendez-vous.",
        "La patiente bénéficiaire de la C2S s'est vu refuser un rendez-vous chez un dentiste.",
        "Claire et précise, la réponse de l'accueil a été : « pas de patients AME ».",
        "Rose de colère, le père est reparti avec son enfant.",
        "Il y a quelques mois, au printemps 2024, en mai 2023, pendant les fêtes.",
        "3 places disponibles, 2 cours de français, 10 patients, 25 000 euros, 1 500 personnes.",
        "Mme X. et M. D. ont été orientés vers la PASS de l'hôpital Saint-Louis.",
        "Une mère de famille, un cabinet de ville, un quartier prioritaire de la ville.",
        "Elle s'est mariée l'an dernier et attend un enfant ; le mari parle peu français.",
        "Le score était de 3/4 et la consultation a duré 20 minutes.",
    ],
)
def test_ordinary_sentences_raise_no_alarm(text):
    assert find_identifying_details(text) == []


def test_ambiguous_name_is_found_inside_a_sentence_only():
    assert kinds("Claire est venue.") == []
    assert kinds("Le médecin a reçu Claire hier.") == [("first_name", "Claire")]


def test_lowercase_names_are_found_unless_they_are_also_ordinary_words():
    assert kinds("il a vu pierre, marie et karim") == [("first_name", "karim")]
    assert kinds("elle se marie en juin ; une pierre, un jean, un manuel") == []


def test_a_name_that_is_an_ordinary_word_is_found_after_a_word_naming_a_person():
    assert kinds("ma collègue marie a vu la patiente claire") == [("first_name", "marie"), ("first_name", "claire")]


#: Texts the check must stop, with the passage it reports.
MUST_REFUSE = [
    ("Mme DUPONT a refusé.", "Mme DUPONT"),
    ("M. Le Goff a refusé.", "M. Le Goff"),
    ("Mme Ba a été refusée.", "Mme Ba"),
    ("Dr Ng a refusé.", "Dr Ng"),
    ("Mme N'Diaye a été refusée.", "Mme N'Diaye"),
    ("Mme D’Almeida attendait.", "Mme D’Almeida"),
    ("Mme Van der Berg a refusé.", "Mme Van der Berg"),
    ("Mme Da Silva a refusé.", "Mme Da Silva"),
    ("M. de la Fontaine a refusé.", "M. de la Fontaine"),
    ("Mme Dupont-Martin a refusé.", "Mme Dupont-Martin"),
    ("Le Pr Ben Ali a refusé.", "Pr Ben Ali"),
    ("Le Docteur Martin a refusé.", "Docteur Martin"),
    ("Le professeur Lefèvre a refusé.", "professeur Lefèvre"),
    ("Maître Diallo a été saisi.", "Maître Diallo"),
    ("Me Diallo a été saisi.", "Me Diallo"),
    ("Mlle Nguyen a été refusée.", "Mlle Nguyen"),
    ("Il a parlé à madame Traoré.", "madame Traoré"),
    ("Il a parlé à monsieur Kone.", "monsieur Kone"),
    ("MOHAMED a été refusé.", "MOHAMED"),
    ("ma collègue marie a vu la scène.", "marie"),
    ("le patient karim est reparti.", "karim"),
    ("Rendez-vous le 3/4 refusé.", "3/4"),
    ("Rendez-vous le 03/04 refusé.", "03/04"),
    ("Venue mardi 12/3, refusée.", "12/3"),
    ("Rendez-vous 15/06 annulé.", "15/06"),
    ("Rendez-vous le 3 avril annulé.", "3 avril"),
]

#: Ordinary situation texts the check must let through.
MUST_ACCEPT = [
    "Le Dr a refusé de recevoir la patiente.",
    "M. a été orienté vers la PASS.",
    "Mme, 54 ans, bénéficiaire de l'AME, a été refusée.",
    "Mme D. a été refusée ; M. K. aussi.",
    "Le patient a été vu par le Dr. Il a ensuite été orienté.",
    "Me voici face à une situation que je ne sais pas qualifier.",
    "Me le dire aurait suffi.",
    "Elle se marie en juin ; le mari parle peu français.",
    "Une explication claire, un jean propre, une pierre au rein.",
    "Le score était de 3/4, la douleur à 7/10, les 3/4 des patients attendent.",
    "Une note de 10/10 au questionnaire de satisfaction.",
    "Le médecin de la PMI a orienté la famille vers la CPAM et la MDPH.",
    "Le secrétariat a dit : « le docteur ne prend pas la CMU ».",
]


@pytest.mark.parametrize(("text", "passage"), MUST_REFUSE)
def test_situation_texts_that_identify_someone_are_stopped(text, passage):
    assert passage in [f.excerpt for f in find_identifying_details(text)]


@pytest.mark.parametrize("text", MUST_ACCEPT)
def test_ordinary_situation_texts_pass(text):
    assert kinds(text) == []


def test_a_number_is_reported_once_under_its_most_specific_kind():
    found = find_identifying_details("NIR 1 84 12 75 123 456 78 et tél 06 12 34 56 78")
    assert [f.kind for f in found] == [Kind.NIR, Kind.PHONE]


def test_messages_are_french_and_quote_the_passage():
    (finding,) = find_identifying_details("Appelez le 06 12 34 56 78.")
    assert finding.message.startswith("«\u00a006 12 34 56 78\u00a0» ressemble à un numéro de téléphone")


def test_check_fields_reports_only_fields_with_findings():
    result = check_fields({"a": "Karim est venu.", "b": "Le médecin a refusé.", "c": ""})
    assert list(result) == ["a"]


def test_name_list_has_a_few_hundred_names():
    names = first_names()
    assert len(names) > 300
    assert names["claire"] is True and names["karim"] is False


@given(st.text(alphabet=st.characters(whitelist_categories=("Ll", "Zs", "Po"), blacklist_characters="@"), max_size=200))
def test_lowercase_prose_without_digits_or_at_signs_raises_only_listed_first_names(text):
    for finding in find_identifying_details(text):
        assert finding.kind is Kind.FIRST_NAME and finding.excerpt in first_names()
