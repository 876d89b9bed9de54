# Tribune — chaînes françaises (langue par défaut).
# Toutes les langues doivent définir exactement les mêmes clés.

## Erreurs de l'API (une par code d'erreur)

error-malformed-json = Le corps de la requête n'est pas un JSON valide.
error-invalid-cursor = Le curseur de pagination est invalide.
error-unauthenticated = Vous devez être connecté pour effectuer cette action.
error-invalid-credentials = Identifiant ou mot de passe incorrect.
error-forbidden = Vous n'avez pas l'autorisation d'effectuer cette action.
error-banned = Votre compte est suspendu jusqu'au { $until }.
error-banned-permanent = Votre compte a été banni définitivement.
error-article-closed = Les commentaires sont fermés pour cet article.
error-edit-window-passed = Le délai pour modifier ou supprimer ce commentaire est dépassé.
error-not-found = La ressource demandée est introuvable.
error-method-not-allowed = Cette méthode n'est pas autorisée pour cette adresse.
error-username-taken = Ce nom d'utilisateur est déjà pris.
error-email-taken = Cette adresse e-mail est déjà utilisée.
error-already-reported = Vous avez déjà signalé ce commentaire.
error-conflict = Cette opération est en conflit avec l'état actuel des données.
error-last-admin = Impossible de retirer le dernier administrateur.
error-article-exists = Un article avec cette clé existe déjà.
error-word-exists = Ce mot figure déjà dans la liste.
error-payload-too-large = Le corps de la requête est trop volumineux.
error-request-timeout = La requête est arrivée trop lentement ; réessayez.
error-unsupported-media-type = Type de contenu non pris en charge : utilisez application/json.
error-validation-failed = Certains champs sont invalides.
error-sso-invalid = Le jeton de connexion du site est invalide.
error-sso-expired = Le jeton de connexion du site a expiré : rechargez la page.
error-sso-replayed = Ce jeton de connexion du site a déjà servi : rechargez la page.
error-sso-only = Les lecteurs se connectent avec leur compte du site.
error-oidc-return-refused = Cette adresse de retour n’est pas permise.
error-oidc-state-invalid = Cette connexion a expiré ou a déjà servi : recommencez depuis le bouton de connexion.
error-oidc-failed = Le fournisseur d’identité n’a pas confirmé la connexion.
error-oidc-unavailable = Le fournisseur d’identité ne répond pas ; réessayez dans un moment.
error-rate-limited =
    { $seconds ->
        [one] Trop de requêtes. Réessayez dans { $seconds } seconde.
       *[other] Trop de requêtes. Réessayez dans { $seconds } secondes.
    }
error-internal = Une erreur interne est survenue. Veuillez réessayer plus tard.
error-unavailable = Le service est momentanément indisponible. Veuillez réessayer plus tard.
error-live-full = Trop de lecteurs suivent les fils en direct en ce moment. Veuillez réessayer dans quelques instants.
error-cannot-restore-author-deletion = Un commentaire supprimé par son auteur ne peut pas être restauré.
error-own-comment = Vous ne pouvez pas marquer votre propre commentaire.
error-not-approved = Seul un commentaire publié peut faire partie de la sélection de la rédaction.

## Validation des champs

validation-required = Ce champ est obligatoire.
validation-unknown-field = Ce champ n'est pas reconnu.
validation-invalid-type = Le type de cette valeur est incorrect.
validation-too-short =
    { $min ->
        [one] Doit contenir au moins { $min } caractère.
       *[other] Doit contenir au moins { $min } caractères.
    }
validation-too-long =
    { $max ->
        [one] Ne doit pas dépasser { $max } caractère.
       *[other] Ne doit pas dépasser { $max } caractères.
    }
validation-out-of-range = La valeur doit être comprise entre { $min } et { $max }.
validation-invalid-format = Le format est invalide.
validation-username-chars = Le nom d'utilisateur ne peut contenir que des lettres, des chiffres et les caractères _ - et .
validation-username-mixed-script = Le nom d'utilisateur ne doit pas mélanger des alphabets différents.
validation-email = L'adresse e-mail est invalide.
validation-forbidden-chars = Ce champ contient des caractères interdits.
validation-name-invisible = Ce nom ne s'affiche pas : il faut des caractères visibles.
validation-name-impersonates = Ce nom est celui d'un autre compte ou lui ressemble trop.
validation-body-empty = Le commentaire ne peut pas être vide.
validation-too-deep =
    { $max ->
        [one] Une discussion ne peut pas dépasser { $max } niveau de réponses.
       *[other] Une discussion ne peut pas dépasser { $max } niveaux de réponses.
    }
