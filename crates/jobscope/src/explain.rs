//! The catalogue of error explanations, written for `DescribeJobExecution`.

use crate::error::ErrorCode;

/// What an error means for this call and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Explanation {
    /// A short title.
    pub title: &'static str,
    /// What the error means for a `DescribeJobExecution` call.
    pub meaning: &'static str,
    /// Likely causes, most likely first.
    pub causes: &'static [&'static str],
    /// What to do, in order.
    pub actions: &'static [&'static str],
    /// Whether retrying the same request may succeed.
    pub retryable: bool,
}

const fn entry(
    title: &'static str,
    meaning: &'static str,
    causes: &'static [&'static str],
    actions: &'static [&'static str],
    retryable: bool,
) -> Explanation {
    Explanation {
        title,
        meaning,
        causes,
        actions,
        retryable,
    }
}

const CHECK_REQUEST_ID: &str = "If it persists, contact AWS Support with the request id.";

static INVALID_REQUEST: Explanation = entry(
    "The request was rejected as invalid",
    "The service could not accept the request's parameters, so no execution was looked up.",
    &[
        "A thingName or jobId outside the allowed characters or lengths (jobscope's validation catches these before sending).",
        "An executionNumber that is not a whole number.",
        "$next sent to the control plane, which needs a real job id.",
        "A path mangled by a proxy (double-encoded or decoded labels).",
    ],
    &[
        "Read the message: it names the bad parameter.",
        "Validate the request with jobscope and fix every field it reports.",
    ],
    false,
);

static RESOURCE_NOT_FOUND: Explanation = entry(
    "No such job execution",
    "The thing, the job, or the execution with that executionNumber does not exist where the request was sent.",
    &[
        "A typo or wrong case in thingName or jobId (names are case-sensitive).",
        "An executionNumber that belongs to another run of the job, or none at all.",
        "The thing is not a target of the job, or the job was deleted.",
        "The wrong endpoint: the ATS data endpoint (iot:Data-ATS) was used instead of the account's iot:Jobs endpoint, or another region or account.",
    ],
    &[
        "Check the names against the control plane (aws iot list-job-executions-for-thing --thing-name …).",
        "Drop executionNumber to get the latest execution.",
        "Get the data-plane endpoint with aws iot describe-endpoint --endpoint-type iot:Jobs and check the region.",
    ],
    false,
);

static THROTTLING: Explanation = entry(
    "Too many requests",
    "The request rate exceeded the account's limit for this API; nothing was looked up.",
    &[
        "Many devices or a tight loop polling DescribeJobExecution.",
        "Other Jobs API calls from the same account sharing the limit.",
    ],
    &[
        "Retry with exponential backoff and jitter.",
        "Poll less often; devices can subscribe to the jobs/notify-next MQTT topic instead of polling.",
    ],
    true,
);

static SERVICE_UNAVAILABLE: Explanation = entry(
    "The service is temporarily unavailable",
    "AWS IoT Jobs could not handle the request right now; the request itself may be fine.",
    &["A transient outage or overload in the region."],
    &[
        "Retry with exponential backoff.",
        "Check the AWS Health Dashboard for the region.",
    ],
    true,
);

static CERTIFICATE_VALIDATION: Explanation = entry(
    "The client certificate is invalid",
    "The data plane did not accept the device certificate used on the connection.",
    &[
        "An inactive, revoked or expired device certificate.",
        "A certificate not registered in this account or region.",
        "A certificate signed by a CA that is not registered.",
    ],
    &[
        "Check the certificate's status with aws iot describe-certificate.",
        "Make sure the certificate and the endpoint belong to the same account and region.",
    ],
    false,
);

