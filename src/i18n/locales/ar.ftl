# Tribune — النصوص العربية (العربية الفصحى المعاصرة).
# يجب أن تعرّف كل اللغات المفاتيح نفسها تمامًا.
# كل اختيار عددي يكتب صيغ الجمع الست: zero وone وtwo وfew وmany وother.

## أخطاء الواجهة البرمجية (واحد لكل رمز خطأ)

error-malformed-json = محتوى الطلب ليس JSON صالحًا.
error-invalid-cursor = مؤشر الترقيم غير صالح.
error-unauthenticated = يجب تسجيل الدخول للقيام بهذا الإجراء.
error-invalid-credentials = اسم المستخدم أو كلمة المرور غير صحيحة.
error-forbidden = ليست لديك صلاحية القيام بهذا الإجراء.
error-banned = حسابك موقوف حتى { $until }.
error-banned-permanent = حسابك محظور نهائيًا.
error-article-closed = التعليقات مغلقة على هذا المقال.
error-edit-window-passed = انتهت المهلة المسموح بها لتعديل هذا التعليق أو حذفه.
error-not-found = المورد المطلوب غير موجود.
error-method-not-allowed = هذه الطريقة غير مسموح بها لهذا العنوان.
error-username-taken = اسم المستخدم هذا محجوز بالفعل.
error-email-taken = عنوان البريد الإلكتروني هذا مستخدم بالفعل.
error-already-reported = سبق أن أبلغت عن هذا التعليق.
error-conflict = تتعارض هذه العملية مع الحالة الراهنة للبيانات.
error-last-admin = لا يمكن سحب صلاحيات آخر مسؤول.
error-article-exists = يوجد مقال بهذا المفتاح بالفعل.
error-word-exists = هذه الكلمة موجودة بالفعل في القائمة.
error-payload-too-large = حجم محتوى الطلب كبير جدًا.
error-request-timeout = وصل الطلب ببطء شديد؛ أعد المحاولة.
error-unsupported-media-type = نوع المحتوى غير مدعوم: استخدم application/json.
error-validation-failed = بعض الحقول غير صالحة.
error-sso-invalid = رمز تسجيل الدخول الصادر عن الموقع غير صالح.
error-sso-expired = انتهت صلاحية رمز تسجيل الدخول الصادر عن الموقع: أعد تحميل الصفحة.
error-sso-replayed = سبق استخدام رمز تسجيل الدخول هذا: أعد تحميل الصفحة.
error-sso-only = يسجّل القرّاء دخولهم بحسابهم على الموقع.
error-oidc-return-refused = عنوان الرجوع هذا غير مسموح به.
error-oidc-state-invalid = انتهت صلاحية عملية تسجيل الدخول هذه أو استُعملت من قبل: أعد المحاولة من زر تسجيل الدخول.
error-oidc-failed = لم يؤكّد مزوّد الهوية تسجيل الدخول.
error-oidc-unavailable = مزوّد الهوية لا يستجيب؛ أعد المحاولة بعد قليل.
error-rate-limited =
    { $seconds ->
        [zero] طلبات كثيرة جدًا. أعد المحاولة الآن.
        [one] طلبات كثيرة جدًا. أعد المحاولة بعد ثانية واحدة.
        [two] طلبات كثيرة جدًا. أعد المحاولة بعد ثانيتين.
        [few] طلبات كثيرة جدًا. أعد المحاولة بعد { $seconds } ثوانٍ.
        [many] طلبات كثيرة جدًا. أعد المحاولة بعد { $seconds } ثانيةً.
       *[other] طلبات كثيرة جدًا. أعد المحاولة بعد { $seconds } ثانية.
    }
error-internal = حدث خطأ داخلي. يرجى المحاولة لاحقًا.
error-unavailable = الخدمة غير متاحة مؤقتًا. يرجى المحاولة لاحقًا.
error-live-full = عدد القراء الذين يتابعون التعليقات مباشرة كبير جدا الآن. يرجى المحاولة بعد قليل.
error-cannot-restore-author-deletion = لا يمكن استعادة تعليق حذفه صاحبه.
error-own-comment = لا يمكنك الإشارة إلى تعليقك الخاص.
error-not-approved = لا يمكن إضافة تعليق إلى اختيارات المحرر إلا بعد نشره.

