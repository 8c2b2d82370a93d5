-- Dev/test reference data for the Delius schema: delius-schema.md section 11.1-11.10.
--
-- Only reference data: code sets and codes, contact/outcome/NSI types, other reference tables, institutions,
-- providers/teams/staff/districts/boroughs/office locations, service users and business interactions.
-- People, events, sentences, managers etc. (11.11) are seeded per service by its own tests.
--
-- Ids are hand-picked and stay below 1000000 (the sequences start at 1000000, spec 1.3). Id scheme:
--   user_                          1..99
--   r_reference_data_master        101..129           (one id per code set)
--   r_standard_reference_list      <set id> * 100 + n  (e.g. set 109 THROUGHCARE STATUS -> 10901..10909)
--   r_institution                  101..105 Delius special codes, 111..116 prisons
--   probation_area                 101..109           (101 N01, 102 N02, 103 N03, 104 CRS, 105 LEI, 106 UNK,
--                                                      107 WSI, 108 MDI, 109 MOV)
--   borough/district/team/staff/office_location  <provider id> * 10 + n   (e.g. team 1031 = N03DEF)
--   everything else                101.. per table, grouped by service with comments
-- Codes marked PLACEHOLDER are not given by the specifications (spec section 11 uses the same literal); a
-- service's constant must use the same literal.
-- Audit columns: user 1 (DeliusSeed) and a fixed timestamp, so the seed is deterministic.

-- ===================================================================================================
-- 11.9 Users (user_)
-- ===================================================================================================
INSERT INTO user_ (user_id, distinguished_name, forename, surname, staff_id) VALUES
    (1, 'DeliusSeed',                      'Delius',   'Seed',    NULL),  -- audit user of this seed data
    (2, 'PrisonCaseNotesToProbation',      'Prison Case Notes', 'Service', NULL),  -- PCN service user
    (3, 'workforce-allocations-to-delius', 'Workforce Allocations', 'Service', NULL),  -- WFA service user
    (4, 'ManagePomCasesAndDelius',         'Manage POM Cases', 'Service', NULL),  -- MPC service user
    (5, 'PrisonCustodyStatusService',      'Prison Custody Status', 'Service', NULL),  -- PCS service user
    (6, 'ReferAndMonitorAndDelius',        'Refer and Monitor', 'Service', NULL),  -- RAM service user
    (7, 'NationalUser',                    'National', 'User',    NULL);  -- audit user of the local-Delius profile
-- user 10 (john-smith) is inserted after the staff rows below.

-- ===================================================================================================
-- 11.1 Code sets (r_reference_data_master) and codes (r_standard_reference_list); all selectable 'Y'
-- ===================================================================================================
INSERT INTO r_reference_data_master (reference_data_master_id, code_set_name) VALUES
    (101, 'TIER'),
    (102, 'OM ALLOCATION REASON'),                    -- set name unconfirmed
    (103, 'ORDER ALLOCATION REASON'),                 -- set name unconfirmed
    (104, 'RM ALLOCATION REASON'),                    -- set name unconfirmed
    (105, 'LM ALLOCATION REASON'),                    -- set name unconfirmed
    (106, 'TRANSFER STATUS'),
    (107, 'POM ALLOCATION REASON'),
    (108, 'THROUGHCARE DATE TYPE'),
    (109, 'THROUGHCARE STATUS'),
    (110, 'CUSTODY EVENT TYPE'),
    (111, 'RELEASE TYPE'),
    (112, 'ACCEPTED DECISION'),
    (113, 'LICENCE AREA TRANSFER REJECTION REASON'),
    (114, 'LICENCE CONDITION TERMINATION REASON'),    -- set name unconfirmed
    (115, 'LICENCE CONDITION SUB CATEGORY'),          -- set name unconfirmed
    (116, 'DOMAIN EVENT TYPE'),                       -- set name unconfirmed
    (117, 'NSI OUTCOME'),
    (118, 'ADDRESS STATUS'),
    (119, 'DISABILITY TYPE'),
    (120, 'ETHNICITY'),
    (121, 'GENDER'),
    (122, 'LANGUAGE'),
    (123, 'RELIGION/FAITH'),
    (124, 'REGISTER LEVEL'),                          -- set name unconfirmed
    (125, 'REGISTER CATEGORY'),                       -- set name unconfirmed
    (126, 'REGISTER TYPE FLAG'),                      -- set name unconfirmed
    (127, 'ALLOCATION DECISION'),                     -- set name unconfirmed
    (128, 'REQUIREMENT SUB CATEGORY'),                -- set name unconfirmed
    (129, 'TIER CHANGE REASON');

