"""The text in a version's pixels: read it (the `ocr` stage), keep it per version with its lines,
boxes and facts, tag the asset with what it says, and hand it to search and the asset page."""

from __future__ import annotations

import uuid

from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, col, select

from dam_app.accounts.principal import Principal
from dam_app.assets import service as assets_service
from dam_app.assets.media import open_image
from dam_app.assets.models import Asset, Version
from dam_app.assets.renditions import rendition_path
from dam_app.catalog.models import Market
from dam_app.errors import NotFound
from dam_app.tagging import facts as facts_module
from dam_app.tagging import language, ocr
from dam_app.tagging.models import ImageText, ImageTextRead, TagKind, TextStatus
from dam_app.tagging.service import StageTag, replace_stage_tags

STAGE = "ocr"
TEXT_TAG = "text"  # the visual tag for "text in the picture"
FACT_TAGS = {"discount": "discount", "price": "price"}
EVIDENCE_CHARS = 60


def read_version(*, session: Session, version: Version) -> ImageText:
    """Read, store and tag; a version that cannot be read is stored as skipped with the reason."""
    asset = session.get(Asset, version.asset_id)
    if asset is None:
        raise LookupError(f"asset {version.asset_id} is gone")
    row = _read(session, asset, version)
    values = {name: getattr(row, name) for name in ImageText.model_fields}
    session.execute(
        insert(ImageText)
        .values(**values)
        .on_conflict_do_update(
            index_elements=["version_id"], set_={k: v for k, v in values.items() if k != "version_id"}
        )
    )
    if asset.current_version_id == version.id:  # an older version finishing late does not tag the asset
        replace_stage_tags(session=session, asset_id=asset.id, stage=STAGE, tags=tags_for(row))
    return row


def _read(session: Session, asset: Asset, version: Version) -> ImageText:
    row = ImageText(version_id=version.id, asset_id=asset.id, status=TextStatus.SKIPPED, method=ocr.METHOD)
    if not version.has_pixels:
        row.reason = "a document's text is its copy, read by the metadata stage"
        return row
    preview = rendition_path(session, version.id, "preview")
    languages = market_languages(session, asset.markets)
    try:
        models, missing = ocr.models_for(languages)
        reading = ocr.read(open_image(preview, target_px=ocr.OCR_PX), models)
    except ocr.OcrUnavailable as exc:
        row.reason = str(exc)
        return row
    row.languages, row.seconds = list(reading.languages), round(reading.seconds, 3)
    notes = (
        [f"no OCR model for {', '.join(missing)}: such text is read as {', '.join(models)} would"] if missing else []
    )
    if not reading.lines:
        row.status = TextStatus.NONE
        row.reason = "; ".join(["no text-like strokes" if reading.looked_only else "no legible text", *notes])
        return row
    row.status, row.reason = TextStatus.READ, "; ".join(notes)
    row.text = reading.text[:20_000]
    row.confidence = round(reading.confidence, 3)
    row.lines = [{"text": ln.text, "box": list(ln.box), "confidence": ln.confidence} for ln in reading.lines]
    row.facts = [f.as_json() for f in facts_module.extract(row.text, markets=tuple(asset.markets))]
    detected = language.detect(row.text, among=[*languages, "en"])
    row.language = detected.code if detected else None
    return row


def market_languages(session: Session, markets: list[str]) -> list[str]:
    """The languages the asset's markets write, in the markets' order (English comes last anyway)."""
    if not markets:
        return []
    rows = session.exec(select(Market).where(col(Market.code).in_(markets))).all()
    by_code = {m.code: m.languages for m in rows}
    return list(dict.fromkeys(code for market in markets for code in by_code.get(market, [])))


def tags_for(row: ImageText) -> list[StageTag]:
    """ "text" with its first words as evidence, one tag per kind of fact, and the text's language."""
    if row.status != TextStatus.READ:
        return []
    first = row.text.replace("\n", " / ")[:EVIDENCE_CHARS]
    tags = [StageTag(TagKind.VISUAL, TEXT_TAG, row.confidence, f"OCR: '{first}'")]
    for kind, name in FACT_TAGS.items():
        found = [f["text"] for f in row.facts if f["kind"] == kind]
        if found:
            tags.append(
                StageTag(TagKind.BUSINESS, name, row.confidence, "OCR: " + ", ".join(f"'{t}'" for t in found[:3]))
            )
    for fact in row.facts:
        if fact["kind"] == "hashtag":
            tags.append(StageTag(TagKind.BUSINESS, fact["text"], row.confidence, f"OCR: '{fact['text']}'"))
    if row.language:
        name = f"{language.NAMES[row.language]} text"
        tags.append(StageTag(TagKind.MARKET, name, row.confidence, f"OCR text in {language.NAMES[row.language]}"))
    return tags


def searchable_text(*, session: Session, version_id: uuid.UUID) -> str:
    row = session.get(ImageText, version_id)
    return row.text if row is not None and row.status == TextStatus.READ else ""


def text_for(
    *, session: Session, principal: Principal, asset_id: uuid.UUID, version_id: uuid.UUID | None = None
) -> ImageTextRead | None:
    """The text read from the asset's current version (or `version_id` of it); None while the ocr
    stage has not run yet."""
    asset = assets_service.visible_asset(session, principal, asset_id)
    version_id = version_id or asset.current_version_id
    version = session.get(Version, version_id) if version_id else None
    if version is None or version.asset_id != asset.id:
        raise NotFound("version", version_id)  # also one of another asset: scope never leaks
    return stored_text(session=session, version_id=version.id)


def stored_text(*, session: Session, version_id: uuid.UUID) -> ImageTextRead | None:
    """What the ocr stage stored for a version the caller may already see; None before it ran."""
    row = session.get(ImageText, version_id)
    return ImageTextRead.model_validate(row) if row is not None else None
