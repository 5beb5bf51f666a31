//! The app's own small router: the address as signals, links that navigate without a reload,
//! the back button, and routes matched segment by segment (`/people/:id`).
//!
//! It replaces leptos_router, whose nested routes, transitions and form handling the app never
//! used and which was about a tenth of the first download. What it keeps of that API (`A`,
//! `use_params_map`, `use_query_map`, `use_navigate`) has the same shape, so pages read alike.
//!
//! A page is drawn again when its route or the route's parameters change, not when only the
//! query does: a page reads the query as a signal (`use_query_map`).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Parameters of the matched route, or of the query string.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParamsMap(Vec<(String, String)>);

impl ParamsMap {
    pub fn get(&self, key: &str) -> Option<String> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    /// `?kind=lecture&person=…`, decoded.
    fn from_query(search: &str) -> ParamsMap {
        let pairs = search.trim_start_matches('?').split('&').filter(|p| !p.is_empty());
        ParamsMap(
            pairs
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    (decode(k), decode(v))
                })
                .collect(),
        )
    }
}

fn decode(text: &str) -> String {
    let text = text.replace('+', " ");
    js_sys::decode_uri_component(&text).map(String::from).unwrap_or(text)
}

/// One route: its pattern (`/orgs/:id/edit`) and the page it shows.
pub type Route = (&'static str, fn() -> AnyView);

/// Which route a path takes, and its parameters. Trailing slashes do not count.
pub fn matching(routes: &[Route], path: &str) -> Option<(usize, ParamsMap)> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    routes.iter().enumerate().find_map(|(i, (pattern, _))| {
        let parts: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty()).collect();
        if parts.len() != segments.len() {
            return None;
        }
        let mut params = Vec::new();
        for (part, seg) in parts.iter().zip(&segments) {
            match part.strip_prefix(':') {
                Some(name) => params.push((name.to_owned(), decode(seg))),
                None if part == seg => {}
                None => return None,
            }
        }
        Some((i, ParamsMap(params)))
    })
}

#[derive(Clone, Copy)]
struct Location {
    path: RwSignal<String>,
    search: RwSignal<String>,
}

/// The page's own route parameters and query, for the page drawn under them. Each page gets
/// its own: its parameters never change (another id is another page), and its query stops
/// following the address once another route is taken, so a page being left is never drawn
/// again with the next page's address.
#[derive(Clone, Copy)]
struct PageAddress {
    params: Signal<ParamsMap>,
    query: Memo<ParamsMap>,
}

fn address() -> (String, String) {
    let location = web_sys::window().map(|w| w.location());
    let read = |f: fn(&web_sys::Location) -> Result<String, wasm_bindgen::JsValue>| {
        location.as_ref().and_then(|l| f(l).ok()).unwrap_or_default()
    };
    (read(web_sys::Location::pathname), read(web_sys::Location::search))
}

thread_local! {
    // Also outside any component: a click listener or an async task navigating has no owner
    // to ask for context.
    static LOCATION: std::cell::Cell<Option<Location>> = const { std::cell::Cell::new(None) };
}

fn location() -> Option<Location> {
    use_context::<Location>().or_else(|| LOCATION.with(std::cell::Cell::get))
}

/// Goes to `to` (a path on this site, query included), as a link would: a new history entry
/// (or in place of this one), the page at its top.
pub fn go(to: &str, replace: bool) {
    let Some(window) = web_sys::window() else { return };
    if let Ok(history) = window.history() {
        let done = if replace {
            history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(to))
        } else {
            history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(to))
        };
        if done.is_err() {
            // Not a same-site address after all: let the browser go there.
            let _ = window.location().set_href(to);
            return;
        }
    }
    if let Some(l) = location() {
        sync(l);
    }
    window.scroll_to_with_x_and_y(0.0, 0.0);
}

/// `text` as one value of an address's query.
pub fn encode(text: &str) -> String {
    js_sys::encode_uri_component(text).into()
}

/// `path` with `pairs` as its query; empty values are left out.
pub fn with_query(path: &str, pairs: &[(&str, String)]) -> String {
    let query: Vec<String> =
        pairs.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", encode(v))).collect();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// Keeps a page's own state (a search, filters, the period shown) in its address, in place of
/// the history entry: going back to the page, or reloading it, finds it as it was left.
pub fn keep_query(pairs: &[(&str, String)]) {
    let (path, search) = address();
    let to = with_query(&path, pairs);
    if format!("{path}{search}") == to {
        return;
    }
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&to));
    }
    if let Some(l) = location() {
        sync(l);
    }
}

/// A page's piece of state as its address has it (`key` in the query), else `default`: the
/// start of a signal that [`keep_query`] writes back.
pub fn kept(key: &str, default: &str) -> RwSignal<String> {
    let found = use_query_map().with_untracked(|q| q.get(key));
    RwSignal::new(found.unwrap_or_else(|| default.to_owned()))
}

/// Where a form goes after its save: the page that sent the user to it (`?back=`, a path on
/// this site), else `fallback`.
pub fn back_or(query: &ParamsMap, fallback: &str) -> String {
    query.get("back").filter(|b| b.starts_with('/') && !b.starts_with("//")).unwrap_or_else(|| fallback.to_owned())
}

