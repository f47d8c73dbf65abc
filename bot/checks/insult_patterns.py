"""Insults made by the shape of a sentence rather than by one listed word (issue 14, second round).

Each family below is a construction of spoken Persian that insults whoever it is said to:
- «shut your mouth»: an imperative of «بستن» beside a mouth («دهنتو ببند», «ببند گاله رو», «ببند درت رو»);
- «eat shit»: «گه/گو/گوه/عن» before a form of «خوردن» («گو نخور», «عنا رو بخور»);
- «damn your father»: «گور» before «پدر/بابا» not one's own («گور پدرتون», «گور بابای تو»), «گورتو گم کن»;
- «you talk rubbish»: «اراجیف/هذیون/چرت/چرند…» before a verb of saying that is not «I» («هذیون میگی»);
- «you are nothing»: «هیچ» + an insult + «نیستی» («تو هیچ سگی نیستی»);
- the worst of its kind: an insult in «-ترین»/«-تر» said of a person or «you» («لجن‌ترین آدم», «پست‌ترین موجود»);
- likened to a beast when someone is spoken of («عین سگ دروغ میگی», «قیافش مث حیوونه»);
- your face, tongue or name called filthy («زبون کثیفت», «صورت کریهت», «ذهن مریضت»);
- «your mother/sister/wife» beside a sexual word, or handed over («زنتو بفرست»);
- aimed by address, which `aimed_by_address` tells the contextual matcher: a vocative ending the comment
  after a verb said to «you» or an imperative («زندگی می‌کنی دلقک», «بخواب بابا مزدور»), «آشغالایی مثل تو»,
  «تو هم یه سگی», «گاوه به تمام معنا»; and `you_are_listed`: «تو آشغالی» past its [clean] spelling.

Pure: works on squeezed tokens (see `insult_key`: «ببند» is compared as «بند»), so every word set below
is squeezed the same way when it is built.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from bot.checks.insult_lists import insult_key


def _squeezed(words: Iterable[str]) -> frozenset[str]:
    return frozenset(insult_key(w) for w in words)


_SHUT = _squeezed({"ببند", "ببندید", "ببندین", "ببندش", "ببندن", "ببندیدش"})
_MOUTHS = _squeezed({
    "دهنت", "دهنتو", "دهنتم", "دهنو", "دهنتون", "دهنتونو", "دهنشو", "دهنشونو", "دهانت", "دهانتو", "دهانتان",
    "گاله", "گالت", "گالتو", "گالتون", "گالتونو", "حلقت", "حلقتو", "حلقتون", "درت", "درتو", "درتون", "درتونو",
    "فکت", "فکتو", "پوزت", "پوزتو", "زبونت", "زبونتو", "زبونتم",
})
_MOUTH_HEADS = ("دهن", "دهان")  # as whole words: «دهنه چاه» (the well's mouth) is plastered for real
_MOUTH_WORDS = _squeezed({"دهن", "دهان", "گاله", "حلق", "پوز", "زبون", "زبان", "فک"})
_YOURS = _squeezed({"تو", "شما", "شماها", "ات", "اتو", "تون"})
_PLASTER = _squeezed({"گل", "سیمان", "کاهگل", "بتن"})

_FILTH = _squeezed({"گه", "گو", "گوه", "عن", "عنا", "گهتو", "گوهتو", "گوهت", "عنتو", "گهی", "گوهی"})
_EAT = _squeezed({
    "بخور", "نخور", "بخوره", "نخوره", "بخورید", "بخورین", "نخورید", "نخورین", "بخورن", "خوری", "خوریا",
    "خوریات", "میخوری", "میخورید", "میخورین", "میخوره", "میخورن", "خوردی", "خوردید", "خوردین", "خورد", "خورده",
})
_OBJECT = _squeezed({"را", "رو", "و"})

_GRAVE = _squeezed({"گور", "گوربابای", "گورپدر", "گوربابا"})
_KIN = ("پدر", "بابا")
_OWN = ("م", "مون", "مان")  # «سر گور پدرم»: one's own father's grave is no curse
_NOT_SOMEONE = _squeezed({"هر", "هرچی", "زندگی", "دنیا", "روزگار", "شانس", "گرونی"})  # «گور پدر هرچی گرونیه»
_AT_THE_GRAVE = _squeezed({"سر", "بر", "کنار", "روی", "رو", "به", "سنگ", "خاک"})

_RUBBISH = _squeezed({
    "اراجیف", "هذیون", "هذیان", "چرت", "چرند", "چرندیات", "مزخرف", "مزخرفات", "یاوه", "پلا", "چرتو", "چرندو",
    "مزخرفاتو", "اراجیفو",
})
_SAY_HEADS = ("میگ", "بگ", "گفت", "نگ", "میگفت", "نمیگ")
_IDLE = _squeezed({"داری", "دارید", "دارین", "داره", "دارن", "هی", "همش", "فقط", "باز", "اینقدر", "انقدر"})

_NOTHING_HEAD = "هیچ"
_NOTHING_WORDS = _squeezed({"گه", "گهی", "گوه", "گوهی", "پخی", "سگی", "خری", "عنی"})

_NOT_YOU = _squeezed({"نیستی", "نیستید", "نیستین"})

_SUPERLATIVE = ("ترین", "تر")
_PERSONS = _squeezed({
    "زن", "مرد", "ادم", "ادمای", "ادمهای", "ادمی", "موجود", "موجودات", "موجودی", "بشر", "انسان", "انسانهای",
    "فرد", "شخص", "دنیا", "تاریخ", "جهان", "عالم", "روی",
})
# Vile only in the superlative said of someone: «پست‌ترین موجود» (not «پست» the post).
_VILE = _squeezed({"پست", "بدردنخور", "کثیف", "منفور", "نفرتانگیز"})
_BE_YOU = _squeezed({"هستی", "هستید", "هستین", "هستند", "هستن", "ای", "اید", "ان"})

_LIKE = _squeezed({"مثل", "مث", "مثه", "عین", "عینهو", "شبیه", "مانند", "همچون", "لنگه"})
_BEASTS = _squeezed({  # not food or idiom animals: «مزه‌اش مثل گوساله», «مثل موش آب‌کشیده», «مثل مار پیچ می‌خوره»
    "سگ", "خر", "الاغ", "گاو", "خوک", "میمون", "حیوان", "حیوون", "کفتار", "شغال", "گوریل", "بوزینه", "گراز",
    "قاطر", "یابو", "وزغ",
})
_PERSON_CUES = _squeezed({"تو", "شما", "خودت", "خودتون", "اینا", "اونا", "همشون", "همتون", "طرف", "یارو"})
_FACE = ("قیاف", "صورت", "ریخت", "چهره", "هیکل")
_TOIL = _squeezed({"کار", "جون", "زحمت", "جان", "دوید", "میدوه", "میدویم"})
_OWN_PARTS = _squeezed({
    "زبان", "زبون", "دهن", "دهان", "صورت", "قیافه", "ریخت", "چهره", "اسم", "ذات", "فکر", "ذهن", "مغز", "وجود",
    "روح", "پوزه", "پوز", "هیکل", "دهنه", "نگاه", "افکار",
})
_VILE_TRAITS = _squeezed({"کثیف", "نجس", "پلید", "کریه", "منحوس", "نحس", "متعفن", "گندیده", "کثافت", "چندش", "چرک",
                          "مریض", "بیمار", "پست", "خبیث", "شوم"})

_YOUR_KIN = _squeezed({
    "مادرت", "مادرتو", "مادرتم", "مادرتون", "مادرتونو", "مامانت", "مامانتو", "مامانتم", "خواهرت", "خواهرتو",
    "خواهرتم", "خواهرتون", "خواهرتونو", "زنت", "زنتو", "زنتم", "زنتون", "زنتونو", "عمت", "عمتو", "ناموست",
    "ناموستو", "ناموستون", "دخترت", "دخترتو", "دخترتون",
})
_HAND_OVER = _squeezed({"بده", "بدید", "بدین", "بفرست", "بفرستید"})
_SEXUAL = _squeezed({  # only words with no everyday sense beside «your mother» («کمک میکنم», «لباس کلفت» are not here)
    "همبستر", "همخواب", "همخوابه", "سکس", "سکسی", "لخت", "سینههای", "کوس", "کیر", "کون", "صیغه",
    "حامله", "حاملش", "تجاوز", "گاییدم", "گاییدیم", "بگا", "ترتیبشو", "جنده", "فاحشه",
})

_ILL = _squeezed({"مریض", "بیمار"})
_MINDS = _squeezed({"ذهن", "فکر", "مغز", "روح", "افکار"})

# Verbs said to «you» just before a vocative insult, and imperatives that often carry one.
_PAST_YOU = _squeezed({
    "کردی", "شدی", "اوردی", "گفتی", "رفتی", "دادی", "زدی", "خوردی", "دیدی", "بودی", "کشیدی", "نکردی", "نشدی",
    "نگفتی", "نزدی", "خوندی", "فهمیدی", "نفهمیدی", "کردید", "شدید", "گفتید", "کردین", "شدین", "گفتین",
})
_IMPERATIVES = _squeezed({
    "برو", "بخواب", "بشین", "بتمرگ", "بخور", "پاشو", "گمشو", "بمیر", "خفه", "ساکت", "برید", "بشینید", "بخوابید",
})
_ARTICLES = _squeezed({"یه", "یک", "خیلی", "چه", "عجب", "واقعا"})
_LIKE_YOU = _squeezed({"مثل", "مث", "عین"})
_YOU_WORDS = _squeezed({"تو", "شما", "شماها"})
_THEM_TOO = _YOU_WORDS | _squeezed({"اینا", "اونا", "اینها", "انها", "همشون", "همتون", "همه", "ادم", "مردم", "ملت"})
_FILLERS = _squeezed({"بابا", "دیگه", "باو", "اخه"})


def _shut_mouth(keys: list[str]) -> list[str]:
    found: list[str] = []
    for i, key in enumerate(keys):
        if key in _SHUT:
            start = max(0, i - 4)
            near = keys[start : i] + keys[i + 1 : i + 4]
            spaced = any(
                keys[j] in _MOUTH_WORDS and keys[j + 1] in _YOURS for j in range(start, min(i + 3, len(keys) - 1))
            )
            if spaced or any(k in _MOUTHS for k in near):
                found.append("… ببند")  # «دهنتو ببند», «دهن تو رو ببند» (not «دهن کیسه رو ببند»)
        elif ((key in _MOUTHS or key in _MOUTH_HEADS) and any(k in _PLASTER for k in keys[i + 1 : i + 5])
              and any(k.startswith(("بگیر", "گرفت", "میگیر")) for k in keys[i + 1 : i + 7])):
            found.append("دهن … گل بگیر")  # «دهنتو گل بگیرن»
    return found


def _eat_filth(keys: list[str]) -> list[str]:
    for i, key in enumerate(keys):
        if key not in _FILTH:
            continue
        after = [k for k in keys[i + 1 : i + 3] if k not in _OBJECT][:1]
        if after and after[0] in _EAT:
            return [f"{key} خوردن"]
    return []


def _grave(keys: list[str]) -> list[str]:
    for i, key in enumerate(keys):
        if key.startswith("گور") and i + 1 < len(keys) and keys[i + 1].startswith("گم") and len(key) > 3:
            return ["گور … گم کن"]  # «گورتو گم کن», «گورشونو گم کنن»
        if key not in _GRAVE or (i and keys[i - 1] in _AT_THE_GRAVE):
            continue
        kin = key if key != "گور" else (keys[i + 1] if i + 1 < len(keys) else "")
        if kin.startswith(("گوربابا", "گورپدر")):
            kin = kin[3:]
        target = keys[i + 2] if key == "گور" and i + 2 < len(keys) else ""
        if kin.startswith(_KIN) and not kin.endswith(_OWN) and target not in _NOT_SOMEONE:
            return ["گور پدر …"]
    return []


def _rubbish_talk(keys: list[str]) -> list[str]:
    for i, key in enumerate(keys):
        if key not in _RUBBISH:
            continue
        for verb in [k for k in keys[i + 1 : i + 4] if k not in _IDLE and k not in _OBJECT][:1]:
            if verb.startswith(_SAY_HEADS) and not verb.endswith(("م", "یم")):
                return [f"{key} گفتن"]
    return []


def _nothing(keys: list[str], stem_of: Callable[[str], str | None]) -> list[str]:
    for i in range(len(keys) - 2):
        if keys[i] != _NOTHING_HEAD or not keys[i + 2].startswith("نیست"):
            continue
        word = keys[i + 1]
        # «هیچ گهی نیست» always; an ordinary word only said to «you»: «هیچ حیوانی نیست که …» is zoology
        if word in _NOTHING_WORDS or (keys[i + 2] in _NOT_YOU and stem_of(word) is not None):
            return [f"هیچ {word} نیستی"]
    return []


def _graded(key: str, after: str) -> tuple[str, str, bool] | None:
    """(stem, ending, said to «you») of «لجن‌ترین», «لجن ترین», «کثیف‌ترینی», «گوسفندتر», or None."""
    for ending in _SUPERLATIVE:
        if after == ending:  # spaced: «لجن ترین آدم»
            return key, ending, False
    for ending, you in (("ترینی", True), ("ترینید", True), ("ترینین", True), ("ترین", False), ("تری", True),
                        ("ترید", True), ("تر", False)):
        if key.endswith(ending) and len(key) > len(ending) + 1:
            return key[: -len(ending)], ending, you
    return None


def _superlative(keys: list[str], stem_of: Callable[[str], str | None]) -> list[str]:
    for i, key in enumerate(keys):
        after = keys[i + 1] if i + 1 < len(keys) else ""
        if "تر" not in key and after not in _SUPERLATIVE:
            continue
        next_after = keys[i + 2] if i + 2 < len(keys) else ""
        graded = _graded(key, after)
        if graded is None:
            continue
        stem, ending, you = graded
        if stem not in _VILE and stem_of(stem) is None:
            continue
        said_of = next_after if after in _SUPERLATIVE else after
        if you or said_of in _PERSONS or said_of in _BE_YOU:
            return [f"{stem}{ending}"]
    return []


def _likened(keys: list[str], stem_of: Callable[[str], str | None]) -> list[str]:
    """«عین سگ دروغ می‌گی», «قیافش مث حیوونه»: likened to a beast, unless «I» work like one («مثل خر کار می‌کنم»)."""
    for i, key in enumerate(keys[:-1]):
        if key not in _LIKE:
            continue
        beast = keys[i + 1]
        stem = stem_of(beast)
        if stem is None or stem not in _BEASTS:
            continue
        following = keys[i + 2 : i + 6]
        if following[:1] and following[0] in _TOIL:
            continue  # «مثل سگ کار می‌کنه»: works hard
        if any(k.endswith(("م", "یم")) and len(k) > 2 for k in following):
            continue
        if not any(_speaks_of_someone(k) for k in keys):
            continue  # «شبیه میمون بازیگوش بود عروسکش»: a toy, not a person
        return [f"{key} {stem}"]
    return []


def _speaks_of_someone(key: str) -> bool:
    """A verb or word that puts a person in the comment: «می‌گی», «انداختت», «قیافش», «اینا»."""
    if _you_verb(key) or key in _PERSON_CUES or key.startswith(_FACE):
        return True
    return key.startswith(("می", "ب", "ان")) and key.endswith("ت") and len(key) >= 5  # «می‌کشیمت», «انداختت»


def _your_vile(keys: list[str]) -> list[str]:
    """«زبون کثیفت», «صورت کریهت», «اسم نجستون»: your face, tongue or name called filthy."""
    for i in range(1, len(keys)):
        key = keys[i]
        if keys[i - 1] not in _OWN_PARTS:
            continue
        for ending in ("تونو", "تون", "تو", "ت"):
            trait = key[: -len(ending)]
            if not key.endswith(ending) or trait not in _VILE_TRAITS:
                continue
            if trait in _ILL and keys[i - 1] not in _MINDS:
                continue  # «اسم مریضت» is your patient's name; «ذهن مریضت» is the insult
            return [f"{keys[i - 1]} {trait}"]
    return []


def _kin_abused(keys: list[str]) -> list[str]:
    """«your mother/sister/wife» with a sexual word in the same comment: the insult «ناموسی»."""
    for i, key in enumerate(keys):
        if key not in _YOUR_KIN:
            continue
        if (i + 1 < len(keys) and keys[i + 1] in _HAND_OVER) or any(k in _SEXUAL for k in keys):
            return [f"{key} …"]
    return []


def _you_verb(key: str) -> bool:
    """A verb said to «you» (singular or plural): «می‌کنی», «نمی‌فهمید», «آوردی»."""
    if key in _PAST_YOU:
        return True
    return key.startswith(("می", "نمی")) and len(key) >= 4 and key.endswith(("ی", "ید", "ین"))


def aimed_by_address(keys: list[str], i: int) -> bool:
    """Is the ordinary insult at ``i`` said to someone: «آشغالایی مثل تو», «تو هم یه سگی», «گاو به تمام معنا»,
    or a vocative ending the comment after an imperative or a verb said to «you»?"""
    after = keys[i + 1 : i + 4]
    if len(after) >= 2 and after[0] in _LIKE_YOU and after[1] in _YOU_WORDS:
        return True
    if len(after) == 3 and after[0] == "به" and after[1] == "تمام" and after[2].startswith("معنا"):
        return True  # «گاوه به تمام معنا»: a true one
    if i > 2 and keys[i - 1] in _ARTICLES and keys[i - 2] in ("هم", "که") and keys[i - 3] in _THEM_TOO:
        return True
    before = [k for k in keys[max(0, i - 3) : i] if k not in _FILLERS]
    if not before:
        return False
    if any(k not in _FILLERS for k in keys[i + 1 :]):
        return False  # a vocative ends the comment: «برو گوسفند بخر» is shopping
    return before[-1] in _IMPERATIVES or _you_verb(before[-1])  # «زندگی می‌کنی دلقک», «کم آوردی گوریل»


YOU_BEFORE = _ARTICLES | _squeezed({"تو", "شما"})  # the words after which `you_are_listed` is worth asking


def you_are_listed(keys: list[str], i: int, clean: frozenset[str], contextual: frozenset[str]) -> str | None:
    """«تو آشغالی», «شما یه آشغالید»: said to «you», a [clean] word («اشغالی» occupied) is the insult again."""
    key = keys[i]
    you = keys[i - 1] if i > 0 else ""
    if you in _ARTICLES and i > 1:
        you = keys[i - 2]
    if you not in ("تو", "شما") or key not in clean:
        return None
    for ending in ("ی", "ید", "ین"):
        if key.endswith(ending) and key[: -len(ending)] in contextual:
            return key[: -len(ending)]
    return None


def patterned(keys: list[str], stem_of: Callable[[str], str | None]) -> list[str]:
    """Every construction above found in a comment's squeezed tokens, named for the moderator's card.

    Each family is looked for only when its cue word is in the comment: most comments have none.
    """
    present = set(keys)
    text = " ".join(keys)
    found: list[str] = []
    if present & _SHUT or "دهن" in text or "دهان" in text:
        found += _shut_mouth(keys)
    if present & _FILTH:
        found += _eat_filth(keys)
    if "گور" in text:
        found += _grave(keys)
    if present & _RUBBISH:
        found += _rubbish_talk(keys)
    if _NOTHING_HEAD in present:
        found += _nothing(keys, stem_of)
    if "تر" in text:
        found += _superlative(keys, stem_of)
    if present & _LIKE:
        found += _likened(keys, stem_of)
    if present & _OWN_PARTS:
        found += _your_vile(keys)
    if present & _YOUR_KIN:
        found += _kin_abused(keys)
    return found