INSERT INTO r_standard_reference_list
    (standard_reference_list_id, reference_data_master_id, code_value, code_description, selectable) VALUES
    -- 101 TIER (MPC offender.current_tier; the description is returned as currentTier)
    (10101, 101, 'TIER_2', 'Tier 2', 'Y'),            -- code unconfirmed
    (10102, 101, 'UD2', 'UD2', 'Y'),                  -- platform example
    -- 102 OM ALLOCATION REASON (WFA person allocation)
    (10201, 102, 'RO',    'Allocated to Responsible Officer', 'Y'),
    (10202, 102, 'AR02',  'Caseload Adjustment', 'Y'),
    (10203, 102, 'CTR',   'Change in Tier or Risk', 'Y'),
    (10204, 102, 'AR03',  'Change of Address', 'Y'),
    (10205, 102, 'OFL',   'Officer Left', 'Y'),
    (10206, 102, 'OTH',   'Other', 'Y'),
    (10207, 102, 'RTS',   'Risk to Staff', 'Y'),
    (10208, 102, 'TIN',   'Transfer In', 'Y'),
    (10209, 102, 'RESET', 'Probation Reset', 'Y'),
    (10210, 102, 'IN1',   'Initial Allocation', 'Y'),
    -- 103 ORDER ALLOCATION REASON (WFA event allocation)
    (10301, 103, 'RO',    'Allocated to Responsible Officer', 'Y'),
    (10302, 103, 'AR02',  'Caseload Adjustment', 'Y'),
    (10303, 103, 'CTR',   'Change in Tier or Risk', 'Y'),
    (10304, 103, 'OA01',  'Change of Address', 'Y'),
    (10305, 103, 'OFL',   'Officer Left', 'Y'),
    (10306, 103, 'OTH',   'Other', 'Y'),
    (10307, 103, 'RTS',   'Risk to Staff', 'Y'),
    (10308, 103, 'TIN',   'Transfer In', 'Y'),
    (10309, 103, 'RESET', 'Probation Reset', 'Y'),
    (10310, 103, 'INT',   'Initial Allocation', 'Y'),
    -- 104 RM ALLOCATION REASON (WFA requirement allocation)
    (10401, 104, 'RO',    'Allocated to Responsible Officer', 'Y'),
    (10402, 104, 'AR02',  'Caseload Adjustment', 'Y'),
    (10403, 104, 'CTR',   'Change in Tier or Risk', 'Y'),
    (10404, 104, 'OM',    'Change of Address', 'Y'),
    (10405, 104, 'OFL',   'Officer Left', 'Y'),
    (10406, 104, 'OTH',   'Other', 'Y'),
    (10407, 104, 'RTS',   'Risk to Staff', 'Y'),
    (10408, 104, 'TIN',   'Transfer In', 'Y'),
    (10409, 104, 'RESET', 'Probation Reset', 'Y'),
    (10410, 104, 'IN1',   'Initial Allocation', 'Y'),
    -- 105 LM ALLOCATION REASON (WFA licence-condition allocation; same codes as RM, unconfirmed)
    (10501, 105, 'RO',    'Allocated to Responsible Officer', 'Y'),
    (10502, 105, 'AR02',  'Caseload Adjustment', 'Y'),
    (10503, 105, 'CTR',   'Change in Tier or Risk', 'Y'),
    (10504, 105, 'OM',    'Change of Address', 'Y'),
    (10505, 105, 'OFL',   'Officer Left', 'Y'),
    (10506, 105, 'OTH',   'Other', 'Y'),
    (10507, 105, 'RTS',   'Risk to Staff', 'Y'),
    (10508, 105, 'TIN',   'Transfer In', 'Y'),
    (10509, 105, 'RESET', 'Probation Reset', 'Y'),
    (10510, 105, 'IN1',   'Initial Allocation', 'Y'),
    -- 106 TRANSFER STATUS (WFA pending counts, PCS rejection)
    (10601, 106, 'PN', 'Pending', 'Y'),
    (10602, 106, 'RJ', 'Rejected', 'Y'),              -- PLACEHOLDER code
    -- 107 POM ALLOCATION REASON (MPC; PCS uses AUT)
    (10701, 107, 'AUT', 'Automatic Allocation', 'Y'),
    (10702, 107, 'INA', 'Internal Allocation', 'Y'),
    (10703, 107, 'EXT', 'External Allocation', 'Y'),
    -- 108 THROUGHCARE DATE TYPE (MPC key dates)
    (10801, 108, 'POM1', 'POM Handover Start Date', 'Y'),
    (10802, 108, 'POM2', 'POM Handover Date', 'Y'),
    -- 109 THROUGHCARE STATUS (custody.custodial_status_id)
    (10901, 109, 'A',  'Sentenced - In Custody', 'Y'),
    (10902, 109, 'B',  'Released on Licence', 'Y'),
    (10903, 109, 'C',  'Recalled', 'Y'),
    (10904, 109, 'D',  'In Custody', 'Y'),
    (10905, 109, 'I',  'In Custody - IRC', 'Y'),
    (10906, 109, 'P',  'Post Sentence Supervision', 'Y'),
    (10907, 109, 'R',  'In Custody - ROTL', 'Y'),
    (10908, 109, 'T',  'Terminated', 'Y'),
    (10909, 109, 'AT', 'Auto Terminated', 'Y'),
    -- 110 CUSTODY EVENT TYPE (custody_history)
    (11001, 110, 'TSC', 'Throughcare Status Change', 'Y'),
    (11002, 110, 'CPL', 'Change Prison Location', 'Y'),
    -- 111 RELEASE TYPE
    (11101, 111, 'ADL',  'Adult Licence', 'Y'),
    (11102, 111, 'HDC',  'HDC Adult Licence', 'Y'),
    (11103, 111, 'ECSL', 'End of Custody Supervised Licence', 'Y'),
    -- 112 ACCEPTED DECISION
    (11201, 112, 'R', 'Rejected', 'Y'),
    -- 113 LICENCE AREA TRANSFER REJECTION REASON
    (11301, 113, 'TWR', 'Transfer Withdrawn - Recall', 'Y'),
    -- 114 LICENCE CONDITION TERMINATION REASON (test data; referenced by every recall reason)
    (11401, 114, 'TEST', 'Test Termination Reason', 'Y'),
    -- 115 LICENCE CONDITION SUB CATEGORY (test licence conditions)
    (11501, 115, 'NST14', 'Test Licence Condition Sub Category', 'Y'),
    -- 116 DOMAIN EVENT TYPE
    (11601, 116, 'probation-case.licence-condition.terminated', 'A licence condition has been terminated', 'Y'),
    -- 117 NSI OUTCOME (RAM)
    (11701, 117, 'CRS01', 'Cancelled', 'Y'),
    (11702, 117, 'CRS02', 'Prematurely Ended', 'Y'),
    (11703, 117, 'CRS03', 'Completed', 'Y'),
    (11704, 117, 'NEE',   'Withdrawn - Not Engaged', 'Y'),  -- example withdrawal code
    -- 118 ADDRESS STATUS
    (11801, 118, 'M', 'Main Address', 'Y'),
    -- 119..123 RAM person details (test codes)
    (11901, 119, 'DIS1',  'Description of DIS1', 'Y'),
    (12001, 120, 'ETH1',  'Description of ETH1', 'Y'),
    (12101, 121, 'GEN1',  'Description of GEN1', 'Y'),
    (12201, 122, 'LANG1', 'Description of LANG1', 'Y'),
    (12301, 123, 'REL1',  'Description of REL1', 'Y'),
    -- 124 REGISTER LEVEL (MAPPA levels 0-3)
    (12401, 124, 'M0', 'MAPPA Level 0', 'Y'),
    (12402, 124, 'M1', 'MAPPA Level 1', 'Y'),
    (12403, 124, 'M2', 'MAPPA Level 2', 'Y'),
    (12404, 124, 'M3', 'MAPPA Level 3', 'Y'),
    -- 125 REGISTER CATEGORY (MAPPA categories: X9 -> 0, M1..M4 -> 1..4)
    (12501, 125, 'X9', 'MAPPA Category 0', 'Y'),
    (12502, 125, 'M1', 'MAPPA Category 1', 'Y'),
    (12503, 125, 'M2', 'MAPPA Category 2', 'Y'),
    (12504, 125, 'M3', 'MAPPA Category 3', 'Y'),
    (12505, 125, 'M4', 'MAPPA Category 4', 'Y'),
    -- 126 REGISTER TYPE FLAG
    (12601, 126, 'RoSH', 'Risk of Serious Harm', 'Y'),
    -- 127 ALLOCATION DECISION (case allocation: R -> ENHANCED, A -> NORMAL)
    (12701, 127, 'R', 'Enhanced Resourcing', 'Y'),
    (12702, 127, 'A', 'Normal Resourcing', 'Y'),
    -- 128 REQUIREMENT SUB CATEGORY (WFA accredited-programme test)
    (12801, 128, 'RS66', 'Accredited Programme', 'Y'),
    -- 129 TIER CHANGE REASON (platform example; not needed by the five services)
    (12901, 129, 'ATS', 'Assessment', 'Y');

