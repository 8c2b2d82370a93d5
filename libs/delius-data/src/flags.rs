//! Delius's two boolean encodings: `char(1)` 'Y'/'N' and `smallint` 0/1.

use std::io::Write;

use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::{Bpchar, SmallInt};

/// A `char(1)` flag holding 'Y' or 'N'.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, AsExpression, FromSqlRow)]
#[diesel(sql_type = Bpchar)]
pub struct YesNo(pub bool);

/// A `smallint` flag holding 0 or 1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, AsExpression, FromSqlRow)]
#[diesel(sql_type = SmallInt)]
pub struct ZeroOne(pub bool);

impl YesNo {
    pub const YES: Self = Self(true);
    pub const NO: Self = Self(false);

    pub fn as_str(self) -> &'static str {
        if self.0 {
            "Y"
        } else {
            "N"
        }
    }
}

impl ZeroOne {
    pub const ONE: Self = Self(true);
    pub const ZERO: Self = Self(false);

    pub fn as_i16(self) -> i16 {
        i16::from(self.0)
    }
}

impl From<bool> for YesNo {
    fn from(b: bool) -> Self {
        Self(b)
    }
}

impl From<bool> for ZeroOne {
    fn from(b: bool) -> Self {
        Self(b)
    }
}

impl ToSql<Bpchar, Pg> for YesNo {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        out.write_all(self.as_str().as_bytes())?;
        Ok(serialize::IsNull::No)
    }
}

impl FromSql<Bpchar, Pg> for YesNo {
    fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
        match value.as_bytes() {
            b"Y" => Ok(Self(true)),
            b"N" => Ok(Self(false)),
            other => Err(format!(
                "expected 'Y' or 'N', found {:?}",
                String::from_utf8_lossy(other)
            )
            .into()),
        }
    }
}

impl ToSql<SmallInt, Pg> for ZeroOne {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        out.write_all(&self.as_i16().to_be_bytes())?;
        Ok(serialize::IsNull::No)
    }
}

impl FromSql<SmallInt, Pg> for ZeroOne {
    fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
        match <i16 as FromSql<SmallInt, Pg>>::from_sql(value)? {
            0 => Ok(Self(false)),
            1 => Ok(Self(true)),
            other => Err(format!("expected 0 or 1, found {other}").into()),
        }
    }
}
