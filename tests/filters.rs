//! The evasion table: disguises a determined reader uses, by category, in
//! French and Arabic, that the word filters must catch; and innocent
//! sentences written around the same traps, that they must let through.
//! Pure functions: no server.

use tribune::screening::starter::starter_words;
use tribune::text::{fold_pattern, fold_text, WordKind, WordList};

/// The list the table runs against, typed as a moderator types it.
const BANNED: &[&str] = &[
    "connard",
    "salaud",
    "merde",
    "salope",
    "pute",
    "con",
    "encul*",
    "حمار",
    "كلب",
    "غبي",
    "حقير",
    "خنزير",
    "عاهرة",
    "زبال*",
    "قحبة",
];

fn list() -> WordList {
    WordList::new(
        BANNED
            .iter()
            .map(|p| (fold_pattern(p).expect(p), WordKind::Banned)),
    )
}

/// (category, disguised text) that must be caught.
const DISGUISES: &[(&str, &str)] = &[
    // Joining: words cut by spaces or symbols.
    ("joining", "co nnard"),
    ("joining", "con-nard"),
    ("joining", "c|onnard"),
    ("joining", "co.nnard"),
    ("joining", "con/nard"),
    ("joining", "co nn ard"),
    ("joining", "sal aud"),
    ("joining", "quel c o n n a r d"),
    ("joining", "s.a.l.a.u.d"),
    ("joining", "m-e-r-d-e"),
    ("joining", "ح م ا ر"),
    ("joining", "حم ار"),
    ("joining", "ك-ل-ب"),
    ("joining", "خن.زير"),
    // Folding: small capitals, enclosed, squared, mathematical, other scripts.
    ("folding", "ᴄᴏɴɴᴀʀᴅ"),
    ("folding", "🅲🅾🅽🅽🅰🆁🅳"),
    ("folding", "ⓒⓞⓝⓝⓐⓡⓓ"),
    ("folding", "🄲🄾🄽🄽🄰🅁🄳"),
    ("folding", "𝐜𝐨𝐧𝐧𝐚𝐫𝐝"),
    ("folding", "𝓈𝒶𝓁𝒶𝓊𝒹"),
    ("folding", "🇨🇴🇳🇳🇦🇷🇩"),
    ("folding", "ꜱᴀʟᴀᴜᴅ"),
    ("folding", "сοnnаrd"),
    ("folding", "ｍｅｒｄｅ"),
    ("folding", "ﺣﻤﺎﺭ"),
    // Leet inside a word.
    ("leet", "m€rde"),
    ("leet", "$alaud"),
    ("leet", "s@laud"),
    ("leet", "c0nn4rd"),
    ("leet", "(onnard"),
    ("leet", "m3rd3"),
    ("leet", "5alaud"),
    ("leet", "pu+e"),
    ("leet", "s4l0p3"),
    ("leet", "sa£aud"),
    // French inflection.
    ("inflection", "connards"),
    ("inflection", "SALAUDS"),
    ("inflection", "connarde"),
    ("inflection", "connasse"),
    ("inflection", "merdes"),
    ("inflection", "salopes"),
    ("inflection", "des putes"),
    ("inflection", "bande de cons"),
    ("inflection", "quelle conne"),
    ("inflection", "enculés"),
    // Arabic suffixes, doubled final letter, broken plurals.
    ("arabic", "حمارة"),
    ("arabic", "حمارات"),
    ("arabic", "حمارين"),
    ("arabic", "حمارك"),
    ("arabic", "حمارهم"),
    ("arabic", "حمارتك"),
    ("arabic", "كلبة"),
    ("arabic", "حمارر"),
    ("arabic", "كلبب"),
    ("arabic", "حمير"),
    ("arabic", "كلاب"),
    ("arabic", "الحمير"),
    ("arabic", "ياكلاب"),
    ("arabic", "كلابكم"),
    ("arabic", "خنازير"),
    ("arabic", "أغبياء"),
    ("arabic", "غبية"),
    ("arabic", "حقيرة"),
    ("arabic", "عاهرات"),
    ("arabic", "عواهر"),
    ("arabic", "بالخنازير"),
    ("arabic", "زبالة"),
    // Arabizi, and Latin mixed with Arabic.
    ("arabizi", "7mar"),
    ("arabizi", "hmar"),
    ("arabizi", "ya 7mara"),
    ("arabizi", "kalb"),
    ("arabizi", "KELB"),
    ("arabizi", "5anzir"),
    ("arabizi", "khanzir"),
    ("arabizi", "ghabi"),
    ("arabizi", "7a9ir"),
    ("arabizi", "حm@ر"),
    ("arabizi", "7مار"),
    ("arabizi", "كlب"),
    ("arabizi", "ya 7mir"),
    ("arabizi", "klab"),
    ("arabizi", "9a7ba"),
    // Several at once.
    ("combined", "c0 nnard"),
    ("combined", "CONNARDS!!!"),
    ("combined", "s a l a u d s"),
    ("combined", "m€rdes"),
    ("combined", "الحمـــير"),
    ("combined", "ᴄᴏɴɴᴀʀᴅꜱ"),
    ("combined", "7maaaar"),
];

