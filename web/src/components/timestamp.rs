//! An epoch time for people: local date-time (the raw epoch value on hover) and how long ago, following `now_ms`.

use jobscope::EpochTime;
use leptos::prelude::*;

use crate::timefmt;

#[component]
pub fn Timestamp(time: EpochTime, now_ms: RwSignal<i64>) -> impl IntoView {
    view! {
        <time title=format!("{time} (epoch seconds)")>{timefmt::local(time)}</time>
        <span class="relative">{move || timefmt::relative(time, now_ms.get())}</span>
    }
}
