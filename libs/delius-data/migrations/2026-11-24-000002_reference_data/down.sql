-- Reverts up.sql: deletes exactly the reference rows it inserted (children before parents).

DELETE FROM business_interaction WHERE business_interaction_id BETWEEN 101 AND 107;

DELETE FROM user_ WHERE user_id = 10;
DELETE FROM team_office_location WHERE (team_id, office_location_id) IN ((1011, 1011), (1041, 1041), (1041, 1042));
DELETE FROM office_location WHERE office_location_id IN (1011, 1041, 1042);
DELETE FROM staff_team WHERE staff_id IN (1011, 1021, 1022, 1031, 1032, 1033, 1041, 1051, 1053, 1063, 1073, 1083, 1093)
    AND team_id BETWEEN 1011 AND 1093;
DELETE FROM staff WHERE staff_id IN (1011, 1021, 1022, 1031, 1032, 1033, 1041, 1051, 1053, 1063, 1073, 1083, 1093);
DELETE FROM team WHERE team_id IN (1011, 1021, 1031, 1032, 1033, 1034, 1035, 1036, 1041,
                                   1051, 1052, 1053, 1061, 1062, 1063, 1071, 1072, 1073,
                                   1081, 1082, 1083, 1091, 1092, 1093);
DELETE FROM district WHERE district_id IN (1011, 1031, 1041);
DELETE FROM borough WHERE borough_id IN (1011, 1031, 1041);
DELETE FROM host WHERE host_id BETWEEN 101 AND 106;
DELETE FROM probation_area WHERE probation_area_id BETWEEN 101 AND 109;

DELETE FROM r_institution WHERE institution_id IN (101, 102, 103, 104, 105, 111, 112, 113, 114, 115, 116);

DELETE FROM r_register_type WHERE register_type_id BETWEEN 101 AND 106;
DELETE FROM r_recall_reason WHERE recall_reason_id BETWEEN 101 AND 105;
DELETE FROM r_transfer_reason WHERE transfer_reason_id IN (101, 102);
DELETE FROM r_lic_cond_type_main_cat WHERE lic_cond_type_main_cat_id IN (101, 102);
DELETE FROM r_rqmnt_type_main_category WHERE rqmnt_type_main_category_id BETWEEN 101 AND 104;
DELETE FROM r_disposal_type WHERE disposal_type_id BETWEEN 101 AND 104;

DELETE FROM r_nomis_type_nsi_type WHERE nomis_type_nsi_type_id = 101;
DELETE FROM r_nsi_status WHERE nsi_status_id IN (101, 102);
DELETE FROM r_nsi_type WHERE nsi_type_id IN (101, 102, 103, 104, 105, 106, 107, 108, 111);

DELETE FROM r_enforcement_action WHERE enforcement_action_id = 101;
DELETE FROM r_contact_outcome_type WHERE contact_outcome_type_id BETWEEN 101 AND 108;
DELETE FROM r_contact_type_nomis_type WHERE nomis_contact_type IN ('NEG IEP_WARN', 'ALERT ACTIVE', 'RESET BCST');
DELETE FROM r_contact_type WHERE contact_type_id IN (101, 102, 103, 104, 105,
                                                     111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121,
                                                     131, 132, 133, 134, 135, 136, 137, 138, 139, 140,
                                                     151, 152, 153, 154, 155, 156, 157, 158, 159, 160);

DELETE FROM r_standard_reference_list WHERE reference_data_master_id BETWEEN 101 AND 129
    AND standard_reference_list_id BETWEEN 10101 AND 12999;
DELETE FROM r_reference_data_master WHERE reference_data_master_id BETWEEN 101 AND 129;

DELETE FROM user_ WHERE user_id BETWEEN 1 AND 7;
