"""Media uploads: type from content, size limits, SVG inspection, alt text, no silent overwrite, unused files."""

from __future__ import annotations

import base64
import io

import pytest

from elearn.authoring.media import MediaError, check_upload

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
CLEAN_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#123"/></svg>'


def _upload(client, data: bytes, name: str, alt: str = "Un schéma", transcript: str = ""):
    return client.post("/trainer/medias/envoyer", content_type="multipart/form-data",
                       data={"fichier": (io.BytesIO(data), name), "alt": alt, "transcription": transcript})


def test_the_type_comes_from_the_content_not_the_name():
    assert check_upload("schema.txt", PNG).name == "schema.png"
    with pytest.raises(MediaError, match="d'après son contenu"):
        check_upload("photo.png", b"#!/bin/sh\necho pwned\n")


@pytest.mark.parametrize(("svg", "reason"), [
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "<script>"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>', "onload"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink"><image x:href="https://exemple.fr/a.png"/></svg>', "extérieur"),
    (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg"/>', "DOCTYPE"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>', "foreignobject"),
])
def test_an_svg_that_could_run_code_is_refused_with_its_reason(svg, reason):
    with pytest.raises(MediaError, match=reason):
        check_upload("dessin.svg", svg)
    assert check_upload("dessin.svg", CLEAN_SVG).kind == "image"


def test_size_limits_apply_per_kind(client, auth, trainer, app):
    auth.login(trainer.email)
    page = _upload(client, PNG + b"\0" * (2 * 1024 * 1024), "grande.png")
    assert page.status_code == 400 and "la limite est de 2 Mo" in page.get_data(as_text=True)


def test_images_need_a_text_alternative_and_sounds_a_transcript(client, auth, trainer):
    auth.login(trainer.email)
    assert "texte alternatif" in _upload(client, PNG, "schema.png", alt="").get_data(as_text=True)
    mp3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 100
    assert "transcription" in _upload(client, mp3, "temoignage.mp3", alt="Témoignage").get_data(as_text=True)
    done = _upload(client, mp3, "temoignage.mp3", alt="Témoignage", transcript="Bonjour, je suis venue…")
    assert done.status_code == 200 and "**Transcription.** Bonjour" in done.get_data(as_text=True)


def test_a_taken_name_asks_to_replace_or_rename(client, auth, trainer, app, tmp_path):
    auth.login(trainer.email)
    media_dir = tmp_path / "media"
    assert _upload(client, PNG, "schema.png").status_code == 200
    second = PNG + b"\0"
    asked = _upload(client, second, "schema.png")
    page = asked.get_data(as_text=True)
    assert asked.status_code == 409 and "schema-2.png" in page
    assert (media_dir / "schema.png").read_bytes() == PNG
    token = page.split('name="jeton" value="', 1)[1].split('"', 1)[0]
    client.post("/trainer/medias/choix", data={"jeton": token, "choix": "renommer"})
    assert (media_dir / "schema.png").read_bytes() == PNG and (media_dir / "schema-2.png").read_bytes() == second


def test_unused_media_are_listed_and_removable_but_used_ones_are_kept(client, auth, trainer, tmp_path, modules_dir):
    auth.login(trainer.email)
    media_dir = tmp_path / "media"
    (media_dir / "orphelin.png").write_bytes(PNG)
    (media_dir / "utilise.png").write_bytes(PNG)
    module = modules_dir / "02-suite.md"
    module.write_text(module.read_text(encoding="utf-8") + "\n![Un schéma](media/utilise.png)\n", encoding="utf-8")
    page = client.get("/trainer/medias/").get_data(as_text=True)
    assert "aucun module (inutilisé)" in page and "02-suite.md" in page
    client.post("/trainer/medias/utilise.png/supprimer", data={"confirmer": "1"})
    client.post("/trainer/medias/orphelin.png/supprimer", data={"confirmer": "1"})
    assert (media_dir / "utilise.png").exists() and not (media_dir / "orphelin.png").exists()


def test_an_upload_reaches_another_machine_without_a_shared_media_folder(client, auth, trainer, app, tmp_path):
    from elearn.web.modules import get_library
    from tests.conftest import make_test_app

    auth.login(trainer.email)
    other_media = tmp_path / "machine2" / "media"
    other_media.mkdir(parents=True)
    other = make_test_app(tmp_path / "machine2", ELEARN_DATABASE_URL=app.config["ELEARN_DATABASE_URL"],
                          ELEARN_MODULES_DIR=app.config["ELEARN_MODULES_DIR"], ELEARN_MEDIA_DIR=str(other_media),
                          ELEARN_PUBLICATION_POLL_SECONDS=0)
    with other.test_request_context():
        get_library()
    _upload(client, PNG, "schema.png")
    with other.test_request_context():
        get_library()
    assert (other_media / "schema.png").read_bytes() == PNG
