"""Strings of ``khabar demo``: the stand-in newsroom, its sample article and the demo page.

Page strings are plain text (the page escapes them); the sample article is plain text too — the bot's
own post format turns it into the channel post.
"""

# ----- the stand-in newsroom -----------------------------------------------------------------------------
BOT_NAME = "ربات خبر"
EDITOR_NAME = "سردبیر"
CHANNEL_TITLE = "خبرگزاری نمونه"
GROUP_TITLE = "گفت‌وگوی خبرها"
MODS_TITLE = "مدیران نظرها"
READERS = (("مریم", "maryam_reader"), ("رضا", "reza_reader"), ("سارا", "sara_reader"))
MODERATORS = (("مدیر یک", "mod_one"), ("مدیر دو", "mod_two"))
OUTSIDER = ("رهگذر", "passerby")

# ----- the sample article (written for the demo) ---------------------------------------------------------
SAMPLE_KICKER = "در نشست کتابداران لرستان اعلام شد؛"
SAMPLE_TITLE = "کتابخانهٔ سیار به ۴۰ روستای لرستان می‌رسد"
SAMPLE_LEAD = (
    "ادارهٔ کل کتابخانه‌های عمومی لرستان از راه‌اندازی دو کتابخانهٔ سیار برای روستاهای دورافتادهٔ "
    "استان تا پایان زمستان خبر داد."
)
SAMPLE_BODY = (
    "به گفتهٔ مسئولان این اداره، هر خودرو نزدیک به دو هزار جلد کتاب کودک و بزرگسال دارد و هفته‌ای "
    "یک بار به هر روستا سر می‌زند. عضویت در کتابخانهٔ سیار برای دانش‌آموزان رایگان است و "
    "نخستین مسیرها از روستاهای خرم‌آباد و دلفان آغاز می‌شود."
)
SAMPLE_HASHTAGS = "لرستان، کتابخانه"

# ----- the page ------------------------------------------------------------------------------------------
PAGE = {
    "title": "نمایش خبر — ربات نظرهای خبرگزاری",
    "banner": (
        "این نمایش با ربات واقعی خبر کار می‌کند، اما نه روی تلگرام: یک تلگرام جایگزین (fakegram) روی "
        "همین رایانه اجرا شده است. هر چه می‌بینید همان است که ربات فرستاده."
    ),
    "data_at": "داده‌ها در:",
    "data_temp": "(پروندهٔ موقت؛ با بستن نمایش پاک می‌شود)",
    "data_kept": "(با بستن نمایش می‌ماند)",
    "channel": "کانال",
    "thread": "گفت‌وگوی زیر خبرها",
    "private": "گفت‌وگوی خصوصی با ربات",
    "mods": "گروه مدیران",
    "web": "جعبهٔ نظر وبگاه",
    "tab_channel": "کانال",
    "tab_thread": "گفت‌وگو",
    "tab_private": "ربات",
    "tab_mods": "مدیران",
    "tab_web": "وبگاه",
    "as_reader": "خواننده:",
    "as_member": "به‌عنوان:",
    "role_moderator": "مدیر",
    "role_outsider": "عضو عادی، نه مدیر",
    "send": "فرستادن",
    "placeholder_private": "پیامی به ربات بنویسید…",
    "placeholder_thread": "نظری زیر خبر بنویسید…",
    "placeholder_mods": "پیامی در گروه مدیران…",
    "reply": "پاسخ",
    "replying_to": "پاسخ به:",
    "cancel": "لغو",
    "edited": "ویرایش‌شده",
    "empty": "هنوز پیامی نیست.",
    "start": "شروع",
    "opened_link": "پیوند خبر در گفت‌وگوی خصوصی باز شد.",
    "no_answer": "ربات به این دکمه پاسخی نداد.",
    "offline": "ارتباط با نمایش قطع شد؛ آیا هنوز اجرا می‌شود؟",
    "new_article": "خبر تازه",
    "field_kicker": "روتیتر",
    "field_title": "تیتر",
    "field_lead": "لید",
    "post": "انتشار در کانال",
    "posted": "خبر در صف انتشار کانال است.",
    "duplicate": "این خبر پیش‌تر ثبت شده است.",
    "title_needed": "تیتر خبر لازم است.",
    "error": "کار انجام نشد. دوباره تلاش کنید.",
    "bot": "ربات",
}
