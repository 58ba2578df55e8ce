"""Does a sentence actually answer the question? Content-word coverage, used to refuse rather than answer
with something merely nearby (a 2030 target when 2035 is asked, 装机 when 海上风电装机 is asked)."""
from __future__ import annotations

import re
from functools import lru_cache

from answer.asks import ASKS_SLOT
from knowledge.extract import INDUSTRY_WORDS
from knowledge.text import nfkc
from knowledge.units import UNIT_RE
from retrieval.tokenize import ChineseTokenizer
from retrieval.vocabulary import QueryExpander, curated_terms, kind_words

# Words that shape a question but name no topic. Kept short and general on purpose.
FORM_WORDS = frozenset("""
请问 几年 哪几年 文件 政策 举措 措施 方案 意见 规定 提出 提到 明确 要求 目标 目标值 计划 打算 预计 具体 主要 分别 一共 总共 相关 有关 关于 对于
什么 哪些 哪个 哪一 哪里 哪 哪年 哪一年 多少 几个 几 是否 有没有 有无 怎么 怎样 如何 吗 呢 吧 啊 的 了 是 有 要 和 与 及 在 到 由
为 将 把 被 全市 我市 本市 该市 市里 当地 我们 我 这个 那个 一下 可以 能否 应该 需要 达到 达 实现 完成 建成 提高 提高到 提升
下降 降低 增加 百分之 百分之多少 比例 多大 多高 层面 国家 全国 中央 地方 政府 企业 单位 部门 年 年底 年前 底 前 以上 左右 以内
共有 包括 哪几个 哪几 分为 几条 几档 类型 这份 一家 还要 还会 算不算 安排 部署 数量 数目 以后 平时 这些 那些 大概 得 还 又 都 也 再 就 想 能够 一些 会不会 多 少 占 铺 装 什么样 怎么样 情况 内容 工作 方面 领域 有关部门 相应 等 个 项 条 万 亿 市 啥 咋 能 会 让 给 跟 对 从 上 中 里 下 后 时 时候
如果 假如 若 通过 已经 正在 还能 能不能 可不可以 会被 被罚 受到 会有 会怎样 怎么办 怎么处理 如何处理 处理 后果 按照 依照 根据
这次 这批 这项 该 其 满足 符合 拿到 拿 能拿 申请 申报 哪类 哪种 多久 一次 每次 方面 有何 何种 是不是 属于 算 叫
这家 那家 这种 那种 不能 不得 不会 可能 那份 这部 那部 总体
降到 降至 下降到 下降至 降低到 降低至 提高至 提升到 提升至 增加到 增加至 增长到 增长至 减少到 减少至
进行 加以 予以 作出 就要 就能 就会
哪家 哪些地方 几类 几种 多长 才能 得到 自己 作为 省里 区里 县里 期间
""".split())
# The second block: general Chinese conditionals, aspect markers and question verbs (如果/已经/会被/怎么处理/
# 按照/申报 …), added after dev-split refusals where they counted as topic words; none names a policy topic. The third:
# demonstratives (这家, 这种; 那份, 这部, 那部 with the classifiers of documents, as questions point to one: b13's 241
# 那份实施意见, b9's 391 四部门那份…指导意见, b5's 314 这部规定) and negated modals (不能, 不得, 不会, 可能), the same general
# function words; 总体 (总体目标, 总体要求: "overall", a qualifier of the form word as 主要 and 具体 are; b13's 241, dev's
# 7) too. The fourth:
# the verbs of change with their result complement (降到, 提升至, 增加到), as 提高到, 下降 and 降低 above — a question
# asks "down to how much" with them (铁钢比到2025年要降到多少, dev's 113), the text writes 下降至 or 降至; no topic.
# The fifth: the formal (light) verbs 进行, 加以, 予以, 作出, which only carry the verb that follows them (形式动词;
# 朱德熙《语法讲义》, 吕叔湘《现代汉语八百词》), and the adverb 就 glued to a modal (就要, 就能, 就会), both already form
# words alone: jieba keeps these as one token, and refusals named them as missing topic words. The sixth: question
# words jieba keeps whole or leaves after 哪 (哪家, 哪些地方, 哪几类 → 几类, 多长), the conjunction 才能, the verb of
# receiving 得到 (as 拿到 above), the pronouns and prepositions 自己, 作为, the colloquial 省里/区里/县里 (as 市里) and the
# time word 期间 (“十四五”期间): counted over the 1,470 dev questions of b1-b13, each was a content word of questions on
# four to eight documents that their gold passages do not state (哪家 8 documents, 哪些地方 7, 才能 7, 几类 6, 期间 6,
# 多长 5, 省里 5, 得到 5, 自己 4, 作为 4).

