//! The parameters stored with an audit row (`audited_interaction.interaction_parameters`).

/// The `interaction_parameters` column is `varchar(500)`, which PostgreSQL counts in characters.
pub const MAX_ENCODED_CHARS: usize = 500;

/// Ordered key/value pairs. Insertion order is kept because it is the order Delius users see in
/// the encoded string; setting an existing key replaces its value where it stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditParameters {
    pairs: Vec<(String, String)>,
}

impl AuditParameters {
    pub fn new() -> Self {
        Self::default()
    }

    /// Builder form of [`set`](Self::set).
    pub fn with(mut self, key: impl Into<String>, value: impl ToString) -> Self {
        self.set(key, value);
        self
    }

    /// Adds a pair, or replaces the value of an existing key without moving it.
    pub fn set(&mut self, key: impl Into<String>, value: impl ToString) {
        let key = key.into();
        let value = value.to_string();
        match self.pairs.iter_mut().find(|(k, _)| *k == key) {
            Some((_, existing)) => *existing = value,
            None => self.pairs.push((key, value)),
        }
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// The Delius encoding: `key='value'` joined by `,` with no space, e.g.
    /// `crn='A000001',contactId='123'`. Values are not escaped, as in Delius, so a value holding a
    /// comma or quote reads back wrongly; only the written form matters for compatibility. The
    /// result is cut to [`MAX_ENCODED_CHARS`] characters so a long value cannot fail the insert.
    pub fn encode(&self) -> String {
        let encoded = self
            .pairs
            .iter()
            .map(|(k, v)| format!("{k}='{v}'"))
            .collect::<Vec<_>>()
            .join(",");
        truncate_chars(encoded, MAX_ENCODED_CHARS)
    }
}

impl<K: Into<String>, V: ToString> FromIterator<(K, V)> for AuditParameters {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut params = Self::new();
        for (k, v) in iter {
            params.set(k, v);
        }
        params
    }
}

fn truncate_chars(mut text: String, max_chars: usize) -> String {
    if let Some((byte_index, _)) = text.char_indices().nth(max_chars) {
        text.truncate(byte_index);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_pairs_as_quoted_values_joined_without_space() {
        let params = AuditParameters::new()
            .with("crn", "A000001")
            .with("contactId", 123);
        assert_eq!(params.encode(), "crn='A000001',contactId='123'");
    }

    #[test]
    fn empty_parameters_encode_to_an_empty_string() {
        assert_eq!(AuditParameters::new().encode(), "");
    }

    #[test]
    fn keeps_insertion_order_not_key_order() {
        let params: AuditParameters = [("z", "1"), ("a", "2"), ("m", "3")].into_iter().collect();
        assert_eq!(params.encode(), "z='1',a='2',m='3'");
    }

    #[test]
    fn setting_an_existing_key_replaces_its_value_in_place() {
        let mut params = AuditParameters::new()
            .with("crn", "A000001")
            .with("contactId", "pending")
            .with("eventNumber", 1);
        params.set("contactId", 456);
        assert_eq!(params.len(), 3);
        assert_eq!(params.get("contactId"), Some("456"));
        assert_eq!(
            params.encode(),
            "crn='A000001',contactId='456',eventNumber='1'"
        );
    }

    #[test]
    fn short_encodings_are_not_truncated() {
        // 496 characters of value plus `k=''` is exactly 500: nothing may be cut.
        let value = "x".repeat(MAX_ENCODED_CHARS - 4);
        let params = AuditParameters::new().with("k", &value);
        let encoded = params.encode();
        assert_eq!(encoded.chars().count(), MAX_ENCODED_CHARS);
        assert_eq!(encoded, format!("k='{value}'"));
    }

    #[test]
    fn truncates_to_500_characters_on_a_char_boundary() {
        // Multibyte characters: a byte-based cut would land inside a character (and panic) or
        // keep too few characters.
        let value = "é✓".repeat(400);
        let params = AuditParameters::new().with("notes", &value);
        let encoded = params.encode();
        assert_eq!(encoded.chars().count(), MAX_ENCODED_CHARS);
        assert!(encoded.len() > MAX_ENCODED_CHARS, "multibyte text kept");
        let expected: String = format!("notes='{value}'")
            .chars()
            .take(MAX_ENCODED_CHARS)
            .collect();
        assert_eq!(encoded, expected);
        assert!(encoded.ends_with('✓') || encoded.ends_with('é'));
    }
}
