//! The browser harness the browser journeys share: headless Chromium driven through
//! WebDriver (chromedriver) against a real `scr` server; every wait is for a state of
//! the page, never a fixed time; axe-core checks pages.

#![allow(dead_code)]

use std::panic::AssertUnwindSafe;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use e2e::Server;
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use futures::FutureExt;
use serde_json::json;

pub const WAIT: Duration = Duration::from_secs(20);

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One browser on one server, for one test.
pub struct Browser {
    pub c: Client,
    pub base: String,
    _server: Server,
    _driver: Driver,
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// A browser on a new server with the demo data.
pub async fn start() -> Browser {
    start_on(Server::start()).await
}

/// A browser on `server`.
pub async fn start_on(server: Server) -> Browser {
    let port = free_port();
    let driver = Driver(
        Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (Debian package chromium-driver) must be installed"),
    );
    let url = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let mut ready = false;
    for _ in 0..100 {
        if http.get(format!("{url}/status")).send().await.is_ok_and(|r| r.status().is_success()) {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await; // polling the driver's own readiness
    }
    assert!(ready, "chromedriver did not start");
    let profile = std::env::temp_dir().join(format!("scr_chrome_{}_{port}", std::process::id()));
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1280,1000", format!("--user-data-dir={}", profile.display())]
        }),
    );
    let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&url)
        .await
        .expect("a WebDriver session");
    Browser { c, base: server.base.clone(), _server: server, _driver: driver }
}

impl Browser {
    pub async fn goto(&self, path: &str) {
        self.c.goto(&format!("{}{path}", self.base)).await.expect("navigate");
    }

    pub async fn wait_css(&self, css: &str) -> Element {
        self.c.wait().at_most(WAIT).for_element(Locator::Css(css)).await.unwrap_or_else(|e| panic!("no {css}: {e}"))
    }

