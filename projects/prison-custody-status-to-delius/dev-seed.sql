-- People for the example messages under crates/local-stack/messages/prison-custody-status-to-delius,
-- loaded by `make run` only (never by tests, which build their own people). Idempotent.
-- Ids 920001-920099 belong to this service's dev seed: one person, custodial event (SC, sentenced
-- 2020-01-01), custody, order manager and community manager (N03 staff/team 1031) each; people
-- on licence also have a release on 2021-06-01.

INSERT INTO offender (offender_id, crn, noms_number, first_name, surname, created_by_user_id, last_updated_user_id, created_datetime, last_updated_datetime)
VALUES (920001, 'P200001', 'A0001AA', 'Example', 'Person A0001AA', 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (920002, 'P200002', 'A0004AA', 'Example', 'Person A0004AA', 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (920003, 'P200003', 'A0005AA', 'Example', 'Person A0005AA', 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (920004, 'P200004', 'A0006AA', 'Example', 'Person A0006AA', 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (920005, 'P200005', 'A0007AA', 'Example', 'Person A0007AA', 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (920006, 'P200006', 'A0008AA', 'Example', 'Person A0008AA', 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (920007, 'P200007', 'A0009AA', 'Example', 'Person A0009AA', 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (920008, 'P200008', 'A0011AA', 'Example', 'Person A0011AA', 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (920009, 'P200009', 'A0013AA', 'Example', 'Person A0013AA', 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (920010, 'P200010', 'A0017AA', 'Example', 'Person A0017AA', 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (920011, 'P200011', 'A0019AA', 'Example', 'Person A0019AA', 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (920012, 'P200012', 'A0019BB', 'Example', 'Person A0019BB', 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (920013, 'P200013', 'A0021AA', 'Example', 'Person A0021AA', 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (920014, 'P200014', 'A0023AA', 'Example', 'Person A0023AA', 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (920015, 'P200015', 'A5295DZ', 'Example', 'Person A5295DZ', 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00')
ON CONFLICT DO NOTHING;

INSERT INTO event (event_id, offender_id, event_number, active_flag, soft_deleted, row_version, created_datetime)
VALUES (920001, 920001, '1', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00'),
       (920002, 920002, '1', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00'),
       (920003, 920003, '1', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00'),
       (920004, 920004, '1', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00'),
       (920005, 920005, '1', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00'),
       (920006, 920006, '1', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00'),
       (920007, 920007, '1', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00'),
       (920008, 920008, '1', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00'),
       (920009, 920009, '1', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00'),
       (920010, 920010, '1', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00'),
       (920011, 920011, '1', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00'),
       (920012, 920012, '1', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00'),
       (920013, 920013, '1', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00'),
       (920014, 920014, '1', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00'),
       (920015, 920015, '1', 1, 0, 0, TIMESTAMP '2024-01-01 00:00:00')
ON CONFLICT DO NOTHING;

INSERT INTO disposal (disposal_id, event_id, disposal_type_id, disposal_date, active_flag, soft_deleted)
VALUES (920001, 920001, 101, DATE '2020-01-01', 1, 0),
       (920002, 920002, 101, DATE '2020-01-01', 1, 0),
       (920003, 920003, 101, DATE '2020-01-01', 1, 0),
       (920004, 920004, 101, DATE '2020-01-01', 1, 0),
       (920005, 920005, 101, DATE '2020-01-01', 1, 0),
       (920006, 920006, 101, DATE '2020-01-01', 1, 0),
       (920007, 920007, 101, DATE '2020-01-01', 1, 0),
       (920008, 920008, 101, DATE '2020-01-01', 1, 0),
       (920009, 920009, 101, DATE '2020-01-01', 1, 0),
       (920010, 920010, 101, DATE '2020-01-01', 1, 0),
       (920011, 920011, 101, DATE '2020-01-01', 1, 0),
       (920012, 920012, 101, DATE '2020-01-01', 1, 0),
       (920013, 920013, 101, DATE '2020-01-01', 1, 0),
       (920014, 920014, 101, DATE '2020-01-01', 1, 0),
       (920015, 920015, 101, DATE '2020-01-01', 1, 0)
ON CONFLICT DO NOTHING;

INSERT INTO custody (custody_id, disposal_id, custodial_status_id, institution_id, establishment, status_change_date, location_change_date, soft_deleted, row_version)
VALUES (920001, 920001, 10904, 114, 'Y', DATE '2021-01-01', DATE '2021-01-01', 0, 0),
       (920002, 920002, 10901, 115, 'Y', DATE '2021-01-01', DATE '2021-01-01', 0, 0),
       (920003, 920003, 10902, 101, 'Y', DATE '2021-01-01', DATE '2021-01-01', 0, 0),
       (920004, 920004, 10902, 101, 'Y', DATE '2021-01-01', DATE '2021-01-01', 0, 0),
       (920005, 920005, 10904, 114, 'Y', DATE '2021-01-01', DATE '2021-01-01', 0, 0),
       (920006, 920006, 10907, 101, 'Y', DATE '2021-01-01', DATE '2021-01-01', 0, 0),
       (920007, 920007, 10902, 101, 'Y', DATE '2021-01-01', DATE '2021-01-01', 0, 0),
       (920008, 920008, 10904, 114, 'Y', DATE '2021-01-01', DATE '2021-01-01', 0, 0),
       (920009, 920009, 10904, 114, 'Y', DATE '2021-01-01', DATE '2021-01-01', 0, 0),
       (920010, 920010, 10902, 101, 'Y', DATE '2021-01-01', DATE '2021-01-01', 0, 0),
       (920011, 920011, 10904, 114, 'Y', DATE '2021-01-01', DATE '2021-01-01', 0, 0),
       (920012, 920012, 10904, 114, 'Y', DATE '2021-01-01', DATE '2021-01-01', 0, 0),
       (920013, 920013, 10904, 114, 'Y', DATE '2021-01-01', DATE '2021-01-01', 0, 0),
       (920014, 920014, 10904, 114, 'Y', DATE '2021-01-01', DATE '2021-01-01', 0, 0),
       (920015, 920015, 10904, 115, 'Y', DATE '2021-01-01', DATE '2021-01-01', 0, 0)
ON CONFLICT DO NOTHING;

INSERT INTO order_manager (order_manager_id, event_id, allocation_staff_id, allocation_team_id, probation_area_id, trust_provider_flag, partition_area_id, active_flag, soft_deleted, row_version)
VALUES (920001, 920001, 1031, 1031, 103, 0, 0, 1, 0, 0),
       (920002, 920002, 1031, 1031, 103, 0, 0, 1, 0, 0),
       (920003, 920003, 1031, 1031, 103, 0, 0, 1, 0, 0),
       (920004, 920004, 1031, 1031, 103, 0, 0, 1, 0, 0),
       (920005, 920005, 1031, 1031, 103, 0, 0, 1, 0, 0),
       (920006, 920006, 1031, 1031, 103, 0, 0, 1, 0, 0),
       (920007, 920007, 1031, 1031, 103, 0, 0, 1, 0, 0),
       (920008, 920008, 1031, 1031, 103, 0, 0, 1, 0, 0),
       (920009, 920009, 1031, 1031, 103, 0, 0, 1, 0, 0),
       (920010, 920010, 1031, 1031, 103, 0, 0, 1, 0, 0),
       (920011, 920011, 1031, 1031, 103, 0, 0, 1, 0, 0),
       (920012, 920012, 1031, 1031, 103, 0, 0, 1, 0, 0),
       (920013, 920013, 1031, 1031, 103, 0, 0, 1, 0, 0),
       (920014, 920014, 1031, 1031, 103, 0, 0, 1, 0, 0),
       (920015, 920015, 1031, 1031, 103, 0, 0, 1, 0, 0)
ON CONFLICT DO NOTHING;

INSERT INTO offender_manager (offender_manager_id, offender_id, allocation_staff_id, team_id, probation_area_id, trust_provider_flag, partition_area_id, active_flag, soft_deleted, row_version)
VALUES (920001, 920001, 1031, 1031, 103, 0, 0, 1, 0, 0),
       (920002, 920002, 1031, 1031, 103, 0, 0, 1, 0, 0),
       (920003, 920003, 1031, 1031, 103, 0, 0, 1, 0, 0),
       (920004, 920004, 1031, 1031, 103, 0, 0, 1, 0, 0),
       (920005, 920005, 1031, 1031, 103, 0, 0, 1, 0, 0),
       (920006, 920006, 1031, 1031, 103, 0, 0, 1, 0, 0),
       (920007, 920007, 1031, 1031, 103, 0, 0, 1, 0, 0),
       (920008, 920008, 1031, 1031, 103, 0, 0, 1, 0, 0),
       (920009, 920009, 1031, 1031, 103, 0, 0, 1, 0, 0),
       (920010, 920010, 1031, 1031, 103, 0, 0, 1, 0, 0),
       (920011, 920011, 1031, 1031, 103, 0, 0, 1, 0, 0),
       (920012, 920012, 1031, 1031, 103, 0, 0, 1, 0, 0),
       (920013, 920013, 1031, 1031, 103, 0, 0, 1, 0, 0),
       (920014, 920014, 1031, 1031, 103, 0, 0, 1, 0, 0),
       (920015, 920015, 1031, 1031, 103, 0, 0, 1, 0, 0)
ON CONFLICT DO NOTHING;

INSERT INTO release (release_id, actual_release_date, release_type_id, offender_id, custody_id, created_datetime)
VALUES (920003, DATE '2021-06-01', 11101, 920003, 920003, TIMESTAMP '2024-01-01 00:00:00'),
       (920004, DATE '2021-06-01', 11101, 920004, 920004, TIMESTAMP '2024-01-01 00:00:00'),
       (920006, DATE '2021-06-01', 11101, 920006, 920006, TIMESTAMP '2024-01-01 00:00:00'),
       (920007, DATE '2021-06-01', 11101, 920007, 920007, TIMESTAMP '2024-01-01 00:00:00'),
       (920010, DATE '2021-06-01', 11101, 920010, 920010, TIMESTAMP '2024-01-01 00:00:00')
ON CONFLICT DO NOTHING;
