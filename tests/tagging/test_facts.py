"""Discounts, prices, dates and hashtags as the seven markets write them."""

from __future__ import annotations

import pytest

from dam_app.tagging import facts


@pytest.mark.parametrize(
    ("text", "written", "value"),
    [
        ("SALE 40% OFF today", "40% OFF", {"form": "percent", "percent_off": 40}),
        ("Sale 25% off", "25% off", {"form": "percent", "percent_off": 25}),
        ("满300减50", "满300减50", {"form": "spend-save", "spend": 300, "save": 50}),
        ("全场7折", "7折", {"form": "pay-tenths", "percent_off": 30}),
        ("2点目半額", "2点目半額", {"form": "nth-item", "item": 2, "offer": "半額"}),
        ("Giảm 40% hôm nay", "Giảm 40%", {"form": "percent", "percent_off": 40}),
        ("Giảm giá 40% hôm nay", "Giảm giá 40%", {"form": "percent", "percent_off": 40}),
        ("ลดราคา 50% วันนี้", "ลดราคา 50%", {"form": "percent", "percent_off": 50}),
        ("Harbolnas diskon hingga 70%", "diskon hingga 70%", {"form": "percent", "percent_off": 70}),
        ("ลด 50%", "ลด 50%", {"form": "percent", "percent_off": 50}),
        ("최대 40% 할인", "40% 할인", {"form": "percent", "percent_off": 40}),
        ("bis zu 50 % Rabatt", "50 % Rabatt", {"form": "percent", "percent_off": 50}),
        ("Soldes -30%", "-30%", {"form": "percent", "percent_off": 30}),
        ("买一送一", "买一送一", {"form": "bogo"}),
    ],
)
def test_discounts_in_every_market(text: str, written: str, value: dict[str, object]) -> None:
    found = facts.discounts(text)
    assert [(f.text, f.value) for f in found] == [(written, value)]


@pytest.mark.parametrize(
    ("text", "markets", "currency", "amount"),
    [
        ("¥199", ("CN",), "CNY", "199"),
        ("¥1,980", ("JP",), "JPY", "1980"),
        ("1,980円", (), "JPY", "1980"),
        ("RM 59.90", (), "MYR", "59.90"),
        ("$19.99", (), "USD", "19.99"),
        ("US$ 5", (), "USD", "5"),
        ("Rp 99.000", (), "IDR", "99000"),
        ("199.000₫", (), "VND", "199000"),
        ("19,99 €", (), "EUR", "19.99"),
        ("1.299,00 €", (), "EUR", "1299.00"),
        ("฿299", (), "THB", "299"),
        ("29,900원", (), "KRW", "29900"),
        ("R$ 99", (), "BRL", "99"),
        ("USD 49", (), "USD", "49"),
    ],
)
def test_prices_with_their_currency(text: str, markets: tuple[str, ...], currency: str, amount: str) -> None:
    (price,) = facts.prices(text, markets=markets)
    assert price.value == {"currency": currency, "amount": amount}
    assert price.text == text


def test_dates_hashtags_and_one_fact_per_phrase() -> None:
    text = "Nov 11, 2026 · 11.11 · 2026-11-11 · 11月11日 #ad #双11 SALE 40% OFF $11.11"
    found = facts.extract(text)
    dates = {f.text: f.value for f in found if f.kind == "date"}
    assert dates["Nov 11, 2026"] == {"month": 11, "day": 11, "year": 2026, "iso": "2026-11-11"}
    assert dates["2026-11-11"]["iso"] == "2026-11-11" and dates["11月11日"] == {"month": 11, "day": 11}
    assert dates["11.11"] == {"month": 11, "day": 11}  # the date, and not the price "$11.11" again
    assert sum(f.text == "11.11" for f in found) == 1
    assert [f.value["tag"] for f in found if f.kind == "hashtag"] == ["ad", "双11"]
    assert [f.text for f in found if f.kind == "discount"] == ["40% OFF"]  # "SALE 40% OFF" is one discount
    assert [f.text for f in found if f.kind == "price"] == ["$11.11"]


@pytest.mark.parametrize(
    ("written", "amount"), [("1,980", "1980"), ("99.000", "99000"), ("19,99", "19.99"), ("1.299,00", "1299.00")]
)
def test_amounts_read_thousands_and_decimal_marks(written: str, amount: str) -> None:
    assert str(facts.parse_amount(written)) == amount


def test_text_without_facts() -> None:
    assert facts.extract("Shop the glow. Limited time only.") == []
    assert facts.extract("Call 13/45 now, 99 problems") == []  # 13/45 is no date, 99 no price