## التحقق من الحقول

validation-required = هذا الحقل مطلوب.
validation-unknown-field = هذا الحقل غير معروف.
validation-invalid-type = نوع هذه القيمة غير صحيح.
validation-too-short =
    { $min ->
        [zero] يجب أن يحتوي على { $min } حرف على الأقل.
        [one] يجب أن يحتوي على حرف واحد على الأقل.
        [two] يجب أن يحتوي على حرفين على الأقل.
        [few] يجب أن يحتوي على { $min } أحرف على الأقل.
        [many] يجب أن يحتوي على { $min } حرفًا على الأقل.
       *[other] يجب أن يحتوي على { $min } حرف على الأقل.
    }
validation-too-long =
    { $max ->
        [zero] يجب ألا يتجاوز { $max } حرف.
        [one] يجب ألا يتجاوز حرفًا واحدًا.
        [two] يجب ألا يتجاوز حرفين.
        [few] يجب ألا يتجاوز { $max } أحرف.
        [many] يجب ألا يتجاوز { $max } حرفًا.
       *[other] يجب ألا يتجاوز { $max } حرف.
    }
validation-out-of-range = يجب أن تكون القيمة بين { $min } و{ $max }.
validation-invalid-format = الصيغة غير صالحة.
validation-username-chars = لا يمكن أن يحتوي اسم المستخدم إلا على حروف وأرقام والرموز التالية: _ - .
validation-username-mixed-script = لا يجوز أن يخلط اسم المستخدم بين أنظمة كتابة مختلفة.
validation-email = عنوان البريد الإلكتروني غير صالح.
validation-forbidden-chars = يحتوي هذا الحقل على رموز غير مسموح بها.
validation-name-invisible = هذا الاسم لا يظهر: يجب أن يحتوي على حروف مرئية.
validation-name-impersonates = هذا الاسم هو اسم حساب آخر أو يشبهه كثيرا.
validation-body-empty = لا يمكن أن يكون التعليق فارغًا.
validation-too-deep =
    { $max ->
        [zero] لا يمكن أن يتجاوز تسلسل الردود { $max } مستوى.
        [one] لا يمكن أن يتجاوز تسلسل الردود مستوى واحدًا.
        [two] لا يمكن أن يتجاوز تسلسل الردود مستويين.
        [few] لا يمكن أن يتجاوز تسلسل الردود { $max } مستويات.
        [many] لا يمكن أن يتجاوز تسلسل الردود { $max } مستوىً.
       *[other] لا يمكن أن يتجاوز تسلسل الردود { $max } مستوى.
    }
validation-invalid-choice = قيمة غير صالحة. القيم المقبولة: { $choices }.
validation-in-past = يجب أن يكون التاريخ في المستقبل.
validation-too-many =
    { $max ->
        [zero] لا يُسمح بأي عنصر.
        [one] لا يُسمح بأكثر من عنصر واحد.
        [two] لا يُسمح بأكثر من عنصرين.
        [few] لا يُسمح بأكثر من { $max } عناصر.
        [many] لا يُسمح بأكثر من { $max } عنصرًا.
       *[other] لا يُسمح بأكثر من { $max } عنصر.
    }
validation-password-too-short =
    { $min ->
        [zero] يجب أن تحتوي كلمة المرور على { $min } حرف على الأقل.
        [one] يجب أن تحتوي كلمة المرور على حرف واحد على الأقل.
        [two] يجب أن تحتوي كلمة المرور على حرفين على الأقل.
        [few] يجب أن تحتوي كلمة المرور على { $min } أحرف على الأقل.
        [many] يجب أن تحتوي كلمة المرور على { $min } حرفًا على الأقل.
       *[other] يجب أن تحتوي كلمة المرور على { $min } حرف على الأقل.
    }
validation-password-too-long =
    { $max ->
        [zero] يجب ألا تتجاوز كلمة المرور { $max } حرف.
        [one] يجب ألا تتجاوز كلمة المرور حرفًا واحدًا.
        [two] يجب ألا تتجاوز كلمة المرور حرفين.
        [few] يجب ألا تتجاوز كلمة المرور { $max } أحرف.
        [many] يجب ألا تتجاوز كلمة المرور { $max } حرفًا.
       *[other] يجب ألا تتجاوز كلمة المرور { $max } حرف.
    }