# Characters from which a text counts as long for TopicMatcher._lowered: many units' worth (a unit is at most
# 1,500 on the 289-document library, whose scope text is 2.3 million). Speed only: no answer depends on it.
LONG_TEXT = 10_000
# Long texts kept folded: scoped and unfiltered questions alternate between a few scope texts, and folding the whole
# library's (megabytes) again for each would cost more than answering.
LONG_SLOTS = 4


def _near(head: str, tail: str, text: str, gap: int = 4) -> bool:
    """`head` followed by `tail` within `gap` characters (no clause break between: texts are NFKC-folded, so
    ，and ； arrive as , and ;)."""
    return re.search(re.escape(head) + rf"[^。；，;,]{{0,{gap}}}" + re.escape(tail), text) is not None


# How Chinese shortens a compound: it keeps the head of the full form and its tail and drops what lies between
# (风电场 for 风力发电场, 碳市场 for 碳排放权交易市场, 光伏电站 for 光伏发电站). A word of three or more Chinese
# characters counts as present when, cut once into a head and a tail of at least two characters, the tail
# follows the head within ABBREVIATION_GAP Chinese characters (one run of Chinese text: no figure or
# punctuation between). A one-character tail is a class suffix (量, 率, 场): 消费量 is not 能源消费总量.
ABBREVIATION_GAP = 5


@lru_cache(maxsize=4096)
def _abbreviation_pattern(head: str, tail: str) -> re.Pattern:
    # Compiling the CJK class costs about a millisecond: only for a cut whose head and tail both occur.
    return re.compile(re.escape(head) + rf"[\u4e00-\u9fff]{{1,{ABBREVIATION_GAP}}}?" + re.escape(tail))


@lru_cache(maxsize=4096)
def _folded_short(text: str) -> str:
    return nfkc(text).lower()


def _abbreviates(word: str, text: str) -> bool:
    """`word` is a shortened form of a compound in `text` (see ABBREVIATION_GAP)."""
    if len(word) < 3 or not re.fullmatch(r"[\u4e00-\u9fff]+", word) or word[0] not in text:
        return False
    for i in range(1, len(word) - 1):
        head, tail = word[:i], word[i:]
        if head in text and tail in text and _abbreviation_pattern(head, tail).search(text):
            return True
    return False


# The question words asking a date or span with the postposition that closes them (几年内, 什么时候前, 多少个工作日以内),
# and a year with its preposition and time word (到2025年底前, 比2020年, 至2030年): no topic in either.
_DATE_ASKED = re.compile(f"(?:{ASKS_SLOT['date'].pattern})(?:之?内|以内|之前|以前|前|后|之后|以后)?")
# A four-digit figure followed by a unit of money or measure, or by a magnitude (不低于2050元, 2030万千瓦, 2025亿),
# is an amount, not a year: the year phrase would cut 于2050 out of 不低于2050元 and leave 不低 as a topic word. The
# units are knowledge.units' (their one home); a figure is whole (no digit or decimal point on either side).
# 2022年度 (the year of an annual round: 2022年度省碳达峰…专项) goes out whole too: cut at 年, it left 度 glued to the word
# after it (度省).
_AMOUNT_AFTER = rf"(?![\d.．]|\s*(?:{UNIT_RE}|万|亿))"
_YEAR_PHRASE = re.compile(rf"(?:到|至|比|较|于|在|从|自)?\s*(?<![\d.．])20\d{{2}}{_AMOUNT_AFTER}\s*(?:年度|年)?(?:底|末|年底|年末)?"
                          r"(?:之前|以前|前|后|之后|以后)?")
# A modal after 比重 (比重要达到多少, 比重要提高到: "the share is to reach"): jieba reads 比|重要 ("more important"), a
# topic word no passage states. Questions write it on eight dev documents (1, 89, 451, 475, 566, 11, 31, 62); the
# modal is split off so that 比重, the asked measure, stays the word.
_SHARE_MODAL = re.compile(r"(?<=比重)(?=要)")
# Question phrases jieba would glue to the word after them or cut into a topic-looking part: 多大规模 → 多|大规模, 哪一级 →
# 一级, 由谁来 (the same count: 多大 on 8 dev documents, 哪一级 on 4, 由谁来 on 6): cut out whole, as the date phrases are.
_ASKING_PHRASE = re.compile(r"多大|哪一级|由谁来|谁来")


