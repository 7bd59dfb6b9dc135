//! The MQTT front without a socket: arbitrary bytes through a session (framer, CONNECT, publish/subscribe, the Jobs
//! topics answered from the store), with a second, subscribed session taking whatever the broker routes to it.
//! Nothing may panic, and every byte either session writes must decode as the MQTT packets of its version.
//! The store starts again from the demo fleet every 2 000 inputs (as in `emulator_router`).
#![no_main]

use std::cell::RefCell;

use bytes::BytesMut;
use jobscope_emulator::mqtt::{Output, Session};
use jobscope_emulator::{Account, AppState, Clock, Config, Store, demo};
use libfuzzer_sys::fuzz_target;
use mqtt5_protocol::{FixedHeader, Packet};

const INPUTS_PER_STORE: u32 = 2_000;

fn fresh_state() -> AppState {
    let account = Account { account_id: "123456789012".into(), region: "us-east-1".into() };
    let store = Store::in_memory(account, Clock::manual(1_700_000_000_000));
    demo::seed(&store).expect("demo");
    AppState::new(store, Config::default())
}

thread_local! {
    static STATE: RefCell<(AppState, u32)> = RefCell::new((fresh_state(), 0));
}

/// Asserts `bytes` are whole, well-formed MQTT packets of protocol level `version` (as a client decodes them).
fn assert_packets(bytes: &BytesMut, version: u8) {
    let mut rest = bytes.clone().freeze();
    while !rest.is_empty() {
        let header = FixedHeader::decode(&mut rest).expect("a fixed header");
        let length = header.remaining_length as usize;
        assert!(rest.len() >= length, "a packet cut short");
        let mut body = rest.split_to(length);
        Packet::decode_from_body_with_version(header.packet_type, &header, &mut body, version)
            .unwrap_or_else(|e| panic!("the session wrote a malformed {:?}: {e}", header.packet_type));
        assert!(body.is_empty(), "bytes left over in a {:?}", header.packet_type);
    }
}

/// A v5 CONNECT and a SUBSCRIBE to `#` and to every thing's Jobs topics.
const LISTENER: &[u8] = &[
    0x10, 0x0f, 0x00, 0x04, b'M', b'Q', b'T', b'T', 0x05, 0x02, 0x00, 0x3c, 0x00, 0x00, 0x02, b'l', b's',
    0x82, 0x1e, 0x00, 0x01, 0x00, 0x00, 0x01, b'#', 0x01, 0x00, 0x14, b'$', b'a', b'w', b's', b'/', b't', b'h',
    b'i', b'n', b'g', b's', b'/', b'+', b'/', b'j', b'o', b'b', b's', b'/', b'#', 0x01,
];

fuzz_target!(|data: &[u8]| {
    let state = STATE.with_borrow_mut(|(state, served)| {
        *served += 1;
        if *served > INPUTS_PER_STORE {
            *state = fresh_state();
            *served = 1;
        }
        state.clone()
    });
    let (mut listener, mut routed) = Session::new(state.clone(), state.mqtt.admit());
    let mut out = Output::default();
    listener.receive(LISTENER, &mut out);
    assert!(!out.close, "the listener connects");
    let (mut session, _deliveries) = Session::new(state.clone(), state.mqtt.admit());
    // In two reads, so packets split across reads are framed too.
    let (first, second) = data.split_at(data.len() / 2);
    let mut written = BytesMut::new();
    for chunk in [first, second] {
        let mut out = Output::default();
        session.receive(chunk, &mut out);
        written.extend_from_slice(&out.bytes);
        if out.close {
            break;
        }
    }
    // Before an accepted CONNECT the only answer is a CONNACK in the 3.1.1 form.
    assert_packets(&written, session.version().unwrap_or(4));
    drop(session);
    let mut delivered = Output::default();
    while let Ok(message) = routed.try_recv() {
        listener.deliver(message, &mut delivered);
    }
    assert_packets(&delivered.bytes, 5);
});