/// Innocent sentences around the traps, that must pass.
const INNOCENT: &[&str] = &[
    // French: words that contain or resemble listed ones.
    "Il a une bonne connaissance du dossier.",
    "Le canard laqué était délicieux.",
    "Une salade niçoise et un café.",
    "Yann Salaün a été élu maire.",
    "La mer de Chine méridionale est disputée.",
    "Il a dit : c o n t e r une histoire.",
    "Le contrat a été signé hier.",
    "Les députés ont voté contre.",
    "Une dispute éclate au conseil municipal.",
    "Il est réputé pour sa rigueur.",
    "La salle était pleine.",
    "Le salaire minimum augmente.",
    "Le putsch a échoué.",
    "Une salopette bleue.",
    "Il faut confronter les sources.",
    "Le consensus est large.",
    "Elle conduit prudemment.",
    "La connexion est instable.",
    "Une contre-enquête est ouverte.",
    "Rendez-vous à Mâcon, puis à Concarneau.",
    "Le festival de Condom attire du monde.",
    "Salon-de-Provence et Saint-Pierre-et-Miquelon.",
    "Merdrignac est en Bretagne.",
    "On a pris le train à Putanges.",
    "Le conducteur a été entendu.",
    "Un conte pour enfants.",
    "Les cônes de signalisation.",
    "Le sale temps continue.",
    "Le canari chante.",
    "Le conseil des ministres.",
    // French: numbers and punctuation keep their meaning.
    "Le 1er mai 2024, 15 000 personnes ont défilé.",
    "3 € le kilo, 5 $ la livre, 7 % de hausse.",
    "Score final : 3-0 puis 1-1.",
    "Rendez-vous à 5 h 30, salle 4B.",
    "Écrivez à contact@exemple.fr (merci !).",
    "Voir https://exemple.fr/article-123",
    "Il a marqué 7 buts en 3 matchs.",
    "C++ et C# sont des langages.",
    "Le prix passe de 40 € à 45 €.",
    "Question : pourquoi ? Réponse : parce que.",
    // Arabic: words that contain or resemble listed ones.
    "زرنا قصر الحمراء في غرناطة",
    "حماية البيئة مسؤولية الجميع",
    "درست في كلية الطب",
    "الكلبية مدرسة فلسفية يونانية",
    "حمامة السلام فوق المدينة",
    "الكلمات لها وزن",
    "مكالمة هاتفية طويلة",
    "الحمد لله على السلامة",
    "محمد وأحمد وحامد في الصف",
    "الغبار يغطي السيارات",
    "حقيبة السفر ثقيلة",
    "هذه هي الحقيقة",
    "العاهل المغربي يستقبل الوفد",
    "الزبائن راضون عن الخدمة",
    "مقال رائع، شكرا جزيلا",
    "كلام جميل والحمد لله",
    "حمزة لاعب ممتاز",
    "قلب المدينة القديمة",
    "الخنجر اليمني تراث",
    "سافرنا إلى الحمامات ومراكش وحماة",
    "كل بيت فيه مكتبة",
    "المدينة الحمراء مراكش",
    "ارتفع عدد الوكلاء",
    // Arabic and Arabizi mixed with numbers.
    "الساعة 7 مساء، يوم 3 مارس",
    "سعر الكيلو 5 دراهم",
    "Rendez-vous le 7 mars, 3ème étage.",
    "Salam 3likoum, merci pour l'article",
    "kilo, kalbi, 9albi, galbi",
];

