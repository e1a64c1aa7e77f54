//! The activation code: the identity of one subscription, forever.

use crate::code::{ACTIVATION_CODE, Symbols};

/// The identity of a subscription and of the infrastructure it licenses,
/// like `7KQ.M2X.9FD.A0C.WZ3.H8N.P4T.RP5`.
///
/// 110 random bits from the operating system plus two check characters
/// that catch every single typo and every swap of two characters. It never
/// changes when the subscription changes.
///
/// ```
/// use licensing::ActivationCode;
///
/// let code = ActivationCode::generate()?;
/// let typed = code.to_string().to_lowercase().replace('0', "o");
/// assert_eq!(typed.parse::<ActivationCode>()?, code);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ActivationCode(Symbols);

impl ActivationCode {
    /// A new random activation code (110 bits from the operating system).
    ///
    /// ```
    /// use licensing::ActivationCode;
    ///
    /// let code = ActivationCode::generate()?;
    /// assert_eq!(code.to_string().len(), 31); // like 7KQ.M2X.9FD.A0C.WZ3.H8N.P4T.RP5
    /// assert_ne!(ActivationCode::generate()?, code);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn generate() -> Result<Self, getrandom::Error> {
        let mut bits = [0u8; 14];
        getrandom::fill(&mut bits)?;
        Ok(Self(Symbols::from_value_bits(&ACTIVATION_CODE, &bits)))
    }
}

crate::code::code_type!(ActivationCode, crate::code::ACTIVATION_CODE);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::{CodeError, CodePosition, Correction};

    #[test]
    fn generated_codes_round_trip_through_text_and_bytes() {
        for _ in 0..100 {
            let code = ActivationCode::generate().unwrap();
            let text = code.to_string();
            assert_eq!(text.len(), 31);
            assert_eq!(text.matches('.').count(), 7);
            assert_eq!(ActivationCode::parse(&text), Ok(code));
            assert_eq!(ActivationCode::from_bytes(&code.to_bytes()), Some(code));
        }
    }

    #[test]
    fn generated_codes_differ() {
        let a = ActivationCode::generate().unwrap();
        let b = ActivationCode::generate().unwrap();
        assert_ne!(a, b);
    }

    #[test]
    fn parsing_forgives_case_whitespace_confusions_and_missing_dots() {
        let code = ActivationCode::generate().unwrap();
        let text = code.to_string();
        let sloppy = format!(
            "  {}\n",
            text.to_lowercase().replace('0', "o").replace('1', "l")
        );
        assert_eq!(ActivationCode::parse(&sloppy), Ok(code));
        assert_eq!(ActivationCode::parse(&text.replace('.', "")), Ok(code));
    }

    #[test]
    fn errors_say_where() {
        let code = ActivationCode::generate().unwrap();
        let text = code.to_string();

        let mut bad = text.clone().into_bytes();
        bad[5] = b'U';
        assert_eq!(
            ActivationCode::parse(std::str::from_utf8(&bad).unwrap()),
            Err(CodeError::InvalidCharacter {
                kind: "activation code",
                at: CodePosition {
                    group: 2,
                    character: 2
                },
                found: 'U'
            })
        );

        let short = &text[..30];
        assert!(matches!(
            ActivationCode::parse(short),
            Err(CodeError::WrongLength { found: 30, .. })
        ));

        // A typo in group 3, character 1 (text column 8).
        let mut typo = text.clone().into_bytes();
        let original = typo[8];
        typo[8] = if original == b'Z' { b'Y' } else { b'Z' };
        let err = ActivationCode::parse(std::str::from_utf8(&typo).unwrap()).unwrap_err();
        match &err {
            CodeError::Mistyped {
                correction: Some(Correction::Replace { at, with }),
                ..
            } => {
                assert_eq!(
                    *at,
                    CodePosition {
                        group: 3,
                        character: 1
                    }
                );
                assert_eq!(*with, original as char);
            }
            // A swap elsewhere may explain the same text; still a mistype.
            CodeError::Mistyped { .. } => {}
            other => panic!("unexpected {other:?}"),
        }
        assert!(err.to_string().contains("mistyped"), "{err}");
    }

    #[test]
    fn a_serial_number_is_not_an_activation_code() {
        let serial = crate::SerialNumber::from_components(&[crate::HardwareComponent::new(
            "machine-id",
            "4c4c4544",
        )])
        .unwrap();
        let err = ActivationCode::parse(&serial.to_string()).unwrap_err();
        assert!(err.to_string().contains("this is a serial number"), "{err}");
        // Without separators, or with the other kind's, the check
        // characters still tell it is a serial number.
        for text in [
            serial.to_string().replace('-', "."),
            serial.to_string().replace('-', ""),
        ] {
            let err = ActivationCode::parse(&text).unwrap_err();
            assert!(matches!(err, CodeError::WrongKind { .. }), "{err:?}");
            let message = err.to_string();
            assert!(
                message.starts_with(
                    "activation code: this is a serial number, not an activation code: enter the activation code (if this is one, it was mistyped, and which characters are wrong cannot be told"
                ),
                "{message}"
            );
        }
        let ungrouped = ActivationCode::generate()
            .unwrap()
            .to_string()
            .replace('.', "");
        let err = crate::SerialNumber::parse(&ungrouped).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("serial number: this is an activation code, not a serial number"),
            "{err}"
        );
    }

    #[test]
    fn json_uses_the_text_form() {
        let code = ActivationCode::generate().unwrap();
        let json = serde_json::to_string(&code).unwrap();
        assert_eq!(json, format!("\"{code}\""));
        assert_eq!(serde_json::from_str::<ActivationCode>(&json).unwrap(), code);
        assert!(serde_json::from_str::<ActivationCode>("\"7KQ.M2X\"").is_err());
    }
}
