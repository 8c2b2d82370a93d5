-- Delius schema for dev/test (PostgreSQL stand-in for the Delius Oracle database).
--
-- Source: /work/shared/specs/delius-schema.md, sections 1 and 3-10. Every table and column of the spec,
-- with the spec's types, nullability, defaults and CHECKs (section 1.2):
--   * NUMBER(1) 0/1 flags      -> smallint, CHECK (col IN (0,1))
--   * CHAR(1) Y/N flags        -> char(1),  CHECK (col IN ('Y','N'))
--   * moments                  -> timestamp (without time zone), Europe/London wall-clock time
--   * contact start/end times  -> time
-- Ids: every table with a single bigint id has a sequence <table>_id_seq (user_: user_id_seq) that starts at
-- 1000000; the id columns have NO default, services call nextval() explicitly and seed data supplies ids
-- below 1000000 by hand (spec 1.3).
-- Audit columns (created_by_user_id, last_updated_user_id, ...) deliberately have no foreign keys (spec 1.4).
-- "ref: SET NAME" columns are foreign keys to r_standard_reference_list(standard_reference_list_id).
-- Tables are created parents first, so foreign keys are declared inline.

-- ===================================================================================================
-- 9. Reference data
-- ===================================================================================================

CREATE TABLE r_reference_data_master (
    reference_data_master_id bigint NOT NULL PRIMARY KEY,
    code_set_name varchar(100) NOT NULL UNIQUE
);

CREATE TABLE r_standard_reference_list (
    standard_reference_list_id bigint NOT NULL PRIMARY KEY,
    code_value varchar(100) NOT NULL,
    code_description varchar(500),
    reference_data_master_id bigint NOT NULL REFERENCES r_reference_data_master (reference_data_master_id),
    selectable char(1) NOT NULL DEFAULT 'Y' CHECK (selectable IN ('Y','N')),
    CONSTRAINT r_standard_reference_list_master_code_uk UNIQUE (reference_data_master_id, code_value)
);

-- ===================================================================================================
-- 5. Staff/estate (and user_, which references staff)
-- ===================================================================================================

CREATE TABLE r_institution (
    institution_id bigint NOT NULL PRIMARY KEY,
    establishment char(1) NOT NULL DEFAULT 'Y' CHECK (establishment IN ('Y','N')),
    code varchar(6),
    description varchar(255),
    nomis_cde_code varchar(6),
    irc char(1) NOT NULL DEFAULT 'N' CHECK (irc IN ('Y','N')),
    secure_hospital char(1) NOT NULL DEFAULT 'N' CHECK (secure_hospital IN ('Y','N')),
    CONSTRAINT r_institution_id_establishment_uk UNIQUE (institution_id, establishment)
);
CREATE INDEX r_institution_nomis_cde_code_idx ON r_institution (nomis_cde_code);
CREATE INDEX r_institution_code_idx ON r_institution (code);

CREATE TABLE probation_area (
    probation_area_id bigint NOT NULL PRIMARY KEY,
    code varchar(3) NOT NULL UNIQUE,
    description varchar(255),
    institution_id bigint REFERENCES r_institution (institution_id),
    end_date date
);
CREATE INDEX probation_area_institution_id_idx ON probation_area (institution_id);

CREATE TABLE borough (
    borough_id bigint NOT NULL PRIMARY KEY,
    code varchar(20) NOT NULL,
    description varchar(255),
    probation_area_id bigint REFERENCES probation_area (probation_area_id),
    selectable char(1) NOT NULL DEFAULT 'Y' CHECK (selectable IN ('Y','N'))
);

CREATE TABLE district (
    district_id bigint NOT NULL PRIMARY KEY,
    code varchar(20) NOT NULL,
    description varchar(255),
    borough_id bigint REFERENCES borough (borough_id)
);

CREATE TABLE team (
    team_id bigint NOT NULL PRIMARY KEY,
    code varchar(6) NOT NULL UNIQUE,
    description varchar(255),
    probation_area_id bigint REFERENCES probation_area (probation_area_id),
    district_id bigint REFERENCES district (district_id),
    email_address varchar(255),
    telephone varchar(35),
    end_date date
);
CREATE INDEX team_probation_area_id_idx ON team (probation_area_id);

CREATE TABLE staff (
    staff_id bigint NOT NULL PRIMARY KEY,
    officer_code varchar(7) NOT NULL UNIQUE,
    forename varchar(35) NOT NULL,
    forename2 varchar(35),
    surname varchar(35) NOT NULL,
    probation_area_id bigint REFERENCES probation_area (probation_area_id),
    start_date date,
    end_date date,
    private smallint NOT NULL DEFAULT 0 CHECK (private IN (0,1)),
    row_version bigint NOT NULL DEFAULT 0,
    created_by_user_id bigint,
    last_updated_user_id bigint,
    created_datetime timestamp,
    last_updated_datetime timestamp
);
-- find staff by name within a provider (case-insensitive)
CREATE INDEX staff_probation_area_name_idx ON staff (probation_area_id, lower(surname), lower(forename));

CREATE TABLE staff_team (
    staff_id bigint NOT NULL REFERENCES staff (staff_id),
    team_id bigint NOT NULL REFERENCES team (team_id),
    row_version bigint NOT NULL DEFAULT 0,
    created_by_user_id bigint,
    last_updated_user_id bigint,
    created_datetime timestamp,
    last_updated_datetime timestamp,
    PRIMARY KEY (staff_id, team_id)
);
CREATE INDEX staff_team_team_id_idx ON staff_team (team_id);

CREATE TABLE office_location (
    office_location_id bigint NOT NULL PRIMARY KEY,
    code varchar(7) NOT NULL,
    description varchar(255),
    building_name varchar(35),
    building_number varchar(35),
    street_name varchar(35),
    district varchar(35),
    town_city varchar(35),
    county varchar(35),
    postcode varchar(8),
    telephone_number varchar(35),
    start_date date,
    end_date date,
    probation_area_id bigint REFERENCES probation_area (probation_area_id)
);
CREATE INDEX office_location_probation_area_id_idx ON office_location (probation_area_id);

CREATE TABLE team_office_location (
    team_id bigint NOT NULL REFERENCES team (team_id),
    office_location_id bigint NOT NULL REFERENCES office_location (office_location_id),
    PRIMARY KEY (team_id, office_location_id)
);