static TERMINAL_STATE: Explanation = entry(
    "The execution has already ended",
    "The job execution is in a terminal state (SUCCEEDED, FAILED, TIMED_OUT, REJECTED, REMOVED or CANCELED). The device-side data plane only describes QUEUED and IN_PROGRESS executions; the control plane still describes this one.",
    &[
        "The device already reported a final status.",
        "An operator canceled the job or execution, or it timed out.",
    ],
    &[
        "Describe the same execution on the control plane (aws iot describe-job-execution) to see its final status.",
        "On a device, move on to the next job ($next) instead.",
    ],
    false,
);

static INTERNAL: Explanation = entry(
    "Internal service error",
    "AWS IoT failed while handling the request; the request itself may be fine.",
    &["A transient failure inside the service."],
    &["Retry with exponential backoff.", CHECK_REQUEST_ID],
    true,
);

static CONFLICT: Explanation = entry(
    "Conflicting update",
    "Another change to the same resource happened at the same time. DescribeJobExecution does not modify anything, so seeing this here means the server answered for a different operation.",
    &[
        "A concurrent update to the same job execution.",
        "The request reached a different operation than intended.",
    ],
    &[
        "Describe the execution again to read its current version, then retry the update with that version.",
    ],
    false,
);

static INVALID_STATE_TRANSITION: Explanation = entry(
    "Invalid status change",
    "An update asked for a status change the execution's current status does not allow (for example SUCCEEDED → IN_PROGRESS). DescribeJobExecution itself never changes status.",
    &[
        "The execution is already terminal.",
        "An update raced with another update or a cancel.",
    ],
    &["Describe the execution to see its current status before updating it."],
    false,
);

static QUOTA_EXCEEDED: Explanation = entry(
    "Service quota exceeded",
    "A quota of the account was reached.",
    &["Too many active jobs, executions or commands for the account."],
    &["Check Service Quotas for AWS IoT Device Management and request an increase."],
    false,
);

static VALIDATION: Explanation = entry(
    "Validation failed",
    "The service rejected a parameter.",
    &["A parameter outside its documented constraints."],
    &["Read the message and validate the request with jobscope."],
    false,
);

static LIMIT_EXCEEDED: Explanation = entry(
    "Limit exceeded",
    "A control-plane limit was reached (the model gives this error HTTP 410).",
    &["Too many jobs, things or executions for the account."],
    &["Check the AWS IoT quotas and request an increase."],
    false,
);

static UNAUTHORIZED: Explanation = entry(
    "Not authorized",
    "The caller is not allowed to perform this control-plane action.",
    &["The credentials' policy lacks iot:DescribeJobExecution."],
    &["Grant iot:DescribeJobExecution on the job's ARN to the caller."],
    false,
);

static VERSION_CONFLICT: Explanation = entry(
    "Version conflict",
    "The expected version did not match the resource's current version.",
    &["Another update changed the resource first."],
    &["Read the current version and retry with it."],
    false,
);

static ALREADY_EXISTS: Explanation = entry(
    "Resource already exists",
    "A create call named a resource that already exists.",
    &["The same thing or job id was created before."],
    &["Use another name, or describe the existing resource."],
    false,
);

static UNRECOGNIZED_CLIENT: Explanation = entry(
    "Unknown access key",
    "The access key id in the signature is not known to AWS in this region or partition.",
    &[
        "A mistyped or deleted access key.",
        "Credentials from another partition (aws-cn, aws-us-gov).",
        "A session token missing for temporary credentials.",
    ],
    &[
        "Check the credentials with aws sts get-caller-identity.",
        "Send the session token with temporary credentials.",
    ],
    false,
);

static INVALID_SIGNATURE: Explanation = entry(
    "The signature does not match",
    "AWS computed a different SigV4 signature than the one sent, so the request was not authenticated.",
    &[
        "A wrong secret access key.",
        "The wrong signing name or region: the data plane signs as iot-jobs-data, the control plane as iot (\"Credential should be scoped to correct service\").",
        "The path signed differently from the one sent: labels must be percent-encoded, then encoded again in the canonical request.",
        "A proxy that rewrote the path, query or Host header after signing.",
    ],
    &[
        "Check the secret key, the region and the service name in the credential scope.",
        "Sign exactly the URL that is sent, after any proxy rewriting.",
    ],
    false,
);

