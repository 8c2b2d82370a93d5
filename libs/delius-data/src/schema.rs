// Diesel schema of the Delius dev/test database.
//
// Generated from /work/shared/specs/delius-schema.md (sections 3-10) via the migration
// migrations/2026-11-24-000001_delius_schema/up.sql, then checked against information_schema.
// Do not edit by hand without changing the migration (and tests/expected-schema.tsv) too.
//
// Names are the Delius names (lowercase, unquoted): `user_` is the Delius USER_ table, `rqmnt` the
// requirement table, `lic_condition` the licence-condition table, `r_*` the reference-data tables,
// `r_standard_reference_list` the codes of the code sets in `r_reference_data_master`.
// Type conventions (spec 1.2): 0/1 flags are SmallInt, Y/N flags are Bpchar (char(1)), moments are
// Timestamp holding Europe/London wall-clock time, contact_start_time/contact_end_time are Time.
// Ids come from the sequences `<table>_id_seq` (`user_id_seq` for `user_`) via explicit nextval().
// Renamed column: `key_date.key_date` is `key_date::key_date_` in Rust (diesel forbids a column named
// like its table).
// `contact` has 41 columns: diesel needs its `64-column-tables` feature.

diesel::table! {
    /// One audit row per audited service call (success or failure), written in its own transaction.
    audited_interaction (date_time, business_interaction_id, user_id) {
        date_time -> Timestamp,
        business_interaction_id -> BigInt,
        user_id -> BigInt,
        outcome -> Bpchar,
        interaction_parameters -> Nullable<Varchar>,
    }
}

diesel::table! {
    /// A probation delivery unit (PDU).
    borough (borough_id) {
        borough_id -> BigInt,
        code -> Varchar,
        description -> Nullable<Varchar>,
        probation_area_id -> Nullable<BigInt>,
        selectable -> Bpchar,
    }
}

diesel::table! {
    /// Audited business interaction codes.
    business_interaction (business_interaction_id) {
        business_interaction_id -> BigInt,
        business_interaction_code -> Varchar,
        enabled_date -> Nullable<Date>,
    }
}

