"""answer.text.governing_year: the due year in force for a sentence of a unit, read backwards from it."""
from __future__ import annotations

from answer.text import governing_year
from knowledge.targets import due_year
from knowledge.text import split_sentences

UNIT = ("（三）主要目标。到2025年，新建绿色工厂10家，单位工业增加值能耗下降13.5%。推进园区循环化改造；"
        "为2060年前实现碳中和奠定基础。到2030年，非化石能源消费比重达到25%左右。完善标准体系；"
        "“十四五”期间，累计改造老旧小区200个。建立监测制度。")


def forward(before: str, sentence: str) -> int | None:
    """The rule as first written: every sentence before, in order, each carrying its due year on."""
    carried = None
    for s in split_sentences(before):
        carried = due_year(s, carried)
    return due_year(sentence, carried)


def test_the_last_due_year_before_the_sentence_governs_it():
    def at(sentence):
        return governing_year(UNIT[:UNIT.find(sentence)], sentence)

    assert at("推进园区循环化改造；") == 2025
    assert at("为2060年前实现碳中和奠定基础。") == 2025  # a year inside a clause sets no time
    assert at("完善标准体系；") == 2030
    assert at("到2030年，非化石能源消费比重达到25%左右。") == 2030  # its own year
    assert governing_year("", "建立监测制度。") is None and governing_year("推进改造。", "建立监测制度。") is None


def test_same_year_as_the_forward_reading_at_every_cut():
    for cut in range(len(UNIT) + 1):
        for sentence in ("完善标准体系；", "到2035年，基本建成。", UNIT[cut:cut + 30]):
            assert governing_year(UNIT[:cut], sentence) == forward(UNIT[:cut], sentence)
