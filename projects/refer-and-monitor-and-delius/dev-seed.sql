-- The Refer and Monitor test people of spec section 6, loaded by `make run` (crates/local-stack seed)
-- and by every integration test of this service (tests/it/harness.rs), so both see the same cases.
-- Idempotent. Ids 950001-950999 belong to this service's seed; reference data (provider CRS, team
-- CRSUAT, staff CRSUATU, office location DEFAULT, contact/outcome types, ROM, NSI types/statuses)
-- comes from the delius-data reference-data migration. Appointment dates are relative to today.
--
--   offender  crn      role (spec 6)
--   950001    T140223  DEFAULT (NOMS A1234YZ): ORA event 950001 with a RAR requirement; NSIs for referrals
--                      68df9f6c... (RAR, in progress; action plans, feedback, END_PREMATURELY),
--                      89a3f79c... (RAR; not attended) and cb293dcb... (ended by this service: not found)
--   950002    T140224  NO_APPOINTMENTS: NSI for referral 09c62549... on a RAR event, no appointments
--   950003    T140225  SENTENCED_WITHOUT_NSI: event 950003 (SENTENCE_WITHOUT_NSI) with a RAR requirement
--   950004    T140226  PSS_BREACH: event 950004 whose sentence is a Committal for PSS Breach (326)
--   950005    M123456  MINIMAL: name and date of birth only
--   950006    F987462  FULL: gender, profile, disability, main address, contact details, one conviction
--
--   contact   NSI     urn:hmpps:interventions-appointment:...    role
--   950001    950001  3fa85f64-5717-4562-b3fc-2c963f66afa6        CRSAPT_NON_COMPLIANT (yesterday)
--   950002    950001  48911ad2-1213-4bd3-8312-3824dc29f131        CRSAPT_COMPLIANT (yesterday, 45 min)
--   950003    950001  c8801fa4-4487-4b38-9169-efabd4be98c9        CRSAPT_NO_SESSION (3 days ago)
--   950004    950002  3b8282cd-baa5-45d3-8489-b5836a58a0e8        CRSAPT_NOT_ATTENDED (2 days ago)
--   950005    950001  1c4f5b6e-0d1a-4a8e-9a55-2b8c3f0e7d11        a future appointment (7 days ahead)
--   950006-7  950002  (none)                                       two attended RAR sessions (10 and 9 days ago)