validation-invalid-key = مفتاح المقال غير صالح.
validation-invalid-parent = التعليق الذي ترد عليه غير صالح.

## واجهة التعليقات

comments-title = تعليقات
comment-post = أضف تعليقا
# عند العدد 0 يُختار المتغير [0] لأنه مذكور قبل [zero].
comment-count =
    { $count ->
        [0] لا توجد تعليقات
        [zero] لا توجد تعليقات
        [one] تعليق واحد
        [two] تعليقان
        [few] { $count } تعليقات
        [many] { $count } تعليقًا
       *[other] { $count } تعليق
    }
comments-empty = لا توجد تعليقات
live-new-comments =
    { $count ->
        [zero] لا توجد تعليقات جديدة
        [one] تعليق جديد واحد
        [two] تعليقان جديدان
        [few] { $count } تعليقات جديدة
        [many] { $count } تعليقًا جديدًا
       *[other] { $count } تعليق جديد
    }
comments-notice = أي تعليق مسيء خارجا عن حدود الأخلاق ولا علاقة له بالمقال سيتم حذفه
comment-reply = ردّ
comment-edit = تعديل
comment-delete = حذف
comment-report = إبلاغ
comment-cancel = إلغاء
comment-save = حفظ
comment-placeholder = اكتب تعليقك…
comment-pending-notice = تعليقك بانتظار موافقة المشرفين.
comment-rejected-notice = رفض المشرفون نشر تعليقك.
comment-deleted = تم حذف هذا التعليق.
comment-edited = معدَّل
comment-load-more = عرض مزيد من التعليقات
sort-oldest = الأقدم أولًا
sort-newest = الأحدث أولًا
sort-top = الأكثر إفادة
reaction-name = مفيد
reaction-hint = الإشارة إلى أن هذا التعليق مفيد
picks-title = اختيارات المحرر
picks-go = عرضه في النقاش
auth-sign-in = تسجيل الدخول
auth-sign-out = تسجيل الخروج
auth-register = إنشاء حساب
auth-username = اسم المستخدم
auth-email = البريد الإلكتروني
auth-password = كلمة المرور
auth-display-name = الاسم المعروض
auth-sign-in-to-comment = سجّل الدخول لتتمكن من التعليق.
report-title = الإبلاغ عن هذا التعليق
report-reason-abusive = مسيء
report-reason-off-topic = خارج الموضوع
report-reason-spam = رسائل مزعجة
report-reason-other = سبب آخر
report-note = تفاصيل إضافية (اختياري)
report-sent = شكرًا لك، تم إرسال بلاغك.
article-closed-notice = التعليقات مغلقة على هذا المقال.
reply-count =
    { $count ->
        [0] لا توجد ردود
        [zero] لا توجد ردود
        [one] ردّ واحد
        [two] ردّان
        [few] { $count } ردود
        [many] { $count } ردًّا
       *[other] { $count } ردّ
    }
time-just-now = الآن
time-minutes-ago =
    { $count ->
        [zero] الآن
        [one] منذ دقيقة واحدة
        [two] منذ دقيقتين
        [few] منذ { $count } دقائق
        [many] منذ { $count } دقيقةً
       *[other] منذ { $count } دقيقة
    }
time-hours-ago =
    { $count ->
        [zero] منذ أقل من ساعة
        [one] منذ ساعة واحدة
        [two] منذ ساعتين
        [few] منذ { $count } ساعات
        [many] منذ { $count } ساعةً
       *[other] منذ { $count } ساعة
    }
time-days-ago =
    { $count ->
        [zero] اليوم
        [one] منذ يوم واحد
        [two] منذ يومين
        [few] منذ { $count } أيام
        [many] منذ { $count } يومًا
       *[other] منذ { $count } يوم
    }
banned-notice-until = حسابك موقوف حتى { $until }، ولا يمكنك التعليق.
banned-notice-permanent = حسابك محظور نهائيًا، ولا يمكنك التعليق.
character-count = { $count } / { $max }

validation-wrong-password = كلمة المرور الحالية غير صحيحة.

## الصفحات: الإطار المدمج والصفحة الرئيسية والعرض التجريبي

