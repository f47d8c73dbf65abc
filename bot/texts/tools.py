"""Strings of the moderation tools of issue 18: closing and reopening an article's comments (HTML)."""

# ----- moderators: /close and /open ------------------------------------------------------------------------
CLOSE_USAGE = (
    "کاربرد: <code>/close خبر</code> و <code>/open خبر</code>\n"
    "«خبر» یکی از این‌هاست: شمارهٔ خبر، کد نظری از روی کارت (مثل <code>Xk3f9Q</code>) یا پیوند پست کانال."
)
ARTICLE_UNKNOWN = "خبری با «<code>{ref}</code>» پیدا نشد. کد نظر روی کارت، شمارهٔ خبر یا پیوند پست کانال را بفرستید."
CLOSED_DONE = "🔒 نظرهای خبر «{title}» بسته شد؛ نظر تازه پذیرفته نمی‌شود.{waiting}"
CLOSED_ALREADY = "🔒 نظرهای خبر «{title}» از پیش بسته است."
OPENED_DONE = "🔓 نظرهای خبر «{title}» دوباره باز شد.{clock}"
OPENED_ALREADY = "🔓 نظرهای خبر «{title}» از پیش باز است."
WAITING_STILL = "\n{count} نظرِ ثبت‌شده هنوز در صف است و همچنان می‌توانید دربارهٔ آن‌ها تصمیم بگیرید."
OPEN_BY_HAND = "\nاین خبر دیگر با گذشت زمان بسته نمی‌شود؛ برای بستن، <code>/close</code> را بفرستید."

# ----- readers ---------------------------------------------------------------------------------------------
CLOSED_NOTE = "🔒 ثبت نظر برای این خبر بسته شده است. نظرهای منتشرشده را همچنان می‌توانید بخوانید."
CLOSED_REFUSED = "🔒 ثبت نظر برای خبر «{title}» بسته شده است و نظر شما ثبت نشد."
CLOSES_AT = "⏳ ثبت نظر برای این خبر تا {time} باز است."

# ----- moderators: /remove (take-downs) ---------------------------------------------------------------------
REMOVE_USAGE = (
    "کاربرد: <code>/remove کد_نظر</code> — کد نظر همان است که روی کارت آن آمده (مثل <code>Xk3f9Q</code>).\n"
    "نظر منتشرشده از گفت‌وگوی خبر و فهرست نظرهای ربات برداشته می‌شود و به نویسنده خبر داده می‌شود."
)
COMMENT_UNKNOWN = "نظری با کد «<code>{ref}</code>» پیدا نشد."
REMOVE_NOT_PUBLISHED = "نظر <code>{token}</code> منتشر نشده است ({status})؛ نظر در صف را با دکمه‌های کارتش رد کنید."
REMOVE_ALREADY = "نظر <code>{token}</code> پیش‌تر حذف شده است."
REMOVED_DONE = "🗑 نظر <code>{token}</code> از «{author}» دربارهٔ «{title}» حذف شد.\n{thread}"
REMOVED_THREAD_DELETED = "پیام آن در گفت‌وگوی خبر پاک می‌شود."
REMOVED_THREAD_EDITED = "پیام آن در گفت‌وگوی خبر از ۴۸ ساعت گذشته است و به «این نظر به تشخیص مدیران حذف شد» تغییر می‌کند."
REMOVED_THREAD_NONE = "پیامی از آن در گفت‌وگوی خبر نبود."
# What the thread copy of a taken-down comment becomes when it is too old to delete (Telegram: 48 hours).
REMOVED_IN_THREAD = "این نظر به تشخیص مدیران حذف شد"
NOTIFY_REMOVED = "🗑 نظر شما دربارهٔ «{title}» که منتشر شده بود، به تشخیص مدیران حذف شد."

# ----- moderators: an author's published comments, all at once (after /ban, or /purge) ----------------------
PURGE_USAGE = (
    "کاربرد: <code>/purge شناسهٔ_کاربر</code> — شمار نظرهای منتشرشدهٔ او را نشان می‌دهد و پس از تأیید، "
    "همه را حذف می‌کند."
)
PURGE_OFFER = (
    "🗑 «{name}» (<code>{user_id}</code>) {count} نظر منتشرشده دارد.\n"
    "برای حذف همهٔ آن‌ها از گفت‌وگوی خبرها و فهرست نظرها، دکمهٔ زیر را بزنید."
)
PURGE_NOTHING = "«{name}» (<code>{user_id}</code>) نظر منتشرشده‌ای ندارد."
BUTTON_PURGE = "🗑 حذف هر {count} نظر"
PURGE_DONE = "🗑 {count} نظر منتشرشدهٔ «{name}» (<code>{user_id}</code>) حذف شد · {who}"
PURGE_TOAST = "{count} نظر حذف شد."
PURGE_ALREADY = "نظر منتشرشده‌ای از این نویسنده نمانده است."

# ----- /stats ----------------------------------------------------------------------------------------------
STATS_TOOLS = (
    "🗞 <b>ابزارهای مدیران در این هفت روز</b>\n"
    "🔒 بستن نظرهای خبر: {closed} · 🔓 بازکردن دوباره: {opened} · 🗑 حذف نظر منتشرشده: {removed}"
)

