-- The workforce allocation test people of spec section 5, loaded by `make run` (crates/local-stack
-- seed) and by every integration test of this service (tests/it/harness.rs), so both see the same
-- cases. Idempotent. Ids 940001-940999 belong to this seed; requirement ids 34/9002/9003 and
-- licence-condition ids 8001/8002/8003 are the ones the example allocation details name.
-- Provider N02, team N02ABS and staff N02ABS1 / N02ABSX (SPO) come from the reference data; the
-- current managers are "Unallocated Staff" of team N02UAT in the same provider, so every example
-- allocation is a real change of manager.
--
--   offender  crn      role (spec 5)
--   940001    X123456  DEFAULT: community manager (open); events 1 (DEFAULT), 2 (NEW), 3 (HISTORIC);
--                      requirements 34 (new), 9002 (historic), 9003 (re-allocation) and licence
--                      conditions 8001 (new), 8002 (historic), 8003 (re-allocation), all on event 1
--   940002    T123456  NEW_PM: one active community manager and responsible officer; an accredited
--                      programme (RM38) on its own event, so the person allocation flags IAPS
--   940003    T223456  HISTORIC_PM: first manager/RO ended yesterday, second started then
--   940004    X540660  the person of event-allocation-message.json: event 1 (940005) whose order
--                      manager ended yesterday (scenario 6)
--
-- Under `make run` the Manage POM Cases seed has already created X123456 and T123456. The X123456
-- rows below attach to whichever person holds that CRN; the T123456 block is only added for this
-- seed's own person (940002), so in that database T123456 keeps the managers of the other seed.
-- "Yesterday" is computed at load time (Europe/London), as the spec's data loader does.

INSERT INTO team (team_id, code, description, probation_area_id)
VALUES (940001, 'N02UAT', 'Team N02UAT', 102)
ON CONFLICT DO NOTHING;