CREATE TABLE host (
    host_id bigint NOT NULL PRIMARY KEY,
    institution_id bigint NOT NULL REFERENCES r_institution (institution_id),
    probation_area_id bigint NOT NULL REFERENCES probation_area (probation_area_id),
    lead_host char(1) NOT NULL DEFAULT 'Y' CHECK (lead_host IN ('Y','N')),
    start_date date,
    end_date date
);
CREATE INDEX host_institution_id_idx ON host (institution_id);

-- 10. user_
CREATE TABLE user_ (
    user_id bigint NOT NULL PRIMARY KEY,
    distinguished_name varchar(60) NOT NULL UNIQUE,
    forename varchar(35),
    surname varchar(35),
    staff_id bigint REFERENCES staff (staff_id)
);
-- refer-and-monitor matches usernames case-insensitively
CREATE INDEX user_lower_distinguished_name_idx ON user_ (lower(distinguished_name));
CREATE INDEX user_staff_id_idx ON user_ (staff_id);

-- ===================================================================================================
-- Reference tables of sections 3, 4, 6, 7, 8 and 10
-- ===================================================================================================

CREATE TABLE r_disposal_type (
    disposal_type_id bigint NOT NULL PRIMARY KEY,
    disposal_type_code varchar(20) NOT NULL,
    description varchar(255),
    sentence_type varchar(2),
    ftc_limit bigint
);
CREATE INDEX r_disposal_type_code_idx ON r_disposal_type (disposal_type_code);

CREATE TABLE r_offence (
    offence_id bigint NOT NULL PRIMARY KEY,
    main_category_description varchar(255),
    sub_category_description varchar(255)
);

CREATE TABLE r_rqmnt_type_main_category (
    rqmnt_type_main_category_id bigint NOT NULL PRIMARY KEY,
    code varchar(20) NOT NULL UNIQUE,
    description varchar(255)
);

CREATE TABLE r_register_type (
    register_type_id bigint NOT NULL PRIMARY KEY,
    code varchar(20) NOT NULL UNIQUE,
    register_type_flag_id bigint REFERENCES r_standard_reference_list (standard_reference_list_id)
);

CREATE TABLE r_contact_type (
    contact_type_id bigint NOT NULL PRIMARY KEY,
    code varchar(10) NOT NULL UNIQUE,
    description varchar(255),
    attendance_contact char(1) NOT NULL DEFAULT 'N' CHECK (attendance_contact IN ('Y','N')),
    national_standards_contact char(1) NOT NULL DEFAULT 'N' CHECK (national_standards_contact IN ('Y','N')),
    sensitive_contact char(1) NOT NULL DEFAULT 'N' CHECK (sensitive_contact IN ('Y','N'))
);

CREATE TABLE r_contact_outcome_type (
    contact_outcome_type_id bigint NOT NULL PRIMARY KEY,
    code varchar(10) NOT NULL UNIQUE,
    description varchar(255),
    outcome_attendance char(1) CHECK (outcome_attendance IN ('Y','N')),
    outcome_compliant_acceptable char(1) CHECK (outcome_compliant_acceptable IN ('Y','N')),
    enforceable char(1) CHECK (enforceable IN ('Y','N'))
);

CREATE TABLE r_contact_type_nomis_type (
    nomis_contact_type varchar(50) NOT NULL PRIMARY KEY,
    contact_type_id bigint NOT NULL REFERENCES r_contact_type (contact_type_id)
);

CREATE TABLE r_enforcement_action (
    enforcement_action_id bigint NOT NULL PRIMARY KEY,
    code varchar(10) NOT NULL UNIQUE,
    description varchar(255),
    response_by_period bigint,
    contact_type_id bigint NOT NULL REFERENCES r_contact_type (contact_type_id)
);

CREATE TABLE r_transfer_reason (
    transfer_reason_id bigint NOT NULL PRIMARY KEY,
    code varchar(20) NOT NULL UNIQUE,
    description varchar(255)
);

CREATE TABLE r_recall_reason (
    recall_reason_id bigint NOT NULL PRIMARY KEY,
    code varchar(10) NOT NULL UNIQUE,
    description varchar(255),
    termination_reason_id bigint REFERENCES r_standard_reference_list (standard_reference_list_id),
    selectable char(1) NOT NULL DEFAULT 'Y' CHECK (selectable IN ('Y','N'))
);

CREATE TABLE r_lic_cond_type_main_cat (
    lic_cond_type_main_cat_id bigint NOT NULL PRIMARY KEY,
    code varchar(20) NOT NULL UNIQUE,
    description varchar(255)
);

CREATE TABLE r_nsi_type (
    nsi_type_id bigint NOT NULL PRIMARY KEY,
    code varchar(20) NOT NULL UNIQUE
);

CREATE TABLE r_nsi_status (
    nsi_status_id bigint NOT NULL PRIMARY KEY,
    code varchar(20) NOT NULL UNIQUE,
    contact_type_id bigint REFERENCES r_contact_type (contact_type_id)
);

CREATE TABLE r_nomis_type_nsi_type (
    nomis_type_nsi_type_id bigint NOT NULL PRIMARY KEY,
    nomis_contact_type varchar(50) NOT NULL,
    nsi_type_id bigint NOT NULL REFERENCES r_nsi_type (nsi_type_id),
    nsi_level varchar(10)
);
CREATE INDEX r_nomis_type_nsi_type_nomis_contact_type_idx ON r_nomis_type_nsi_type (nomis_contact_type);

CREATE TABLE business_interaction (
    business_interaction_id bigint NOT NULL PRIMARY KEY,
    business_interaction_code varchar(20) NOT NULL UNIQUE,
    enabled_date date
);

-- ===================================================================================================
-- 3. Core person/case
-- ===================================================================================================

