//! `authorized_keys` lines in `reviewers.yaml`: the key, and the options
//! OpenSSH puts before it. A restriction must never be dropped silently:
//! `from=` and `expiry-time=` are honoured, options that only turn off what
//! this server never offers are accepted, and anything else is refused when
//! the server starts, naming the line.

use std::net::IpAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use russh::keys::PublicKey;

/// One key a reviewer may log in with, and where and until when.
#[derive(Debug, Clone)]
pub struct KeyEntry {
    pub key: PublicKey,
    /// `from="..."`: the client addresses this key may log in from.
    pub from: Option<Vec<String>>,
    /// `expiry-time="..."`: after this, the key is refused.
    pub expires: Option<SystemTime>,
}

/// Options that restrict what this server never offers anyway (it runs
/// only the desk: no shell, command, forwarding, agent or X11).
const HARMLESS: &[&str] = &[
    "restrict",
    "pty",
    "no-port-forwarding",
    "no-agent-forwarding",
    "no-x11-forwarding",
    "no-user-rc",
];

/// Key types an `authorized_keys` line may start with.
fn is_key_type(word: &str) -> bool {
    word.starts_with("ssh-") || word.starts_with("ecdsa-") || word.starts_with("sk-")
}

/// Split at commas (options) or the first space (options from key), outside quotes.
fn split_options(line: &str) -> (Vec<&str>, &str) {
    let mut quoted = false;
    let mut options = Vec::new();
    let mut start = 0;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                options.push(&line[start..i]);
                start = i + 1;
            }
            ' ' | '\t' if !quoted => {
                options.push(&line[start..i]);
                return (options, line[i..].trim_start());
            }
            _ => {}
        }
    }
    options.push(&line[start..]);
    (options, "")
}

/// Parse one `authorized_keys` line.
pub fn parse(line: &str) -> Result<KeyEntry, String> {
    let line = line.trim();
    let first = line.split_whitespace().next().unwrap_or("");
    let (options, key_text) = if is_key_type(first) {
        (Vec::new(), line)
    } else {
        split_options(line)
    };
    let mut entry_from = None;
    let mut expires = None;
    for opt in options.iter().filter(|o| !o.is_empty()) {
        let (name, value) = match opt.split_once('=') {
            Some((n, v)) => (n, Some(v.trim_matches('"'))),
            None => (*opt, None),
        };
        match (name.to_ascii_lowercase().as_str(), value) {
            (n, None) if HARMLESS.contains(&n) => {}
            ("from", Some(v)) => entry_from = Some(from_patterns(v)?),
            ("expiry-time", Some(v)) => expires = Some(expiry(v)?),
            _ => {
                return Err(format!(
                    "option `{}` is not supported by claimdesk serve (it runs only the desk); \
                     remove it, or use from= and expiry-time= to restrict the key",
                    crate::text::truncate(&crate::text::sanitize(opt), 40)
                ));
            }
        }
    }
    let key = PublicKey::from_openssh(key_text.trim()).map_err(|e| {
        format!("the key does not parse ({e}); paste a line from their id_ed25519.pub or authorized_keys")
    })?;
    Ok(KeyEntry {
        key,
        from: entry_from,
        expires,
    })
}

/// `from="10.0.0.*,!10.0.0.5,192.168.1.0/24"`: addresses, wildcards and
/// CIDR blocks, each may be negated. Host names cannot be checked (the
/// server looks up no names), so they are refused rather than ignored.
fn from_patterns(v: &str) -> Result<Vec<String>, String> {
    let patterns: Vec<String> = v.split(',').map(|p| p.trim().to_string()).collect();
    for p in &patterns {
        let body = p.strip_prefix('!').unwrap_or(p);
        let address_like = body
            .chars()
            .all(|c| c.is_ascii_hexdigit() || matches!(c, '.' | ':' | '*' | '?' | '/'));
        if body.is_empty() || !address_like {
            return Err(format!(
                "from= pattern `{}` is not an address: the server looks up no host names, \
                 so give addresses, wildcards (10.0.0.*) or blocks (10.0.0.0/24)",
                crate::text::truncate(&crate::text::sanitize(p), 40)
            ));
        }
    }
    Ok(patterns)
}

/// Whether `ip` is allowed by `patterns` (as OpenSSH: a negated match
/// refuses, else any match allows).
pub fn allowed_from(patterns: &[String], ip: IpAddr) -> bool {
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    };
    let mut allowed = false;
    for p in patterns {
        let (negated, body) = match p.strip_prefix('!') {
            Some(b) => (true, b),
            None => (false, p.as_str()),
        };
        if matches_address(body, ip) {
            if negated {
                return false;
            }
            allowed = true;
        }
    }
    allowed
}