sort-label = الترتيب
comment-posted = نُشر تعليقك.
comment-reply-to = الرد على { $name }
comment-author-erased = حساب محذوف
auth-have-account = لديك حساب؟
auth-no-account = ليس لديك حساب؟
auth-signed-in-as = متصل باسم { $name }
badge-staff = فريق التحرير
auth-sso-hint = سجّل دخولك إلى الموقع لتتمكن من التعليق.
auth-oidc-sign-in = تسجيل الدخول عبر { $name }
oidc-page-title = تسجيل الدخول
oidc-page-done = تمّ تسجيل دخولك. ستُغلق هذه النافذة.
oidc-page-code = الرمز: { $code }
report-send = أرسل البلاغ
report-reason = السبب
embed-article-missing = هذا المقال لا يقبل التعليقات بعد.
landing-title = تريبيون، تعليقات موقعك
landing-intro = تريبيون خادم تعليقات للمواقع الإخبارية بالفرنسية والعربية والإنجليزية: إطار تعليقات يُدمج أسفل كل مقال، ومكتب للإشراف.
landing-embed = لدمجه، أضف هذين السطرين إلى صفحة المقال:
landing-counts = لعرض عدد التعليقات في صفحة قائمة:
landing-demo = شاهد العرض التجريبي
landing-console = افتح مكتب الإشراف
landing-api = مرجع الواجهة البرمجية (OpenAPI)
demo-title = مقال تجريبي
demo-intro = تدمج هذه الصفحة تريبيون كما يفعل أي موقع: سطران من HTML أسفل المقال.
language-name = العربية

## مكتب الإشراف

console-title = مكتب الإشراف
console-sign-in-intro = سجّل الدخول بحساب مشرف أو مدير.
console-readers-refused = هذا الحساب ليس حساب مشرف: مكتب الإشراف مخصص للمشرفين والمديرين.
console-nav = الأقسام
console-queue-pending = بانتظار المراجعة
console-queue-reported = المبلَّغ عنها
console-queue-rejected = المرفوضة
console-queue-empty = لا شيء للمراجعة هنا.
console-total = المجموع: { $count }
console-log = السجل
console-users = المستخدمون
console-articles = المقالات
console-settings = الإعدادات
console-words = قوائم الكلمات
console-stats = الإحصاءات
console-approve = قبول
console-reject = رفض
console-delete = حذف
console-restore = استعادة
console-ban = حظر
console-unban = رفع الحظر
console-select = تحديد
console-selected = المحدد: { $count }
console-bulk-approve = قبول المحدد
console-bulk-reject = رفض المحدد
console-bulk-delete = حذف المحدد
console-reason = السبب (اختياري)
console-ban-reason = سبب الحظر
console-ban-duration = المدة
console-ban-days = الأيام (فارغ: حظر دائم)
console-ban-confirm = تأكيد الحظر
console-conflict = سبقك مشرف آخر إلى هذا التعليق؛ أُعيد تحميل القائمة.
console-done = تم.
console-article = المقال
console-author = الكاتب
console-approved-count = المقبولة: { $count }
console-rejected-count = المرفوضة: { $count }
console-note-count = الملاحظات: { $count }
console-notes = ملاحظات المشرفين
console-notes-empty = لا ملاحظات على هذا الحساب.
console-note-text = ملاحظة جديدة (يراها الفريق فقط)
console-note-add = إضافة الملاحظة
console-note-remove = حذف
console-feature = إضافة إلى الاختيارات
console-unfeature = إزالة من الاختيارات
console-featured = اختيارات المحرر
console-account-age = أُنشئ الحساب في { $date }
console-status-banned = محظور
console-status-active = نشط
console-reasons = أسباب الاحتجاز
console-reports = البلاغات
console-reason-premoderation = إشراف مسبق
console-reason-suspect_word = كلمة مشبوهة
console-reason-banned_word = كلمة محظورة
console-reason-too_many_links = روابط كثيرة
console-reason-duplicate = تعليق مكرر
console-reason-reports = مبلَّغ عنه
console-reason-edited = معدَّل
console-help = مساعدة: اختصارات لوحة المفاتيح
console-help-keys = j / k: التالي / السابق · a: قبول · r: رفض · d: حذف · b: حظر · x: تحديد · 1 / 2 / 3: تبديل القائمة · ?: مساعدة · f: اختيارات المحرر
console-close = إغلاق
console-user-page = صفحة المستخدم
console-role = الدور
console-role-save = تغيير الدور
console-create = إنشاء
console-title-field = العنوان
console-key-field = المفتاح
console-open = التعليقات مفتوحة
console-moderation-mode = الإشراف
console-word-pattern = النمط
console-word-kind = النوع
console-word-add = إضافة
console-word-test = جرّب نصًا
console-word-test-run = جرّب
console-search = بحث
console-save = حفظ

