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
error-unsupported-media-type = Type de contenu non pris en charge : utilisez application/json.
error-validation-failed = Certains champs sont invalides.
error-rate-limited =
    { $seconds ->
        [one] Trop de requêtes. Réessayez dans { $seconds } seconde.
       *[other] Trop de requêtes. Réessayez dans { $seconds } secondes.
    }
error-internal = Une erreur interne est survenue. Veuillez réessayer plus tard.
error-unavailable = Le service est momentanément indisponible. Veuillez réessayer plus tard.
error-cannot-restore-author-deletion = Un commentaire supprimé par son auteur ne peut pas être restauré.

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
validation-text-empty = Le texte à essayer ne peut pas être vide.