    /// Waits until `text` is on the page.
    pub async fn wait_text(&self, text: &str) {
        let xpath = format!("//*[contains(normalize-space(.), {})]", xpath_literal(text));
        self.c
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("{text:?} never appeared: {e}"));
    }

    pub async fn fill(&self, css: &str, text: &str) {
        let e = self.wait_css(css).await;
        e.clear().await.expect("clear");
        e.send_keys(text).await.expect("type");
    }

    /// Sets an input's value as a picker would (date inputs take keys in the
    /// browser's locale order), and tells the page it changed.
    pub async fn set_value(&self, css: &str, value: &str) {
        let e = self.wait_css(css).await;
        self.c
            .execute(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', { bubbles: true }));",
                vec![serde_json::to_value(&e).expect("element"), json!(value)],
            )
            .await
            .expect("set the value");
    }

    pub async fn click_css(&self, css: &str) {
        self.wait_css(css).await.click().await.unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Clicks the button (or link) whose text is `text`.
    pub async fn click_text(&self, text: &str) {
        let xpath = format!("//button[normalize-space(.)={t}] | //a[normalize-space(.)={t}]", t = xpath_literal(text));
        let e = self
            .c
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("no {text:?}: {e}"));
        e.click().await.unwrap_or_else(|e| panic!("click {text:?}: {e}"));
    }

    /// Opens the first review at `stage` (its title, as the tag shows it) from the home
    /// page's list of reviews; returns its address.
    pub async fn open_review_at(&self, stage: &str) -> String {
        self.goto("/").await;
        self.wait_text("Reviews you can see").await;
        let xpath =
            format!("//table[@id='review-table']//tr[.//strong[normalize-space(.)={}]]//a", xpath_literal(stage));
        let link = self
            .c
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("no review at {stage}: {e}"));
        let href = link.attr("href").await.expect("href").expect("href");
        self.goto(&href).await;
        self.settled().await;
        href
    }

    /// The status a review's task list shows for `task` (its address name).
    pub async fn task_status(&self, task: &str) -> String {
        self.wait_css(&format!("li[data-task='{task}'] .govuk-task-list__status"))
            .await
            .text()
            .await
            .expect("status")
            .trim()
            .to_owned()
    }

    /// Fails when the page is wider than the window (it would scroll sideways).
    pub async fn fits(&self, what: &str) {
        let overflow = self
            .c
            .execute("return document.documentElement.scrollWidth - document.documentElement.clientWidth;", vec![])
            .await
            .expect("measure");
        assert!(overflow.as_i64().unwrap_or(1) <= 0, "{what} is wider than the screen by {overflow} px");
    }

    /// Waits until focus is inside the element `css` (after an action, on its outcome).
    pub async fn wait_focus_in(&self, css: &str) {
        let script = format!(
            "return !!(document.activeElement && document.activeElement.closest({}));",
            serde_json::to_string(css).unwrap_or_default()
        );
        let until = std::time::Instant::now() + WAIT;
        loop {
            let inside = self.c.execute(&script, vec![]).await.ok().and_then(|v| v.as_bool()).unwrap_or(false);
            if inside {
                return;
            }
            if std::time::Instant::now() > until {
                let at = self
                    .c
                    .execute(
                        "return document.activeElement ? document.activeElement.outerHTML.slice(0, 200) : 'nothing';",
                        vec![],
                    )
                    .await
                    .ok();
                panic!("focus never moved into {css}; it is on {at:?}");
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// Waits until the review page has no load in flight.
    pub async fn settled(&self) {
        self.wait_css("#review[aria-busy='false']").await;
    }

    pub async fn body_text(&self) -> String {
        self.c.find(Locator::Css("body")).await.expect("body").text().await.expect("text")
    }

    pub async fn sign_in(&self, email: &str) {
        self.sign_in_with(email, "scr-demo-password").await;
    }

    /// Signs in as `email` with `password`, signing out whoever is signed in first.
    pub async fn sign_in_with(&self, email: &str, password: &str) {
        self.password_step(email, password).await;
        self.wait_text("Signed in as").await;
    }

    /// The sign-in page's first step: the e-mail address and password sent.
    pub async fn password_step(&self, email: &str, password: &str) {
        self.goto("/").await;
        // The client starts after the page loads: wait until it shows one state or the other.
        let either = "//input[@id='f-email'] | //button[normalize-space(.)='Sign out']";
        let found = self.c.wait().at_most(WAIT).for_element(Locator::XPath(either)).await.expect("the client starts");
        if found.tag_name().await.expect("tag") == "button" {
            // On a narrow screen the navigation, "Sign out" with it, is behind "Menu".
            if !found.is_displayed().await.expect("shown") {
                self.click_text("Menu").await;
            }
            found.click().await.expect("sign out");
        }
        self.fill("#f-email", email).await;
        self.fill("#f-password", password).await;
        self.click_text("Sign in").await;
    }

    /// Signs in as `email` for the first time with a second factor required: sets it
    /// up from the secret shown, as an authenticator app would. Answers the secret and
    /// the recovery codes.
    pub async fn sign_in_enrolling(&self, email: &str, password: &str) -> (String, Vec<String>) {
        self.password_step(email, password).await;
        self.enrol().await
    }

    /// The enrolment step of a sign-in: the code from the secret shown, then the
    /// recovery codes kept.
    pub async fn enrol(&self) -> (String, Vec<String>) {
        self.wait_text("Set up a second factor").await;
        let secret = self.wait_css("#totp-secret").await.text().await.expect("the secret");
        self.fill("#f-code", &e2e::totp_now(&secret)).await;
        self.click_text("Set up and continue").await;
        self.wait_text("Keep your recovery codes").await;
        let mut codes = Vec::new();
        for li in self.c.find_all(Locator::Css("#recovery-codes li")).await.expect("the codes") {
            codes.push(li.text().await.expect("a code"));
        }
        self.click_css("#codes-kept").await;
        self.wait_text("Signed in as").await;
        (secret, codes)
    }

    /// Signs in as `email` with a second factor set up: the password, then `code`.
    pub async fn sign_in_with_code(&self, email: &str, password: &str, code: &str) {
        self.password_step(email, password).await;
        self.wait_text("Enter your code").await;
        self.fill("#f-code", code).await;
        self.click_text("Continue").await;
        self.wait_text("Signed in as").await;
    }

    /// Runs axe-core on the page; fails on any serious or critical violation.
    /// Checks the page with axe-core at the window's width and, when that is wider,
    /// again at 390 pixels (a phone), where it must also not scroll sideways; the
    /// window is then set back.
    pub async fn axe(&self, what: &str) {
        self.axe_here(what).await;
        let size = self.c.get_window_size().await.expect("window size");
        if size.0 > 390 {
            self.c.set_window_size(390, 844).await.expect("narrow the window");
            // Let the page lay itself out again before measuring.
            let _ = self.c.execute_async("const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));", vec![]).await;
            self.fits(&format!("{what} at 390 px")).await;
            self.axe_here(&format!("{what} at 390 px")).await;
            self.c.set_window_size(size.0 as u32, size.1 as u32).await.expect("widen the window again");
        }
    }

    async fn axe_here(&self, what: &str) {
        let axe = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../frontend/node_modules/axe-core/axe.min.js"
        ))
        .expect("axe-core (npm, installed by scripts/build-client.sh)");
        self.c.execute(&axe, vec![]).await.expect("inject axe-core");
        let res = self
            .c
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations
                   .filter(v => v.impact === 'serious' || v.impact === 'critical')
                   .map(v => v.id + ': ' + v.help + ' (' + v.nodes.map(n => n.target.join(' ')).join(', ') + ')')));",
                vec![],
            )
            .await
            .expect("run axe-core");
        let found: Vec<String> = serde_json::from_value(res).unwrap_or_default();
        assert!(found.is_empty(), "accessibility violations on {what}: {found:#?}");
    }

    pub async fn screenshot(&self, name: &str) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/e2e-screenshots");
        let _ = std::fs::create_dir_all(&dir);
        if let Ok(png) = self.c.screenshot().await {
            let _ = std::fs::write(dir.join(format!("{name}.png")), png);
        }
    }
}

/// A GraphQL request to the server under test, outside the browser.
pub async fn api(base: &str, token: Option<&str>, query: &str, variables: serde_json::Value) -> serde_json::Value {
    let mut req =
        reqwest::Client::new().post(format!("{base}/graphql")).json(&json!({"query": query, "variables": variables}));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.expect("request").json().await.expect("json")
}

pub fn xpath_literal(s: &str) -> String {
    if !s.contains('\'') { format!("'{s}'") } else { format!("concat('{}')", s.replace('\'', "', \"'\", '")) }
}

/// Runs a journey on the demo data, then always saves a screenshot and closes the
/// browser, also when the journey fails.
pub async fn journey<F>(name: &str, f: F)
where
    F: for<'a> FnOnce(&'a Browser) -> futures::future::BoxFuture<'a, ()>,
{
    journey_on(start().await, name, f).await;
}

/// Runs a journey in browser `b` (see `journey`).
pub async fn journey_on<F>(b: Browser, name: &str, f: F)
where
    F: for<'a> FnOnce(&'a Browser) -> futures::future::BoxFuture<'a, ()>,
{
    let outcome = AssertUnwindSafe(f(&b)).catch_unwind().await;
    b.screenshot(name).await;
    let _ = b.c.clone().close().await;
    if let Err(p) = outcome {
        std::panic::resume_unwind(p);
    }
}