console-setting-default_moderation = الإشراف الافتراضي
console-setting-edit_window_minutes = مهلة التعديل (بالدقائق)
console-setting-report_threshold = عدد البلاغات قبل الاحتجاز
console-setting-trusted_after = التعليقات المقبولة لاكتساب الثقة
console-setting-max_links = أقصى عدد للروابط في التعليق
console-setting-auto_create_articles = إنشاء المقالات عند أول استخدام
console-mode-pre = إشراف مسبق
console-mode-post = إشراف لاحق
console-role-reader = قارئ
console-role-moderator = مشرف
console-role-admin = مدير
console-kind-banned = محظورة (رفض)
console-kind-suspect = مشبوهة (انتظار)
console-stat-comments = التعليقات
console-stat-users = الحسابات
console-stat-articles = المقالات
console-stat-last_24h = آخر 24 ساعة
console-stat-approved = مقبولة
console-stat-pending = بانتظار المراجعة
console-stat-rejected = مرفوضة
console-stat-deleted = محذوفة
console-stat-total = المجموع
console-stat-banned = محظورة
console-stat-reports = البلاغات
console-action-approve = قبول
console-action-reject = رفض
console-action-delete = حذف
console-action-restore = استعادة
console-action-ban = حظر
console-action-unban = رفع الحظر
console-action-role_change = تغيير الدور
console-action-settings_change = تعديل الإعدادات
console-action-word_add = إضافة كلمة
console-action-word_remove = حذف كلمة
console-action-article_create = إنشاء مقال
console-action-article_update = تعديل مقال
console-action-feature = إضافة تعليق إلى الاختيارات
console-action-unfeature = إزالة تعليق من الاختيارات
console-action-note_add = إضافة ملاحظة
console-action-note_remove = حذف ملاحظة
console-action-trusted_flagger = تغيير صفة المبلّغ الموثوق
console-date = التاريخ
console-action = الإجراء
console-target = الهدف
console-moderator = المشرف
console-count = العدد
console-status = الحالة
validation-text-empty = لا يمكن أن يكون النص المراد تجربته فارغا.
console-word-match = { $entry } (كما كُتبت: { $matched })
console-undone = التمويه المكشوف:
console-via-invisible = محارف غير مرئية
console-via-lookalike = حروف متشابهة الشكل
console-via-accents = علامات التشكيل
console-via-markup = تنسيق
console-via-elongation = تطويل (كشيدة)
console-via-symbol = رموز داخل الكلمة
console-via-spacing = حروف متباعدة
console-via-leet = أرقام أو رموز بدل الحروف
console-via-repeat = حروف مكررة
console-via-proclitic = حرف متصل بأول الكلمة
console-via-arabizi = عربيزي (حروف لاتينية وأرقام)
console-via-inflection = تصريف
console-via-suffix = ضمير متصل
console-via-doubled_letter = تكرار الحرف الأخير
console-via-broken_plural = جمع تكسير
console-via-elision = حذف
console-via-prefix = سابقة
console-report-notes = ملاحظات المبلِّغين

# Webhooks
validation-events-empty = اختر نوع حدث واحدا على الأقل.
validation-webhook-address = هذا العنوان خاص أو محلي: لا يمكن للويب هوك أن يصل إلا إلى عناوين عامة.
validation-webhook-unresolved = تعذّر العثور على عنوان اسم المضيف هذا.

