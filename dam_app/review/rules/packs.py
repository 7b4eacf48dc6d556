"""Rule pack definitions: the data an admin edits (terms, exemptions, patterns) and the checks that
reject a pack which could never run (an invalid pattern, a pack with nothing to look for).

Three kinds, each read by its own checker in `checks.py`:
- absolute_terms: words a market's law forbids as claims (China's Advertising Law art. 9), with
  the exemptions the 2023 enforcement guideline gives, so a word list does not drown reviewers;
- disclosure: partner content must say it is paid, in its first line (US FTC endorsement guides);
- claims: health and efficacy claims, which need evidence on file before they may run.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field, ValidationError, ValidationInfo

ALL_MARKETS = "*"
MAX_ENTRIES = 500
MAX_ENTRY = 200


class PackKind(StrEnum):
    ABSOLUTE_TERMS = "absolute_terms"
    DISCLOSURE = "disclosure"
    CLAIMS = "claims"


class PackError(ValueError):
    """A pack that cannot be saved as given; the message names the entry and why."""


def _words(values: list[str], info: ValidationInfo) -> list[str]:
    """Entries trimmed, blanks and repeats dropped, within the size limits."""
    cleaned = [v.strip() for v in values if v.strip()]
    if len(cleaned) > MAX_ENTRIES:
        raise ValueError(f"{info.field_name}: {len(cleaned)} entries; at most {MAX_ENTRIES}")
    for value in cleaned:
        if len(value) > MAX_ENTRY:
            raise ValueError(f"{info.field_name}: {value[:40]!r}... is {len(value)} characters; at most {MAX_ENTRY}")
    return list(dict.fromkeys(cleaned))


def _patterns(values: list[str], info: ValidationInfo) -> list[str]:
    """As `_words`, each a regular expression that compiles (the reason it does not, if not)."""
    for value in values:
        try:
            compiled = re.compile(value, re.IGNORECASE)
        except re.error as error:
            raise ValueError(
                f"{info.field_name}: the pattern {value!r} is not a valid regular expression ({error})"
            ) from None
        if compiled.search("") is not None:
            raise ValueError(
                f"{info.field_name}: the pattern {value!r} matches empty text, so it would match everywhere"
            )
    return values


def _required(values: list[str], info: ValidationInfo) -> list[str]:
    if not values:
        raise ValueError(f"{info.field_name}: the pack needs at least one entry here")
    return values


Words = Annotated[list[str], AfterValidator(_words)]
Patterns = Annotated[list[str], AfterValidator(_words), AfterValidator(_patterns)]


class AbsoluteTerms(BaseModel):
    terms: Annotated[Words, AfterValidator(_required)] = Field(
        description="Words that may not be used as claims, in any language"
    )
    exempt_patterns: Patterns = Field(
        default_factory=list,
        description="Regular expressions: a term inside a match of one of these is no claim (best before, 第一次)",
    )
    trademarks: Words = Field(default_factory=list, description="Registered names that contain a term")


class Disclosure(BaseModel):
    applies_to_tags: Annotated[Words, AfterValidator(_required)] = Field(
        description="Tags that mark partner or influencer content"
    )
    disclosures: Annotated[Patterns, AfterValidator(_required)] = Field(
        description="Regular expressions of clear disclosures (#ad, paid partnership)"
    )
    not_enough: Patterns = Field(default_factory=list, description="Tags people use that do not disclose (#sp)")


class Claims(BaseModel):
    patterns: Annotated[Patterns, AfterValidator(_required)] = Field(
        description="Regular expressions of claims that need evidence"
    )
    not_claims: Patterns = Field(
        default_factory=list, description="Regular expressions of look-alikes that are no claim (cured ham)"
    )


SCHEMAS: dict[str, type[BaseModel]] = {
    PackKind.ABSOLUTE_TERMS: AbsoluteTerms,
    PackKind.DISCLOSURE: Disclosure,
    PackKind.CLAIMS: Claims,
}


def validated(kind: str, definition: dict[str, Any]) -> BaseModel:
    """The definition parsed for its kind, or PackError naming every problem."""
    schema = SCHEMAS.get(kind)
    if schema is None:
        raise PackError(f"unknown pack kind {kind!r}; use one of {', '.join(SCHEMAS)}")
    try:
        return schema.model_validate(definition)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            where = ".".join(str(part) for part in item["loc"])
            message = str(item["msg"]).removeprefix("Value error, ")
            problems.append(message if message.startswith(f"{where}:") else f"{where}: {message}")
        raise PackError("; ".join(problems)) from None