CREATE TABLE offender (
    offender_id bigint NOT NULL PRIMARY KEY,
    crn varchar(7) NOT NULL UNIQUE,
    noms_number varchar(7),
    first_name varchar(35) NOT NULL,
    second_name varchar(35),
    third_name varchar(35),
    surname varchar(35) NOT NULL,
    date_of_birth_date date,
    gender_id bigint REFERENCES r_standard_reference_list (standard_reference_list_id),
    ethnicity_id bigint REFERENCES r_standard_reference_list (standard_reference_list_id),
    language_id bigint REFERENCES r_standard_reference_list (standard_reference_list_id),
    religion_id bigint REFERENCES r_standard_reference_list (standard_reference_list_id),
    telephone_number varchar(35),
    mobile_number varchar(35),
    e_mail_address varchar(255),
    exclusion_message varchar(4000),
    restriction_message varchar(4000),
    current_tier bigint REFERENCES r_standard_reference_list (standard_reference_list_id),
    partition_area_id bigint NOT NULL DEFAULT 0,
    row_version bigint NOT NULL DEFAULT 0,
    soft_deleted smallint NOT NULL DEFAULT 0 CHECK (soft_deleted IN (0,1)),
    created_by_user_id bigint NOT NULL,
    last_updated_user_id bigint NOT NULL,
    created_datetime timestamp NOT NULL,
    last_updated_datetime timestamp NOT NULL
);
CREATE INDEX offender_noms_number_idx ON offender (noms_number);

CREATE TABLE offender_address (
    offender_address_id bigint NOT NULL PRIMARY KEY,
    offender_id bigint NOT NULL REFERENCES offender (offender_id),
    address_status_id bigint REFERENCES r_standard_reference_list (standard_reference_list_id),
    building_name varchar(35),
    address_number varchar(35),
    street_name varchar(35),
    district varchar(35),
    town_city varchar(35),
    county varchar(35),
    postcode varchar(8),
    no_fixed_abode char(1) CHECK (no_fixed_abode IN ('Y','N')),
    start_date date,
    end_date date,
    soft_deleted smallint NOT NULL DEFAULT 0 CHECK (soft_deleted IN (0,1))
);
CREATE INDEX offender_address_offender_id_idx ON offender_address (offender_id);

CREATE TABLE disability (
    disability_id bigint NOT NULL PRIMARY KEY,
    offender_id bigint NOT NULL REFERENCES offender (offender_id),
    disability_type_id bigint NOT NULL REFERENCES r_standard_reference_list (standard_reference_list_id),
    notes text,
    start_date date NOT NULL,
    finish_date date,
    soft_deleted smallint NOT NULL DEFAULT 0 CHECK (soft_deleted IN (0,1))
);
CREATE INDEX disability_offender_id_idx ON disability (offender_id);

CREATE TABLE event (
    event_id bigint NOT NULL PRIMARY KEY,
    offender_id bigint NOT NULL REFERENCES offender (offender_id),
    event_number varchar(10),
    conviction_date date,
    first_release_date date,
    ftc_count bigint,
    in_breach smallint CHECK (in_breach IN (0,1)),
    breach_end date,
    active_flag smallint NOT NULL DEFAULT 1 CHECK (active_flag IN (0,1)),
    soft_deleted smallint NOT NULL DEFAULT 0 CHECK (soft_deleted IN (0,1)),
    row_version bigint NOT NULL DEFAULT 0,
    created_by_user_id bigint,
    last_updated_user_id bigint,
    created_datetime timestamp,
    last_updated_datetime timestamp
);
CREATE INDEX event_offender_id_idx ON event (offender_id);

CREATE TABLE disposal (
    disposal_id bigint NOT NULL PRIMARY KEY,
    event_id bigint NOT NULL REFERENCES event (event_id),
    disposal_type_id bigint NOT NULL REFERENCES r_disposal_type (disposal_type_id),
    disposal_date date,
    entered_notional_end_date date,
    notional_end_date date,
    active_flag smallint NOT NULL DEFAULT 1 CHECK (active_flag IN (0,1)),
    soft_deleted smallint NOT NULL DEFAULT 0 CHECK (soft_deleted IN (0,1))
);
CREATE INDEX disposal_event_id_idx ON disposal (event_id);

CREATE TABLE main_offence (
    main_offence_id bigint NOT NULL PRIMARY KEY,
    event_id bigint NOT NULL REFERENCES event (event_id),
    offence_id bigint NOT NULL REFERENCES r_offence (offence_id),
    soft_deleted smallint NOT NULL DEFAULT 0 CHECK (soft_deleted IN (0,1))
);
CREATE INDEX main_offence_event_id_idx ON main_offence (event_id);

CREATE TABLE custody (
    custody_id bigint NOT NULL PRIMARY KEY,
    disposal_id bigint NOT NULL REFERENCES disposal (disposal_id),
    custodial_status_id bigint NOT NULL REFERENCES r_standard_reference_list (standard_reference_list_id),
    institution_id bigint,
    establishment char(1) CHECK (establishment IN ('Y','N')),
    status_change_date date,
    location_change_date date,
    prisoner_number varchar(35),
    soft_deleted smallint NOT NULL DEFAULT 0 CHECK (soft_deleted IN (0,1)),
    row_version bigint NOT NULL DEFAULT 0,
    created_by_user_id bigint,
    last_updated_user_id bigint,
    created_datetime timestamp,
    last_updated_datetime timestamp,
    CONSTRAINT custody_institution_fk FOREIGN KEY (institution_id, establishment)
        REFERENCES r_institution (institution_id, establishment)
);
CREATE INDEX custody_disposal_id_idx ON custody (disposal_id);

CREATE TABLE rqmnt (
    rqmnt_id bigint NOT NULL PRIMARY KEY,
    offender_id bigint NOT NULL REFERENCES offender (offender_id),
    disposal_id bigint NOT NULL REFERENCES disposal (disposal_id),
    rqmnt_type_main_category_id bigint REFERENCES r_rqmnt_type_main_category (rqmnt_type_main_category_id),
    rqmnt_type_sub_category_id bigint REFERENCES r_standard_reference_list (standard_reference_list_id),
    ad_rqmnt_type_main_category_id bigint REFERENCES r_rqmnt_type_main_category (rqmnt_type_main_category_id),
    active_flag smallint NOT NULL DEFAULT 1 CHECK (active_flag IN (0,1)),
    soft_deleted smallint NOT NULL DEFAULT 0 CHECK (soft_deleted IN (0,1))
);
CREATE INDEX rqmnt_disposal_id_idx ON rqmnt (disposal_id);
CREATE INDEX rqmnt_offender_id_idx ON rqmnt (offender_id);

CREATE TABLE case_allocation (
    case_allocation_id bigint NOT NULL PRIMARY KEY,
    offender_id bigint NOT NULL REFERENCES offender (offender_id),
    event_id bigint NOT NULL REFERENCES event (event_id),
    allocation_decision_id bigint REFERENCES r_standard_reference_list (standard_reference_list_id),
    allocation_decision_date timestamp
);
CREATE INDEX case_allocation_event_id_idx ON case_allocation (event_id);