static INCOMPLETE_SIGNATURE: Explanation = entry(
    "Incomplete signature",
    "The Authorization header is missing parts AWS requires.",
    &["A hand-built Authorization header without Credential, SignedHeaders or Signature."],
    &["Use an SDK or jobscope's signer to build the header."],
    false,
);

static MISSING_AUTH: Explanation = entry(
    "The request was not signed",
    "The request carried no credentials, so AWS did not process it.",
    &[
        "No SigV4 signature (plain curl or fetch against an AWS endpoint).",
        "A proxy that dropped the Authorization header.",
    ],
    &["Sign the request with SigV4 (curl --aws-sigv4, an AWS SDK, or jobscope's signer)."],
    false,
);

static ACCESS_DENIED: Explanation = entry(
    "Access denied",
    "AWS authenticated the caller but refused the call.",
    &[
        "The IAM policy lacks iot:DescribeJobExecution for this job and thing.",
        "An explicit deny in an IAM, SCP or resource policy.",
    ],
    &["Check the caller's policies with the IAM policy simulator."],
    false,
);

static INVALID_ENDPOINT: Explanation = entry(
    "Wrong endpoint for the Jobs data plane",
    "The data plane must be called at the account's own iot:Jobs endpoint; the default data.jobs.iot.<region> endpoint answers \"Access Denied: Invalid endpoint\".",
    &[
        "The SDK's default endpoint was used instead of the account-specific one.",
        "An endpoint from another account or region.",
    ],
    &[
        "Run aws iot describe-endpoint --endpoint-type iot:Jobs and use https://<that address>.",
        "Keep the signing region equal to the endpoint's region.",
    ],
    false,
);

static EXPIRED_TOKEN: Explanation = entry(
    "Expired credentials",
    "The temporary credentials (session token) have expired.",
    &["An old session from STS, SSO or the IoT credentials provider."],
    &["Get fresh credentials and sign again."],
    false,
);

static UNKNOWN_OPERATION: Explanation = entry(
    "The server did not recognise the operation",
    "The endpoint answered that it has no such operation, sometimes with HTTP 200 and a wrapped error body — so the call had no effect even when the status looked fine.",
    &[
        "The wrong endpoint for the plane (a data-plane call sent to the control plane, or the reverse).",
        "A path changed by a proxy.",
    ],
    &[
        "Check the endpoint and the plane.",
        "Always check the body's shape, not just the status code.",
    ],
    false,
);

static HTTP_ERROR: Explanation = entry(
    "Error status without an error type",
    "The server answered with an error status but named no error type (no x-amzn-ErrorType header, no code or __type in the body).",
    &[
        "A proxy, load balancer or gateway answered instead of AWS.",
        "A bare 5xx from an overloaded server.",
        "An emulator that does not implement this operation.",
    ],
    &[
        "Retry if the status is 5xx or 429.",
        "Check that the endpoint is the AWS service (or the jobscope emulator) and not a proxy's error page.",
    ],
    false,
);

static NON_JSON: Explanation = entry(
    "The error body is not JSON",
    "The server answered with an error status and a body that is not JSON, so it is not an AWS restJson1 error.",
    &[
        "A proxy's or web server's HTML error page.",
        "An emulator without this API (moto answers 404 \"Not yet implemented\" for the Jobs data plane).",
        "The wrong host or path prefix.",
    ],
    &[
        "Look at the raw body and the server header.",
        "Point the endpoint at the AWS iot:Jobs endpoint or the jobscope emulator.",
    ],
    false,
);