-- ===================================================================================================
-- 11.2 Contact types (r_contact_type); flags default to 'N'
-- ===================================================================================================
INSERT INTO r_contact_type
    (contact_type_id, code, description, attendance_contact, national_standards_contact, sensitive_contact) VALUES
    -- PCN 101..109
    (101, 'NOMISD',    'NOMIS Case Note', 'N', 'N', 'N'),
    (102, 'CNT1',      'Test contact type mapped from NEG IEP_WARN', 'N', 'N', 'N'),
    (103, 'CNT2',      'Test contact type mapped from ALERT ACTIVE', 'N', 'N', 'N'),
    (104, 'RESETBCST', 'Resettlement Passport', 'N', 'N', 'N'),        -- PLACEHOLDER code
    (105, 'OTHERINF',  'Other Information', 'N', 'N', 'N'),            -- PLACEHOLDER code
    -- WFA 111..129
    (111, 'ETOM',      'Offender Manager Transfer', 'N', 'N', 'N'),
    (112, 'ETOS',      'Order Supervisor Transfer', 'N', 'N', 'N'),
    (113, 'ETRC',      'Sentence Component Transfer', 'N', 'N', 'N'),
    (114, 'ROC',       'Responsible Officer Change', 'N', 'N', 'N'),
    (115, 'CADE',      'Case Allocation Decision Evidence', 'N', 'N', 'N'),
    (116, 'SPOD03',    'Case Allocation SPO Oversight', 'N', 'N', 'N'),  -- code unconfirmed
    (117, 'SPOREALL',  'Case Re-allocation SPO Oversight', 'N', 'N', 'N'),  -- PLACEHOLDER code
    (118, 'COAI',      'Initial Appointment - In Office', 'N', 'N', 'N'),
    (119, 'CODI',      'Initial Appointment - On Doorstep', 'N', 'N', 'N'),
    (120, 'COHV',      'Initial Appointment - Home Visit', 'N', 'N', 'N'),
    (121, 'COVI',      'Initial Appointment - By Video', 'N', 'N', 'N'),
    -- MPC / PCS 131..149
    (131, 'EPOMAT',    'POM Automatic Allocation/Transfer', 'N', 'N', 'N'),
    (132, 'EPOMIN',    'POM Internal Allocation', 'N', 'N', 'N'),
    (133, 'EPOMEX',    'POM External Allocation', 'N', 'N', 'N'),
    (134, 'EREL',      'Release from Custody', 'N', 'N', 'N'),
    (135, 'ERCL',      'Breach Prison Recall', 'N', 'N', 'N'),
    (136, 'ETCP',      'Change of Institution', 'N', 'N', 'N'),
    (137, 'ETER',      'Component Terminated', 'N', 'N', 'N'),
    (138, 'ETCX',      'Component Provider Transfer Rejected', 'N', 'N', 'N'),
    (139, 'DUS3',      'Died in Custody', 'N', 'N', 'N'),
    (140, 'ERPSSR',    'PSS Breach Committal Release', 'N', 'N', 'N'),
    -- RAM (and platform) 151..169
    (151, 'CRSAPT',    'CRS Appointment (RAR)', 'Y', 'Y', 'N'),
    (152, 'CRSSAA',    'CRS Appointment / Supplier Assessment (not RAR)', 'Y', 'Y', 'N'),
    (153, 'CRSNOTE',   'CRS Notification', 'N', 'N', 'N'),
    (154, 'NREF',      'NSI Referral', 'N', 'N', 'N'),
    (155, 'NCOM',      'NSI Commenced', 'N', 'N', 'N'),
    (156, 'NTER',      'NSI Terminated', 'N', 'N', 'N'),
    (157, 'C091',      'NSI Status Change - In Progress', 'N', 'N', 'N'),
    (158, 'C092',      'NSI Status Change - Completed', 'N', 'N', 'N'),
    (159, 'AROM',      'Refer to Offender Manager', 'N', 'N', 'N'),
    (160, 'ARWS',      'Review Enforcement Status', 'N', 'N', 'N');