CREATE TABLE registration (
    registration_id bigint NOT NULL PRIMARY KEY,
    offender_id bigint NOT NULL REFERENCES offender (offender_id),
    register_type_id bigint NOT NULL REFERENCES r_register_type (register_type_id),
    register_level_id bigint REFERENCES r_standard_reference_list (standard_reference_list_id),
    register_category_id bigint REFERENCES r_standard_reference_list (standard_reference_list_id),
    registration_date date NOT NULL,
    next_review_date date,
    deregistered smallint NOT NULL DEFAULT 0 CHECK (deregistered IN (0,1)),
    soft_deleted smallint NOT NULL DEFAULT 0 CHECK (soft_deleted IN (0,1)),
    created_datetime timestamp
);
CREATE INDEX registration_offender_id_idx ON registration (offender_id);

CREATE TABLE exclusion (
    exclusion_id bigint NOT NULL PRIMARY KEY,
    offender_id bigint NOT NULL REFERENCES offender (offender_id),
    user_id bigint NOT NULL REFERENCES user_ (user_id),
    exclusion_end_time timestamp
);
CREATE INDEX exclusion_offender_id_idx ON exclusion (offender_id);
CREATE INDEX exclusion_user_id_idx ON exclusion (user_id);

CREATE TABLE restriction (
    restriction_id bigint NOT NULL PRIMARY KEY,
    offender_id bigint NOT NULL REFERENCES offender (offender_id),
    user_id bigint NOT NULL REFERENCES user_ (user_id),
    restriction_end_time timestamp
);
CREATE INDEX restriction_offender_id_idx ON restriction (offender_id);
CREATE INDEX restriction_user_id_idx ON restriction (user_id);

-- ===================================================================================================
-- 7. Licence conditions (before contact and the manager tables, which reference them)
-- ===================================================================================================

CREATE TABLE lic_condition (
    lic_condition_id bigint NOT NULL PRIMARY KEY,
    offender_id bigint NOT NULL REFERENCES offender (offender_id),
    disposal_id bigint NOT NULL REFERENCES disposal (disposal_id),
    lic_cond_type_main_cat_id bigint NOT NULL REFERENCES r_lic_cond_type_main_cat (lic_cond_type_main_cat_id),
    lic_cond_type_sub_cat_id bigint REFERENCES r_standard_reference_list (standard_reference_list_id),
    termination_date date,
    termination_reason_id bigint REFERENCES r_standard_reference_list (standard_reference_list_id),
    pending_transfer smallint NOT NULL DEFAULT 0 CHECK (pending_transfer IN (0,1)),
    active_flag smallint NOT NULL DEFAULT 1 CHECK (active_flag IN (0,1)),
    soft_deleted smallint NOT NULL DEFAULT 0 CHECK (soft_deleted IN (0,1)),
    row_version bigint NOT NULL DEFAULT 0,
    created_by_user_id bigint,
    last_updated_user_id bigint,
    created_datetime timestamp,
    last_updated_datetime timestamp
);
CREATE INDEX lic_condition_disposal_id_idx ON lic_condition (disposal_id);
CREATE INDEX lic_condition_offender_id_idx ON lic_condition (offender_id);

-- ===================================================================================================
-- 8. NSI
-- ===================================================================================================

CREATE TABLE nsi (
    nsi_id bigint NOT NULL PRIMARY KEY,
    offender_id bigint NOT NULL REFERENCES offender (offender_id),
    nsi_type_id bigint NOT NULL REFERENCES r_nsi_type (nsi_type_id),
    nsi_status_id bigint NOT NULL REFERENCES r_nsi_status (nsi_status_id),
    nsi_status_date timestamp NOT NULL,
    nsi_outcome_id bigint REFERENCES r_standard_reference_list (standard_reference_list_id),
    referral_date date NOT NULL,
    actual_start_date timestamp,
    actual_end_date timestamp,
    notes text,
    external_reference varchar(4000),
    intended_provider_id bigint REFERENCES probation_area (probation_area_id),
    event_id bigint REFERENCES event (event_id),
    rqmnt_id bigint REFERENCES rqmnt (rqmnt_id),
    rar_count bigint,
    pending_transfer smallint NOT NULL DEFAULT 0 CHECK (pending_transfer IN (0,1)),
    active_flag smallint NOT NULL DEFAULT 1 CHECK (active_flag IN (0,1)),
    soft_deleted smallint NOT NULL DEFAULT 0 CHECK (soft_deleted IN (0,1)),
    partition_area_id bigint NOT NULL DEFAULT 0,
    row_version bigint NOT NULL DEFAULT 0,
    created_by_user_id bigint,
    last_updated_user_id bigint,
    created_datetime timestamp,
    last_updated_datetime timestamp
);
CREATE INDEX nsi_offender_id_idx ON nsi (offender_id);
CREATE INDEX nsi_external_reference_idx ON nsi (external_reference);

-- ===================================================================================================
-- 6. Managers
-- ===================================================================================================

CREATE TABLE offender_manager (
    offender_manager_id bigint NOT NULL PRIMARY KEY,
    offender_id bigint NOT NULL REFERENCES offender (offender_id),
    allocation_staff_id bigint NOT NULL REFERENCES staff (staff_id),
    staff_employee_id bigint REFERENCES staff (staff_id),
    team_id bigint NOT NULL REFERENCES team (team_id),
    trust_provider_team_id bigint REFERENCES team (team_id),
    trust_provider_flag smallint NOT NULL DEFAULT 0 CHECK (trust_provider_flag IN (0,1)),
    probation_area_id bigint REFERENCES probation_area (probation_area_id),
    partition_area_id bigint NOT NULL DEFAULT 0,
    allocation_date timestamp,
    end_date timestamp,
    allocation_reason_id bigint REFERENCES r_standard_reference_list (standard_reference_list_id),
    active_flag smallint NOT NULL DEFAULT 1 CHECK (active_flag IN (0,1)),
    soft_deleted smallint NOT NULL DEFAULT 0 CHECK (soft_deleted IN (0,1)),
    row_version bigint NOT NULL DEFAULT 0,
    created_by_user_id bigint,
    last_updated_user_id bigint,
    created_datetime timestamp,
    last_updated_datetime timestamp
);
CREATE INDEX offender_manager_offender_id_idx ON offender_manager (offender_id);
CREATE INDEX offender_manager_allocation_staff_id_idx ON offender_manager (allocation_staff_id);