#[test]
fn the_disguises_are_caught() {
    let words = list();
    assert!(DISGUISES.len() >= 60, "{} disguises", DISGUISES.len());
    let missed: Vec<&(&str, &str)> = DISGUISES
        .iter()
        .filter(|(_, text)| words.scan(&fold_text(text)) != vec![WordKind::Banned])
        .collect();
    assert!(missed.is_empty(), "not caught: {missed:?}");
}

/// The starter list an admin may load.
fn starter() -> WordList {
    WordList::new(
        starter_words()
            .into_iter()
            .map(|(kind, p)| (fold_pattern(p).expect(p), kind)),
    )
}

/// The sentences of a data file (one per line, `#` comments).
fn sentences(text: &'static str) -> Vec<&'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// Every innocent sentence: the table above and the data files.
fn all_innocent() -> Vec<&'static str> {
    let mut all = INNOCENT.to_vec();
    all.extend(sentences(include_str!("data/innocent_fr.txt")));
    all.extend(sentences(include_str!("data/innocent_ar.txt")));
    all
}

/// The sentences a list flags, with why.
fn flagged_by(words: &WordList, texts: &[&'static str]) -> Vec<(&'static str, Vec<String>)> {
    texts
        .iter()
        .map(|t| {
            let folded = fold_text(t);
            let why = words
                .explain(&folded)
                .into_iter()
                .map(|e| format!("{} ← {}", e.entry, e.matched))
                .collect::<Vec<_>>();
            (*t, why)
        })
        .filter(|(_, why)| !why.is_empty())
        .collect()
}

#[test]
fn innocent_sentences_pass() {
    let all = all_innocent();
    assert!(INNOCENT.len() >= 60, "{} sentences", INNOCENT.len());
    assert!(all.len() >= 250, "{} sentences", all.len());
    let flagged = flagged_by(&list(), &all);
    assert!(flagged.is_empty(), "wrongly flagged: {flagged:?}");
}

#[test]
fn innocent_sentences_pass_the_starter_list() {
    let flagged = flagged_by(&starter(), &all_innocent());
    assert!(flagged.is_empty(), "wrongly flagged: {flagged:?}");
}

#[test]
fn the_starter_list_catches_its_words_in_disguise() {
    let words = starter();
    for text in [
        "ᴄᴏɴɴᴀʀᴅ",
        "s@l0pe",
        "p u t e s",
        "7mar",
        "كلاب",
        "خنازير",
        "عاهرات",
    ] {
        assert!(!words.scan(&fold_text(text)).is_empty(), "{text}");
    }
}

#[test]
fn each_category_has_both_languages_or_its_own() {
    for category in [
        "joining",
        "folding",
        "leet",
        "inflection",
        "arabic",
        "arabizi",
    ] {
        assert!(
            DISGUISES.iter().filter(|(c, _)| *c == category).count() >= 5,
            "{category}"
        );
    }
}

#[test]
fn an_explanation_names_the_entry_the_text_and_the_disguise() {
    let words = list();
    let explain = |text: &str| {
        let mut found = words.explain(&fold_text(text));
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        let e = found.remove(0);
        (e.entry, e.matched, e.via.names())
    };
    assert_eq!(
        explain("quel c|onnard"),
        ("connard".into(), "c|onnard".into(), vec!["symbol"])
    );
    assert_eq!(
        explain("co nnard !"),
        ("connard".into(), "co nnard".into(), vec!["spacing"])
    );
    assert_eq!(
        explain("m€rde"),
        ("merde".into(), "m€rde".into(), vec!["leet"])
    );
    assert_eq!(
        explain("les connards"),
        ("connard".into(), "connards".into(), vec!["inflection"])
    );
    assert_eq!(
        explain("كلاب"),
        ("كلب".into(), "كلاب".into(), vec!["broken_plural"])
    );
    assert_eq!(
        explain("حمارر"),
        ("حمار".into(), "حمارر".into(), vec!["doubled_letter"])
    );
    assert_eq!(
        explain("ya 7mar"),
        ("حمار".into(), "7mar".into(), vec!["arabizi"])
    );
    assert_eq!(
        explain("ᴄᴏɴɴᴀʀᴅ"),
        ("connard".into(), "ᴄᴏɴɴᴀʀᴅ".into(), vec!["lookalike"])
    );
}
