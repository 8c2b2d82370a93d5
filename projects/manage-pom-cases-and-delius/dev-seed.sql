-- The Manage POM Cases test people of spec section 5, loaded by `make run` (crates/local-stack seed)
-- and by every integration test of this service (tests/it/harness.rs), so both see the same cases.
-- Idempotent. Ids 930001-930199 belong to this service's seed (930100+: the handover block at the
-- end); reference data (provider N03 with institution SWI, teams N03DEF/N03POM/N03ALL/N03PRE/N03DEL,
-- staff N03DEF0/N03ALLU/N03POMF) comes from the delius-data reference-data migration.
--
--   offender  crn      noms     role (spec 5)
--   930001    T123456  A0123BY  DEFAULT: tier TIER_2, NORMAL resourcing, community manager N03DEF0,
--                               M2 MAPPA, a future-dated POM (N03POMF, now + 3 days) holding the RO
--   930002    H123456  A1024BY  HANDOVER (no key dates)
--   930003    X123456  A1024BX  NO_MAPPA (community manager, no registrations)
--   930004    H123457  A2048BY  UPDATE_HANDOVER_AND_START (POM1 and POM2 already recorded)
--   930005    H123458  A4096BY  CREATE_HANDOVER_AND_START
--   930006    H123459  A4096CY  CREATE_SENTENCE_CHANGED
--   930007    H123410  A4096DY  PERSON_NOT_FOUND (Manage POM Cases has no handover)
--   930008    H123412  A4096DX  PERSON_MULTIPLE_CUSTODIAL (two custodial sentences)