validation-invalid-choice = Valeur non valide. Valeurs acceptées : { $choices }.
validation-in-past = La date doit être dans le futur.
validation-too-many =
    { $max ->
        [one] Pas plus de { $max } élément.
       *[other] Pas plus de { $max } éléments.
    }
validation-password-too-short =
    { $min ->
        [one] Le mot de passe doit contenir au moins { $min } caractère.
       *[other] Le mot de passe doit contenir au moins { $min } caractères.
    }
validation-password-too-long =
    { $max ->
        [one] Le mot de passe ne doit pas dépasser { $max } caractère.
       *[other] Le mot de passe ne doit pas dépasser { $max } caractères.
    }
validation-invalid-key = La clé d'article est invalide.
validation-invalid-parent = Le commentaire auquel vous répondez est invalide.

## Widget de commentaires

comments-title = Commentaires
comment-post = Poster commentaire
comment-count =
    { $count ->
        [0] Pas de commentaires
        [one] { $count } commentaire
       *[other] { $count } commentaires
    }
comments-empty = Pas de commentaires
live-new-comments =
    { $count ->
        [one] { $count } nouveau commentaire
       *[other] { $count } nouveaux commentaires
    }
comments-notice = Tout commentaire injurieux et sans rapport avec l'article sera supprimé.
comment-reply = Répondre
comment-edit = Modifier
comment-delete = Supprimer
comment-report = Signaler
comment-cancel = Annuler
comment-save = Enregistrer
comment-placeholder = Votre commentaire…
comment-pending-notice = Votre commentaire est en attente de modération.
comment-rejected-notice = Votre commentaire a été refusé par la modération.
comment-deleted = Ce commentaire a été supprimé.
comment-edited = modifié
comment-load-more = Afficher plus de commentaires
sort-oldest = Les plus anciens
sort-newest = Les plus récents
sort-top = Les plus pertinents
reaction-name = Pertinent
reaction-hint = Marquer ce commentaire comme pertinent
picks-title = Sélection de la rédaction
picks-go = Voir dans la discussion
auth-sign-in = Se connecter
auth-sign-out = Se déconnecter
auth-register = Créer un compte
auth-username = Nom d'utilisateur
auth-email = Adresse e-mail
auth-password = Mot de passe
auth-display-name = Nom affiché
auth-sign-in-to-comment = Connectez-vous pour commenter.
report-title = Signaler ce commentaire
report-reason-abusive = Injurieux
report-reason-off-topic = Hors sujet
report-reason-spam = Spam
report-reason-other = Autre raison
report-note = Précisions (facultatif)
report-sent = Merci, votre signalement a bien été envoyé.
article-closed-notice = Les commentaires sont fermés pour cet article.
reply-count =
    { $count ->
        [0] Aucune réponse
        [one] { $count } réponse
       *[other] { $count } réponses
    }
time-just-now = À l'instant
time-minutes-ago =
    { $count ->
        [one] Il y a { $count } minute
       *[other] Il y a { $count } minutes
    }
time-hours-ago =
    { $count ->
        [one] Il y a { $count } heure
       *[other] Il y a { $count } heures
    }
time-days-ago =
    { $count ->
        [one] Il y a { $count } jour
       *[other] Il y a { $count } jours
    }
banned-notice-until = Votre compte est suspendu jusqu'au { $until } : vous ne pouvez pas commenter.
banned-notice-permanent = Votre compte a été banni : vous ne pouvez plus commenter.
character-count = { $count } / { $max }

validation-wrong-password = Le mot de passe actuel est incorrect.

## Pages : widget intégré, page d'accueil, démo

