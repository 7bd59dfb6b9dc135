//! The broker: who is connected (by connection and by client id), what each subscribed to, routing a publish to
//! every matching subscriber (once per client, at the lower of the two QoS), the connection limit, and the store's
//! events published as `notify` and `notify-next`.
//!
//! Deliveries go to each connection's queue without waiting: a subscriber whose queue is full is dropped from the
//! broker (its connection then ends), so one slow client never holds up a publisher or the store.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use mqtt5_protocol::{QoS, ReasonCode, topic_matches_filter};
use tokio::sync::mpsc::error::TrySendError;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};

use super::MqttLimits;
use super::jobs;
use crate::AppState;
use crate::store::{ThingEvent, Watcher};

/// How often executions whose timer ran out are timed out while clients are connected, so `notify` goes out on time
/// even when nothing reads them.
const SWEEP: Duration = Duration::from_secs(1);

/// A connection's number, unique for the broker's life.
pub type ConnId = u64;

/// What the broker sends a connection.
#[derive(Debug, Clone, PartialEq)]
pub enum Outbound {
    /// A message on a topic it subscribed to, at this QoS.
    Publish {
        topic: Arc<str>,
        payload: Bytes,
        qos: QoS,
    },
    /// Close, telling a v5 client why (session taken over, server shutting down).
    Disconnect(ReasonCode),
}

/// A new connection's place under the connection limit.
#[derive(Debug)]
pub enum Admission {
    /// Within the limit: the slot is held for the connection's life.
    Slot(OwnedSemaphorePermit),
    /// Over the limit: the connection may send its CONNECT and is refused ("server busy").
    Refuse(OwnedSemaphorePermit),
    /// Far over the limit: close at once.
    Drop,
}

/// Why a subscription was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuotaExceeded;

#[derive(Debug)]
struct Subscription {
    filter: String,
    qos: QoS,
    /// v5 No Local: not sent the client's own publishes.
    no_local: bool,
}

#[derive(Debug)]
struct Client {
    client_id: String,
    mailbox: mpsc::Sender<Outbound>,
    subscriptions: Vec<Subscription>,
}

#[derive(Debug, Default)]
struct Registry {
    clients: HashMap<ConnId, Client>,
    by_client_id: HashMap<String, ConnId>,
}

impl Registry {
    fn remove(&mut self, id: ConnId) {
        if let Some(client) = self.clients.remove(&id)
            && self.by_client_id.get(&client.client_id) == Some(&id)
        {
            self.by_client_id.remove(&client.client_id);
        }
    }
}

/// The MQTT broker shared by every transport.
#[derive(Debug)]
pub struct Broker {
    limits: MqttLimits,
    registry: Mutex<Registry>,
    connected: AtomicUsize,
    next_id: AtomicU64,
    slots: Arc<Semaphore>,
    /// Connections being told "server busy" at once; beyond these, new connections are closed unanswered.
    refusals: Arc<Semaphore>,
    sweeping: AtomicBool,
}

/// The lower of two QoS levels.
pub fn min_qos(a: QoS, b: QoS) -> QoS {
    if (a as u8) <= (b as u8) { a } else { b }
}

impl Broker {
    pub fn new(limits: MqttLimits) -> Broker {
        let max = limits.max_connections.max(1);
        Broker {
            limits,
            registry: Mutex::default(),
            connected: AtomicUsize::new(0),
            next_id: AtomicU64::new(1),
            slots: Arc::new(Semaphore::new(max)),
            refusals: Arc::new(Semaphore::new(max.min(64))),
            sweeping: AtomicBool::new(false),
        }
    }