INSERT INTO offender (offender_id, crn, noms_number, first_name, surname, current_tier, created_by_user_id, last_updated_user_id, created_datetime, last_updated_datetime)
VALUES (930001, 'T123456', 'A0123BY', 'Default', 'Person', 10101, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (930002, 'H123456', 'A1024BY', 'Handover', 'Person', NULL, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (930003, 'X123456', 'A1024BX', 'NoMappa', 'Person', NULL, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (930004, 'H123457', 'A2048BY', 'UpdateHandover', 'Person', NULL, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (930005, 'H123458', 'A4096BY', 'CreateHandover', 'Person', NULL, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (930006, 'H123459', 'A4096CY', 'SentenceChanged', 'Person', NULL, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (930007, 'H123410', 'A4096DY', 'NotFound', 'Person', NULL, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (930008, 'H123412', 'A4096DX', 'MultipleCustodial', 'Person', NULL, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00')
ON CONFLICT DO NOTHING;

-- One active custodial event each (930008 has two); event id = disposal id = custody id.
INSERT INTO event (event_id, offender_id, event_number, active_flag, soft_deleted, row_version, created_datetime)
VALUES (930001, 930001, '1', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00'),
       (930002, 930002, '1', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00'),
       (930004, 930004, '1', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00'),
       (930005, 930005, '1', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00'),
       (930006, 930006, '1', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00'),
       (930007, 930007, '1', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00'),
       (930008, 930008, '1', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00'),
       (930009, 930008, '2', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00')
ON CONFLICT DO NOTHING;

INSERT INTO disposal (disposal_id, event_id, disposal_type_id, disposal_date, active_flag, soft_deleted)
SELECT event_id, event_id, 101, DATE '2020-01-01', 1, 0 FROM event WHERE event_id BETWEEN 930001 AND 930099
ON CONFLICT DO NOTHING;

-- Custodial status D (In Custody), prison SWI (institution 113).
INSERT INTO custody (custody_id, disposal_id, custodial_status_id, institution_id, prisoner_number, soft_deleted, row_version, created_by_user_id, last_updated_user_id, created_datetime, last_updated_datetime)
SELECT d.disposal_id, d.disposal_id, 10904, 113, o.noms_number, 0, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'
FROM disposal d JOIN event e ON e.event_id = d.event_id JOIN offender o ON o.offender_id = e.offender_id
WHERE d.disposal_id BETWEEN 930001 AND 930099
ON CONFLICT DO NOTHING;

-- UPDATE_HANDOVER_AND_START already has a handover start date (POM1) and handover date (POM2).
INSERT INTO key_date (key_date_id, custody_id, key_date_type_id, key_date, soft_deleted, partition_area_id, row_version, created_by_user_id, last_updated_user_id, created_datetime, last_updated_datetime)
VALUES (930001, 930004, 10801, DATE '2023-01-01', 0, 0, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (930002, 930004, 10802, DATE '2023-01-02', 0, 0, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00')
ON CONFLICT DO NOTHING;

-- DEFAULT: NORMAL resourcing (decision A) on its event.
INSERT INTO case_allocation (case_allocation_id, offender_id, event_id, allocation_decision_id, allocation_decision_date)
VALUES (930001, 930001, 930001, 12702, TIMESTAMP '2023-01-01 12:00:00')
ON CONFLICT DO NOTHING;

-- Community managers: DEFAULT has an active one (N03DEF / N03DEF0), an inactive previous one (N03PRE)
-- and a soft-deleted one (N03DEL); NO_MAPPA has an active unallocated one (N03ALL / N03ALLU).
INSERT INTO offender_manager (offender_manager_id, offender_id, allocation_staff_id, team_id, probation_area_id, allocation_date, end_date, active_flag, soft_deleted, row_version, created_by_user_id, last_updated_user_id, created_datetime, last_updated_datetime)
VALUES (930001, 930001, 1031, 1031, 103, TIMESTAMP '2023-01-01 00:00:00', NULL, 1, 0, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (930002, 930001, 1032, 1034, 103, TIMESTAMP '2022-01-01 00:00:00', TIMESTAMP '2023-01-01 00:00:00', 0, 0, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (930003, 930001, 1032, 1035, 103, TIMESTAMP '2023-01-01 00:00:00', NULL, 1, 1, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (930004, 930003, 1032, 1033, 103, TIMESTAMP '2023-01-01 00:00:00', NULL, 1, 0, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00')
ON CONFLICT DO NOTHING;

-- DEFAULT's M2 MAPPA registration (category M2).
INSERT INTO registration (registration_id, offender_id, register_type_id, register_level_id, register_category_id, registration_date, next_review_date, deregistered, soft_deleted, created_datetime)
VALUES (930001, 930001, 101, 12403, 12503, DATE '2023-01-01', DATE '2023-07-01', 0, 0, TIMESTAMP '2023-01-01 00:00:00')
ON CONFLICT DO NOTHING;

-- DEFAULT's future-dated POM (N03POMF in N03POM, reason AUT) from now + 3 days, holding the RO.
INSERT INTO prison_offender_manager (prison_offender_manager_id, row_version, offender_id, allocation_date, allocation_reason_id, allocation_staff_id, allocation_team_id, probation_area_id, end_date, active_flag, soft_deleted, partition_area_id, created_by_user_id, last_updated_user_id, created_datetime, last_updated_datetime)
VALUES (930001, 0, 930001, date_trunc('second', now() AT TIME ZONE 'Europe/London') + INTERVAL '3 days', 10701, 1033, 1032, 103, NULL, 1, 0, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00')
ON CONFLICT DO NOTHING;
INSERT INTO responsible_officer (responsible_officer_id, offender_id, prison_offender_manager_id, start_date, end_date, row_version, created_by_user_id, last_updated_user_id, created_datetime, last_updated_datetime)
SELECT 930001, 930001, 930001, allocation_date, NULL, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'
FROM prison_offender_manager WHERE prison_offender_manager_id = 930001
ON CONFLICT DO NOTHING;

-- Default Staff's Delius user; the LDAP directory holds its e-mail (default.staff@moj.gov.uk).
INSERT INTO user_ (user_id, distinguished_name, forename, surname, staff_id)
VALUES (930001, 'DefaultStaff', 'Default', 'Staff', 1031)
ON CONFLICT DO NOTHING;

-- Handover helper rows (ids 930100-930199): the bulk re-sync candidate rules (spec 3.4, rule 9).
--   offender  crn      noms     custody
--   930100    H123500  A5000HP  one custody, status P (Post Sentence Supervision): not a bulk
--                               candidate, but SENTENCE_CHANGED still finds it (no status filter)
--   930101    H123501  A5001HN  one custody without a prisoner number: not a bulk candidate
--   930102    H123502  A5002HX  two custodies, one status P: a bulk candidate (only one counts),
--                               not a SENTENCE_CHANGED match (two rows)
INSERT INTO offender (offender_id, crn, noms_number, first_name, surname, current_tier, created_by_user_id, last_updated_user_id, created_datetime, last_updated_datetime)
VALUES (930100, 'H123500', 'A5000HP', 'PostSentence', 'Person', NULL, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (930101, 'H123501', 'A5001HN', 'NoPrisonerNumber', 'Person', NULL, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (930102, 'H123502', 'A5002HX', 'OneCounted', 'Person', NULL, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00')
ON CONFLICT DO NOTHING;

INSERT INTO event (event_id, offender_id, event_number, active_flag, soft_deleted, row_version, created_datetime)
VALUES (930100, 930100, '1', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00'),
       (930101, 930101, '1', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00'),
       (930102, 930102, '1', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00'),
       (930103, 930102, '2', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00')
ON CONFLICT DO NOTHING;

INSERT INTO disposal (disposal_id, event_id, disposal_type_id, disposal_date, active_flag, soft_deleted)
SELECT event_id, event_id, 101, DATE '2020-01-01', 1, 0 FROM event WHERE event_id BETWEEN 930100 AND 930103
ON CONFLICT DO NOTHING;

-- Status D (In Custody) is 10904, P (Post Sentence Supervision) 10906.
INSERT INTO custody (custody_id, disposal_id, custodial_status_id, institution_id, prisoner_number, soft_deleted, row_version, created_by_user_id, last_updated_user_id, created_datetime, last_updated_datetime)
VALUES (930100, 930100, 10906, 113, 'A5000HP', 0, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (930101, 930101, 10904, 113, NULL, 0, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (930102, 930102, 10904, 113, 'A5002HX', 0, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (930103, 930103, 10906, 113, 'A5002HX', 0, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00')
ON CONFLICT DO NOTHING;
