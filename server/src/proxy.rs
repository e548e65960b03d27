//! Behind a proxy (server): who the client really is. `TRUSTED_PROXIES` lists the CIDRs
//! of the proxies in front of this server (nginx, a load balancer). For a request from one
//! of them, the client is the right-most address in `X-Forwarded-For` that is not itself a
//! trusted proxy, and the scheme is the proxy's `X-Forwarded-Proto`; for a request from
//! anyone else those headers are removed before any handler sees them, so a client cannot
//! claim another address (to escape its rate limits) or claim HTTPS. Handlers take the
//! result as the [`ClientIp`] extractor; cookies' `Secure` and HSTS follow the header
//! that is left.

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::request::Parts;
use ipnet::IpNet;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The proxies whose forwarding headers are believed.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(pub Arc<Vec<IpNet>>);

impl TrustedProxies {
    /// From `TRUSTED_PROXIES`: comma-separated CIDRs or single addresses.
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut nets = Vec::new();
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let net = item
                .parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("TRUSTED_PROXIES: {item:?} is not an address or CIDR"))?;
            nets.push(net);
        }
        Ok(TrustedProxies(Arc::new(nets)))
    }

    pub fn trusts(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|n| n.contains(&ip))
    }

    /// The client behind `peer`, given the `X-Forwarded-For` values in order.
    pub fn client(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        if !self.trusts(peer) {
            return canonical(peer);
        }
        let chain: Vec<IpAddr> = forwarded_for
            .iter()
            .flat_map(|v| v.split(','))
            .filter_map(|a| parse_forwarded(a.trim()))
            .collect();
        // Right to left: each hop appended the address it saw; the first we do not trust
        // is the client (anything left of it could have been made up).
        chain
            .iter()
            .rev()
            .copied()
            .find(|ip| !self.trusts(*ip))
            .or_else(|| chain.first().copied())
            .map_or(canonical(peer), canonical)
    }
}

/// An address as `X-Forwarded-For` carries it: `203.0.113.9`, `2001:db8::1`,
/// `[2001:db8::1]:443` or `203.0.113.9:51000`.
fn parse_forwarded(s: &str) -> Option<IpAddr> {
    if let Ok(ip) = s.parse() {
        return Some(ip);
    }
    if let Ok(sock) = s.parse::<SocketAddr>() {
        return Some(sock.ip());
    }
    None
}

/// IPv4-mapped IPv6 (`::ffff:1.2.3.4`) as IPv4, so one client is one key.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The client's address as this server believes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        if let Some(ip) = parts.extensions.get::<ClientIp>() {
            return Ok(*ip);
        }
        // Outside the layer (a test router): the socket's peer.
        Ok(ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or(IpAddr::from([0, 0, 0, 0]), |c| canonical(c.0.ip())),
        ))
    }
}

const FORWARDING: [&str; 4] = [
    "x-forwarded-for",
    "x-forwarded-proto",
    "x-forwarded-host",
    "forwarded",
];

/// The layer: decides [`ClientIp`], and drops forwarding headers an untrusted peer sent.
pub async fn forwarded(
    State(trusted): State<TrustedProxies>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let client = match peer {
        Some(peer) if trusted.trusts(peer) => {
            let values: Vec<String> = request
                .headers()
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok().map(str::to_owned))
                .collect();
            let refs: Vec<&str> = values.iter().map(String::as_str).collect();
            trusted.client(peer, &refs)
        }
        other => {
            let headers = request.headers_mut();
            for name in FORWARDING {
                headers.remove(name);
            }
            other.map_or(IpAddr::from([0, 0, 0, 0]), canonical)
        }
    };
    request.extensions_mut().insert(ClientIp(client));
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn only_a_trusted_peer_is_believed() {
        let t = TrustedProxies::parse("10.0.0.0/8, 127.0.0.1").unwrap();
        assert!(t.trusts(ip("10.1.2.3")) && t.trusts(ip("127.0.0.1")));
        assert!(
            t.trusts(ip("::ffff:127.0.0.1")),
            "IPv4-mapped is the same address"
        );
        assert!(!t.trusts(ip("192.0.2.1")));
        // A stranger's header is ignored.
        assert_eq!(t.client(ip("192.0.2.1"), &["203.0.113.9"]), ip("192.0.2.1"));
        // Behind our proxy: the client it saw.
        assert_eq!(
            t.client(ip("10.0.0.5"), &["203.0.113.9"]),
            ip("203.0.113.9")
        );
        // A client prepending a lie: the right-most untrusted hop wins.
        assert_eq!(
            t.client(ip("10.0.0.5"), &["1.1.1.1, 203.0.113.9"]),
            ip("203.0.113.9")
        );
        // Two of our proxies, and ports and brackets.
        assert_eq!(
            t.client(ip("10.0.0.5"), &["[2001:db8::7]:443", "10.0.0.9"]),
            ip("2001:db8::7")
        );
        // Nothing usable: the proxy itself.
        assert_eq!(t.client(ip("10.0.0.5"), &["garbage"]), ip("10.0.0.5"));
        assert!(TrustedProxies::parse("not-a-net").is_err());
        assert!(TrustedProxies::parse("").unwrap().0.is_empty());
    }
}