fn matches_address(pattern: &str, ip: IpAddr) -> bool {
    if let Some((net, bits)) = pattern.split_once('/') {
        let (Ok(net), Ok(bits)) = (net.parse::<IpAddr>(), bits.parse::<u32>()) else {
            return false;
        };
        return match (net, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) if bits <= 32 => {
                let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) if bits <= 128 => {
                let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        };
    }
    wildcard(pattern.as_bytes(), ip.to_string().as_bytes())
}

/// `*` and `?` as OpenSSH's patterns have them.
fn wildcard(p: &[u8], s: &[u8]) -> bool {
    match (p.first(), s.first()) {
        (None, None) => true,
        (Some(b'*'), _) => wildcard(&p[1..], s) || (!s.is_empty() && wildcard(p, &s[1..])),
        (Some(b'?'), Some(_)) => wildcard(&p[1..], &s[1..]),
        (Some(a), Some(b)) if a.eq_ignore_ascii_case(b) => wildcard(&p[1..], &s[1..]),
        _ => false,
    }
}

/// `expiry-time="YYYYMMDD[HHMM[SS]][Z]"`: local time, or UTC with `Z`.
fn expiry(v: &str) -> Result<SystemTime, String> {
    let bad = || {
        format!("expiry-time `{v}` is not YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS (add Z for UTC)")
    };
    let (digits, utc) = match v.strip_suffix(['Z', 'z']) {
        Some(d) => (d, true),
        None => (v, false),
    };
    if !matches!(digits.len(), 8 | 12 | 14) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| {
        digits
            .get(r)
            .and_then(|s| s.parse::<i32>().ok())
            .unwrap_or(0)
    };
    let (year, month, day) = (num(0..4), num(4..6), num(6..8));
    let (hour, min, sec) = (num(8..10), num(10..12), num(12..14));
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || min > 59 || sec > 60 {
        return Err(bad());
    }
    // SAFETY: `tm` is a plain struct we fill; timegm/mktime read it and
    // (mktime) normalise it in place.
    let secs = unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        tm.tm_year = year - 1900;
        tm.tm_mon = month - 1;
        tm.tm_mday = day;
        tm.tm_hour = hour;
        tm.tm_min = min;
        tm.tm_sec = sec;
        tm.tm_isdst = -1;
        if utc {
            libc::timegm(&mut tm)
        } else {
            libc::mktime(&mut tm)
        }
    };
    u64::try_from(secs)
        .map(|s| UNIX_EPOCH + Duration::from_secs(s))
        .map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBmNiw2A1ZRpuzAhmeB2YhZ8X45VlCzBqv9rdEPXZ4Ex alice@laptop";

    #[test]
    fn restrictions_are_kept_and_unknown_options_refused() {
        let plain = parse(KEY).expect("plain key");
        assert!(plain.from.is_none() && plain.expires.is_none());
        let e = parse(&format!(
            r#"restrict,pty,from="10.0.0.*,!10.0.0.5",expiry-time="20990101Z" {KEY}"#
        ))
        .expect("parses");
        let from = e.from.expect("from kept");
        assert!(allowed_from(&from, "10.0.0.7".parse().expect("ip")));
        assert!(
            !allowed_from(&from, "10.0.0.5".parse().expect("ip")),
            "negated"
        );
        assert!(!allowed_from(&from, "127.0.0.1".parse().expect("ip")));
        assert!(e.expires.expect("kept") > SystemTime::now());
        for bad in [
            format!(r#"command="/bin/sh" {KEY}"#),
            format!("no-pty {KEY}"),
            format!(r#"environment="A=b" {KEY}"#),
            format!(r#"from="*.example.org" {KEY}"#),
            format!(r#"expiry-time="tomorrow" {KEY}"#),
        ] {
            assert!(parse(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn cidr_blocks_and_mapped_addresses() {
        let p = vec!["192.168.1.0/24".to_string(), "::1".to_string()];
        assert!(allowed_from(&p, "192.168.1.200".parse().expect("ip")));
        assert!(!allowed_from(&p, "192.168.2.1".parse().expect("ip")));
        assert!(allowed_from(&p, "::ffff:192.168.1.9".parse().expect("ip")));
        assert!(allowed_from(&p, "::1".parse().expect("ip")));
        let old = expiry("20200101").expect("parses");
        assert!(old < SystemTime::now());
    }
}
