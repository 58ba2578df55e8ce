"""Is there anything to look up in a question? Questions made only of punctuation, emoji, symbols, digits,
foreign words or code (？？？, 😀, "'; DROP TABLE units;--") or only of particles and greetings (啊啊啊, 你好)
name no topic: retrieval would still rank *something* first and the answerer would cite it with
confidence. They are refused with a message that says why, before any retrieval."""
from __future__ import annotations

import re

from knowledge.text import nfkc

# CJK ideographs (basic, extension A, compatibility); the documents are Chinese, so a question needs one.
_IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Words that carry no topic however often they are repeated: greetings, thanks, fillers, particles.
_FILLER_WORDS = ("你们好", "大家好", "你好", "您好", "谢谢", "多谢", "感谢", "请问", "在吗", "在不在", "哈哈",
                 "呵呵", "嘿嘿", "测试一下", "随便", "什么", "怎么", "为什么", "是不是", "有没有")
_FILLER_CHARS = set("啊吗呢吧哦嗯哈呀嘛啦哎唉喂呃噢哇嘿么了的吗呐咯哟嗨诶欸")

REFUSAL = ("问题中没有可以检索的内容（只有标点、符号、表情、数字、外文或语气词）。"
           "请用中文写出想了解的政策事项，例如“到2030年可再生能源装机目标是多少？”。")


def content_chars(question: str) -> str:
    """The question's CJK ideographs once greetings, fillers and particles are removed."""
    text = nfkc(question)
    for w in _FILLER_WORDS:
        text = text.replace(w, " ")
    return "".join(ch for ch in _IDEOGRAPH.findall(text) if ch not in _FILLER_CHARS)


def contentless_reason(question: str) -> str | None:
    """The refusal message when the question names nothing to look up, else None."""
    return None if content_chars(question) else REFUSAL