## Mail
mail-greeting = مرحبا { $name }،
mail-someone = شخص ما
mail-verify-subject = أكّد عنوان بريدك الإلكتروني
mail-verify-body =
    { $count ->
        [zero] لتأكيد أن هذا العنوان لك، افتح الرابط أدناه (صالح لمدة { $count } ساعة).
        [one] لتأكيد أن هذا العنوان لك، افتح الرابط أدناه (صالح لمدة ساعة واحدة).
        [two] لتأكيد أن هذا العنوان لك، افتح الرابط أدناه (صالح لمدة ساعتين).
        [few] لتأكيد أن هذا العنوان لك، افتح الرابط أدناه (صالح لمدة { $count } ساعات).
        [many] لتأكيد أن هذا العنوان لك، افتح الرابط أدناه (صالح لمدة { $count } ساعةً).
       *[other] لتأكيد أن هذا العنوان لك، افتح الرابط أدناه (صالح لمدة { $count } ساعة).
    }
mail-verify-action = تأكيد عنواني
mail-verify-ignore = إذا لم تنشئ حسابا، فتجاهل هذه الرسالة.
mail-reset-subject = تغيير كلمة المرور
mail-reset-body =
    { $count ->
        [zero] طلب أحدهم، وأنت على الأرجح، تغيير كلمة مرور حسابك. يُستعمل هذا الرابط مرة واحدة وتنتهي صلاحيته بعد { $count } دقيقة.
        [one] طلب أحدهم، وأنت على الأرجح، تغيير كلمة مرور حسابك. يُستعمل هذا الرابط مرة واحدة وتنتهي صلاحيته بعد دقيقة واحدة.
        [two] طلب أحدهم، وأنت على الأرجح، تغيير كلمة مرور حسابك. يُستعمل هذا الرابط مرة واحدة وتنتهي صلاحيته بعد دقيقتين.
        [few] طلب أحدهم، وأنت على الأرجح، تغيير كلمة مرور حسابك. يُستعمل هذا الرابط مرة واحدة وتنتهي صلاحيته بعد { $count } دقائق.
        [many] طلب أحدهم، وأنت على الأرجح، تغيير كلمة مرور حسابك. يُستعمل هذا الرابط مرة واحدة وتنتهي صلاحيته بعد { $count } دقيقةً.
       *[other] طلب أحدهم، وأنت على الأرجح، تغيير كلمة مرور حسابك. يُستعمل هذا الرابط مرة واحدة وتنتهي صلاحيته بعد { $count } دقيقة.
    }
mail-reset-action = اختيار كلمة مرور جديدة
mail-reset-ignore = إذا لم تطلب شيئا، فتجاهل هذه الرسالة: كلمة مرورك لن تتغير.
mail-reply-subject = ردّ عليك { $name }
mail-reply-body = ردّ { $name } على تعليقك على «{ $title }»:
mail-reply-action = مشاهدة النقاش
mail-reply-unsubscribe = إيقاف رسائل الردود:
mail-digest-subject =
    { $count ->
        [0] لا توجد تعليقات في الانتظار
        [zero] لا توجد تعليقات في الانتظار
        [one] تعليق واحد في انتظار المراجعة
        [two] تعليقان في انتظار المراجعة
        [few] { $count } تعليقات في انتظار المراجعة
        [many] { $count } تعليقًا في انتظار المراجعة
       *[other] { $count } تعليق في انتظار المراجعة
    }
mail-digest-body =
    { $count ->
        [0] لا يوجد أي تعليق في قائمة المراجعة.
        [zero] لا يوجد أي تعليق في قائمة المراجعة.
        [one] تعليق واحد ينتظر قرارا في قائمة المراجعة.
        [two] تعليقان ينتظران قرارا في قائمة المراجعة.
        [few] { $count } تعليقات تنتظر قرارا في قائمة المراجعة.
        [many] { $count } تعليقًا ينتظر قرارا في قائمة المراجعة.
       *[other] { $count } تعليق ينتظر قرارا في قائمة المراجعة.
    }
