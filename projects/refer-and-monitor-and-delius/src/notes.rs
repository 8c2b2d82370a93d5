//! Contact and NSI notes text (spec 2.2.3, 3.1, 3.4, 3.5, rule 10).

/// Appends `text` to `notes` the way Delius does: `notes + "\n" + text`, so appending to no notes
/// starts with a newline. Lines of `text` that start with optional whitespace and `|` lose that
/// prefix (the reference's `trimMargin`).
pub fn append(notes: Option<&str>, text: &str) -> String {
    format!("{}\n{}", notes.unwrap_or(""), trim_margin(text))
}

fn trim_margin(text: &str) -> String {
    text.split('\n')
        .map(|line| match line.trim_start().strip_prefix('|') {
            Some(rest) => rest,
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// NSI notes on termination: the existing notes and the new text on separate lines.
pub fn join(notes: Option<&str>, text: &str) -> String {
    match notes {
        Some(existing) => format!("{existing}\n{text}"),
        None => text.to_owned(),
    }
}

/// The action plan note (spec 3.1); `kind` is `Submitted` or `Approved`.
pub fn action_plan(
    kind: &str,
    contract_type: &str,
    referral_reference: &str,
    provider: &str,
    url: &str,
) -> String {
    format!("Action Plan {kind} for {contract_type} Referral {referral_reference} with Prime Provider {provider}\n{url}")
}

/// The note recorded with an appointment outcome from R&M feedback (spec 3.4).
pub fn session_feedback(
    contract_type: &str,
    referral_reference: &str,
    provider: &str,
    url: &str,
) -> String {
    format!("Session Feedback Recorded for {contract_type} Referral {referral_reference} with Prime Provider {provider}\n{url}")
}

/// `Referral Ended for ...` (spec 3.5 step 4).
pub fn referral_ended(contract_type: &str, reference: &str, provider: &str, url: &str) -> String {
    format!("Referral Ended for {contract_type} Referral {reference} with Prime Provider {provider}\n{url}")
}

/// `End of Service Report Submitted for ...` (spec 3.5 step 4).
pub fn end_of_service_report(
    contract_type: &str,
    reference: &str,
    provider: &str,
    url: &str,
) -> String {
    format!("End of Service Report Submitted for {contract_type} Referral {reference} with Prime Provider {provider}\n{url}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_2_2_3_append_adds_a_newline_and_the_text() {
        assert_eq!(append(None, "Appointment Notes"), "\nAppointment Notes");
        assert_eq!(append(Some("Old"), "New"), "Old\nNew");
        assert_eq!(append(Some(""), "x"), "\nx");
    }

    #[test]
    fn spec_2_2_3_multi_line_text_is_kept_and_margins_are_trimmed() {
        assert_eq!(append(Some("a"), "one\ntwo"), "a\none\ntwo");
        assert_eq!(append(None, "  |one\n|two\nthree"), "\none\ntwo\nthree");
    }

    #[test]
    fn spec_3_5_termination_notes_are_joined_with_a_newline_skipping_none() {
        assert_eq!(join(None, "ended"), "ended");
        assert_eq!(join(Some("started"), "ended"), "started\nended");
    }

    #[test]
    fn spec_3_notes_texts() {
        assert_eq!(
            action_plan("Submitted", "Accommodation", "FE4536C", "Seetec", "https://ui"),
            "Action Plan Submitted for Accommodation Referral FE4536C with Prime Provider Seetec\nhttps://ui"
        );
        assert_eq!(
            session_feedback("Accommodation Referral", "FE4536C", "ProviderName", "https://ui/url"),
            "Session Feedback Recorded for Accommodation Referral Referral FE4536C with Prime Provider ProviderName\nhttps://ui/url"
        );
        assert_eq!(
            referral_ended("string", "FE4536C", "Special Provider", "https://u"),
            "Referral Ended for string Referral FE4536C with Prime Provider Special Provider\nhttps://u"
        );
        assert_eq!(
            end_of_service_report("string", "FE4536C", "Special Provider", "https://u"),
            "End of Service Report Submitted for string Referral FE4536C with Prime Provider Special Provider\nhttps://u"
        );
    }
}