-- NOMIS case-note type mappings (PCN); unmapped types use NOMISD
INSERT INTO r_contact_type_nomis_type (nomis_contact_type, contact_type_id) VALUES
    ('NEG IEP_WARN', 102),  -- CNT1
    ('ALERT ACTIVE', 103),  -- CNT2 (older seed)
    ('RESET BCST',   104);  -- RESETBCST (resettlement passport)

-- ===================================================================================================
-- 11.3 Contact outcome types (r_contact_outcome_type) - RAM
-- ===================================================================================================
INSERT INTO r_contact_outcome_type
    (contact_outcome_type_id, code, description, outcome_attendance, outcome_compliant_acceptable, enforceable) VALUES
    (101, 'ATTC',     'Attended - Complied', 'Y', 'Y', NULL),
    (102, 'AFTC',     'Attended - Failed to Comply', 'Y', 'N', NULL),
    (103, 'AFTA',     'Failed to Attend', 'N', 'N', NULL),
    (104, 'RSSR',     'Rescheduled - Service Request', 'N', 'Y', NULL),
    (105, 'RSOF',     'Rescheduled - PoP Request', 'N', NULL, NULL),  -- code unconfirmed; compliant flag not given
    (106, 'APPW',     'Appointment Withdrawn', 'N', 'Y', NULL),
    (107, 'SENTHOME', 'Sent Home (service issues)', 'Y', 'Y', NULL),   -- PLACEHOLDER code (SENT_HOME)
    (108, 'APPTKEPT', 'Appointment Kept', 'Y', 'Y', NULL);             -- PLACEHOLDER code (APPOINTMENT_KEPT)

