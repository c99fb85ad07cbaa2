//! Single sign-on through a real OpenID provider run by the test (npm `oidc-provider`
//! on loopback): the browser signs in through it and the first sign-in binds the
//! provider's subject to the account with that verified address; a later sign-in by
//! another subject with the same address is refused, as is an address the provider
//! does not vouch for, and an administrator's account; a restarted provider signs with a new key, which is fetched; a
//! `state` or `nonce` changed on the way is refused.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use e2e::{Options, Server};
use fantoccini::Locator;
use futures::FutureExt;
use support::{Browser, WAIT, free_port, journey_on, start_on};

fn provider_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/oidc"))
}

/// The identity provider, on `port`, sending people back to `redirect`.
struct Idp {
    child: Child,
    port: u16,
    redirect: String,
}

impl Idp {
    fn start(port: u16, redirect: &str) -> Self {
        if !provider_dir().join("node_modules/oidc-provider").exists() {
            let installed = Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--silent"])
                .current_dir(provider_dir())
                .status()
                .expect("npm (Node.js) installs the test's identity provider");
            assert!(installed.success(), "npm ci in e2e/oidc failed");
        }
        let mut child = Command::new("node")
            .arg(provider_dir().join("provider.mjs"))
            .args([port.to_string(), redirect.to_owned()])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("node runs the identity provider");
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        out.read_line(&mut line).expect("the provider starts");
        assert!(line.starts_with("listening"), "the provider did not start: {line:?}");
        // Whatever it writes later is read, so that it never writes to a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        Self { child, port, redirect: redirect.to_owned() }
    }

    /// Stops the provider and starts it again: a new signing key under a new key id.
    fn rotate(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        *self = Self::start(self.port, &self.redirect.clone());
    }
}

impl Drop for Idp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Signs in at the provider's own page as `login` (any password), agreeing to share.
async fn at_the_provider(b: &Browser, login: &str) {
    b.fill("input[name='login']", login).await;
    b.fill("input[name='password']", "any password").await;
    b.click_css("button[type='submit']").await;
    // The provider asks once to share the address with this client; then it goes back.
    let either =
        "//button[normalize-space(.)='Continue'] | //*[contains(., 'Signed in as')] | //*[@id='provider-refusal']";
    let Ok(found) = b.c.wait().at_most(WAIT).for_element(Locator::XPath(either)).await else {
        let at = b.c.current_url().await.map(|u| u.to_string()).unwrap_or_default();
        panic!("the provider did not answer at {at}: {}", b.body_text().await);
    };
    if found.tag_name().await.expect("tag") == "button" {
        found.click().await.expect("agree");
    }
}

/// The "Sign in with ..." button, then the provider's page as `login`.
async fn through_the_provider(b: &Browser, login: &str) {
    b.goto("/").await;
    b.click_text("Sign in with Stockport Council").await;
    at_the_provider(b, login).await;
}

/// Forgets the provider's session (its cookies are on `localhost`) and signs out here.
async fn forget(b: &Browser, idp: u16) {
    b.c.goto(&format!("http://localhost:{idp}/.well-known/openid-configuration")).await.expect("the provider");
    b.c.delete_all_cookies().await.expect("forget the provider");
    b.goto("/").await;
    let either = "//input[@id='f-email'] | //button[normalize-space(.)='Sign out']";
    let found = b.c.wait().at_most(WAIT).for_element(Locator::XPath(either)).await.expect("the client starts");
    if found.tag_name().await.expect("tag") == "button" {
        found.click().await.expect("sign out");
        b.wait_css("#f-email").await;
    }
}

