//! The server's edges: how often a client address may sign in or ask anything without
//! signing in (`governor`'s keyed limiters, not a hand-rolled counter), which address a
//! request comes from (`X-Forwarded-For` believed only from configured proxies), and
//! what is open only in development (schema introspection without signing in) or only
//! with a token (`/metrics`).

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::http::HeaderMap;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// How many requests a client address may make a minute.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Sign-in attempts (`login`, `setPasswordWithLink`).
    pub sign_in_per_minute: u32,
    /// Requests without a signed-in caller.
    pub anonymous_per_minute: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { sign_in_per_minute: 10, anonymous_per_minute: 120 }
    }
}

/// The edge settings and limiters, shared by every request of the process.
#[derive(Clone)]
pub struct Edge {
    /// Development mode: the schema may be introspected without signing in.
    pub dev: bool,
    /// `/metrics` answers only `Authorization: Bearer <this>`; not served without it.
    pub metrics_token: Option<String>,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpAddr>,
    /// The longest a request's body may take to arrive, however it trickles in.
    pub body_deadline: std::time::Duration,
    sign_in: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    anonymous: Arc<DefaultKeyedRateLimiter<IpAddr>>,
}

fn quota(per_minute: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN))
}

impl Edge {
    pub fn new(dev: bool, metrics_token: Option<String>, trusted_proxies: Vec<IpAddr>, limits: Limits) -> Self {
        Edge {
            dev,
            metrics_token: metrics_token.filter(|t| !t.is_empty()),
            trusted_proxies,
            body_deadline: std::time::Duration::from_secs(20),
            sign_in: Arc::new(RateLimiter::keyed(quota(limits.sign_in_per_minute))),
            anonymous: Arc::new(RateLimiter::keyed(quota(limits.anonymous_per_minute))),
        }
    }

    /// No limit an address could reach: for benchmarks, whose load comes from one.
    pub fn unlimited() -> Self {
        Edge::new(false, None, Vec::new(), Limits { sign_in_per_minute: u32::MAX, anonymous_per_minute: u32::MAX })
    }

    /// As it is, with `body_deadline`.
    pub fn with_body_deadline(mut self, d: std::time::Duration) -> Self {
        self.body_deadline = d;
        self
    }

    /// The client's address: the connection's peer, or, when the peer is a trusted
    /// proxy, the nearest address in `X-Forwarded-For` that is not one.
    pub fn client_address(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> IpAddr {
        let peer = peer.unwrap_or(IpAddr::from([0, 0, 0, 0]));
        if !self.trusted_proxies.contains(&peer) {
            return peer;
        }
        let forwarded: Vec<IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse().ok())
            .collect();
        forwarded.into_iter().rev().find(|a| !self.trusted_proxies.contains(a)).unwrap_or(peer)
    }

    /// One sign-in attempt from `ip`: `Err(seconds to wait)` over the limit.
    pub fn sign_in(&self, ip: IpAddr) -> Result<(), i64> {
        check(&self.sign_in, ip)
    }

    /// One request without a signed-in caller from `ip`.
    pub fn anonymous(&self, ip: IpAddr) -> Result<(), i64> {
        check(&self.anonymous, ip)
    }
}

/// The key an address is limited by: an IPv6 address by its /64 (what one subscriber
/// or host usually holds), so one network cannot spread its attempts over addresses.
fn bucket(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(std::net::Ipv6Addr::from(bits))
        }
        v4 => v4,
    }
}

fn check(limiter: &DefaultKeyedRateLimiter<IpAddr>, ip: IpAddr) -> Result<(), i64> {
    let ip = bucket(ip);
    // Addresses not seen for a while are forgotten, so the map stays small.
    if limiter.len() > 10_000 {
        limiter.retain_recent();
    }
    limiter.check_key(&ip).map_err(|not_until| {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        i64::try_from(wait.as_secs()).unwrap_or(60).max(1)
    })
}

impl std::fmt::Debug for Edge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Edge")
            .field("dev", &self.dev)
            .field("metrics_token", &self.metrics_token.as_ref().map(|_| "(set)"))
            .field("trusted_proxies", &self.trusted_proxies)
            .finish_non_exhaustive()
    }
}

impl Default for Edge {
    fn default() -> Self {
        Edge::new(false, None, Vec::new(), Limits::default())
    }
}

/// The client address of a request, put in its GraphQL context.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub IpAddr);

/// At most one sign-in in a request: aliased `login` fields cannot try many passwords
/// (or many accounts) for the price of one request.
#[derive(Debug, Default)]
pub struct SignInOnce(std::sync::atomic::AtomicBool);

impl SignInOnce {
    /// True the first time in a request, false after.
    pub fn first(&self) -> bool {
        !self.0.swap(true, std::sync::atomic::Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_forwarded_address_is_believed_only_from_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let edge = Edge::new(false, None, vec![proxy], Limits::default());
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "203.0.113.9, 10.0.0.1".parse().unwrap());
        assert_eq!(edge.client_address(Some(proxy), &h), "203.0.113.9".parse::<IpAddr>().unwrap());
        let stranger: IpAddr = "198.51.100.7".parse().unwrap();
        assert_eq!(edge.client_address(Some(stranger), &h), stranger, "a header from anyone else is ignored");
    }

    #[test]
    fn an_address_over_its_limit_waits_and_another_does_not() {
        let edge = Edge::new(false, None, Vec::new(), Limits { sign_in_per_minute: 2, anonymous_per_minute: 2 });
        let a: IpAddr = "203.0.113.1".parse().unwrap();
        let b: IpAddr = "203.0.113.2".parse().unwrap();
        assert!(edge.sign_in(a).is_ok() && edge.sign_in(a).is_ok());
        assert!(edge.sign_in(a).unwrap_err() >= 1);
        assert!(edge.sign_in(b).is_ok());
    }

    #[test]
    fn one_ipv6_network_is_one_address() {
        let edge = Edge::new(false, None, Vec::new(), Limits { sign_in_per_minute: 1, anonymous_per_minute: 1 });
        assert!(edge.sign_in("2001:db8:1:2::1".parse().unwrap()).is_ok());
        assert!(edge.sign_in("2001:db8:1:2:ffff::9".parse().unwrap()).is_err(), "the same /64");
        assert!(edge.sign_in("2001:db8:1:3::1".parse().unwrap()).is_ok(), "another /64");
    }

    #[test]
    fn a_request_signs_in_once() {
        let once = SignInOnce::default();
        assert!(once.first());
        assert!(!once.first());
    }
}
