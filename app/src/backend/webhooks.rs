//! Webhooks: an administrator registers a URL per API client (see [`super::api_clients`]) for
//! the case events of the client's institution: `filed` (a case was registered), `transition`
//! (any later step of its workflow, or an expired term) and `answered` (the institution gave
//! its answer; sent besides the `transition` of that step).
//!
//! Every event is a row of `webhook_delivery` per interested webhook, written in the same
//! transaction as the case change ([`enqueue_case_event`], called where the change is
//! persisted): a change and its deliveries are committed, or lost, together. The webhook sender
//! worker in `server` posts what is committed, signed with the webhook's secret ([`sign`]),
//! and retries with backoff. A delivery is claimed before it is sent ([`claim`]), so several
//! server instances never send the same one at the same time; a sender that dies mid-send
//! leaves its claim to run out, and another sends it again (receivers de-duplicate by the
//! event id, the same at every attempt).
//!
//! The body carries no personal data of the petitioner: the case's number, state, kind,
//! institution, department and term, and the step (its name, from and to states, the role
//! that took it). Whoever needs more reads the case with the client's credentials.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::auth::access::Account;
use super::auth::one_time::hex;
use super::entity::{api_client, petition_case, webhook, webhook_delivery};
use crate::model::account::Role;
use crate::model::{AppError, FieldErrors};
use crate::workflow::{Event, HistoryEntry, HistoryKind};

/// The events a webhook may ask for.
pub mod event {
    pub const FILED: &str = "filed";
    pub const TRANSITION: &str = "transition";
    pub const ANSWERED: &str = "answered";
    pub const ALL: [&str; 3] = [FILED, TRANSITION, ANSWERED];
    /// Stored for a webhook that wants every event (also ones added later).
    pub const EVERY: &str = "*";
}

/// Delivery statuses.
pub mod status {
    pub const PENDING: &str = "pending";
    pub const SENDING: &str = "sending";
    pub const DELIVERED: &str = "delivered";
    /// Given up after the last attempt; an administrator may retry it.
    pub const FAILED: &str = "failed";
}

/// What a secret starts with (the whole string, prefix included, is the HMAC key).
pub const SECRET_PREFIX: &str = "whsec_";

/// The longest URL accepted.
const MAX_URL: usize = 2000;

/// A webhook as the administrator sees it (never its secret).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WebhookView {
    pub id: i64,
    pub client_id: i64,
    pub institution_id: i64,
    pub url: String,
    /// `["*"]` (every event) or some of `filed`, `transition`, `answered`.
    pub events: Vec<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

fn view(w: webhook::Model, institution_id: i64) -> WebhookView {
    WebhookView {
        id: w.id,
        client_id: w.client_id,
        institution_id,
        url: w.url,
        events: w.events.split(',').map(str::to_string).collect(),
        active: w.active,
        created_at: w.created_at,
    }
}

/// A webhook just registered, with its secret in clear (shown this once).
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CreatedWebhook {
    #[serde(flatten)]
    pub webhook: WebhookView,
    pub secret: String,
}

/// A new webhook: the client it belongs to, where to post, and which events (all when left
/// out).
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    pub client_id: i64,
    pub url: String,
    #[serde(default)]
    pub events: Option<Vec<String>>,
}

/// A change of a webhook: switched off (no new deliveries; pending ones wait) or on again.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookPatch {
    pub active: bool,
}

/// A delivery as the administrator sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DeliveryView {
    pub id: i64,
    pub webhook_id: i64,
    pub event_id: String,
    pub event: String,
    pub case_id: i64,
    /// `pending`, `sending`, `delivered` or `failed`.
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
    /// The receiver's HTTP status at the last attempt (none: no answer, e.g. a timeout).
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    /// The body posted.
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
}

impl From<webhook_delivery::Model> for DeliveryView {
    fn from(d: webhook_delivery::Model) -> Self {
        DeliveryView {
            id: d.id,
            webhook_id: d.webhook_id,
            payload: serde_json::from_str(&d.payload).unwrap_or(serde_json::Value::Null),
            event_id: d.event_id,
            event: d.event_type,
            case_id: d.case_id,
            status: d.status,
            attempts: d.attempts,
            next_attempt_at: d.next_attempt_at,
            delivered_at: d.delivered_at,
            last_status: d.last_status,
            last_error: d.last_error,
            created_at: d.created_at,
        }
    }
}

