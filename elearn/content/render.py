"""Stage 3 of the pipeline: turn a valid ParsedModule into the frozen Module the web app serves.

Markdown goes through Python-Markdown, then through nh3 with an allow-list, so nothing a module says
(raw HTML included) can put a script, an event handler or a ``javascript:`` URL in a learner's page.
Internal links and media paths are rewritten here through callables the caller provides.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from urllib.parse import quote

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from elearn.content.blocks import RawQuestion, split_reference
from elearn.content.certifying import read_options
from elearn.content.model import Block, Choice, HtmlBlock, Module, Question, Quiz, Reflection, Section
from elearn.content.parse import ParsedModule, RawBlock, RawPart, RawSection
from elearn.content.refs import DECORATIVE_CLASS, internal_target, media_kind, media_name
from elearn.formatting import french_spacing

LinkResolver = Callable[[str, str | None], str]
MediaUrl = Callable[[str], str]

CALLOUT_LABELS = {"definition": "Définition", "a-retenir": "À retenir", "attention": "Attention", "exemple": "Exemple"}
DEFAULT_PASS_MARK = 70

_ALLOWED_TAGS = set(nh3.ALLOWED_TAGS) | {"audio", "video", "source", "figure", "figcaption", "section"}
_GENERIC_ATTRIBUTES = {"class", "id", "role", "aria-label", "aria-hidden", "title", "lang"}
_ALLOWED_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": _GENERIC_ATTRIBUTES,
    "img": {"src", "alt", "width", "height", "loading"},
    "audio": {"src", "controls", "preload"},
    "video": {"src", "controls", "preload", "width", "height"},
    "source": {"src", "type"},
    "a": {"href", "hreflang"},
}
_BLOCK_START_RE = re.compile(r"^(\d*)([.)](?=\s)|[-+*>#](?=\s|$))")
_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def default_media_url(name: str) -> str:
    """Where the web app serves ``media/<name>``."""
    return "/media/" + quote(name)


def placeholder_resolver(slug: str, section_id: str | None) -> str:
    """Link resolver for uses without the web app (CLI, tests): the app's own URL scheme."""
    return f"/modules/{slug}/{section_id}" if section_id else f"/modules/{slug}"


def sanitize(fragment: str) -> str:
    """Reduce HTML to the allow-list: the single gate every rendered fragment goes through."""
    return nh3.clean(
        fragment,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        strip_comments=True,
        link_rel="noopener noreferrer",
    )