static MALFORMED: Explanation = entry(
    "The response is not a valid DescribeJobExecution result",
    "The server reported success, but the body is not a JobExecution result (not JSON, not an object, a field of the wrong type, or an error wrapped in a 200). Nothing in it can be trusted as an execution.",
    &[
        "A wrong endpoint or a proxy that returns its own pages.",
        "A known AWS quirk: a 200 with {\"Output\":{\"__type\":\"…UnknownOperationException\"}} when the operation was not recognised.",
        "A server that does not follow the model (numbers as text, fields of the wrong type).",
    ],
    &[
        "Read the message: it names the field and position.",
        "Check the endpoint and plane; compare the raw body with the model.",
    ],
    false,
);

static NETWORK: Explanation = entry(
    "Network failure",
    "No HTTP response arrived: the connection failed before the server answered.",
    &[
        "The server is not running or the port is wrong.",
        "DNS, proxy or firewall problems; offline.",
        "In a browser, a CORS block also looks like a network failure.",
    ],
    &[
        "Check that the endpoint is reachable (curl it).",
        "Retry: transient network failures pass.",
    ],
    true,
);

static CONNECTION_REFUSED: Explanation = entry(
    "The MQTT connection was refused",
    "The device gateway did not open an MQTT session: the WebSocket upgrade was refused (a browser only reports that the connection closed) or CONNACK said no. Nothing was looked up.",
    &[
        "A wrong secret access key, or an unknown or deactivated access key id: the presigned URL's signature does not verify.",
        "Expired temporary credentials, or a session token left out (it is appended to the URL after signing).",
        "The IAM policy does not allow iot:Connect on arn:aws:iot:{region}:{account}:client/{clientId}.",
        "The wrong endpoint or region: the URL must be signed for the account's iot:Data-ATS host and its region (service iotdevicegateway).",
        "A clock more than 5 minutes off.",
    ],
    &[
        "Check the key pair and its session token: aws sts get-caller-identity with the same credentials.",
        "Get the endpoint with aws iot describe-endpoint --endpoint-type iot:Data-ATS and use its region.",
        "Allow iot:Connect in the caller's IAM policy.",
    ],
    false,
);

static SUBSCRIBE_REFUSED: Explanation = entry(
    "The reply topics could not be subscribed to",
    "The session opened, but the server refused the subscription to the request's …/accepted and …/rejected topics (SUBACK 0x80), or closed the connection, so a reply could not arrive. Nothing was published.",
    &[
        "The IAM policy does not allow iot:Subscribe on arn:aws:iot:{region}:{account}:topicfilter/$aws/things/{thingName}/jobs/*.",
        "The policy allows the subscription but not iot:Receive on the topics (arn:aws:iot:…:topic/$aws/things/{thingName}/jobs/*); AWS IoT then closes the connection on delivery.",
    ],
    &[
        "Allow iot:Subscribe, iot:Receive and iot:Publish on the thing's Jobs topics in the caller's IAM policy.",
    ],
    false,
);

static CORS: Explanation = entry(
    "Blocked by the browser (CORS)",
    "The browser refused to let the page read the response because the server sent no matching Access-Control-Allow-Origin header. The AWS Jobs data plane does not advertise CORS support.",
    &[
        "Calling an AWS endpoint directly from a web page.",
        "A local server without CORS headers on another origin.",
    ],
    &[
        "Reach the endpoint through a local forwarding proxy on the page's own origin (for example Trunk's [[proxy]]).",
        "Use the same request from curl or the AWS CLI.",
    ],
    false,
);

static REQUEST_TIMEOUT: Explanation = entry(
    "The request body arrived too slowly",
    "The server stopped waiting for the request body: it did not arrive in full within the server's time limit. Nothing was changed.",
    &[
        "A slow or stalled network between the client and the endpoint.",
        "A client that announced a Content-Length and sent fewer bytes.",
    ],
    &[
        "Retry; the AWS SDKs treat RequestTimeoutException as transient.",
        "Check that the body sent matches its Content-Length.",
    ],
    true,
);

static TIMEOUT: Explanation = entry(
    "Timed out",
    "No complete response arrived within the time limit.",
    &[
        "A slow or overloaded server.",
        "A network path that drops packets.",
    ],
    &[
        "Retry with backoff.",
        "Raise the timeout if the server is known to be slow.",
    ],
    true,
);

