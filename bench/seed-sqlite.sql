-- The benchmark's cases on SQLite (bench/run.sh): the same cases as bench/seed.sql (read its
-- head for what they are), written for SQLite:
--   sqlite3 DB ".parameter set :cases N" ".read bench/seed-sqlite.sql"
-- on a database that `petitio migrate` and `petitio seed-demo` prepared. Lists are JSON arrays
-- (SQLite has no arrays), moments are stored as the application stores them
-- (`2026-11-27T10:00:00+00:00`, dates `2026-11-27`, booleans 0/1), days are Julian days.
.bail on
BEGIN;
INSERT INTO petition_case (institution_id, department_id, kind, status, workflow_name, workflow_version,
    reg_year, reg_seq, registration_number, channel, petitioner_id, petitioner_name, subject, body,
    search_text, overdue, answer_due, consent_publish, filed_at, updated_at, version, assignee_id,
    answered_at, outcome, response_days, response_working_days, answered_late, closed_at, rating,
    rated_at, service_id)
WITH
  lists AS (
    SELECT (SELECT json_group_array(id) FROM (SELECT id FROM department WHERE institution_id = 1 ORDER BY id)) AS depts,
           (SELECT json_group_array(user_id) FROM (SELECT DISTINCT user_id FROM user_role WHERE role = 'officer' ORDER BY user_id)) AS officers,
           (SELECT json_group_array(id) FROM (SELECT id FROM public_service ORDER BY id)) AS services,
           (SELECT id FROM app_user WHERE email = 'citizen@demo.petitio') AS citizen,
           '["cantina","iluminat","incalzire","transport","gunoi","apa","drumuri"]' AS words,
           julianday('now') AS now),
  g AS (
    SELECT value AS g, now - (value % 1825) - (value % 24) / 24.0 AS filed, lists.*
    FROM generate_series(1, :cases), lists),
  c AS (
    SELECT g.*,
           CASE WHEN g % 50 = 0 OR filed > now - 40 THEN 'waiting'
                WHEN g % 20 = 1 THEN 'forwarded'
                WHEN g % 20 = 2 THEN 'dismissed'
                WHEN g % 20 = 3 THEN 'withdrawn'
                ELSE 'answered' END AS kind,
           json_extract(words, '$[' || (g % 7) || ']') AS w1,
           json_extract(words, '$[' || ((g / 7) % 7) || ']') AS w2,
           json_extract(words, '$[' || ((g / 49) % 7) || ']') AS w3
    FROM g)
SELECT 1, json_extract(depts, '$[' || (g % json_array_length(depts)) || ']'), 'petition',
       CASE kind WHEN 'answered' THEN 'closed' WHEN 'waiting' THEN 'in_examination' ELSE kind END,
       'md-petition', 1, 2099, g, 'CHI-2099-' || printf('%07d', g),
       json_extract('["online","online","online","paper","post","email"]', '$[' || (g % 6) || ']'),
       CASE WHEN g % 5000 = 0 THEN citizen END,
       'Petiționar ' || g,
       w1 || ' ' || w2 || ' nr. ' || g,
       'Textul petiției ' || g || ': ' || w3,
       'chi-2099-' || printf('%07d', g) || ' ' || w1 || ' ' || w2 || ' nr. ' || g || ' petitionar ' || g
           || ' textul petitiei ' || g || ': ' || w3,
       kind = 'waiting' AND filed < now - 30,
       date(filed + 30), 0,
       strftime('%Y-%m-%dT%H:%M:%S+00:00', filed), strftime('%Y-%m-%dT%H:%M:%S+00:00', now), 1,
       CASE WHEN kind <> 'waiting' THEN json_extract(officers, '$[' || (g % json_array_length(officers)) || ']') END,
       CASE WHEN kind = 'answered' THEN strftime('%Y-%m-%dT%H:%M:%S+00:00', filed + g % 40) END,
       CASE WHEN kind = 'answered' THEN json_extract('["admitted","partly_admitted","rejected"]', '$[' || (g % 3) || ']') END,
       CASE WHEN kind = 'answered' THEN g % 40 END,
       CASE WHEN kind = 'answered' THEN (g % 40) * 5 / 7 END,
       CASE WHEN kind = 'answered' THEN g % 40 > 30 END,
       CASE WHEN kind = 'answered' THEN strftime('%Y-%m-%dT%H:%M:%S+00:00', filed + g % 40)
            WHEN kind = 'waiting' THEN NULL
            ELSE strftime('%Y-%m-%dT%H:%M:%S+00:00', filed + 3) END,
       CASE WHEN kind = 'answered' AND g % 5 = 0 THEN 1 + g % 5 END,
       CASE WHEN kind = 'answered' AND g % 5 = 0 THEN strftime('%Y-%m-%dT%H:%M:%S+00:00', filed + g % 40 + 1) END,
       json_extract(services, '$[' || (g % max(json_array_length(services), 1)) || ']')
FROM c;
COMMIT;
ANALYZE;