class _Renderer:
    """Renders one module; holds what the Markdown tree processor needs to rewrite links and media."""

    def __init__(self, parsed: ParsedModule, resolve: LinkResolver, media_url: MediaUrl) -> None:
        self.parsed = parsed
        self.resolve = resolve
        self.media_url = media_url
        self.section_ids = {section.id for section in parsed.sections}
        self.md = self._new_markdown()

    def _new_markdown(self) -> markdown.Markdown:
        return markdown.Markdown(
            extensions=[
                "tables", "footnotes", "attr_list", "def_list", "sane_lists", "md_in_html", "toc", "fenced_code",
                _RewriteExtension(self),
            ],
            extension_configs={
                "footnotes": {"UNIQUE_IDS": True, "BACKLINK_TITLE": "Revenir à l'appel de note %d"},
                "tables": {"use_align_attribute": True},
            },
            output_format="html",
        )

    def html(self, text: str) -> str:
        self.md.reset()
        return sanitize(self.md.convert(text)).strip()

    def inline(self, text: str) -> str:
        """Markdown for a question or a choice: one paragraph, without its ``<p>`` wrapper.

        A leading ``1.``, ``-`` or ``#`` is escaped: ``### 1. Quelle…`` is a sentence, not a list.
        """
        text = _BLOCK_START_RE.sub(lambda m: m.group(1) + "\\" + m.group(2), text.strip())
        rendered = self.html(text)
        if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
            return rendered[3:-4]
        return rendered

    def rewrite_link(self, href: str) -> str:
        target = internal_target(href)
        if target is None:
            return href
        slug, section = target
        if slug is None:
            return self.resolve(self.parsed.slug, section) if section in self.section_ids else href
        return self.resolve(slug, section)

    def media_src(self, src: str) -> str:
        name = media_name(src)
        return self.media_url(name) if name is not None else src

    def render(self) -> Module:
        front = self.parsed.front
        return Module(
            slug=self.parsed.slug,
            path=self.parsed.path,
            title=french_spacing(_text(front, "titre")),
            summary=_text(front, "resume"),
            duration_minutes=_int(front, "duree", 0),
            objectives=_texts(front, "objectifs"),
            order=_int(front, "ordre", 0),
            pass_mark=_int(front, "seuil", DEFAULT_PASS_MARK),
            max_attempts=_int(front, "tentatives_max", None),
            prerequisites=_texts(front, "prerequis"),
            reflection_required=front.get("reflexion_obligatoire") is True,
            intro_html=self._flow(self.parsed.intro, None),
            sections=tuple(self._section(section) for section in self.parsed.sections),
            content_hash=self.parsed.content_hash,
            authors=_texts(front, "auteurs"),
            keywords=_texts(front, "mots_cles"),
        )

    def _section(self, section: RawSection) -> Section:
        blocks: list[Block] = []
        pending: list[RawPart] = []
        counts = {"quiz": 0, "reflexion": 0}
        for part in [*section.parts, None]:
            if part is None or (isinstance(part, RawBlock) and part.kind in counts):
                if any(_has_text(p) for p in pending):
                    blocks.append(HtmlBlock(self._flow(pending, section)))
                pending = []
            if isinstance(part, RawBlock) and part.kind in counts:
                counts[part.kind] += 1
                block = self._interactive(part, f"{section.id}-{part.kind}-{counts[part.kind]}")
                if block is not None:
                    blocks.append(block)
            elif part is not None:
                pending.append(part)
        return Section(section.id, french_spacing(section.title), tuple(blocks), section.line, section.path)

    def _flow(self, parts: list[RawPart], section: RawSection | None) -> str:
        """Text and call-outs rendered as one Markdown document, so footnotes work across them."""
        chunks: list[str] = []
        for part in parts:
            body = "\n".join(text for _, text in part.lines)
            if isinstance(part, RawBlock) and part.kind in CALLOUT_LABELS:
                title = html.escape(french_spacing(part.title or CALLOUT_LABELS[part.kind]))
                body = (
                    f'\n\n<div class="callout callout-{part.kind}" role="note" markdown="1">\n'
                    f'<p class="callout-title">{title}</p>\n\n{body}\n\n</div>\n\n'
                )
            elif isinstance(part, RawBlock):
                continue  # quizzes outside a section or unknown blocks: reported by validate, never shown
            chunks.append(body)
        return self.html("\n".join(chunks)) if any(c.strip() for c in chunks) else ""

    def _interactive(self, block: RawBlock, block_id: str) -> Quiz | Reflection | None:
        if block.kind == "quiz":
            questions = tuple(self._question(q, f"q{n}") for n, q in enumerate(block.questions, start=1))
            title = french_spacing(block.title) if block.title else block.title
            rules, _ = read_options(block.options, _int(self.parsed.front, "seuil", DEFAULT_PASS_MARK) or DEFAULT_PASS_MARK)
            return Quiz(block_id, title, questions, block.line, rules)
        if block.reflection is None:
            return None
        guidance = "\n".join(block.reflection.guidance)
        return Reflection(
            block_id, self.inline(block.reflection.prompt), self.html(guidance) if guidance.strip() else "",
            block.reflection.line,
        )

    def _question(self, raw: RawQuestion, question_id: str) -> Question:
        choices = tuple(
            Choice(f"c{n}", self.inline(" ".join(c.text)), c.correct, self._block("\n".join(c.feedback)))
            for n, c in enumerate(raw.choices, start=1)
        )
        labels = [" ".join(c.text).strip().lower() for c in raw.choices]
        if any(c.style == "checkbox" for c in raw.choices):
            kind = "multiple"
        else:
            kind = "true_false" if labels == ["vrai", "faux"] else "single"
        weight = float(raw.weight.replace(",", ".")) if raw.weight else 1.0
        return Question(
            question_id, kind, self.inline(raw.prompt_text), choices,
            self._block("\n".join(raw.explanation)), weight, raw.line,
            split_reference(raw.reference) if raw.reference else None,
        )

    def _block(self, text: str) -> str:
        return self.html(text) if text.strip() else ""


