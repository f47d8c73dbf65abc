"""Persian strings of the publishing area: channel posts, feeds, reports."""

# Channel post.
READ_MORE = "ادامه‌ی خبر"
DATE_PREFIX = "🕒 "
ELLIPSIS = "…"
BUTTON_COMMENT = "💬 ثبت نظر"
BUTTON_COUNT = "نظرات ({count})"

# Reports to the moderators' chat.
POST_FAILED = (
    "⚠️ انتشار خبر در کانال ناموفق بود.\n"
    "<b>{title}</b>\n"
    "خطای تلگرام: <code>{error}</code>\n"
    "آیا ربات در کانال مدیر است و اجازه‌ی ارسال پیام دارد؟"
)

# /feeds in the moderators' chat.
FEEDS_EMPTY = "هنوز هیچ خوراکی (RSS/Atom) ثبت نشده است.\nبرای افزودن: <code>/feeds add URL</code>"
FEEDS_HEADER = "خوراک‌های ثبت‌شده:"
FEED_LINE = "{id}. {url}{state}"
FEED_FAILING = " (⚠️ {failures} خطای پیاپی)"
FEED_DISABLED = " (غیرفعال)"
FEED_ADDED = "خوراک شماره‌ی {id} افزوده شد: {url}\nدر اولین خواندن فقط {first} خبر تازه منتشر می‌شود."
FEED_EXISTS = "این خوراک از قبل ثبت شده است (شماره‌ی {id})."
FEED_BAD_URL = "نشانی خوراک باید با http:// یا https:// شروع شود."
FEED_REMOVED = "خوراک شماره‌ی {id} حذف شد."
FEED_NOT_FOUND = "خوراکی با شماره‌ی {id} پیدا نشد."
FEEDS_USAGE = (
    "راهنما:\n"
    "<code>/feeds</code> — فهرست خوراک‌ها\n"
    "<code>/feeds add URL</code> — افزودن\n"
    "<code>/feeds remove ID</code> — حذف"
)