    /// Starts (once, on the running tokio runtime; without one, not at all) the task that times out due executions
    /// every second while clients are connected.
    pub fn start_sweeper(&self, app: &AppState) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        if self.sweeping.swap(true, Ordering::Relaxed) {
            return;
        }
        let app = app.clone();
        runtime.spawn(async move {
            let mut tick = tokio::time::interval(SWEEP);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
            loop {
                tick.tick().await;
                if app.mqtt.connected() > 0
                    && let Err(error) = app.store.expire_due()
                {
                    tracing::warn!("timing out executions failed: {error}");
                }
            }
        });
    }

    pub fn limits(&self) -> &MqttLimits {
        &self.limits
    }

    fn registry(&self) -> MutexGuard<'_, Registry> {
        // Nothing under this lock can leave the registry half-changed.
        self.registry
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A place for a new connection under the connection limit.
    pub fn admit(&self) -> Admission {
        if let Ok(slot) = self.slots.clone().try_acquire_owned() {
            return Admission::Slot(slot);
        }
        match self.refusals.clone().try_acquire_owned() {
            Ok(permit) => Admission::Refuse(permit),
            Err(_) => Admission::Drop,
        }
    }

    /// A number for a new connection.
    pub fn next_id(&self) -> ConnId {
        self.next_id.fetch_add(1, Ordering::Relaxed)
    }

    /// How many clients are connected (CONNECT accepted).
    pub fn connected(&self) -> usize {
        self.connected.load(Ordering::Relaxed)
    }

    /// Registers a connected client. A client already connected with the same client id is taken over: it is
    /// told so (v5 DISCONNECT 0x8E) and dropped, as MQTT requires.
    pub fn connect(&self, id: ConnId, client_id: &str, mailbox: mpsc::Sender<Outbound>) {
        let mut registry = self.registry();
        if let Some(old) = registry.by_client_id.get(client_id).copied() {
            if let Some(client) = registry.clients.get(&old) {
                let _ = client
                    .mailbox
                    .try_send(Outbound::Disconnect(ReasonCode::SessionTakenOver));
            }
            registry.remove(old);
        }
        registry.clients.insert(
            id,
            Client {
                client_id: client_id.to_owned(),
                mailbox,
                subscriptions: Vec::new(),
            },
        );
        registry.by_client_id.insert(client_id.to_owned(), id);
        self.connected
            .store(registry.clients.len(), Ordering::Relaxed);
    }

    /// Forgets a connection (it closed).
    pub fn disconnect(&self, id: ConnId) {
        let mut registry = self.registry();
        registry.remove(id);
        self.connected
            .store(registry.clients.len(), Ordering::Relaxed);
    }

    /// Adds (or replaces) a subscription; the QoS granted, at most 1.
    pub fn subscribe(
        &self,
        id: ConnId,
        filter: &str,
        qos: QoS,
        no_local: bool,
    ) -> Result<QoS, QuotaExceeded> {
        let granted = min_qos(qos, QoS::AtLeastOnce);
        let mut registry = self.registry();
        let Some(client) = registry.clients.get_mut(&id) else {
            return Err(QuotaExceeded);
        };
        let subscription = Subscription {
            filter: filter.to_owned(),
            qos: granted,
            no_local,
        };
        match client.subscriptions.iter().position(|s| s.filter == filter) {
            Some(existing) => client.subscriptions[existing] = subscription,
            None if client.subscriptions.len() >= self.limits.max_subscriptions => {
                return Err(QuotaExceeded);
            }
            None => client.subscriptions.push(subscription),
        }
        Ok(granted)
    }

    /// Removes a subscription; whether there was one.
    pub fn unsubscribe(&self, id: ConnId, filter: &str) -> bool {
        let mut registry = self.registry();
        let Some(client) = registry.clients.get_mut(&id) else {
            return false;
        };
        let before = client.subscriptions.len();
        client.subscriptions.retain(|s| s.filter != filter);
        client.subscriptions.len() != before
    }

    /// The QoS a connection subscribed to `topic` with (the highest of its matching filters), if any.
    pub fn granted(&self, id: ConnId, topic: &str) -> Option<QoS> {
        let registry = self.registry();
        registry
            .clients
            .get(&id)
            .and_then(|client| best(client, topic, None))
    }

    /// Sends a message to every matching subscriber (`from`: the publishing connection, for No Local).
    pub fn publish(&self, from: Option<ConnId>, topic: &str, payload: Bytes, qos: QoS) {
        let topic: Arc<str> = Arc::from(topic);
        let mut registry = self.registry();
        let mut behind = Vec::new();
        for (id, client) in &registry.clients {
            let Some(granted) = best(client, &topic, from.filter(|f| f == id)) else {
                continue;
            };
            let message = Outbound::Publish {
                topic: topic.clone(),
                payload: payload.clone(),
                qos: min_qos(granted, qos),
            };
            match client.mailbox.try_send(message) {
                Ok(()) => {}
                Err(TrySendError::Full(_)) => {
                    tracing::warn!(
                        "MQTT client {} is {} messages behind; disconnecting it",
                        client.client_id,
                        self.limits.queue
                    );
                    behind.push(*id);
                }
                Err(TrySendError::Closed(_)) => behind.push(*id),
            }
        }
        for id in behind {
            registry.remove(id);
        }
        self.connected
            .store(registry.clients.len(), Ordering::Relaxed);
    }

    /// Tells every client the server is going away (v5 DISCONNECT 0x8B).
    pub fn shutdown(&self) {
        let registry = self.registry();
        for client in registry.clients.values() {
            let _ = client
                .mailbox
                .try_send(Outbound::Disconnect(ReasonCode::ServerShuttingDown));
        }
    }
}