CREATE TABLE order_manager (
    order_manager_id bigint NOT NULL PRIMARY KEY,
    event_id bigint NOT NULL REFERENCES event (event_id),
    allocation_staff_id bigint NOT NULL REFERENCES staff (staff_id),
    staff_employee_id bigint REFERENCES staff (staff_id),
    allocation_team_id bigint NOT NULL REFERENCES team (team_id),
    trust_provider_team_id bigint REFERENCES team (team_id),
    trust_provider_flag smallint NOT NULL DEFAULT 0 CHECK (trust_provider_flag IN (0,1)),
    probation_area_id bigint REFERENCES probation_area (probation_area_id),
    partition_area_id bigint NOT NULL DEFAULT 0,
    allocation_date timestamp,
    end_date timestamp,
    allocation_reason_id bigint REFERENCES r_standard_reference_list (standard_reference_list_id),
    transfer_reason_id bigint REFERENCES r_transfer_reason (transfer_reason_id),
    active_flag smallint NOT NULL DEFAULT 1 CHECK (active_flag IN (0,1)),
    soft_deleted smallint NOT NULL DEFAULT 0 CHECK (soft_deleted IN (0,1)),
    row_version bigint NOT NULL DEFAULT 0,
    created_by_user_id bigint,
    last_updated_user_id bigint,
    created_datetime timestamp,
    last_updated_datetime timestamp
);
CREATE INDEX order_manager_event_id_idx ON order_manager (event_id);

CREATE TABLE rqmnt_manager (
    rqmnt_manager_id bigint NOT NULL PRIMARY KEY,
    rqmnt_id bigint NOT NULL REFERENCES rqmnt (rqmnt_id),
    allocation_staff_id bigint NOT NULL REFERENCES staff (staff_id),
    staff_employee_id bigint REFERENCES staff (staff_id),
    allocation_team_id bigint NOT NULL REFERENCES team (team_id),
    trust_provider_team_id bigint REFERENCES team (team_id),
    trust_provider_flag smallint NOT NULL DEFAULT 0 CHECK (trust_provider_flag IN (0,1)),
    probation_area_id bigint REFERENCES probation_area (probation_area_id),
    partition_area_id bigint NOT NULL DEFAULT 0,
    allocation_date timestamp,
    end_date timestamp,
    allocation_reason_id bigint REFERENCES r_standard_reference_list (standard_reference_list_id),
    transfer_reason_id bigint REFERENCES r_transfer_reason (transfer_reason_id),
    active_flag smallint NOT NULL DEFAULT 1 CHECK (active_flag IN (0,1)),
    soft_deleted smallint NOT NULL DEFAULT 0 CHECK (soft_deleted IN (0,1)),
    row_version bigint NOT NULL DEFAULT 0,
    created_by_user_id bigint,
    last_updated_user_id bigint,
    created_datetime timestamp,
    last_updated_datetime timestamp
);
CREATE INDEX rqmnt_manager_rqmnt_id_idx ON rqmnt_manager (rqmnt_id);

CREATE TABLE lic_condition_manager (
    lic_condition_manager_id bigint NOT NULL PRIMARY KEY,
    lic_condition_id bigint NOT NULL REFERENCES lic_condition (lic_condition_id),
    allocation_staff_id bigint NOT NULL REFERENCES staff (staff_id),
    staff_employee_id bigint REFERENCES staff (staff_id),
    allocation_team_id bigint NOT NULL REFERENCES team (team_id),
    trust_provider_team_id bigint REFERENCES team (team_id),
    trust_provider_flag smallint NOT NULL DEFAULT 0 CHECK (trust_provider_flag IN (0,1)),
    probation_area_id bigint REFERENCES probation_area (probation_area_id),
    partition_area_id bigint NOT NULL DEFAULT 0,
    allocation_date timestamp,
    end_date timestamp,
    allocation_reason_id bigint REFERENCES r_standard_reference_list (standard_reference_list_id),
    transfer_reason_id bigint REFERENCES r_transfer_reason (transfer_reason_id),
    active_flag smallint NOT NULL DEFAULT 1 CHECK (active_flag IN (0,1)),
    soft_deleted smallint NOT NULL DEFAULT 0 CHECK (soft_deleted IN (0,1)),
    row_version bigint NOT NULL DEFAULT 0,
    created_by_user_id bigint,
    last_updated_user_id bigint,
    created_datetime timestamp,
    last_updated_datetime timestamp
);
CREATE INDEX lic_condition_manager_lic_condition_id_idx ON lic_condition_manager (lic_condition_id);

CREATE TABLE prison_offender_manager (
    prison_offender_manager_id bigint NOT NULL PRIMARY KEY,
    row_version bigint NOT NULL DEFAULT 0,
    offender_id bigint NOT NULL REFERENCES offender (offender_id),
    allocation_date timestamp NOT NULL,
    allocation_reason_id bigint REFERENCES r_standard_reference_list (standard_reference_list_id),
    allocation_staff_id bigint NOT NULL REFERENCES staff (staff_id),
    allocation_team_id bigint NOT NULL REFERENCES team (team_id),
    probation_area_id bigint NOT NULL REFERENCES probation_area (probation_area_id),
    end_date timestamp,
    active_flag smallint NOT NULL DEFAULT 1 CHECK (active_flag IN (0,1)),
    soft_deleted smallint NOT NULL DEFAULT 0 CHECK (soft_deleted IN (0,1)),
    email_address varchar(255),
    telephone_number varchar(35),
    partition_area_id bigint NOT NULL DEFAULT 0,
    created_by_user_id bigint NOT NULL,
    last_updated_user_id bigint NOT NULL,
    created_datetime timestamp NOT NULL,
    last_updated_datetime timestamp NOT NULL
);
CREATE INDEX prison_offender_manager_offender_id_idx ON prison_offender_manager (offender_id);

CREATE TABLE responsible_officer (
    responsible_officer_id bigint NOT NULL PRIMARY KEY,
    offender_id bigint NOT NULL REFERENCES offender (offender_id),
    offender_manager_id bigint REFERENCES offender_manager (offender_manager_id),
    prison_offender_manager_id bigint REFERENCES prison_offender_manager (prison_offender_manager_id),
    start_date timestamp NOT NULL,
    end_date timestamp,
    row_version bigint NOT NULL DEFAULT 0,
    created_by_user_id bigint,
    last_updated_user_id bigint,
    created_datetime timestamp,
    last_updated_datetime timestamp
);
CREATE INDEX responsible_officer_offender_id_idx ON responsible_officer (offender_id);

