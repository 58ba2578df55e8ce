"""The words of a question that name a document rather than the topic asked: a title quoted in 《》, or a title
referred to unquoted by its content words and its kind (按四川可再生能源规划，…). Pure functions over the question text;
the answer's coverage and topic words are read without them (issue 10: naming the policy is not asking about it)."""
from __future__ import annotations

import re


# The kinds of document a question names a policy by (…规划, …意见, …办法): the last word of a title reference.
# 行动: a 行动方案 or 行动计划 is named by its action alone (北京绿色建筑创建行动 for 北京市绿色建筑创建行动实施方案: b9's
# 515 was refused for 绿色建筑, the title's words, missing beside the figure).
DOC_KIND = re.compile(r"规划|方案|意见|办法|条例|通知|措施|计划|指南|规定|细则|安排|清单|指引|目录|要点|政策|行动")
_REF_CHARS = 30  # a title reference is at most this long


_QUOTED_TITLE = re.compile(r"《[^》]{4,}》")


def without_quoted_titles(question: str) -> str:
    """The question with each title it quotes in 《》 cut out: a quoted title names a document, not the topic asked
    (《莆田市“十四五”生态环境保护规划》中森林覆盖率…: 生态, 环境保护, 规划 and the 十四五 are not what the figure is of)."""
    return _QUOTED_TITLE.sub("，", question)


def without_title_reference(question: str, titles: list[str], words_of, present) -> str:
    """The question with the span that names a document by its title unquoted (按四川可再生能源规划，…;
    城乡建设绿色发展意见提出…) replaced by a comma: the longest run ending in a kind of document (DOC_KIND) whose
    content words, two at least, all occur in one of `titles`. Naming the policy is not asking about its topic
    (issue 10). `words_of(text)` gives content words, `present(word, text)` tests a word (answer.evidence)."""
    for m in DOC_KIND.finditer(question):
        end = m.end()
        for start in range(max(0, m.start() - _REF_CHARS), m.start() - 1):
            span = question[start:end]
            if not re.fullmatch(r"[\u4e00-\u9fff“”\"「」]+", span):
                continue
            words = words_of(span)
            if len(words) < 2:
                continue
            if any(all(present(w, t) for w in words) for t in titles):
                return question[:start] + "，" + question[end:]
    return question