INSERT INTO offender (offender_id, crn, noms_number, first_name, surname, created_by_user_id, last_updated_user_id, created_datetime, last_updated_datetime)
VALUES (950001, 'T140223', 'A1234YZ', 'Default', 'Person', 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (950002, 'T140224', NULL, 'NoAppointments', 'Person', 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (950003, 'T140225', NULL, 'SentencedWithoutNsi', 'Person', 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (950004, 'T140226', NULL, 'PssBreach', 'Person', 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00')
ON CONFLICT DO NOTHING;

-- One event each, event id = disposal id; ORA community orders (FTC limit 0) except the PSS breach.
INSERT INTO event (event_id, offender_id, event_number, conviction_date, active_flag, soft_deleted, row_version, created_datetime)
VALUES (950001, 950001, '1', DATE '2020-01-01', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00'),
       (950002, 950002, '1', DATE '2020-01-01', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00'),
       (950003, 950003, '1', DATE '2020-01-01', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00'),
       (950004, 950004, '1', DATE '2020-01-01', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00')
ON CONFLICT DO NOTHING;

INSERT INTO disposal (disposal_id, event_id, disposal_type_id, disposal_date, active_flag, soft_deleted)
VALUES (950001, 950001, 104, DATE '2020-01-01', 1, 0),
       (950002, 950002, 104, DATE '2020-01-01', 1, 0),
       (950003, 950003, 104, DATE '2020-01-01', 1, 0),
       (950004, 950004, 103, DATE '2020-01-01', 1, 0)
ON CONFLICT DO NOTHING;

-- Rehabilitation Activity Requirements (main category F).
INSERT INTO rqmnt (rqmnt_id, offender_id, disposal_id, rqmnt_type_main_category_id, active_flag, soft_deleted)
VALUES (950001, 950001, 950001, 101, 1, 0),
       (950002, 950002, 950002, 101, 1, 0),
       (950003, 950003, 950003, 101, 1, 0)
ON CONFLICT DO NOTHING;

-- Referral NSIs (type CRS01, provider CRS). cb293dcb... was ended and last updated by this service
-- (user 6), which is what the "Appointment Not Found" diagnosis reports.
INSERT INTO nsi (nsi_id, offender_id, nsi_type_id, nsi_status_id, nsi_status_date, nsi_outcome_id, referral_date, actual_start_date, actual_end_date, notes, external_reference, intended_provider_id, event_id, rqmnt_id, rar_count, pending_transfer, active_flag, soft_deleted, partition_area_id, row_version, created_by_user_id, last_updated_user_id, created_datetime, last_updated_datetime)
VALUES (950001, 950001, 101, 101, TIMESTAMP '2023-01-01 09:00:00', NULL, DATE '2023-01-01', TIMESTAMP '2023-01-01 09:00:00', NULL, 'Referral started', 'urn:hmpps:interventions-referral:68df9f6c-3fcb-4ec6-8fcf-96551cd9b080', 104, 950001, 950001, 3, 0, 1, 0, 0, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (950002, 950001, 101, 101, TIMESTAMP '2023-01-01 09:00:00', NULL, DATE '2023-01-01', TIMESTAMP '2023-01-01 09:00:00', NULL, NULL, 'urn:hmpps:interventions-referral:89a3f79c-f12b-43de-9616-77ae19813cfe', 104, 950001, 950001, 2, 0, 1, 0, 0, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (950003, 950001, 101, 102, TIMESTAMP '2023-03-01 09:00:00', 11701, DATE '2023-01-01', TIMESTAMP '2023-01-01 09:00:00', TIMESTAMP '2023-03-01 09:00:00', NULL, 'urn:hmpps:interventions-referral:cb293dcb-c201-4743-aa9d-acb14c8a1ddd', 104, 950001, NULL, NULL, 0, 0, 0, 0, 1, 1, 6, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (950004, 950002, 101, 101, TIMESTAMP '2023-01-01 09:00:00', NULL, DATE '2023-01-01', TIMESTAMP '2023-01-01 09:00:00', NULL, NULL, 'urn:hmpps:interventions-referral:09c62549-bcd3-49a9-8120-7811b76925e5', 104, 950002, 950002, NULL, 0, 1, 0, 0, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00')
ON CONFLICT DO NOTHING;

INSERT INTO nsi_manager (nsi_manager_id, nsi_id, probation_area_id, team_id, staff_id, start_date, active_flag, soft_deleted, partition_area_id, row_version, created_by_user_id, last_updated_user_id, created_datetime, last_updated_datetime)
SELECT nsi_id, nsi_id, 104, 1041, 1041, TIMESTAMP '2023-01-01 09:00:00', 1, 0, 0, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'
FROM nsi WHERE nsi_id BETWEEN 950001 AND 950999
ON CONFLICT DO NOTHING;

-- CRS appointments (CRSAPT, RAR) owned by CRS / CRSUAT / CRSUATU at office location DEFAULT.
INSERT INTO contact (contact_id, row_version, offender_id, event_id, nsi_id, contact_type_id, contact_date, contact_start_time, contact_end_time, staff_id, team_id, probation_area_id, office_location_id, contact_outcome_type_id, attended, complied, rar_activity, external_reference, notes, partition_area_id, soft_deleted, created_by_user_id, last_updated_user_id, created_datetime, last_updated_datetime)
VALUES (950001, 0, 950001, 950001, 950001, 151, (now() AT TIME ZONE 'Europe/London')::date - 1, TIME '10:00', TIME '10:30', 1041, 1041, 104, 1041, NULL, NULL, NULL, 'Y', 'urn:hmpps:interventions-appointment:3fa85f64-5717-4562-b3fc-2c963f66afa6', NULL, 0, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (950002, 0, 950001, 950001, 950001, 151, (now() AT TIME ZONE 'Europe/London')::date - 1, TIME '14:00', TIME '14:45', 1041, 1041, 104, 1041, NULL, NULL, NULL, 'Y', 'urn:hmpps:interventions-appointment:48911ad2-1213-4bd3-8312-3824dc29f131', NULL, 0, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (950003, 0, 950001, 950001, 950001, 151, (now() AT TIME ZONE 'Europe/London')::date - 3, TIME '11:00', TIME '11:30', 1041, 1041, 104, 1041, NULL, NULL, NULL, 'Y', 'urn:hmpps:interventions-appointment:c8801fa4-4487-4b38-9169-efabd4be98c9', NULL, 0, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (950004, 0, 950001, 950001, 950002, 151, (now() AT TIME ZONE 'Europe/London')::date - 2, TIME '09:34', TIME '09:49', 1041, 1041, 104, 1041, NULL, NULL, NULL, 'Y', 'urn:hmpps:interventions-appointment:3b8282cd-baa5-45d3-8489-b5836a58a0e8', NULL, 0, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (950005, 0, 950001, 950001, 950001, 151, (now() AT TIME ZONE 'Europe/London')::date + 7, TIME '10:00', TIME '10:45', 1041, 1041, 104, 1041, NULL, NULL, NULL, 'Y', 'urn:hmpps:interventions-appointment:1c4f5b6e-0d1a-4a8e-9a55-2b8c3f0e7d11', NULL, 0, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (950006, 0, 950001, 950001, 950002, 151, (now() AT TIME ZONE 'Europe/London')::date - 10, TIME '10:00', TIME '10:45', 1041, 1041, 104, 1041, 101, 'Y', 'Y', 'Y', NULL, NULL, 0, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (950007, 0, 950001, 950001, 950002, 151, (now() AT TIME ZONE 'Europe/London')::date - 9, TIME '10:00', TIME '10:45', 1041, 1041, 104, 1041, 101, 'Y', 'Y', 'Y', NULL, NULL, 0, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00')
ON CONFLICT DO NOTHING;

-- Person details (spec 6.5.5-6.5.8): MINIMAL (M123456, born 27 years ago, nothing else) and FULL
-- (F987462: gender, profile with a disability, main address, contact details and one conviction).
INSERT INTO offender (offender_id, crn, noms_number, first_name, surname, date_of_birth_date, gender_id, ethnicity_id, language_id, religion_id, telephone_number, mobile_number, e_mail_address, created_by_user_id, last_updated_user_id, created_datetime, last_updated_datetime)
VALUES (950005, 'M123456', NULL, 'Minimal', 'Person', ((now() AT TIME ZONE 'Europe/London') - INTERVAL '27 years')::date, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (950006, 'F987462', NULL, 'Full', 'Person', ((now() AT TIME ZONE 'Europe/London') - INTERVAL '42 years')::date, 12101, 12001, 12201, 12301, '0191 234 6718', '07453351625', 'someone@somewhere.com', 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00')
ON CONFLICT DO NOTHING;

INSERT INTO disability (disability_id, offender_id, disability_type_id, notes, start_date, finish_date, soft_deleted)
VALUES (950001, 950006, 11901, 'Some notes about the disability', (now() AT TIME ZONE 'Europe/London')::date - 14, NULL, 0)
ON CONFLICT DO NOTHING;

INSERT INTO offender_address (offender_address_id, offender_id, address_status_id, building_name, street_name, postcode, no_fixed_abode, start_date, end_date, soft_deleted)
VALUES (950001, 950006, 11801, 'Some Building', 'Some Street', 'SB1 1SS', 'N', DATE '2020-01-01', NULL, 0)
ON CONFLICT DO NOTHING;

INSERT INTO r_offence (offence_id, main_category_description, sub_category_description)
VALUES (950001, 'Burglary', 'Burglary in a dwelling')
ON CONFLICT DO NOTHING;

INSERT INTO event (event_id, offender_id, event_number, conviction_date, active_flag, soft_deleted, row_version, created_datetime)
VALUES (950006, 950006, '1', DATE '2022-03-01', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00')
ON CONFLICT DO NOTHING;

INSERT INTO disposal (disposal_id, event_id, disposal_type_id, disposal_date, entered_notional_end_date, notional_end_date, active_flag, soft_deleted)
VALUES (950006, 950006, 104, DATE '2022-03-01', NULL, DATE '2025-03-01', 1, 0)
ON CONFLICT DO NOTHING;

INSERT INTO main_offence (main_offence_id, event_id, offence_id, soft_deleted)
VALUES (950006, 950006, 950001, 0)
ON CONFLICT DO NOTHING;