sort-label = Trier
comment-posted = Votre commentaire a été publié.
comment-reply-to = Répondre à { $name }
comment-author-erased = Compte supprimé
auth-have-account = Déjà inscrit ?
auth-no-account = Pas encore de compte ?
auth-signed-in-as = Connecté en tant que { $name }
badge-staff = Rédaction
auth-sso-hint = Connectez-vous sur le site pour commenter.
auth-oidc-sign-in = Se connecter avec { $name }
oidc-page-title = Connexion
oidc-page-done = Vous êtes connecté. Cette fenêtre va se fermer.
oidc-page-code = Code : { $code }
report-send = Envoyer le signalement
report-reason = Motif
embed-article-missing = Cet article n'accepte pas encore de commentaires.
landing-title = Tribune, les commentaires de votre site
landing-intro = Tribune est un serveur de commentaires pour les sites d'information en français, en arabe et en anglais : un cadre de commentaires à intégrer sous chaque article, et un bureau de modération.
landing-embed = Pour l'intégrer, ajoutez ces deux lignes à une page d'article :
landing-counts = Pour afficher le nombre de commentaires sur une page de liste :
landing-demo = Voir la démonstration
landing-console = Ouvrir le bureau de modération
landing-api = Référence de l'API (OpenAPI)
demo-title = Article de démonstration
demo-intro = Cette page intègre Tribune exactement comme le ferait un site : deux lignes de HTML sous l'article.
language-name = Français

## Bureau de modération