class TopicMatcher:
    def __init__(self, tokenizer: ChineseTokenizer | None = None, expander: QueryExpander | None = None,
                 place_words: set[str] | None = None):
        self.tokenizer = tokenizer or ChineseTokenizer(search_mode=False)
        # Policy-domain words: when the documents never use one the question asks about, that is a topic
        # they do not cover (地铁), not colloquial filler (家里).
        self.expander = expander or QueryExpander()
        colloquial = {form for form, _ in self.expander.pairs}  # 公家单位 is how people ask, not a policy term
        self.domain_terms = (frozenset(curated_terms()) | frozenset(INDUSTRY_WORDS)) - colloquial
        self.tokenizer.add_words(curated_terms() | set(INDUSTRY_WORDS))
        # A kind word the vocabulary builds its compounds with (海上 of 海上光伏) joined to a two-character term of it
        # that follows (风电) is one term the evidence must name whole (海上风电, not a 风电 sentence about land).
        vocabulary = set(self.domain_terms) | {official.lower() for _, official in self.expander.pairs}
        self.kinds = kind_words(vocabulary)
        self._tails = frozenset(w for w in vocabulary if len(w) == 2 and w not in FORM_WORDS)
        self.place_words = set(place_words or ())
        # official term → the forms the vocabulary gives it (光伏 → 太阳能): see `present`.
        self._forms: dict[str, list[str]] = {}
        for form, official in self.expander.pairs:
            self._forms.setdefault(official.lower(), []).append(form)
        # A word's alternatives depend on the word only, and `present` tests one word against many texts.
        self._variants = lru_cache(maxsize=4096)(self._variants_of)
        # The last few long texts (a scoped question's and the whole library's scope texts take turns): a tuple of
        # (text, folded) pairs, newest first, replaced whole.
        self._long: tuple[tuple[str, str], ...] = ()

    def add_words(self, words) -> None:
        self.tokenizer.add_words(words)

    def compound(self, word: str) -> tuple[str, str] | None:
        """(kind word, term) when `word` is a kind word followed by a two-character term (海上风电 → 海上, 风电)."""
        tail = word[-2:]
        if len(word) >= 4 and word[:-2] in self.kinds and tail in self._tails:
            return word[:-2], tail
        return None

    def _joined(self, question: str) -> list[str]:
        """The question's tokens with each kind word joined to the term that follows it (see `compound`)."""
        tokens, q, out, i = self.tokenizer.tokenize(question), nfkc(question).lower(), [], 0
        while i < len(tokens):
            w = tokens[i]
            if i + 1 < len(tokens) and w in self.kinds and self.compound(w + tokens[i + 1]) and w + tokens[i + 1] in q:
                w = w + tokens[i + 1]
                i += 1
            # 不 negates the word after it (不合格, 不达标, 不符合): jieba cuts it off, and the single character is no
            # content word, so 不合格 was read as 合格 — a passage about passing (评估合格的…保留其称号) then covered a
            # question about failing (整改完还不合格怎么办). The negated word is the topic; documents write it so.
            elif (w == "不" and i + 1 < len(tokens) and len(tokens[i + 1]) >= 2 and tokens[i + 1] not in FORM_WORDS
                  and w + tokens[i + 1] in q):
                w = w + tokens[i + 1]
                i += 1
            out.append(w)
            i += 1
        return out

    def content_words(self, question: str) -> list[str]:
        # The question words that ask for a date or a span (哪天, 哪一天, 几月份, 几号, 什么时候, 多少个工作日) name no
        # topic: cut out before tokenizing, so they are neither topic words themselves (几号, 哪一天) nor glued by
        # jieba's HMM to the verb after them (是哪天发的 → 天发).
        # So does a year (dropped as a token anyway) with the preposition or time word glued to it (铁钢比到2025年 →
        # 比到; 几年内 → 内在): the year phrase goes out whole.
        question = _SHARE_MODAL.sub("，", _YEAR_PHRASE.sub("，", _DATE_ASKED.sub("，", question)))
        question = _ASKING_PHRASE.sub("，", question)
        words = []
        for w in self._joined(question):
            if w in FORM_WORDS or w in self.place_words or re.fullmatch(r"[\d.%]+|20\d{2}年?", w):
                continue
            if len(w) < 2 and not re.match(r"[A-Za-z]", w):
                continue
            # 要装, 能拿: a modal verb glued to a verb by jieba's HMM; a dictionary word such as 能耗, 能源,
            # 能效, 会议 or 要素 is a noun and stays a topic word.
            if len(w) == 2 and w[0] in "要能会得想" and not self.tokenizer.is_word(w):
                continue
            if len(w) == 2 and w[1] == "是":  # 期是 (规划期是哪几年): the copula glued to a one-character word
                continue
            # 上要 (利益共享上要创新…): a locative glued to the modal after it (5 dev documents), as 要装 above
            if len(w) == 2 and w[0] in "上中里下" and w[1] in "要能会" and not self.tokenizer.is_word(w):
                continue
            # 用户数量 → 用户: a topic word glued to a form word (数量, 目标, 比例 …).
            for form in ("数量", "目标", "比例", "规模", "情况", "要求", "标准"):
                if w.endswith(form) and len(w) - len(form) >= 2:
                    w = w[: -len(form)]
                    break
            # 主要目标, 具体要求, 总体目标 → a form word again: a qualifier of the form word names no topic either
            if w in FORM_WORDS:
                continue
            if w not in words:
                words.append(w)
        return words

    def _lowered(self, text: str) -> str:
        """`text` NFKC-folded and lower-cased (Ⅴ类 → v类, as the tokenizer folds the question), reusing the result for the same string object: callers test each word of a question
        against one text, and the scope text of a whole library is megabytes (lowering it once per word was
        the largest cost of an unfiltered question). Short texts (sentences, unit texts) are kept by value in a
        shared LRU: a question's words are weighed against the same few hundred sentences in turn. Long texts (the catalogue's cached scope texts) keep
        their own LONG_SLOTS slots, so the sentences weighed in between, or another scope's text, do not push them
        out. A tuple swap is atomic: threads may share the slots."""
        if len(text) >= LONG_TEXT:
            for known, folded in self._long:
                if known is text:
                    return folded
            folded = nfkc(text).lower()
            self._long = ((text, folded), *self._long[:LONG_SLOTS - 1])
            return folded
        return _folded_short(text)

    def _variants_of(self, word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The word with the vocabulary's terms for it, and the word with an official term inside it written in
        each of the vocabulary's forms for that term (see `present`)."""
        forms = tuple(word.replace(official, form) for official, fs in self._forms.items() if official in word
                      for form in fs)
        return (word, *self.expander.terms(word)), forms

    def present(self, word: str, text: str) -> bool:
        text = self._lowered(text)
        parts = self.compound(word)
        if parts is not None:
            # The kind word with the whole term or a form of it (海上风力发电), a few characters apart at most
            # (海上光伏和风电): 海上风光 does not name 海上风电 (the end-character rule below would accept it).
            kind, tail = parts
            tails = (tail, *self._forms.get(tail, ()), *self.expander.terms(tail))
            return word in text or any(_near(kind, t, text) for t in tails)
        alternatives, written_as = self._variants(word)
        for alt in alternatives:
            if alt in text:
                return True
            # 装机容量 ~ 装机容量; a longer word missing one end character still counts (新能源汽车 ~ 新能源汽).
            if len(alt) >= 4 and (alt[:-1] in text or alt[1:] in text):
                return True
            # A compound split by a few characters: 垃圾处理 ~ 有机垃圾等协同处理.
            if len(alt) >= 4 and _near(alt[:2], alt[2:], text):
                return True
            if _abbreviates(alt, text):
                return True
        # A term the vocabulary equates with another form is present written with that form, alone or inside a
        # compound (光伏 as 太阳能, 光伏电站 as 太阳能发电站, 老旧车辆 as 老旧汽车): the vocabulary's pairs hold both
        # ways for presence (a question names the official term, the document the everyday one, or the reverse).
        return any(alt in text or _abbreviates(alt, text) for alt in written_as)

    def mandatory_missing(self, words: list[str], text: str) -> list[str]:
        """Indicator codes (PUE, WUE, GDP, CCUS) must be in the evidence: a near neighbour is another indicator."""
        return [w for w in words if re.fullmatch(r"[a-z]{2,8}", w) and not self.present(w, text)]

    def domain_missing(self, words: list[str], text: str) -> list[str]:
        """Policy terms of the question (装配式建筑, 抽水蓄能) that the evidence does not use: it is about
        something else, however many other words it shares."""
        return [w for w in words if len(w) >= 3 and self.is_domain(w) and not self.present(w, text)]

    def uncovered_topics(self, words: list[str], scope_text: str) -> list[str]:
        """Domain words of the question that the documents in scope never use."""
        return [w for w in words if self.is_domain(w) and not self.present(w, scope_text)]

    def is_domain(self, word: str) -> bool:
        """A policy term of the vocabulary, or a kind word joined to one (see `compound`)."""
        return word in self.domain_terms or self.compound(word) is not None

    def coverage(self, question_or_words, text: str) -> tuple[float, list[str]]:
        """(share of content words found in `text`, the words not found)."""
        words = (self.content_words(question_or_words) if isinstance(question_or_words, str)
                 else list(question_or_words))
        if not words:
            return 1.0, []
        missing = [w for w in words if not self.present(w, text)]
        return 1 - len(missing) / len(words), missing
