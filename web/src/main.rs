//! Mounts the viewer.

fn main() {
    // Readable panic messages in development builds; release builds stay smaller without them.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(jobscope_web::App);
}