-- ===================================================================================================
-- 11.4 Enforcement actions (r_enforcement_action) - RAM
-- ===================================================================================================
INSERT INTO r_enforcement_action (enforcement_action_id, code, description, response_by_period, contact_type_id) VALUES
    (101, 'ROM', 'Refer to Offender Manager', 7, 159);  -- contact type AROM

-- ===================================================================================================
-- 11.5 NSI types and statuses
-- ===================================================================================================
INSERT INTO r_nsi_type (nsi_type_id, code) VALUES
    -- RAM: CRS contract types (mapping contract -> NSI type lives in the service)
    (101, 'CRS01'),   -- ACC
    (102, 'CRS02'),   -- ETE
    (103, 'CRS03'),   -- MTR
    (104, 'CRS04'),   -- DNR, DNR-K, DNR-L, DNR-NE, DNR-Y, DNR-NEN, DNR-SC, DNR-SY, DNR-WM, DNR-SW
    (105, 'CRS05'),   -- PWB
    (106, 'CRS06'),   -- WOS
    (107, 'CRS07'),   -- WSM
    (108, 'CRS08'),   -- FBD-*
    -- PCN: NSI type mapped from NEG IEP_WARN (code not given by the spec; any code)
    (111, 'PCNIEP');

INSERT INTO r_nsi_status (nsi_status_id, code, contact_type_id) VALUES
    (101, 'INPROG', 157),  -- status-change contact C091
    (102, 'COMP',   158);  -- status-change contact C092

INSERT INTO r_nomis_type_nsi_type (nomis_type_nsi_type_id, nomis_contact_type, nsi_type_id, nsi_level) VALUES
    (101, 'NEG IEP_WARN', 111, 'OFFENDER');

-- ===================================================================================================
-- 11.6 Other reference tables
-- ===================================================================================================
INSERT INTO r_disposal_type (disposal_type_id, disposal_type_code, description, sentence_type, ftc_limit) VALUES
    (101, 'SC',  'CJA - Std Determinate Custody', 'SC', NULL),   -- custodial (PCN, PCS)
    (102, 'NC',  'CJA - Custody Less Than 12 Months', 'NC', NULL),  -- custodial (PCN, PCS)
    (103, '326', 'Committal for PSS Breach', 'SC', 0),           -- RAM 326; PCS COMMITTAL_PSSR_BREACH (unconfirmed)
    (104, 'ORA', 'ORA Community Order', 'SP', 0);                -- community; FTC limit 0 (RAM non-compliance test)

INSERT INTO r_rqmnt_type_main_category (rqmnt_type_main_category_id, code, description) VALUES
    (101, 'F',    'Rehabilitation Activity Requirement'),  -- RAR (RAM)
    (102, 'RM38', 'Accredited Programme'),                 -- WFA
    (103, '7',    'Accredited Programme'),                 -- WFA
    (104, 'W',    'Unpaid Work');                          -- ignored by the WFA API in prod

INSERT INTO r_lic_cond_type_main_cat (lic_cond_type_main_cat_id, code, description) VALUES
    (101, 'LAP',  'Accredited Programme'),     -- never terminated
    (102, 'NLC8', 'Freedom of Movement');

INSERT INTO r_transfer_reason (transfer_reason_id, code, description) VALUES
    (101, 'CASE ORDER', 'Case Order'),
    (102, 'COMPONENT',  'Component');

INSERT INTO r_recall_reason (recall_reason_id, code, description, termination_reason_id, selectable) VALUES
    (101, 'NN',   'Notified by Custodial Establishment', 11401, 'Y'),
    (102, 'EOTL', 'End of Temporary Licence', 11401, 'Y'),
    (103, 'TSH',  'Transfer to Secure Hospital', 11401, 'Y'),
    (104, 'IRC',  'Transfer to Immigration Removal Centre', 11401, 'Y'),
    (105, 'TEST', 'Test Recall Reason', 11401, 'Y');