fn sync(l: Location) {
    let (path, search) = address();
    if l.path.get_untracked() != path {
        l.path.set(path);
    }
    if l.search.get_untracked() != search {
        l.search.set(search);
    }
}

/// A click on a link to a page of this site navigates here; any other (a download, a phone
/// number, a new tab, a modified click) is the browser's.
fn on_click(ev: web_sys::MouseEvent) {
    if ev.default_prevented() || ev.button() != 0 || ev.meta_key() || ev.ctrl_key() || ev.shift_key() || ev.alt_key() {
        return;
    }
    let Some(a) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest("a[href]").ok().flatten())
    else {
        return;
    };
    if a.has_attribute("download") || a.get_attribute("target").is_some_and(|t| !t.is_empty() && t != "_self") {
        return;
    }
    let (Some(href), Some(window)) = (a.get_attribute("href"), web_sys::window()) else { return };
    let Ok(url) = web_sys::Url::new_with_base(&href, &window.location().href().unwrap_or_default()) else { return };
    if url.origin() != window.location().origin().unwrap_or_default() {
        return;
    }
    ev.prevent_default();
    go(&format!("{}{}{}", url.pathname(), url.search(), url.hash()), false);
}

/// Follows the address: links, the back button and [`go`] update it. Call once, in the shell,
/// before anything that reads it.
pub fn provide_router() {
    let (path, search) = address();
    let l = Location { path: RwSignal::new(path), search: RwSignal::new(search) };
    provide_context(l);
    LOCATION.with(|c| c.set(Some(l)));
    let clicks = window_event_listener(leptos::ev::click, on_click);
    let back = window_event_listener_untyped("popstate", move |_| sync(l));
    on_cleanup(move || {
        clicks.remove();
        back.remove();
    });
}

/// The pages: the route the address takes, drawn again when it or its parameters change.
#[component]
pub fn Routes(routes: &'static [Route], fallback: fn() -> AnyView) -> impl IntoView {
    let Some(l) = location() else { return fallback() };
    let matched = Memo::new(move |_| l.path.with(|p| matching(routes, p)));
    let route = Memo::new(move |_| matched.with(|m| m.as_ref().map(|(i, _)| *i)));
    (move || {
        let Some((i, params)) = matched.get() else { return fallback() };
        let Some((_, page)) = routes.get(i) else { return fallback() };
        let query = Memo::new(move |before: Option<&ParamsMap>| match (route.get_untracked() == Some(i), before) {
            (false, Some(kept)) => kept.clone(),
            _ => l.search.with(|s| ParamsMap::from_query(s)),
        });
        provide_context(PageAddress { params: Signal::stored(params), query });
        page()
    })
    .into_any()
}

/// What a link's `href` may be: an address, or a function giving one (read as the link draws).
pub trait ToHref {
    fn to_href(&self) -> String;
}

impl ToHref for &str {
    fn to_href(&self) -> String {
        (*self).to_owned()
    }
}

impl ToHref for String {
    fn to_href(&self) -> String {
        self.clone()
    }
}

impl<F: Fn() -> String> ToHref for F {
    fn to_href(&self) -> String {
        self()
    }
}

/// A link within the app; `aria-current="page"` while its page is shown (`exact`: only its
/// own address, else also the pages under it, as 人员 for a person's page).
#[component]
pub fn A<H: ToHref + Send + Sync + 'static>(
    href: H,
    #[prop(optional)] exact: bool,
    children: Children,
) -> impl IntoView {
    // The address as last drawn: a change of page must not call a leaving page's `href`
    // function again (what it reads may already be gone); it redraws itself when that changes.
    let drawn = std::sync::Arc::new(std::sync::Mutex::new(href.to_href()));
    let seen = drawn.clone();
    let l = location();
    let current = move || {
        let here = l?.path.get();
        let to = seen.lock().map(|t| t.clone()).unwrap_or_default();
        let to = to.split(['?', '#']).next().unwrap_or("").trim_end_matches('/').to_owned();
        let here = here.trim_end_matches('/');
        let on = here == to || (!exact && !to.is_empty() && here.starts_with(&format!("{to}/")));
        on.then_some("page")
    };
    let address = move || {
        let to = href.to_href();
        if let Ok(mut d) = drawn.lock() {
            d.clone_from(&to);
        }
        to
    };
    view! { <a href=address aria-current=current>{children()}</a> }
}

pub fn use_params_map() -> Signal<ParamsMap> {
    use_context::<PageAddress>().map_or_else(|| Signal::stored(ParamsMap::default()), |a| a.params)
}

pub fn use_query_map() -> Memo<ParamsMap> {
    match (use_context::<PageAddress>(), location()) {
        (Some(a), _) => a.query,
        (None, Some(l)) => Memo::new(move |_| l.search.with(|s| ParamsMap::from_query(s))),
        (None, None) => Memo::new(|_| ParamsMap::default()),
    }
}

/// How [`use_navigate`]'s function goes.
#[derive(Clone, Copy, Debug, Default)]
pub struct NavigateOptions {
    pub replace: bool,
}

pub fn use_navigate() -> impl Fn(&str, NavigateOptions) + Clone {
    |to: &str, options: NavigateOptions| go(to, options.replace)
}