diesel::table! {
    /// Case-allocation (resourcing) decisions for an event.
    case_allocation (case_allocation_id) {
        case_allocation_id -> BigInt,
        offender_id -> BigInt,
        event_id -> BigInt,
        allocation_decision_id -> Nullable<BigInt>,
        allocation_decision_date -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// An entry in a person's contact log: case notes, alerts, appointments, transfer/allocation notes, status changes, enforcement actions.
    contact (contact_id) {
        contact_id -> BigInt,
        row_version -> BigInt,
        offender_id -> BigInt,
        event_id -> Nullable<BigInt>,
        rqmnt_id -> Nullable<BigInt>,
        lic_condition_id -> Nullable<BigInt>,
        nsi_id -> Nullable<BigInt>,
        pss_rqmnt_id -> Nullable<BigInt>,
        contact_type_id -> BigInt,
        contact_date -> Date,
        contact_start_time -> Nullable<Time>,
        contact_end_time -> Nullable<Time>,
        staff_id -> Nullable<BigInt>,
        staff_employee_id -> Nullable<BigInt>,
        team_id -> Nullable<BigInt>,
        probation_area_id -> Nullable<BigInt>,
        office_location_id -> Nullable<BigInt>,
        contact_outcome_type_id -> Nullable<BigInt>,
        attended -> Nullable<Bpchar>,
        complied -> Nullable<Bpchar>,
        hours_credited -> Nullable<Numeric>,
        enforcement -> Nullable<SmallInt>,
        latest_enforcement_action_id -> Nullable<BigInt>,
        linked_contact_id -> Nullable<BigInt>,
        description -> Nullable<Varchar>,
        notes -> Nullable<Text>,
        alert_active -> Nullable<Bpchar>,
        sensitive -> Nullable<Bpchar>,
        rar_activity -> Nullable<Bpchar>,
        visor_contact -> Nullable<Bpchar>,
        visor_exported -> Nullable<Bpchar>,
        external_reference -> Nullable<Varchar>,
        nomis_case_note_id -> Nullable<BigInt>,
        partition_area_id -> BigInt,
        trust_provider_team_id -> Nullable<BigInt>,
        trust_provider_flag -> SmallInt,
        soft_deleted -> SmallInt,
        created_by_user_id -> Nullable<BigInt>,
        last_updated_user_id -> Nullable<BigInt>,
        created_datetime -> Nullable<Timestamp>,
        last_updated_datetime -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// The alert record that goes with an alert contact, addressed to the person's community manager.
    contact_alert (contact_alert_id) {
        contact_alert_id -> BigInt,
        row_version -> BigInt,
        offender_id -> BigInt,
        contact_id -> Nullable<BigInt>,
        contact_type_id -> BigInt,
        offender_manager_id -> Nullable<BigInt>,
        staff_employee_id -> Nullable<BigInt>,
        trust_provider_team_id -> Nullable<BigInt>,
        partition_area_id -> BigInt,
        created_by_user_id -> Nullable<BigInt>,
        last_updated_user_id -> Nullable<BigInt>,
        created_datetime -> Nullable<Timestamp>,
        last_updated_datetime -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// The custodial part of a custodial disposal: status and current institution.
    custody (custody_id) {
        custody_id -> BigInt,
        disposal_id -> BigInt,
        custodial_status_id -> BigInt,
        institution_id -> Nullable<BigInt>,
        establishment -> Nullable<Bpchar>,
        status_change_date -> Nullable<Date>,
        location_change_date -> Nullable<Date>,
        prisoner_number -> Nullable<Varchar>,
        soft_deleted -> SmallInt,
        row_version -> BigInt,
        created_by_user_id -> Nullable<BigInt>,
        last_updated_user_id -> Nullable<BigInt>,
        created_datetime -> Nullable<Timestamp>,
        last_updated_datetime -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// History of custodial status (TSC) and location (CPL) changes.
    custody_history (custody_history_id) {
        custody_history_id -> BigInt,
        row_version -> BigInt,
        historical_date -> Timestamp,
        custody_event_type_id -> BigInt,
        detail -> Nullable<Text>,
        offender_id -> BigInt,
        custody_id -> BigInt,
        partition_area_id -> BigInt,
        created_by_user_id -> Nullable<BigInt>,
        last_updated_user_id -> Nullable<BigInt>,
        created_datetime -> Nullable<Timestamp>,
        last_updated_datetime -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// A person's disabilities.
    disability (disability_id) {
        disability_id -> BigInt,
        offender_id -> BigInt,
        disability_type_id -> BigInt,
        notes -> Nullable<Text>,
        start_date -> Date,
        finish_date -> Nullable<Date>,
        soft_deleted -> SmallInt,
    }
}

diesel::table! {
    /// The sentence of an event.
    disposal (disposal_id) {
        disposal_id -> BigInt,
        event_id -> BigInt,
        disposal_type_id -> BigInt,
        disposal_date -> Nullable<Date>,
        entered_notional_end_date -> Nullable<Date>,
        notional_end_date -> Nullable<Date>,
        active_flag -> SmallInt,
        soft_deleted -> SmallInt,
    }
}

diesel::table! {
    /// A local delivery unit (LDU).
    district (district_id) {
        district_id -> BigInt,
        code -> Varchar,
        description -> Nullable<Varchar>,
        borough_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    /// Outbox of HMPPS domain events to be published by Delius (column names unconfirmed).
    domain_event (domain_event_id) {
        domain_event_id -> BigInt,
        domain_event_type_id -> BigInt,
        message_body -> Text,
        message_attributes -> Text,
        created_datetime -> Timestamp,
        created_by_user_id -> Nullable<BigInt>,
        last_updated_user_id -> Nullable<BigInt>,
        last_updated_datetime -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// An enforcement action raised on a non-compliant appointment.
    enforcement (enforcement_id) {
        enforcement_id -> BigInt,
        row_version -> BigInt,
        contact_id -> BigInt,
        enforcement_action_id -> BigInt,
        response_date -> Nullable<Date>,
        action_taken_date -> Nullable<Date>,
        action_taken_time -> Nullable<Time>,
        soft_deleted -> SmallInt,
        partition_area_id -> BigInt,
        created_by_user_id -> Nullable<BigInt>,
        last_updated_user_id -> Nullable<BigInt>,
        created_datetime -> Nullable<Timestamp>,
        last_updated_datetime -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// A conviction/sentence event of a person (the "order" that order managers manage).
    event (event_id) {
        event_id -> BigInt,
        offender_id -> BigInt,
        event_number -> Nullable<Varchar>,
        conviction_date -> Nullable<Date>,
        first_release_date -> Nullable<Date>,
        ftc_count -> Nullable<BigInt>,
        in_breach -> Nullable<SmallInt>,
        breach_end -> Nullable<Date>,
        active_flag -> SmallInt,
        soft_deleted -> SmallInt,
        row_version -> BigInt,
        created_by_user_id -> Nullable<BigInt>,
        last_updated_user_id -> Nullable<BigInt>,
        created_datetime -> Nullable<Timestamp>,
        last_updated_datetime -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// A user excluded from a person's record.
    exclusion (exclusion_id) {
        exclusion_id -> BigInt,
        offender_id -> BigInt,
        user_id -> BigInt,
        exclusion_end_time -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// Lead-host provider of an institution over a date range (table and column names unconfirmed).
    host (host_id) {
        host_id -> BigInt,
        institution_id -> BigInt,
        probation_area_id -> BigInt,
        lead_host -> Bpchar,
        start_date -> Nullable<Date>,
        end_date -> Nullable<Date>,
    }
}

diesel::table! {
    /// IAPS (interventions) flags, upserted with flag 1 (`MERGE … WHEN MATCHED UPDATE SET iaps_flag = 1 WHEN NOT MATCHED INSERT (key, 1)`; in PostgreSQL `INSERT … ON CONFLICT (key) DO UPDATE SET iaps_flag = 1`).
    iaps_event (event_id) {
        event_id -> BigInt,
        iaps_flag -> SmallInt,
    }
}

diesel::table! {
    /// IAPS (interventions) flags, upserted with flag 1 (`MERGE … WHEN MATCHED UPDATE SET iaps_flag = 1 WHEN NOT MATCHED INSERT (key, 1)`; in PostgreSQL `INSERT … ON CONFLICT (key) DO UPDATE SET iaps_flag = 1`).
    iaps_offender (offender_id) {
        offender_id -> BigInt,
        iaps_flag -> SmallInt,
    }
}

diesel::table! {
    /// IAPS (interventions) flags, upserted with flag 1 (`MERGE … WHEN MATCHED UPDATE SET iaps_flag = 1 WHEN NOT MATCHED INSERT (key, 1)`; in PostgreSQL `INSERT … ON CONFLICT (key) DO UPDATE SET iaps_flag = 1`).
    iaps_requirement (rqmnt_id) {
        rqmnt_id -> BigInt,
        iaps_flag -> SmallInt,
    }
}

diesel::table! {
    /// Key dates of a custodial sentence (POM handover dates `POM1`/`POM2`).
    key_date (key_date_id) {
        key_date_id -> BigInt,
        custody_id -> BigInt,
        key_date_type_id -> BigInt,
        #[sql_name = "key_date"]
        key_date_ -> Date,
        soft_deleted -> SmallInt,
        partition_area_id -> BigInt,
        row_version -> BigInt,
        created_by_user_id -> Nullable<BigInt>,
        last_updated_user_id -> Nullable<BigInt>,
        created_datetime -> Nullable<Timestamp>,
        last_updated_datetime -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// A licence condition of a custodial disposal.
    lic_condition (lic_condition_id) {
        lic_condition_id -> BigInt,
        offender_id -> BigInt,
        disposal_id -> BigInt,
        lic_cond_type_main_cat_id -> BigInt,
        lic_cond_type_sub_cat_id -> Nullable<BigInt>,
        termination_date -> Nullable<Date>,
        termination_reason_id -> Nullable<BigInt>,
        pending_transfer -> SmallInt,
        active_flag -> SmallInt,
        soft_deleted -> SmallInt,
        row_version -> BigInt,
        created_by_user_id -> Nullable<BigInt>,
        last_updated_user_id -> Nullable<BigInt>,
        created_datetime -> Nullable<Timestamp>,
        last_updated_datetime -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// The manager of a licence condition (table name unconfirmed).
    lic_condition_manager (lic_condition_manager_id) {
        lic_condition_manager_id -> BigInt,
        lic_condition_id -> BigInt,
        allocation_staff_id -> BigInt,
        staff_employee_id -> Nullable<BigInt>,
        allocation_team_id -> BigInt,
        trust_provider_team_id -> Nullable<BigInt>,
        trust_provider_flag -> SmallInt,
        probation_area_id -> Nullable<BigInt>,
        partition_area_id -> BigInt,
        allocation_date -> Nullable<Timestamp>,
        end_date -> Nullable<Timestamp>,
        allocation_reason_id -> Nullable<BigInt>,
        transfer_reason_id -> Nullable<BigInt>,
        active_flag -> SmallInt,
        soft_deleted -> SmallInt,
        row_version -> BigInt,
        created_by_user_id -> Nullable<BigInt>,
        last_updated_user_id -> Nullable<BigInt>,
        created_datetime -> Nullable<Timestamp>,
        last_updated_datetime -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// A transfer request of a licence condition to another provider (table name from the workforce specification, unconfirmed there; prison-custody-status names the entity; column names below unconfirmed except where noted).
    lic_condition_transfer (lic_condition_transfer_id) {
        lic_condition_transfer_id -> BigInt,
        lic_condition_id -> BigInt,
        status_id -> BigInt,
        status_date -> Nullable<Date>,
        decision_id -> Nullable<BigInt>,
        rejection_reason_id -> Nullable<BigInt>,
        transfer_reason_id -> Nullable<BigInt>,
        notes -> Nullable<Text>,
        request_date -> Nullable<Date>,
        origin_probation_area_id -> Nullable<BigInt>,
        origin_team_id -> Nullable<BigInt>,
        origin_staff_id -> Nullable<BigInt>,
        receiving_probation_area_id -> Nullable<BigInt>,
        receiving_team_id -> Nullable<BigInt>,
        receiving_staff_id -> Nullable<BigInt>,
        master_transfer_id -> Nullable<BigInt>,
        soft_deleted -> SmallInt,
        partition_area_id -> BigInt,
        row_version -> BigInt,
        created_by_user_id -> Nullable<BigInt>,
        last_updated_user_id -> Nullable<BigInt>,
        created_datetime -> Nullable<Timestamp>,
        last_updated_datetime -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// The main offence of an event.
    main_offence (main_offence_id) {
        main_offence_id -> BigInt,
        event_id -> BigInt,
        offence_id -> BigInt,
        soft_deleted -> SmallInt,
    }
}

diesel::table! {
    /// A non-statutory intervention; refer-and-monitor's CRS referral is one.
    nsi (nsi_id) {
        nsi_id -> BigInt,
        offender_id -> BigInt,
        nsi_type_id -> BigInt,
        nsi_status_id -> BigInt,
        nsi_status_date -> Timestamp,
        nsi_outcome_id -> Nullable<BigInt>,
        referral_date -> Date,
        actual_start_date -> Nullable<Timestamp>,
        actual_end_date -> Nullable<Timestamp>,
        notes -> Nullable<Text>,
        external_reference -> Nullable<Varchar>,
        intended_provider_id -> Nullable<BigInt>,
        event_id -> Nullable<BigInt>,
        rqmnt_id -> Nullable<BigInt>,
        rar_count -> Nullable<BigInt>,
        pending_transfer -> SmallInt,
        active_flag -> SmallInt,
        soft_deleted -> SmallInt,
        partition_area_id -> BigInt,
        row_version -> BigInt,
        created_by_user_id -> Nullable<BigInt>,
        last_updated_user_id -> Nullable<BigInt>,
        created_datetime -> Nullable<Timestamp>,
        last_updated_datetime -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// The manager of an NSI.
    nsi_manager (nsi_manager_id) {
        nsi_manager_id -> BigInt,
        nsi_id -> BigInt,
        probation_area_id -> BigInt,
        team_id -> BigInt,
        staff_id -> BigInt,
        start_date -> Timestamp,
        active_flag -> SmallInt,
        soft_deleted -> SmallInt,
        partition_area_id -> BigInt,
        row_version -> BigInt,
        created_by_user_id -> Nullable<BigInt>,
        last_updated_user_id -> Nullable<BigInt>,
        created_datetime -> Nullable<Timestamp>,
        last_updated_datetime -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// Status changes of an NSI.
    nsi_status_history (nsi_status_history_id) {
        nsi_status_history_id -> BigInt,
        nsi_id -> BigInt,
        nsi_status_id -> BigInt,
        nsi_status_date -> Timestamp,
        notes -> Nullable<Text>,
        soft_deleted -> SmallInt,
        partition_area_id -> BigInt,
        row_version -> BigInt,
        created_by_user_id -> Nullable<BigInt>,
        last_updated_user_id -> Nullable<BigInt>,
        created_datetime -> Nullable<Timestamp>,
        last_updated_datetime -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// The person on probation (Delius "offender"; "Person" in the services' domain language).
    offender (offender_id) {
        offender_id -> BigInt,
        crn -> Varchar,
        noms_number -> Nullable<Varchar>,
        first_name -> Varchar,
        second_name -> Nullable<Varchar>,
        third_name -> Nullable<Varchar>,
        surname -> Varchar,
        date_of_birth_date -> Nullable<Date>,
        gender_id -> Nullable<BigInt>,
        ethnicity_id -> Nullable<BigInt>,
        language_id -> Nullable<BigInt>,
        religion_id -> Nullable<BigInt>,
        telephone_number -> Nullable<Varchar>,
        mobile_number -> Nullable<Varchar>,
        e_mail_address -> Nullable<Varchar>,
        exclusion_message -> Nullable<Varchar>,
        restriction_message -> Nullable<Varchar>,
        current_tier -> Nullable<BigInt>,
        partition_area_id -> BigInt,
        row_version -> BigInt,
        soft_deleted -> SmallInt,
        created_by_user_id -> BigInt,
        last_updated_user_id -> BigInt,
        created_datetime -> Timestamp,
        last_updated_datetime -> Timestamp,
    }
}

diesel::table! {
    /// Addresses of a person; the main address is the live row with status `M`.
    offender_address (offender_address_id) {
        offender_address_id -> BigInt,
        offender_id -> BigInt,
        address_status_id -> Nullable<BigInt>,
        building_name -> Nullable<Varchar>,
        address_number -> Nullable<Varchar>,
        street_name -> Nullable<Varchar>,
        district -> Nullable<Varchar>,
        town_city -> Nullable<Varchar>,
        county -> Nullable<Varchar>,
        postcode -> Nullable<Varchar>,
        no_fixed_abode -> Nullable<Bpchar>,
        start_date -> Nullable<Date>,
        end_date -> Nullable<Date>,
        soft_deleted -> SmallInt,
    }
}

diesel::table! {
    /// The person's community offender manager (person manager) allocations.
    offender_manager (offender_manager_id) {
        offender_manager_id -> BigInt,
        offender_id -> BigInt,
        allocation_staff_id -> BigInt,
        staff_employee_id -> Nullable<BigInt>,
        team_id -> BigInt,
        trust_provider_team_id -> Nullable<BigInt>,
        trust_provider_flag -> SmallInt,
        probation_area_id -> Nullable<BigInt>,
        partition_area_id -> BigInt,
        allocation_date -> Nullable<Timestamp>,
        end_date -> Nullable<Timestamp>,
        allocation_reason_id -> Nullable<BigInt>,
        active_flag -> SmallInt,
        soft_deleted -> SmallInt,
        row_version -> BigInt,
        created_by_user_id -> Nullable<BigInt>,
        last_updated_user_id -> Nullable<BigInt>,
        created_datetime -> Nullable<Timestamp>,
        last_updated_datetime -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// A pending manager transfer of a person (table name unconfirmed). The licence-condition equivalent is `lic_condition_transfer` (section 7).
    offender_transfer (offender_transfer_id) {
        offender_transfer_id -> BigInt,
        offender_id -> BigInt,
        status_id -> BigInt,
        soft_deleted -> SmallInt,
        row_version -> BigInt,
        created_by_user_id -> Nullable<BigInt>,
        last_updated_user_id -> Nullable<BigInt>,
        created_datetime -> Nullable<Timestamp>,
        last_updated_datetime -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// An office of a provider.
    office_location (office_location_id) {
        office_location_id -> BigInt,
        code -> Varchar,
        description -> Nullable<Varchar>,
        building_name -> Nullable<Varchar>,
        building_number -> Nullable<Varchar>,
        street_name -> Nullable<Varchar>,
        district -> Nullable<Varchar>,
        town_city -> Nullable<Varchar>,
        county -> Nullable<Varchar>,
        postcode -> Nullable<Varchar>,
        telephone_number -> Nullable<Varchar>,
        start_date -> Nullable<Date>,
        end_date -> Nullable<Date>,
        probation_area_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    /// The manager of an event (order supervisor).
    order_manager (order_manager_id) {
        order_manager_id -> BigInt,
        event_id -> BigInt,
        allocation_staff_id -> BigInt,
        staff_employee_id -> Nullable<BigInt>,
        allocation_team_id -> BigInt,
        trust_provider_team_id -> Nullable<BigInt>,
        trust_provider_flag -> SmallInt,
        probation_area_id -> Nullable<BigInt>,
        partition_area_id -> BigInt,
        allocation_date -> Nullable<Timestamp>,
        end_date -> Nullable<Timestamp>,
        allocation_reason_id -> Nullable<BigInt>,
        transfer_reason_id -> Nullable<BigInt>,
        active_flag -> SmallInt,
        soft_deleted -> SmallInt,
        row_version -> BigInt,
        created_by_user_id -> Nullable<BigInt>,
        last_updated_user_id -> Nullable<BigInt>,
        created_datetime -> Nullable<Timestamp>,
        last_updated_datetime -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// A pending manager transfer of an event (order) (table name unconfirmed). The licence-condition equivalent is `lic_condition_transfer` (section 7).
    order_transfer (order_transfer_id) {
        order_transfer_id -> BigInt,
        event_id -> BigInt,
        status_id -> BigInt,
        soft_deleted -> SmallInt,
        row_version -> BigInt,
        created_by_user_id -> Nullable<BigInt>,
        last_updated_user_id -> Nullable<BigInt>,
        created_datetime -> Nullable<Timestamp>,
        last_updated_datetime -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// The person's prison offender manager (POM) allocations.
    prison_offender_manager (prison_offender_manager_id) {
        prison_offender_manager_id -> BigInt,
        row_version -> BigInt,
        offender_id -> BigInt,
        allocation_date -> Timestamp,
        allocation_reason_id -> Nullable<BigInt>,
        allocation_staff_id -> BigInt,
        allocation_team_id -> BigInt,
        probation_area_id -> BigInt,
        end_date -> Nullable<Timestamp>,
        active_flag -> SmallInt,
        soft_deleted -> SmallInt,
        email_address -> Nullable<Varchar>,
        telephone_number -> Nullable<Varchar>,
        partition_area_id -> BigInt,
        created_by_user_id -> BigInt,
        last_updated_user_id -> BigInt,
        created_datetime -> Timestamp,
        last_updated_datetime -> Timestamp,
    }
}

diesel::table! {
    /// A provider ("probation area"/"Trust"), including establishment providers linked to an institution.
    probation_area (probation_area_id) {
        probation_area_id -> BigInt,
        code -> Varchar,
        description -> Nullable<Varchar>,
        institution_id -> Nullable<BigInt>,
        end_date -> Nullable<Date>,
    }
}

diesel::table! {
    /// Appointment outcomes.
    r_contact_outcome_type (contact_outcome_type_id) {
        contact_outcome_type_id -> BigInt,
        code -> Varchar,
        description -> Nullable<Varchar>,
        outcome_attendance -> Nullable<Bpchar>,
        outcome_compliant_acceptable -> Nullable<Bpchar>,
        enforceable -> Nullable<Bpchar>,
    }
}

diesel::table! {
    /// Contact types.
    r_contact_type (contact_type_id) {
        contact_type_id -> BigInt,
        code -> Varchar,
        description -> Nullable<Varchar>,
        attendance_contact -> Bpchar,
        national_standards_contact -> Bpchar,
        sensitive_contact -> Bpchar,
    }
}

diesel::table! {
    /// Maps a NOMIS case-note type to a Delius contact type.
    r_contact_type_nomis_type (nomis_contact_type) {
        nomis_contact_type -> Varchar,
        contact_type_id -> BigInt,
    }
}

diesel::table! {
    /// Sentence (disposal) types.
    r_disposal_type (disposal_type_id) {
        disposal_type_id -> BigInt,
        disposal_type_code -> Varchar,
        description -> Nullable<Varchar>,
        sentence_type -> Nullable<Varchar>,
        ftc_limit -> Nullable<BigInt>,
    }
}

diesel::table! {
    /// Enforcement actions.
    r_enforcement_action (enforcement_action_id) {
        enforcement_action_id -> BigInt,
        code -> Varchar,
        description -> Nullable<Varchar>,
        response_by_period -> Nullable<BigInt>,
        contact_type_id -> BigInt,
    }
}

diesel::table! {
    /// Prisons and other institutions.
    r_institution (institution_id) {
        institution_id -> BigInt,
        establishment -> Bpchar,
        code -> Nullable<Varchar>,
        description -> Nullable<Varchar>,
        nomis_cde_code -> Nullable<Varchar>,
        irc -> Bpchar,
        secure_hospital -> Bpchar,
    }
}

diesel::table! {
    /// Licence-condition main categories.
    r_lic_cond_type_main_cat (lic_cond_type_main_cat_id) {
        lic_cond_type_main_cat_id -> BigInt,
        code -> Varchar,
        description -> Nullable<Varchar>,
    }
}

diesel::table! {
    /// Maps a NOMIS case-note type to NSI types, so a case note can be attached to the person's NSI.
    r_nomis_type_nsi_type (nomis_type_nsi_type_id) {
        nomis_type_nsi_type_id -> BigInt,
        nomis_contact_type -> Varchar,
        nsi_type_id -> BigInt,
        nsi_level -> Nullable<Varchar>,
    }
}

diesel::table! {
    /// NSI statuses, each with the contact type of its status-change contact.
    r_nsi_status (nsi_status_id) {
        nsi_status_id -> BigInt,
        code -> Varchar,
        contact_type_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    /// NSI types.
    r_nsi_type (nsi_type_id) {
        nsi_type_id -> BigInt,
        code -> Varchar,
    }
}

diesel::table! {
    /// Offence reference data.
    r_offence (offence_id) {
        offence_id -> BigInt,
        main_category_description -> Nullable<Varchar>,
        sub_category_description -> Nullable<Varchar>,
    }
}

diesel::table! {
    /// Recall reasons.
    r_recall_reason (recall_reason_id) {
        recall_reason_id -> BigInt,
        code -> Varchar,
        description -> Nullable<Varchar>,
        termination_reason_id -> Nullable<BigInt>,
        selectable -> Bpchar,
    }
}

diesel::table! {
    /// A code set ("dataset").
    r_reference_data_master (reference_data_master_id) {
        reference_data_master_id -> BigInt,
        code_set_name -> Varchar,
    }
}

diesel::table! {
    /// Register types.
    r_register_type (register_type_id) {
        register_type_id -> BigInt,
        code -> Varchar,
        register_type_flag_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    /// Requirement main categories.
    r_rqmnt_type_main_category (rqmnt_type_main_category_id) {
        rqmnt_type_main_category_id -> BigInt,
        code -> Varchar,
        description -> Nullable<Varchar>,
    }
}

diesel::table! {
    /// A code within a code set.
    r_standard_reference_list (standard_reference_list_id) {
        standard_reference_list_id -> BigInt,
        code_value -> Varchar,
        code_description -> Nullable<Varchar>,
        reference_data_master_id -> BigInt,
        selectable -> Bpchar,
    }
}

diesel::table! {
    /// Transfer reasons of manager changes.
    r_transfer_reason (transfer_reason_id) {
        transfer_reason_id -> BigInt,
        code -> Varchar,
        description -> Nullable<Varchar>,
    }
}

diesel::table! {
    /// A recall (return to custody) following a release.
    recall (recall_id) {
        recall_id -> BigInt,
        row_version -> BigInt,
        recall_date -> Date,
        recall_reason_id -> BigInt,
        release_id -> BigInt,
        offender_id -> BigInt,
        nomis_movement_reason_code -> Nullable<Varchar>,
        partition_area_id -> BigInt,
        soft_deleted -> SmallInt,
        created_by_user_id -> Nullable<BigInt>,
        last_updated_user_id -> Nullable<BigInt>,
        created_datetime -> Nullable<Timestamp>,
        last_updated_datetime -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// Register entries (risk flags) on a person: MAPPA, RoSH, victim liaison.
    registration (registration_id) {
        registration_id -> BigInt,
        offender_id -> BigInt,
        register_type_id -> BigInt,
        register_level_id -> Nullable<BigInt>,
        register_category_id -> Nullable<BigInt>,
        registration_date -> Date,
        next_review_date -> Nullable<Date>,
        deregistered -> SmallInt,
        soft_deleted -> SmallInt,
        created_datetime -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// Diary entry for an automatically rejected transfer (column names unconfirmed).
    rejected_transfer_diary (rejected_transfer_diary_id) {
        rejected_transfer_diary_id -> BigInt,
        offender_id -> BigInt,
        event_id -> Nullable<BigInt>,
        lic_condition_id -> Nullable<BigInt>,
        lic_condition_transfer_id -> Nullable<BigInt>,
        master_transfer_id -> Nullable<BigInt>,
        request_date -> Nullable<Date>,
        status_date -> Nullable<Date>,
        target_probation_area_id -> Nullable<BigInt>,
        target_team_id -> Nullable<BigInt>,
        target_staff_id -> Nullable<BigInt>,
        origin_probation_area_id -> Nullable<BigInt>,
        origin_team_id -> Nullable<BigInt>,
        origin_staff_id -> Nullable<BigInt>,
        rejection_reason_id -> Nullable<BigInt>,
        partition_area_id -> BigInt,
        row_version -> BigInt,
        created_by_user_id -> Nullable<BigInt>,
        last_updated_user_id -> Nullable<BigInt>,
        created_datetime -> Nullable<Timestamp>,
        last_updated_datetime -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// A release from custody.
    release (release_id) {
        release_id -> BigInt,
        row_version -> BigInt,
        actual_release_date -> Date,
        release_type_id -> BigInt,
        offender_id -> BigInt,
        custody_id -> BigInt,
        institution_id -> Nullable<BigInt>,
        establishment -> Nullable<Bpchar>,
        probation_area_id -> Nullable<BigInt>,
        nomis_movement_reason_code -> Nullable<Varchar>,
        partition_area_id -> BigInt,
        soft_deleted -> SmallInt,
        created_by_user_id -> Nullable<BigInt>,
        last_updated_user_id -> Nullable<BigInt>,
        created_datetime -> Nullable<Timestamp>,
        last_updated_datetime -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// Who is the person's responsible officer (a community manager or a POM) over time.
    responsible_officer (responsible_officer_id) {
        responsible_officer_id -> BigInt,
        offender_id -> BigInt,
        offender_manager_id -> Nullable<BigInt>,
        prison_offender_manager_id -> Nullable<BigInt>,
        start_date -> Timestamp,
        end_date -> Nullable<Timestamp>,
        row_version -> BigInt,
        created_by_user_id -> Nullable<BigInt>,
        last_updated_user_id -> Nullable<BigInt>,
        created_datetime -> Nullable<Timestamp>,
        last_updated_datetime -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// Restricts a person's record to the listed users.
    restriction (restriction_id) {
        restriction_id -> BigInt,
        offender_id -> BigInt,
        user_id -> BigInt,
        restriction_end_time -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// A requirement (sentence component) of a disposal.
    rqmnt (rqmnt_id) {
        rqmnt_id -> BigInt,
        offender_id -> BigInt,
        disposal_id -> BigInt,
        rqmnt_type_main_category_id -> Nullable<BigInt>,
        rqmnt_type_sub_category_id -> Nullable<BigInt>,
        ad_rqmnt_type_main_category_id -> Nullable<BigInt>,
        active_flag -> SmallInt,
        soft_deleted -> SmallInt,
    }
}

diesel::table! {
    /// The manager of a requirement (table name unconfirmed).
    rqmnt_manager (rqmnt_manager_id) {
        rqmnt_manager_id -> BigInt,
        rqmnt_id -> BigInt,
        allocation_staff_id -> BigInt,
        staff_employee_id -> Nullable<BigInt>,
        allocation_team_id -> BigInt,
        trust_provider_team_id -> Nullable<BigInt>,
        trust_provider_flag -> SmallInt,
        probation_area_id -> Nullable<BigInt>,
        partition_area_id -> BigInt,
        allocation_date -> Nullable<Timestamp>,
        end_date -> Nullable<Timestamp>,
        allocation_reason_id -> Nullable<BigInt>,
        transfer_reason_id -> Nullable<BigInt>,
        active_flag -> SmallInt,
        soft_deleted -> SmallInt,
        row_version -> BigInt,
        created_by_user_id -> Nullable<BigInt>,
        last_updated_user_id -> Nullable<BigInt>,
        created_datetime -> Nullable<Timestamp>,
        last_updated_datetime -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// A pending manager transfer of a requirement (table name unconfirmed). The licence-condition equivalent is `lic_condition_transfer` (section 7).
    rqmnt_transfer (rqmnt_transfer_id) {
        rqmnt_transfer_id -> BigInt,
        rqmnt_id -> BigInt,
        status_id -> BigInt,
        soft_deleted -> SmallInt,
        row_version -> BigInt,
        created_by_user_id -> Nullable<BigInt>,
        last_updated_user_id -> Nullable<BigInt>,
        created_datetime -> Nullable<Timestamp>,
        last_updated_datetime -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// A member of staff (practitioner, POM, or an "unallocated" placeholder whose officer code ends in `U`).
    staff (staff_id) {
        staff_id -> BigInt,
        officer_code -> Varchar,
        forename -> Varchar,
        forename2 -> Nullable<Varchar>,
        surname -> Varchar,
        probation_area_id -> Nullable<BigInt>,
        start_date -> Nullable<Date>,
        end_date -> Nullable<Date>,
        private -> SmallInt,
        row_version -> BigInt,
        created_by_user_id -> Nullable<BigInt>,
        last_updated_user_id -> Nullable<BigInt>,
        created_datetime -> Nullable<Timestamp>,
        last_updated_datetime -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// Membership of a staff member in a team.
    staff_team (staff_id, team_id) {
        staff_id -> BigInt,
        team_id -> BigInt,
        row_version -> BigInt,
        created_by_user_id -> Nullable<BigInt>,
        last_updated_user_id -> Nullable<BigInt>,
        created_datetime -> Nullable<Timestamp>,
        last_updated_datetime -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// A team within a provider.
    team (team_id) {
        team_id -> BigInt,
        code -> Varchar,
        description -> Nullable<Varchar>,
        probation_area_id -> Nullable<BigInt>,
        district_id -> Nullable<BigInt>,
        email_address -> Nullable<Varchar>,
        telephone -> Nullable<Varchar>,
        end_date -> Nullable<Date>,
    }
}

diesel::table! {
    /// Which office locations a team uses (unconfirmed).
    team_office_location (team_id, office_location_id) {
        team_id -> BigInt,
        office_location_id -> BigInt,
    }
}

diesel::table! {
    /// Delius users, including each service's audit user.
    user_ (user_id) {
        user_id -> BigInt,
        distinguished_name -> Varchar,
        forename -> Nullable<Varchar>,
        surname -> Nullable<Varchar>,
        staff_id -> Nullable<BigInt>,
    }
}

// Foreign keys as joinables: only where exactly one foreign key links the child to the parent
// (diesel allows one joinable! per pair). Ambiguous pairs left out:
//   contact -> staff (2 FKs: staff_employee_id, staff_id)
//   contact -> team (2 FKs: team_id, trust_provider_team_id)
//   lic_condition -> r_standard_reference_list (2 FKs: lic_cond_type_sub_cat_id, termination_reason_id)
//   lic_condition_manager -> staff (2 FKs: allocation_staff_id, staff_employee_id)
//   lic_condition_manager -> team (2 FKs: allocation_team_id, trust_provider_team_id)
//   lic_condition_transfer -> probation_area (2 FKs: origin_probation_area_id, receiving_probation_area_id)
//   lic_condition_transfer -> r_standard_reference_list (3 FKs: decision_id, rejection_reason_id, status_id)
//   lic_condition_transfer -> staff (2 FKs: origin_staff_id, receiving_staff_id)
//   lic_condition_transfer -> team (2 FKs: origin_team_id, receiving_team_id)
//   offender -> r_standard_reference_list (5 FKs: current_tier, ethnicity_id, gender_id, language_id, religion_id)
//   offender_manager -> staff (2 FKs: allocation_staff_id, staff_employee_id)
//   offender_manager -> team (2 FKs: team_id, trust_provider_team_id)
//   order_manager -> staff (2 FKs: allocation_staff_id, staff_employee_id)
//   order_manager -> team (2 FKs: allocation_team_id, trust_provider_team_id)
//   registration -> r_standard_reference_list (2 FKs: register_category_id, register_level_id)
//   rejected_transfer_diary -> probation_area (2 FKs: origin_probation_area_id, target_probation_area_id)
//   rejected_transfer_diary -> staff (2 FKs: origin_staff_id, target_staff_id)
//   rejected_transfer_diary -> team (2 FKs: origin_team_id, target_team_id)
//   rqmnt -> r_rqmnt_type_main_category (2 FKs: ad_rqmnt_type_main_category_id, rqmnt_type_main_category_id)
//   rqmnt_manager -> staff (2 FKs: allocation_staff_id, staff_employee_id)
//   rqmnt_manager -> team (2 FKs: allocation_team_id, trust_provider_team_id)
diesel::joinable!(audited_interaction -> business_interaction (business_interaction_id));
diesel::joinable!(audited_interaction -> user_ (user_id));
diesel::joinable!(borough -> probation_area (probation_area_id));
diesel::joinable!(case_allocation -> event (event_id));
diesel::joinable!(case_allocation -> offender (offender_id));
diesel::joinable!(case_allocation -> r_standard_reference_list (allocation_decision_id));
diesel::joinable!(contact -> event (event_id));
diesel::joinable!(contact -> lic_condition (lic_condition_id));
diesel::joinable!(contact -> nsi (nsi_id));
diesel::joinable!(contact -> offender (offender_id));
diesel::joinable!(contact -> office_location (office_location_id));
diesel::joinable!(contact -> probation_area (probation_area_id));
diesel::joinable!(contact -> r_contact_outcome_type (contact_outcome_type_id));
diesel::joinable!(contact -> r_contact_type (contact_type_id));
diesel::joinable!(contact -> r_enforcement_action (latest_enforcement_action_id));
diesel::joinable!(contact -> rqmnt (rqmnt_id));
diesel::joinable!(contact_alert -> contact (contact_id));
diesel::joinable!(contact_alert -> offender (offender_id));
diesel::joinable!(contact_alert -> offender_manager (offender_manager_id));
diesel::joinable!(contact_alert -> r_contact_type (contact_type_id));
diesel::joinable!(contact_alert -> staff (staff_employee_id));
diesel::joinable!(contact_alert -> team (trust_provider_team_id));
diesel::joinable!(custody -> disposal (disposal_id));
diesel::joinable!(custody -> r_institution (institution_id));
diesel::joinable!(custody -> r_standard_reference_list (custodial_status_id));
diesel::joinable!(custody_history -> custody (custody_id));
diesel::joinable!(custody_history -> offender (offender_id));
diesel::joinable!(custody_history -> r_standard_reference_list (custody_event_type_id));
diesel::joinable!(disability -> offender (offender_id));
diesel::joinable!(disability -> r_standard_reference_list (disability_type_id));
diesel::joinable!(disposal -> event (event_id));
diesel::joinable!(disposal -> r_disposal_type (disposal_type_id));
diesel::joinable!(district -> borough (borough_id));
diesel::joinable!(domain_event -> r_standard_reference_list (domain_event_type_id));
diesel::joinable!(enforcement -> contact (contact_id));
diesel::joinable!(enforcement -> r_enforcement_action (enforcement_action_id));
diesel::joinable!(event -> offender (offender_id));
diesel::joinable!(exclusion -> offender (offender_id));
diesel::joinable!(exclusion -> user_ (user_id));
diesel::joinable!(host -> probation_area (probation_area_id));
diesel::joinable!(host -> r_institution (institution_id));
diesel::joinable!(iaps_event -> event (event_id));
diesel::joinable!(iaps_offender -> offender (offender_id));
diesel::joinable!(iaps_requirement -> rqmnt (rqmnt_id));
diesel::joinable!(key_date -> custody (custody_id));
diesel::joinable!(key_date -> r_standard_reference_list (key_date_type_id));
diesel::joinable!(lic_condition -> disposal (disposal_id));
diesel::joinable!(lic_condition -> offender (offender_id));
diesel::joinable!(lic_condition -> r_lic_cond_type_main_cat (lic_cond_type_main_cat_id));
diesel::joinable!(lic_condition_manager -> lic_condition (lic_condition_id));
diesel::joinable!(lic_condition_manager -> probation_area (probation_area_id));
diesel::joinable!(lic_condition_manager -> r_standard_reference_list (allocation_reason_id));
diesel::joinable!(lic_condition_manager -> r_transfer_reason (transfer_reason_id));
diesel::joinable!(lic_condition_transfer -> lic_condition (lic_condition_id));
diesel::joinable!(lic_condition_transfer -> r_transfer_reason (transfer_reason_id));
diesel::joinable!(main_offence -> event (event_id));
diesel::joinable!(main_offence -> r_offence (offence_id));
diesel::joinable!(nsi -> event (event_id));
diesel::joinable!(nsi -> offender (offender_id));
diesel::joinable!(nsi -> probation_area (intended_provider_id));
diesel::joinable!(nsi -> r_nsi_status (nsi_status_id));
diesel::joinable!(nsi -> r_nsi_type (nsi_type_id));
diesel::joinable!(nsi -> r_standard_reference_list (nsi_outcome_id));
diesel::joinable!(nsi -> rqmnt (rqmnt_id));
diesel::joinable!(nsi_manager -> nsi (nsi_id));
diesel::joinable!(nsi_manager -> probation_area (probation_area_id));
diesel::joinable!(nsi_manager -> staff (staff_id));
diesel::joinable!(nsi_manager -> team (team_id));
diesel::joinable!(nsi_status_history -> nsi (nsi_id));
diesel::joinable!(nsi_status_history -> r_nsi_status (nsi_status_id));
diesel::joinable!(offender_address -> offender (offender_id));
diesel::joinable!(offender_address -> r_standard_reference_list (address_status_id));
diesel::joinable!(offender_manager -> offender (offender_id));
diesel::joinable!(offender_manager -> probation_area (probation_area_id));
diesel::joinable!(offender_manager -> r_standard_reference_list (allocation_reason_id));
diesel::joinable!(offender_transfer -> offender (offender_id));
diesel::joinable!(offender_transfer -> r_standard_reference_list (status_id));
diesel::joinable!(office_location -> probation_area (probation_area_id));
diesel::joinable!(order_manager -> event (event_id));
diesel::joinable!(order_manager -> probation_area (probation_area_id));
diesel::joinable!(order_manager -> r_standard_reference_list (allocation_reason_id));
diesel::joinable!(order_manager -> r_transfer_reason (transfer_reason_id));
diesel::joinable!(order_transfer -> event (event_id));
diesel::joinable!(order_transfer -> r_standard_reference_list (status_id));
diesel::joinable!(prison_offender_manager -> offender (offender_id));
diesel::joinable!(prison_offender_manager -> probation_area (probation_area_id));
diesel::joinable!(prison_offender_manager -> r_standard_reference_list (allocation_reason_id));
diesel::joinable!(prison_offender_manager -> staff (allocation_staff_id));
diesel::joinable!(prison_offender_manager -> team (allocation_team_id));
diesel::joinable!(probation_area -> r_institution (institution_id));
diesel::joinable!(r_contact_type_nomis_type -> r_contact_type (contact_type_id));
diesel::joinable!(r_enforcement_action -> r_contact_type (contact_type_id));
diesel::joinable!(r_nomis_type_nsi_type -> r_nsi_type (nsi_type_id));
diesel::joinable!(r_nsi_status -> r_contact_type (contact_type_id));
diesel::joinable!(r_recall_reason -> r_standard_reference_list (termination_reason_id));
diesel::joinable!(r_register_type -> r_standard_reference_list (register_type_flag_id));
diesel::joinable!(r_standard_reference_list -> r_reference_data_master (reference_data_master_id));
diesel::joinable!(recall -> offender (offender_id));
diesel::joinable!(recall -> r_recall_reason (recall_reason_id));
diesel::joinable!(recall -> release (release_id));
diesel::joinable!(registration -> offender (offender_id));
diesel::joinable!(registration -> r_register_type (register_type_id));
diesel::joinable!(rejected_transfer_diary -> event (event_id));
diesel::joinable!(rejected_transfer_diary -> lic_condition (lic_condition_id));
diesel::joinable!(rejected_transfer_diary -> lic_condition_transfer (lic_condition_transfer_id));
diesel::joinable!(rejected_transfer_diary -> offender (offender_id));
diesel::joinable!(rejected_transfer_diary -> r_standard_reference_list (rejection_reason_id));
diesel::joinable!(release -> custody (custody_id));
diesel::joinable!(release -> offender (offender_id));
diesel::joinable!(release -> probation_area (probation_area_id));
diesel::joinable!(release -> r_institution (institution_id));
diesel::joinable!(release -> r_standard_reference_list (release_type_id));
diesel::joinable!(responsible_officer -> offender (offender_id));
diesel::joinable!(responsible_officer -> offender_manager (offender_manager_id));
diesel::joinable!(responsible_officer -> prison_offender_manager (prison_offender_manager_id));
diesel::joinable!(restriction -> offender (offender_id));
diesel::joinable!(restriction -> user_ (user_id));
diesel::joinable!(rqmnt -> disposal (disposal_id));
diesel::joinable!(rqmnt -> offender (offender_id));
diesel::joinable!(rqmnt -> r_standard_reference_list (rqmnt_type_sub_category_id));
diesel::joinable!(rqmnt_manager -> probation_area (probation_area_id));
diesel::joinable!(rqmnt_manager -> r_standard_reference_list (allocation_reason_id));
diesel::joinable!(rqmnt_manager -> r_transfer_reason (transfer_reason_id));
diesel::joinable!(rqmnt_manager -> rqmnt (rqmnt_id));
diesel::joinable!(rqmnt_transfer -> r_standard_reference_list (status_id));
diesel::joinable!(rqmnt_transfer -> rqmnt (rqmnt_id));
diesel::joinable!(staff -> probation_area (probation_area_id));
diesel::joinable!(staff_team -> staff (staff_id));
diesel::joinable!(staff_team -> team (team_id));
diesel::joinable!(team -> district (district_id));
diesel::joinable!(team -> probation_area (probation_area_id));
diesel::joinable!(team_office_location -> office_location (office_location_id));
diesel::joinable!(team_office_location -> team (team_id));
diesel::joinable!(user_ -> staff (staff_id));

diesel::allow_tables_to_appear_in_same_query!(
    audited_interaction,
    borough,
    business_interaction,
    case_allocation,
    contact,
    contact_alert,
    custody,
    custody_history,
    disability,
    disposal,
    district,
    domain_event,
    enforcement,
    event,
    exclusion,
    host,
    iaps_event,
    iaps_offender,
    iaps_requirement,
    key_date,
    lic_condition,
    lic_condition_manager,
    lic_condition_transfer,
    main_offence,
    nsi,
    nsi_manager,
    nsi_status_history,
    offender,
    offender_address,
    offender_manager,
    offender_transfer,
    office_location,
    order_manager,
    order_transfer,
    prison_offender_manager,
    probation_area,
    r_contact_outcome_type,
    r_contact_type,
    r_contact_type_nomis_type,
    r_disposal_type,
    r_enforcement_action,
    r_institution,
    r_lic_cond_type_main_cat,
    r_nomis_type_nsi_type,
    r_nsi_status,
    r_nsi_type,
    r_offence,
    r_recall_reason,
    r_reference_data_master,
    r_register_type,
    r_rqmnt_type_main_category,
    r_standard_reference_list,
    r_transfer_reason,
    recall,
    registration,
    rejected_transfer_diary,
    release,
    responsible_officer,
    restriction,
    rqmnt,
    rqmnt_manager,
    rqmnt_transfer,
    staff,
    staff_team,
    team,
    team_office_location,
    user_,
);
