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
error-unsupported-media-type = نوع المحتوى غير مدعوم: استخدم application/json.
error-validation-failed = بعض الحقول غير صالحة.
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
error-cannot-restore-author-deletion = لا يمكن استعادة تعليق حذفه صاحبه.

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
validation-text-empty = لا يمكن أن يكون النص المراد تجربته فارغا.
