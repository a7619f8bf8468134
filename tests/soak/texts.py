"""What residents write: thank-you sentences and names in each of the kiosk's seven languages.

Vietnamese tones sit where the kiosk's rule puts them (kiosk/input/vietnamese.hpp, the "old" rule: khoẻ);
Chinese is typed as pinyin, as the kiosk's note screen asks. Some sentences end in "!", which every Latin
layer is to have (issue 12, item 7): a character with no key is reported, never silently dropped.
"""

import random

LANGUAGES = ["en", "es", "fr", "vi", "ar", "ko", "zh"]

SENTENCES = {
    "en": [
        "Thank you so much for your help today!",
        "The officer at the desk listened carefully and explained every step to me.",
        "Great service, very kind and patient with my mother.",
        "I know what happens next, and I have the case number written down.",
        "It was a long wait, but everyone was polite and calm.",
        "Please tell her that she made a hard day a little easier.",
    ],
    "es": [
        "Muchas gracias por su ayuda, fue muy amable.",
        "Me explicaron todo con paciencia y claridad.",
        "La espera fue un poco larga, pero todo salió bien.",
        "El agente habló conmigo en español y eso me ayudó mucho.",
        "¡Excelente servicio, gracias!",
    ],
    "fr": [
        "Merci beaucoup pour votre aide, très professionnel.",
        "L'agent a été très patient et à l'écoute.",
        "Je sais maintenant ce qui va se passer ensuite.",
        "Un accueil chaleureux, bravo à toute l'équipe !",
        "Nous avons attendu un peu, mais ça valait la peine.",
    ],
    "vi": [
        "Cảm ơn anh đã giúp tôi rất nhiều.",
        "Nhân viên rất tận tình và chu đáo.",
        "Tôi hiểu rõ những việc cần làm tiếp theo.",
        "Mọi người đều thân thiện.",
        "Chúc quý vị sức khoẻ!",
        "Xin chân thành cảm ơn.",
    ],
    "ar": [
        "شكرا جزيلا على المساعدة",
        "كان الموظف لطيفا جدا وصبورا معي",
        "فهمت ما سيحدث بعد ذلك",
        "أشكركم على الصبر والاحترام",
        "خدمة ممتازة، شكرا!",
    ],
    "ko": [
        "도와주셔서 정말 감사합니다.",
        "직원분이 친절하게 설명해 주셨어요.",
        "다음에 무엇을 해야 하는지 잘 알게 되었습니다.",
        "기다리는 시간이 조금 길었지만 괜찮았어요.",
        "닭 뷁 같은 글자도 잘 보입니다.",
    ],
    "zh": [
        "Xie xie ni de bang zhu, fei chang gan xie!",
        "Gong zuo ren yuan hen nai xin, ye hen you li mao.",
        "Wo zhi dao xia yi bu gai zen me zuo le.",
        "Deng le yi hui er, dan shi fu wu hen hao.",
    ],
}

NAMES = {
    "en": ["Officer Diaz", "Sgt. Okafor", "4411", ""],
    "es": ["Agente López", "Oficial Ruiz", ""],
    "fr": ["Agent Dubois", "Mme Lefèvre", ""],
    "vi": ["Anh Tuấn", "Chị Hương", ""],
    "ar": ["أحمد", "سارة", ""],
    "ko": ["김민수", "이지은", ""],
    "zh": ["Wang Li", "Chen Jing", ""],
}


def note(language, rng, length):
    """A note of at most `length` characters (code points) in `language`, ending at a word boundary."""
    out = ""
    pool = SENTENCES[language]
    while True:
        s = rng.choice(pool)
        candidate = s if not out else out + " " + s
        if len(candidate) > length:
            if out:
                return out
            # One sentence longer than the limit: cut it at a space.
            cut = s[:length]
            return cut[:cut.rfind(" ")] if " " in cut else cut
        out = candidate


def name(language, rng):
    return rng.choice(NAMES[language])


def filler(rng, count):
    """`count` lower-case letters and single spaces (for counting lost keys: one key per character)."""
    letters = "qwertyuiopasdfghjklzxcvbnm"
    out = []
    for i in range(count):
        if 0 < i < count - 1 and out[-1] != " " and rng.random() < 0.16:
            out.append(" ")
        else:
            out.append(rng.choice(letters))
    return "".join(out)


def _demo():
    rng = random.Random(1)
    for lang in LANGUAGES:
        print(lang, note(lang, rng, 120))


if __name__ == "__main__":
    _demo()
