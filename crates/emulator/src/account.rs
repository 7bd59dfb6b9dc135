//! The account and region the emulator pretends to be, and the ARNs it writes and reads with them.

/// Account id and region used in every ARN.
#[derive(Debug, Clone)]
pub struct Account {
    pub account_id: String,
    pub region: String,
}

impl Account {
    /// `arn:aws:iot:{region}:{account}:thing/{name}`.
    pub fn thing_arn(&self, name: &str) -> String {
        format!(
            "arn:aws:iot:{}:{}:thing/{name}",
            self.region, self.account_id
        )
    }

    /// `arn:aws:iot:{region}:{account}:job/{job_id}`.
    pub fn job_arn(&self, job_id: &str) -> String {
        format!(
            "arn:aws:iot:{}:{}:job/{job_id}",
            self.region, self.account_id
        )
    }

    /// The thing name of a thing ARN of this account and region.
    ///
    /// ```
    /// use jobscope_emulator::Account;
    /// let account = Account { account_id: "123456789012".into(), region: "us-east-1".into() };
    /// assert_eq!(account.thing_of_arn("arn:aws:iot:us-east-1:123456789012:thing/t1"), Some("t1"));
    /// assert_eq!(account.thing_of_arn("arn:aws:iot:eu-west-1:123456789012:thing/t1"), None);
    /// ```
    pub fn thing_of_arn<'a>(&self, arn: &'a str) -> Option<&'a str> {
        let prefix = self.thing_arn("");
        arn.strip_prefix(prefix.as_str())
            .filter(|name| !name.is_empty())
    }
}
