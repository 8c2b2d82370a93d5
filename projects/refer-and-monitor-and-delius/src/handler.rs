//! Routing and the spec's result classes (3.0): success telemetry named after the event,
//! Rejected as `ReferAndMonitorFailureReport` (acknowledged), other failures tracked under the
//! reference's exception name and returned for retry and, after three receives, the DLQ.

use anyhow::Context as _;
use async_trait::async_trait;
use messaging::outcome::find_ignored;
use messaging::{HmppsDomainEvent, Notification, NotificationHandler, Outcome};

use crate::context::Context;
use crate::errors::NotFound;
use crate::events::{action_plan, feedback, referral_end, Common, Failure};

pub const REFERRAL_ENDED: &str = "intervention.referral.ended";
pub const ACTION_PLAN_SUBMITTED: &str = "intervention.action-plan.submitted";
pub const ACTION_PLAN_APPROVED: &str = "intervention.action-plan.approved";
pub const INITIAL_ASSESSMENT_FEEDBACK: &str =
    "intervention.initial-assessment-appointment.session-feedback-submitted";
pub const SESSION_FEEDBACK: &str = "intervention.session-appointment.session-feedback-submitted";

/// The event types the queue subscribes to.
pub const EVENT_TYPES: [&str; 5] = [
    REFERRAL_ENDED,
    ACTION_PLAN_SUBMITTED,
    ACTION_PLAN_APPROVED,
    INITIAL_ASSESSMENT_FEEDBACK,
    SESSION_FEEDBACK,
];

pub struct ReferAndMonitorHandler {
    context: Context,
}

impl ReferAndMonitorHandler {
    pub fn new(context: Context) -> Self {
        Self { context }
    }

    async fn route(&self, event_type: &str, event: &HmppsDomainEvent) -> anyhow::Result<Outcome> {
        let context = &self.context;
        match event_type {
            REFERRAL_ENDED => referral_end::referral_ended(context, event).await,
            ACTION_PLAN_SUBMITTED => {
                action_plan::action_plan(context, event, action_plan::Kind::Submitted).await
            }
            ACTION_PLAN_APPROVED => {
                action_plan::action_plan(context, event, action_plan::Kind::Approved).await
            }
            INITIAL_ASSESSMENT_FEEDBACK => feedback::initial_assessment(context, event).await,
            SESSION_FEEDBACK => feedback::delivery_session(context, event).await,
            other => Ok(Outcome::ignored("UnhandledEventReceived")
                .with_all(&Common::of(event).properties())
                .with("eventType", other)),
        }
    }
}

/// The telemetry name of a retried failure: the reference's exception class where the spec
/// names one.
pub fn failure_name(error: &anyhow::Error) -> &'static str {
    if let Some(failure) = error.chain().find_map(|e| e.downcast_ref::<Failure>()) {
        failure.kind
    } else if error.chain().any(|e| e.is::<NotFound>()) {
        "NotFoundException"
    } else {
        "UnexpectedFailure"
    }
}

#[async_trait]
impl NotificationHandler for ReferAndMonitorHandler {
    async fn handle(&self, notification: &Notification) -> anyhow::Result<Outcome> {
        let event: HmppsDomainEvent = notification
            .payload()
            .context("message body is not an HMPPS domain event")?;
        let event_type = notification
            .event_type()
            .unwrap_or(event.event_type.as_str())
            .to_owned();
        let result = self.route(&event_type, &event).await;
        if let Err(error) = &result {
            if find_ignored(error).is_none() {
                let mut properties = Common::of(&event).properties();
                properties.insert("message".to_owned(), format!("{error:#}"));
                self.context
                    .telemetry
                    .track(failure_name(error), &properties);
            }
        }
        result
    }
}