static ABORTED: Explanation = entry(
    "Canceled",
    "The request was canceled before a response arrived.",
    &["The user canceled it, or a newer request replaced it."],
    &["Send the request again when needed."],
    false,
);

static UNKNOWN: Explanation = entry(
    "Unrecognised error",
    "The server returned an error type this catalogue does not know.",
    &["A newer AWS error, or one from another service or a proxy."],
    &[
        "Read the message and the raw body.",
        "Retry only if the status is 5xx or 429.",
    ],
    false,
);

/// The explanation of an error code.
///
/// ```
/// use jobscope::{explain, ErrorCode};
/// let e = explain(&ErrorCode::TerminalStateException);
/// assert!(e.meaning.contains("control plane still describes"));
/// assert!(!e.retryable);
/// ```
pub fn explain(code: &ErrorCode) -> &'static Explanation {
    match code {
        ErrorCode::InvalidRequestException => &INVALID_REQUEST,
        ErrorCode::ResourceNotFoundException => &RESOURCE_NOT_FOUND,
        ErrorCode::ThrottlingException => &THROTTLING,
        ErrorCode::ServiceUnavailableException => &SERVICE_UNAVAILABLE,
        ErrorCode::CertificateValidationException => &CERTIFICATE_VALIDATION,
        ErrorCode::TerminalStateException => &TERMINAL_STATE,
        ErrorCode::InternalServerException | ErrorCode::InternalFailureException => &INTERNAL,
        ErrorCode::ConflictException => &CONFLICT,
        ErrorCode::InvalidStateTransitionException => &INVALID_STATE_TRANSITION,
        ErrorCode::ServiceQuotaExceededException => &QUOTA_EXCEEDED,
        ErrorCode::ValidationException => &VALIDATION,
        ErrorCode::LimitExceededException => &LIMIT_EXCEEDED,
        ErrorCode::UnauthorizedException => &UNAUTHORIZED,
        ErrorCode::VersionConflictException => &VERSION_CONFLICT,
        ErrorCode::ResourceAlreadyExistsException => &ALREADY_EXISTS,
        ErrorCode::UnrecognizedClientException => &UNRECOGNIZED_CLIENT,
        ErrorCode::InvalidSignatureException => &INVALID_SIGNATURE,
        ErrorCode::IncompleteSignatureException => &INCOMPLETE_SIGNATURE,
        ErrorCode::MissingAuthenticationTokenException => &MISSING_AUTH,
        ErrorCode::AccessDeniedException => &ACCESS_DENIED,
        ErrorCode::ExpiredTokenException => &EXPIRED_TOKEN,
        ErrorCode::UnknownOperationException => &UNKNOWN_OPERATION,
        ErrorCode::RequestTimeoutException => &REQUEST_TIMEOUT,
        ErrorCode::RequestEntityTooLargeException => &ENTITY_TOO_LARGE,
        ErrorCode::HttpError => &HTTP_ERROR,
        ErrorCode::NonJsonResponse => &NON_JSON,
        ErrorCode::MalformedResponse => &MALFORMED,
        ErrorCode::NetworkError => &NETWORK,
        ErrorCode::CorsBlocked => &CORS,
        ErrorCode::ConnectionRefused => &CONNECTION_REFUSED,
        ErrorCode::SubscribeRefused => &SUBSCRIBE_REFUSED,
        ErrorCode::Timeout => &TIMEOUT,
        ErrorCode::Aborted => &ABORTED,
        ErrorCode::InvalidTopic => &MQTT_INVALID_TOPIC,
        ErrorCode::InvalidJson => &MQTT_INVALID_JSON,
        ErrorCode::InvalidRequest => &MQTT_INVALID_REQUEST,
        ErrorCode::InvalidStateTransition => &MQTT_INVALID_STATE_TRANSITION,
        ErrorCode::ResourceNotFound => &MQTT_RESOURCE_NOT_FOUND,
        ErrorCode::VersionMismatch => &MQTT_VERSION_MISMATCH,
        ErrorCode::InternalError => &MQTT_INTERNAL,
        ErrorCode::RequestThrottled => &MQTT_THROTTLED,
        ErrorCode::TerminalStateReached => &MQTT_TERMINAL,
        ErrorCode::Unknown(_) => &UNKNOWN,
    }
}