# ----- moderators: one article's figures (a card's «📊» button) and /queue for one article ---------------
BUTTON_FIGURES = "📊 آمار این خبر"
# Shown as an alert (plain text, at most 200 characters): no HTML here.
FIGURES_ALERT = (
    "📊 {title}\n"
    "⏳ در صف: {pending} · ✅ منتشرشده: {approved}\n"
    "❌ ردشده: {rejected} · 🗑 حذف‌شده: {removed}\n"
    "🚩 گزارش در بررسی: {reports} · {state}\n"
    "صف همین خبر: /queue {number}"
)
FIGURES_GONE = "این نظر دیگر در پایگاه داده نیست."
STATE_OPEN = "🔓 باز"
STATE_CLOSED = "🔒 بسته"
QUEUE_ARTICLE_HEAD = "📋 <b>صف خبر</b> {title} (شمارهٔ {number}) · {state}"
QUEUE_ARTICLE_FIGURES = (
    "⏳ در صف: {pending} · ✅ منتشرشده: {approved} · ❌ ردشده: {rejected} · 🗑 حذف‌شده: {removed} · "
    "🚩 گزارش در بررسی: {reports}"
)
QUEUE_ARTICLE_OLDEST = "قدیمی‌ترین نظر در صف: {oldest}"
QUEUE_ARTICLE_ITEM = "{n}) {ref} · {author}: {text}"
QUEUE_ARTICLE_IN_LIST = "در فهرست صف"
QUEUE_ARTICLE_MORE = "… و {count} نظر دیگر."
QUEUE_ARTICLE_NOTE = "برای تصمیم، روی کد هر نظر بزنید تا به کارت آن بروید."
QUEUE_ARTICLE_EMPTY = "✅ نظری از این خبر در صف نیست."
QUEUE_ARTICLE_RESENT = "🔁 {count} کارت گم‌شدهٔ این خبر دوباره فرستاده می‌شود."

# ----- readers: reporting a published comment («🚩 گزارش» in the bot's article view) ---------------------------
BUTTON_REPORT = "🚩 گزارش"
BUTTON_REPORT_N = "🚩 {n}"
BUTTON_REPORT_BACK = "↪️ بازگشت"
BUTTON_REPORT_REASON = "{label}"
REPORT_WHICH = "🚩 کدام نظر را گزارش می‌کنید؟ شمارهٔ آن را از دکمه‌های زیر بزنید."
REPORT_WHY = "🚩 گزارش نظر {n} از «{author}»:\n«{text}»\n\nدلیل گزارش را انتخاب کنید."
REPORT_THANKS = "🚩 گزارش شما ثبت شد؛ سپاس. مدیران آن را بررسی می‌کنند."
REPORT_AGAIN = "این نظر را پیش‌تر گزارش کرده‌اید."
REPORT_OWN = "نظر خودتان را نمی‌توانید گزارش کنید."
REPORT_GONE = "این نظر دیگر منتشرشده نیست."
REPORT_TOO_MANY = "در یک ساعت بیش از {count} گزارش نمی‌توانید بفرستید؛ لطفاً کمی بعد دوباره امتحان کنید."

# ----- moderators: a reported comment back as a card (keep / remove) -----------------------------------------
REVIEW_CARD = (
    "🚩 <b>نظر منتشرشده گزارش شد</b> · <code>{token}</code>\n"
    "📰 {title}\n"
    "👤 {author} · <code>{user_id}</code>\n"
    "💬 {text}\n"
    "🚩 {count} خواننده گزارش کرده‌اند: {reasons}\n"
    "🕒 منتشرشده: {published}"
)
REVIEW_REASON = "{label} {count}"
BUTTON_KEEP = "✅ بماند"
BUTTON_REVIEW_REMOVE = "🗑 حذف"
REVIEW_KEPT = "✅ ماند · {who} · {time}"
REVIEW_REMOVED = "🗑 حذف شد · {who} · {time}\n{thread}"
REVIEW_GONE = "این نظر دیگر منتشرشده نیست؛ گزارش بسته شد."
REVIEW_DECIDED = "دربارهٔ این گزارش پیش‌تر تصمیم گرفته شده است."
REVIEW_TOAST_KEPT = "نظر ماند."
REVIEW_TOAST_REMOVED = "نظر حذف شد."

# ----- /stats: readers' reports --------------------------------------------------------------------------------
STATS_REPORTS = (
    "🚩 گزارش خوانندگان: {made} · بازگشت به مدیران: {opened} · ماند: {kept} · حذف: {removed}"
)
QUEUE_ARTICLE_USAGE = (
    "کاربرد: <code>/queue</code> برای همهٔ صف، یا <code>/queue خبر</code> برای صف یک خبر؛ «خبر» شمارهٔ خبر، "
    "کد نظری از روی کارت یا پیوند پست کانال است."
)