console-title = Bureau de modération
console-sign-in-intro = Connectez-vous avec un compte de modérateur ou d'administrateur.
console-readers-refused = Ce compte n'est pas un compte de modérateur : le bureau de modération est réservé aux modérateurs et aux administrateurs.
console-nav = Sections
console-queue-pending = En attente
console-queue-reported = Signalés
console-queue-rejected = Refusés
console-queue-empty = Rien à modérer ici.
console-total = Total : { $count }
console-log = Journal
console-users = Utilisateurs
console-articles = Articles
console-settings = Réglages
console-words = Listes de mots
console-stats = Statistiques
console-approve = Approuver
console-reject = Refuser
console-delete = Supprimer
console-restore = Rétablir
console-ban = Bannir
console-unban = Lever le bannissement
console-select = Sélectionner
console-selected = Sélection : { $count }
console-bulk-approve = Approuver la sélection
console-bulk-reject = Refuser la sélection
console-bulk-delete = Supprimer la sélection
console-reason = Motif (facultatif)
console-ban-reason = Motif du bannissement
console-ban-duration = Durée
console-ban-days = Jours (vide : définitif)
console-ban-confirm = Confirmer le bannissement
console-conflict = Un autre modérateur a déjà traité ce commentaire ; la file a été rechargée.
console-done = C'est fait.
console-article = Article
console-author = Auteur
console-approved-count = Approuvés : { $count }
console-rejected-count = Refusés : { $count }
console-note-count = Notes : { $count }
console-notes = Notes des modérateurs
console-notes-empty = Aucune note sur ce compte.
console-note-text = Nouvelle note (visible par l'équipe seulement)
console-note-add = Ajouter la note
console-note-remove = Retirer
console-feature = Sélectionner
console-unfeature = Retirer de la sélection
console-featured = Sélection de la rédaction
console-account-age = Compte créé le { $date }
console-status-banned = Banni
console-status-active = Actif
console-reasons = Motifs de la retenue
console-reports = Signalements
console-reason-premoderation = Prémodération
console-reason-suspect_word = Mot suspect
console-reason-banned_word = Mot interdit
console-reason-too_many_links = Trop de liens
console-reason-duplicate = Doublon
console-reason-reports = Signalé
console-reason-edited = Modifié
console-help = Aide : raccourcis clavier
console-help-keys = j / k : suivant / précédent · a : approuver · r : refuser · d : supprimer · b : bannir · x : sélectionner · 1 / 2 / 3 : changer de file · ? : aide · f : sélection de la rédaction
console-close = Fermer
console-user-page = Fiche de l'utilisateur
console-role = Rôle
console-role-save = Changer le rôle
console-create = Créer
console-title-field = Titre
console-key-field = Clé
console-open = Commentaires ouverts
console-moderation-mode = Modération
console-word-pattern = Motif
console-word-kind = Type
console-word-add = Ajouter
console-word-test = Essayer un texte
console-word-test-run = Essayer
console-search = Rechercher
console-save = Enregistrer

console-setting-default_moderation = Modération par défaut
console-setting-edit_window_minutes = Délai de modification (minutes)
console-setting-report_threshold = Signalements avant retenue
console-setting-trusted_after = Commentaires approuvés pour être de confiance
console-setting-max_links = Liens au plus par commentaire
console-setting-auto_create_articles = Créer les articles au premier commentaire
console-mode-pre = Prémodération
console-mode-post = Modération a posteriori
console-role-reader = Lecteur
console-role-moderator = Modérateur
console-role-admin = Administrateur
console-kind-banned = Interdit (refusé)
console-kind-suspect = Suspect (en attente)
console-stat-comments = Commentaires
console-stat-users = Comptes
console-stat-articles = Articles
console-stat-last_24h = Dernières 24 heures
console-stat-approved = approuvés
console-stat-pending = en attente
console-stat-rejected = refusés
console-stat-deleted = supprimés
console-stat-total = total
console-stat-banned = bannis
console-stat-reports = signalements
console-action-approve = approbation
console-action-reject = refus
console-action-delete = suppression
console-action-restore = rétablissement
console-action-ban = bannissement
console-action-unban = levée de bannissement
console-action-role_change = changement de rôle
console-action-settings_change = réglages modifiés
console-action-word_add = mot ajouté
console-action-word_remove = mot retiré
console-action-article_create = article créé
console-action-article_update = article modifié
console-action-feature = commentaire sélectionné
console-action-unfeature = commentaire retiré de la sélection
console-action-note_add = note ajoutée
console-action-note_remove = note retirée
console-action-trusted_flagger = signaleur de confiance modifié
console-date = Date
console-action = Action
console-target = Objet
console-moderator = Modérateur
console-count = Nombre
console-status = État
validation-text-empty = Le texte à essayer ne peut pas être vide.
console-word-match = { $entry } (écrit : { $matched })
console-undone = déguisement défait :
console-via-invisible = caractères invisibles
console-via-lookalike = lettres sosies
console-via-accents = accents
console-via-markup = mise en forme
console-via-elongation = allongement arabe (tatouil)
console-via-symbol = symboles dans le mot
console-via-spacing = lettres espacées
console-via-leet = chiffres ou symboles pour des lettres
console-via-repeat = lettres répétées
console-via-proclitic = particule attachée
console-via-arabizi = arabizi
console-via-inflection = flexion
console-via-suffix = pronom suffixé
console-via-doubled_letter = dernière lettre doublée
console-via-broken_plural = pluriel brisé
console-via-elision = élision
console-via-prefix = préfixe
console-report-notes = Notes des signalements

# Webhooks
validation-events-empty = Choisissez au moins un type d’événement.
validation-webhook-address = Cette adresse est privée ou locale : les webhooks ne peuvent joindre que des adresses publiques.
validation-webhook-unresolved = Ce nom d’hôte n’a pas pu être résolu.

## Mail
mail-greeting = Bonjour { $name },
mail-someone = Quelqu’un
mail-verify-subject = Confirmez votre adresse e-mail
mail-verify-body =
    { $count ->
        [one] Pour confirmer que cette adresse est bien la vôtre, ouvrez le lien ci-dessous (valable { $count } heure).
       *[other] Pour confirmer que cette adresse est bien la vôtre, ouvrez le lien ci-dessous (valable { $count } heures).
    }
mail-verify-action = Confirmer mon adresse
mail-verify-ignore = Si vous n’avez pas créé de compte, ignorez ce message.
mail-reset-subject = Changer votre mot de passe
mail-reset-body =
    { $count ->
        [one] Quelqu’un, vous sans doute, a demandé à changer le mot de passe de votre compte. Ce lien ne sert qu’une fois et expire dans { $count } minute.
       *[other] Quelqu’un, vous sans doute, a demandé à changer le mot de passe de votre compte. Ce lien ne sert qu’une fois et expire dans { $count } minutes.
    }
mail-reset-action = Choisir un nouveau mot de passe
mail-reset-ignore = Si vous n’avez rien demandé, ignorez ce message : votre mot de passe ne change pas.
mail-reply-subject = { $name } vous a répondu
mail-reply-body = { $name } a répondu à votre commentaire sous « { $title } » :
mail-reply-action = Voir la discussion
mail-reply-unsubscribe = Ne plus recevoir de mail pour les réponses :
mail-digest-subject =
    { $count ->
        [0] Aucun commentaire en attente
        [one] { $count } commentaire en attente de modération
       *[other] { $count } commentaires en attente de modération
    }
mail-digest-body =
    { $count ->
        [0] Aucun commentaire n’attend dans la file de modération.
        [one] { $count } commentaire attend une décision dans la file de modération.
       *[other] { $count } commentaires attendent une décision dans la file de modération.
    }
mail-digest-action = Ouvrir la console de modération
mail-digest-unsubscribe = Ne plus recevoir ce résumé :
validation-token-invalid = Ce lien n’est pas valable.
validation-token-expired = Ce lien a expiré : demandez-en un nouveau.
validation-token-used = Ce lien a déjà servi.
verify-page-title = Confirmer votre adresse
verify-page-intro = Confirmez que cette adresse e-mail est bien la vôtre.
verify-page-submit = Confirmer mon adresse
verify-page-done = Merci : votre adresse est confirmée.
reset-page-title = Nouveau mot de passe
reset-page-intro = Choisissez le nouveau mot de passe de votre compte. Vous serez déconnecté partout.
reset-page-password = Nouveau mot de passe (10 caractères au moins)
reset-page-submit = Enregistrer le mot de passe
reset-page-done = Votre mot de passe est changé. Connectez-vous avec le nouveau.
unsubscribe-title = Désabonnement
unsubscribe-replies = Ne plus recevoir de mail quand quelqu’un répond à vos commentaires ?
unsubscribe-queue = Ne plus recevoir le résumé de la file de modération ?
unsubscribe-submit = Me désabonner
unsubscribe-done = C’est fait : vous ne recevrez plus ces messages. Vous pouvez les réactiver depuis votre compte.
unsubscribe-invalid = Ce lien de désabonnement n’est pas valable.

## Digital Services Act : statements of reasons, appeals
error-already-appealed = Vous avez déjà fait appel de cette décision.
error-appeal-window-closed = Le délai pour faire appel de cette décision est passé.
error-appeal-needs-other-moderator = Cet appel doit être tranché par un autre modérateur que l'auteur de la décision.
error-appeals-suspended = Vos derniers appels étaient manifestement infondés : les suivants ne sont plus traités pour le moment.
error-appeal-decided = Cet appel a déjà été tranché.
validation-unknown-rule = Règle inconnue ; règles du site : { $choices }.
dsa-facts-none = Décision d'un modérateur, sans motif détaillé.
dsa-redress = Vous pouvez faire appel de cette décision auprès de nous jusqu'au { $date }. Vous pouvez aussi vous adresser à un organisme de règlement extrajudiciaire des litiges certifié, ou saisir la justice.
dsa-redress-no-appeal = Vous pouvez vous adresser à un organisme de règlement extrajudiciaire des litiges certifié, ou saisir la justice.
validation-before-from = La fin de la période précède son début.
## Règlement sur les services numériques : notifications de contenus illicites, et leurs courriels
validation-good-faith = Vous devez confirmer que votre notification est faite de bonne foi.
mail-greeting-anonymous = Bonjour,
mail-notice-received-subject = Nous avons reçu votre notification
mail-notice-received-body = Nous avons reçu votre notification d’un contenu illicite au sujet du commentaire ci-dessous (catégorie : { $category }). Nous allons l’examiner et vous dirons notre décision.
mail-notice-decided-subject = Notre décision sur votre notification
mail-notice-decided-removed = Après examen de votre notification, nous avons retiré le commentaire ci-dessous.
mail-notice-decided-kept = Après examen de votre notification, nous avons laissé en ligne le commentaire ci-dessous.
mail-automated-yes = Des moyens automatisés ont servi à prendre cette décision.
mail-automated-no = Cette décision a été prise par une personne, sans moyen automatisé.
mail-statement-subject-removed = Pourquoi votre commentaire a été retiré
mail-statement-subject-restricted = Pourquoi votre commentaire a été masqué
mail-statement-subject-account_suspended = Pourquoi votre compte a été suspendu
mail-statement-removed = Votre commentaire ci-dessous a été retiré.
mail-statement-restricted = Votre commentaire ci-dessous est masqué jusqu’à ce qu’un modérateur l’examine.
mail-statement-account_suspended = Votre compte a été suspendu.
mail-statement-ground-rule = Motif : la règle du site « { $rule } ».
mail-statement-ground-illegal = Motif : le contenu est illicite au regard de { $law }. { $explanation }
mail-statement-facts = Faits : { $facts }
mail-statement-detection-yes = Le contenu a été détecté par des moyens automatisés.
mail-statement-detection-no = Le contenu n’a pas été détecté par des moyens automatisés.
mail-statement-decision-fully = La décision a été prise par des moyens automatisés seuls.
mail-statement-decision-partially = La décision a été prise en partie par des moyens automatisés.
mail-statement-decision-not = La décision a été prise par une personne.
mail-appeal-subject = La décision sur votre recours
mail-appeal-upheld = Nous avons examiné votre recours : la décision est maintenue.
mail-appeal-reversed = Nous avons examiné votre recours et annulé la décision : votre commentaire est rétabli, ou la suspension de votre compte levée.
mail-appeal-reason = Motif : { $reason }
## Widget: notices of illegal content (DSA Art. 16)
notice-open = Signaler un contenu illicite
notice-title = Signaler un contenu illicite (règlement européen sur les services numériques)
notice-intro = Pour un contenu contraire à la loi. Pour un commentaire seulement déplacé, utilisez « Signaler ».
notice-category = Catégorie
notice-explanation = Pourquoi ce contenu est-il illicite ? (20 caractères au moins)
notice-name = Votre nom
notice-email = Votre adresse électronique
notice-identity-hint = Nom et adresse sont demandés, sauf pour un contenu d’abus sexuel sur enfant. Vous recevrez un accusé de réception, puis notre décision.
notice-good-faith = Je déclare de bonne foi que les informations et allégations de cette notification sont exactes et complètes.
notice-send = Envoyer la notification
notice-sent = Merci, votre notification a bien été reçue.
notice-category-illegal-or-harmful-speech = Discours illicite ou préjudiciable
notice-category-violence = Violence
notice-category-protection-of-minors = Protection des mineurs (dont abus sexuels sur enfants)
notice-category-data-protection-and-privacy-violations = Protection des données et vie privée
notice-category-scams-and-fraud = Arnaques et fraudes
notice-category-intellectual-property-infringements = Atteinte à la propriété intellectuelle
notice-category-negative-effects-on-civic-discourse-or-elections = Atteinte au débat public ou aux élections
notice-category-non-consensual-behaviour = Comportement non consenti
notice-category-pornography-or-sexualized-content = Pornographie ou contenu sexualisé
notice-category-risk-for-public-security = Risque pour la sécurité publique
notice-category-self-harm = Automutilation
notice-category-unsafe-and-illegal-products = Produits dangereux ou illicites
notice-category-animal-welfare = Bien-être animal
notice-category-scope-of-platform-service = Hors du champ du service
## Console: the DSA's queues
console-notices = Notifications
console-appeals = Recours
console-notice-category = Catégorie
console-notice-explanation = Explication
console-notifier = Auteur de la notification
console-trusted-flagger = signaleur de confiance
console-comment = Commentaire
console-decision = Décision
console-decision-removed = retiré
console-decision-restricted = masqué
console-decision-account_suspended = compte suspendu
console-appeal-text = Recours
console-appeal-upheld = Maintenir
console-appeal-reversed = Annuler la décision
mail-appeal-warning = Avertissement : vos recours sont régulièrement jugés manifestement infondés. Si le prochain l’est aussi, vos recours suivants ne seront plus traités pendant un temps (article 23 du règlement sur les services numériques).

## The console's transparency report
console-transparency = Transparence
console-transparency-from = Du
console-transparency-to = Au
console-transparency-show = Afficher
console-transparency-none = Aucun sur la période.
console-transparency-notices = Notifications reçues
console-transparency-notices-decided = Notifications traitées
console-transparency-notice-hours = Délai médian de traitement d’une notification (heures)
console-transparency-decisions = Décisions de modération
console-transparency-automated = Détectées par des moyens automatisés
console-transparency-appeals = Recours
console-transparency-upheld = Recours rejetés (décision maintenue)
console-transparency-reversed = Recours acceptés (décision annulée)
console-transparency-appeal-hours = Délai médian de décision d’un recours (heures)
console-transparency-suspensions = Suspensions de comptes
console-transparency-by-ground = Décisions par motif
console-transparency-by-category = Notifications par catégorie
console-transparency-by-decision = Décisions par type
console-transparency-illegal = Contenu illicite
console-transparency-rule = Règle du site :
console-transparency-decision-removed = Retrait
console-transparency-decision-restricted = Restriction
console-transparency-decision-account-suspended = Suspension de compte
