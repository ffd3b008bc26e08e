//! Browser network errors: failures before any HTTP status exists.
//!
//! Each entry is keyed by Chromium's code (`ERR_...`, without `net::`) and lists the other
//! spellings people paste: Chrome's DNS probe names, the `NET::ERR_CERT_...` interstitial
//! codes, Firefox's `NS_ERROR_...`, `SSL_ERROR_...`, `SEC_ERROR_...` and
//! `MOZILLA_PKIX_ERROR_...` codes, and the `e=` names of Firefox's about:neterror page.
//!
//! The hop says where the failure most likely sits: `browser` (the visitor's browser or
//! device), `network` (the visitor's connection, DNS resolver, proxy or anything on the
//! way), `origin` (the site's own server or whichever server of the site answers first), or
//! `unknown` when the code alone cannot tell.

use crate::model::{Hop, RetryAdvice};

/// Knowledge about one browser network error.
#[derive(Debug)]
pub struct NetErrorInfo {
    /// Canonical Chromium code without the `net::` prefix, e.g. `ERR_NAME_NOT_RESOLVED`.
    pub code: &'static str,
    /// Other spellings of the same failure: Chrome's `DNS_PROBE_FINISHED_NXDOMAIN`,
    /// Firefox's `NS_ERROR_UNKNOWN_HOST`, `dnsNotFound`, `SSL_ERROR_...`.
    pub aliases: &'static [&'static str],
    /// The hop that failed.
    pub hop: Hop,
    /// A short name for the failure, e.g. `DNS lookup failed`.
    pub label: &'static str,
    /// One sentence: what happened.
    pub meaning: &'static str,
    pub retry: RetryAdvice,
    /// What kind of failure this is; advice is chosen from it.
    pub kind: NetKind,
}

/// Families of network errors that share advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetKind {
    /// The site's name could not be turned into an address.
    Dns,
    /// The DNS resolver itself could not be reached or is misconfigured.
    DnsConfig,
    /// The device has no working connection.
    Offline,
    /// The server's address answered that nothing listens there.
    Refused,
    /// The connection was cut, reset or closed without an answer.
    Dropped,
    /// Nothing answered in time.
    Timeout,
    /// No route to the server's address.
    Unreachable,
    /// The device switched networks mid-request.
    NetworkChanged,
    /// The browser's configured proxy failed.
    Proxy,
    /// The secure connection could not be set up (protocol, version, cipher).
    Tls,
    /// The certificate is not signed by an authority the browser trusts.
    CertAuthority,
    /// The certificate is expired or not yet valid (or the device clock is wrong).
    CertDate,
    /// The certificate is for another name.
    CertName,
    /// The certificate was withdrawn by its issuer.
    CertRevoked,
    /// Some other problem with the certificate.
    CertOther,
    /// The site redirects in a circle.
    Redirects,
    /// The server sent something the browser could not use.
    BadResponse,
    /// The browser itself (an extension, a policy) blocked the request.
    Blocked,
    /// An HTTP/2 or QUIC (HTTP/3) protocol failure.
    Protocol,
    /// A page that came from a form needs to be sent again.
    CacheMiss,
    /// A local file does not exist.
    FileNotFound,
    /// The address itself is invalid or uses a forbidden port.
    BadUrl,
    /// The request was cancelled.
    Aborted,
    /// The server answered with an error status and no page (Chrome's "HTTP ERROR nnn").
    HttpStatus,
    /// A failure the code alone does not explain.
    Other,
}

macro_rules! net {
    ($code:literal, [$($alias:literal),* $(,)?], $hop:ident, $kind:ident, $retry:ident, $label:literal, $meaning:literal $(,)?) => {
        NetErrorInfo {
            code: $code,
            aliases: &[$($alias),*],
            hop: Hop::$hop,
            label: $label,
            meaning: $meaning,
            retry: RetryAdvice::$retry,
            kind: NetKind::$kind,
        }
    };
}