/// The highest QoS of `client`'s filters matching `topic`; none for the publisher itself under No Local.
fn best(client: &Client, topic: &str, own: Option<ConnId>) -> Option<QoS> {
    client
        .subscriptions
        .iter()
        .filter(|s| !(own.is_some() && s.no_local))
        .filter(|s| topic_matches_filter(topic, &s.filter))
        .map(|s| s.qos)
        .reduce(|a, b| if (a as u8) >= (b as u8) { a } else { b })
}

impl Watcher for Broker {
    fn is_listening(&self) -> bool {
        self.connected() > 0
    }

    /// `notify` and `notify-next`, published at QoS 1 to whoever subscribed.
    fn changed(&self, events: Vec<ThingEvent>) {
        for event in &events {
            if let Some((topic, payload)) = jobs::notification(event) {
                self.publish(None, &topic, Bytes::from(payload), QoS::AtLeastOnce);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> MqttLimits {
        MqttLimits {
            max_connections: 2,
            max_subscriptions: 2,
            queue: 2,
            ..MqttLimits::default()
        }
    }

    fn received(rx: &mut mpsc::Receiver<Outbound>) -> Vec<(String, QoS)> {
        let mut out = Vec::new();
        while let Ok(Outbound::Publish { topic, qos, .. }) = rx.try_recv() {
            out.push((topic.to_string(), qos));
        }
        out
    }

    #[test]
    fn routing_wildcards_dollar_topics_and_qos() {
        let broker = Broker::new(limits());
        let (a_tx, mut a) = mpsc::channel(8);
        let (b_tx, mut b) = mpsc::channel(8);
        broker.connect(1, "a", a_tx);
        broker.connect(2, "b", b_tx);
        assert_eq!(
            broker.subscribe(1, "sensors/+/temp", QoS::ExactlyOnce, false),
            Ok(QoS::AtLeastOnce)
        );
        assert_eq!(
            broker.subscribe(1, "#", QoS::AtMostOnce, false),
            Ok(QoS::AtMostOnce)
        );
        assert_eq!(
            broker.subscribe(1, "x", QoS::AtMostOnce, false),
            Err(QuotaExceeded)
        );
        assert_eq!(
            broker.subscribe(2, "$aws/things/+/jobs/#", QoS::AtLeastOnce, true),
            Ok(QoS::AtLeastOnce)
        );
        broker.publish(
            Some(2),
            "sensors/s1/temp",
            Bytes::from_static(b"1"),
            QoS::AtLeastOnce,
        );
        broker.publish(
            Some(2),
            "$aws/things/t/jobs/notify",
            Bytes::new(),
            QoS::AtLeastOnce,
        );
        broker.publish(
            None,
            "$aws/things/t/jobs/notify",
            Bytes::new(),
            QoS::AtMostOnce,
        );
        // Once per client at its best matching QoS; `#` does not match a `$` topic; No Local.
        assert_eq!(
            received(&mut a),
            [("sensors/s1/temp".to_owned(), QoS::AtLeastOnce)]
        );
        assert_eq!(
            received(&mut b),
            [("$aws/things/t/jobs/notify".to_owned(), QoS::AtMostOnce)]
        );
        assert!(broker.unsubscribe(1, "#"));
        assert!(!broker.unsubscribe(1, "#"));
        assert_eq!(
            broker.granted(2, "$aws/things/t/jobs/j/get/accepted"),
            Some(QoS::AtLeastOnce)
        );
        assert_eq!(broker.granted(1, "$aws/things/t/jobs/j/get/accepted"), None);
    }

    #[test]
    fn takeover_slow_subscribers_and_the_limit() {
        let broker = Broker::new(limits());
        let (old_tx, mut old) = mpsc::channel(8);
        let (new_tx, _new) = mpsc::channel(8);
        broker.connect(1, "same", old_tx);
        broker.connect(2, "same", new_tx);
        assert_eq!(
            old.try_recv(),
            Ok(Outbound::Disconnect(ReasonCode::SessionTakenOver))
        );
        assert_eq!(broker.connected(), 1);
        broker.disconnect(1);
        assert_eq!(
            broker.connected(),
            1,
            "the old connection's leaving does not drop the new one"
        );

        let (slow_tx, _slow) = mpsc::channel(2);
        broker.connect(3, "slow", slow_tx);
        broker.subscribe(3, "t", QoS::AtMostOnce, false).unwrap();
        for _ in 0..3 {
            broker.publish(None, "t", Bytes::new(), QoS::AtMostOnce);
        }
        assert_eq!(broker.connected(), 1, "dropped once its queue was full");

        let slots: Vec<Admission> = (0..2).map(|_| broker.admit()).collect();
        assert!(slots.iter().all(|a| matches!(a, Admission::Slot(_))));
        assert!(matches!(broker.admit(), Admission::Refuse(_)));
        drop(slots);
        assert!(matches!(broker.admit(), Admission::Slot(_)));
    }
}
