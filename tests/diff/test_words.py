"""Copy documents compared word by word."""

from __future__ import annotations

from dam_app.diff.words import CONTEXT_WORDS, MAX_CHARS, word_diff


def test_the_changed_number_is_one_word_out_one_word_in() -> None:
    result = word_diff("Double Eleven: 30% OFF every serum.", "Double Eleven: 40% OFF every serum.")
    assert result["segments"] == [
        ["same", "Double Eleven: "],
        ["removed", "30"],
        ["added", "40"],
        ["same", "% OFF every serum."],
    ]
    assert (result["removed_words"], result["added_words"]) == (1, 1)


def test_long_unchanged_runs_are_cut_to_the_words_around_a_change() -> None:
    filler = " ".join(f"w{i}" + ("." if i % 10 == 9 else "") for i in range(200))  # sentences of ten words
    result = word_diff(f"{filler} old {filler}", f"{filler} new {filler}")
    segments = result["segments"]
    assert isinstance(segments, list)
    same = [text for op, text in segments if op == "same"]
    assert all("…" in text for text in same)
    assert all(len(text.split()) <= CONTEXT_WORDS * 2 + 1 for text in same)
    assert ["removed", "old"] in segments and ["added", "new"] in segments


def test_chinese_copy_and_huge_copy() -> None:
    result = word_diff("双十一 全场七折", "双十一 全场六折")
    assert result["removed_words"] == 1 and result["added_words"] == 1
    huge = word_diff("a " * MAX_CHARS, "b " * MAX_CHARS)
    assert huge["truncated"] is True


def test_huge_repetitive_copy_is_shown_as_replaced_instead_of_stalling() -> None:
    result = word_diff("x " * 40_000, "y " * 40_000)  # one 80,000-token "sentence" each side
    assert [op for op, _ in result["segments"]] == ["removed", "added"]