/// A flow started outside the browser, whose `param` (if any) is changed on its way to
/// the provider: the browser gets the flow cookie and goes to the changed address.
async fn tampered(b: &Browser, param: Option<&str>) {
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let res = http.get(format!("{}/api/oidc/council/start", b.base)).send().await.expect("start");
    let location = res.headers()["location"].to_str().expect("location").to_owned();
    let set = res.headers()["set-cookie"].to_str().expect("cookie").to_owned();
    let value = set.split(';').next().and_then(|p| p.strip_prefix("scr_oidc=")).expect("the flow cookie").to_owned();
    let (path, query) = location.split_once('?').expect("a query");
    let changed: Vec<String> = query
        .split('&')
        .map(|p| match param {
            Some(param) if p.starts_with(&format!("{param}=")) => format!("{param}=changed-on-the-way"),
            _ => p.to_owned(),
        })
        .collect();
    assert!(param.is_none() || changed.iter().any(|p| p.ends_with("changed-on-the-way")), "{param:?} in {location}");
    b.goto("/").await;
    b.c.execute("document.cookie = 'scr_oidc=' + arguments[0] + '; path=/api/oidc';", vec![value.into()])
        .await
        .expect("the flow cookie");
    b.c.goto(&format!("{path}?{}", changed.join("&"))).await.expect("the provider");
    at_the_provider(b, "chair-sub").await;
}

#[tokio::test]
async fn people_sign_in_through_their_organisations_provider_and_nobody_by_an_address_alone() {
    let (port, idp_port) = (free_port(), free_port());
    let base = format!("http://127.0.0.1:{port}");
    let idp = Idp::start(idp_port, &format!("{base}/api/oidc/council/callback"));
    let dir = std::env::temp_dir().join(format!("scr_oidc_{}_{port}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.join("scr.db").display());
    let env = [
        ("SCR_PUBLIC_URL", base.clone()),
        ("SCR_OIDC_PROVIDERS", "council".into()),
        ("SCR_OIDC_COUNCIL_NAME", "Stockport Council".into()),
        ("SCR_OIDC_COUNCIL_ISSUER", format!("http://localhost:{idp_port}")),
        ("SCR_OIDC_COUNCIL_CLIENT_ID", "scr".into()),
        ("SCR_OIDC_COUNCIL_CLIENT_SECRET", "scr-test-client-secret".into()),
        ("SCR_OIDC_COUNCIL_DOMAINS", "scr.example".into()),
    ];
    let options = Options {
        env: env.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
        bind: Some(format!("127.0.0.1:{port}")),
        ..Options::default()
    };
    let b = start_on(Server::start_with(url, dir, options)).await;
    journey_on(b, "single_sign_on", move |b| {
        async move {
            let mut idp = idp;
            // The first sign-in binds the provider's subject to the Chair's account.
            b.goto("/").await;
            b.wait_css("#sign-in-providers").await;
            b.axe("the sign-in page with a provider").await;
            through_the_provider(b, "chair-sub").await;
            b.wait_text("Signed in as").await;
            assert!(b.body_text().await.contains("chair@scr.example"));

            // The same address under another subject: refused, the binding holds.
            forget(b, idp.port).await;
            through_the_provider(b, "impostor-sub").await;
            b.wait_css("#provider-refusal").await;
            assert!(!b.body_text().await.contains("Signed in as"));

            // An address the provider does not vouch for: refused.
            forget(b, idp.port).await;
            through_the_provider(b, "unverified-sub").await;
            b.wait_css("#provider-refusal").await;

            // An administrator's account is never bound through a provider.
            forget(b, idp.port).await;
            through_the_provider(b, "admin-sub").await;
            b.wait_css("#provider-refusal").await;

            // The provider restarts with a new signing key: fetched, and accepted.
            idp.rotate();
            forget(b, idp.port).await;
            through_the_provider(b, "chair-sub").await;
            b.wait_text("Signed in as").await;

            // The same flow unchanged signs in (the control) ...
            forget(b, idp.port).await;
            tampered(b, None).await;
            b.wait_text("Signed in as").await;
            // ... but with a state or a nonce changed on the way, nobody.
            for param in ["state", "nonce"] {
                forget(b, idp.port).await;
                tampered(b, Some(param)).await;
                b.wait_css("#provider-refusal").await;
                tokio::time::sleep(Duration::from_millis(500)).await; // time for a renewal that must not come
                assert!(!b.body_text().await.contains("Signed in as"), "a changed {param} signs nobody in");
            }
        }
        .boxed()
    })
    .await;
}
