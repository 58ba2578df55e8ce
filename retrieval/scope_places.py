"""Places in titles and questions, for the scope model (retrieval/scope.py): which places a document is issued
for (`places_in`, from its title, file name and issuer) and which a question names, whether or not the library has
a document of them (`named_places`). A gazetteer from jieba's bundled dictionary (its ns tags), read once."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from knowledge.text import fold

# A place a document is issued for or applies to: 上海市…, 广州市黄埔区…, 江西省…, 繁昌区…, 湖北省生态环境厅.
_DIVISION = re.compile(r"维吾尔自治区|壮族自治区|回族自治区|自治区|特别行政区|省|市|区|县|州|盟|旗")
_PLACE = re.compile(rf"([\u4e00-\u9fff]{{2,4}}?)(?:{_DIVISION.pattern})")
_COUNTRY = {"中国", "中华", "全国"}  # the country, not a place of its own
# Words that end in 市/区/县 without being a place (城市, 地区, 社区, 园区, 开发区, 高新区, 示范区, 辖区 … — read off the
# titles of ../shared/corpus-dc). Applied only to stems the gazetteer does not know: 新余, 全椒, 老河口 are places.
# 自治 is the level itself when an issuer is written without its place (自治区人民政府, 自治州…): the division names
# of the PRC's administrative system, not a stem of one.
_NOT_PLACE = re.compile(r"^(?:关于|印发|推动|加快|城|地|社|全|本|各|新|老|园|开发|高新|功能|示范|重点|行政|辖|城乡|城市|自治)")


def places_in(text: str) -> list[str]:
    """Place stems a title or an issuer names: 广州市黄埔区… → [广州, 黄埔]; 关于天津市2021年度… → [天津].
    A stem counts when jieba's bundled dictionary tags it a place name (ns), or when the text starts with it
    and it is short (毕节市…, 连云港市…): 2022年度省…, 北京市绿色社区… name no place."""
    text = re.sub(r"^(?:中共|关于|印发)+", "", fold(text))
    out: list[str] = []
    # A title may start with the place's bare name: 四川林草碳汇行动方案 (325), 天津电力“碳达峰、碳中和”先行示范区实施方案 (63) — a division's
    # name, not any word jieba tags ns (城市绿色货运配送示范工程管理办法, 海洋碳汇经济价值核算方法 name no place).
    lead = next((text[:k] for k in (4, 3, 2) if text[:k] in _division_names() and text[:k] not in _COUNTRY), None)
    if lead:
        out.append(lead)
    pos = 0
    while (m := _PLACE.search(text, pos)) is not None:
        stem = m.group(1)
        # Known: jieba tags the stem, or the stem with its division (齐齐哈尔市, 嘉兴市), a place name.
        known = stem in _place_names() or m.group(0) in _place_names()
        if not known and _DIVISION.match(text, m.end()):
            # The shortest stem the pattern allows can hold the verb before a place whose name ends in a
            # division character, the division following: 关于成立柳州市… matches 成立柳 + 州 (柳州 + 市),
            # 关于征集徐州市… 征集徐 + 州 (徐州 + 市).
            whole = m.group(0)
            tail = next((whole[i:] for i in range(len(whole) - 1) if whole[i:] in _division_names()), None)
            if tail is not None:
                stem, known = tail, True
        if not known and (_NOT_PLACE.search(stem) or not (m.start() == 0 and len(stem) <= 3)):
            pos = m.start() + 1
            continue
        if stem not in out:
            out.append(stem)
        pos = m.end()
    return [p for p in out if not any(o != p and o in p for o in out)]  # 河南, not also 河南省


# A document speaking of its own place: 我省/全省/本省 (a province's), 我市/全市/本市 (a city's), 我区/全区/本区 (a
# district's or an autonomous region's). National documents write 全国/各地/各省.
_SELF_PLACE = {"省": re.compile(r"[我全本]省"), "市": re.compile(r"[我全本]市"), "区": re.compile(r"[我全本]区")}


def text_place(text: str) -> str | None:
    """The place a document's text speaks as, for a document whose title, file name and issuer name none
    (黑环办发〔2021〕119号 关于2021-2023年度推动碳达峰、碳中和工作滚动实施方案: 助力我省…, 全省碳排放强度, 黑龙江省…):
    the level it calls its own at least twice (我省/全省, 我市/全市, 我区/全区), and the place of that level its text
    names most often, written with the division (黑龙江省), at least twice; None otherwise. Twice, not once: a
    national notice's annex may write 全市 once in a city's application form (373 城市绿色货运配送示范工程管理办法)."""
    text = fold(text)
    best: tuple[int, str] | None = None
    for level, own in _SELF_PLACE.items():
        if len(own.findall(text)) < 2:
            continue
        counts: dict[str, int] = {}
        for m in re.finditer(rf"([\u4e00-\u9fff]{{2,4}}?){level}", text):
            stem = next((m.group(1)[i:] for i in range(len(m.group(1)) - 1) if m.group(1)[i:] in _division_names()),
                        None)
            if stem and stem not in _COUNTRY:
                counts[stem] = counts.get(stem, 0) + 1
        for stem, n in counts.items():
            if n >= 2 and (best is None or n > best[0]):
                best = (n, stem)
    return best[1] if best else None


_NS: list[tuple[dict, frozenset]] = []
_DIVISIONS: list[frozenset] = []
_DIVISION_SUFFIX = re.compile(rf"(?:{_DIVISION.pattern})$")


def _division_names() -> frozenset:
    """Place names jieba's dictionary knows both bare and as a division (四川 and 四川省, 深圳 and 深圳市, 柳州 and
    柳州市): its ns tag alone also covers common nouns (城市, 海洋, 城镇, 山区, 美丽, 上市)."""
    if not _DIVISIONS:
        names = _place_names()
        stems = {w[:m.start()] for w in names if (m := _DIVISION_SUFFIX.search(w)) and m.start() >= 2}
        _DIVISIONS.append(frozenset(stems & names))
    return _DIVISIONS[0]


_NAMED: list[frozenset] = []
# A bare name counts as a place in a question when the dictionary writes its division form at least this share as
# often as the bare word: jieba tags 新建 (1000; 新建县 4), 江南 (4986; 江南区 2), 长安 (5355; 长安区 17), 中原, 江北 and
# 西湖 ns, words first (新建建筑 in 23 dev questions); the provinces and cities the dev questions name are 0.026 (黄埔)
# to 0.94 (武汉), by jieba's dict.txt.
_BARE_SHARE = 0.02


def _question_places() -> frozenset:
    """Names a question may give a place by without the library having it: jieba's division names (四川, 广州,
    黄埔 …; see _division_names) that are not words first (_BARE_SHARE)."""
    if not _NAMED:
        freq = _gazetteer()
        divided: dict[str, int] = {}
        for w in _place_names():
            if (m := _DIVISION_SUFFIX.search(w)) and m.start() >= 2:
                divided[w[:m.start()]] = max(divided.get(w[:m.start()], 0), freq[w])
        _NAMED.append(frozenset(s for s in _division_names() if s not in _COUNTRY and (
            divided.get(s, 0) >= _BARE_SHARE * freq[s])))
    return _NAMED[0]


def named_places(tokens: Iterable[str]) -> list[str]:
    """The places a question's tokens name, whether or not the library has a document of them: a division name
    bare (广州, 四川), or any place name the gazetteer has with its division written out (黄埔区, 凉山州; 嘉兴市 and
    宁德市, whose bare names jieba does not tag ns), words ending in 区/市 that name no place left out (_NOT_PLACE:
    开发区, 示范区)."""
    out = []
    for t in tokens:
        m = _DIVISION_SUFFIX.search(t)
        if m and m.start() >= 2 and t in _place_names():
            stem = t[:m.start()]
            named = stem in _question_places() or not _NOT_PLACE.search(stem)
        else:
            stem, named = t, t in _question_places()
        if named and stem not in out:
            out.append(stem)
    return out


def places_named(text: str) -> list[str]:
    """Every place `text` names: with its division (深圳市, 山东省: `places_in`) or bare, as a word the gazetteer tags a
    place (呼和浩特、鄂尔多斯等城市: `named_places` over the words of the shared stock-dictionary tokenizer,
    retrieval.tokenize.stock_jieba — the global jieba.lcut would load a third copy of the dictionary). For the answer
    checks that read a quote's or a question's places (answer.identifiers.place_stated,
    answer.asked_subject.place_for_national)."""
    from retrieval.tokenize import stock_jieba
    return [*places_in(text), *named_places(stock_jieba().lcut(fold(text)))]


def _gazetteer() -> dict[str, int]:
    """Words jieba's bundled dictionary tags as place names (ns), with their frequencies: a general gazetteer, read
    once (the frequencies tell a place's bare name from a common word: _question_places)."""
    if not _NS:
        import jieba

        names: dict[str, int] = {}
        path = Path(jieba.__file__).with_name("dict.txt")
        with path.open(encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if len(parts) == 3 and parts[2] == "ns":
                    names[parts[0]] = int(parts[1])
        _NS.append((names, frozenset(names)))
    return _NS[0][0]


def _place_names() -> frozenset:
    """The gazetteer's names (_gazetteer)."""
    _gazetteer()
    return _NS[0][1]