INSERT INTO r_register_type (register_type_id, code, register_type_flag_id) VALUES
    (101, 'MAPP', NULL),    -- MAPPA
    (102, 'DASO', NULL),    -- victim liaison
    (103, 'INVI', NULL),    -- victim liaison
    (104, 'RHRH', 12601),   -- RoSH HIGH
    (105, 'RMRH', 12601),   -- RoSH MEDIUM
    (106, 'RVH',  12601);   -- RoSH LOW (see the MPC specification)

-- ===================================================================================================
-- 11.7 Institutions (r_institution)
-- ===================================================================================================
INSERT INTO r_institution
    (institution_id, establishment, code, description, nomis_cde_code, irc, secure_hospital) VALUES
    -- Delius special codes (PCS)
    (101, 'Y', 'COMMUN', 'In the Community', NULL, 'N', 'N'),
    (102, 'Y', 'UNKNOW', 'Unknown', NULL, 'N', 'N'),
    (103, 'Y', 'UATLRG', 'Unlawfully at Large', NULL, 'N', 'N'),
    (104, 'Y', 'XXX056', 'Other Secure Unit', NULL, 'N', 'Y'),
    (105, 'Y', 'XXX054', 'Other Immigration Removal Centre', NULL, 'Y', 'N'),
    -- prisons (by NOMIS code)
    (111, 'Y', 'LEIHMP', 'HMP Leeds', 'LEI', 'N', 'N'),                    -- PCN tests
    (112, 'Y', 'UNKHMP', 'Unknown Establishment', 'UNK', 'N', 'N'),        -- PCN default locationId
    (113, 'Y', 'SWIHMP', 'HMP Swansea', 'SWI', 'N', 'N'),                  -- MPC tests (provider N03), PCS example
    (114, 'Y', 'WSIHMP', 'HMP Whitemoor', 'WSI', 'N', 'N'),                -- PCS default institution
    (115, 'Y', 'MDIHMP', 'HMP Moorland', 'MDI', 'N', 'N'),                 -- PCS example
    (116, 'Y', 'MOVHMP', 'Moved To Prison', 'MOV', 'N', 'N');              -- PCS test 3 MOVED_TO (PLACEHOLDER code)

-- ===================================================================================================
-- 11.8 Providers (probation_area), boroughs, districts, teams, staff, office locations
-- ===================================================================================================
INSERT INTO probation_area (probation_area_id, code, description, institution_id, end_date) VALUES
    (101, 'N01', 'Description of N01', NULL, NULL),     -- RAM community provider (team N01PRO)
    (102, 'N02', 'Description of N02', NULL, NULL),     -- WFA
    (103, 'N03', 'Description of N03', 113, NULL),      -- MPC, establishment provider of SWI
    (104, 'CRS', 'Commissioned Rehabilitative Services', NULL, NULL),  -- RAM
    (105, 'LEI', 'HMP Leeds', 111, NULL),               -- PCN ProbationAreaGenerator.DEFAULT (code not given)
    (106, 'UNK', 'Unknown Establishment', 112, NULL),   -- PCN (UNK location)
    (107, 'WSI', 'HMP Whitemoor', 114, NULL),           -- PCS
    (108, 'MDI', 'HMP Moorland', 115, NULL),            -- PCS
    (109, 'MOV', 'Moved To Prison', 116, NULL);         -- PCS test 3

-- lead-host provider of each prison (PCS release.probation_area_id)
INSERT INTO host (host_id, institution_id, probation_area_id, lead_host, start_date, end_date) VALUES
    (101, 111, 105, 'Y', DATE '2000-01-01', NULL),
    (102, 112, 106, 'Y', DATE '2000-01-01', NULL),
    (103, 113, 103, 'Y', DATE '2000-01-01', NULL),
    (104, 114, 107, 'Y', DATE '2000-01-01', NULL),
    (105, 115, 108, 'Y', DATE '2000-01-01', NULL),
    (106, 116, 109, 'Y', DATE '2000-01-01', NULL);

-- PDUs (all selectable, RAM /probation-delivery-units)
INSERT INTO borough (borough_id, code, description, probation_area_id, selectable) VALUES
    (1011, 'N01PDU', 'N01 Probation Delivery Unit', 101, 'Y'),
    (1031, 'N03PDU', 'N03 Probation Delivery Unit', 103, 'Y'),
    (1041, 'CRSPDU', 'CRS Probation Delivery Unit', 104, 'Y');

