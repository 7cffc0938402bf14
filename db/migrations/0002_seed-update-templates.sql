-- Default templates for the usual moments of an incident. The team edits them in the admin area.
INSERT INTO `update_templates` (`moment`, `name_en`, `name_fr`, `summary_en`, `summary_fr`, `now_en`, `now_fr`, `next_en`, `next_fr`, `display_order`, `updated_at`) VALUES
('investigating', 'Investigating', 'Enquête en cours',
 'Some users cannot [action] on [service]. We are investigating the cause.',
 'Certains utilisateurs ne peuvent pas [action] dans [service]. Nous cherchons la cause du problème.',
 'Our team is looking into the problem.
We are checking which users are affected.',
 'Notre équipe examine le problème.
Nous vérifions quels utilisateurs sont touchés.',
 'We will share what we find in the next update.',
 'Nous communiquerons nos constats dans la prochaine mise à jour.',
 1, unixepoch() * 1000),
('identified', 'Problem identified', 'Problème cerné',
 'We found what is stopping users from [action] on [service] and are working on a fix.',
 'Nous avons trouvé ce qui empêche les utilisateurs de [action] dans [service] et préparons un correctif.',
 'We know where the problem is.
We are preparing a fix.',
 'Nous savons où se situe le problème.
Nous préparons un correctif.',
 'We will apply the fix and check that it works.',
 'Nous appliquerons le correctif et vérifierons qu’il fonctionne.',
 2, unixepoch() * 1000),
('monitoring', 'Monitoring a fix', 'Surveillance d’un correctif',
 'We applied a fix and [service] is working again for most users. We are watching to make sure it stays that way.',
 'Nous avons appliqué un correctif et [service] fonctionne de nouveau pour la plupart des utilisateurs. Nous surveillons la situation pour nous assurer que cela dure.',
 'The fix is in place.
We are watching error rates and response times.',
 'Le correctif est en place.
Nous surveillons les taux d’erreur et les temps de réponse.',
 'We will confirm when the incident is resolved.',
 'Nous confirmerons la résolution de l’incident.',
 3, unixepoch() * 1000),
('resolved', 'Resolved', 'Résolu',
 'Service is restored: [service] is working normally. We will publish a postmortem explaining what happened and what we are changing.',
 'Le service est rétabli : [service] fonctionne normalement. Nous publierons une analyse post-incident qui expliquera ce qui s’est passé et ce que nous changerons.',
 '', '', '', '',
 4, unixepoch() * 1000),
('maintenance', 'Scheduled maintenance', 'Maintenance planifiée',
 '[service] will be unavailable from [start] to [end] for planned maintenance.',
 '[service] sera indisponible de [début] à [fin] pour une maintenance planifiée.',
 'We are preparing the maintenance.',
 'Nous préparons la maintenance.',
 'We will post an update when the maintenance starts and when it ends.',
 'Nous publierons une mise à jour au début et à la fin de la maintenance.',
 5, unixepoch() * 1000);