CREATE TABLE offender_transfer (
    offender_transfer_id bigint NOT NULL PRIMARY KEY,
    offender_id bigint NOT NULL REFERENCES offender (offender_id),
    status_id bigint NOT NULL REFERENCES r_standard_reference_list (standard_reference_list_id),
    soft_deleted smallint NOT NULL DEFAULT 0 CHECK (soft_deleted IN (0,1)),
    row_version bigint NOT NULL DEFAULT 0,
    created_by_user_id bigint,
    last_updated_user_id bigint,
    created_datetime timestamp,
    last_updated_datetime timestamp
);
CREATE INDEX offender_transfer_offender_id_idx ON offender_transfer (offender_id);

CREATE TABLE order_transfer (
    order_transfer_id bigint NOT NULL PRIMARY KEY,
    event_id bigint NOT NULL REFERENCES event (event_id),
    status_id bigint NOT NULL REFERENCES r_standard_reference_list (standard_reference_list_id),
    soft_deleted smallint NOT NULL DEFAULT 0 CHECK (soft_deleted IN (0,1)),
    row_version bigint NOT NULL DEFAULT 0,
    created_by_user_id bigint,
    last_updated_user_id bigint,
    created_datetime timestamp,
    last_updated_datetime timestamp
);
CREATE INDEX order_transfer_event_id_idx ON order_transfer (event_id);

CREATE TABLE rqmnt_transfer (
    rqmnt_transfer_id bigint NOT NULL PRIMARY KEY,
    rqmnt_id bigint NOT NULL REFERENCES rqmnt (rqmnt_id),
    status_id bigint NOT NULL REFERENCES r_standard_reference_list (standard_reference_list_id),
    soft_deleted smallint NOT NULL DEFAULT 0 CHECK (soft_deleted IN (0,1)),
    row_version bigint NOT NULL DEFAULT 0,
    created_by_user_id bigint,
    last_updated_user_id bigint,
    created_datetime timestamp,
    last_updated_datetime timestamp
);
CREATE INDEX rqmnt_transfer_rqmnt_id_idx ON rqmnt_transfer (rqmnt_id);

-- ===================================================================================================
-- 7. Custody and release
-- ===================================================================================================

CREATE TABLE release (
    release_id bigint NOT NULL PRIMARY KEY,
    row_version bigint NOT NULL DEFAULT 0,
    actual_release_date date NOT NULL,
    release_type_id bigint NOT NULL REFERENCES r_standard_reference_list (standard_reference_list_id),
    offender_id bigint NOT NULL REFERENCES offender (offender_id),
    custody_id bigint NOT NULL REFERENCES custody (custody_id),
    institution_id bigint,
    establishment char(1) CHECK (establishment IN ('Y','N')),
    probation_area_id bigint REFERENCES probation_area (probation_area_id),
    nomis_movement_reason_code varchar(20),
    partition_area_id bigint NOT NULL DEFAULT 0,
    soft_deleted smallint NOT NULL DEFAULT 0 CHECK (soft_deleted IN (0,1)),
    created_by_user_id bigint,
    last_updated_user_id bigint,
    created_datetime timestamp,
    last_updated_datetime timestamp,
    CONSTRAINT release_institution_fk FOREIGN KEY (institution_id, establishment)
        REFERENCES r_institution (institution_id, establishment)
);
CREATE INDEX release_custody_id_idx ON release (custody_id);
CREATE INDEX release_offender_id_idx ON release (offender_id);

CREATE TABLE recall (
    recall_id bigint NOT NULL PRIMARY KEY,
    row_version bigint NOT NULL DEFAULT 0,
    recall_date date NOT NULL,
    recall_reason_id bigint NOT NULL REFERENCES r_recall_reason (recall_reason_id),
    release_id bigint NOT NULL UNIQUE REFERENCES release (release_id),
    offender_id bigint NOT NULL REFERENCES offender (offender_id),
    nomis_movement_reason_code varchar(20),
    partition_area_id bigint NOT NULL DEFAULT 0,
    soft_deleted smallint NOT NULL DEFAULT 0 CHECK (soft_deleted IN (0,1)),
    created_by_user_id bigint,
    last_updated_user_id bigint,
    created_datetime timestamp,
    last_updated_datetime timestamp
);
CREATE INDEX recall_offender_id_idx ON recall (offender_id);

CREATE TABLE custody_history (
    custody_history_id bigint NOT NULL PRIMARY KEY,
    row_version bigint NOT NULL DEFAULT 0,
    historical_date timestamp NOT NULL,
    custody_event_type_id bigint NOT NULL REFERENCES r_standard_reference_list (standard_reference_list_id),
    detail text,
    offender_id bigint NOT NULL REFERENCES offender (offender_id),
    custody_id bigint NOT NULL REFERENCES custody (custody_id),
    partition_area_id bigint NOT NULL DEFAULT 0,
    created_by_user_id bigint,
    last_updated_user_id bigint,
    created_datetime timestamp,
    last_updated_datetime timestamp
);
CREATE INDEX custody_history_custody_id_idx ON custody_history (custody_id);

CREATE TABLE key_date (
    key_date_id bigint NOT NULL PRIMARY KEY,
    custody_id bigint NOT NULL REFERENCES custody (custody_id),
    key_date_type_id bigint NOT NULL REFERENCES r_standard_reference_list (standard_reference_list_id),
    key_date date NOT NULL,
    soft_deleted smallint NOT NULL DEFAULT 0 CHECK (soft_deleted IN (0,1)),
    partition_area_id bigint NOT NULL DEFAULT 0,
    row_version bigint NOT NULL DEFAULT 0,
    created_by_user_id bigint,
    last_updated_user_id bigint,
    created_datetime timestamp,
    last_updated_datetime timestamp
);
CREATE INDEX key_date_custody_id_idx ON key_date (custody_id, key_date_type_id);