static ENTITY_TOO_LARGE: Explanation = entry(
    "The request is too large",
    "The front door refused the request before any operation ran: its body is over the size the service accepts.",
    &[
        "A job document or statusDetails far over their limits in a request body.",
        "A client that sent the wrong data as the body.",
    ],
    &["Send a smaller body: check the sizes the model allows for each member."],
    false,
);

// --- The Jobs MQTT API's rejections (`…/rejected`, `ErrorResponse.code`; REFERENCE §4, MQTT.md §1) ---

static MQTT_INVALID_TOPIC: Explanation = entry(
    "No such Jobs topic",
    "The message was published under $aws/things/{thingName}/jobs/ to a topic that maps to no Jobs operation, so nothing was looked up.",
    &[
        "A misspelled operation (for example …/jobs/{jobId}/describe instead of …/jobs/{jobId}/get).",
        "A missing or extra topic level (…/jobs/get/{jobId}).",
    ],
    &[
        "Publish DescribeJobExecution to $aws/things/{thingName}/jobs/{jobId}/get ($next allowed) and read …/get/accepted and …/get/rejected.",
        "Build the topic with jobscope (buildRequest(…).mqtt) instead of by hand.",
    ],
    false,
);

static MQTT_INVALID_JSON: Explanation = entry(
    "The payload is not JSON",
    "The request payload could not be read as UTF-8 JSON, so the request was not processed.",
    &[
        "An empty or binary payload, or text that is not JSON (single quotes, a trailing comma).",
        "A client that sent the payload in another encoding.",
    ],
    &[
        "Send a JSON object, e.g. {\"clientToken\":\"…\",\"includeJobDocument\":false}; {} is fine when there is nothing to set.",
    ],
    false,
);

static MQTT_INVALID_REQUEST: Explanation = entry(
    "The request was rejected as invalid",
    "The payload was JSON but a field was not acceptable (the message names it), so no execution was looked up.",
    &[
        "A field of the wrong type: executionNumber as text, includeJobDocument as a string.",
        "A thingName or jobId in the topic outside the allowed characters or lengths.",
        "Invalid statusDetails in an update.",
    ],
    &[
        "Read the message: it names the bad field.",
        "Validate the request with jobscope and fix every field it reports.",
    ],
    false,
);

static MQTT_INVALID_STATE_TRANSITION: Explanation = entry(
    "That status change is not allowed",
    "The update asked for a status the execution cannot move to from its current one (for example SUCCEEDED to IN_PROGRESS). executionState in the rejection shows where it is now.",
    &[
        "The execution already ended, or was canceled or timed out meanwhile.",
        "A repeated update that already took effect.",
    ],
    &[
        "Read executionState in the rejection and continue from there.",
        "Describe the execution again before updating it.",
    ],
    false,
);

static MQTT_RESOURCE_NOT_FOUND: Explanation = entry(
    "No such job execution",
    "The thing, the job, or the execution with that executionNumber named by the topic does not exist.",
    &[
        "A typo or wrong case in the thing name or job id in the topic (names are case-sensitive).",
        "The thing is not a target of the job, or the job was deleted.",
        "An executionNumber that belongs to no run of the job.",
    ],
    &[
        "Check the names against the control plane (aws iot list-job-executions-for-thing --thing-name …).",
        "Use $next to get whatever is pending for the thing.",
    ],
    false,
);