class _RewriteTreeprocessor(Treeprocessor):
    """Internal links to app URLs; images, audio and video from media/ to figures with captions."""

    def __init__(self, md: markdown.Markdown, renderer: _Renderer) -> None:
        super().__init__(md)
        self.renderer = renderer

    def run(self, root: ET.Element) -> None:
        for link in root.iter("a"):
            if link.get("href"):
                link.set("href", self.renderer.rewrite_link(link.get("href", "")))
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag == "p" and len(child) == 1 and child[0].tag == "img" and _alone(child):
                    parent[index] = self._figure(child[0])
                elif child.tag == "img":
                    tail = child.tail
                    parent[index] = self._media(child)
                    parent[index].tail = tail
        _french_spacing(root)

    def _media(self, img: ET.Element) -> ET.Element:
        src = self.renderer.media_src(img.get("src", ""))
        alt = img.get("alt", "")
        kind = media_kind(img.get("src", ""))
        classes = " ".join(c for c in img.get("class", "").split() if c != DECORATIVE_CLASS)
        if kind == "image":
            element = ET.Element("img", {"src": src, "alt": alt, "loading": "lazy"})
        else:
            element = ET.Element(kind, {"src": src, "controls": "controls", "preload": "metadata"})
            if alt:
                element.set("aria-label", alt)
            fallback = ET.SubElement(element, "a", {"href": src})
            fallback.text = f"Télécharger le fichier ({alt or kind})"
        if classes:
            element.set("class", classes)
        return element

    def _figure(self, img: ET.Element) -> ET.Element:
        figure = ET.Element("figure", {"class": f"media media-{media_kind(img.get('src', ''))}"})
        figure.append(self._media(img))
        if img.get("title"):
            caption = ET.SubElement(figure, "figcaption")
            caption.text = img.get("title")
        return figure


#: Elements whose text is literal (code) and must not get typographic spaces.
_LITERAL_TAGS = frozenset({"code", "pre", "kbd", "samp"})


def _french_spacing(root: ET.Element) -> None:
    """No-break spaces before « : ; ! ? » » and after « « » in the prose, so a phone never starts a line with them.

    Code keeps its spaces; a tail (the text after an element) belongs to the parent and is prose.
    """
    def walk(element: ET.Element, literal: bool) -> None:
        literal = literal or element.tag in _LITERAL_TAGS
        if element.text and not literal and not isinstance(element.text, AtomicString):
            element.text = french_spacing(element.text)
        for child in element:
            walk(child, literal)
            if child.tail and not literal:
                child.tail = french_spacing(child.tail)

    walk(root, False)


class _RewriteExtension(Extension):
    def __init__(self, renderer: _Renderer) -> None:
        super().__init__()
        self.renderer = renderer

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Python-Markdown's API
        md.treeprocessors.register(_RewriteTreeprocessor(md, self.renderer), "elearn-rewrite", 5)


def _alone(paragraph: ET.Element) -> bool:
    return not (paragraph.text or "").strip() and not (paragraph[0].tail or "").strip()


def _has_text(part: RawPart) -> bool:
    return isinstance(part, RawBlock) or any(text.strip() for _, text in part.lines)


def _text(front: dict, key: str) -> str:
    value = front.get(key)
    return value.strip() if isinstance(value, str) else ""


def _texts(front: dict, key: str) -> tuple[str, ...]:
    value = front.get(key)
    return tuple(str(v) for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _int(front: dict, key: str, default: int | None) -> int | None:
    value = front.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def render(
    parsed: ParsedModule, link_resolver: LinkResolver = placeholder_resolver, media_url: MediaUrl = default_media_url
) -> Module:
    """The Module learners see; call it on a module ``validate`` found no error in."""
    return _Renderer(parsed, link_resolver, media_url).render()
