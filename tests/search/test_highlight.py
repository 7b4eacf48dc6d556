"""Why a hit matched: terms found and excerpts marked with the index's own word and CJK rules."""

from __future__ import annotations

from dam_app.search.highlight import FRAGMENT_CHARS, highlight
from dam_app.search.text import query_terms


def test_latin_words_are_marked_whole_and_the_last_term_also_as_a_prefix() -> None:
    content = "Hiking rucksack hero shot\nA 30 litre rucksack for day hikes, rain cover included."
    matched, excerpt = highlight(content, query_terms("rucksack hik"))
    assert matched == ["rucksack", "hik"]
    assert "«Hiking» «rucksack»" in excerpt and "«hikes»" in excerpt
    assert "litre «rucksack»" in excerpt


def test_a_cjk_term_is_marked_inside_its_run_of_characters() -> None:
    matched, excerpt = highlight("双十一限时口红礼盒\uff0c全场五折", query_terms("口红"))
    assert matched == ["口红"] and excerpt == "双十一限时«口红»礼盒\uff0c全场五折"


def test_overlapping_cjk_bigrams_make_one_mark() -> None:
    matched, excerpt = highlight("双十一大促 banner", query_terms("双十一"))
    assert matched == ["双十", "十一"] and excerpt.startswith("«双十一»大促")


def test_full_width_text_is_found_and_marked_whole() -> None:
    # NFKC folds full-width letters to sale for matching; the original characters stay in the excerpt.
    wide = "\uff33\uff41\uff4c\uff45"
    matched, excerpt = highlight(f"{wide} banner", ["sale"])
    assert matched == ["sale"] and excerpt == f"«{wide}» banner"


def test_no_match_gives_no_reason() -> None:
    assert highlight("matte lipstick packshot", query_terms("sneaker")) == ([], "")
    assert highlight("matte lipstick packshot", []) == ([], "")
    assert highlight("", query_terms("lipstick")) == ([], "")


def test_excerpts_are_bounded_and_at_most_two() -> None:
    filler = " ".join(f"word{i}" for i in range(60))
    content = f"serum {filler} serum {filler} serum {filler} serum"
    matched, excerpt = highlight(content, ["serum"])
    fragments = excerpt.split(" … ")
    assert matched == ["serum"] and len(fragments) == 2
    assert all(f.count("«serum»") == 1 and len(f.split()) <= 18 for f in fragments)
    long_run = "促" * 400 + "口红" + "促" * 400
    _, cut = highlight(long_run, ["口红"])
    assert "«口红»" in cut and len(cut) <= FRAGMENT_CHARS + 2


def test_markup_like_content_stays_plain_text() -> None:
    matched, excerpt = highlight("<script>alert(1)</script> sale (50%) [banner]", query_terms("sale.*"))
    assert matched == ["sale"] and "«sale»" in excerpt and "<script>" in excerpt  # shown as text, never HTML