static MQTT_VERSION_MISMATCH: Explanation = entry(
    "The execution changed since you read it",
    "The update's expectedVersion is not the execution's current version, so the update was not applied. executionState in the rejection shows the current state and version.",
    &[
        "Another update (from this device or another session) came first.",
        "An expectedVersion kept from an older read.",
    ],
    &[
        "Read executionState.versionNumber from the rejection (or describe the execution again) and retry the update with it.",
    ],
    false,
);

static MQTT_INTERNAL: Explanation = entry(
    "Internal service error",
    "AWS IoT failed while handling the request; the request itself may be fine.",
    &["A transient failure inside the service."],
    &["Retry with exponential backoff."],
    true,
);

static MQTT_THROTTLED: Explanation = entry(
    "Too many requests",
    "The request rate exceeded the account's limit for the Jobs API; nothing was looked up.",
    &["Many devices or a tight loop publishing Jobs requests."],
    &[
        "Retry with exponential backoff and jitter.",
        "Subscribe to $aws/things/{thingName}/jobs/notify-next instead of polling.",
    ],
    true,
);

static MQTT_TERMINAL: Explanation = entry(
    "The execution has already ended",
    "The job execution is in a terminal state (SUCCEEDED, FAILED, TIMED_OUT, REJECTED, REMOVED or CANCELED). The device API only describes QUEUED and IN_PROGRESS executions; the control plane still describes this one.",
    &[
        "The device already reported a final status.",
        "An operator canceled the job or execution, or it timed out.",
    ],
    &[
        "Describe the same execution on the control plane (aws iot describe-job-execution) to see its final status.",
        "On a device, move on to the next job ($next) instead.",
    ],
    false,
);

/// The explanation of an error, refined by its message: AccessDenied "Invalid endpoint" is an endpoint problem.
pub fn explain_error(code: &ErrorCode, message: Option<&str>) -> &'static Explanation {
    if *code == ErrorCode::AccessDeniedException
        && message.is_some_and(|m| m.to_ascii_lowercase().contains("invalid endpoint"))
    {
        return &INVALID_ENDPOINT;
    }
    explain(code)
}

/// The explanation for a code name as a user may type it (`ThrottlingException`, `com.amazonaws#Throttling…`).
pub fn explain_name(name: &str) -> &'static Explanation {
    explain(&ErrorCode::sanitize(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_explained() {
        for code in ErrorCode::KNOWN {
            let e = explain(code);
            assert!(!e.title.is_empty() && !e.meaning.is_empty(), "{code}");
            assert!(!e.causes.is_empty() && !e.actions.is_empty(), "{code}");
            assert_ne!(
                e.title, UNKNOWN.title,
                "{code} falls through to the unknown entry"
            );
        }
    }

    #[test]
    fn retryable_codes() {
        let retryable: Vec<_> = ErrorCode::KNOWN
            .iter()
            .filter(|c| explain(c).retryable)
            .map(ErrorCode::as_str)
            .collect();
        assert_eq!(
            retryable,
            [
                "ThrottlingException",
                "ServiceUnavailableException",
                "InternalServerException",
                "InternalFailureException",
                "RequestTimeoutException",
                "NetworkError",
                "Timeout",
                "InternalError",
                "RequestThrottled"
            ]
        );
    }

    #[test]
    fn names_are_sanitised_and_refined() {
        assert_eq!(
            explain_name("com.amazonaws.iot#TerminalStateException").title,
            "The execution has already ended"
        );
        assert_eq!(explain_name("NoSuchThing").title, "Unrecognised error");
        assert_eq!(
            explain_error(
                &ErrorCode::AccessDeniedException,
                Some("Access Denied: Invalid endpoint. Use describe-endpoint API")
            )
            .title,
            "Wrong endpoint for the Jobs data plane"
        );
        assert!(TERMINAL_STATE.actions[0].contains("control plane"));
        assert!(
            RESOURCE_NOT_FOUND
                .causes
                .iter()
                .any(|c| c.contains("iot:Jobs"))
        );
    }
}
