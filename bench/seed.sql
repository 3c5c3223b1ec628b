-- The benchmark's cases (bench/run.sh): `psql -v cases=N -f bench/seed.sql` on a database that
-- `petitio migrate` and `petitio seed-demo` prepared. Five years of a city's work in one
-- INSERT … generate_series: filed over 1,825 days; 1 in 50 and every case of the last 40 days
-- still waiting (in examination, a term 30 days after filing, overdue when it passed); 3 in 20
-- closed without an answer (forwarded, dismissed, withdrawn); the rest answered after 0 to 39
-- days (late after 30), one in five rated. Spread over the demo's departments, officers and
-- services; 1 in 5,000 filed by citizen@demo.petitio (their "my cases"). Registration year
-- 2099, so the numbers never meet those the portal gives. Each case has the folded search text
-- filing writes (subjects vary over seven words, so a word matches a seventh of them).
\set ON_ERROR_STOP on
INSERT INTO petition_case (institution_id, department_id, kind, status, workflow_name, workflow_version,
    reg_year, reg_seq, registration_number, channel, petitioner_id, petitioner_name, subject, body,
    search_text, overdue, answer_due, consent_publish, filed_at, updated_at, version, assignee_id,
    answered_at, outcome, response_days, response_working_days, answered_late, closed_at, rating,
    rated_at, service_id)
SELECT 1, d.ids[1 + g % array_length(d.ids, 1)], 'petition',
       CASE s.kind WHEN 'answered' THEN 'closed' WHEN 'waiting' THEN 'in_examination' ELSE s.kind END,
       'md-petition', 1, 2099, g, 'CHI-2099-' || lpad(g::text, 7, '0'),
       (ARRAY['online', 'online', 'online', 'paper', 'post', 'email'])[1 + g % 6],
       CASE WHEN g % 5000 = 0 THEN c.id END,
       'Petiționar ' || g,
       w.words[1 + g % 7] || ' ' || w.words[1 + (g / 7) % 7] || ' nr. ' || g,
       'Textul petiției ' || g || ': ' || w.words[1 + (g / 49) % 7],
       lower('chi-2099-' || lpad(g::text, 7, '0') || ' ' || w.words[1 + g % 7] || ' ' || w.words[1 + (g / 7) % 7]
             || ' nr. ' || g || ' petitionar ' || g || ' textul petitiei ' || g || ': ' || w.words[1 + (g / 49) % 7]),
       s.kind = 'waiting' AND f.filed < now() - interval '30 days',
       (f.filed + interval '30 days')::date, false, f.filed, now(), 1,
       CASE WHEN s.kind <> 'waiting' THEN o.ids[1 + g % array_length(o.ids, 1)] END,
       CASE WHEN s.kind = 'answered' THEN f.filed + (g % 40) * interval '1 day' END,
       CASE WHEN s.kind = 'answered' THEN (ARRAY['admitted', 'partly_admitted', 'rejected'])[1 + g % 3] END,
       CASE WHEN s.kind = 'answered' THEN g % 40 END,
       CASE WHEN s.kind = 'answered' THEN (g % 40) * 5 / 7 END,
       CASE WHEN s.kind = 'answered' THEN g % 40 > 30 END,
       CASE WHEN s.kind = 'answered' THEN f.filed + (g % 40) * interval '1 day'
            WHEN s.kind = 'waiting' THEN NULL
            ELSE f.filed + interval '3 days' END,
       CASE WHEN s.kind = 'answered' AND g % 5 = 0 THEN 1 + g % 5 END,
       CASE WHEN s.kind = 'answered' AND g % 5 = 0 THEN f.filed + (g % 40 + 1) * interval '1 day' END,
       sv.ids[1 + g % coalesce(array_length(sv.ids, 1), 1)]
FROM generate_series(1, :cases) g
CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM department WHERE institution_id = 1) d
CROSS JOIN (SELECT array_agg(DISTINCT user_id) AS ids FROM user_role WHERE role = 'officer') o
CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM public_service) sv
CROSS JOIN (SELECT id FROM app_user WHERE email = 'citizen@demo.petitio') c
CROSS JOIN (SELECT ARRAY['cantina', 'iluminat', 'incalzire', 'transport', 'gunoi', 'apa', 'drumuri'] AS words) w
CROSS JOIN LATERAL (SELECT now() - (g % 1825) * interval '1 day' - (g % 24) * interval '1 hour' AS filed) f
CROSS JOIN LATERAL (SELECT CASE WHEN g % 50 = 0 OR f.filed > now() - interval '40 days' THEN 'waiting'
                                WHEN g % 20 = 1 THEN 'forwarded'
                                WHEN g % 20 = 2 THEN 'dismissed'
                                WHEN g % 20 = 3 THEN 'withdrawn'
                                ELSE 'answered' END AS kind) s;
-- As autovacuum leaves a table in steady state (visibility map set: index-only counts).
VACUUM ANALYZE petition_case;