fn invalid(field: &str, code: &str, message: &str) -> AppError {
    let mut fields = FieldErrors::new();
    fields.insert(field.into(), vec![code.into()]);
    AppError::Validation {
        message: message.into(),
        fields,
    }
}

/// An address a server on the public internet may be made to call: not loopback, private,
/// link-local, shared (CGNAT), unspecified, multicast or reserved.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || a >= 240
                || (a == 100 && (64..128).contains(&b)))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
    }
}

/// Checks a webhook URL: `http` or `https`, a host, no credentials, at most 2000 characters.
/// In production (`public_only`) the host must not be a loopback or private address, nor
/// `localhost` (names are checked again at each delivery, when they are resolved). Returns the
/// URL as it will be used.
pub fn check_url(raw: &str, public_only: bool) -> Result<url::Url, AppError> {
    let raw = raw.trim();
    if raw.is_empty() || raw.chars().count() > MAX_URL {
        return Err(invalid(
            "url",
            "length",
            "a webhook needs a URL of at most 2000 characters",
        ));
    }
    let url = url::Url::parse(raw)
        .map_err(|_| invalid("url", "url", "the webhook URL is not a valid URL"))?;
    // Stored as normalised (percent-encoded, punycode), which may be longer.
    if url.as_str().len() > MAX_URL {
        return Err(invalid(
            "url",
            "length",
            "a webhook needs a URL of at most 2000 characters",
        ));
    }
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid(
            "url",
            "scheme",
            "a webhook URL must start with http:// or https://",
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "url",
            "credentials",
            "a webhook URL must not carry a user name or password (the signature authenticates the portal)",
        ));
    }
    let private = match url.host() {
        None => return Err(invalid("url", "host", "the webhook URL has no host")),
        Some(url::Host::Ipv4(ip)) => !is_public(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => !is_public(IpAddr::V6(ip)),
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
    };
    if public_only && private {
        return Err(invalid(
            "url",
            "private_address",
            "in production a webhook URL must not point to a loopback or private address",
        ));
    }
    Ok(url)
}

/// Reads the events asked for: all when none or `*` is given, else a non-empty list of
/// `filed`, `transition`, `answered`. Returns the stored form.
fn parse_events(events: Option<Vec<String>>) -> Result<String, AppError> {
    let Some(list) = events else {
        return Ok(event::EVERY.to_string());
    };
    if list.is_empty() {
        return Err(invalid(
            "events",
            "required",
            "name at least one event, or leave `events` out for all",
        ));
    }
    if list.iter().any(|e| e == event::EVERY) {
        return Ok(event::EVERY.to_string());
    }
    let mut chosen = Vec::new();
    for e in &list {
        if !event::ALL.contains(&e.as_str()) {
            return Err(invalid(
                "events",
                "choice",
                "events are `filed`, `transition`, `answered` (or `*` for all)",
            ));
        }
    }
    // In a fixed order, each once.
    for e in event::ALL {
        if list.iter().any(|x| x == e) {
            chosen.push(e);
        }
    }
    Ok(chosen.join(","))
}

fn wants(stored: &str, event_type: &str) -> bool {
    stored
        .split(',')
        .any(|e| e == event::EVERY || e == event_type)
}

