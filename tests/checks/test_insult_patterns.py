"""Insults by construction and spoken morphology (issue 14, second round), each kind with the clean
sentences that share its words. Every sentence here was written for Khabar."""

from __future__ import annotations

import pytest

from bot.checks.insults import find_insults
from bot.checks.lexicon import Lexicon

# (kind, comment that insults)
CAUGHT = [
    ("shut your mouth", "دهنتو ببند دیگه"),
    ("shut your mouth", "ببند بابا گالتو"),
    ("shut your mouth", "ببند درتو خسته شدیم"),
    ("shut your mouth", "شما دهنتون رو ببندید"),
    ("plaster the mouth", "باید دهنشو با سیمان بگیرن"),
    ("eat filth", "گه نخور"),
    ("eat filth", "گو بخور بابا"),
    ("eat filth", "گوه اضافه"),
    ("eat filth", "برو عن رو بخور"),
    ("eat filth, joined", "گونخور"),
    ("damn your father", "گور پدرتون"),
    ("damn your father", "گور بابای تو و رفیقات"),
    ("damn your father", "گور پدر هرچی دروغگوئه"),
    ("get lost", "گورتونو گم کنید"),
    ("where the hell were you", "اون موقع کدوم گوری بودی؟"),
    ("talking rubbish", "باز داری هذیون میگی"),
    ("talking rubbish", "کم اراجیف بگو"),
    ("talking rubbish", "چرند میگید همتون"),
    ("talking rubbish", "پرت و پلا نگو"),
    ("talking rubbish", "زری زدی که خودتم نفهمیدی"),
    ("you are nothing", "تو هیچ گهی نیستی"),
    ("you are nothing", "شما هیچ سگی نیستید"),
    ("the worst of a kind", "لجن‌ترین آدمی که دیدم"),
    ("the worst of a kind", "پست ترین موجود دنیا"),
    ("the worst of a kind", "گوسفندتر از اینا هستن؟ گوسفند تر هستند"),
    ("the worst, said to you", "تو کثیف‌ترینی"),
    ("vocative after a verb to you", "همش دروغ میگی دلقک"),
    ("vocative after a verb to you", "باز کم آوردی گوریل"),
    ("vocative after an imperative", "بخواب بابا مزدور"),
    ("vocative after an imperative", "برو دیگه بوزینه"),
    ("a bunch of", "یه مشت گوسفند"),
    ("spoken «is» after «ه»", "طرف حرومزادس"),
    ("spoken «is» after «ه»", "یارو دیوث حرومزادست"),
    ("possessive after «ه»", "ننه جندت"),
    ("possessive then «is»", "این خود کثافتشه"),
    ("object marker", "بیشرفو ببین"),
    ("they are", "اینا همه بیشعورن"),
    ("they are", "اینا یه گوهن"),
    ("compound with «بی»", "آدم بی ذات"),
    ("compound with «بی»", "بی اصل و نسب"),
    ("compound with «بی»", "خیلی بی صفتی"),
    ("«bastard» idiom", "تو چهل پدر داری"),
    ("mocking «yeah right»", "آره ارواح عمت"),
    ("mocking «yeah right»", "ارواح عمه‌ات"),
    ("curse with «اون»", "خاک بر اون سرت"),
    ("curse on them", "لعنت بهشون"),
    ("curse on them", "لعنتشون باد"),
    ("curse, misspelt", "توف به شرفتون"),
    ("a dog has more honour", "سگ شرف داره به تو"),
    ("hate said to you", "ازت متنفرم"),
    ("Turkish loan", "سیکتر"),
    ("Turkish loan", "سیک کن بابا"),
    ("vulgar verb", "بهت میرینم"),
    ("vulgar verb", "سگ برینه به اون قیافت"),
    ("how dare you", "غلط اضافی نکن"),
    ("how dare you", "هیچ غلطی نمیتونید بکنید"),
    ("how dare you", "شما غلط میکنین"),
    ("kept woman", "زیرخواب فلانی"),
    ("the wretch", "از کجا پیدات شد مردک"),
    ("likened to a beast", "عین سگ دروغ میگی"),
    ("likened to a beast", "قیافش مث حیوونه"),
    ("your filthy face", "اون صورت کریهت رو نشون نده"),
    ("your filthy tongue", "اسم اون آدم رو به زبون کثیفت نیار"),
    ("phrase with object marker", "پدر سگو ببین"),
    ("phrase with «your …-ness»", "بی غیرتیتون رو نشون دادین"),
    ("spaced compound with spoken «is»", "طرف حروم زادس"),
    ("pointer, «هم», article", "تو هم یه سگی"),
    ("rabid", "باز هار شدید"),
    ("fooled", "خیلی قشنگ خرتون کردن"),
    ("your kin, sexually", "برو از خواهرت بپرس با کی همخواب بوده"),
    ("your kin handed over", "زنتو بفرست"),
    ("you, a [clean] spelling", "تو یه آشغالی"),
    ("like you", "آشغالایی مثل تو زیادن"),
    ("washer of the dead", "مرده شورتو ببرن"),
    ("ugly clown", "قزمیت"),
    ("donkey foal, joined", "کره‌خر"),
    ("madman in chains", "دیوونه زنجیری"),
]