# ----- moderators: /words (blocked words and allowed exceptions, at run time) ---------------------------------
WORDS_CATEGORY = {"insult": "توهین", "accusation": "اتهام", "spam": "تبلیغ"}
WORDS_USAGE = (
    "کاربرد:\n"
    "<code>/words</code> — همهٔ فهرست‌ها\n"
    "<code>/words block دسته واژه</code> — واژه یا عبارتی را مسدود کنید\n"
    "<code>/words allow دسته واژه</code> — واژه‌ای را که ربات به اشتباه می‌گیرد، مجاز کنید\n"
    "<code>/words remove دسته واژه</code> — واژه را از فهرست‌های آن دسته بردارید\n"
    "دسته‌ها: توهین (insult)، اتهام (accusation)، تبلیغ (spam). در دستهٔ تبلیغ، «مجاز» نشانی یا نام کاربری است "
    "(مثل <code>example.com</code> یا <code>@khabar</code>)."
)
WORDS_BAD_CATEGORY = "دستهٔ «{name}» را نمی‌شناسم؛ یکی از این‌ها را بنویسید: توهین، اتهام، تبلیغ."
WORDS_BAD_ENTRY = "واژه باید دست‌کم یک حرف داشته باشد و از {limit} نویسه بلندتر نباشد."
WORDS_BLOCKED = "🚫 «{entry}» در دستهٔ {category} مسدود شد؛ از همین حالا برای نظرهای تازه اعمال می‌شود."
WORDS_ALLOWED = "✅ «{entry}» در دستهٔ {category} مجاز شد؛ از همین حالا برای نظرهای تازه اعمال می‌شود."
WORDS_ALREADY = "«{entry}» از پیش در این فهرستِ دستهٔ {category} است."
WORDS_REMOVED = "🗑 «{entry}» از فهرست‌های دستهٔ {category} برداشته شد."
WORDS_NOT_LISTED = "«{entry}» در فهرست‌های دستهٔ {category} نیست."
WORDS_LIST_HEAD = "📝 <b>فهرست واژه‌های این تحریریه</b> (افزون بر فهرست‌های خود ربات)"
WORDS_LIST_CATEGORY = "<b>{category}</b>\n🚫 مسدود ({blocked_count}): {blocked}\n✅ مجاز ({allowed_count}): {allowed}"
WORDS_LIST_MORE = "… و {count} واژهٔ دیگر"
WORDS_LIST_NOTE = "فهرست کامل: <code>khabar words export</code>"
WORDS_NONE = "—"
STATS_WORDS = "📝 فهرست واژه‌ها: {added} افزوده · {removed} برداشته"

# ----- slow mode in a surge -------------------------------------------------------------------------------------
SLOWED = (
    "⏳ خبر «{title}» اکنون نظرهای بسیاری می‌گیرد؛ تا آرام شدن آن، هر نویسنده هر {minutes} می‌تواند "
    "یک نظر دربارهٔ آن بفرستد. لطفاً {wait} دیگر دوباره بفرستید؛ نظر شما ثبت نشد."
)
QUEUE_SURGE = "🌊 هجوم نظر: «{title}» (شمارهٔ {number}) — {count} نظر در دقیقهٔ گذشته؛ هر نویسنده هر {minutes} یک نظر."
STATS_SLOWED = "⏳ نظرهای پس‌زده در هجوم (هر نویسنده هر {minutes} یک نظر): {count}"

# ----- escalating penalties -------------------------------------------------------------------------------------
PENALTY_FOREVER = "برای همیشه"
PENALTY_DAYS = "{days} روز"
PENALTY_TO_AUTHOR = (
    "⚖️ {count} نظر شما در {window} روز گذشته به دلیل {reasons} رد شد؛ به همین دلیل امکان نظر دادن شما "
    "{duration} بسته شد (پلهٔ {step}). پس از آن، اگر باز چنین شود، پلهٔ بعد {next} است."
)
PENALTY_CARD = (
    "⚖️ <b>جریمهٔ خودکار</b> · پلهٔ {step}\n"
    "👤 {name} · <code>{user_id}</code>\n"
    "{count} نظر ردشده به دلیل {reasons} در {window} روز گذشته → مسدود {duration}.\n"
    "پلهٔ بعد: {next}"
)
PENALTY_TOAST = " · ⚖️ نویسنده {duration} مسدود شد (پلهٔ {step})"
BUTTON_PENALTY_UNDO = "↩️ لغو جریمه"
PENALTY_UNDONE = "↩️ جریمه لغو شد · {who} · {time}"
PENALTY_UNDO_TOAST = "جریمه لغو شد و نویسنده دوباره می‌تواند نظر بنویسد."
PENALTY_UNDO_ALREADY = "این جریمه پیش‌تر لغو شده است."
STATS_PENALTIES = "⚖️ جریمه‌های خودکار: {made} · لغوشده: {undone}"
# On a pending comment's card: the author's standing on the ladder.
PENALTY_STANDING = (
    "⚖️ {counted} از {needed} ردِ {reasons} در {window} روز؛ پلهٔ بعد ({step}): مسدود {duration}{earlier}"
)
PENALTY_EARLIER = " · جریمه‌های پیشین: {count}"