mail-digest-action = فتح لوحة الإشراف
mail-digest-unsubscribe = إيقاف هذا الملخص:
validation-token-invalid = هذا الرابط غير صالح.
validation-token-expired = انتهت صلاحية هذا الرابط: اطلب رابطا جديدا.
validation-token-used = سبق استعمال هذا الرابط.
verify-page-title = تأكيد عنوانك
verify-page-intro = أكّد أن عنوان البريد الإلكتروني هذا لك.
verify-page-submit = تأكيد عنواني
verify-page-done = شكرا: تم تأكيد عنوانك.
reset-page-title = كلمة مرور جديدة
reset-page-intro = اختر كلمة المرور الجديدة لحسابك. سيتم تسجيل خروجك من كل مكان.
reset-page-password = كلمة المرور الجديدة (10 أحرف على الأقل)
reset-page-submit = حفظ كلمة المرور
reset-page-done = تم تغيير كلمة مرورك. سجّل الدخول بالكلمة الجديدة.
unsubscribe-title = إلغاء الاشتراك
unsubscribe-replies = إيقاف الرسائل عندما يردّ أحد على تعليقاتك؟
unsubscribe-queue = إيقاف ملخص قائمة المراجعة؟
unsubscribe-submit = إلغاء اشتراكي
unsubscribe-done = تم: لن تصلك هذه الرسائل بعد الآن. يمكنك إعادة تفعيلها من حسابك.
unsubscribe-invalid = رابط إلغاء الاشتراك هذا غير صالح.

