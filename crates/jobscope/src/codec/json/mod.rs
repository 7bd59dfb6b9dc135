//! JSON by hand, both ways: one string escaper for every writer ([`push_string`]) and one small pull reader for
//! every decoder ([`Reader`]). The reader replaces serde_json's deserializer in the decoders the npm package and
//! the viewer ship: it borrows unescaped strings, keeps a number's wire text (so no float is ever formatted back),
//! and says where and why a body is not what it should be, in serde_json's words.

mod error;
mod reader;
mod write;

pub use error::{JsonError, JsonErrorKind};
pub use reader::{Elements, JsonKind, Members, Number, Reader};
pub use write::{push_string, string};

/// A type read from JSON text with the [`Reader`] (the decoding half of the codec's hand-written shapes).
pub trait FromJson: Sized {
    /// Reads one value of this type.
    fn read(json: &mut Reader<'_>) -> Result<Self, JsonError>;

    /// Reads a whole JSON text holding one value of this type.
    fn from_json(text: &str) -> Result<Self, JsonError> {
        let mut json = Reader::new(text);
        let value = Self::read(&mut json)?;
        json.finish()?;
        Ok(value)
    }
}

/// Reads `null` as `None`, anything else as `T`.
impl<T: FromJson> FromJson for Option<T> {
    fn read(json: &mut Reader<'_>) -> Result<Self, JsonError> {
        if json.null()? {
            Ok(None)
        } else {
            T::read(json).map(Some)
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn read(json: &mut Reader<'_>) -> Result<Self, JsonError> {
        json.list("a sequence", T::read)
    }
}

impl FromJson for String {
    fn read(json: &mut Reader<'_>) -> Result<Self, JsonError> {
        json.string("a string").map(std::borrow::Cow::into_owned)
    }
}

impl FromJson for i64 {
    fn read(json: &mut Reader<'_>) -> Result<Self, JsonError> {
        json.i64()
    }
}
