//! Links in contact data (mailto:, tel:, web sites) open in the user's own mail, phone and
//! browser apps. The window itself never navigates away from Rolodeck, so a click on a link
//! can't lose the screen (or an unsaved form) the user was on.

use tauri::plugin::{Builder, TauriPlugin};
use tauri::{Runtime, Url};

pub fn guard<R: Runtime>() -> TauriPlugin<R> {
    Builder::new("links")
        .on_navigation(|_webview, url| {
            if is_app_page(url) {
                return true;
            }
            if matches!(url.scheme(), "mailto" | "tel" | "http" | "https") {
                // Nothing useful to show if the desktop has no handler; the click just does nothing.
                let _ = tauri_plugin_opener::open_url(url.as_str(), None::<&str>);
            }
            false
        })
        .build()
}

/// Rolodeck's own pages: `tauri://localhost` on Linux and macOS, `http://tauri.localhost` on Windows.
fn is_app_page(url: &Url) -> bool {
    url.scheme() == "tauri" || url.host_str() == Some("tauri.localhost")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_rolodeck_pages_load_in_the_window() {
        for page in ["tauri://localhost/index.html", "http://tauri.localhost/"] {
            assert!(is_app_page(&page.parse().unwrap()), "{page}");
        }
        for link in ["mailto:ann@example.com", "https://example.com/", "tel:+15551234567", "http://localhost:8080/"] {
            assert!(!is_app_page(&link.parse().unwrap()), "{link}");
        }
    }
}