INSERT INTO staff (staff_id, officer_code, forename, forename2, surname, probation_area_id, start_date, end_date, private, row_version, created_by_user_id, last_updated_user_id, created_datetime, last_updated_datetime)
VALUES (940001, 'N02UATU', 'Unallocated', NULL, 'Staff', 102, DATE '2000-01-01', NULL, 0, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00')
ON CONFLICT DO NOTHING;

INSERT INTO staff_team (staff_id, team_id, row_version, created_by_user_id, last_updated_user_id, created_datetime, last_updated_datetime)
VALUES (940001, 940001, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00')
ON CONFLICT DO NOTHING;

INSERT INTO offender (offender_id, crn, first_name, surname, created_by_user_id, last_updated_user_id, created_datetime, last_updated_datetime)
VALUES (940001, 'X123456', 'Default', 'Person', 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (940002, 'T123456', 'New', 'Manager', 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (940003, 'T223456', 'Historic', 'Manager', 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (940004, 'X540660', 'Event', 'Example', 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00')
ON CONFLICT (crn) DO NOTHING;

-- Events of X123456 (event id = disposal id; community sentences) and T123456's own event.
INSERT INTO event (event_id, offender_id, event_number, active_flag, soft_deleted, row_version, created_datetime)
SELECT v.event_id, o.offender_id, v.event_number, 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00'
FROM (VALUES (940001, '1'), (940002, '2'), (940003, '3')) AS v (event_id, event_number)
JOIN offender o ON o.crn = 'X123456'
ON CONFLICT DO NOTHING;
INSERT INTO event (event_id, offender_id, event_number, active_flag, soft_deleted, row_version, created_datetime)
SELECT 940004, 940002, '1', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00'
WHERE EXISTS (SELECT 1 FROM offender WHERE offender_id = 940002)
ON CONFLICT DO NOTHING;
INSERT INTO event (event_id, offender_id, event_number, active_flag, soft_deleted, row_version, created_datetime)
SELECT 940005, offender_id, '1', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00' FROM offender WHERE crn = 'X540660'
ON CONFLICT DO NOTHING;

INSERT INTO disposal (disposal_id, event_id, disposal_type_id, disposal_date, active_flag, soft_deleted)
SELECT event_id, event_id, 104, DATE '2020-01-01', 1, 0 FROM event WHERE event_id BETWEEN 940001 AND 940099
ON CONFLICT DO NOTHING;

-- Requirements: 34 rehabilitation activity (F), 9002 accredited programme (RM38), 9003 a
-- programme 7 with sub category RS66 (not accredited), all on event 1; 940301 RM38 for T123456.
INSERT INTO rqmnt (rqmnt_id, offender_id, disposal_id, rqmnt_type_main_category_id, rqmnt_type_sub_category_id, active_flag, soft_deleted)
SELECT v.rqmnt_id, e.offender_id, e.event_id, v.main_category, v.sub_category, 1, 0
FROM (VALUES (34, 101, NULL::bigint), (9002, 102, NULL::bigint), (9003, 103, 12801::bigint)) AS v (rqmnt_id, main_category, sub_category)
JOIN event e ON e.event_id = 940001
ON CONFLICT DO NOTHING;
INSERT INTO rqmnt (rqmnt_id, offender_id, disposal_id, rqmnt_type_main_category_id, active_flag, soft_deleted)
SELECT 940301, 940002, 940004, 102, 1, 0
WHERE EXISTS (SELECT 1 FROM disposal WHERE disposal_id = 940004)
ON CONFLICT DO NOTHING;

-- Licence conditions on event 1: freedom of movement (NLC8) with a sub category.
INSERT INTO lic_condition (lic_condition_id, offender_id, disposal_id, lic_cond_type_main_cat_id, lic_cond_type_sub_cat_id, active_flag, soft_deleted, row_version, created_datetime)
SELECT v.id, e.offender_id, e.event_id, 102, 11501, 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00'
FROM (VALUES (8001), (8002), (8003)) AS v (id)
JOIN event e ON e.event_id = 940001
ON CONFLICT DO NOTHING;

-- Managers: "open" ones started 2020-01-01; historic ones ended yesterday, when the next started.
DROP TABLE IF EXISTS pg_temp.wfa_seed_manager;
CREATE TEMPORARY TABLE wfa_seed_manager (id bigint, owner_id bigint, start_date timestamp, end_date timestamp);
INSERT INTO wfa_seed_manager
SELECT id, owner_id,
       CASE WHEN starts_yesterday THEN date_trunc('second', now() AT TIME ZONE 'Europe/London') - INTERVAL '1 day' ELSE TIMESTAMP '2020-01-01 00:00:00' END,
       CASE WHEN ends_yesterday THEN date_trunc('second', now() AT TIME ZONE 'Europe/London') - INTERVAL '1 day' END
FROM (VALUES
    -- order managers: event 1 ended yesterday (scenario 6), event 2 open (4), event 3 historic pair (5)
    (940101, 940001, false, true), (940102, 940002, false, false),
    (940103, 940003, false, true), (940104, 940003, true, false),
    -- X540660's event 1 ended yesterday (scenario 6 with the example message)
    (940105, 940005, false, true),
    -- requirement managers: 34 open, 9002 historic pair, 9003 open
    (940201, 34, false, false), (940202, 9002, false, true), (940203, 9002, true, false), (940204, 9003, false, false),
    -- licence condition managers: 8001 open, 8002 historic pair, 8003 open
    (940401, 8001, false, false), (940402, 8002, false, true), (940403, 8002, true, false), (940404, 8003, false, false),
    -- person managers: T123456 open, T223456 historic pair, X123456 open
    (940501, 940002, false, false), (940502, 940003, false, true), (940503, 940003, true, false), (940504, 940001, false, false)
) AS v (id, owner_id, starts_yesterday, ends_yesterday);

INSERT INTO order_manager (order_manager_id, event_id, allocation_staff_id, staff_employee_id, allocation_team_id, trust_provider_team_id, probation_area_id, allocation_date, end_date, allocation_reason_id, transfer_reason_id, active_flag, soft_deleted, row_version, created_by_user_id, last_updated_user_id, created_datetime, last_updated_datetime)
SELECT m.id, m.owner_id, 940001, 940001, 940001, 940001, 102, m.start_date, m.end_date, 10310, 101, CASE WHEN m.end_date IS NULL THEN 1 ELSE 0 END, 0, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'
FROM wfa_seed_manager m JOIN event e ON e.event_id = m.owner_id
WHERE m.id BETWEEN 940101 AND 940199
ON CONFLICT DO NOTHING;

INSERT INTO rqmnt_manager (rqmnt_manager_id, rqmnt_id, allocation_staff_id, staff_employee_id, allocation_team_id, trust_provider_team_id, probation_area_id, allocation_date, end_date, allocation_reason_id, transfer_reason_id, active_flag, soft_deleted, row_version, created_by_user_id, last_updated_user_id, created_datetime, last_updated_datetime)
SELECT m.id, m.owner_id, 940001, 940001, 940001, 940001, 102, m.start_date, m.end_date, 10410, 102, CASE WHEN m.end_date IS NULL THEN 1 ELSE 0 END, 0, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'
FROM wfa_seed_manager m JOIN rqmnt r ON r.rqmnt_id = m.owner_id
WHERE m.id BETWEEN 940201 AND 940299
ON CONFLICT DO NOTHING;

INSERT INTO lic_condition_manager (lic_condition_manager_id, lic_condition_id, allocation_staff_id, staff_employee_id, allocation_team_id, trust_provider_team_id, probation_area_id, allocation_date, end_date, allocation_reason_id, transfer_reason_id, active_flag, soft_deleted, row_version, created_by_user_id, last_updated_user_id, created_datetime, last_updated_datetime)
SELECT m.id, m.owner_id, 940001, 940001, 940001, 940001, 102, m.start_date, m.end_date, 10510, 102, CASE WHEN m.end_date IS NULL THEN 1 ELSE 0 END, 0, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'
FROM wfa_seed_manager m JOIN lic_condition l ON l.lic_condition_id = m.owner_id
WHERE m.id BETWEEN 940401 AND 940499
ON CONFLICT DO NOTHING;

-- Person managers only for a person no other seed has given a community manager.
INSERT INTO offender_manager (offender_manager_id, offender_id, allocation_staff_id, staff_employee_id, team_id, trust_provider_team_id, probation_area_id, allocation_date, end_date, allocation_reason_id, active_flag, soft_deleted, row_version, created_by_user_id, last_updated_user_id, created_datetime, last_updated_datetime)
SELECT m.id, o.offender_id, 940001, 940001, 940001, 940001, 102, m.start_date, m.end_date, 10210, CASE WHEN m.end_date IS NULL THEN 1 ELSE 0 END, 0, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'
FROM wfa_seed_manager m
JOIN offender o ON o.offender_id = CASE WHEN m.owner_id = 940001 THEN (SELECT offender_id FROM offender WHERE crn = 'X123456') ELSE m.owner_id END
WHERE m.id BETWEEN 940501 AND 940599
  AND NOT EXISTS (SELECT 1 FROM offender_manager om WHERE om.offender_id = o.offender_id AND om.offender_manager_id NOT BETWEEN 940501 AND 940599)
ON CONFLICT DO NOTHING;

-- Responsible officers follow the person managers.
INSERT INTO responsible_officer (responsible_officer_id, offender_id, offender_manager_id, start_date, end_date, row_version, created_by_user_id, last_updated_user_id, created_datetime, last_updated_datetime)
SELECT om.offender_manager_id, om.offender_id, om.offender_manager_id, om.allocation_date, om.end_date, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'
FROM offender_manager om
WHERE om.offender_manager_id BETWEEN 940501 AND 940503
ON CONFLICT DO NOTHING;

DROP TABLE wfa_seed_manager;