CREATE TABLE lic_condition_transfer (
    lic_condition_transfer_id bigint NOT NULL PRIMARY KEY,
    lic_condition_id bigint NOT NULL REFERENCES lic_condition (lic_condition_id),
    status_id bigint NOT NULL REFERENCES r_standard_reference_list (standard_reference_list_id),
    status_date date,
    decision_id bigint REFERENCES r_standard_reference_list (standard_reference_list_id),
    rejection_reason_id bigint REFERENCES r_standard_reference_list (standard_reference_list_id),
    transfer_reason_id bigint REFERENCES r_transfer_reason (transfer_reason_id),
    notes text,
    request_date date,
    origin_probation_area_id bigint REFERENCES probation_area (probation_area_id),
    origin_team_id bigint REFERENCES team (team_id),
    origin_staff_id bigint REFERENCES staff (staff_id),
    receiving_probation_area_id bigint REFERENCES probation_area (probation_area_id),
    receiving_team_id bigint REFERENCES team (team_id),
    receiving_staff_id bigint REFERENCES staff (staff_id),
    master_transfer_id bigint,
    soft_deleted smallint NOT NULL DEFAULT 0 CHECK (soft_deleted IN (0,1)),
    partition_area_id bigint NOT NULL DEFAULT 0,
    row_version bigint NOT NULL DEFAULT 0,
    created_by_user_id bigint,
    last_updated_user_id bigint,
    created_datetime timestamp,
    last_updated_datetime timestamp
);
CREATE INDEX lic_condition_transfer_lic_condition_id_idx ON lic_condition_transfer (lic_condition_id);

CREATE TABLE rejected_transfer_diary (
    rejected_transfer_diary_id bigint NOT NULL PRIMARY KEY,
    offender_id bigint NOT NULL REFERENCES offender (offender_id),
    event_id bigint REFERENCES event (event_id),
    lic_condition_id bigint REFERENCES lic_condition (lic_condition_id),
    lic_condition_transfer_id bigint REFERENCES lic_condition_transfer (lic_condition_transfer_id),
    master_transfer_id bigint,
    request_date date,
    status_date date,
    target_probation_area_id bigint REFERENCES probation_area (probation_area_id),
    target_team_id bigint REFERENCES team (team_id),
    target_staff_id bigint REFERENCES staff (staff_id),
    origin_probation_area_id bigint REFERENCES probation_area (probation_area_id),
    origin_team_id bigint REFERENCES team (team_id),
    origin_staff_id bigint REFERENCES staff (staff_id),
    rejection_reason_id bigint REFERENCES r_standard_reference_list (standard_reference_list_id),
    partition_area_id bigint NOT NULL DEFAULT 0,
    row_version bigint NOT NULL DEFAULT 0,
    created_by_user_id bigint,
    last_updated_user_id bigint,
    created_datetime timestamp,
    last_updated_datetime timestamp
);
CREATE INDEX rejected_transfer_diary_offender_id_idx ON rejected_transfer_diary (offender_id);

-- ===================================================================================================
-- 4. Contacts
-- ===================================================================================================

CREATE TABLE contact (
    contact_id bigint NOT NULL PRIMARY KEY,
    row_version bigint NOT NULL DEFAULT 0,
    offender_id bigint NOT NULL REFERENCES offender (offender_id),
    event_id bigint REFERENCES event (event_id),
    rqmnt_id bigint REFERENCES rqmnt (rqmnt_id),
    lic_condition_id bigint REFERENCES lic_condition (lic_condition_id),
    nsi_id bigint REFERENCES nsi (nsi_id),
    pss_rqmnt_id bigint,
    contact_type_id bigint NOT NULL REFERENCES r_contact_type (contact_type_id),
    contact_date date NOT NULL,
    contact_start_time time,
    contact_end_time time,
    staff_id bigint REFERENCES staff (staff_id),
    staff_employee_id bigint REFERENCES staff (staff_id),
    team_id bigint REFERENCES team (team_id),
    probation_area_id bigint REFERENCES probation_area (probation_area_id),
    office_location_id bigint REFERENCES office_location (office_location_id),
    contact_outcome_type_id bigint REFERENCES r_contact_outcome_type (contact_outcome_type_id),
    attended char(1) CHECK (attended IN ('Y','N')),
    complied char(1) CHECK (complied IN ('Y','N')),
    hours_credited numeric(10,2),
    enforcement smallint CHECK (enforcement IN (0,1)),
    latest_enforcement_action_id bigint REFERENCES r_enforcement_action (enforcement_action_id),
    linked_contact_id bigint REFERENCES contact (contact_id),
    description varchar(200),
    notes text,
    alert_active char(1) CHECK (alert_active IN ('Y','N')),
    sensitive char(1) CHECK (sensitive IN ('Y','N')),
    rar_activity char(1) CHECK (rar_activity IN ('Y','N')),
    visor_contact char(1) CHECK (visor_contact IN ('Y','N')),
    visor_exported char(1) CHECK (visor_exported IN ('Y','N')),
    external_reference varchar(4000),
    nomis_case_note_id bigint,
    partition_area_id bigint NOT NULL DEFAULT 0,
    trust_provider_team_id bigint REFERENCES team (team_id),
    trust_provider_flag smallint NOT NULL DEFAULT 0 CHECK (trust_provider_flag IN (0,1)),
    soft_deleted smallint NOT NULL DEFAULT 0 CHECK (soft_deleted IN (0,1)),
    created_by_user_id bigint,
    last_updated_user_id bigint,
    created_datetime timestamp,
    last_updated_datetime timestamp
);
CREATE INDEX contact_offender_id_idx ON contact (offender_id, contact_date);
CREATE INDEX contact_external_reference_idx ON contact (external_reference);
CREATE INDEX contact_nomis_case_note_id_idx ON contact (nomis_case_note_id);
CREATE INDEX contact_event_id_idx ON contact (event_id);
CREATE INDEX contact_nsi_id_idx ON contact (nsi_id);
CREATE INDEX contact_lic_condition_id_idx ON contact (lic_condition_id);
CREATE INDEX contact_linked_contact_id_idx ON contact (linked_contact_id);

CREATE TABLE contact_alert (
    contact_alert_id bigint NOT NULL PRIMARY KEY,
    row_version bigint NOT NULL DEFAULT 0,
    offender_id bigint NOT NULL REFERENCES offender (offender_id),
    contact_id bigint REFERENCES contact (contact_id),
    contact_type_id bigint NOT NULL REFERENCES r_contact_type (contact_type_id),
    offender_manager_id bigint REFERENCES offender_manager (offender_manager_id),
    staff_employee_id bigint REFERENCES staff (staff_id),
    trust_provider_team_id bigint REFERENCES team (team_id),
    partition_area_id bigint NOT NULL DEFAULT 0,
    created_by_user_id bigint,
    last_updated_user_id bigint,
    created_datetime timestamp,
    last_updated_datetime timestamp
);
CREATE INDEX contact_alert_offender_id_idx ON contact_alert (offender_id);
CREATE INDEX contact_alert_contact_id_idx ON contact_alert (contact_id);

