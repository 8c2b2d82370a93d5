-- People for the example messages under crates/local-stack/messages/prison-case-notes-to-probation,
-- loaded by `make run` only (never by tests, which build their own people). Idempotent.
-- Ids 910001-910099 belong to this service's dev seed.
INSERT INTO offender (offender_id, crn, noms_number, first_name, surname,
                      created_by_user_id, last_updated_user_id, created_datetime, last_updated_datetime)
VALUES (910001, 'P000001', 'AA0001A', 'Default', 'Person', 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (910002, 'P000002', 'AA0002A', 'Previous', 'Person', 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (910003, 'N123456', 'A4578BX', 'New', 'Identifier', 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
       (910004, 'P000004', 'GA52214', 'Legacy', 'Case-Note', 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00')
ON CONFLICT (crn) DO NOTHING;
