use super::{generate_token, token_matches};

#[test]
fn tokens_match_only_when_equal() {
    let token = generate_token();
    assert_eq!(token.len(), 64);
    assert!(token.chars().all(|c| c.is_ascii_hexdigit()));
    assert!(token_matches(&token, &token));
    assert!(!token_matches(&token[..63], &token));
    assert!(!token_matches("", &token));
    let mut other = token.clone().into_bytes();
    other[10] = if other[10] == b'0' { b'1' } else { b'0' };
    assert!(!token_matches(&String::from_utf8(other).unwrap(), &token));
}

#[test]
fn generated_tokens_differ() {
    assert_ne!(generate_token(), generate_token());
}