CREATE TABLE enforcement (
    enforcement_id bigint NOT NULL PRIMARY KEY,
    row_version bigint NOT NULL DEFAULT 0,
    contact_id bigint NOT NULL REFERENCES contact (contact_id),
    enforcement_action_id bigint NOT NULL REFERENCES r_enforcement_action (enforcement_action_id),
    response_date date,
    action_taken_date date,
    action_taken_time time,
    soft_deleted smallint NOT NULL DEFAULT 0 CHECK (soft_deleted IN (0,1)),
    partition_area_id bigint NOT NULL DEFAULT 0,
    created_by_user_id bigint,
    last_updated_user_id bigint,
    created_datetime timestamp,
    last_updated_datetime timestamp
);
CREATE INDEX enforcement_contact_id_idx ON enforcement (contact_id);

-- ===================================================================================================
-- 8. NSI children
-- ===================================================================================================

CREATE TABLE nsi_manager (
    nsi_manager_id bigint NOT NULL PRIMARY KEY,
    nsi_id bigint NOT NULL REFERENCES nsi (nsi_id),
    probation_area_id bigint NOT NULL REFERENCES probation_area (probation_area_id),
    team_id bigint NOT NULL REFERENCES team (team_id),
    staff_id bigint NOT NULL REFERENCES staff (staff_id),
    start_date timestamp NOT NULL,
    active_flag smallint NOT NULL DEFAULT 1 CHECK (active_flag IN (0,1)),
    soft_deleted smallint NOT NULL DEFAULT 0 CHECK (soft_deleted IN (0,1)),
    partition_area_id bigint NOT NULL DEFAULT 0,
    row_version bigint NOT NULL DEFAULT 0,
    created_by_user_id bigint,
    last_updated_user_id bigint,
    created_datetime timestamp,
    last_updated_datetime timestamp
);
CREATE INDEX nsi_manager_nsi_id_idx ON nsi_manager (nsi_id);

CREATE TABLE nsi_status_history (
    nsi_status_history_id bigint NOT NULL PRIMARY KEY,
    nsi_id bigint NOT NULL REFERENCES nsi (nsi_id),
    nsi_status_id bigint NOT NULL REFERENCES r_nsi_status (nsi_status_id),
    nsi_status_date timestamp NOT NULL,
    notes text,
    soft_deleted smallint NOT NULL DEFAULT 0 CHECK (soft_deleted IN (0,1)),
    partition_area_id bigint NOT NULL DEFAULT 0,
    row_version bigint NOT NULL DEFAULT 0,
    created_by_user_id bigint,
    last_updated_user_id bigint,
    created_datetime timestamp,
    last_updated_datetime timestamp
);
CREATE INDEX nsi_status_history_nsi_id_idx ON nsi_status_history (nsi_id);

-- ===================================================================================================
-- 10. Platform
-- ===================================================================================================

CREATE TABLE audited_interaction (
    date_time timestamp NOT NULL,
    business_interaction_id bigint NOT NULL REFERENCES business_interaction (business_interaction_id),
    user_id bigint NOT NULL REFERENCES user_ (user_id),
    outcome char(1) NOT NULL CHECK (outcome IN ('P','F')),
    interaction_parameters varchar(500),
    PRIMARY KEY (date_time, business_interaction_id, user_id)
);

CREATE TABLE iaps_offender (
    offender_id bigint NOT NULL PRIMARY KEY REFERENCES offender (offender_id),
    iaps_flag smallint NOT NULL CHECK (iaps_flag IN (0,1))
);

CREATE TABLE iaps_event (
    event_id bigint NOT NULL PRIMARY KEY REFERENCES event (event_id),
    iaps_flag smallint NOT NULL CHECK (iaps_flag IN (0,1))
);

CREATE TABLE iaps_requirement (
    rqmnt_id bigint NOT NULL PRIMARY KEY REFERENCES rqmnt (rqmnt_id),
    iaps_flag smallint NOT NULL CHECK (iaps_flag IN (0,1))
);

CREATE TABLE domain_event (
    domain_event_id bigint NOT NULL PRIMARY KEY,
    domain_event_type_id bigint NOT NULL REFERENCES r_standard_reference_list (standard_reference_list_id),
    message_body text NOT NULL,
    message_attributes text NOT NULL,
    created_datetime timestamp NOT NULL,
    created_by_user_id bigint,
    last_updated_user_id bigint,
    last_updated_datetime timestamp
);

-- ===================================================================================================
-- Sequences (spec 1.3): one per table with a single bigint id; START WITH 1000000 INCREMENT BY 1.
-- Not used as column defaults: services call nextval('<name>') explicitly.
-- ===================================================================================================

CREATE SEQUENCE r_reference_data_master_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE r_standard_reference_list_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE r_institution_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE probation_area_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE borough_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE district_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE team_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE staff_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE office_location_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE host_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE user_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE r_disposal_type_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE r_offence_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE r_rqmnt_type_main_category_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE r_register_type_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE r_contact_type_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE r_contact_outcome_type_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE r_enforcement_action_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE r_transfer_reason_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE r_recall_reason_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE r_lic_cond_type_main_cat_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE r_nsi_type_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE r_nsi_status_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE r_nomis_type_nsi_type_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE business_interaction_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE offender_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE offender_address_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE disability_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE event_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE disposal_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE main_offence_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE custody_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE rqmnt_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE case_allocation_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE registration_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE exclusion_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE restriction_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE lic_condition_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE nsi_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE offender_manager_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE order_manager_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE rqmnt_manager_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE lic_condition_manager_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE prison_offender_manager_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE responsible_officer_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE offender_transfer_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE order_transfer_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE rqmnt_transfer_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE release_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE recall_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE custody_history_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE key_date_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE lic_condition_transfer_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE rejected_transfer_diary_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE contact_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE contact_alert_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE enforcement_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE nsi_manager_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE nsi_status_history_id_seq START WITH 1000000 INCREMENT BY 1;
CREATE SEQUENCE domain_event_id_seq START WITH 1000000 INCREMENT BY 1;