-- LDUs
INSERT INTO district (district_id, code, description, borough_id) VALUES
    (1011, 'N01LDU1', 'LDU N01LDU1', 1011),
    (1031, 'N03LDU1', 'LDU N03LDU1', 1031),   -- MPC localDeliveryUnit
    (1041, 'CRSLDU1', 'LDU CRSLDU1', 1041);

INSERT INTO team (team_id, code, description, probation_area_id, district_id, email_address, telephone, end_date) VALUES
    -- N01 (RAM)
    (1011, 'N01PRO', 'Team N01PRO', 101, 1011, 'team@N01PRO.co.uk', '020 785 4451', NULL),
    -- N02 (WFA)
    (1021, 'N02ABS', 'Team N02ABS', 102, NULL, NULL, NULL, NULL),
    -- N03 (MPC; establishment provider of SWI)
    (1031, 'N03DEF', 'Team N03DEF', 103, 1031, NULL, NULL, NULL),
    (1032, 'N03POM', 'Team N03POM', 103, 1031, NULL, NULL, NULL),
    (1033, 'N03ALL', 'Team N03ALL', 103, 1031, NULL, NULL, NULL),
    (1034, 'N03PRE', 'Team N03PRE', 103, 1031, NULL, NULL, NULL),
    (1035, 'N03DEL', 'Team N03DEL', 103, 1031, NULL, NULL, NULL),
    (1036, 'N03CSN', 'Team N03CSN', 103, 1031, NULL, NULL, NULL),
    -- CRS (RAM)
    (1041, 'CRSUAT', 'CRS Unallocated Team', 104, 1041, NULL, NULL, NULL),
    -- establishment providers: {area}CSN (PCN), {area}POM (MPC), {area}ALL (MPC, PCS)
    (1051, 'LEICSN', 'Team LEICSN', 105, NULL, NULL, NULL, NULL),
    (1052, 'LEIPOM', 'Team LEIPOM', 105, NULL, NULL, NULL, NULL),
    (1053, 'LEIALL', 'Team LEIALL', 105, NULL, NULL, NULL, NULL),
    (1061, 'UNKCSN', 'Team UNKCSN', 106, NULL, NULL, NULL, NULL),
    (1062, 'UNKPOM', 'Team UNKPOM', 106, NULL, NULL, NULL, NULL),
    (1063, 'UNKALL', 'Team UNKALL', 106, NULL, NULL, NULL, NULL),
    (1071, 'WSICSN', 'Team WSICSN', 107, NULL, NULL, NULL, NULL),
    (1072, 'WSIPOM', 'Team WSIPOM', 107, NULL, NULL, NULL, NULL),
    (1073, 'WSIALL', 'Team WSIALL', 107, NULL, NULL, NULL, NULL),
    (1081, 'MDICSN', 'Team MDICSN', 108, NULL, NULL, NULL, NULL),
    (1082, 'MDIPOM', 'Team MDIPOM', 108, NULL, NULL, NULL, NULL),
    (1083, 'MDIALL', 'Team MDIALL', 108, NULL, NULL, NULL, NULL),
    (1091, 'MOVCSN', 'Team MOVCSN', 109, NULL, NULL, NULL, NULL),
    (1092, 'MOVPOM', 'Team MOVPOM', 109, NULL, NULL, NULL, NULL),
    (1093, 'MOVALL', 'Team MOVALL', 109, NULL, NULL, NULL, NULL);

