"""Structured facts in marketing copy and image text: discounts, prices with their currency, dates
and hashtags, in the forms the seven markets write them ("40% OFF", "满300减50", "2点目半額", "¥199",
"RM 59", "Rp 99.000", "11.11", "#ad").

Pure functions over text, so the OCR stage, the copy of a document and the tests share them.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

# Symbol or word -> ISO 4217, longest first so "US$" wins over "$". "¥" is settled by context.
_PREFIXES = {
    "US$": "USD",
    "HK$": "HKD",
    "NT$": "TWD",
    "S$": "SGD",
    "R$": "BRL",
    "A$": "AUD",
    "C$": "CAD",
    "RMB": "CNY",
    "RM": "MYR",
    "Rp": "IDR",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "YEN",
    "￥": "YEN",
    "₩": "KRW",
    "₫": "VND",
    "฿": "THB",
    "₱": "PHP",
}
_SUFFIXES = {"円": "JPY", "元": "CNY", "원": "KRW", "บาท": "THB", "₫": "VND", "đ": "VND", "€": "EUR", "zł": "PLN"}
_CODES = ("USD", "EUR", "GBP", "JPY", "CNY", "KRW", "IDR", "VND", "THB", "MYR", "SGD", "HKD", "TWD", "BRL", "MXN")

_AMOUNT = r"\d{1,3}(?:[.,\s]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_PREFIX_RE = "|".join(re.escape(p) for p in sorted(_PREFIXES, key=len, reverse=True))
_SUFFIX_RE = "|".join(re.escape(s) for s in sorted(_SUFFIXES, key=len, reverse=True))
_CODE_RE = "|".join(_CODES)
_PRICE_PATTERNS = (
    re.compile(rf"(?<![A-Za-z])(?P<cur>{_PREFIX_RE})\s?(?P<amount>{_AMOUNT})"),
    re.compile(rf"(?P<amount>{_AMOUNT})\s?(?P<cur>{_SUFFIX_RE})"),
    re.compile(rf"\b(?P<cur>{_CODE_RE})\s?(?P<amount>{_AMOUNT})"),
    re.compile(rf"(?P<amount>{_AMOUNT})\s?(?P<cur>{_CODE_RE})\b"),
)

_PERCENT = r"(?P<pct>\d{1,2})\s?(?:%|\uff05)"  # ASCII or full-width percent sign
_OFF_AFTER = "(?i:off|de descuento|de desconto|rabatt|de réduction|할인|折扣|引き|オフ)"
_OFF_BEFORE = "(?i:save|up to|bis zu|hasta|até|jusqu'à|giảm giá|giảm|diskon hingga|diskon|ลดราคา|ลด|세일|sale)"
_DISCOUNT_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"{_PERCENT}\s?(?:{_OFF_AFTER})"), "percent"),
    (re.compile(rf"(?:{_OFF_BEFORE})\s?(?:-\s?)?{_PERCENT}"), "percent"),
    (re.compile(rf"(?<![\d%])-\s?{_PERCENT}"), "percent"),
    (re.compile(r"(?P<tenths>\d(?:\.\d)?)\s?折"), "pay-tenths"),
    (re.compile(r"满\s?(?P<spend>\d+)\s?减\s?(?P<save>\d+)"), "spend-save"),
    (re.compile(r"(?P<nth>\d)\s?(?:点目|個目|つ目)\s?(?P<what>半額|無料|\d{1,2}\s?%\s?(?:OFF|オフ|引き))"), "nth-item"),
    (re.compile(r"半額|半价|半價|반값"), "half-price"),
    (re.compile(r"买一送一|買一送一|buy one get one|BUY 1 GET 1|Buy 1 Get 1|1\+1"), "bogo"),
)

_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = "|".join(_MONTH_NAMES)
_DATE_PATTERNS = (
    re.compile(r"\b(?P<y>20\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})\b"),
    re.compile(r"(?:(?P<y>20\d{2})\s?年\s?)?(?P<m>\d{1,2})\s?月\s?(?P<d>\d{1,2})\s?[日号]"),
    re.compile(r"(?P<y>20\d{2})\s?년\s?(?P<m>\d{1,2})\s?월\s?(?P<d>\d{1,2})\s?일"),
    re.compile(rf"\b(?P<mon>{_MONTHS})[a-z]*\.?\s(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s(?P<y>20\d{{2}}))?", re.I),
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s(?P<mon>{_MONTHS})[a-z]*\.?(?:\s(?P<y>20\d{{2}}))?\b", re.I),
    re.compile(r"(?<![$€£¥￥₩₫฿\d.,/])(?P<d>\d{1,2})[./](?P<m>\d{1,2})(?![\d.,/%])"),
)
_HASHTAG = re.compile(r"(?<![\w&])#(?P<tag>[^\W\d_][\w]{0,49}|\d+[^\W\d_][\w]{0,48})")


@dataclass(frozen=True)
class Fact:
    """One fact: its kind, the text it was read from, and what it means."""

    kind: str  # discount | price | date | hashtag
    text: str
    value: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def extract(text: str, *, markets: tuple[str, ...] = ()) -> list[Fact]:
    """Every fact in `text`, in reading order within each kind; `markets` settles "¥" (JPY in Japan)."""
    found = [*discounts(text), *prices(text, markets=markets), *dates(text), *hashtags(text)]
    return list({(f.kind, f.text): f for f in found}.values())


def discounts(text: str) -> list[Fact]:
    facts: list[Fact] = []
    taken: list[tuple[int, int]] = []
    for pattern, form in _DISCOUNT_PATTERNS:
        for match in pattern.finditer(text):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue  # "SALE 40% OFF" is one discount, not two
            taken.append(match.span())
            facts.append(Fact("discount", match.group(0).strip(), _discount_value(form, match)))
    return sorted(facts, key=lambda f: text.find(f.text))


def _discount_value(form: str, match: re.Match[str]) -> dict[str, Any]:
    groups = match.groupdict()
    if form == "percent":
        return {"form": form, "percent_off": int(groups["pct"])}
    if form == "pay-tenths":  # "7折": pay 70%, so 30% off
        return {"form": form, "percent_off": round(100 - float(groups["tenths"]) * 10)}
    if form == "spend-save":
        return {"form": form, "spend": int(groups["spend"]), "save": int(groups["save"])}
    if form == "nth-item":
        return {"form": form, "item": int(groups["nth"]), "offer": groups["what"]}
    if form == "half-price":
        return {"form": form, "percent_off": 50}
    return {"form": form}


def prices(text: str, *, markets: tuple[str, ...] = ()) -> list[Fact]:
    facts: list[Fact] = []
    taken: list[tuple[int, int]] = []
    for pattern in _PRICE_PATTERNS:
        for match in pattern.finditer(text):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            currency = _currency(match.group("cur"), markets)
            amount = parse_amount(match.group("amount"))
            if amount is None:
                continue
            taken.append(match.span())
            facts.append(Fact("price", match.group(0).strip(), {"currency": currency, "amount": str(amount)}))
    return sorted(facts, key=lambda f: text.find(f.text))


def _currency(written: str, markets: tuple[str, ...]) -> str:
    code = _PREFIXES.get(written) or _SUFFIXES.get(written) or written
    if code == "YEN":
        return "JPY" if "JP" in markets and "CN" not in markets else "CNY"
    return code


def parse_amount(written: str) -> Decimal | None:
    """ "1,980" -> 1980, "99.000" -> 99000, "19,99" -> 19.99, "1.299,00" -> 1299.00: the last
    separator is a decimal mark unless three digits follow it."""
    digits = written.replace(" ", "").replace("\u00a0", "")
    last = max(digits.rfind("."), digits.rfind(","))
    if last >= 0:
        head, tail = re.sub(r"[.,]", "", digits[:last]), digits[last + 1 :]
        digits = head + tail if len(tail) == 3 else f"{head}.{tail}"
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def dates(text: str) -> list[Fact]:
    facts: list[Fact] = []
    taken: list[tuple[int, int]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            value = _date_value(match.groupdict())
            if value is None:
                continue
            taken.append(match.span())
            facts.append(Fact("date", match.group(0).strip(), value))
    return sorted(facts, key=lambda f: text.find(f.text))


def _date_value(groups: dict[str, str | None]) -> dict[str, Any] | None:
    month_name = groups.get("mon")
    month = _MONTH_NAMES.index(month_name[:3].lower()) + 1 if month_name else int(groups.get("m") or 0)
    day = int(groups.get("d") or 0)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    value: dict[str, Any] = {"month": month, "day": day}
    if year := groups.get("y"):
        value["year"] = int(year)
        value["iso"] = f"{int(year):04d}-{month:02d}-{day:02d}"
    return value


def hashtags(text: str) -> list[Fact]:
    return [Fact("hashtag", m.group(0), {"tag": m.group("tag").lower()}) for m in _HASHTAG.finditer(text)]