fn require_admin(account: &Account) -> Result<(), AppError> {
    if account.has_role(Role::Admin) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Records an administrator's change to a webhook in its institution's audit chain.
async fn record_change(
    txn: &sea_orm::DatabaseTransaction,
    admin: &Account,
    action: &str,
    hook: &webhook::Model,
    institution_id: i64,
) -> Result<(), AppError> {
    super::audit::record(
        txn,
        super::audit::Entry::new(action)
            .chain(Some(institution_id))
            .by(Some(admin.user_id), "admin")
            .target("webhook", hook.id)
            .details(
                json!({ "client_id": hook.client_id, "url": hook.url, "events": hook.events }),
            ),
        Utc::now(),
    )
    .await?;
    Ok(())
}

/// Webhook `id` with its client, if `admin` administers the client's institution (else
/// `NotFound`: another institution's webhooks do not exist for them).
async fn in_scope<C: ConnectionTrait>(
    db: &C,
    admin: &Account,
    id: i64,
) -> Result<(webhook::Model, api_client::Model), AppError> {
    require_admin(admin)?;
    let (hook, client) = webhook::Entity::find_by_id(id)
        .find_also_related(api_client::Entity)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let client = client
        .filter(|c| admin.administers(c.institution_id))
        .ok_or(AppError::NotFound)?;
    Ok((hook, client))
}

/// Registers a webhook of client `new.client_id` (an administrator of the client's
/// institution, or a global one). The secret is in the answer, this once.
pub async fn create<C: super::audit::Connection>(
    db: &C,
    admin: &Account,
    new: NewWebhook,
    public_only: bool,
    now: DateTime<Utc>,
) -> Result<CreatedWebhook, AppError> {
    require_admin(admin)?;
    let client = api_client::Entity::find_by_id(new.client_id)
        .one(db)
        .await?
        .filter(|c| admin.administers(c.institution_id))
        .ok_or_else(|| invalid("client_id", "choice", "no such API client"))?;
    if client.revoked_at.is_some() {
        return Err(invalid(
            "client_id",
            "revoked",
            "the API client's key was revoked",
        ));
    }
    let url = check_url(&new.url, public_only)?;
    let events = parse_events(new.events)?;
    let secret = format!("{SECRET_PREFIX}{}", hex(&rand::random::<[u8; 32]>()));
    let txn = db.begin().await?;
    let row = webhook::ActiveModel {
        client_id: Set(client.id),
        url: Set(url.to_string()),
        secret: Set(secret.clone()),
        events: Set(events),
        active: Set(true),
        created_by: Set(Some(admin.user_id)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record_change(
        &txn,
        admin,
        "admin.webhook.create",
        &row,
        client.institution_id,
    )
    .await?;
    txn.commit().await?;
    tracing::info!(
        webhook = row.id,
        client = client.id,
        "a webhook was registered"
    );
    Ok(CreatedWebhook {
        webhook: view(row, client.institution_id),
        secret,
    })
}

/// The webhooks of the institutions `admin` administers (of one client, if given), newest
/// first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    admin: &Account,
    client_id: Option<i64>,
) -> Result<Vec<WebhookView>, AppError> {
    require_admin(admin)?;
    let mut q = webhook::Entity::find().find_also_related(api_client::Entity);
    if let Some(id) = client_id {
        q = q.filter(webhook::Column::ClientId.eq(id));
    }
    Ok(q.order_by_desc(webhook::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(w, c)| {
            c.filter(|c| admin.administers(c.institution_id))
                .map(|c| view(w, c.institution_id))
        })
        .collect())
}

/// One webhook.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    admin: &Account,
    id: i64,
) -> Result<WebhookView, AppError> {
    let (hook, client) = in_scope(db, admin, id).await?;
    Ok(view(hook, client.institution_id))
}

/// Switches a webhook off (no new deliveries are queued and queued ones wait) or on again.
pub async fn set_active<C: super::audit::Connection>(
    db: &C,
    admin: &Account,
    id: i64,
    active: bool,
) -> Result<WebhookView, AppError> {
    let (hook, client) = in_scope(db, admin, id).await?;
    let txn = db.begin().await?;
    let mut row = hook.into_active_model();
    row.active = Set(active);
    let row = row.update(&txn).await?;
    let verb = if active {
        "admin.webhook.enable"
    } else {
        "admin.webhook.disable"
    };
    record_change(&txn, admin, verb, &row, client.institution_id).await?;
    txn.commit().await?;
    if active {
        wake();
    }
    Ok(view(row, client.institution_id))
}

/// Removes a webhook with its deliveries.
pub async fn delete<C: super::audit::Connection>(
    db: &C,
    admin: &Account,
    id: i64,
) -> Result<(), AppError> {
    let (hook, client) = in_scope(db, admin, id).await?;
    let txn = db.begin().await?;
    webhook_delivery::Entity::delete_many()
        .filter(webhook_delivery::Column::WebhookId.eq(hook.id))
        .exec(&txn)
        .await?;
    webhook::Entity::delete_by_id(hook.id).exec(&txn).await?;
    record_change(
        &txn,
        admin,
        "admin.webhook.delete",
        &hook,
        client.institution_id,
    )
    .await?;
    txn.commit().await?;
    tracing::info!(webhook = hook.id, "a webhook was removed");
    Ok(())
}

/// The latest deliveries of a webhook (at most 100, newest first), optionally of one status.
pub async fn deliveries<C: ConnectionTrait>(
    db: &C,
    admin: &Account,
    webhook_id: i64,
    only: Option<&str>,
) -> Result<Vec<DeliveryView>, AppError> {
    let (hook, _) = in_scope(db, admin, webhook_id).await?;
    let mut q =
        webhook_delivery::Entity::find().filter(webhook_delivery::Column::WebhookId.eq(hook.id));
    if let Some(s) = only.filter(|s| !s.is_empty()) {
        q = q.filter(webhook_delivery::Column::Status.eq(s));
    }
    Ok(q.order_by_desc(webhook_delivery::Column::Id)
        .limit(100)
        .all(db)
        .await?
        .into_iter()
        .map(DeliveryView::from)
        .collect())
}

/// Queues a delivery again at once: a failed one starts its attempts over; a pending one is
/// tried now. A delivered one, or one being sent, is left as it is (`Conflict`).
pub async fn retry<C: super::audit::Connection>(
    db: &C,
    admin: &Account,
    webhook_id: i64,
    delivery_id: i64,
    now: DateTime<Utc>,
) -> Result<DeliveryView, AppError> {
    let (hook, client) = in_scope(db, admin, webhook_id).await?;
    let row = webhook_delivery::Entity::find_by_id(delivery_id)
        .filter(webhook_delivery::Column::WebhookId.eq(hook.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let attempts = match row.status.as_str() {
        status::FAILED => 0,
        status::PENDING => row.attempts,
        _ => {
            return Err(AppError::Conflict(
                "only a failed or pending delivery is tried again".into(),
            ));
        }
    };
    let txn = db.begin().await?;
    let updated = webhook_delivery::Entity::update_many()
        .col_expr(
            webhook_delivery::Column::Status,
            Expr::value(status::PENDING),
        )
        .col_expr(webhook_delivery::Column::Attempts, Expr::value(attempts))
        .col_expr(webhook_delivery::Column::NextAttemptAt, Expr::value(now))
        .filter(webhook_delivery::Column::Id.eq(row.id))
        .filter(webhook_delivery::Column::Status.eq(row.status.clone()))
        .filter(webhook_delivery::Column::Attempts.eq(row.attempts))
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::Conflict(
            "the delivery is being sent; look again in a moment".into(),
        ));
    }
    super::audit::record(
        &txn,
        super::audit::Entry::new("admin.webhook.retry")
            .chain(Some(client.institution_id))
            .by(Some(admin.user_id), "admin")
            .target("webhook_delivery", row.id)
            .details(json!({ "webhook_id": hook.id, "status": row.status })),
        now,
    )
    .await?;
    txn.commit().await?;
    wake();
    tracing::info!(
        delivery = row.id,
        "a webhook delivery was queued again by an administrator"
    );
    let fresh = webhook_delivery::Entity::find_by_id(row.id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(fresh.into())
}

/// The events an applied workflow event is, for webhooks: the registration of a filing is
/// `filed`; any other step, and an expired term, a `transition`, and the step that gives the
/// answer also `answered`. Reminders are the staff's business: none.
pub fn event_types(event: &Event, history: &HistoryEntry) -> Vec<&'static str> {
    match event {
        Event::Transition { id, .. } if id == super::filing::REGISTER => vec![event::FILED],
        Event::Transition { .. } if history.outcome.is_some() => {
            vec![event::TRANSITION, event::ANSWERED]
        }
        Event::Transition { .. } => vec![event::TRANSITION],
        Event::TimerExpired { .. } if history.kind != HistoryKind::Reminder => {
            vec![event::TRANSITION]
        }
        Event::TimerExpired { .. } | Event::ReminderDue { .. } => vec![],
    }
}

/// The body of one event: its id, type and moment, the case (no personal data) and the step.
pub fn payload(
    event_id: &str,
    event_type: &str,
    case: &petition_case::Model,
    history: &HistoryEntry,
    now: DateTime<Utc>,
) -> serde_json::Value {
    json!({
        "id": event_id,
        "event": event_type,
        "occurred_at": now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "case": {
            "id": case.id,
            "registration_number": case.registration_number,
            "status": case.status,
            "kind": case.kind,
            "institution_id": case.institution_id,
            "department_id": case.department_id,
            "answer_due": case.answer_due,
            "overdue": case.overdue,
            "outcome": case.outcome,
        },
        "transition": {
            "id": history.name(),
            "from": history.from_state,
            "to": history.to_state,
            "actor_role": history.actor_role.code(),
            "public": history.public,
        },
    })
}

/// Queues the deliveries of one applied event on `case` (as it is after the event) to the
/// active webhooks of the live clients of its institution, inside the caller's transaction.
/// Returns how many were queued.
pub async fn enqueue_case_event<C: ConnectionTrait>(
    db: &C,
    case: &petition_case::Model,
    event: &Event,
    history: &HistoryEntry,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let types = event_types(event, history);
    if types.is_empty() {
        return Ok(0);
    }
    let hooks = webhook::Entity::find()
        .inner_join(api_client::Entity)
        .filter(api_client::Column::InstitutionId.eq(case.institution_id))
        .filter(api_client::Column::RevokedAt.is_null())
        .filter(webhook::Column::Active.eq(true))
        .order_by_asc(webhook::Column::Id)
        .all(db)
        .await?;
    if hooks.is_empty() {
        return Ok(0);
    }
    let mut queued = 0;
    for event_type in types {
        let takers: Vec<&webhook::Model> = hooks
            .iter()
            .filter(|h| wants(&h.events, event_type))
            .collect();
        if takers.is_empty() {
            continue;
        }
        let event_id = uuid::Uuid::now_v7().to_string();
        let body = payload(&event_id, event_type, case, history, now).to_string();
        for hook in takers {
            webhook_delivery::ActiveModel {
                webhook_id: Set(hook.id),
                event_id: Set(event_id.clone()),
                event_type: Set(event_type.to_string()),
                case_id: Set(case.id),
                payload: Set(body.clone()),
                status: Set(status::PENDING.to_string()),
                attempts: Set(0),
                next_attempt_at: Set(now),
                delivered_at: Set(None),
                last_status: Set(None),
                last_error: Set(None),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
            queued += 1;
        }
    }
    Ok(queued)
}

/// The signature header's value: `sha256=` and the hex HMAC-SHA256 of `"<timestamp>.<body>"`
/// keyed with the webhook's secret (the whole string).
pub fn sign(secret: &str, timestamp: i64, body: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = match <Hmac<sha2::Sha256> as Mac>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        // HMAC takes keys of any length.
        Err(_) => return String::new(),
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!("sha256={}", hex(&mac.finalize().into_bytes()))
}

/// Wakes the webhook senders of this process after a commit that queued deliveries (other
/// instances find them on their next poll).
static WAKEUP: std::sync::LazyLock<tokio::sync::Notify> =
    std::sync::LazyLock::new(tokio::sync::Notify::new);

/// Call after committing a transaction that may have queued deliveries. Wakes every waiting
/// sender in the process and leaves a permit for a busy one.
pub fn wake() {
    WAKEUP.notify_waiters();
    WAKEUP.notify_one();
}

/// What the sender waits on between polls.
pub fn wakeup() -> &'static tokio::sync::Notify {
    &WAKEUP
}

/// A claimed delivery with where it goes.
#[derive(Clone, Debug)]
pub struct Claimed {
    pub delivery: webhook_delivery::Model,
    pub url: String,
    pub secret: String,
}

/// Claims up to `limit` due deliveries of active webhooks of live clients: pending ones whose
/// time has come, and ones left `sending` by a sender that died (their lease ran out). Each
/// claimed row is `sending`, its attempt counted, and leased until `now + lease`. On
/// PostgreSQL rows are locked with `FOR UPDATE SKIP LOCKED`, so several senders never claim
/// the same row; elsewhere the update only takes rows still due, and a claim that lost a row
/// to another sender is given up whole.
pub async fn claim(
    db: &sea_orm::DatabaseConnection,
    now: DateTime<Utc>,
    limit: u64,
    lease: chrono::Duration,
) -> Result<Vec<Claimed>, DbErr> {
    use sea_orm::sea_query::{LockBehavior, LockType};
    use sea_orm::{DatabaseBackend, TransactionTrait};
    let live_hooks = Query::select()
        .column(webhook::Column::Id)
        .from(webhook::Entity)
        .and_where(webhook::Column::Active.eq(true))
        .and_where(
            webhook::Column::ClientId.in_subquery(
                Query::select()
                    .column(api_client::Column::Id)
                    .from(api_client::Entity)
                    .and_where(api_client::Column::RevokedAt.is_null())
                    .to_owned(),
            ),
        )
        .to_owned();
    let due = || {
        sea_orm::Condition::all()
            .add(webhook_delivery::Column::Status.is_in([status::PENDING, status::SENDING]))
            .add(webhook_delivery::Column::NextAttemptAt.lte(now))
    };
    let txn = db.begin().await?;
    let mut q = webhook_delivery::Entity::find()
        .filter(due())
        .filter(webhook_delivery::Column::WebhookId.in_subquery(live_hooks))
        .order_by_asc(webhook_delivery::Column::NextAttemptAt)
        .limit(limit);
    if db.get_database_backend() == DatabaseBackend::Postgres {
        q = q.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let rows = q.all(&txn).await?;
    if rows.is_empty() {
        txn.commit().await?;
        return Ok(vec![]);
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let until = now + lease;
    let updated = webhook_delivery::Entity::update_many()
        .col_expr(
            webhook_delivery::Column::Status,
            Expr::value(status::SENDING),
        )
        .col_expr(webhook_delivery::Column::NextAttemptAt, Expr::value(until))
        .col_expr(
            webhook_delivery::Column::Attempts,
            Expr::col(webhook_delivery::Column::Attempts).add(1),
        )
        .filter(webhook_delivery::Column::Id.is_in(ids.clone()))
        .filter(due())
        .exec(&txn)
        .await?;
    if updated.rows_affected != rows.len() as u64 {
        txn.rollback().await?;
        return Ok(vec![]);
    }
    let hook_ids: Vec<i64> = rows.iter().map(|r| r.webhook_id).collect();
    let hooks = webhook::Entity::find()
        .filter(webhook::Column::Id.is_in(hook_ids))
        .all(&txn)
        .await?;
    txn.commit().await?;
    Ok(rows
        .into_iter()
        .filter_map(|mut r| {
            let hook = hooks.iter().find(|h| h.id == r.webhook_id)?;
            r.status = status::SENDING.to_string();
            r.attempts += 1;
            r.next_attempt_at = until;
            Some(Claimed {
                delivery: r,
                url: hook.url.clone(),
                secret: hook.secret.clone(),
            })
        })
        .collect())
}

fn truncate_chars(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// Records a delivery the receiver accepted. Only the claim that sent it may record it.
pub async fn mark_delivered<C: ConnectionTrait>(
    db: &C,
    row: &webhook_delivery::Model,
    http_status: u16,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    webhook_delivery::Entity::update_many()
        .col_expr(
            webhook_delivery::Column::Status,
            Expr::value(status::DELIVERED),
        )
        .col_expr(
            webhook_delivery::Column::DeliveredAt,
            Expr::value(Some(now)),
        )
        .col_expr(
            webhook_delivery::Column::LastStatus,
            Expr::value(Some(i32::from(http_status))),
        )
        .col_expr(
            webhook_delivery::Column::LastError,
            Expr::value(None::<String>),
        )
        .filter(webhook_delivery::Column::Id.eq(row.id))
        .filter(webhook_delivery::Column::Status.eq(status::SENDING))
        .filter(webhook_delivery::Column::Attempts.eq(row.attempts))
        .exec(db)
        .await?;
    Ok(())
}

/// Records a failed attempt: back to `pending` until `retry_at`, or `failed` when `None`.
pub async fn mark_failed<C: ConnectionTrait>(
    db: &C,
    row: &webhook_delivery::Model,
    http_status: Option<u16>,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> Result<(), DbErr> {
    let mut update = webhook_delivery::Entity::update_many()
        .col_expr(
            webhook_delivery::Column::LastError,
            Expr::value(Some(truncate_chars(error, 1000))),
        )
        .col_expr(
            webhook_delivery::Column::LastStatus,
            Expr::value(http_status.map(i32::from)),
        );
    update = match retry_at {
        Some(at) => update
            .col_expr(
                webhook_delivery::Column::Status,
                Expr::value(status::PENDING),
            )
            .col_expr(webhook_delivery::Column::NextAttemptAt, Expr::value(at)),
        None => update.col_expr(
            webhook_delivery::Column::Status,
            Expr::value(status::FAILED),
        ),
    };
    update
        .filter(webhook_delivery::Column::Id.eq(row.id))
        .filter(webhook_delivery::Column::Status.eq(status::SENDING))
        .filter(webhook_delivery::Column::Attempts.eq(row.attempts))
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_must_be_http_and_public_in_production() {
        assert!(check_url("https://example.org/hook", true).is_ok());
        assert!(check_url("http://127.0.0.1:9000/hook", false).is_ok());
        for bad in [
            "ftp://example.org/x",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "not a url",
            "https://user:pw@example.org/",
            "",
        ] {
            assert!(check_url(bad, false).is_err(), "{bad}");
        }
        for private in [
            "http://127.0.0.1/",
            "http://2130706433/",
            "http://localhost:8080/",
            "http://api.localhost/",
            "http://10.1.2.3/",
            "http://192.168.0.1/",
            "http://172.16.5.4/",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]/",
            "http://[fd00::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://0.0.0.0/",
            "http://100.64.0.1/",
        ] {
            assert!(check_url(private, true).is_err(), "{private}");
            assert!(check_url(private, false).is_ok(), "{private}");
        }
    }

    #[test]
    fn events_are_checked_and_stored_in_order() {
        assert_eq!(parse_events(None).unwrap(), "*");
        assert_eq!(parse_events(Some(vec!["*".into()])).unwrap(), "*");
        assert_eq!(
            parse_events(Some(vec![
                "answered".into(),
                "filed".into(),
                "filed".into()
            ]))
            .unwrap(),
            "filed,answered"
        );
        assert!(parse_events(Some(vec![])).is_err());
        assert!(parse_events(Some(vec!["deleted".into()])).is_err());
        assert!(wants("*", event::ANSWERED));
        assert!(wants("filed,answered", event::ANSWERED));
        assert!(!wants("filed,answered", event::TRANSITION));
    }

    #[test]
    fn registration_is_filed_an_answer_also_answered_and_reminders_nothing() {
        use crate::workflow::{Actor, Outcome, Role as WfRole, TransitionInput};
        let history = |kind, outcome| HistoryEntry {
            kind,
            transition: None,
            timer: None,
            from_state: "a".into(),
            to_state: "b".into(),
            actor_role: WfRole::Officer,
            public: true,
            reason: None,
            answer: None,
            outcome,
            target_institution_id: None,
            timer_changes: vec![],
        };
        let step = |id: &str| Event::Transition {
            id: id.into(),
            actor: Actor {
                role: WfRole::Officer,
                user_id: None,
            },
            input: TransitionInput::default(),
        };
        let plain = history(HistoryKind::Transition, None);
        assert_eq!(event_types(&step("register"), &plain), [event::FILED]);
        assert_eq!(event_types(&step("take"), &plain), [event::TRANSITION]);
        assert_eq!(
            event_types(
                &step("answer"),
                &history(HistoryKind::Transition, Some(Outcome::Admitted))
            ),
            [event::TRANSITION, event::ANSWERED]
        );
        let expired = Event::TimerExpired {
            timer: "answer_due".into(),
        };
        assert_eq!(
            event_types(&expired, &history(HistoryKind::Expiry, None)),
            [event::TRANSITION]
        );
        let reminder = Event::ReminderDue {
            timer: "answer_due".into(),
            days_before: 3,
        };
        assert!(event_types(&reminder, &history(HistoryKind::Reminder, None)).is_empty());
    }

    #[test]
    fn the_signature_is_the_hmac_of_timestamp_dot_body() {
        // Computed independently: Python's hmac.new(b"whsec_test", b'1700000000.{"a":1}', sha256).
        assert_eq!(
            sign("whsec_test", 1_700_000_000, r#"{"a":1}"#),
            "sha256=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789"
        );
        let a = sign("whsec_x", 1_700_000_000, "{}");
        assert_eq!(a, sign("whsec_x", 1_700_000_000, "{}"));
        assert_ne!(a, sign("whsec_x", 1_700_000_001, "{}"));
        assert_ne!(a, sign("whsec_y", 1_700_000_000, "{}"));
    }
}