## قانون الخدمات الرقمية: بيانات الأسباب والطعون
error-already-appealed = لقد طعنت في هذا القرار من قبل.
error-appeal-window-closed = انقضت مهلة الطعن في هذا القرار.
error-appeal-needs-other-moderator = يجب أن يبت في هذا الطعن مشرف غير الذي اتخذ القرار.
error-appeals-suspended = كانت طعونك الأخيرة بلا أساس واضح: لن تُعالج طعونك التالية في الوقت الحالي.
error-appeal-decided = سبق البت في هذا الطعن.
validation-unknown-rule = قاعدة غير معروفة؛ قواعد الموقع: { $choices }.
dsa-facts-none = قرار مشرف، دون سبب مفصل.
dsa-redress = يمكنك الطعن في هذا القرار لدينا حتى { $date }. ويمكنك أيضا اللجوء إلى هيئة معتمدة لتسوية النزاعات خارج المحاكم، أو إلى القضاء.
dsa-redress-no-appeal = يمكنك اللجوء إلى هيئة معتمدة لتسوية النزاعات خارج المحاكم، أو إلى القضاء.
validation-before-from = نهاية الفترة تسبق بدايتها.
## قانون الخدمات الرقمية: الإبلاغ عن المحتوى غير القانوني، ورسائله
validation-good-faith = يجب أن تؤكد أن بلاغك مقدَّم بحسن نية.
mail-greeting-anonymous = مرحبا،
mail-notice-received-subject = تلقّينا بلاغك
mail-notice-received-body = تلقّينا بلاغك عن محتوى غير قانوني بشأن التعليق أدناه (الفئة: { $category }). سندرسه ونبلغك بقرارنا.
mail-notice-decided-subject = قرارنا بشأن بلاغك
mail-notice-decided-removed = بعد دراسة بلاغك، أزلنا التعليق أدناه.
mail-notice-decided-kept = بعد دراسة بلاغك، أبقينا التعليق أدناه منشورا.
mail-automated-yes = استُخدمت وسائل آلية في اتخاذ هذا القرار.
mail-automated-no = اتخذ هذا القرارَ شخصٌ، دون وسائل آلية.
mail-statement-subject-removed = لماذا أُزيل تعليقك
mail-statement-subject-restricted = لماذا أُخفي تعليقك
mail-statement-subject-account_suspended = لماذا عُلّق حسابك
mail-statement-removed = أُزيل تعليقك أدناه.
mail-statement-restricted = أُخفي تعليقك أدناه إلى أن يراجعه مشرف.
mail-statement-account_suspended = عُلّق حسابك.
mail-statement-ground-rule = السبب: قاعدة الموقع «{ $rule }».
mail-statement-ground-illegal = السبب: المحتوى غير قانوني بموجب { $law }. { $explanation }
mail-statement-facts = الوقائع: { $facts }
mail-statement-detection-yes = اكتُشف المحتوى بوسائل آلية.
mail-statement-detection-no = لم يُكتشف المحتوى بوسائل آلية.
mail-statement-decision-fully = اتُّخذ القرار بوسائل آلية وحدها.
mail-statement-decision-partially = اتُّخذ القرار جزئيا بوسائل آلية.
mail-statement-decision-not = اتخذ القرارَ شخصٌ.
mail-appeal-subject = القرار بشأن طعنك
mail-appeal-upheld = راجعنا طعنك: القرار قائم.
mail-appeal-reversed = راجعنا طعنك وألغينا القرار: أُعيد تعليقك، أو رُفع تعليق حسابك.
mail-appeal-reason = السبب: { $reason }
## Widget: notices of illegal content (DSA Art. 16)
notice-open = الإبلاغ عن محتوى غير قانوني
notice-title = الإبلاغ عن محتوى غير قانوني (قانون الخدمات الرقمية الأوروبي)
notice-intro = للمحتوى المخالف للقانون. أما التعليق غير اللائق فحسب، فاستعمل «إبلاغ».
notice-category = الفئة
notice-explanation = لماذا هذا المحتوى غير قانوني؟ (20 حرفا على الأقل)
notice-name = اسمك
notice-email = بريدك الإلكتروني
notice-identity-hint = الاسم والبريد مطلوبان، إلا في محتوى الاعتداء الجنسي على الأطفال. ستتلقى إشعارا بالاستلام، ثم قرارنا.
notice-good-faith = أصرّح بحسن نية بأن المعلومات والادعاءات الواردة في هذا البلاغ دقيقة وكاملة.
notice-send = إرسال البلاغ
notice-sent = شكرا، تلقّينا بلاغك.
notice-category-illegal-or-harmful-speech = خطاب غير قانوني أو ضار
notice-category-violence = عنف
notice-category-protection-of-minors = حماية القاصرين (ومنها الاعتداء الجنسي على الأطفال)
notice-category-data-protection-and-privacy-violations = حماية البيانات والخصوصية
notice-category-scams-and-fraud = احتيال ونصب
notice-category-intellectual-property-infringements = انتهاك الملكية الفكرية
notice-category-negative-effects-on-civic-discourse-or-elections = آثار سلبية على النقاش العام أو الانتخابات
notice-category-non-consensual-behaviour = سلوك دون موافقة
notice-category-pornography-or-sexualized-content = محتوى إباحي أو جنسي
notice-category-risk-for-public-security = خطر على الأمن العام
notice-category-self-harm = إيذاء النفس
notice-category-unsafe-and-illegal-products = منتجات خطرة أو غير قانونية
notice-category-animal-welfare = رعاية الحيوان
notice-category-scope-of-platform-service = خارج نطاق الخدمة
## Console: the DSA's queues
console-notices = البلاغات
console-appeals = الطعون
console-notice-category = الفئة
console-notice-explanation = الشرح
console-notifier = صاحب البلاغ
console-trusted-flagger = مبلّغ موثوق
console-comment = التعليق
console-decision = القرار
console-decision-removed = أُزيل
console-decision-restricted = أُخفي
console-decision-account_suspended = عُلّق الحساب
console-appeal-text = الطعن
console-appeal-upheld = الإبقاء على القرار
console-appeal-reversed = إلغاء القرار
mail-appeal-warning = تنبيه: تُعدّ طعونك مرارا غير مؤسسة بشكل واضح. إن كان الطعن القادم كذلك، فلن تُعالَج طعونك التالية لفترة (المادة 23 من قانون الخدمات الرقمية).

## The console's transparency report
console-transparency = الشفافية
console-transparency-from = من
console-transparency-to = إلى
console-transparency-show = عرض
console-transparency-none = لا شيء في هذه المدة.
console-transparency-notices = البلاغات الواردة
console-transparency-notices-decided = البلاغات المعالجة
console-transparency-notice-hours = المدة الوسيطة لمعالجة بلاغ (بالساعات)
console-transparency-decisions = قرارات الإشراف
console-transparency-automated = المكتشفة بوسائل آلية
console-transparency-appeals = الطعون
console-transparency-upheld = طعون مرفوضة (أُبقي القرار)
console-transparency-reversed = طعون مقبولة (أُلغي القرار)
console-transparency-appeal-hours = المدة الوسيطة للبت في طعن (بالساعات)
console-transparency-suspensions = تعليق الحسابات
console-transparency-by-ground = القرارات حسب السبب
console-transparency-by-category = البلاغات حسب الفئة
console-transparency-by-decision = القرارات حسب النوع
console-transparency-illegal = محتوى غير قانوني
console-transparency-rule = قاعدة الموقع:
console-transparency-decision-removed = حذف
console-transparency-decision-restricted = تقييد
console-transparency-decision-account-suspended = تعليق حساب