/// Every network error the core knows.
pub static NET_ERRORS: &[NetErrorInfo] = &[
    // Name resolution.
    net!(
        "ERR_NAME_NOT_RESOLVED",
        [
            "DNS_PROBE_FINISHED_NXDOMAIN",
            "DNS_PROBE_POSSIBLE",
            "DNS_PROBE_STARTED",
            "NS_ERROR_UNKNOWN_HOST",
            "dnsNotFound"
        ],
        Network,
        Dns,
        Soon,
        "Server not found",
        "The browser could not find an address for the site's name: the name may be mistyped, the domain may not exist or have lapsed, or the DNS resolver in use gave a wrong or stale answer.",
    ),
    net!(
        "ERR_NAME_RESOLUTION_FAILED",
        [
            "DNS_PROBE_FINISHED_BAD_CONFIG",
            "DNS_PROBE_FINISHED_BAD_SECURE_CONFIG",
            "DNS_PROBE_FINISHED_NO_INTERNET_CONFIG"
        ],
        Network,
        DnsConfig,
        Soon,
        "DNS server not responding",
        "The DNS server your device is set to use did not answer or is misconfigured, so no site name could be looked up.",
    ),
    net!(
        "ERR_INTERNET_DISCONNECTED",
        [
            "DNS_PROBE_FINISHED_NO_INTERNET",
            "NS_ERROR_OFFLINE",
            "netOffline"
        ],
        Network,
        Offline,
        Soon,
        "No internet connection",
        "Your device is not connected to the internet, so the request never left it.",
    ),
    // Connecting.
    net!(
        "ERR_CONNECTION_REFUSED",
        ["NS_ERROR_CONNECTION_REFUSED", "connectionFailure"],
        Origin,
        Refused,
        Soon,
        "Connection refused",
        "The site's address was reached, but nothing there accepted the connection: the web server is down, or not listening on this port.",
    ),
    net!(
        "ERR_CONNECTION_FAILED",
        [],
        Network,
        Unreachable,
        Soon,
        "Connection failed",
        "The browser could not open a connection to the site for a reason it did not pin down.",
    ),
    net!(
        "ERR_CONNECTION_TIMED_OUT",
        ["NS_ERROR_NET_TIMEOUT", "netTimeout"],
        Network,
        Timeout,
        Soon,
        "Connection timed out",
        "The browser tried to connect to the site and heard nothing back in time: the server may be down or overloaded, or a firewall on the way drops the traffic.",
    ),
    net!(
        "ERR_TIMED_OUT",
        [],
        Network,
        Timeout,
        Soon,
        "Timed out",
        "The request took too long and the browser gave up waiting.",
    ),
    net!(
        "ERR_ADDRESS_UNREACHABLE",
        [],
        Network,
        Unreachable,
        Soon,
        "Address unreachable",
        "There is no network route from your connection to the site's address, often a problem with the local network, a VPN or IPv6 setup.",
    ),
    net!(
        "ERR_NETWORK_CHANGED",
        [],
        Network,
        NetworkChanged,
        Now,
        "Network changed",
        "Your device switched networks (for example Wi-Fi to mobile data, or a VPN going up or down) while the page was loading.",
    ),
    // Connection cut.
    net!(
        "ERR_CONNECTION_RESET",
        ["NS_ERROR_NET_RESET", "netReset"],
        Network,
        Dropped,
        Soon,
        "Connection reset",
        "The connection was cut off abruptly, by the server or by something in between such as a firewall, filter or unstable link.",
    ),
    net!(
        "ERR_CONNECTION_CLOSED",
        ["NS_ERROR_NET_INTERRUPT", "netInterrupt"],
        Origin,
        Dropped,
        Soon,
        "Connection closed",
        "The site's server closed the connection unexpectedly before the page was delivered.",
    ),
    net!(
        "ERR_CONNECTION_ABORTED",
        [],
        Network,
        Dropped,
        Soon,
        "Connection aborted",
        "The connection was dropped because data sent to the site was never acknowledged, often a flaky network link.",
    ),
    net!(
        "ERR_EMPTY_RESPONSE",
        ["NS_ERROR_NET_EMPTY_RESPONSE"],
        Origin,
        Dropped,
        Soon,
        "No data received",
        "The site's server accepted the connection and then closed it without sending anything back.",
    ),
    // Proxies.
    net!(
        "ERR_PROXY_CONNECTION_FAILED",
        [
            "NS_ERROR_PROXY_CONNECTION_REFUSED",
            "proxyConnectFailure",
            "NS_ERROR_UNKNOWN_PROXY_HOST",
            "proxyResolveFailure"
        ],
        Network,
        Proxy,
        No,
        "Proxy not reachable",
        "The browser is set to go through a proxy server, and that proxy could not be reached.",
    ),
    net!(
        "ERR_TUNNEL_CONNECTION_FAILED",
        [],
        Network,
        Proxy,
        Soon,
        "Proxy tunnel failed",
        "The proxy your browser uses could not open a connection to the site on your behalf.",
    ),
    // Secure connection.
    net!(
        "ERR_SSL_PROTOCOL_ERROR",
        [
            "SSL_ERROR_RX_RECORD_TOO_LONG",
            "SSL_ERROR_RX_MALFORMED_SERVER_HELLO",
            "nssFailure2",
            "NS_ERROR_NET_INADEQUATE_SECURITY",
            "inadequateSecurityError"
        ],
        Origin,
        Tls,
        No,
        "Secure connection failed",
        "The secure (TLS) connection could not be set up because the server's answer did not follow the protocol, often a server speaking plain HTTP on the HTTPS port.",
    ),
    net!(
        "ERR_SSL_VERSION_OR_CIPHER_MISMATCH",
        [
            "SSL_ERROR_NO_CYPHER_OVERLAP",
            "SSL_ERROR_UNSUPPORTED_VERSION",
            "SSL_ERROR_PROTOCOL_VERSION_ALERT",
            "SSL_ERROR_HANDSHAKE_FAILURE_ALERT",
            "ERR_SSL_OBSOLETE_VERSION"
        ],
        Origin,
        Tls,
        No,
        "No common security settings",
        "The browser and the server could not agree on a TLS version or cipher, usually because the server only offers outdated ones or has no certificate for this name.",
    ),
    net!(
        "ERR_SSL_UNRECOGNIZED_NAME_ALERT",
        ["SSL_ERROR_UNRECOGNIZED_NAME_ALERT"],
        Origin,
        Tls,
        No,
        "Unknown site name",
        "The server that answered does not recognise this site's name, so it cannot present a certificate for it.",
    ),
    net!(
        "ERR_BAD_SSL_CLIENT_AUTH_CERT",
        ["SSL_ERROR_BAD_CERT_ALERT"],
        Browser,
        Tls,
        No,
        "Client certificate rejected",
        "The site asked for a personal certificate, and it rejected the one the browser offered.",
    ),
    net!(
        "ERR_CERT_AUTHORITY_INVALID",
        [
            "SEC_ERROR_UNKNOWN_ISSUER",
            "SEC_ERROR_UNTRUSTED_ISSUER",
            "SEC_ERROR_CA_CERT_INVALID",
            "MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT",
            "MOZILLA_PKIX_ERROR_MITM_DETECTED"
        ],
        Origin,
        CertAuthority,
        No,
        "Certificate not trusted",
        "The site's certificate is not signed by an authority the browser trusts: it may be self-signed or missing its intermediate certificate, or something on your network is intercepting the connection.",
    ),
    net!(
        "ERR_CERT_DATE_INVALID",
        [
            "SEC_ERROR_EXPIRED_CERTIFICATE",
            "SEC_ERROR_EXPIRED_ISSUER_CERTIFICATE",
            "MOZILLA_PKIX_ERROR_NOT_YET_VALID_CERTIFICATE",
            "MOZILLA_PKIX_ERROR_NOT_YET_VALID_ISSUER_CERTIFICATE"
        ],
        Origin,
        CertDate,
        No,
        "Certificate expired",
        "The site's certificate has expired or is not valid yet, or your device's clock is set to the wrong date.",
    ),
    net!(
        "ERR_CERT_COMMON_NAME_INVALID",
        ["SSL_ERROR_BAD_CERT_DOMAIN"],
        Origin,
        CertName,
        No,
        "Certificate for another name",
        "The certificate the server presented is for a different name than the one in the address bar (for example without or with www).",
    ),
    net!(
        "ERR_CERT_REVOKED",
        ["SEC_ERROR_REVOKED_CERTIFICATE"],
        Origin,
        CertRevoked,
        No,
        "Certificate revoked",
        "The issuer withdrew the site's certificate, so the connection cannot be trusted.",
    ),
    net!(
        "ERR_CERT_INVALID",
        ["SEC_ERROR_BAD_SIGNATURE", "SEC_ERROR_BAD_DER", "nssBadCert"],
        Origin,
        CertOther,
        No,
        "Certificate invalid",
        "The site's certificate is malformed or failed the browser's checks.",
    ),
    // Redirects and responses.
    net!(
        "ERR_TOO_MANY_REDIRECTS",
        ["NS_ERROR_REDIRECT_LOOP", "redirectLoop"],
        Origin,
        Redirects,
        No,
        "Redirect loop",
        "The site kept sending the browser from one address to another in a circle, so it stopped; a setup mistake on the site, or sometimes a stale cookie.",
    ),
    net!(
        "ERR_INVALID_RESPONSE",
        ["NS_ERROR_CORRUPTED_CONTENT", "corruptedContentErrorv2"],
        Origin,
        BadResponse,
        Soon,
        "Invalid response",
        "The server answered with something that is not a valid HTTP response.",
    ),
    net!(
        "ERR_RESPONSE_HEADERS_TOO_BIG",
        [],
        Origin,
        BadResponse,
        No,
        "Response headers too big",
        "The server's response headers were larger than the browser accepts.",
    ),
    net!(
        "ERR_CONTENT_DECODING_FAILED",
        ["NS_ERROR_INVALID_CONTENT_ENCODING", "contentEncodingError"],
        Origin,
        BadResponse,
        Soon,
        "Content encoding error",
        "The server said the page was compressed one way but sent something the browser could not decompress.",
    ),
    net!(
        "ERR_INCOMPLETE_CHUNKED_ENCODING",
        [],
        Origin,
        Dropped,
        Soon,
        "Response cut short",
        "The server started sending the page but stopped before the end.",
    ),
    net!(
        "ERR_HTTP2_PROTOCOL_ERROR",
        ["NS_ERROR_NET_HTTP2_SENT_GOAWAY", "networkProtocolError"],
        Origin,
        Protocol,
        Soon,
        "HTTP/2 protocol error",
        "The HTTP/2 exchange with the server broke down, usually a server or proxy bug, or security software on your device interfering.",
    ),
    net!(
        "ERR_QUIC_PROTOCOL_ERROR",
        ["NS_ERROR_NET_HTTP3_PROTOCOL_ERROR"],
        Network,
        Protocol,
        Soon,
        "QUIC protocol error",
        "The HTTP/3 (QUIC) connection failed, often because a network, firewall or VPN blocks or mangles the UDP traffic it uses.",
    ),
    net!(
        "ERR_HTTP_RESPONSE_CODE_FAILURE",
        [],
        Unknown,
        HttpStatus,
        Soon,
        "HTTP error without a page",
        "The server answered with an error status and no page of its own, so the browser showed its own error page.",
    ),
    // Browser-side.
    net!(
        "ERR_BLOCKED_BY_CLIENT",
        [],
        Browser,
        Blocked,
        No,
        "Blocked by the browser",
        "Something in your browser, usually an ad blocker or privacy extension, stopped the request.",
    ),
    net!(
        "ERR_BLOCKED_BY_ADMINISTRATOR",
        ["NS_ERROR_BLOCKED_BY_POLICY", "blockedByPolicy"],
        Browser,
        Blocked,
        No,
        "Blocked by policy",
        "A policy set by whoever manages this browser or device forbids opening this page.",
    ),
    net!(
        "ERR_NETWORK_ACCESS_DENIED",
        [],
        Browser,
        Blocked,
        No,
        "Network access denied",
        "Security software or a firewall on your device stopped the browser from reaching the network.",
    ),
    net!(
        "ERR_CACHE_MISS",
        ["NS_ERROR_DOCUMENT_NOT_CACHED", "notCached"],
        Browser,
        CacheMiss,
        Now,
        "Confirm form resubmission",
        "The page came from submitting a form, and the browser needs your permission to send that form again.",
    ),
    net!(
        "ERR_FILE_NOT_FOUND",
        ["NS_ERROR_FILE_NOT_FOUND", "fileNotFound"],
        Browser,
        FileNotFound,
        No,
        "File not found",
        "The local file the address points to does not exist on this device.",
    ),
    net!(
        "ERR_INVALID_URL",
        ["NS_ERROR_MALFORMED_URI", "malformedURI"],
        Browser,
        BadUrl,
        No,
        "Invalid address",
        "The address is not a valid web address.",
    ),
    net!(
        "ERR_UNSAFE_PORT",
        ["NS_ERROR_PORT_ACCESS_NOT_ALLOWED", "deniedPortAccess"],
        Browser,
        BadUrl,
        No,
        "Port not allowed",
        "The address uses a port the browser refuses to contact for safety reasons.",
    ),
    net!(
        "ERR_ABORTED",
        ["NS_BINDING_ABORTED"],
        Browser,
        Aborted,
        Now,
        "Request cancelled",
        "The request was cancelled before it finished, by a click, a new navigation, an extension or the page itself.",
    ),
    net!(
        "ERR_FAILED",
        [],
        Unknown,
        Other,
        Soon,
        "Load failed",
        "The page failed to load for a reason the browser did not name.",
    ),
];

