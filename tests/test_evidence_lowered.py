"""TopicMatcher reuses a text's lower-cased form across the words of a question (the scope text of a whole
library is megabytes): reuse must never answer for another text."""
from __future__ import annotations

from answer.evidence import LONG_TEXT, TopicMatcher


def test_present_answers_for_each_text_whatever_was_lowered_before():
    m = TopicMatcher()
    filler = "推进绿色低碳发展。" * (LONG_TEXT // 9 + 1)
    with_code = filler + "新建数据中心PUE不高于1.25。"
    without_code = filler + "新建数据中心能效达到先进水平。"
    short_with, short_without = "数据中心PUE不高于1.25。", "数据中心能效达到先进水平。"
    assert len(with_code) >= LONG_TEXT > len(short_with)
    for _ in range(2):  # alternating long and short texts, each seen again
        assert m.present("pue", with_code) and m.present("pue", short_with)
        assert not m.present("pue", without_code) and not m.present("pue", short_without)
        assert m.mandatory_missing(["pue", "数据中心"], without_code) == ["pue"]
        assert m.coverage(["pue", "数据中心"], with_code) == (1.0, [])