INSERT INTO staff
    (staff_id, officer_code, forename, forename2, surname, probation_area_id, start_date, end_date, private,
     row_version, created_by_user_id, last_updated_user_id, created_datetime, last_updated_datetime) VALUES
    -- N01 (RAM): John Smith, user john-smith (officer code not given by the spec)
    (1011, 'N01P001', 'John', NULL, 'Smith', 101, DATE '2000-01-01', NULL, 0,
     0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
    -- N02 (WFA): STAFF_WITH_USER and the SPO
    (1021, 'N02ABS1', 'Staff', NULL, 'With User', 102, DATE '2000-01-01', NULL, 0,
     0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
    (1022, 'N02ABSX', 'Senior', NULL, 'Probation Officer', 102, DATE '2000-01-01', NULL, 0,
     0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
    -- N03 (MPC)
    (1031, 'N03DEF0', 'Default', NULL, 'Staff', 103, DATE '2000-01-01', NULL, 0,
     0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
    (1032, 'N03ALLU', 'Unallocated', NULL, 'Staff', 103, DATE '2000-01-01', NULL, 0,
     0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
    (1033, 'N03POMF', 'Future', NULL, 'POM', 103, DATE '2000-01-01', NULL, 0,
     0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
    -- CRS (RAM)
    (1041, 'CRSUATU', 'Unallocated', NULL, 'Staff', 104, DATE '2000-01-01', NULL, 0,
     0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
    -- LEI (PCN): StaffGenerator.DEFAULT (officer code not given; chosen outside the generated {area}{A-Z}nnn pattern)
    (1051, 'LEICSNU', 'Default', NULL, 'Staff', 105, DATE '2000-01-01', NULL, 0,
     0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
    -- {area}ALLU unallocated staff of each establishment provider (PCS, MPC)
    (1053, 'LEIALLU', 'Unallocated', NULL, 'Staff', 105, DATE '2000-01-01', NULL, 0,
     0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
    (1063, 'UNKALLU', 'Unallocated', NULL, 'Staff', 106, DATE '2000-01-01', NULL, 0,
     0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
    (1073, 'WSIALLU', 'Unallocated', NULL, 'Staff', 107, DATE '2000-01-01', NULL, 0,
     0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
    (1083, 'MDIALLU', 'Unallocated', NULL, 'Staff', 108, DATE '2000-01-01', NULL, 0,
     0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),
    (1093, 'MOVALLU', 'Unallocated', NULL, 'Staff', 109, DATE '2000-01-01', NULL, 0,
     0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00');

INSERT INTO staff_team
    (staff_id, team_id, row_version, created_by_user_id, last_updated_user_id, created_datetime, last_updated_datetime) VALUES
    (1011, 1011, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),  -- John Smith in N01PRO
    (1021, 1021, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),  -- N02ABS1 in N02ABS
    (1022, 1021, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),  -- N02ABSX in N02ABS
    (1031, 1031, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),  -- N03DEF0 in N03DEF
    (1032, 1033, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),  -- N03ALLU in N03ALL
    (1033, 1032, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),  -- N03POMF in N03POM
    (1041, 1041, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),  -- CRSUATU in CRSUAT
    (1051, 1051, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),  -- LEICSNU in LEICSN
    (1053, 1053, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),  -- LEIALLU in LEIALL
    (1063, 1063, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),  -- UNKALLU in UNKALL
    (1073, 1073, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),  -- WSIALLU in WSIALL
    (1083, 1083, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'),  -- MDIALLU in MDIALL
    (1093, 1093, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00');  -- MOVALLU in MOVALL

INSERT INTO office_location
    (office_location_id, code, description, building_name, building_number, street_name, district, town_city,
     county, postcode, telephone_number, start_date, end_date, probation_area_id) VALUES
    -- N01 (RAM community manager's office)
    (1011, 'N01OFF1', 'N01 Office', NULL, '1', 'High Street', NULL, 'London', NULL, 'SW1A 1AA', '020 785 4450',
     DATE '2000-01-01', NULL, 101),
    -- CRS (RAM /office-locations; DEFAULT is the appointment location of the RAM tests)
    (1041, 'DEFAULT', 'Default Office', 'Default Building', '10', 'Default Street', 'Default District', 'Default Town',
     'Default County', 'DE1 1AA', '01234 567890', DATE '2000-01-01', NULL, 104),
    (1042, 'CRS0001', 'CRS Office 1', NULL, '20', 'Market Street', NULL, 'Manchester', NULL, 'M1 1AA', NULL,
     DATE '2000-01-01', NULL, 104);

INSERT INTO team_office_location (team_id, office_location_id) VALUES
    (1011, 1011),  -- N01PRO - N01OFF1
    (1041, 1041),  -- CRSUAT - DEFAULT
    (1041, 1042);  -- CRSUAT - CRS0001

-- RAM test user linked to staff John Smith
INSERT INTO user_ (user_id, distinguished_name, forename, surname, staff_id) VALUES
    (10, 'john-smith', 'John', 'Smith', 1011);

-- ===================================================================================================
-- 11.10 Business interactions (business_interaction)
-- ===================================================================================================
INSERT INTO business_interaction (business_interaction_id, business_interaction_code, enabled_date) VALUES
    (101, 'APIBI001', DATE '2000-01-01'),  -- CASE_NOTES_MERGE (PCN)
    (102, 'CABI231',  DATE '2000-01-01'),  -- ADD_PERSON_ALLOCATION (WFA)
    (103, 'CABI041',  DATE '2000-01-01'),  -- ADD_EVENT_ALLOCATION (WFA)
    (104, 'CABI038',  DATE '2000-01-01'),  -- CREATE_COMPONENT_TRANSFER (WFA)
    (105, 'NIBI009',  DATE '2000-01-01'),  -- MANAGE_NSI (RAM)
    (106, 'CLBI003',  DATE '2000-01-01'),  -- ADD_CONTACT (RAM)
    (107, 'CLBI007',  DATE '2000-01-01');  -- UPDATE_CONTACT (RAM)