/// Looks a network error up by any of its spellings (with or without `net::`, any case).
pub fn info(code: &str) -> Option<&'static NetErrorInfo> {
    let code = normalise(code);
    if code.is_empty() {
        return None;
    }
    NET_ERRORS.iter().find(|e| {
        e.code.eq_ignore_ascii_case(code) || e.aliases.iter().any(|a| a.eq_ignore_ascii_case(code))
    })
}

/// Strips what surrounds a code when it is pasted: `net::`, `NET::`, `Error code: `, `e=`.
fn normalise(code: &str) -> &str {
    let mut code = code
        .trim()
        .trim_matches(|c: char| c == '"' || c == '\'' || c == '.');
    for prefix in ["error code:", "e=", "net::"] {
        if let Some(head) = code.get(..prefix.len())
            && head.eq_ignore_ascii_case(prefix)
        {
            code = code.get(prefix.len()..).unwrap_or_default().trim();
        }
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_by_alias_and_case() {
        let cases: &[(&str, &str)] = &[
            ("ERR_NAME_NOT_RESOLVED", "ERR_NAME_NOT_RESOLVED"),
            ("net::ERR_NAME_NOT_RESOLVED", "ERR_NAME_NOT_RESOLVED"),
            ("dns_probe_finished_nxdomain", "ERR_NAME_NOT_RESOLVED"),
            ("DNS_PROBE_FINISHED_NXDOMAIN", "ERR_NAME_NOT_RESOLVED"),
            ("NS_ERROR_UNKNOWN_HOST", "ERR_NAME_NOT_RESOLVED"),
            ("dnsNotFound", "ERR_NAME_NOT_RESOLVED"),
            ("e=dnsNotFound", "ERR_NAME_NOT_RESOLVED"),
            (
                "DNS_PROBE_FINISHED_NO_INTERNET",
                "ERR_INTERNET_DISCONNECTED",
            ),
            ("NS_ERROR_OFFLINE", "ERR_INTERNET_DISCONNECTED"),
            ("netOffline", "ERR_INTERNET_DISCONNECTED"),
            (
                "DNS_PROBE_FINISHED_BAD_CONFIG",
                "ERR_NAME_RESOLUTION_FAILED",
            ),
            ("NS_ERROR_CONNECTION_REFUSED", "ERR_CONNECTION_REFUSED"),
            ("connectionFailure", "ERR_CONNECTION_REFUSED"),
            ("NS_ERROR_NET_TIMEOUT", "ERR_CONNECTION_TIMED_OUT"),
            ("netTimeout", "ERR_CONNECTION_TIMED_OUT"),
            ("NS_ERROR_NET_RESET", "ERR_CONNECTION_RESET"),
            ("netReset", "ERR_CONNECTION_RESET"),
            ("nssFailure2", "ERR_SSL_PROTOCOL_ERROR"),
            ("SSL_ERROR_RX_RECORD_TOO_LONG", "ERR_SSL_PROTOCOL_ERROR"),
            (
                "SSL_ERROR_NO_CYPHER_OVERLAP",
                "ERR_SSL_VERSION_OR_CIPHER_MISMATCH",
            ),
            (
                "NET::ERR_CERT_AUTHORITY_INVALID",
                "ERR_CERT_AUTHORITY_INVALID",
            ),
            ("SEC_ERROR_UNKNOWN_ISSUER", "ERR_CERT_AUTHORITY_INVALID"),
            (
                "MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT",
                "ERR_CERT_AUTHORITY_INVALID",
            ),
            ("NET::ERR_CERT_DATE_INVALID", "ERR_CERT_DATE_INVALID"),
            ("SEC_ERROR_EXPIRED_CERTIFICATE", "ERR_CERT_DATE_INVALID"),
            (
                "MOZILLA_PKIX_ERROR_NOT_YET_VALID_CERTIFICATE",
                "ERR_CERT_DATE_INVALID",
            ),
            (
                "net::err_cert_common_name_invalid",
                "ERR_CERT_COMMON_NAME_INVALID",
            ),
            ("SSL_ERROR_BAD_CERT_DOMAIN", "ERR_CERT_COMMON_NAME_INVALID"),
            ("SEC_ERROR_REVOKED_CERTIFICATE", "ERR_CERT_REVOKED"),
            ("redirectLoop", "ERR_TOO_MANY_REDIRECTS"),
            (
                "Error code: ERR_TOO_MANY_REDIRECTS",
                "ERR_TOO_MANY_REDIRECTS",
            ),
            ("  net::ERR_EMPTY_RESPONSE ", "ERR_EMPTY_RESPONSE"),
            ("ERR_BLOCKED_BY_CLIENT", "ERR_BLOCKED_BY_CLIENT"),
            ("ERR_HTTP2_PROTOCOL_ERROR", "ERR_HTTP2_PROTOCOL_ERROR"),
            ("ERR_QUIC_PROTOCOL_ERROR", "ERR_QUIC_PROTOCOL_ERROR"),
            ("NS_BINDING_ABORTED", "ERR_ABORTED"),
        ];
        for (input, want) in cases {
            assert_eq!(info(input).map(|e| e.code), Some(*want), "{input}");
        }
        for unknown in ["", "net::", "ERR_NOT_A_REAL_ERROR", "502"] {
            assert!(info(unknown).is_none(), "{unknown:?}");
        }
    }

    #[test]
    fn required_errors_are_present() {
        for code in [
            "ERR_NAME_NOT_RESOLVED",
            "ERR_INTERNET_DISCONNECTED",
            "ERR_CONNECTION_REFUSED",
            "ERR_CONNECTION_RESET",
            "ERR_CONNECTION_CLOSED",
            "ERR_CONNECTION_TIMED_OUT",
            "ERR_CONNECTION_ABORTED",
            "ERR_ADDRESS_UNREACHABLE",
            "ERR_NETWORK_CHANGED",
            "ERR_PROXY_CONNECTION_FAILED",
            "ERR_TUNNEL_CONNECTION_FAILED",
            "ERR_SSL_PROTOCOL_ERROR",
            "ERR_CERT_AUTHORITY_INVALID",
            "ERR_CERT_DATE_INVALID",
            "ERR_CERT_COMMON_NAME_INVALID",
            "ERR_CERT_REVOKED",
            "ERR_TOO_MANY_REDIRECTS",
            "ERR_EMPTY_RESPONSE",
            "ERR_BLOCKED_BY_CLIENT",
            "ERR_HTTP2_PROTOCOL_ERROR",
            "ERR_QUIC_PROTOCOL_ERROR",
            "ERR_TIMED_OUT",
            "ERR_CACHE_MISS",
            "ERR_FILE_NOT_FOUND",
            "ERR_ABORTED",
        ] {
            assert!(info(code).is_some(), "{code}");
        }
    }

    #[test]
    fn spellings_are_unique_and_well_formed() {
        let mut seen = std::collections::BTreeSet::new();
        for e in NET_ERRORS {
            assert!(e.code.starts_with("ERR_"), "{}", e.code);
            assert!(
                e.meaning.ends_with('.') && !e.label.is_empty(),
                "{}",
                e.code
            );
            for name in std::iter::once(&e.code).chain(e.aliases) {
                assert!(
                    seen.insert(name.to_ascii_lowercase()),
                    "{name} appears twice"
                );
            }
        }
    }

    #[test]
    fn hops_and_retry() {
        let cases = [
            ("ERR_NAME_NOT_RESOLVED", Hop::Network, RetryAdvice::Soon),
            ("ERR_CONNECTION_REFUSED", Hop::Origin, RetryAdvice::Soon),
            ("ERR_BLOCKED_BY_CLIENT", Hop::Browser, RetryAdvice::No),
            ("ERR_CERT_DATE_INVALID", Hop::Origin, RetryAdvice::No),
            ("ERR_NETWORK_CHANGED", Hop::Network, RetryAdvice::Now),
            ("ERR_TOO_MANY_REDIRECTS", Hop::Origin, RetryAdvice::No),
        ];
        for (code, hop, retry) in cases {
            let e = info(code);
            assert_eq!(e.map(|e| (e.hop, e.retry)), Some((hop, retry)), "{code}");
        }
    }
}