# (sense, a clean sentence with the same words)
CLEAN = [
    ("close the door, not the mouth", "لطفا در رو ببند سرده"),
    ("close its lid", "درش رو محکم ببندید که خشک نشه"),
    ("a mask on the mouth", "ماسک بزن و پنجره رو ببند"),
    ("the dog, not «you dog»", "پاشو سگو ببر بیرون"),
    ("shopping", "برو گوسفند بخر برای قربانی"),
    ("beef", "گوشت گاو میخوری یا مرغ؟"),
    ("one's own father's grave", "دیروز سر گور پدرم رفتم"),
    ("a grave", "به گور می‌برد این آرزو را"),
    ("a nap", "بعد ناهار یه چرت زدم"),
    ("I would call it rubbish", "نمی‌خوام مزخرف بگم ولی داستانش ضعیف بود"),
    ("the worst restaurant, no one insulted", "کثیف‌ترین رستوران شهر بود"),
    ("the highest", "بهترین کامنت"),
    ("nothing wrong", "هیچ مشکلی نیست"),
    ("a handful", "یه مشت گردو بریزید"),
    ("an estimate", "تخمین زدیم صد نفر بیان"),
    ("a deer", "مادرش گوزن بوده"),
    ("cheerful", "چهره‌ای بشاش داشت، بشاشه همیشه"),
    ("they die", "مردم از گرسنگی بمیرن جرم نیست؟"),
    ("you go", "شما کجا میرین؟ برین خونه"),
    ("to pound", "کوفتن گوشت برای کباب"),
    ("plural «you» go", "برید خونه استراحت کنید"),
    ("the dog guards", "سگ شرکت کنار در نشسته"),
    ("sleeps like a bear", "بچه‌م مثل خرس می‌خوابه"),
    ("works like a dog", "مثل سگ کار میکنه تا خرج خونه رو بده"),
    ("your dirty clothes", "لباس کثیفت رو بشور"),
    ("under the blanket", "زیر پتو خوابیدم"),
    ("helping your mother", "به مادرت کمک میکنم"),
    ("thick clothes", "به مادرت بگو لباس کلفت بپوشه"),
    ("bring your mother", "فردا مادرتو بیار مدرسه"),
    ("regards to your sister", "سلام به خواهرت برسون"),
    ("occupied land", "در سرزمین‌های اشغالی"),
    ("in the occupied land", "تو سرزمین اشغالی زندگی میکنن"),
]


@pytest.mark.parametrize(("kind", "text"), CAUGHT)
def test_insult_by_construction_is_caught(kind: str, text: str, lexicon: Lexicon) -> None:
    assert find_insults(text, lexicon), f"{kind}: {text}"


@pytest.mark.parametrize(("sense", "text"), CLEAN)
def test_clean_sense_of_the_same_words_is_not_flagged(sense: str, text: str, lexicon: Lexicon) -> None:
    assert find_insults(text, lexicon) == (), f"{sense}: {text}"
